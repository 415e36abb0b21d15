"""The mapping of docs/hsds.md, field by field: the 3.0 examples with their venue put somewhere real,
HSDS 1.1, and the rules one by one (directory/hsds/mapping.py, wording.py, places.py, schedules.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from directory import hsds

from .hsds_helpers import (
    COUNSELLING,
    EXPECTED_COUNSELLING,
    LAT,
    LOC_1_1,
    LON,
    NEVER_HOMELESS,
    ORG_1_1,
    SANCTUARY_LOCATION,
    V1,
    V3,
    example,
    fields,
    issues_of,
    located,
    parse,
    parse_issues,
    real_coordinates,
    rewrite_csv,
    service,
    venue,
    write_package,
)


# ---- the 3.0 examples, with the venue put somewhere real: every field of the mapping ---------------
def test_service_full_maps_every_field(tmp_path):
    path = tmp_path / "service_full.json"
    path.write_text(json.dumps(real_coordinates(example("service_full.json"))), encoding="utf-8")
    (r,) = got = hsds.read_json(path)
    assert fields(r, EXPECTED_COUNSELLING) == EXPECTED_COUNSELLING
    assert r.description.endswith("difficult life events and circumstances.")
    assert r.domains == []  # left for the system to infer
    assert got.warnings == []


@pytest.mark.parametrize("name", ["organization_full.json", "service_at_location_full.json"])
def test_organization_and_service_at_location_give_the_same_listing(name):
    (r,) = parse(real_coordinates(example(name)))
    assert fields(r, EXPECTED_COUNSELLING) == EXPECTED_COUNSELLING


def test_service_at_location_list_page():
    (r,) = parse(real_coordinates(example("service_at_location_list.json")))
    assert (r.id, r.delivery, r.latitude, r.longitude) == (COUNSELLING, ["in_person"], LAT, LON)
    assert r.address == "" and r.languages == ["en"]  # the page's location carries no address or languages


def counselling_from_tables(r):
    # In the tabular examples the attribute is linked to no service (link_id f28dd44b...): no category.
    return fields(r, EXPECTED_COUNSELLING) == {**EXPECTED_COUNSELLING, "categories": []}


def test_tabular_json_reads_like_the_datapackage():
    (r,) = parse(real_coordinates(example("tabular.json")))
    assert counselling_from_tables(r)


def test_3_0_csv_datapackage_maps_every_field(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(V3 / "csv", folder)
    rewrite_csv(folder / "locations.csv", lambda row: {**row, "latitude": str(LAT), "longitude": str(LON)})
    (r,) = hsds.read_datapackage(folder)
    assert counselling_from_tables(r)


# ---- HSDS 1.1 -----------------------------------------------------------------------------------
def placed_1_1(tmp_path, name: str) -> Path:
    """The sample as its publisher would send it again once the Sanctuary office has coordinates."""
    folder = tmp_path / name
    shutil.copytree(V1 / name, folder)
    rewrite_csv(folder / "locations.csv", lambda row: {**row, "latitude": "40.7506", "longitude": "-73.9971"}
                if row["id"] == SANCTUARY_LOCATION else row)
    return folder


def test_1_1_venue_placed_by_its_publisher_is_active_again(tmp_path):
    got = hsds.read_datapackage(placed_1_1(tmp_path, "all_resources"))
    r = {r.id: r for r in got}[NEVER_HOMELESS]
    assert (r.status, r.delivery, r.latitude, r.longitude) == ("active", ["in_person"], 40.7506, -73.9971)
    assert (r.address, r.postcode) == ("Address 1, Address 2, New York City", "10001")
    assert len(got.warnings) == 11 and not any("Never Homeless" in w.message for w in got.warnings)




def test_1_1_eligibility_text_gives_ages_and_gender_conservatively(tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "organizations.csv": ORG_1_1, "locations.csv": LOC_1_1,
        "services.csv": "id,organization_id,name,description,status,fees\n"
                        "A,O1,Tea dance,Dancing,active,£2 per session\n"
                        "B,O1,Knit and natter,Knitting,active,\n"
                        "C,O1,Youth club,Games,defunct,free\n",
        "services_at_location.csv": "id,service_id,location_id\nX1,A,L1\nX2,B,L1\nX3,C,L1\n",
        "eligibility.csv": "id,service_id,eligibility\nE1,A,seniors 55+\nE2,B,female\nE3,C,aged 11-18\n"
                           "E4,B,adult\n",
    })
    res = {r.id: r for r in hsds.read_datapackage(folder)}
    assert (res["A"].min_age, res["A"].max_age, res["A"].cost) == (55, None, "low_cost")
    assert (res["B"].min_age, res["B"].gender, res["B"].cost) == (None, "female", None)
    assert (res["C"].min_age, res["C"].max_age, res["C"].status, res["C"].cost) == (11, 18, "inactive", "free")


def test_1_1_eligibility_ages_out_of_order_name_the_eligibility_row(tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "organizations.csv": ORG_1_1, "locations.csv": LOC_1_1,
        "services.csv": "id,organization_id,name,description,status\nA,O1,Tea dance,Dancing,active\n",
        "services_at_location.csv": "id,service_id,location_id\nX1,A,L1\n",
        "eligibility.csv": "id,service_id,eligibility\nE1,A,aged 65-18\n",
    })
    issues = issues_of(hsds.read_datapackage, folder)
    assert located(issues) == {("eligibility.csv row 2", "eligibility")}
    assert "min_age 65 is greater than max_age 18" in issues[0].message


# ---- the mapping rules, one by one --------------------------------------------------------------
def test_languages_are_normalised_to_iso_639_1():
    (r,) = parse(service(phones=[{"id": "P", "number": "0141 000 0000"}], languages=[
        {"code": "en-GB"}, {"name": "Polish"}, {"code": "pol"}, {"code": "urd"}, {"name": "Farsi"}]))
    assert r.languages == ["en", "pl", "ur", "fa"]


def test_location_languages_count_for_in_person_listings():
    (r,) = parse(service(languages=[{"code": "en"}], service_at_locations=[venue(languages=[{"code": "ar"}])]))
    assert r.languages == ["en", "ar"]


def test_unknown_language_is_an_issue_not_a_guess():
    issues = parse_issues([service(url="https://example.org", languages=[{"name": "Klingon"}])])
    assert located(issues) == {("services[0].languages[0]", "name")}
    assert "'Klingon' is not a language Signpost knows" in issues[0].message


@pytest.mark.parametrize("fields, gender", [
    ({"attributes": [{"id": "A", "taxonomy_term": {"id": "T", "code": "women-only", "name": "Women only"}}]}, "female"),
    ({"attributes": [{"id": "A", "taxonomy_term": {"id": "T", "name": "Female only"}}]}, "female"),
    ({"eligibility_description": "This group is men only."}, "male"),
    ({"eligibility_description": "Separate women-only and men-only sessions."}, None),
    ({"eligibility_description": "For women and men of all ages."}, None),
])
def test_gender_convention(fields, gender):
    (r,) = parse(service(url="https://example.org", **fields))
    assert r.gender == gender
    assert "Women only" not in r.categories and "Female only" not in r.categories


@pytest.mark.parametrize("fields, delivery", [
    ({"phones": [{"id": "P", "number": "0141 000 0000"}]}, ["phone"]),
    ({"url": "https://example.org/join"}, ["online"]),
    ({"phones": [{"id": "P", "number": "0141 000 0000"}], "url": "https://example.org"}, ["phone"]),
    ({"service_at_locations": [{"id": "V", "location": {"id": "VL", "location_type": "virtual",
                                                         "url": "https://meet.example.org"}}]}, ["online"]),
    ({"service_at_locations": [venue()], "phones": [{"id": "P", "number": "0141 000 0000"}],
      "url": "https://example.org"}, ["in_person"]),
    ({"application_process": "Call us to book a place.",
      "organization": {"id": "O", "name": "Org", "description": "d", "phones": [{"id": "P", "number": "0800 1"}]}},
     ["phone"]),
])
def test_delivery_rules(fields, delivery):
    (r,) = parse(service(**fields))
    assert r.delivery == delivery


def test_an_organizations_switchboard_does_not_make_a_service_a_phone_service():
    doc = service(organization={"id": "O", "name": "Org", "description": "d",
                                "phones": [{"id": "P", "number": "0800 1"}]})
    issues = parse_issues(doc)
    assert located(issues) == {("service", "service_at_locations")}
    assert issues[0].message.startswith("cannot tell how 'Lunch club' is delivered")


def test_fax_numbers_are_not_phones():
    issues = parse_issues(service(phones=[{"id": "P", "number": "0141 1", "type": "fax"}]))
    assert located(issues) == {("service", "service_at_locations")}


def test_a_service_at_several_places_gives_one_listing_per_place():
    doc = service(id="S9", service_at_locations=[
        venue(55.1, -4.1, "SAL-A", addresses=[{"id": "AD", "address_1": "1 High St", "city": "Govan",
                                               "postal_code": "G51 1AA", "address_type": "physical"}]),
        venue(55.2, -4.2, "SAL-B"),
        {"id": "SAL-C", "location": {"id": "ONLINE", "location_type": "virtual"}},
    ])
    first = parse(doc)
    assert [(r.id, r.latitude, r.delivery) for r in first] == [
        ("S9", 55.1, ["in_person", "online"]), ("S9:SAL-B", 55.2, ["in_person", "online"])]
    assert (first[0].address, first[0].postcode, first[1].address) == ("1 High St, Govan", "G51 1AA", "")
    assert parse(doc) == first  # re-import: the same ids


def test_service_at_locations_of_one_service_are_gathered():
    sal = example("service_at_location_full.json")
    other = json.loads(json.dumps(sal))
    other["id"], other["location"]["id"] = "second-place", "second-location"
    other["location"]["latitude"], other["location"]["longitude"] = 55.9, -4.3
    listings = parse(real_coordinates([sal, other]))
    assert [(r.id, r.latitude) for r in listings] == [(COUNSELLING, LAT), (f"{COUNSELLING}:second-place", 55.9)]


@pytest.mark.parametrize("fields, cost", [
    ({"cost_options": [{"id": "C", "amount": 0, "currency": "GBP"}]}, "free"),
    ({"cost_options": [{"id": "C", "amount": 3, "currency": "GBP"}]}, "low_cost"),
    ({"cost_options": [{"id": "C", "amount": 0}, {"id": "D", "amount": 12}]}, "paid"),
    ({"fees_description": "Free of charge"}, "free"),
    ({"fees_description": "Free for members, £3 otherwise"}, "low_cost"),
    ({"fees_description": "Pay as you feel"}, "low_cost"),
    ({"fees_description": "£50 per hour"}, "paid"),
    ({"fees_description": "50 GBP a term"}, "paid"),
    ({"fees_description": "Tea 50p"}, "low_cost"),
    ({"fees": "No charge"}, "free"),
    ({}, None),
])
def test_cost_levels(fields, cost):
    (r,) = parse(service(url="https://example.org", **fields))
    assert r.cost == cost


@pytest.mark.parametrize("text, wheelchair", [
    ("Not wheelchair accessible: the hall is up two flights of stairs.", False),
    ("Step-free access from the car park.", True),
    ("There is no step-free access.", False),
    ("Induction loop at reception.", None),
])
def test_wheelchair_access_from_accessibility_text(text, wheelchair):
    (r,) = parse(service(service_at_locations=[venue(accessibility=[{"id": "AC", "description": text}])]))
    assert r.wheelchair_accessible is wheelchair


@pytest.mark.parametrize("schedules, text", [
    ([{"id": "1", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00:00"}], "Mon-Fri 09:00-17:00"),
    ([{"id": "1", "freq": "WEEKLY", "interval": 2, "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}],
     "Fortnightly Tue 10:00-12:00"),
    ([{"id": "1", "freq": "MONTHLY", "byday": "1MO", "opens_at": "18:00", "closes_at": "20:00"}], "1st Mon 18:00-20:00"),
    ([{"id": "1", "description": "Term time only, ask at reception"}], "Term time only, ask at reception"),
])
def test_schedule_text(schedules, text):
    (r,) = parse(service(url="https://example.org", schedules=schedules))
    assert r.schedule == text


def test_unknown_status_is_one_issue():
    issues = parse_issues(service(url="https://example.org", status="open"))
    assert [(i.row, i.column) for i in issues] == [("service", "status")]


@pytest.mark.parametrize("status, expected", [("defunct", "inactive"), ("temporarily closed", "inactive"),
                                              ("inactive", "inactive"), ("active", "active")])
def test_status(status, expected):
    (r,) = parse(service(url="https://example.org", status=status))
    assert r.status == expected


def test_description_falls_back_to_the_organization_and_is_otherwise_required():
    org = {"id": "O", "name": "Org", "description": "Org helps people."}
    (r,) = parse(service(url="https://example.org", description="", organization=org))
    assert r.description == "Org helps people."
    issues = parse_issues(service(url="https://example.org", description=""))
    assert located(issues) == {("service", "description")}
