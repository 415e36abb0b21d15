"""Open Referral HSDS import and export (directory/hsds.py): the published examples, the mapping
rules of the module docstring, bad input located by path and field, schema-valid export and an
exact export -> import round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from directory import csv_io, hsds, importer
from directory.records import InputError
from directory.store import Store

from .conftest import SHARED, make_resource

EXAMPLES = SHARED / "hsds-examples"
V3 = EXAMPLES / "hsds-3.0"
V1 = EXAMPLES / "hsds-1.1-sample"
CONTRACT_CSV = SHARED / "contracts" / "example-directory.csv"

COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"
# 1.1 sample services
NEVER_HOMELESS = "c89eb05c-62dd-4b64-b494-0cc347b6ea7f"
YOUNG_MINDS = "25870bcf-7528-4e05-8f0c-7e639075ce71"
BUBBLES = "21a1192b-abb9-45e8-bc52-c81ca4087240"
SANCTUARY_LOCATION = "30b83c60-64a1-11e6-8b77-86f30ca893d3"

# The 3.0 examples place every location at latitude 100, longitude 101: a placeholder that is no
# latitude at all. Tests of the mapping put the venue somewhere real (Glasgow).
LAT, LON = 55.8642, -4.2518


def issues_of(call, *args) -> list:
    with pytest.raises(InputError) as err:
        call(*args)
    return err.value.issues


def parse(doc) -> list:
    return hsds.parse_json_bytes(json.dumps(doc).encode("utf-8"), "test.json")


def parse_issues(doc) -> list:
    return issues_of(parse, doc)


def located(issues) -> set[tuple]:
    return {(i.row, i.column) for i in issues}


def real_coordinates(node):
    """The example document with its placeholder coordinates replaced."""
    if isinstance(node, dict):
        if node.get("latitude") == 100 and node.get("longitude") == 101:
            node = {**node, "latitude": LAT, "longitude": LON}
        return {k: real_coordinates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [real_coordinates(v) for v in node]
    return node


def example(name: str):
    return json.loads((V3 / name).read_text("utf-8"))


def rewrite_csv(path: Path, change) -> None:
    """Rewrite a table row by row: `change(row)` returns the row (changed or not) or None to drop it."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(r for r in map(change, rows) if r is not None)


def service(**fields) -> dict:
    """A small HSDS 3.0 service; tests add what they are about."""
    base = {"id": "S1", "name": "Lunch club", "description": "Hot lunch and company.", "status": "active"}
    base.update(fields)
    return base


def venue(lat=LAT, lon=LON, sal_id="SAL1", **location) -> dict:
    return {"id": sal_id, "location": {"id": f"L-{sal_id}", "location_type": "physical", "latitude": lat,
                                       "longitude": lon, **location}}


# ---- every published example, through the real CLI into a real SQLite file ---------------------
SCHEMAS = V3 / "schema"


def example_sources() -> list[str]:
    """Every example on disk, relative to EXAMPLES: each JSON file (the schemas aside: they describe
    HSDS data and hold none), each datapackage folder ('<folder>/') and each one zipped ('<folder>.zip')."""
    files = [p for p in EXAMPLES.rglob("*.json") if SCHEMAS not in p.parents]
    folders = {p.parent for p in EXAMPLES.rglob("datapackage.json")} | {p.parent for p in EXAMPLES.rglob("services.csv")}
    found = sorted([str(p.relative_to(EXAMPLES)) for p in files]
                   + [f"{f.relative_to(EXAMPLES)}/" for f in folders] + [f"{f.relative_to(EXAMPLES)}.zip" for f in folders])
    assert len(found) >= 20, f"the HSDS examples are missing from {EXAMPLES}"  # never an empty, skipped test
    return found


def zipped(folder: Path, prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.iterdir()):
            z.write(p, prefix + p.name)
    return buf.getvalue()


def example_path(source: str, tmp_path: Path) -> Path:
    if source.endswith(".zip"):
        path = tmp_path / PurePosixPath(source).name
        path.write_bytes(zipped(EXAMPLES / source.removesuffix(".zip"), PurePosixPath(source).stem + "/"))
        return path
    return EXAMPLES / source


def package(source: str) -> str:
    """The datapackage folder a source belongs to ('hsds-1.1-sample/simple'), else ''."""
    for suffix in ("/datapackage.json", ".zip", "/"):
        if source.endswith(suffix):
            return source.removesuffix(suffix)
    return ""


NOTHING_TO_IMPORT = {  # valid HSDS that holds no services: what the CLI says
    "hsds-3.0/base.json": "base.json holds HSDS API metadata and no services: nothing to import",
    "hsds-3.0/location.json": "location.json holds an HSDS location and no services: nothing to import",
    "hsds-3.0/organization_list.json":
        "organization_list.json holds an HSDS organization and no services: nothing to import",
    "hsds-3.0/taxonomy.json": "taxonomy.json holds an HSDS taxonomy and no services: nothing to import",
    "hsds-3.0/taxonomy_list.json": "taxonomy_list.json holds an HSDS taxonomy and no services: nothing to import",
    "hsds-3.0/taxonomy_term.json":
        "taxonomy_term.json holds an HSDS taxonomy term and no services: nothing to import",
    "hsds-3.0/taxonomy_term_list.json":
        "taxonomy_term_list.json holds an HSDS taxonomy term and no services: nothing to import",
}
# The 3.0 examples place their one location at latitude 100, longitude 101: where the warning points.
PLACEHOLDER = {
    "hsds-3.0/service_full.json": "service.service_at_locations[0].location",
    "hsds-3.0/organization_full.json": "organization.services[0].service_at_locations[0].location",
    "hsds-3.0/service_at_location_full.json": "service_at_location.location",
    "hsds-3.0/service_at_location_list.json": "contents[0].location",
    "hsds-3.0/tabular.json": "locations.csv[0]",
    "hsds-3.0/csv/": "locations.csv row 2",
    "hsds-3.0/csv/datapackage.json": "locations.csv row 2",
    "hsds-3.0/csv.zip": "locations.csv row 2",
}
PLACEHOLDER_WARNING = ("100 is not a latitude (-90 to 90); 'Community Counselling' is imported as inactive until a "
                       "curator places the venue")
ONLINE = {"hsds-3.0/service_list.json"}
SAMPLE_1_1 = {f"hsds-1.1-sample/{name}{suffix}" for name in ("simple", "all_resources")
              for suffix in ("/", "/datapackage.json", ".zip")}


def test_every_example_on_disk_has_a_decided_outcome():
    assert set(example_sources()) == set(NOTHING_TO_IMPORT) | set(PLACEHOLDER) | ONLINE | SAMPLE_1_1


def run_import(db: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", "--db", str(db), "import", str(path)],
                          capture_output=True, text=True, timeout=300)


def db_bytes(db: Path) -> bytes:
    return b"".join(p.name.encode() + p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


# Field values read off service_full.json (and the same service in the other 3.0 examples).
EXPECTED_COUNSELLING = dict(
    id=COUNSELLING, name="Community Counselling", organisation="Example Organization Inc.",
    categories=["name"], languages=["ur"], interpreter_available=True, min_age=12, max_age=100,
    gender=None, delivery=["in_person"], cost="paid", address="1-30 Main Street, MyVillage, MyCity",
    postcode="ABC 1234", latitude=LAT, longitude=LON, wheelchair_accessible=True,
    schedule="Thu, Fri 10:00-18:00", phone="+44 1234 234567 ext. 100", email="email@example.com",
    website="http://example.com/counselling", last_verified=dt.date(2005, 1, 1), status="active",
)
# As imported from the files themselves: the venue at latitude 100 is not placed.
UNPLACED_COUNSELLING = {**EXPECTED_COUNSELLING, "latitude": None, "longitude": None, "status": "inactive"}


def expected_counselling(source: str) -> dict:
    if source == "hsds-3.0/service_at_location_list.json":  # the page's location has no address or languages
        return {**UNPLACED_COUNSELLING, "categories": [], "languages": ["en"], "address": "", "postcode": "",
                "wheelchair_accessible": None, "schedule": "", "phone": ""}
    if source == "hsds-3.0/tabular.json" or package(source) == "hsds-3.0/csv":
        # In the tabular examples the attribute is linked to no service (link_id f28dd44b...): no category.
        return {**UNPLACED_COUNSELLING, "categories": []}
    return UNPLACED_COUNSELLING


def fields(r, expected: dict) -> dict:
    return {k: getattr(r, k) for k in expected}


# HSDS 1.1 sample: the twelve services (services.csv rows 2 and 4-14) whose location has no coordinates.
UNPLACED_1_1 = (
    "Never Homeless Helpline", "Grocery Tax Break Donation", "Food Safety Program", "Al-Anon Family Group",
    "Shop Assist", "Example City Summer Camp", "Dear Teacher Skills Refresh", "Parks Disability Services",
    "The City's Kitchen", "Meals To-Go at The Cross", "Wash & Go at The Cross", "Bubbles at The Cross",
)
INACTIVE_IN_FILE_1_1 = {"Food Safety Program", "Dear Teacher Skills Refresh", "Wash & Go at The Cross"}


def check_sample_1_1(source: str, by_id: dict, stderr: str) -> None:
    assert len(by_id) == 13
    # Yound Minds (sic) meets at 4830 Highland Drive, the one location with coordinates.
    minds = by_id[YOUNG_MINDS]
    assert fields(minds, {"name": 0, "organisation": 0, "delivery": 0, "latitude": 0, "longitude": 0, "status": 0,
                          "email": 0, "website": 0, "languages": 0, "phone": 0}) == dict(
        name="Yound Minds", organisation="Youth in Focus Example City", delivery=["in_person"], latitude=39.428192,
        longitude=-119.897426, status="active", email="YIF@example.com", website="http://example.com",
        languages=["en"], phone="")
    # Every other service meets in person at a location without coordinates: kept, inactive, warned.
    unplaced = [r for r in by_id.values() if r.id != YOUNG_MINDS]
    assert {r.name for r in unplaced} == set(UNPLACED_1_1)
    assert all(r.delivery == ["in_person"] and r.status == "inactive" and r.latitude is None for r in unplaced)
    warnings = [line.removeprefix("  warning: ") for line in stderr.splitlines() if line.startswith("  warning: ")]
    assert len(warnings) == 12 and "12 warning(s); imported all the same" in stderr
    assert all(w.startswith("row locations.csv row ") and ", column 'latitude': location '" in w for w in warnings)
    for name in UNPLACED_1_1:
        if name in INACTIVE_IN_FILE_1_1:
            end = f"'{name}' is inactive (as the file says); a curator must place the venue before reactivating it"
        else:
            end = f"'{name}' is imported as inactive until a curator places the venue"
        assert sum(w.endswith(end) for w in warnings) == 1, name
    bubbles = by_id[BUBBLES]  # St Cross Universal Church is where it is; its Laundry Line is its phone
    assert (bubbles.phone, bubbles.cost, bubbles.email) == ("(223) 4567 12534", None, "thecross@example.com")
    assert by_id["25f6e86d-ba99-4819-b6f4-2f23dbe38806"].phone == "(0123) 4567 8900 ext. 42"  # the location's phone
    never = by_id[NEVER_HOMELESS]
    assert (never.name, never.organisation, never.email) == (
        "Never Homeless Helpline", "Sanctuary Example City", "neverhomeless@example.com")
    assert never.interpreter_available is True  # "over the phone"
    if package(source).endswith("simple"):
        assert (never.address, never.languages, never.schedule, never.last_verified) == ("", ["en"], "", None)
        assert ("row locations.csv row 2, column 'latitude': location 'Sanctuary on 5th Street' has no latitude and "
                "longitude; 'Never Homeless Helpline' is imported as inactive until a curator places the venue") in warnings
    else:  # all_resources links every table
        assert (never.address, never.postcode) == ("Address 1, Address 2, New York City", "10001")
        assert never.languages == ["en", "es"]  # languages.csv: English, Spanish
        assert never.schedule == "Mon-Wed 09:00-17:00"  # regular_schedules weekday 1-3
        assert never.wheelchair_accessible is None  # disabled_parking says nothing about wheelchairs
        assert (never.min_age, never.max_age, never.gender) == (None, None, None)  # eligibility "adult": no number
        assert never.last_verified == dt.date(2008, 9, 15)  # metadata.csv last_action_date
        assert ("row locations.csv row 2, column 'latitude': location 'Sanctuary on 5th Street' has an address but no "
                "latitude and longitude; 'Never Homeless Helpline' is imported as inactive until a curator places "
                "the venue") in warnings


@pytest.mark.parametrize("source", example_sources())
def test_every_example_imports_through_the_cli(source, tmp_path):
    db = tmp_path / "signpost.db"
    with Store(db) as store:  # a directory that already holds the contract's example listings
        store.import_resources(csv_io.read_csv(CONTRACT_CSV), actor="test")
    before = db_bytes(db)
    done = run_import(db, example_path(source, tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    if source in NOTHING_TO_IMPORT:
        assert done.stderr.splitlines()[0] == NOTHING_TO_IMPORT[source]
        assert "nothing was imported" in done.stderr
        assert db_bytes(db) == before  # the database unchanged
        return
    with Store(db) as store:
        by_id = {r.id: r for r in store.resources() if not r.id.startswith("EX")}
        assert store.count() == 5 + len(by_id)
    if source in PLACEHOLDER:
        (r,) = by_id.values()
        assert fields(r, expected_counselling(source)) == expected_counselling(source)
        assert f"  warning: row {PLACEHOLDER[source]}, column 'latitude': {PLACEHOLDER_WARNING}\n" in done.stderr
    elif source in ONLINE:
        (r,) = by_id.values()
        assert fields(r, {"id": 0, "delivery": 0, "status": 0, "latitude": 0, "website": 0, "min_age": 0,
                          "max_age": 0, "cost": 0, "languages": 0}) == dict(
            id=COUNSELLING, delivery=["online"], status="active", latitude=None, website="http://example.com/counselling",
            min_age=12, max_age=100, cost="paid", languages=["en"])
        assert "warning" not in done.stderr
    else:
        check_sample_1_1(source, by_id, done.stderr)
    # What Signpost exports of it is valid HSDS 3.0
    assert hsds.validate_hsds(hsds.to_hsds(by_id.values())) == []


def test_a_file_without_services_leaves_no_database_behind(tmp_path):
    db = tmp_path / "new.db"
    done = run_import(db, V3 / "taxonomy.json")
    assert done.returncode == 0 and "nothing to import" in done.stderr
    assert not db.exists()


@pytest.mark.parametrize("name", ["service_full.json", "../hsds-1.1-sample/all_resources"])
def test_cli_export_of_an_imported_example_is_valid_and_reads_back(name, tmp_path):
    db, out = tmp_path / "s.db", tmp_path / "export.json"
    assert run_import(db, V3 / name).returncode == 0
    done = subprocess.run([sys.executable, "-m", "cli", "--db", str(db), "export", str(out), "--format",
                           "hsds"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    exported = json.loads(out.read_text("utf-8"))
    assert hsds.validate_hsds(exported) == []
    with Store(db) as store:
        listings = store.resources()
    back = hsds.read_json(out)
    assert back == listings  # unplaced venues come back unplaced, inactive, and say so again
    assert len(back.warnings) == sum(not r.is_active and r.latitude is None for r in listings)


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.json")))
def test_the_schemas_beside_the_examples_are_not_hsds_data(name):
    issues = issues_of(hsds.read_json, SCHEMAS / name)
    assert len(issues) == 1 and issues[0].message.startswith(f"{name} is not HSDS data: it holds ")
    assert ("a JSON Schema" if name != "openapi.json" else "an OpenAPI description") in issues[0].message


def test_a_table_of_a_datapackage_is_not_a_spreadsheet(tmp_path):
    done = run_import(tmp_path / "s.db", V3 / "csv" / "services.csv")
    assert done.returncode == 2
    assert "services.csv is one table of the HSDS datapackage in" in done.stderr
    assert "import the folder (or its datapackage.json) instead" in done.stderr
    assert not (tmp_path / "s.db").exists()


def test_service_list_page_imports_as_an_online_service():
    (r,) = got = hsds.read_json(V3 / "service_list.json")
    assert r.id == COUNSELLING
    assert r.name == "Community Counselling"
    assert r.organisation == "Example Organization Inc."
    assert r.description.startswith("Counselling Services provided by trained professionals.")
    assert r.delivery == ["online"]  # a url, no phone, no location
    assert r.website == "http://example.com/counselling" and r.email == "email@example.com"
    assert r.languages == ["en"]  # the page gives none
    assert r.interpreter_available is True
    assert (r.min_age, r.max_age) == (12, 100)
    assert r.cost == "paid"  # "The current rate is £50 per hour"
    assert r.status == "active" and r.last_verified == dt.date(2005, 1, 1)
    assert r.latitude is None and r.phone == "" and r.schedule == ""
    assert got.warnings == []


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


def write_package(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


ORG_1_1 = "id,name,description\nO1,Age Friends,Friends in later life\n"
LOC_1_1 = "id,organization_id,name,latitude,longitude\nL1,O1,Hall,55.86,-4.25\n"


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


# ---- valid HSDS without services: nothing to import ---------------------------------------------
@pytest.mark.parametrize("doc, holds", [
    ([], "an empty list"),
    ({"total_items": 0, "contents": []}, "an empty page"),
    ({"id": "O1", "name": "Org", "description": "d", "services": []}, "an HSDS organization"),
    ([{"id": "T1", "name": "Needs", "version": "1"}, {"id": "T2", "name": "Places", "uri": "https://x.org"}],
     "HSDS taxonomies"),
    ([{"id": "L1", "location_type": "physical"}, {"id": "T", "code": "x", "name": "X"}],
     "an HSDS location and an HSDS taxonomy term"),
    ({"taxonomies.csv": [{"id": "T1", "name": "Needs"}]}, "HSDS tables (taxonomies.csv)"),
])
def test_valid_hsds_without_services_gives_nothing_to_import(doc, holds):
    got = parse(doc)
    assert got == [] and [w.message for w in got.warnings] == [f"test.json holds {holds} and no services: nothing to import"]


@pytest.mark.parametrize("doc, message", [
    ({"foo": 1}, "test.json is not HSDS data: it holds an object that is no HSDS object Signpost knows; "),
    (42, "test.json holds a JSON int, not HSDS objects"),
])
def test_json_that_is_not_hsds_remains_an_error(doc, message):
    issues = parse_issues(doc)
    assert len(issues) == 1 and issues[0].message.startswith(message)


def test_a_list_of_services_with_something_else_among_them_is_an_error():
    issues = parse_issues([service(url="https://x.org"), {"id": "T", "code": "x", "name": "X"}, {"foo": 1}])
    assert sorted((i.row, i.message) for i in issues) == [
        ("items[1]", "is an HSDS taxonomy term, not a service, organization or service_at_location"),
        ("items[2]", "is an object that is no HSDS object Signpost knows, not HSDS data")]


def test_datapackages_without_services(tmp_path):
    empty = write_package(tmp_path / "empty", {"services.csv": "id,name,description\n", "datapackage.json": "{}"})
    got = hsds.read_datapackage(empty)
    assert got == [] and got.warnings[0].message == "empty: services.csv has no rows, so no services: nothing to import"
    terms = write_package(tmp_path / "terms", {"taxonomy_terms.csv": "id,code,name\nT1,x,X\n", "datapackage.json": "{}"})
    got = importer.load(terms)
    assert got == [] and got.warnings[0].message == ("terms holds HSDS tables (taxonomy_terms.csv) and no services: "
                                                     "nothing to import")
    stray = write_package(tmp_path / "stray", {"notes.csv": "a\n1\n", "datapackage.json": "{}"})
    assert "has no services.csv: not an HSDS datapackage" in issues_of(hsds.read_datapackage, stray)[0].message


# ---- bad input: located by path and field, every problem at once --------------------------------
def test_truncated_json_names_line_and_column():
    text = (V3 / "service_full.json").read_bytes()
    cut = text[:4000]
    issues = issues_of(hsds.parse_json_bytes, cut, "service_full.json")
    line = cut.count(b"\n") + 1
    assert len(issues) == 1 and issues[0].row == line
    assert "is not valid JSON: " in issues[0].message and f"at line {line}, column" in issues[0].message
    assert "cut short" in issues[0].message


def test_syntax_error_in_the_middle_names_its_line():
    issues = issues_of(hsds.parse_json_bytes, b'[\n  {"id": "S1",\n   "name": "A" "status": "active"}\n]\n', "x.json")
    assert issues[0].row == 3 and "line 3, column 16" in issues[0].message and "cut short" not in issues[0].message


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file_is_an_issue(data, tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(data)
    issues = issues_of(hsds.read_json, path)
    assert [i.message for i in issues] == ["empty.json is empty: no services"]


def test_non_utf8_bytes_name_the_line():
    data = b'[\n  {"id": "S1",\n   "name": "Caf\xe9 club", "url": "https://example.org"}\n]\n'
    issues = issues_of(hsds.parse_json_bytes, data, "latin1.json")
    assert issues[0].row == 3 and "byte 0xe9 on line 3" in issues[0].message


def test_every_problem_of_the_file_is_reported_with_path_and_field():
    doc = {"contents": [
        service(id="S1", url="https://example.org"),
        service(id="S2", name="", url="https://example.org"),
        service(id="S3", minimum_age=65, maximum_age=18, url="https://example.org"),
        service(id="S4", service_at_locations=[venue(lat="north")]),
        service(id="S5", minimum_age="twelve", url="https://example.org"),
        service(id="S1", url="https://example.org"),
    ]}
    issues = parse_issues(doc)
    assert located(issues) == {
        ("contents[1]", "name"),
        ("contents[2]", "minimum_age"),
        ("contents[3].service_at_locations[0].location", "latitude"),
        ("contents[4]", "minimum_age"),
        ("contents[5]", "id"),
    }
    by_row = {i.row: i.message for i in issues}
    assert by_row["contents[1]"] == "is required"
    assert by_row["contents[2]"] == "min_age 65 is greater than max_age 18"
    assert by_row["contents[3].service_at_locations[0].location"] == "'north' is not a number"
    assert by_row["contents[4]"] == "'twelve' is not a number"
    assert by_row["contents[5]"] == "duplicate id 'S1' (first used at contents[0])"


def test_list_paths_read_services():
    issues = parse_issues([service(url="https://example.org"), service(id="S2", name=None, url="https://x.org")])
    assert located(issues) == {("services[1]", "name")}


def test_bad_rows_of_a_datapackage_name_file_row_and_column(tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "organizations.csv": ORG_1_1, "locations.csv": "id,name,latitude,longitude\nL1,Hall,55.86,east\n",
        "services.csv": "id,organization_id,name,description,status,minimum_age,maximum_age\n"
                        "A,O1,Tea dance,Dancing,active,twelve,\nB,O9,Choir,Singing,open,,\n",
        "service_at_location.csv": "id,service_id,location_id\nX1,A,L1\nX2,B,L2\n",
        "phones.csv": "id,service_id,number\nP1,B,0141 1\n",
    })
    issues = issues_of(hsds.read_datapackage, folder)
    assert located(issues) == {
        ("locations.csv row 2", "longitude"),
        ("service_at_location.csv row 3", "location_id"),
        ("services.csv row 2", "minimum_age"),
        ("services.csv row 3", "organization_id"),
        ("services.csv row 3", "status"),
    }


def test_non_utf8_table_names_the_file_and_line(tmp_path):
    folder = write_package(tmp_path / "pkg", {"services.csv": "id,name,description\n"})
    (folder / "services.csv").write_bytes(b"id,name,description,url\nA,Caf\xe9,Coffee,https://x.org\n")
    issues = issues_of(hsds.read_datapackage, folder)
    assert issues[0].row == 2 and "services.csv is not UTF-8 text" in issues[0].message


# ---- zipped datapackages ------------------------------------------------------------------------
def test_zipped_datapackage_reads_like_the_folder(tmp_path):
    folder = V1 / "all_resources"
    from_folder = hsds.read_datapackage(folder)
    for got in (hsds.read_zip_bytes(zipped(folder, "sample/"), "sample.zip"),
                importer.load_bytes(zipped(folder), "sample.zip")):
        assert got == from_folder and got.warnings == from_folder.warnings


def test_zip_with_path_traversal_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("services.csv", "id,name,description,url\nA,B,C,https://x.org\n")
        z.writestr("../../etc/evil.csv", "x")
    issues = issues_of(hsds.read_zip_bytes, buf.getvalue(), "evil.zip")
    assert located(issues) == {("../../etc/evil.csv", None)} and "not a safe file name" in issues[0].message


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("services.csv", b"id,name\n" + b"0" * (8 * 1024 * 1024))
    assert len(buf.getvalue()) < 100_000
    issues = issues_of(hsds.read_zip_bytes, buf.getvalue(), "bomb.zip")
    assert "too large or too compressed" in issues[0].message


def test_not_a_zip():
    issues = issues_of(hsds.read_zip_bytes, b"PK\x03\x04 not really", "broken.zip")
    assert issues[0].message == "broken.zip is not a readable zip file"


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
        make_resource("R2", categories=["choir", "singing"], domains=["mental_wellbeing"], languages=["sm", "en"],
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
