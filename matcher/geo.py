"""Where a person is: coordinates, a postcode or a place, resolved offline.

The gazetteer (`directory/data/gazetteer.csv`: name,kind,latitude,longitude) names postcode
districts ("G51") and neighbourhoods ("Govan") of the demo area. A full postcode resolves through
its district ("G51 3AB" → "G51"). Online geocoding (geopy's Nominatim) is used only when a
deployment turns it on with `SIGNPOST_GEOCODER=nominatim`; it is never the default and never used
in tests. A location that cannot be resolved is an error naming the field `location`, never a
silent "no location".
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from directory.postcodes import normalise_postcode, postcode_district
from directory.records import InputError, ValidationIssue

# How alike (rapidfuzz WRatio, 0-100) a typed place must be to a gazetteer name to be suggested.
SUGGEST_SCORE = 75

GAZETTEER_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "gazetteer.csv"
# geopy.distance.EARTH_RADIUS, the mean Earth radius great_circle uses (tests/test_geo.py checks it): written
# out because importing geopy pulls its geocoders and requests (0.1 s of a cold `signpost match`).
EARTH_RADIUS_KM: float = 6371.009
GEOCODER_ENV = "SIGNPOST_GEOCODER"

def place_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive key for a place name ('St. Enoch' → 'stenoch')."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between points in degrees; numpy-broadcasting."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    latitude: float
    longitude: float


@dataclass
class Gazetteer:
    """Names of the area mapped to coordinates: postcode districts and neighbourhoods."""

    places: list[Place] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._postcodes: dict[str, Place] = {}
        self._names: dict[str, Place] = {}
        for p in self.places:
            if p.kind.lower() in ("postcode", "postcode_district", "district", "postcode district"):
                self._postcodes.setdefault(normalise_postcode(p.name), p)
            else:
                self._names.setdefault(place_key(p.name), p)
        # A name that looks like a postcode district is findable as one, whatever its kind says.
        for p in self.places:
            if postcode_district(p.name) == normalise_postcode(p.name):
                self._postcodes.setdefault(normalise_postcode(p.name), p)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> Gazetteer:
        """The bundled gazetteer (or the CSV at `path`); an absent bundled file is an empty gazetteer."""
        target = Path(path) if path is not None else GAZETTEER_CSV
        if path is None and not target.exists():
            return cls([])
        places = []
        with open(target, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    places.append(Place(row["name"].strip(), (row.get("kind") or "").strip(),
                                        float(row["latitude"]), float(row["longitude"])))
                except (KeyError, TypeError, ValueError):
                    continue  # a broken gazetteer line is skipped, not a crash at match time
        return cls(places)

    def names(self) -> list[str]:
        """Every name a user may type (places, then postcode districts), for autocompletion."""
        named = sorted({p.name for p in self.places if place_key(p.name) in self._names})
        codes = sorted({p.name for p in self.places if normalise_postcode(p.name) in self._postcodes} - set(named))
        return named + codes

    def neighbourhoods_within(self, latitude: float, longitude: float, km: float) -> list[Place]:
        """Named neighbourhoods (not postcode districts) within `km` of a point, e.g. to label a map."""
        hoods = [p for p in self.places if place_key(p.name) in self._names and p.kind == "neighbourhood"]
        if not hoods:
            return []
        dist = haversine_km(latitude, longitude, [p.latitude for p in hoods], [p.longitude for p in hoods])
        return [p for p, d in zip(hoods, dist, strict=True) if d <= km]

    def suggest(self, text: str) -> str | None:
        """The gazetteer name nearest a misspelt place ('Gvan' → 'Govan'), or None when none is close.

        Neighbourhood names only: a postcode is checked by its shape, and a near postcode is a
        different place, not a typo to correct."""
        from rapidfuzz import fuzz, process, utils

        key = " ".join((text or "").split())
        if len(place_key(key)) < 3:
            return None
        named = {p.name: p for p in self.places if place_key(p.name) in self._names}
        hit = process.extractOne(key, list(named), scorer=fuzz.WRatio, processor=utils.default_process,
                                 score_cutoff=SUGGEST_SCORE)
        return None if hit is None or place_key(hit[0]) == place_key(key) else hit[0]

    def postcode(self, text: str) -> tuple[float, float] | None:
        compact = normalise_postcode(text)
        hit = self._postcodes.get(compact)
        if hit is None:
            district = postcode_district(text)
            hit = self._postcodes.get(district) if district else None
        return (hit.latitude, hit.longitude) if hit else None

    def place(self, text: str) -> tuple[float, float] | None:
        hit = self._names.get(place_key(text))
        if hit is not None:
            return hit.latitude, hit.longitude
        return self.postcode(text) if postcode_district(text) else None


_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer.load()
    return _DEFAULT


def _geocode_online(query: str) -> tuple[float, float] | None:
    """Nominatim via geopy, only when the deployment opted in (network; never in tests)."""
    if os.environ.get(GEOCODER_ENV, "").strip().lower() != "nominatim":
        return None
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent=os.environ.get("SIGNPOST_GEOCODER_AGENT", "signpost-social-prescribing"))
    found = geocoder.geocode(query, timeout=10)
    return (found.latitude, found.longitude) if found else None


class PlaceNotFound(InputError):
    """A place the offline gazetteer does not know; `suggestion` is the nearest name it does know."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__([ValidationIssue(None, "location", message)])
        self.suggestion = suggestion


def _error(message: str) -> InputError:
    return InputError([ValidationIssue(None, "location", message)])


def resolve_location(location: Any, gazetteer: Gazetteer | None = None) -> tuple[float, float] | None:
    """A profile's location (dict or `profile.Location`) → (latitude, longitude); None for no location.

    Unknown postcodes and places raise InputError naming the field "location".
    """
    if location is None:
        return None
    if hasattr(location, "as_dict"):
        location = location.as_dict()
    if not isinstance(location, dict):
        raise _error("must be an object: {latitude, longitude}, {postcode} or {place}")
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    if location.get("latitude") is not None or location.get("longitude") is not None:
        try:
            lat, lon = float(location["latitude"]), float(location["longitude"])
        except (KeyError, TypeError, ValueError):
            raise _error("latitude and longitude must both be numbers") from None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise _error("latitude must be -90 to 90 and longitude -180 to 180")
        return lat, lon
    if location.get("postcode") is not None:
        text = str(location["postcode"]).strip()
        if postcode_district(text) is None:
            raise _error("the postcode given is not shaped like a UK postcode")
        found = gaz.postcode(text) or _geocode_online(text)
        if found is None:
            raise _error("the postcode's district is not in the offline gazetteer of the area; "
                         "give coordinates or a nearby place")
        return found
    if location.get("place") is not None:
        text = str(location["place"]).strip()
        found = gaz.place(text) or _geocode_online(text)
        if found is None:
            near = gaz.suggest(text)
            # The suggestion is a gazetteer name, never the person's own words.
            hint = f"did you mean {near}? Or " if near else ""
            raise PlaceNotFound(f"the place given is not in the offline gazetteer of the area; {hint}"
                                "give a postcode, coordinates or another nearby place", near)
        return found
    raise _error("give {latitude, longitude}, {postcode} or {place}")


def location_query(text: str | None, latitude: float | None = None, longitude: float | None = None) -> dict | None:
    """What a person typed as where they live → a profile location: a postcode, else a place name,
    else coordinates; None when nothing was given. The one place this choice is made."""
    text = (text or "").strip()
    if text:
        return {"postcode": text} if postcode_district(text) else {"place": text}
    if latitude is not None or longitude is not None:
        return {"latitude": latitude, "longitude": longitude}
    return None
