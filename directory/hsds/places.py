"""Where an HSDS service meets: its service_at_locations read as places (a venue with coordinates,
a venue not yet placed, a virtual location, or one passed over), with their phones and languages."""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import Issues, items, languages_of, number, scalar_text, text, where_of
from .wording import wheelchair

# The kinds of place the file says people go to (placed or not).
PHYSICAL = ("venue", "unplaced", "invalid")


@dataclass
class Place:
    # venue: physical, with usable coordinates; unplaced: physical, coordinates missing or out of
    # range (dropped); virtual; ignored (postal, or no location object); invalid (an error found)
    kind: str
    path: str
    name: str = ""
    loc_id: str = ""
    sal: dict | None = None
    sal_id: str = ""
    sal_path: str = ""
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    postcode: str = ""
    wheelchair: bool | None = None
    languages: list[str] = field(default_factory=list)
    sal_phones: list[str] = field(default_factory=list)  # the service's phones at this place
    loc_phones: list[str] = field(default_factory=list)  # the building's phones
    # why an unplaced venue has no coordinates: (HSDS field, reason), and whether values were dropped
    problems: list[tuple[str, str]] = field(default_factory=list)
    dropped: bool = False

    def described(self) -> str:
        return f"location '{self.name}'" if self.name else "this location"


def phones(obj: dict | None, where: str, issues: Issues) -> list[str]:
    """The numbers of an object's phones that are not a fax or a pager, extension kept as 'ext. N'."""
    if not obj:
        return []
    out = []
    for phone, path in items(obj, "phones", where, issues):
        num = text(phone, "number", path, issues).strip().strip("\"'").strip()
        if not num or scalar_text(phone.get("type")).lower() in ("fax", "pager"):
            continue
        ext = scalar_text(phone.get("extension"))
        out.append(f"{num} ext. {ext}" if ext else num)
    return out


def _address(loc: dict, path: str, place: Place, issues: Issues) -> None:
    """The location's address (physical first; a virtual address is none) and postcode."""
    addresses = items(loc, "addresses", path, issues)
    addresses.sort(key=lambda a: 0 if scalar_text(a[0].get("address_type")).lower() == "physical" else 1)
    addresses = [a for a in addresses if scalar_text(a[0].get("address_type")).lower() != "virtual"]
    if addresses:
        addr = addresses[0][0]
        parts = [scalar_text(addr.get(k)) for k in ("address_1", "address_2", "address_3", "address_4", "city")]
        place.address = ", ".join(dict.fromkeys(p for p in parts if p))
        place.postcode = scalar_text(addr.get("postal_code"))


def _coordinates(loc: dict, place: Place, lat: float | None, lon: float | None) -> None:
    """A venue when the coordinates are usable; else 'unplaced': they are dropped, never guessed."""
    if lat is not None and not -90 <= lat <= 90:
        place.problems.append(("latitude", f"{scalar_text(loc.get('latitude'))} is not a latitude (-90 to 90)"))
    if lon is not None and not -180 <= lon <= 180:
        place.problems.append(("longitude", f"{scalar_text(loc.get('longitude'))} is not a longitude (-180 to 180)"))
    if (lat is None) != (lon is None):
        given, missing = ("latitude", "longitude") if lon is None else ("longitude", "latitude")
        place.problems.append((missing, f"{given} {scalar_text(loc.get(given))} is given without a {missing}"))
    place.dropped = bool(place.problems)
    if lat is None and lon is None:
        has = "an address but " if place.address or place.postcode else ""
        place.problems.append(("latitude", f"{place.described()} has {has}no latitude and longitude"))
    if place.problems:
        place.kind = "unplaced"
    else:
        place.kind, place.latitude, place.longitude = "venue", lat, lon


def place_of(loc: dict, path: str, issues: Issues) -> Place:
    """A location read as a place (1.1 has no location_type: every location is physical)."""
    place = Place(kind="ignored", path=path, name=scalar_text(loc.get("name")), loc_id=scalar_text(loc.get("id")))
    ltype = scalar_text(loc.get("location_type")).lower()
    if ltype == "virtual":
        place.kind = "virtual"
        return place
    if ltype == "postal":  # where to write, not where to go
        return place
    before = len(issues)
    lat = number(loc.get("latitude"), path, "latitude", issues)
    lon = number(loc.get("longitude"), path, "longitude", issues)
    if len(issues) > before:  # text that is no number at all is an error, not a venue to place later
        place.kind = "invalid"
        return place
    _address(loc, path, place, issues)
    texts = []
    for acc, _ in items(loc, "accessibility", path, issues):
        texts.extend(scalar_text(acc.get(k)) for k in ("description", "details", "accessibility"))
    place.wheelchair = wheelchair(texts)
    place.languages = languages_of(loc, path, issues)
    place.loc_phones = phones(loc, path, issues)
    _coordinates(loc, place, lat, lon)
    return place


def places_of(sals: list[tuple[dict, str]], issues: Issues) -> list[Place]:
    """The places of a service's service_at_locations, in file order, each location once."""
    out: list[Place] = []
    seen_locations: set[str] = set()
    for sal, spath in sals:
        sal_phones = phones(sal, spath, issues)
        loc = sal.get("location")
        if not isinstance(loc, dict):
            place = Place(kind="ignored", path=spath)
        else:
            loc_id = scalar_text(loc.get("id"))
            if loc_id and loc_id in seen_locations:
                continue
            seen_locations.add(loc_id)
            place = place_of(loc, where_of(loc, f"{spath}.location"), issues)
        place.sal, place.sal_id, place.sal_path, place.sal_phones = sal, scalar_text(sal.get("id")), spath, sal_phones
        out.append(place)
    return out
