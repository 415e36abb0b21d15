"""The recommender end to end: no result ever breaks a rule; near misses apart; PostgreSQL too."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.records import DOMAINS, InputError, Resource
from directory.store import Store
from matcher.profile import parse_profile
from matcher.recommender import Recommender

from .matcher_fixtures import GAZETTEER, HOME, listing, offset
from .reference import reference_distance, reference_first_broken

WORDS = ["walking group", "benefits advice", "choir", "befriending", "food bank", "yoga", "debt help",
         "housing repairs", "mindfulness", "diabetes education", "volunteering", "lunch club"]


def random_directory(n: int, seed: int = 7) -> list[Resource]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        delivery = rng.sample(["in_person", "phone", "online"], rng.randint(1, 2))
        venue = offset(rng.uniform(-8, 8), rng.uniform(-8, 8)) if "in_person" in delivery else (None, None)
        lo = rng.choice([None, None, 16, 50, 60])
        out.append(listing(
            f"Q{i:03d}", name=f"{rng.choice(WORDS).title()} {i}",
            description=f"A {rng.choice(WORDS)} and {rng.choice(WORDS)} for local people.",
            domains=rng.sample(["lifestyle", "money", "social_relationships", "mental_wellbeing", "self_care"],
                               rng.randint(0, 2)),
            languages=rng.sample(["en", "ur", "pl", "sm"], rng.randint(1, 2)),
            interpreter_available=rng.random() < 0.2, min_age=lo,
            max_age=rng.choice([None, None, 80] + ([25] if lo is None or lo <= 25 else [])),
            gender=rng.choice([None, None, None, "female", "male"]), delivery=delivery,
            cost=rng.choice([None, "free", "free", "low_cost", "paid"]), latitude=venue[0], longitude=venue[1],
            wheelchair_accessible=rng.choice([None, True, False]), status="inactive" if rng.random() < 0.1 else "active",
        ))
    return out


@pytest.fixture(scope="module")
def random_recommender(tmp_path_factory, embedder):
    base = tmp_path_factory.mktemp("rand")
    with Store(str(base / "s.db")) as store:
        store.import_resources(random_directory(150))
    rec = Recommender.open(str(base / "s.db"), index_dir=base / "ix", embedder=embedder)
    yield rec
    rec.close()


@st.composite
def profiles(draw):
    data = {
        "needs": draw(st.dictionaries(st.sampled_from(["lifestyle", "money", "social_relationships",
                                                       "mental_wellbeing"]), st.integers(1, 10), max_size=3)),
        "goals": draw(st.sampled_from(["", "I want to get out more", "Money is tight", "I feel low"])),
        "languages": draw(st.lists(st.sampled_from(["en", "ur", "pl", "sm"]), min_size=1, max_size=2, unique=True)),
        "age": draw(st.none() | st.integers(18, 95)),
        "gender": draw(st.sampled_from([None, "female", "male", "other"])),
        "max_distance_km": draw(st.floats(0.5, 10)),
        "digital_access": draw(st.sampled_from(["none", "phone", "online"])),
        "needs_wheelchair_access": draw(st.booleans()),
        "max_cost": draw(st.sampled_from(["free", "low_cost", "paid"])),
    }
    if draw(st.booleans()):
        lat, lon = offset(draw(st.floats(-5, 5)), draw(st.floats(-5, 5)))
        data["location"] = {"latitude": lat, "longitude": lon}
    return parse_profile(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(profile=profiles(), top_k=st.integers(1, 15))
def test_no_result_ever_breaks_a_rule(random_recommender, profile, top_k):
    recs = random_recommender.recommend(profile, top_k=top_k)
    point = recs.location
    assert len(recs.results) <= top_k
    assert [r.rank for r in recs.results] == list(range(1, len(recs.results) + 1))
    for r in recs.results:
        if point is not None and r.resource.latitude is not None:
            margin = abs(reference_distance(point, (r.resource.latitude, r.resource.longitude)) - profile.max_distance_km)
            if margin < 1e-6:
                continue
        assert reference_first_broken(r.resource, profile, point) is None, r.id
    ids = {r.id for r in recs.results}
    assert len(ids) == len(recs.results)
    # Contract section 5: a listing that serves none of the rated needs is not an option, however close.
    rated = {d for d, r in profile.needs.items() if r < 10}
    seen = random_recommender.listing_domains()
    passing = {rid for rid, (doms, _) in seen.items()
               if reference_first_broken(random_recommender.store.get(rid).resource, profile, point) is None}
    serving = {rid for rid in passing if not rated or rated & set(seen[rid][0])}
    for r in recs.results:
        assert not rated or set(r.needs_met) == rated & set(r.domains) and r.needs_met, r.id
    assert len(recs.results) == min(top_k, len(serving))
    met = {d for r in recs.results for d in r.needs_met}
    assert recs.unmet_needs == [d for d in sorted(rated, key=lambda d: (profile.needs[d], DOMAINS.index(d)))
                                if d not in met]
    if top_k >= len(rated):  # room for every need: then unmet means no allowed listing serves it
        for d in recs.unmet_needs:
            assert not any(d in seen[rid][0] for rid in passing), d
    if len(recs.results) < top_k:
        for m in recs.near_misses:
            assert m.id not in ids
            assert reference_first_broken(m.resource, profile, point) == m.broken != "inactive"
    else:
        assert recs.near_misses == []


def test_near_misses_say_which_rule_and_by_how_much(small_recommender):
    p = parse_profile({"id": "P9", "needs": {"social_relationships": 1}, "languages": ["en"], "age": 45,
                       "gender": "male", "location": {"latitude": HOME[0], "longitude": HOME[1]},
                       "max_distance_km": 5, "max_cost": "free", "digital_access": "none"})
    recs = small_recommender.recommend(p, top_k=10)
    assert recs.profile_id == "P9"
    ids = {r.id for r in recs.results}
    assert ids == {"L01"}  # the food bank (L11) passes every rule but serves no rated need (contract section 5)
    assert recs.unmet_needs == [] and recs.results[0].needs_met == ["social_relationships"]
    assert recs.excluded == {"language": 2, "age": 1, "gender": 0, "reach": 4, "cost": 2, "inactive": 1}
    misses = {m.id: m for m in recs.near_misses}
    assert len(misses) == 3 and not ids & set(misses)
    details = {m.broken: m.detail for m in recs.near_misses}
    for m in recs.near_misses:
        assert m.detail
    assert any(d.startswith("Held in Polish") or d.endswith("you are 45") or "km away; you said up to 5 km" in d
               or d.startswith("Costs money") for d in details.values())


def test_to_json_is_the_contract_shape(small_recommender):
    recs = small_recommender.recommend({"needs": {"money": 2}}, top_k=3)
    out = recs.to_json()
    assert list(out) == ["profile_id", "results", "unmet_needs", "excluded", "near_misses"]
    assert list(out["results"][0]) == ["id", "rank", "score", "name", "distance_km", "domains", "needs_met",
                                       "delivery", "reasons"]
    assert list(out["excluded"]) == ["language", "age", "gender", "reach", "cost", "inactive"]
    assert out["results"][0]["id"] == "L02"  # the benefits line for a money need


def test_several_needs_are_each_served(small_recommender):
    recs = small_recommender.recommend({"needs": {"money": 2, "mental_wellbeing": 2, "social_relationships": 3},
                                        "age": 40, "gender": "female"}, top_k=4)
    served = {d for r in recs.results for d in r.domains}
    assert {"money", "mental_wellbeing", "social_relationships"} <= served


def test_unknown_place_is_an_error_not_no_location(small_recommender):
    with pytest.raises(InputError) as err:
        small_recommender.recommend({"location": {"place": "Atlantis"}})
    assert err.value.issues[0].column == "location"
    recs = small_recommender.recommend({"location": {"place": "Govan"}})
    assert recs.location == (55.8617, -4.3086)


def test_gp_preview_infers_needs_from_text(small_recommender):
    recs = small_recommender.preview("struggling with debt and benefits", "G1", ["en"])
    assert recs.results and recs.results[0].id == "L02"
    assert recs.location == GAZETTEER.postcode("G1")
    assert not any("you scored" in w for r in recs.results for w in r.reasons)


def test_refresh_sees_curator_changes(small_store, small_recommender):
    rec = small_recommender
    assert rec.refresh() is False
    old = small_store.get("L02")
    small_store.retire("L02", old.version)
    assert rec.refresh() is True
    assert "L02" not in {r.id for r in rec.recommend({"needs": {"money": 2}}, top_k=10).results}
    assert rec.recommend({}, top_k=20).excluded["inactive"] == 2


def test_progress_callback_for_a_ui(tmp_path, embedder):
    with Store(str(tmp_path / "s.db")) as store:
        store.import_resources(random_directory(40, seed=3))
    calls = []
    rec = Recommender.open(str(tmp_path / "s.db"), index_dir=tmp_path / "ix", embedder=embedder)
    with Store(str(tmp_path / "s.db")) as store:
        store.import_resources(random_directory(80, seed=4))
    update = rec.update_index(progress=lambda done, total: calls.append((done, total)))
    assert update.embedded > 0 and calls[-1] == (update.embedded, update.embedded)
