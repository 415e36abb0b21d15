"""The core referral path on both databases (`db_url`: an SQLite file, then a real PostgreSQL
server): import, work the case, worklist, export, erasure."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

import referrals as R
from directory.store import Store
from referrals import schema

from .referral_fixtures import ANN, BOB, NHS_NUMBER, imported, other_bundle, setup_service


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
