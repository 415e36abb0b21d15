"""The core referral path on both databases (`db_url`: an SQLite file, then a real PostgreSQL
server): import, work the case, worklist, export, erasure; and two writers at once."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

import referrals as R
from directory.records import InputError
from directory.store import Store
from referrals import schema, status

from .referral_fixtures import ANN, BOB, NHS_NUMBER, bundle_bytes, imported, other_bundle, setup_service


def test_the_core_path_works_the_same_on_sqlite_and_postgresql(db_url):
    with Store(db_url) as store:
        setup_service(store)
        result = imported(store)
        assert not imported(store).created
        R.accept_referral(store, ANN, result.referral_id, next_contact_on=dt.date.today())
        onward = R.refer_to_listing(store, ANN, result.person_id, "L1", "social_relationships")
        R.update_onward(store, ANN, onward, status_to="accepted", attended=True, first_contact_on=dt.date.today())
        R.record_outcome(store, ANN, result.person_id, "start", dt.date.today(), ons4={"happiness": 4})
        R.add_note(store, ANN, result.person_id, "first call went well")
        other = imported(store, other_bundle(1))
        R.accept_referral(store, ANN, other.referral_id)
        R.refer_to_listing(store, ANN, other.person_id, "L2")
        work = R.worklist(store, ANN)
        assert [c.person_id for c in work.due_today] == [result.person_id]
        assert [c.person_id for c in work.waiting_on_provider] == [other.person_id]
        assert R.handover(store, ANN, "ann", "bob") == 2
        assert [c.person_id for c in R.worklist(store, BOB).due_today] == [result.person_id]
        doc = R.export_bundle(store, R.SYSTEM_USER)
        Bundle.model_validate(doc)
        assert sum(e["resource"]["resourceType"] == "Task" for e in doc["entry"]) == 4
        R.erase_person(store, NHS_NUMBER, R.SYSTEM_USER)
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.people)).scalar() == 1
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.notes)).scalar() == 0
        assert [e.action for e in R.trail(store, R.SYSTEM_USER, action="erase_person")] == ["erase_person"]


def test_the_same_bundle_imported_at_once_by_several_workers_makes_one_referral(db_url):
    with Store(db_url) as store:
        setup_service(store)
        R.assign_staff(store, R.SYSTEM_USER, "warm-up")  # the tables exist before the race
        data = bundle_bytes()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: R.import_bundle(store, data, R.SYSTEM_USER), range(8)))
        assert sum(r.created for r in results) == 1
        assert len({(r.person_id, r.referral_id) for r in results}) == 1


def test_two_link_workers_moving_one_referral_at_once_cannot_both_succeed(db_url):
    with Store(db_url) as store:
        setup_service(store)
        result = imported(store)
        with store.engine.connect() as conn:
            stale = conn.execute(sa.select(schema.incoming)).one()  # ann reads it ...
        R.accept_referral(store, BOB, result.referral_id)  # ... bob accepts first
        with pytest.raises(InputError), store.engine.begin() as conn:
            status.change(conn, schema.incoming, "incoming", stale, "rejected", "not eligible", "ann", "now")
        assert R.view_person(store, BOB, result.person_id).referrals[0].status == "accepted"
