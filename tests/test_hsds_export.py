"""HSDS 3.0 export (directory/hsds/export.py, schema.py): schema-valid, deterministic, and an exact
export -> import round trip."""

from __future__ import annotations

import json
import re

import pytest

from directory import csv_io, hsds, importer

from .conftest import make_resource
from .hsds_helpers import (
    CONTRACT_CSV,
    COUNSELLING,
    SCHEMAS,
    V1,
    V3,
    YOUNG_MINDS,
    example,
    parse,
    real_coordinates,
    zipped,
)


# ---- export ---------------------------------------------------------------------------------------
def contract_listings():
    return csv_io.read_csv(CONTRACT_CSV)


def test_export_validates_against_the_hsds_3_0_schemas():
    objects = hsds.to_hsds(contract_listings())
    assert hsds.validate_hsds(objects) == []
    # HSDS asks for UUID ids; the curator's ids are kept (EX01), every nested id is a UUID.
    assert hsds.validate_hsds(objects, strict_ids=True) == [
        f"services[{i}].id: 'EX0{i + 1}' is not a 'uuid'" for i in range(5)]


def test_export_of_hsds_listings_is_strictly_valid():
    listings = parse(real_coordinates(example("service_full.json")))
    assert hsds.validate_hsds(hsds.to_hsds(listings), strict_ids=True) == []


def test_the_packaged_hsds_schemas_are_the_open_referral_originals(monkeypatch):
    monkeypatch.delenv(hsds.SCHEMA_DIR_ENV, raising=False)
    packaged = hsds.default_schema_dir()
    assert packaged == hsds.PACKAGED_SCHEMA_DIR and "shared" not in packaged.parts  # no need of ../shared
    copies = sorted(packaged.glob("*.json"))
    assert len(copies) == 20
    for copy in copies:
        assert copy.read_bytes() == (SCHEMAS / copy.name).read_bytes(), copy.name
    # the copies are every schema that service.json reaches
    refs, todo = set(), ["service.json"]
    while todo:
        name = todo.pop()
        if name not in refs:
            refs.add(name)
            todo += re.findall(r'"\$ref":\s*"([^"#]+)', (SCHEMAS / name).read_text("utf-8"))
    assert {c.name for c in copies} == refs


def test_the_validator_accepts_the_official_example_and_catches_errors():
    assert hsds.validate_hsds(example("service_full.json"), strict_ids=True) == []
    broken = {**example("service_full.json"), "status": "open", "email": "not an email"}
    del broken["name"]
    problems = hsds.validate_hsds(broken)
    assert "services[0]: 'name' is a required property" in problems
    assert any(p.startswith("services[0].status: 'open' is not one of") for p in problems)
    assert "services[0].email: 'not an email' is not a 'email'" in problems


def test_export_shapes_follow_delivery():
    by_id = {s["id"]: s for s in hsds.to_hsds(contract_listings())}
    singing, money, yoga, walk = by_id["EX01"], by_id["EX02"], by_id["EX04"], by_id["EX05"]
    location = singing["service_at_locations"][0]["location"]
    assert (location["location_type"], location["latitude"], location["longitude"]) == ("physical", 55.8625, -4.237)
    assert location["addresses"][0]["postal_code"] == "G4 0RH"
    assert location["accessibility"][0]["description"] == "Wheelchair accessible"
    assert "service_at_locations" not in money and money["phones"][0]["number"] == "0141 000 0202"
    assert [c["code"] for c in money["languages"]] == ["en", "ur", "pa"] and money["minimum_age"] == 16
    assert [s["location"]["location_type"] for s in yoga["service_at_locations"]] == ["virtual"]
    assert walk["eligibility_description"] == "Women only"
    assert walk["cost_options"][0]["amount"] == 0
    codes = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in walk["attributes"]}
    assert {("signpost_eligibility", "women-only"), ("signpost_domains", "lifestyle"),
            ("signpost_delivery", "in_person"), ("signpost_cost", "free")} <= codes


def test_export_import_round_trip_of_the_contract_directory(tmp_path):
    listings = contract_listings()
    assert {r.delivery[0] for r in listings} == {"in_person", "phone", "online"}
    path = tmp_path / "directory.json"
    hsds.write_json(listings, path)
    assert hsds.read_json(path) == sorted(listings, key=lambda r: r.id)


def test_round_trip_keeps_every_field_and_extra_columns(tmp_path):
    listings = [
        make_resource("R2", categories=["choir", "singing"], domains=["mental_wellbeing"],
                      support_types=["singing_music", "mens_groups"], languages=["sm", "en"],
                      interpreter_available=True, min_age=18, max_age=80, gender="male", delivery=["in_person", "phone"],
                      cost="low_cost", address="Church Hall, 3 Elm Road", postcode="G12 8QQ",
                      wheelchair_accessible=False, phone="0141 000 0000", email="choir@example.org",
                      website="https://example.org/choir", status="inactive", extra={"ward": "Partick East"}),
        make_resource("R1", name="Café drop-in — ‘Hope’", cost=None, wheelchair_accessible=None, last_verified=None,
                      delivery=["phone"], latitude=None, longitude=None, website="example.org",
                      email="office at example.org", extra={"=cmd": "+1"}),
    ]
    path = tmp_path / "out.json"
    hsds.write_json(listings, path)
    assert hsds.read_json(path) == sorted(listings, key=lambda r: r.id)
    assert "Café drop-in — ‘Hope’" in path.read_text("utf-8")  # written as text, nothing escaped or neutralised
    assert hsds.validate_hsds(json.loads(path.read_text("utf-8"))) == []  # "example.org" kept aside, not as url


def test_round_trip_of_imported_hsds_listings():
    listings = parse(real_coordinates(example("service_full.json")))
    assert parse(hsds.to_hsds(listings)) == listings


def test_export_bytes_are_deterministic_and_sorted(tmp_path):
    listings = contract_listings()
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    hsds.write_json(listings, a)
    hsds.write_json(list(reversed(listings)), b)
    hsds.write_json(hsds.read_json(a), c)
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    assert [s["id"] for s in json.loads(a.read_text("utf-8"))] == ["EX01", "EX02", "EX03", "EX04", "EX05"]


def test_importer_reads_hsds_files_folders_and_zips(tmp_path):
    assert [r.id for r in importer.load(V3 / "service_list.json")] == [COUNSELLING]
    simple = importer.load(V1 / "simple")
    assert len(simple) == 13 and [r.id for r in simple if r.is_active] == [YOUNG_MINDS]
    path = tmp_path / "simple.zip"
    path.write_bytes(zipped(V1 / "simple"))
    assert importer.load(path) == simple and importer.load(path).warnings == simple.warnings
    csv_listings = importer.load(CONTRACT_CSV)  # a spreadsheet: the same kind of answer, without warnings
    assert len(csv_listings) == 5 and csv_listings.warnings == []


def test_support_types_go_out_and_come_back_as_taxonomy_terms(tmp_path):
    """The curator's support types are HSDS taxonomy terms of Signpost's vocabulary, and a publisher's
    Open Eligibility term that one support type narrows is read as that type."""
    listing = make_resource("S1", support_types=["carers_support", "bereavement"])
    objects = hsds.to_hsds([listing])
    terms = [a["taxonomy_term"] for a in objects[0]["attributes"]
             if a["taxonomy_term"]["taxonomy"] == "signpost_support_types"]
    assert [t["code"] for t in terms] == ["carers_support", "bereavement"]
    assert hsds.validate_hsds(objects) == []
    path = tmp_path / "types.json"
    hsds.write_json([listing], path)
    assert hsds.read_json(path)[0].support_types == ["carers_support", "bereavement"]
    bad = json.loads(path.read_text("utf-8"))
    for attr in bad[0]["attributes"]:
        if attr["taxonomy_term"]["taxonomy"] == "signpost_support_types":
            attr["taxonomy_term"]["code"] = "palm_reading"
    (tmp_path / "bad.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(importer.InputError) as err:
        hsds.read_json(tmp_path / "bad.json")
    assert any("palm_reading" in i.message and i.column == "taxonomy_term.code" for i in err.value.issues)
