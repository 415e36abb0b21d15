"""Contract section 4 read literally, one listing at a time: the plain reference that the vectorised
mask (matcher.constraints) is checked against, by the tests and by bench/quality.py alike.

Deliberately written without numpy or the matcher's code, so that a bug there cannot hide here.
"""

from __future__ import annotations

import math

from directory.records import Resource

R = 6371.009  # km, mean Earth radius


def reference_distance(a, b) -> float:
    """Great-circle km between two (latitude, longitude) points in degrees."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))


def reference_first_broken(r: Resource, p, point) -> str | None:
    """The first rule of section 4 the listing breaks for the profile (at `point`), or None."""
    if r.status != "active":
        return "inactive"
    if not (set(r.languages) & set(p.languages) or r.interpreter_available):
        return "language"
    if p.age is not None and ((r.min_age is not None and p.age < r.min_age)
                              or (r.max_age is not None and p.age > r.max_age)):
        return "age"
    if r.gender is not None and r.gender != p.gender:
        return "gender"
    usable = False
    if "in_person" in r.delivery:
        near = point is None or reference_distance(point, (r.latitude, r.longitude)) <= p.max_distance_km
        access = not p.needs_wheelchair_access or r.wheelchair_accessible is True
        usable |= near and access
    usable |= "phone" in r.delivery and p.digital_access in ("phone", "online")
    usable |= "online" in r.delivery and p.digital_access == "online"
    if not usable:
        return "reach"
    level = {"free": 0, "low_cost": 1, "paid": 2, None: 2}
    if level[r.cost] > level[p.max_cost]:
        return "cost"
    return None
