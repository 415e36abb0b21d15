"""Venues that are not placed (directory/hsds/places.py): kept, inactive, warned."""

from __future__ import annotations

import pytest

from directory import hsds

from .conftest import make_resource
from .hsds_helpers import (
    located,
    parse,
    parse_issues,
    service,
    venue,
)

# ---- venues that are not placed: kept, inactive, warned -----------------------------------------
ADDRESS = {"id": "AD", "address_1": "1 High St", "city": "Govan", "postal_code": "G51 1AA", "address_type": "physical"}


def parse_with_warnings(doc):
    got = parse(doc)
    return list(got), [(w.row, w.column, w.message) for w in got.warnings]


@pytest.mark.parametrize("lat, lon, column, reason", [
    (100, 101, "latitude", "100 is not a latitude (-90 to 90)"),
    (55.8, 200, "longitude", "200 is not a longitude (-180 to 180)"),
    (-91, 181, "latitude", "-91 is not a latitude (-90 to 90); 181 is not a longitude (-180 to 180)"),
    (55.8, None, "longitude", "latitude 55.8 is given without a longitude"),
    (None, None, "latitude", "location 'Hall' has an address but no latitude and longitude"),
])
def test_a_venue_without_usable_coordinates_is_imported_inactive_with_a_warning(lat, lon, column, reason):
    doc = service(languages=[{"code": "en"}], service_at_locations=[
        venue(lat, lon, name="Hall", addresses=[ADDRESS], languages=[{"code": "pl"}],
              accessibility=[{"id": "AC", "description": "Step-free access"}])])
    (r,), warnings = parse_with_warnings(doc)
    assert (r.status, r.delivery, r.latitude, r.longitude) == ("inactive", ["in_person"], None, None)
    assert (r.address, r.postcode, r.wheelchair_accessible, r.languages) == (
        "1 High St, Govan", "G51 1AA", True, ["en", "pl"])  # everything else is kept
    assert warnings == [("service.service_at_locations[0].location", column,
                         f"{reason}; 'Lunch club' is imported as inactive until a curator places the venue")]


def test_a_location_that_is_only_a_name_is_still_where_the_service_meets():
    (r,), warnings = parse_with_warnings(service(service_at_locations=[
        {"id": "SAL1", "location": {"id": "L1", "location_type": "physical", "name": "Church hall"}}]))
    assert (r.status, r.delivery) == ("inactive", ["in_person"])
    assert warnings[0][2].startswith("location 'Church hall' has no latitude and longitude; 'Lunch club' is imported")


def test_a_service_the_file_marks_inactive_is_warned_differently():
    (r,), warnings = parse_with_warnings(service(status="defunct", service_at_locations=[venue(100, 101)]))
    assert r.status == "inactive"
    assert warnings[0][2] == ("100 is not a latitude (-90 to 90); 'Lunch club' is inactive (as the file says); a "
                              "curator must place the venue before reactivating it")


def test_placed_and_unplaced_places_of_one_service_keep_their_ids_in_file_order():
    doc = service(id="S9", service_at_locations=[venue(100, 101, "SAL-A"), venue(55.2, -4.2, "SAL-B")])
    listings, warnings = parse_with_warnings(doc)
    assert [(r.id, r.status, r.latitude) for r in listings] == [("S9", "inactive", None), ("S9:SAL-B", "active", 55.2)]
    assert [w[0] for w in warnings] == ["service.service_at_locations[0].location"]


def test_in_person_by_signposts_convention_without_a_location_is_inactive():
    delivery = {"id": "A", "taxonomy_term": {"id": "T", "code": "in_person", "taxonomy": "signpost_delivery"}}
    (r,), warnings = parse_with_warnings(service(attributes=[delivery]))
    assert (r.status, r.delivery, r.latitude) == ("inactive", ["in_person"], None)
    assert warnings == [("service", "service_at_locations", "says it meets in person but has no physical location; "
                         "'Lunch club' is imported as inactive until a curator places the venue")]


def test_bad_coordinates_of_a_listing_that_does_not_meet_in_person_are_left_out():
    delivery = {"id": "A", "taxonomy_term": {"id": "T", "code": "phone", "taxonomy": "signpost_delivery"}}
    (r,), warnings = parse_with_warnings(service(attributes=[delivery], phones=[{"id": "P", "number": "0141 1"}],
                                                 service_at_locations=[venue(100, 101, addresses=[ADDRESS])]))
    assert (r.status, r.delivery, r.latitude, r.address) == ("active", ["phone"], None, "1 High St, Govan")
    assert warnings == [("service.service_at_locations[0].location", "latitude", "100 is not a latitude (-90 to 90); "
                         "the coordinates are left out of 'Lunch club', which does not meet in person")]


def test_coordinates_that_are_not_numbers_remain_an_error():
    issues = parse_issues(service(service_at_locations=[venue("north", -4.2)]))
    assert [(i.row, i.column, i.message) for i in issues] == [
        ("service.service_at_locations[0].location", "latitude", "'north' is not a number")]


def test_a_file_with_errors_imports_nothing_and_its_warnings_do_not_matter():
    issues = parse_issues([service(service_at_locations=[venue(100, 101)]), service(id="S2", name="", url="https://x.org")])
    assert located(issues) == {("services[1]", "name")}


def test_an_unplaced_listing_exports_as_a_location_without_coordinates_and_reads_back():
    (r,) = parse(service(service_at_locations=[venue(100, 101, addresses=[ADDRESS])]))
    exported = hsds.to_hsds([r])
    location = exported[0]["service_at_locations"][0]["location"]
    assert location["location_type"] == "physical" and "latitude" not in location
    assert hsds.validate_hsds(exported) == []
    again = parse(exported)
    assert again == [r]  # inactive now in the file too, and still unplaced:
    assert again.warnings[0].message.endswith("is inactive (as the file says); a curator must place the venue before "
                                              "reactivating it")
    bare = make_resource("R1", status="inactive", latitude=None, longitude=None, wheelchair_accessible=None)
    assert parse(hsds.to_hsds([bare])) == [bare]  # not even an address: still a place, still unplaced
