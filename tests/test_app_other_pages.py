"""GP preview, Gaps and Accounts pages, and sign-in by role, in Streamlit's AppTest."""

from __future__ import annotations

import pytest

from directory import accounts
from directory.accounts import SYSTEM
from directory.store import Store

from .app_fixtures import new_app


def test_gp_preview_gives_five_options_with_reasons_and_a_referral_note(app_db):
    at = new_app("views/gp_preview.py")
    at.text_area(key="gp_text").set_value("lonely since her husband died, would like company")
    at.button(key="FormSubmitter:gp-Show local options").click().run()
    assert not at.exception
    lines = [m.value for m in at.markdown if m.value.startswith("**")]
    assert 1 <= len(lines) <= 5
    assert any("Govan Lunch Club" in m or "Community Choir" in m for m in lines)
    assert all(":" in m for m in lines)  # name: reasons
    note = at.code[0].value
    assert note.startswith("Referral to social prescribing link worker.")
    assert "Seen by GP: lonely since her husband died" in note and "1. " in note


def test_gaps_page_shows_zero_provision(app_db):
    at = new_app("views/gaps.py")
    assert not at.exception
    headers = [s.value for s in at.subheader]
    assert any(h.startswith("Nothing to go to:") for h in headers)
    (zeros,) = [d.value for d in at.dataframe if list(d.value.columns) == ["need", "language name"]]
    assert ("Money", "Urdu") in set(zip(zeros["need"], zeros["language name"], strict=True))


def test_local_mode_without_accounts_is_a_local_admin(app_db):
    at = new_app()
    assert any("Local mode" in i.value for i in at.sidebar.info)
    at.switch_page("views/accounts.py").run()
    assert not at.exception and at.title[0].value == "Accounts"


def sign_in(at, username, password):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value(username)
    inputs["Password"].set_value(password)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    return at


def test_with_accounts_every_page_needs_sign_in_and_roles_limit_pages(app_db):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "gail", "gp-password-1", "gp")
        accounts.add_user(s, SYSTEM, "cora", "curator-password-1", "curator")
    at = new_app()
    assert at.title[0].value == "Signpost" and not at.selectbox  # nothing but the sign-in form
    sign_in(at, "gail", "wrong-password")
    assert at.error[0].value == "That username and password do not match an account."
    sign_in(at, "gail", "gp-password-1")
    assert not at.exception
    assert at.title[0].value == "GP preview"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/directory.py")  # not even registered for a GP

    at = sign_in(new_app(), "cora", "curator-password-1")
    assert at.title[0].value == "Find support"
    at.switch_page("views/directory.py").run()
    assert at.title[0].value == "Directory"
    at.selectbox(key="dir_open").set_value("G01").run()
    at.text_input(key="ed_schedule").set_value("Fridays 12:00-14:00")
    at.button(key="FormSubmitter:edit_form-Save changes").click().run()
    assert Store(app_db).history("G01")[-1].actor == "cora"


def test_a_role_taken_away_applies_at_once(app_db):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "cora", "curator-password-1", "curator")
    at = sign_in(new_app(), "cora", "curator-password-1")
    at.switch_page("views/directory.py").run()
    assert at.title[0].value == "Directory"
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "cora", "curator-password-1", "gp")
    at.run()  # the navigation is rebuilt from the role on every run: the Directory is no longer a page
    assert [t.value for t in at.title] == ["GP preview"]
    assert not [s for s in at.selectbox if s.key == "dir_open"] and not [t for t in at.text_input if t.key == "ed_schedule"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/directory.py")


def test_gaps_counts_what_matching_says_a_listing_serves(app_db):
    from matcher.recommender import Recommender

    from .app_fixtures import listing

    with Store(app_db) as s:  # no curator domains: what it serves is inferred, by matching's one rule
        s.create(listing("G09", name="Debt Help Desk", domains=[], description="Free help with debt and benefits."))
    at = new_app("views/gaps.py")
    assert not at.exception
    with Recommender.open(app_db) as rec:
        served = rec.listing_domains()["G09"][0]
    by_area = at.dataframe[0].value
    assert served and "money" in served
    money = by_area.loc[[ix for ix in by_area.index if ix[1] == "Money"]]
    assert int(money.to_numpy().sum()) == 2  # the advice line and the new desk
