"""Every published HSDS example (3.0 JSON, 3.0 and 1.1 datapackages, zipped) through the real CLI into a
real SQLite file, and what Signpost exports of it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from directory import csv_io, hsds
from directory.store import Store

from .hsds_helpers import (
    BUBBLES,
    CONTRACT_CSV,
    COUNSELLING,
    EXAMPLES,
    EXPECTED_COUNSELLING,
    NEVER_HOMELESS,
    SCHEMAS,
    V3,
    YOUNG_MINDS,
    db_bytes,
    fields,
    issues_of,
    run_import,
    zipped,
)


# ---- every published example, through the real CLI into a real SQLite file ---------------------
def example_sources() -> list[str]:
    """Every example on disk, relative to EXAMPLES: each JSON file (the schemas aside: they describe
    HSDS data and hold none), each datapackage folder ('<folder>/') and each one zipped ('<folder>.zip')."""
    files = [p for p in EXAMPLES.rglob("*.json") if SCHEMAS not in p.parents]
    folders = {p.parent for p in EXAMPLES.rglob("datapackage.json")} | {p.parent for p in EXAMPLES.rglob("services.csv")}
    found = sorted([str(p.relative_to(EXAMPLES)) for p in files]
                   + [f"{f.relative_to(EXAMPLES)}/" for f in folders] + [f"{f.relative_to(EXAMPLES)}.zip" for f in folders])
    assert len(found) >= 20, f"the HSDS examples are missing from {EXAMPLES}"  # never an empty, skipped test
    return found


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
