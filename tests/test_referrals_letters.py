"""The message back to the GP (issue "Message back to the GP"): a PDF letter when a referral is
accepted and when it is closed, saying what was agreed and what happened, with the SNOMED CT code;
never the link worker's notes; only for the practice that referred or the link worker's caseload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

import referrals as R
from directory.accounts import PermissionDenied
from directory.records import InputError
from directory.store import Store

from .referral_fixtures import ANN, CAT, GP, OTHER_GP, imported, setup_service


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def case(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        result = imported(store)
        yield store, result


def test_the_accepted_letter_says_what_was_agreed_with_the_referral_code(case):
    store, result = case
    with pytest.raises(InputError):
        R.gp_letter(store, ANN, result.referral_id, "accepted")  # not accepted yet
    R.accept_referral(store, ANN, result.referral_id)
    R.refer_to_listing(store, ANN, result.person_id, "L1", "social_relationships")
    R.add_note(store, ANN, result.person_id, "Talked about her late husband Obinna")
    text = _text(R.gp_letter(store, ANN, result.referral_id, "accepted"))
    assert "referral accepted" in text and "Dr Tunde Adeyemi" in text and "943 476 5919" in text
    assert "Walking group L1 for social relationships" in text
    assert "871731000000106 Referral to social prescribing service" in text
    assert "Obinna" not in text  # notes never go to the GP
    assert _text(R.gp_letter(store, GP, result.referral_id, "accepted")) == text  # the practice may read it


def test_the_closed_letter_says_what_happened_and_a_declined_one_the_declined_code(case):
    store, result = case
    with pytest.raises(InputError):
        R.gp_letter(store, ANN, result.referral_id, "closed")
    R.reject_referral(store, ANN, result.referral_id, "did not want support now", declined=True)
    text = _text(R.gp_letter(store, ANN, result.referral_id, "closed"))
    assert "referral closed" in text and "rejected (did not want support now)" in text
    assert "871711000000103 Social prescribing declined" in text


def test_the_closed_letter_reports_wellbeing_at_start_and_discharge(case):
    store, result = case
    R.accept_referral(store, ANN, result.referral_id)
    R.record_outcome(store, ANN, result.person_id, "start", dt.date.today(), ons4={"life_satisfaction": 3})
    R.record_outcome(store, ANN, result.person_id, "discharge", dt.date.today(), ons4={"life_satisfaction": 7})
    R.set_status(store, ANN, result.referral_id, "completed")
    text = _text(R.gp_letter(store, ANN, result.referral_id, "closed"))
    assert "Life satisfaction: 3 at the start, 7 at discharge" in text


def test_a_letter_is_only_for_the_referring_practice_or_the_caseload(case):
    store, result = case
    R.accept_referral(store, ANN, result.referral_id)
    for outsider in (OTHER_GP, CAT):
        with pytest.raises(PermissionDenied):
            R.gp_letter(store, outsider, result.referral_id, "accepted")
