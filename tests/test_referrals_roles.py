"""Every person and referral action × every role (issue "Privacy and access, tested"): an allowed
action works and its audit entry names the actor; a denied one raises PermissionDenied and writes
nothing at all. The matrix is written out here, as the reader checks it, and compared with the
one the code enforces."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import referrals as R
from directory.accounts import PermissionDenied
from directory.store import Store

from .referral_fixtures import (
    BY_ROLE,
    NHS_NUMBER,
    audit_rows,
    bundle_bytes,
    imported,
    other_bundle,
    setup_service,
    snapshot,
)

GP, LW, CUR, ADM = "gp", "link_worker", "curator", "admin"
TODAY = dt.date.today()

# action → (roles allowed, the audit action it writes, how to call it)
MATRIX = {
    "refer_from_preview": ({GP}, "refer_from_preview", lambda s, u, c: R.refer_from_preview(
        s, u, nhs_number="6000000006", name="New Person", birth_date="1950-01-01", needs={"money": 5})),
    "import_referrals": ({ADM}, "import_referrals",
                         lambda s, u, c: R.import_bundle(s, bundle_bytes(other_bundle(40)), u)),
    "export_referrals": ({ADM}, "export_referrals", lambda s, u, c: R.export_bundle(s, u)),
    "record_person": ({LW}, "record_person", lambda s, u, c: R.record_person(
        s, u, demographics=R.demographics_from_form("Sam Patel"), purpose="support")),
    "view_person": ({LW}, "view", lambda s, u, c: R.view_person(s, u, c["person"])),
    "practice_referrals": ({GP}, "practice_referrals", lambda s, u, c: R.practice_referrals(s, u)),
    "inbox": ({LW}, "inbox", lambda s, u, c: R.inbox(s, u)),
    "accept_referral": ({LW}, "accept_referral", lambda s, u, c: R.accept_referral(s, u, c["new_referral"])),
    "reject_referral": ({LW}, "reject_referral",
                        lambda s, u, c: R.reject_referral(s, u, c["new_referral"], "out of area")),
    "set_status": ({LW}, "set_status", lambda s, u, c: R.set_status(s, u, c["referral"], "on-hold", "in hospital")),
    "refer_to_listing": ({LW}, "refer_to_listing", lambda s, u, c: R.refer_to_listing(s, u, c["person"], "L2")),
    "update_onward": ({LW}, "update_onward",
                      lambda s, u, c: R.update_onward(s, u, c["onward"], status_to="accepted")),
    "add_note": ({LW}, "add_note", lambda s, u, c: R.add_note(s, u, c["person"], "spoke on the phone")),
    "record_contact": ({LW}, "record_contact", lambda s, u, c: R.record_contact(s, u, c["person"], TODAY)),
    "schedule_contact": ({LW}, "schedule_contact", lambda s, u, c: R.schedule_contact(s, u, c["person"], TODAY)),
    "record_outcome": ({LW}, "record_outcome", lambda s, u, c: R.record_outcome(
        s, u, c["person"], "start", TODAY, ons4={"happiness": 5})),
    "worklist": ({LW}, "worklist", lambda s, u, c: R.worklist(s, u, TODAY)),
    "handover": ({LW, ADM}, "handover", lambda s, u, c: R.handover(s, u, "ann", "bob")),
    "gp_letter": ({LW, GP}, "gp_letter", lambda s, u, c: R.gp_letter(s, u, c["referral"], "accepted")),
    "listing_outcomes": ({LW, CUR, ADM}, "outcome_labels", lambda s, u, c: R.listing_outcomes(s, u)),
    "erase_person": ({ADM}, "erase_person", lambda s, u, c: R.erase_person(s, NHS_NUMBER, u)),
    "purge_expired": ({ADM}, "purge_expired", lambda s, u, c: R.purge_expired(s, u, dry_run=False)),
    "view_audit": ({ADM}, "view_audit", lambda s, u, c: R.trail(s, u)),
    "assign_staff": ({ADM}, "assign_staff", lambda s, u, c: R.assign_staff(s, u, "eve", team="north")),
}
SYSTEM_MAY = {"import_referrals", "export_referrals", "handover", "listing_outcomes", "erase_person",
              "purge_expired", "view_audit", "assign_staff"}


def test_the_matrix_here_is_the_one_the_code_enforces():
    assert set(MATRIX) == set(R.ACTIONS)
    for action, (roles, _, _) in MATRIX.items():
        assert R.PERMISSIONS[action] - {"system"} == roles, action
    assert {a for a, roles in R.PERMISSIONS.items() if "system" in roles} == SYSTEM_MAY


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A service with one accepted case (referred on) and one new referral in the inbox, built once
    (closing the store folds the WAL into the file, so a copy of the file is the whole database)."""
    path = tmp_path_factory.mktemp("template") / "signpost.db"
    with Store(path) as store:
        setup_service(store)
        case = imported(store)
        R.accept_referral(store, BY_ROLE[LW], case.referral_id)
        onward = R.refer_to_listing(store, BY_ROLE[LW], case.person_id, "L1")
        new = imported(store, other_bundle(9))
    return path, {"person": case.person_id, "referral": case.referral_id, "onward": onward,
                  "new_referral": new.referral_id}


@pytest.fixture
def world(template, tmp_path):
    path, ctx = template
    shutil.copyfile(path, tmp_path / "signpost.db")
    with Store(tmp_path / "signpost.db") as store:
        yield store, ctx


@pytest.mark.parametrize("role", [GP, LW, CUR, ADM])
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_each_role_may_do_exactly_its_actions(world, role, action):
    store, ctx = world
    allowed, audited_as, call = MATRIX[action]
    user = BY_ROLE[role]
    if role in allowed:
        before = len(audit_rows(store))
        call(store, user, ctx)
        mine = [(actor, what) for actor, what, _ in audit_rows(store)[before:]]
        assert (user.username, audited_as) in mine, mine
    else:
        before = snapshot(store)
        with pytest.raises(PermissionDenied):
            call(store, user, ctx)
        assert snapshot(store) == before


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_the_command_line_system_user_runs_the_operators_jobs_only(world, action):
    store, ctx = world
    _, audited_as, call = MATRIX[action]
    if action in SYSTEM_MAY:
        call(store, R.SYSTEM_USER, ctx)
        assert ("signpost-cli", audited_as) in [(a, w) for a, w, _ in audit_rows(store)]
    else:
        before = snapshot(store)
        with pytest.raises(PermissionDenied):
            call(store, R.SYSTEM_USER, ctx)
        assert snapshot(store) == before


def test_a_role_nobody_has_may_do_nothing(world):
    store, ctx = world
    for _, _, call in MATRIX.values():
        with pytest.raises(PermissionDenied):
            call(store, R.access.User("mallory", "superuser"), ctx)
