"""What the tests of directory/hsds/ share (tests/test_hsds_*.py): the published examples, small
HSDS objects to build documents from, and ways to read issues."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from directory import hsds
from directory.records import InputError

from .conftest import SHARED

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


SCHEMAS = V3 / "schema"


def zipped(folder: Path, prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.iterdir()):
            z.write(p, prefix + p.name)
    return buf.getvalue()


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


def fields(r, expected: dict) -> dict:
    return {k: getattr(r, k) for k in expected}


def write_package(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


ORG_1_1 = "id,name,description\nO1,Age Friends,Friends in later life\n"
LOC_1_1 = "id,organization_id,name,latitude,longitude\nL1,O1,Hall,55.86,-4.25\n"
