"""HSDS input read strictly (docs/hsds.md, "Strict input"), where a user meets it: `signpost import`
of a file, folder or zip refuses it (exit 2), names the place and field, and changes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from directory import csv_io
from directory.store import Store

from .hsds_helpers import CONTRACT_CSV, db_bytes, run_import, service, venue, write_package

FUTURE = "2999-01-01"


@pytest.fixture
def db(tmp_path) -> Path:
    """A directory that already holds the contract's example listings."""
    path = tmp_path / "signpost.db"
    with Store(path) as store:
        store.import_resources(csv_io.read_csv(CONTRACT_CSV), actor="test")
    return path


def refused(db: Path, path: Path) -> str:
    """stderr of an import that must be refused with the database unchanged."""
    before = db_bytes(db)
    done = run_import(db, path)
    assert done.returncode == 2, done.stderr
    assert "nothing was changed" in done.stderr and "Traceback" not in done.stderr
    assert db_bytes(db) == before
    return done.stderr


def write_json(tmp_path: Path, text: str, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def online(**fields) -> dict:
    return service(url="https://example.org", **fields)


# ---- numbers given as text are ASCII digits as written ------------------------------------------
@pytest.mark.parametrize("doc, where, field, written", [
    ([online(minimum_age="1_8")], "services[0]", "minimum_age", "1_8"),
    ([online(maximum_age="١٨")], "services[0]", "maximum_age", "١٨"),
    ([service(service_at_locations=[venue(lat="5_5.86")])], "services[0].service_at_locations[0].location",
     "latitude", "5_5.86"),
    ([online(cost_options=[{"id": "C", "amount": "1_0", "currency": "GBP"}])], "services[0].cost_options[0]",
     "amount", "1_0"),
])
def test_numbers_in_hsds_json_are_digits_as_written(db, tmp_path, doc, where, field, written):
    stderr = refused(db, write_json(tmp_path, json.dumps(doc, ensure_ascii=False)))
    assert f"row {where}, column '{field}': '{written}' is not a number written in digits 0-9" in stderr


def test_numbers_written_plainly_as_text_still_import(db, tmp_path):
    doc = [online(minimum_age="18", cost_options=[{"id": "C", "amount": "2.50", "currency": "GBP"}]),
           service(id="S2", service_at_locations=[venue(lat="55.86", lon="-4.25")])]
    assert run_import(db, write_json(tmp_path, json.dumps(doc))).returncode == 0
    with Store(db) as store:
        got = {r.id: r for r in store.resources()}
    assert (got["S1"].min_age, got["S1"].cost, got["S2"].latitude) == (18, "low_cost", 55.86)


def test_numbers_in_datapackage_cells_are_digits_as_written(db, tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "services.csv": "id,name,description,url,minimum_age\nA,Tea dance,Dancing,https://x.org,1_8\n"
                        "B,Choir,Singing,https://x.org,\n",
        "locations.csv": "id,name,latitude,longitude\nL1,Hall,5_5.86,-4.25\n",
        "service_at_location.csv": "id,service_id,location_id\nX1,B,L1\n",
    })
    stderr = refused(db, folder)
    assert "row services.csv row 2, column 'minimum_age': '1_8' is not a number written in digits 0-9" in stderr
    assert "row locations.csv row 2, column 'latitude': '5_5.86' is not a number written in digits 0-9" in stderr


# ---- a JSON object gives each key once ------------------------------------------------------------
def test_duplicate_keys_in_hsds_json_are_refused_at_any_depth(db, tmp_path):
    text = ('[{"id": "S1", "name": "Lunch club", "name": "Lunch", "description": "Hot lunch.", '
            '"url": "https://example.org"},\n'
            ' {"id": "S2", "name": "Choir", "description": "Singing.", "service_at_locations": [{"id": "SAL", '
            '"location": {"id": "L", "location_type": "physical", "latitude": 55.8, "latitude": 55.9, '
            '"longitude": -4.2}}]}]')
    stderr = refused(db, write_json(tmp_path, text))
    assert "row services[0], column 'name': duplicate key 'name'" in stderr
    assert "row services[1].service_at_locations[0].location, column 'latitude': duplicate key 'latitude'" in stderr


def test_duplicate_keys_in_datapackage_json_are_refused(db, tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "services.csv": "id,name,description,url\nA,Tea dance,Dancing,https://x.org\n",
        "datapackage.json": '{"name": "feed", "resources": [{"path": "services.csv", "path": "locations.csv"}]}',
    })
    stderr = refused(db, folder)
    assert "row datapackage.json resources[0], column 'path': duplicate key 'path'" in stderr


def test_duplicate_keys_in_a_zipped_json_file_are_refused(db, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("feed/services.json", '{"id": "S1", "id": "S2", "name": "Lunch club", "description": "Hot lunch.", '
                                         '"url": "https://example.org", "status": "active"}')
    path = tmp_path / "feed.zip"
    path.write_bytes(buf.getvalue())
    stderr = refused(db, path)
    assert "row service, column 'id': duplicate key 'id'" in stderr


# ---- the date something was checked is not in the future ------------------------------------------
def test_verified_dates_in_the_future_are_refused_where_they_are(db, tmp_path):
    doc = [online(assured_date=FUTURE),
           online(id="S2", metadata=[{"id": "M", "resource_id": "S2", "resource_type": "service",
                                      "last_action_date": FUTURE, "last_action_type": "update"}])]
    stderr = refused(db, write_json(tmp_path, json.dumps(doc)))
    assert f"row services[0], column 'assured_date': {FUTURE} is in the future" in stderr
    assert f"row services[1].metadata[0], column 'last_action_date': {FUTURE} is in the future" in stderr


def test_verified_dates_in_the_future_are_refused_in_datapackages(db, tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "services.csv": "id,name,description,url\nA,Tea dance,Dancing,https://x.org\n",
        "metadata.csv": f"id,resource_id,resource_type,last_action_date\nM1,A,service,{FUTURE}\n",
    })
    stderr = refused(db, folder)
    assert f"row metadata.csv row 2, column 'last_action_date': {FUTURE} is in the future" in stderr


# ---- one UTF-8 decoder: every format names the file, the byte and its line ------------------------
def test_text_that_is_not_utf8_is_told_the_same_way_in_every_format(db, tmp_path):
    header = CONTRACT_CSV.read_text("utf-8").split("\n", 1)[0]
    latin_csv = tmp_path / "latin1.csv"
    latin_csv.write_bytes(f"{header}\nEX91,Caf\u00e9\n".encode("latin-1"))
    latin_json = tmp_path / "latin1.json"
    latin_json.write_bytes(json.dumps([online(name="Caf\u00e9")], indent=1, ensure_ascii=False).encode("latin-1"))
    folder = write_package(tmp_path / "pkg", {"services.csv": ""})
    (folder / "services.csv").write_bytes("id,name,description,url\nA,Caf\u00e9,Coffee,https://x.org\n".encode("latin-1"))
    bom_json = tmp_path / "bom.json"  # a byte-order mark first: the bad byte and its line are still found
    bom_json.write_bytes(b"\xef\xbb\xbf" + latin_json.read_bytes())
    for path, name, line in ((latin_csv, "latin1.csv", 2), (latin_json, "latin1.json", 4), (bom_json, "bom.json", 4),
                             (folder, "services.csv", 2)):
        stderr = refused(db, path)
        assert f"row {line}: {name} is not UTF-8 text (byte 0xe9 on line {line}); save it as UTF-8" in stderr, stderr
