"""Contract section 4, the rules a recommendation never breaks, over a whole snapshot at once.

`evaluate` answers, for every listing, whether each rule holds, as boolean columns; the eligible
mask is their conjunction and each excluded listing is counted under the first rule it broke, in
the contract's order. Distance is a haversine BallTree radius query, never a loop over listings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from directory.languages import language_name
from directory.records import Resource

from .geo import EARTH_RADIUS_KM, haversine_km
from .profile import NeedsProfile
from .snapshot import COST_LEVELS, GENDER_CODES, IN_PERSON, ONLINE, PHONE, Snapshot

# Contract section 4, in order: a listing is counted under the first of these it breaks.
RULES: tuple[str, ...] = ("inactive", "language", "age", "gender", "reach", "cost")
# Key order of `excluded` in the JSON answer (contract section 5).
EXCLUDED_KEYS: tuple[str, ...] = ("language", "age", "gender", "reach", "cost", "inactive")
# `reach` split by why, for people reading the counts (not part of the contract's JSON).
REACH_PARTS: tuple[str, ...] = ("too_far", "wheelchair", "remote")


# For each 6-bit code of broken rules (bit k = RULES[k] broken): the first rule broken, and how many.
_FIRST = np.array([-1] + [(c & -c).bit_length() - 1 for c in range(1, 64)], dtype=np.int8)
_COUNT = np.array([bin(c).count("1") for c in range(64)], dtype=np.int8)


@dataclass
class Eligibility:
    """Per-listing verdicts as one small integer: bit k set when rule RULES[k] is broken."""

    broken: np.ndarray  # uint8 (n,)
    in_person: np.ndarray  # bool (n,): the venue is usable in person (near enough, accessible if needed)
    # Why reach failed, for the listings it failed (extra detail beyond the contract's one `reach` key):
    # bool (n,) columns "too_far", "wheelchair", "remote"; None when not computed.
    reach_why: dict[str, np.ndarray] | None = None

    def __post_init__(self) -> None:
        self.eligible = self.broken == 0
        self._counts = {rule: int(np.count_nonzero(self.first_is(k))) for k, rule in enumerate(RULES)}

    def first_is(self, k: int) -> np.ndarray:
        """bool (n,): rule RULES[k] is the first rule each listing breaks (rules before it hold, it
        does not): two byte-wide operations, where `first_broken == k` gathers through a table."""
        return (self.broken & np.uint8((2 << k) - 1)) == np.uint8(1 << k)

    @property
    def ok(self) -> np.ndarray:
        """bool (6, n): rule RULES[k] holds for each listing."""
        return ((self.broken[None, :] >> np.arange(len(RULES), dtype=np.uint8)[:, None]) & 1) == 0

    @property
    def first_broken(self) -> np.ndarray:
        """int8 (n,): index in RULES of the first rule each listing breaks, -1 when it breaks none."""
        return _FIRST[self.broken]

    def excluded(self) -> dict[str, int]:
        """Excluded listings counted by the first rule each broke (keys exactly, in order, EXCLUDED_KEYS)."""
        return {key: self._counts[key] for key in EXCLUDED_KEYS}

    def reach_detail(self) -> dict[str, int]:
        """The listings counted under `reach`, split by why (keys REACH_PARTS, in order): too far (or no
        known venue), venue not wheelchair accessible, only by phone or online they don't use. Each
        listing is counted once, under the first of these that holds."""
        out = dict.fromkeys(REACH_PARTS, 0)
        counted = self.first_is(RULES.index("reach"))
        if self.reach_why is None:
            return out
        left = counted.copy()
        for part in REACH_PARTS:
            hit = left & self.reach_why[part]
            out[part] = int(hit.sum())
            left &= ~hit
        return out

    def near_miss_mask(self) -> np.ndarray:
        """Active listings that break exactly one rule: those a link worker might choose to bend."""
        return (self.broken & 1 == 0) & (_COUNT[self.broken] == 1)


def near_mask(snapshot: Snapshot, point: tuple[float, float], max_km: float) -> np.ndarray:
    """bool (n,): rows whose in-person venue is within `max_km` great-circle of `point` (degrees).

    One product of the venues' unit-sphere points (Snapshot.venue_xyz) with the person's: at a million
    listings 1-2 ms, where a haversine BallTree radius query took 4-7 ms to list the venues of a
    dense city (and loaded scikit-learn). In float64 the test agrees with the haversine of the
    distances shown to within 1e-6 m; the slack of a few ulps keeps a venue at the person's own door
    within a radius of 0."""
    lat, lon = np.radians(point[0]), np.radians(point[1])
    here = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    angle = min(max(float(max_km), 0.0) / EARTH_RADIUS_KM, np.pi)
    return snapshot.venue_xyz @ here >= np.cos(angle) - 4 * np.finfo(np.float64).eps  # NaN rows: False


def evaluate(snapshot: Snapshot, profile: NeedsProfile, point: tuple[float, float] | None) -> Eligibility:
    """Every rule of section 4 for every listing, vectorised. `point` is the resolved location."""
    n = len(snapshot)
    broken = np.zeros(n, dtype=np.uint8)

    def rule(k: int, holds: np.ndarray) -> None:
        broken[:] |= (~holds).view(np.uint8) << np.uint8(k)

    # 1. status is active
    rule(0, snapshot.active)
    # 2. a shared language, or an interpreter
    cols = snapshot.language_columns(profile.languages)
    lang = snapshot.interpreter.copy()
    for j in cols:
        lang |= snapshot.language_matrix[:, j]
    rule(1, lang)
    # 3. age within min_age..max_age (a missing bound is stored as 0 or AGE_NONE_MAX: no limit)
    if profile.age is not None:
        rule(2, (snapshot.min_age <= profile.age) & (profile.age <= snapshot.max_age))
    # 4. open to anyone, or to the person's gender; unknown or other gender: open-to-anyone only
    person = GENDER_CODES[profile.gender] if profile.gender in ("female", "male") else -1
    rule(3, (snapshot.gender == 0) | (snapshot.gender == person))
    # 5. reach: one usable delivery mode
    offered = (snapshot.delivery & IN_PERSON) != 0
    in_person = offered.copy()
    near = np.ones(n, dtype=bool)
    if point is not None:
        near = near_mask(snapshot, point, profile.max_distance_km)
        in_person &= near
    if profile.needs_wheelchair_access:
        in_person &= snapshot.wheelchair
    reach = in_person.copy()
    if profile.digital_access in ("phone", "online"):
        reach |= (snapshot.delivery & PHONE) != 0
    if profile.digital_access == "online":
        reach |= (snapshot.delivery & ONLINE) != 0
    rule(4, reach)
    # 6. cost within the person's limit (blank counts as paid)
    rule(5, snapshot.cost <= COST_LEVELS[profile.max_cost])
    why = {"too_far": offered & ~near,
           "wheelchair": offered & near & ~in_person,
           "remote": ~offered}
    return Eligibility(broken=broken, in_person=in_person, reach_why=why)


# ---- how far a rule is broken, in plain words (near misses) -------------------------------------
def _km(value: float) -> str:
    return f"{value:g}"


def _distance_text(distance: float, limit: float) -> str:
    text = f"{distance:.1f}"
    if float(text) <= limit:  # rounding to 0.1 km would hide that it is over the limit
        text = f"{distance:.2f}"
    return text


def break_detail(rule: str, resource: Resource, profile: NeedsProfile,
                 point: tuple[float, float] | None) -> str:
    """Which rule a listing breaks and by how much, for a link worker deciding whether it can bend."""
    if rule == "language":
        held = ", ".join(language_name(c) for c in resource.languages)
        speaks = ", ".join(language_name(c) for c in profile.languages)
        return f"Held in {held}; you speak {speaks}"
    if rule == "age":
        lo, hi = resource.min_age, resource.max_age
        if lo is not None and hi is not None:
            span = f"For ages {lo}-{hi}"
        elif lo is not None:
            span = f"For ages {lo}+"
        else:
            span = f"For ages up to {hi}"
        return f"{span}; you are {profile.age}"
    if rule == "gender":
        return "Women only" if resource.gender == "female" else "Men only"
    if rule == "cost":
        level = {"low_cost": "low cost", "paid": "paid", None: "cost not stated"}[resource.cost]
        allowed = "free only" if profile.max_cost == "free" else "free or low cost only"
        return f"Costs money ({level}); you said {allowed}"
    if rule == "reach":
        return _reach_detail(resource, profile, point)
    return "Not active"


def _reach_detail(resource: Resource, profile: NeedsProfile, point: tuple[float, float] | None) -> str:
    parts = []
    if "in_person" in resource.delivery:
        if point is not None and resource.latitude is not None:
            d = float(haversine_km(point[0], point[1], resource.latitude, resource.longitude))
            if d > profile.max_distance_km:
                parts.append(f"{_distance_text(d, profile.max_distance_km)} km away; "
                             f"you said up to {_km(profile.max_distance_km)} km")
        if profile.needs_wheelchair_access and resource.wheelchair_accessible is not True:
            parts.append("Venue not known to be wheelchair accessible" if resource.wheelchair_accessible is None
                         else "Venue not wheelchair accessible")
    remote = [m for m in resource.delivery if m != "in_person"]
    if remote and "in_person" not in resource.delivery:
        if remote == ["online"]:
            parts.append("Online only; " + ("you use the phone only" if profile.digital_access == "phone"
                                            else "you have no internet"))
        elif remote == ["phone"]:
            parts.append("By phone only; you do not use the phone")
        else:
            parts.append("By phone or online only; you use neither")
    return "; ".join(parts) if parts else "Not reachable for you"
