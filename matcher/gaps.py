"""Provision by support type × language × area: where a person wanting a carers' group, or a walking group
held in Urdu, has nothing to go to. What the Gaps page shows; computed here, drawn there.

A listing counts when it is active and matching holds it (it is in `types_of`, the recommender's
`listing_support_types()`), under each support type matching gives it: the curator's tags, else the
types inferred from its words, counted apart (`inferred`) so a curator sees how much of a count rests on
inference. Its area is the postcode district it meets in, or the gazetteer neighbourhood nearest its
venue; phone and online listings are their own area, since they reach everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from directory.curation import NO_AREA, REMOTE_AREA, area_of
from directory.store import StoredResource
from directory.support_types import SUPPORT_TYPES

from .geo import Gazetteer, haversine_km

BY_DISTRICT, BY_NEIGHBOURHOOD = "district", "neighbourhood"
COLUMNS = ["support_type", "language", "area", "listings", "inferred"]
NO_PLACE = "no venue coordinates"


def nearest_neighbourhood(gazetteer: Gazetteer, latitude: float | None, longitude: float | None) -> str | None:
    """The name of the gazetteer neighbourhood nearest a point (None without a point or neighbourhoods)."""
    hoods = [p for p in gazetteer.places if p.kind == "neighbourhood"]
    if latitude is None or longitude is None or not hoods:
        return None
    dist = haversine_km(latitude, longitude, [p.latitude for p in hoods], [p.longitude for p in hoods])
    return hoods[int(dist.argmin())].name


def listing_area(resource: Any, by: str = BY_DISTRICT, gazetteer: Gazetteer | None = None) -> str:
    """Where a listing meets: its postcode district, or the neighbourhood nearest its venue."""
    if by == BY_DISTRICT or "in_person" not in resource.delivery:
        return area_of(resource)
    if gazetteer is None:
        raise ValueError("an area by neighbourhood needs a gazetteer")
    return nearest_neighbourhood(gazetteer, resource.latitude, resource.longitude) or NO_PLACE


def support_type_coverage(listings: Iterable[Any], types_of: Mapping[str, tuple[Sequence[str], bool]], *,
                          by: str = BY_DISTRICT, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Active listings matching holds, counted by support type × language × area, zeros included.

    Columns: support_type (a key of directory.support_types), language, area, listings, inferred (how
    many of those listings have inferred, not curator-tagged, types). Every type, every language the
    counted listings are held in and every area they meet in appears, so a zero is a visible gap.
    """
    counts: dict[tuple[str, str, str], list[int]] = {}
    languages: set[str] = set()
    areas: set[str] = set()
    for item in listings:
        r = item.resource if isinstance(item, StoredResource) else item
        if not r.is_active or r.id not in types_of:
            continue
        keys, inferred = types_of[r.id]
        area = listing_area(r, by, gazetteer)
        areas.add(area)
        languages.update(r.languages)
        for key in keys:
            for lang in r.languages:
                cell = counts.setdefault((key, lang, area), [0, 0])
                cell[0] += 1
                cell[1] += int(inferred)
    rows = [(t.key, lang, a, *counts.get((t.key, lang, a), (0, 0)))
            for t in SUPPORT_TYPES for lang in sorted(languages) for a in sorted(areas)]
    return pd.DataFrame(rows, columns=COLUMNS)


def remote_last(areas: Iterable[str]) -> list[str]:
    """Areas in order, phone/online and 'no area' after the places."""
    return sorted(areas, key=lambda a: (a in (REMOTE_AREA, NO_AREA, NO_PLACE), a))
