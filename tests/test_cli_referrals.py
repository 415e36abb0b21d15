"""Contract sections 5 and 6 at the command line: `signpost referrals import | export | purge` and
`signpost person erase`, run as real subprocesses on real SQLite files."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

import referrals as R
from directory.accounts import User
from directory.store import Store
from referrals import schema as ref_schema

from .app_fixtures import ROOT, app_directory
from .referral_fixtures import (
    BIRTH_DATE,
    BUNDLE_PATH,
    FAMILY,
    GIVEN,
    NHS_NUMBER,
    bundle,
    files_bytes,
    other_bundle,
)
from .test_cli_directory import db_bytes

PERSONAL = (NHS_NUMBER, FAMILY, GIVEN, BIRTH_DATE, "Elswick Row", "0191 496 0123")


def signpost(db: Path | str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return path


def test_import_then_reimport_changes_nothing(tmp_path):
    db = tmp_path / "signpost.db"
    first = signpost(db, "referrals", "import", str(BUNDLE_PATH))
    assert first.returncode == 0, first.stderr
    assert db.exists() and first.stdout == ""
    before = db_bytes(db)
    again = signpost(db, "referrals", "import", str(BUNDLE_PATH))
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stderr
    assert db_bytes(db) == before
    with Store(db, create=False) as store:
        assert len(R.export_bundle(store, R.SYSTEM_USER)["entry"]) == 6


def _mutations():
    def bad_subject(doc):
        doc["entry"][4]["resource"]["subject"]["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000"

    def bad_check_digit(doc):
        doc["entry"][0]["resource"]["identifier"][0]["value"] = NHS_NUMBER[:-1] + "8"

    def no_patient(doc):
        del doc["entry"][0]

    def wrong_code(doc):
        doc["entry"][4]["resource"]["code"]["coding"][0]["code"] = "12345"

    def not_fhir(doc):
        doc["entry"][0]["resource"]["birthDate"] = "the seventeenth of April"

    return [bad_subject, bad_check_digit, no_patient, wrong_code, not_fhir]


@pytest.mark.parametrize("mutate", _mutations(), ids=lambda f: f.__name__)
def test_a_bad_bundle_exits_2_names_the_place_repeats_nothing_and_writes_nothing(tmp_path, mutate):
    db = tmp_path / "signpost.db"
    assert signpost(db, "referrals", "import", str(write(tmp_path / "other.json", other_bundle(3)))).returncode == 0
    before = db_bytes(db)
    doc = copy.deepcopy(bundle())
    mutate(doc)
    bad = write(tmp_path / "bad.json", doc)
    out = signpost(db, "referrals", "import", str(bad))
    assert out.returncode == 2, out.stderr
    assert "nothing was changed" in out.stderr
    assert "entry[" in out.stderr or "resourceType" in out.stderr or "Patient" in out.stderr
    for value in PERSONAL:
        assert value not in out.stderr and value not in out.stdout, (mutate.__name__, value)
    assert db_bytes(db) == before
    fresh = tmp_path / "new.db"
    assert signpost(fresh, "referrals", "import", str(bad)).returncode == 2
    assert not fresh.exists()


def test_a_file_that_is_not_json_exits_2_and_creates_nothing(tmp_path):
    db = tmp_path / "signpost.db"
    out = signpost(db, "referrals", "import", str(write(tmp_path / "x.json", '{"resourceType": "Bundle", ')))
    assert out.returncode == 2 and not db.exists()


def test_export_is_a_valid_r4_collection_that_round_trips_identifiers(tmp_path):
    db = tmp_path / "signpost.db"
    assert signpost(db, "referrals", "import", str(BUNDLE_PATH)).returncode == 0
    target = tmp_path / "out.json"
    out = signpost(db, "referrals", "export", str(target))
    assert out.returncode == 0, out.stderr
    doc = json.loads(target.read_text())
    Bundle.model_validate(doc)
    assert doc["type"] == "collection"
    by_type: dict[str, list] = {}
    for entry in doc["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    original = {e["resource"]["resourceType"]: e["resource"] for e in bundle()["entry"]}
    assert by_type["Patient"][0]["identifier"][0]["value"] == NHS_NUMBER
    assert by_type["ServiceRequest"][0]["identifier"] == original["ServiceRequest"]["identifier"]
    task = by_type["Task"][0]
    assert task["status"] == "requested" and task["intent"] == "order"
    # what was exported imports back: the same referral, so nothing changes
    before = db_bytes(db)
    again = signpost(db, "referrals", "import", str(write(tmp_path / "back.json", {
        "resourceType": "Bundle", "type": "collection",
        "entry": [e for e in doc["entry"] if e["resource"]["resourceType"] != "Task"]})))
    assert again.returncode == 0, again.stderr
    assert db_bytes(db) == before


def test_export_since_a_day(tmp_path):
    db = tmp_path / "signpost.db"
    assert signpost(db, "referrals", "import", str(BUNDLE_PATH)).returncode == 0
    today, tomorrow = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
    for day, count in ((today, 6), (tomorrow, 0)):
        target = tmp_path / f"{day}.json"
        out = signpost(db, "referrals", "export", str(target), "--since", day.isoformat())
        assert out.returncode == 0, out.stderr
        doc = json.loads(target.read_text())
        Bundle.model_validate(doc)
        assert len(doc.get("entry") or []) == count
    bad = signpost(db, "referrals", "export", str(tmp_path / "x.json"), "--since", "last week")
    assert bad.returncode == 2 and "since" in bad.stderr and not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("command", [("referrals", "export", "OUT"), ("person", "erase", NHS_NUMBER),
                                     ("referrals", "purge")])
def test_reading_commands_never_create_a_database(tmp_path, command):
    db = tmp_path / "missing.db"
    args = [str(tmp_path / "out.json") if a == "OUT" else a for a in command]
    out = signpost(db, *args)
    assert out.returncode == 2
    assert str(db) in out.stderr
    assert NHS_NUMBER not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_erase_leaves_no_trace_in_the_database_folder_or_the_index(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "signpost.db"
    with Store(db) as store:
        store.import_resources(app_directory(), actor="test")
    assert signpost(db, "index").returncode == 0
    assert db.with_suffix(".index").is_dir()
    assert signpost(db, "referrals", "import", str(BUNDLE_PATH)).returncode == 0
    assert any(NHS_NUMBER.encode() in data for data in files_bytes(folder).values())
    unknown = signpost(db, "person", "erase", other_bundle(5)["entry"][0]["resource"]["identifier"][0]["value"])
    assert unknown.returncode == 2 and "no person" in unknown.stderr
    invalid = signpost(db, "person", "erase", NHS_NUMBER[:-1] + "8")
    assert invalid.returncode == 2 and NHS_NUMBER[:-1] not in invalid.stderr
    out = signpost(db, "person", "erase", NHS_NUMBER)
    assert out.returncode == 0, out.stderr
    for value in (NHS_NUMBER, FAMILY, GIVEN, "Elswick Row"):
        assert value not in out.stderr + out.stdout
        hits = [name for name, data in files_bytes(folder).items() if value.encode() in data]
        assert not hits, (value, hits)
    with Store(db, create=False) as store:
        assert R.export_bundle(store, R.SYSTEM_USER)["entry"] == []


def test_purge_is_a_dry_run_unless_yes(tmp_path):
    db = tmp_path / "signpost.db"
    assert signpost(db, "referrals", "import", str(BUNDLE_PATH)).returncode == 0
    with Store(db) as store:
        R.assign_staff(store, R.SYSTEM_USER, "ann", team="north")
        ann = User("ann", "link_worker")
        referral = R.inbox(store, ann)[0].referral_id
        R.reject_referral(store, ann, referral, "moved away")
        with store.engine.begin() as conn:  # closed three years ago
            conn.execute(ref_schema.people.update().values(closed_at="2023-11-30T10:00:00+00:00"))
    dry = signpost(db, "referrals", "purge")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.split("\t")[0] == "1" and "dry run" in dry.stderr
    assert signpost(db, "referrals", "purge", "--older-than-days", "2000").stdout == ""
    assert signpost(db, "referrals", "purge", "--dry-run", "--yes").stdout.startswith("1\t")
    with Store(db) as store:
        assert len(R.export_bundle(store, R.SYSTEM_USER)["entry"]) == 6
    done = signpost(db, "referrals", "purge", "--yes")
    assert done.returncode == 0 and "erased 1 record" in done.stderr
    assert NHS_NUMBER.encode() not in b"".join(files_bytes(tmp_path).values())
    assert signpost(db, "referrals", "purge", "--older-than-days", "-1").returncode == 2
