"""Working the case (issue "The person's record", "Working the case"): the record exists only from a
referral or a consented save; the inbox, accept and reject; referring on; the status value set and
its reason rule with a dated history; the worklist; handover with nothing lost; who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import referrals as R
from directory.accounts import PermissionDenied
from directory.records import InputError
from directory.store import SchemaError, Store
from referrals import schema

from .referral_fixtures import (
    ANN,
    BOB,
    CAT,
    CURATOR,
    GP,
    OTHER_GP,
    audit_rows,
    imported,
    other_bundle,
    setup_service,
    snapshot,
)

TODAY = dt.date.today()


@pytest.fixture
def service(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        yield store


@pytest.fixture
def case(service):
    result = imported(service)
    R.accept_referral(service, ANN, result.referral_id)
    return result


def test_reading_never_creates_the_referral_tables(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        assert R.inbox(store, ANN) == [] and R.worklist(store, ANN, TODAY).due_today == []
        assert R.practice_referrals(store, GP) == [] and R.export_bundle(store, R.SYSTEM_USER)["entry"] == []
        assert R.purge_expired(store, R.SYSTEM_USER).expired == []
        with store.engine.connect() as conn:
            assert not sa.inspect(conn).has_table("ref_people")


def test_a_link_worker_saves_a_record_only_with_consent_recorded(service):
    form = R.demographics_from_form("Sam Patel", "1971-03-02", postcode="ne4 6jp")
    with pytest.raises(InputError) as caught:
        R.record_person(service, ANN, demographics=form, purpose=" ")
    assert caught.value.issues[0].column == "purpose"
    pid = R.record_person(service, ANN, demographics=form, purpose="social prescribing support",
                          needs={"money": 8})
    person = R.view_person(service, ANN, pid)
    assert person.consent.by == "ann" and person.consent.purpose == "social prescribing support"
    assert person.consent.at and person.link_worker == "ann" and person.team == "north"
    assert person.referrals[0].status == "accepted" and person.demographics["address"][0]["postalCode"] == "NE4 6JP"


def test_the_inbox_holds_new_referrals_and_accepting_takes_the_case(service):
    result = imported(service)
    assert [i.referral_id for i in R.inbox(service, ANN)] == [result.referral_id]
    R.accept_referral(service, ANN, result.referral_id, next_contact_on=TODAY)
    assert R.inbox(service, ANN) == []
    person = R.view_person(service, ANN, result.person_id)
    assert (person.link_worker, person.team, person.next_contact_on) == ("ann", "north", TODAY)
    # accepted twice is not a status change the value set allows
    with pytest.raises(InputError):
        R.accept_referral(service, BOB, result.referral_id)


def test_rejecting_needs_a_reason_and_closes_the_record(service):
    result = imported(service)
    before = snapshot(service)
    with pytest.raises(InputError) as caught:
        R.reject_referral(service, ANN, result.referral_id, "  ")
    assert caught.value.issues[0].column == "reason" and snapshot(service) == before
    R.reject_referral(service, ANN, result.referral_id, "lives outside the area")
    with service.engine.connect() as conn:
        row = conn.execute(sa.select(schema.people)).one()
    assert row.status == "closed" and row.closed_at


@pytest.mark.parametrize("status", ["on-hold", "cancelled", "failed"])
def test_the_statuses_that_need_a_reason_refuse_one_without(service, case, status):
    before = snapshot(service)
    with pytest.raises(InputError) as caught:
        R.set_status(service, ANN, case.referral_id, status)
    assert caught.value.issues[0].column == "reason"
    assert snapshot(service) == before
    R.set_status(service, ANN, case.referral_id, status, reason="in hospital")


def test_a_status_outside_the_value_set_or_out_of_order_is_refused(service, case):
    with pytest.raises(InputError):
        R.set_status(service, ANN, case.referral_id, "ready")  # TaskStatus, but not in the Gravity value set
    with pytest.raises(InputError):
        R.set_status(service, ANN, case.referral_id, "requested")
    R.set_status(service, ANN, case.referral_id, "completed")
    with pytest.raises(InputError):  # closed stays closed
        R.set_status(service, ANN, case.referral_id, "in-progress")
    R.set_status(service, ANN, case.referral_id, "entered-in-error")


def test_every_status_change_is_in_a_dated_history_of_who_changed_what(service, case):
    onward = R.refer_to_listing(service, ANN, case.person_id, "L1", "social_relationships")
    R.set_status(service, BOB, case.referral_id, "on-hold", reason="waiting for a hospital appointment")
    R.update_onward(service, ANN, onward, status_to="accepted", attended=True, first_contact_on=TODAY)
    history = R.view_person(service, ANN, case.person_id).history
    steps = [(h.kind, h.field, h.old, h.new, h.actor) for h in history if h.field == "status"]
    assert steps == [
        ("incoming", "status", None, "requested", "signpost-cli"),
        ("incoming", "status", "requested", "accepted", "ann"),
        ("onward", "status", None, "requested", "ann"),
        ("incoming", "status", "accepted", "in-progress", "ann"),  # referring on starts the work
        ("incoming", "status", "in-progress", "on-hold", "bob"),
        ("onward", "status", "requested", "accepted", "ann"),
    ]
    assert all(h.at for h in history)
    assert [h.reason for h in history if h.new == "on-hold"] == ["waiting for a hospital appointment"]


def test_referring_on_needs_a_listing_that_exists_and_an_accepted_referral(service):
    result = imported(service)
    with pytest.raises(InputError):
        R.refer_to_listing(service, ANN, result.person_id, "L1")  # not accepted yet
    R.accept_referral(service, ANN, result.referral_id)
    with pytest.raises(InputError) as caught:
        R.refer_to_listing(service, ANN, result.person_id, "NO-SUCH-LISTING")
    assert caught.value.issues[0].column == "listing_id"


def test_the_worklist_sorts_due_overdue_quiet_and_waiting(service):
    ids = {}
    for n, name in enumerate(["due", "overdue", "quiet", "waiting", "fine"]):
        result = imported(service, other_bundle(n))
        R.accept_referral(service, ANN, result.referral_id)
        ids[name] = result.person_id
    R.schedule_contact(service, ANN, ids["due"], TODAY)
    R.schedule_contact(service, ANN, ids["overdue"], TODAY - dt.timedelta(days=3))
    R.record_contact(service, ANN, ids["quiet"], TODAY - dt.timedelta(days=20))
    R.refer_to_listing(service, ANN, ids["waiting"], "L1")
    for name in ("due", "overdue", "waiting", "fine"):
        R.record_contact(service, ANN, ids[name], TODAY - dt.timedelta(days=2),
                         next_contact_on={"due": TODAY, "overdue": TODAY - dt.timedelta(days=1)}.get(name))
    work = R.worklist(service, ANN, TODAY)
    assert [c.person_id for c in work.due_today] == [ids["due"]]
    assert [c.person_id for c in work.overdue] == [ids["overdue"]]
    assert [c.person_id for c in work.not_contacted] == [ids["quiet"]]
    assert [c.person_id for c in work.waiting_on_provider] == [ids["waiting"]]
    assert work.waiting_on_provider[0].waiting_on_provider == 1
    assert R.worklist(service, CAT, TODAY, scope="team").due_today == []  # another team's
    assert [c.person_id for c in R.worklist(service, BOB, TODAY, scope="team").due_today] == [ids["due"]]
    assert R.worklist(service, BOB, TODAY).due_today == []  # not his own


def test_handover_moves_the_whole_caseload_in_one_step_with_nothing_lost(service):
    people = []
    for n in range(6):
        result = imported(service, other_bundle(n))
        R.accept_referral(service, ANN, result.referral_id)
        R.add_note(service, ANN, result.person_id, f"note {n}")
        people.append(result.person_id)
    R.set_status(service, ANN, 1, "completed")  # a closed record goes too
    before = {pid: R.view_person(service, ANN, pid) for pid in people}
    with pytest.raises(PermissionDenied):
        R.handover(service, CAT, "ann", "cat")  # another team's caseload
    assert R.handover(service, ANN, "ann", "bob") == 6
    for pid in people:
        after = R.view_person(service, BOB, pid)
        assert (after.link_worker, after.team) == ("bob", "north")
        old = before[pid]
        assert (after.notes, after.referrals, after.onward, after.outcomes) == (
            old.notes, old.referrals, old.onward, old.outcomes)
        assert after.history[-1].field == "link_worker" and after.history[-1].old == "ann"
    assert R.worklist(service, ANN, TODAY) == R.Worklist([], [], [], [])
    assert ("ann", "handover", None) in audit_rows(service)


def test_a_link_worker_outside_the_team_sees_no_record_and_writes_nothing(service, case):
    before = snapshot(service)
    for attempt in (lambda: R.view_person(service, CAT, case.person_id),
                    lambda: R.add_note(service, CAT, case.person_id, "not mine"),
                    lambda: R.set_status(service, CAT, case.referral_id, "completed"),
                    lambda: R.refer_to_listing(service, CAT, case.person_id, "L1"),
                    lambda: R.record_outcome(service, CAT, case.person_id, "start", TODAY, ons4={"anxiety": 1}),
                    lambda: R.gp_letter(service, CAT, case.referral_id, "accepted")):
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(service) == before
    assert R.worklist(service, CAT, TODAY, scope="team") == R.Worklist([], [], [], [])
    assert R.view_person(service, BOB, case.person_id).id == case.person_id  # same team


def test_a_gp_sees_only_her_practices_referrals_and_their_status_never_notes(service, case):
    R.add_note(service, ANN, case.person_id, "Private conversation about her son")
    R.refer_to_listing(service, ANN, case.person_id, "L1")
    [mine] = R.practice_referrals(service, GP)
    assert (mine.referral_id, mine.status, mine.onward) == (case.referral_id, "in-progress",
                                                            [("Walking group L1", "requested")])
    assert "Private" not in repr(mine)
    assert R.practice_referrals(service, OTHER_GP) == []
    with pytest.raises(PermissionDenied):
        R.view_person(service, GP, case.person_id)


def test_the_gp_preview_sends_what_the_gp_saw_as_an_incoming_referral(service):
    result = R.refer_from_preview(
        service, GP, nhs_number="600 000 0006", name="Ayesha Khan", birth_date="1949-08-30",
        needs={"social_relationships": 8}, conditions=["COPD"], words="Isolated since moving",
        options=[{"listing_id": "L1", "name": "Walking group L1"}])
    [item] = R.inbox(service, ANN)
    assert item.referral_id == result.referral_id and item.reasons == ["COPD"] and item.note == "Isolated since moving"
    person = R.view_person(service, ANN, result.person_id)
    assert person.needs == {"social_relationships": 8}
    assert person.referrals[0].preview == {"options": [{"listing_id": "L1", "name": "Walking group L1"}]}
    assert [p.referral_id for p in R.practice_referrals(service, GP)] == [result.referral_id]
    with pytest.raises(InputError):
        R.refer_from_preview(service, GP, nhs_number="6000000007", name="X", birth_date="1949-08-30", needs={})


def test_who_viewed_a_record_is_audited(service, case):
    R.view_person(service, ANN, case.person_id)
    R.view_person(service, BOB, case.person_id)
    assert [who for who, _ in R.viewers(service, R.SYSTEM_USER, case.person_id)] == ["ann", "bob"]
    with pytest.raises(PermissionDenied):
        R.viewers(service, ANN, case.person_id)


def test_outcomes_are_checked_and_listing_figures_kept_as_labels(service, case):
    with pytest.raises(InputError):
        R.record_outcome(service, ANN, case.person_id, "start", TODAY, ons4={"life_satisfaction": 11})
    with pytest.raises(InputError):
        R.record_outcome(service, ANN, case.person_id, "start", TODAY, needs={"money": 0})
    with pytest.raises(InputError):
        R.record_outcome(service, ANN, case.person_id, "halfway", TODAY, ons4={"anxiety": 2})
    first = R.refer_to_listing(service, ANN, case.person_id, "L1")
    second = R.refer_to_listing(service, ANN, case.person_id, "L1")
    R.update_onward(service, ANN, first, status_to="accepted", attended=True,
                    first_contact_on=dt.date.today() + dt.timedelta(days=4))
    R.update_onward(service, ANN, first, status_to="completed")
    R.update_onward(service, ANN, second, status_to="rejected", reason="full")
    [figures] = R.listing_outcomes(service, CURATOR)
    assert (figures.listing_id, figures.referred, figures.accepted, figures.attended, figures.completed,
            figures.median_days_to_first_contact) == ("L1", 2, 1, 1, 1, 4)
    labels = R.outcome_labels(service, ANN)
    assert {tuple(sorted(row)) for row in labels} == {("attended", "days_to_first_contact", "listing_id", "need",
                                                       "status")}


def test_a_newer_referral_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "signpost.db"
    with Store(path) as store:
        setup_service(store)
        imported(store)
        with store.engine.begin() as conn:
            conn.execute(schema.state.update().values(value=schema.REFERRAL_SCHEMA_VERSION + 1))
    with Store(path) as store:
        before = snapshot(store)
        with pytest.raises(SchemaError):
            R.inbox(store, ANN)
        with pytest.raises(SchemaError):
            imported(store, other_bundle(2))
        assert snapshot(store) == before
