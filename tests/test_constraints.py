"""Contract section 4, rule by rule, and the vectorised mask against a plain reference of the contract."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from directory.records import Resource
from matcher.constraints import EXCLUDED_KEYS, RULES, break_detail, evaluate
from matcher.profile import parse_profile
from matcher.snapshot import Snapshot

from .matcher_fixtures import HOME, listing, offset
from .reference import reference_distance, reference_first_broken


def snap_of(resources):
    return Snapshot.build(1, resources, [r.id for r in resources])


def check(resources, profile, point):
    snap = snap_of(resources)
    elig = evaluate(snap, profile, point)
    first = elig.first_broken
    for i, r in enumerate(resources):
        want = reference_first_broken(r, profile, point)
        got = None if first[i] < 0 else RULES[first[i]]
        assert got == want, (r, profile, point)
        assert bool(elig.eligible[i]) == (want is None)
    return elig


# ---- rule by rule -----------------------------------------------------------------------------
def first_broken_of(resource, **profile):
    snap = snap_of([resource])
    p = parse_profile(profile)
    point = (p.location.latitude, p.location.longitude) if p.location else None
    f = evaluate(snap, p, point).first_broken[0]
    return None if f < 0 else RULES[f]


def test_rule_1_inactive():
    assert first_broken_of(listing("A", status="inactive")) == "inactive"


def test_rule_2_language_or_interpreter():
    assert first_broken_of(listing("A", languages=["pl"]), languages=["ur", "en"]) == "language"
    assert first_broken_of(listing("A", languages=["pl", "ur"]), languages=["ur"]) is None
    assert first_broken_of(listing("A", languages=["pl"], interpreter_available=True), languages=["ur"]) is None


def test_rule_3_age():
    assert first_broken_of(listing("A", min_age=60), age=45) == "age"
    assert first_broken_of(listing("A", max_age=25), age=26) == "age"
    assert first_broken_of(listing("A", min_age=60, max_age=60), age=60) is None
    assert first_broken_of(listing("A", min_age=60)) is None  # age not given: no age rule


def test_rule_4_gender():
    women = listing("A", gender="female")
    assert first_broken_of(women, gender="female") is None
    assert first_broken_of(women, gender="male") == "gender"
    assert first_broken_of(women, gender="other") == "gender"
    assert first_broken_of(women) == "gender"  # gender not given: restricted groups left out
    assert first_broken_of(listing("A"), gender="other") is None


def test_rule_5_reach():
    lat, lon = offset(6.0)
    far = listing("A", latitude=lat, longitude=lon)
    here = {"latitude": HOME[0], "longitude": HOME[1]}
    assert first_broken_of(far, location=here, max_distance_km=5) == "reach"
    assert first_broken_of(far, location=here, max_distance_km=7) is None
    assert first_broken_of(far) is None  # no location: distance not checked
    assert first_broken_of(listing("B", wheelchair_accessible=None), needs_wheelchair_access=True) == "reach"
    assert first_broken_of(listing("B", wheelchair_accessible=False), needs_wheelchair_access=True) == "reach"
    phone = listing("C", delivery=["phone"], latitude=None, longitude=None)
    assert first_broken_of(phone, digital_access="none") == "reach"
    assert first_broken_of(phone, digital_access="phone") is None
    online = listing("D", delivery=["online"], latitude=None, longitude=None)
    assert first_broken_of(online, digital_access="phone") == "reach"
    both = listing("E", delivery=["in_person", "phone"], latitude=lat, longitude=lon)
    assert first_broken_of(both, location=here, max_distance_km=5, digital_access="phone") is None
    assert first_broken_of(both, location=here, max_distance_km=5, digital_access="none") == "reach"


def test_rule_6_cost():
    assert first_broken_of(listing("A", cost="low_cost"), max_cost="free") == "cost"
    assert first_broken_of(listing("A", cost="low_cost"), max_cost="low_cost") is None
    assert first_broken_of(listing("A", cost=None), max_cost="low_cost") == "cost"  # blank counts as paid
    assert first_broken_of(listing("A", cost="paid"), max_cost="paid") is None


def test_first_rule_broken_is_counted_once_in_contract_order():
    r = listing("A", languages=["pl"], min_age=60, gender="male", cost="paid")
    snap = snap_of([r, listing("B", status="inactive", languages=["pl"])])
    elig = evaluate(snap, parse_profile({"age": 30, "gender": "female", "max_cost": "free"}), None)
    counts = elig.excluded()
    assert list(counts) == list(EXCLUDED_KEYS)
    assert counts == {"language": 1, "age": 0, "gender": 0, "reach": 0, "cost": 0, "inactive": 1}


def test_break_details_say_by_how_much():
    p = parse_profile({"languages": ["ur", "en"], "age": 45, "max_cost": "free", "max_distance_km": 5,
                       "location": {"latitude": HOME[0], "longitude": HOME[1]}, "digital_access": "none"})
    lat, lon = offset(6.2)
    assert break_detail("reach", listing("A", latitude=lat, longitude=lon), p, HOME) == \
        "6.2 km away; you said up to 5 km"
    assert break_detail("language", listing("A", languages=["pl"]), p, HOME) == "Held in Polish; you speak Urdu, English"
    assert break_detail("age", listing("A", min_age=60), p, HOME) == "For ages 60+; you are 45"
    assert break_detail("cost", listing("A", cost="low_cost"), p, HOME) == "Costs money (low cost); you said free only"
    assert break_detail("gender", listing("A", gender="female"), p, HOME) == "Women only"
    online = listing("A", delivery=["online"], latitude=None, longitude=None)
    assert break_detail("reach", online, p, HOME) == "Online only; you have no internet"
    lat, lon = offset(5.02)
    assert break_detail("reach", listing("A", latitude=lat, longitude=lon), p, HOME).startswith("5.02 km away")


# ---- the mask is the contract: property test against the reference ------------------------------
langs = st.sampled_from(["en", "ur", "pl", "sm", "ar"])


@st.composite
def resources(draw, rid):
    delivery = draw(st.lists(st.sampled_from(["in_person", "phone", "online"]), min_size=1, max_size=3, unique=True))
    has_venue = "in_person" in delivery or draw(st.booleans())
    lo = draw(st.none() | st.integers(0, 100))
    hi = draw(st.none() | st.integers(0, 130))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Resource.model_validate(dict(
        id=rid, name="x", description="y", delivery=delivery,
        languages=draw(st.lists(langs, min_size=1, max_size=3, unique=True)),
        interpreter_available=draw(st.booleans()), min_age=lo, max_age=hi,
        gender=draw(st.sampled_from([None, None, "female", "male"])),
        cost=draw(st.sampled_from([None, "free", "low_cost", "paid"])),
        latitude=draw(st.floats(55.6, 56.1)) if has_venue else None,
        longitude=draw(st.floats(-4.6, -3.9)) if has_venue else None,
        wheelchair_accessible=draw(st.sampled_from([None, True, False])),
        status=draw(st.sampled_from(["active", "active", "active", "inactive"])),
    ))


@st.composite
def directories(draw):
    n = draw(st.integers(1, 25))
    return [draw(resources(f"R{i:03d}")) for i in range(n)]


@st.composite
def profiles(draw):
    data = {
        "languages": draw(st.lists(langs, min_size=1, max_size=3, unique=True)),
        "age": draw(st.none() | st.integers(0, 130)),
        "gender": draw(st.sampled_from([None, "female", "male", "other"])),
        "max_distance_km": draw(st.floats(0.1, 40)),
        "digital_access": draw(st.sampled_from(["none", "phone", "online"])),
        "needs_wheelchair_access": draw(st.booleans()),
        "max_cost": draw(st.sampled_from(["free", "low_cost", "paid"])),
    }
    located = draw(st.booleans())
    if located:
        data["location"] = {"latitude": draw(st.floats(55.6, 56.1)), "longitude": draw(st.floats(-4.6, -3.9))}
    return parse_profile(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directories(), profiles())
def test_mask_equals_the_reference_of_section_4(rs, profile):
    point = (profile.location.latitude, profile.location.longitude) if profile.location else None
    if point is not None:  # a venue a hair's breadth from the limit is a floating-point coin toss
        for r in rs:
            if r.latitude is not None:
                assume(abs(reference_distance(point, (r.latitude, r.longitude)) - profile.max_distance_km) > 1e-6)
    elig = check(rs, profile, point)
    counts = elig.excluded()
    assert sum(counts.values()) == int((~elig.eligible).sum())
    assert np.array_equal(elig.near_miss_mask(), elig.ok[0] & ((~elig.ok).sum(axis=0) == 1))


def test_no_python_loop_scales(benchmark_size=20000):
    """A big directory is evaluated in well under a second (columns, not loops)."""
    import time

    base = [listing(f"B{i:05d}", latitude=offset(i % 30)[0]) for i in range(200)]
    snap = snap_of(base * (benchmark_size // 200))
    p = parse_profile({"location": {"latitude": HOME[0], "longitude": HOME[1]}, "age": 50})
    start = time.perf_counter()
    evaluate(snap, p, HOME)
    assert time.perf_counter() - start < 0.2


@pytest.mark.parametrize("languages, eligible", [(["en"], True), (["zu"], False)])
def test_unknown_language_codes_are_just_unmatched(languages, eligible):
    snap = snap_of([listing("A")])
    assert bool(evaluate(snap, parse_profile({"languages": languages}), None).eligible[0]) is eligible


def test_the_radius_test_agrees_with_the_haversine_everywhere():
    """near_mask (dot products on the unit sphere) against the haversine distance, over the globe and
    radii from 0 to half the earth: the same verdict except within a micrometre of the limit."""
    from matcher.constraints import near_mask
    from matcher.geo import haversine_km

    rng = np.random.default_rng(3)
    lats, lons = rng.uniform(-89.9, 89.9, 400), rng.uniform(-180, 180, 400)
    near_home = [offset(i % 40) for i in range(100)]  # and a town's worth around one place
    lats, lons = np.concatenate([lats, [p[0] for p in near_home]]), np.concatenate([lons, [p[1] for p in near_home]])
    rs = [listing(f"G{i:03d}", latitude=float(a), longitude=float(o)) for i, (a, o) in enumerate(zip(lats, lons, strict=True))]
    snap = snap_of(rs)
    for point in [HOME, (0.0, 179.99), (-45.0, -120.0), (89.0, 10.0)]:
        dist = haversine_km(point[0], point[1], lats, lons)
        for km in [0.0, 0.3, 2.5, 10.0, 40.0, 900.0, 12_000.0, 25_000.0]:
            got = near_mask(snap, point, km)
            clear = np.abs(dist - km) > 1e-9
            assert np.array_equal(got[clear], (dist <= km)[clear]), (point, km)
    at_home = snap_of([listing("H", latitude=HOME[0], longitude=HOME[1])])
    assert near_mask(at_home, HOME, 0.0).tolist() == [True]  # the person's own door is within any radius
    phone_only = snap_of([listing("P", delivery=["phone"])])
    assert near_mask(phone_only, HOME, 25_000.0).tolist() == [False]  # no venue is never near
