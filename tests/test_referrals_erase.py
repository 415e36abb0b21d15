"""Erasure and retention (contract section 6, "Erasure"; issue "FHIR out and erasure"): after
`erase_person` the person's NHS number and name are in no file of the database's folder (WAL and
SHM included); the audit trail keeps that an erasure happened, by whom, not about whom. Closed
records past the retention period are purged; a dry run lists them and changes nothing. Nothing
about a person is ever logged."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import referrals as R
from directory.accounts import PermissionDenied
from directory.records import InputError
from directory.store import NotFoundError, Store
from referrals import schema

from .referral_fixtures import (
    ANN,
    FAMILY,
    GIVEN,
    NHS_NUMBER,
    PERSONAL,
    audit_rows,
    files_bytes,
    imported,
    other_bundle,
    setup_service,
    snapshot,
)
from .test_privacy import every_log_at_debug

SEARCHED = (NHS_NUMBER, FAMILY, GIVEN, "Elswick Row", "0191 496 0123")


def _found(folder) -> dict[str, list[str]]:
    out = {}
    for name, data in files_bytes(folder).items():
        hits = [s for s in SEARCHED if s.encode() in data or s.encode("utf-16-le") in data]
        if hits:
            out[name] = hits
    return out


def _work(store, doc=None):
    result = imported(store, doc)
    R.accept_referral(store, ANN, result.referral_id)
    if doc is None:  # the fixture person: her details in a note too
        R.add_note(store, ANN, result.person_id, f"{GIVEN} {FAMILY} would like a choir; {NHS_NUMBER} checked")
    R.refer_to_listing(store, ANN, result.person_id, "L1", "social_relationships")
    R.record_outcome(store, ANN, result.person_id, "start", dt.date.today(), ons4={"anxiety": 7})
    R.view_person(store, ANN, result.person_id)
    return result


def test_erasure_leaves_no_trace_in_any_file_of_the_database_folder(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    with Store(folder / "signpost.db") as store:
        setup_service(store)
        result = _work(store)
        other = _work(store, other_bundle(5))
        # the person is there to be found before (WAL or main file): the search can fail
        assert set(sum(_found(folder).values(), [])) == set(SEARCHED)
        R.erase_person(store, NHS_NUMBER, R.SYSTEM_USER)
        assert _found(folder) == {}, "the person is still in the database files"
        assert {"signpost.db-wal", "signpost.db-shm"} & set(files_bytes(folder))  # WAL mode: searched too
        # everyone else is as they were; the trail keeps the erasure and who did it, not about whom
        assert R.view_person(store, ANN, other.person_id).nhs_number == other_bundle(5)["entry"][0]["resource"][
            "identifier"][0]["value"]
        trail = audit_rows(store)
        assert ("signpost-cli", "erase_person", None) in trail
        assert not [row for row in trail if row[2] == f"person:{result.person_id}"]
        assert [row for row in trail if row[2] == "erased"]
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.people)).scalar() == 1
            for table in schema.PERSON_TABLES[:-1]:
                rows = conn.execute(sa.select(table).where(table.c.person_id == result.person_id)).all()
                assert rows == [], table.name
    # and after the store is closed (the WAL folded into the file)
    assert _found(folder) == {}


def test_erasing_someone_unknown_or_a_bad_number_changes_nothing(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        _work(store)
        before = snapshot(store)
        with pytest.raises(NotFoundError) as missing:
            R.erase_person(store, other_bundle(2)["entry"][0]["resource"]["identifier"][0]["value"], R.SYSTEM_USER)
        with pytest.raises(InputError) as bad:
            R.erase_person(store, "9434765918", R.SYSTEM_USER)
        assert "9434765918" not in str(bad.value) and NHS_NUMBER not in str(missing.value)
        with pytest.raises(PermissionDenied):
            R.erase_person(store, NHS_NUMBER, ANN)
        assert snapshot(store) == before


def _close(store, person_id, days_ago):
    """A record closed `days_ago` days ago (the closing date written directly: tests cannot wait years)."""
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).replace(microsecond=0).isoformat()
    with store.engine.begin() as conn:
        conn.execute(schema.people.update().where(schema.people.c.id == person_id)
                     .values(status="closed", closed_at=at))


def test_retention_dry_run_lists_what_would_go_and_the_run_purges_only_that(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        old = _work(store)
        recent = _work(store, other_bundle(1))
        still_open = _work(store, other_bundle(2))
        R.set_status(store, ANN, old.referral_id, "completed")
        R.set_status(store, ANN, recent.referral_id, "completed")
        _close(store, old.person_id, 800)
        _close(store, recent.person_id, 100)
        labels_before = R.outcome_labels(store, ANN)

        def data_only():
            return {k: v for k, v in snapshot(store).items() if k != "ref_audit"}

        before = data_only()
        report = R.purge_expired(store, R.SYSTEM_USER)  # dry run by default, two years by default
        assert [e.person_id for e in report.expired] == [old.person_id] and not report.purged
        assert data_only() == before
        assert [e.person_id for e in R.purge_expired(store, R.SYSTEM_USER, older_than_days=30).expired] == [
            old.person_id, recent.person_id]

        done = R.purge_expired(store, R.SYSTEM_USER, dry_run=False)
        assert done.purged and [e.person_id for e in done.expired] == [old.person_id]
        with pytest.raises(NotFoundError):
            R.view_person(store, ANN, old.person_id)
        assert R.view_person(store, ANN, recent.person_id) and R.view_person(store, ANN, still_open.person_id)
        # what happened at the listings stays, with no person in it
        assert sorted(map(str, R.outcome_labels(store, ANN))) == sorted(map(str, labels_before))
        assert R.purge_expired(store, R.SYSTEM_USER).expired == []
    assert not [n for n, data in files_bytes(tmp_path).items() if NHS_NUMBER.encode() in data]


def test_the_retention_setting_comes_from_the_environment(monkeypatch):
    assert R.retention_days() == R.DEFAULT_RETENTION_DAYS == 730
    monkeypatch.setenv("SIGNPOST_RETENTION_DAYS", "365")
    assert R.retention_days() == 365


def test_nothing_about_a_person_is_logged_on_any_path(tmp_path):
    with every_log_at_debug() as capture:
        with Store(tmp_path / "signpost.db") as store:
            setup_service(store)
            result = _work(store)
            R.worklist(store, ANN)
            R.export_bundle(store, R.SYSTEM_USER)
            R.gp_letter(store, ANN, result.referral_id, "accepted")
            with pytest.raises(InputError):
                imported(store, {**other_bundle(3), "type": "searchset"})
            R.erase_person(store, NHS_NUMBER, R.SYSTEM_USER)
    assert capture.lines, "the capture saw nothing: it would not see a leak either"
    leaked = [line[:160] for line in capture.lines if any(s in line for s in PERSONAL + ("Elswick Row",))]
    assert leaked == []
