"""Reasons cite only facts of the listing and the profile; pinned against the data."""

from __future__ import annotations

from geopy.distance import great_circle

from directory.languages import code_for_name, language_name
from matcher.profile import parse_profile
from matcher.reasons import reasons_for

from .matcher_fixtures import HOME, listing, offset


def test_language_names():
    assert language_name("sm") == "Samoan" and language_name("ur") == "Urdu" and language_name("pl") == "Polish"
    assert code_for_name("Urdu") == "ur" and code_for_name("farsi") == "fa" and code_for_name("Klingon") is None


def test_needs_language_cost_access_schedule():
    r = listing("A", domains=["social_relationships", "money"], languages=["sm", "en"], cost="free",
                wheelchair_accessible=True, schedule="Tuesdays 10:00-12:00")
    p = parse_profile({"needs": {"social_relationships": 2, "money": 3}, "languages": ["sm", "en"]})
    why = reasons_for(r, p, r.domains, False, 1.26)
    assert why == ["Meets your top need: social relationships", "Also helps with money",
                   "Held in Samoan and English", "1.3 km away", "Free", "Wheelchair accessible",
                   "Tuesdays 10:00-12:00"]


def test_nothing_claimed_that_the_data_does_not_say():
    r = listing("A", cost=None, wheelchair_accessible=None, schedule="", domains=[])
    p = parse_profile({"needs": {"money": 2}})
    why = reasons_for(r, p, [], False, None)
    assert "Cost not stated" in why and "Paid" not in why and "Free" not in why
    assert not any("heelchair" in w for w in why)
    assert not any("money" in w for w in why)


def test_interpreter_and_remote_delivery():
    r = listing("A", languages=["en"], interpreter_available=True, delivery=["phone", "online"],
                latitude=None, longitude=None, wheelchair_accessible=None, cost="low_cost")
    p = parse_profile({"languages": ["ur"], "digital_access": "phone"})
    why = reasons_for(r, p, [], False, None)
    assert "An interpreter is available" in why and "By phone" in why and "Online" not in why
    assert "Low cost" in why


def test_inferred_domains_are_worded_as_inferred():
    r = listing("A", domains=[])
    p = parse_profile({"needs": {"money": 3}})
    assert reasons_for(r, p, ["money"], True, None)[0] == \
        "Its description suggests help with money"
    assert not any("/10" in w for w in reasons_for(listing("B", domains=["money"]), p, ["money"], False, None))


def test_recommended_reasons_match_listing_facts(small_recommender):
    p = parse_profile({"needs": {"lifestyle": 2, "social_relationships": 3}, "languages": ["ur", "en"],
                       "gender": "female", "age": 50, "location": {"latitude": HOME[0], "longitude": HOME[1]},
                       "max_distance_km": 5})
    recs = small_recommender.recommend(p, top_k=12)
    by_id = {r.id: r for r in recs.results}
    urdu = by_id["L03"]
    assert "Held in Urdu" in urdu.reasons
    km = great_circle(HOME, (urdu.resource.latitude, urdu.resource.longitude)).km
    assert f"{km:.1f} km away" in urdu.reasons and urdu.distance_km == round(km, 1)
    for r in recs.results:
        cost = {"free": "Free", "low_cost": "Low cost", "paid": "Paid", None: "Cost not stated"}[r.resource.cost]
        assert cost in r.reasons
        if "Wheelchair accessible" in r.reasons:
            assert r.resource.wheelchair_accessible is True
        for reason in r.reasons:
            if reason.startswith("Held in "):
                for name in reason.removeprefix("Held in ").split(" and "):
                    assert code_for_name(name) in r.resource.languages



def test_venue_access_is_not_offered_for_a_venue_out_of_reach():
    lat, lon = offset(8.0)
    r = listing("A", delivery=["in_person", "phone"], latitude=lat, longitude=lon, wheelchair_accessible=True)
    p = parse_profile({"digital_access": "phone", "max_distance_km": 5})
    why = reasons_for(r, p, [], False, 8.0)
    assert "By phone" in why and "Wheelchair accessible" not in why and not any("km away" in w for w in why)


def test_a_reason_quotes_the_evidence_on_both_sides():
    """The kind of help the person asked for in their own words, quoted from the listing and from them."""
    from matcher.support_types import types_from_profile

    carers = listing("C1", name="Carers' Centre", domains=["social_relationships"],
                     description="Support for carers of people with dementia: a cuppa, advice and a break.")
    p = parse_profile({"needs": {"social_relationships": 2},
                       "goals": "I look after my mum, who has dementia, and I am exhausted."})
    why = reasons_for(carers, p, ["social_relationships"], False, 1.2, True, types_from_profile(p))
    said = [w for w in why if "you said" in w]
    assert said == ["Support for carers of people with dementia: you said “look after my mum, who has dementia”"]
    offer, quote = said[0].split(": you said ")
    assert offer in carers.description and quote.strip("“”") in p.goals  # both sides verbatim
    # a job club shares words with nothing the person said: no such reason
    jobs = listing("J1", name="Job Club", description="Help with CVs and applications.", domains=["work_volunteering"])
    assert not any("you said" in w for w in reasons_for(jobs, p, [], False, 1.2, True, types_from_profile(p)))


def test_a_condition_is_a_reason_where_the_listing_names_it():
    p = parse_profile({"needs": {"managing_symptoms": 2}, "conditions": ["COPD"]})
    choir = listing("B1", name="Breathe Easy Choir", description="Singing for lung health, for people with COPD.",
                    domains=["managing_symptoms"])
    assert "For people with COPD: you live with COPD" in reasons_for(choir, p, ["managing_symptoms"], False, 0.4)
    walk = listing("W1", name="Health Walk", description="A gentle walk.", domains=["lifestyle"])
    assert not any("you live with" in w for w in reasons_for(walk, p, [], False, 0.4))
