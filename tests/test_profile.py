"""Contract section 3: the needs profile, its defaults, its ranges, and errors that name the field."""

from __future__ import annotations

import json

import pytest

from directory.records import DOMAINS, InputError
from matcher.profile import NeedsProfile, parse_profile

from .conftest import SHARED


def fields_of(err: InputError) -> list[str | None]:
    return [i.column for i in err.issues]


def test_the_contract_example_parses():
    data = json.loads((SHARED / "contracts" / "example-profile.json").read_text())
    p = parse_profile(data)
    assert p.needs == {"social_relationships": 2, "lifestyle": 4, "money": 3}
    assert p.location.latitude == 55.8642 and p.max_distance_km == 4
    assert p.digital_access == "phone" and p.max_cost == "free" and p.gender == "male"


def test_defaults_are_the_contracts():
    p = parse_profile({})
    assert p.id is None and p.needs == {} and p.goals == "" and p.conditions == []
    assert p.languages == ["en"] and p.age is None and p.gender is None and p.location is None
    assert p.max_distance_km == 5 and p.digital_access == "online"
    assert p.needs_wheelchair_access is False and p.max_cost == "paid"


@pytest.mark.parametrize("data, field", [
    ({"needs": {"lifestyle": 0}}, "needs.lifestyle"),
    ({"needs": {"money": 11}}, "needs.money"),
    ({"needs": {"money": 2.5}}, "needs.money"),
    ({"needs": {"money": True}}, "needs.money"),
    ({"needs": {"happiness": 3}}, "needs.happiness"),
    ({"age": -1}, "age"),
    ({"age": 131}, "age"),
    ({"age": "sixty"}, "age"),
    ({"gender": "f"}, "gender"),
    ({"languages": ["english"]}, "languages"),
    ({"languages": ["xx"]}, "languages"),
    ({"max_distance_km": 0}, "max_distance_km"),
    ({"max_distance_km": -3}, "max_distance_km"),
    ({"digital_access": "email"}, "digital_access"),
    ({"max_cost": "cheap"}, "max_cost"),
    ({"needs_wheelchair_access": "maybe"}, "needs_wheelchair_access"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
    ({"location": {"postcode": "G51", "place": "Govan"}}, "location"),
    ({"location": {"latitude": 55.8}}, "location"),
    ({"location": {"latitude": 95, "longitude": 0}}, "location"),
    ({"location": {"town": "Govan"}}, "location"),
    ({"location": "Govan"}, "location"),
])
def test_bad_values_name_the_field(data, field):
    with pytest.raises(InputError) as err:
        parse_profile(data)
    assert field in fields_of(err.value)


def test_every_domain_and_reading_is_accepted():
    p = parse_profile({"needs": {d: i + 1 for i, d in enumerate(DOMAINS)}})
    assert set(p.needs) == set(DOMAINS)
    assert parse_profile({"needs": {"money": 10}}).needs == {"money": 10}


def test_location_forms():
    assert parse_profile({"location": {"postcode": "G51 3AB"}}).location.postcode == "G51 3AB"
    assert parse_profile({"location": {"place": "Govan"}}).location.place == "Govan"
    assert parse_profile({"location": {"latitude": 55.9, "longitude": -4.3}}).location.longitude == -4.3


def test_all_problems_are_reported_at_once():
    with pytest.raises(InputError) as err:
        parse_profile({"age": 200, "max_cost": "x", "extra": 1})
    assert set(fields_of(err.value)) == {"age", "max_cost", "extra"}


def test_errors_do_not_repeat_what_the_person_entered():
    with pytest.raises(InputError) as err:
        parse_profile({"age": 129.5, "gender": "secret-value"})
    assert "secret-value" not in str(err.value) and "129.5" not in str(err.value)


def test_not_an_object():
    with pytest.raises(InputError):
        parse_profile(["a", "list"])


def test_need_weights_favour_low_readings():
    p = parse_profile({"needs": {"money": 1, "lifestyle": 10, "self_care": 5}})
    w = p.need_weights()
    assert w["money"] == 1 and w["lifestyle"] == 0 and 0 < w["self_care"] < 1
    assert [d for d, _ in p.needs_by_priority()] == ["money", "self_care", "lifestyle"]
    assert isinstance(p, NeedsProfile)
