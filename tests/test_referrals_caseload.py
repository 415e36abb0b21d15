"""`referrals.caseload`: everyone open on a link worker's (or her team's) caseload, for a page's
person picker; nobody of another team, nobody closed, nobody for a role without a caseload."""

from __future__ import annotations

import pytest

import referrals as R
from directory.accounts import PermissionDenied
from directory.store import Store

from .referral_fixtures import (
    ADMIN,
    ANN,
    BOB,
    CAT,
    CURATOR,
    GP,
    audit_rows,
    imported,
    other_bundle,
    setup_service,
)


@pytest.fixture
def service(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        yield store


def test_caseload_is_hers_or_her_teams_open_records(service):
    mine = imported(service)
    R.accept_referral(service, ANN, mine.referral_id)
    bobs = imported(service, other_bundle(1))
    R.accept_referral(service, BOB, bobs.referral_id)
    closed = imported(service, other_bundle(2))
    R.accept_referral(service, ANN, closed.referral_id)
    R.set_status(service, ANN, closed.referral_id, "completed")
    south = imported(service, other_bundle(3))
    R.accept_referral(service, CAT, south.referral_id)
    assert [c.person_id for c in R.caseload(service, ANN)] == [mine.person_id]
    assert {c.person_id for c in R.caseload(service, ANN, scope="team")} == {mine.person_id, bobs.person_id}
    assert [c.person_id for c in R.caseload(service, CAT, scope="team")] == [south.person_id]
    assert ("ann", "caseload", None) in audit_rows(service)
    with pytest.raises(ValueError):
        R.caseload(service, ANN, scope="everyone")


@pytest.mark.parametrize("actor", [GP, CURATOR, ADMIN], ids=lambda u: u.role)
def test_caseload_is_refused_to_roles_without_one(service, actor):
    imported(service)
    with pytest.raises(PermissionDenied):
        R.caseload(service, actor)


def test_caseload_on_a_database_that_never_held_a_referral_is_empty_and_creates_nothing(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        assert R.caseload(store, ANN) == []
        assert not audit_rows(store)
