"""The whole referral path in Streamlit's AppTest, on a real SQLite file: a GP refers from the
preview, a practice's FHIR bundle comes in through `signpost referrals import`, a link worker
accepts, shortlists in Find support, refers to two listings, records what the providers did, ONS4
at the start and at discharge, downloads the letters and closes the case; the GP follows it on
"Our referrals". And each new page for each role: exactly what it may see, never notes for a GP
or a curator."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import referrals as R
from directory import accounts
from directory.accounts import SYSTEM, User
from directory.store import Store

from . import app_fixtures
from .app_fixtures import HOME, ROOT, new_app
from .referral_fixtures import BUNDLE_PATH, FAMILY, NHS_NUMBER, PRACTICE, nhs_number

app_db = app_fixtures.app_db  # the fixture, for this module

PASSWORDS = {"gail": "gp-password-1-Tern", "ann": "lw-password-1-Heron", "bob": "lw-password-2-Egret",
             "cora": "curator-password-1-Auk", "ada": "admin-password-1-Gannet"}
ROLES = {"gail": "gp", "ann": "link_worker", "bob": "link_worker", "cora": "curator", "ada": "admin"}
NOTE = "Private note: worried about her son"
GP_NHS = nhs_number(41)
NEW_PAGES = {"views/caseload.py": "Referrals", "views/person.py": "Person", "views/practice.py": "Our referrals",
             "views/outcomes.py": "Listing outcomes"}
MAY_SEE = {"gp": {"views/practice.py"},
           "link_worker": {"views/caseload.py", "views/person.py", "views/outcomes.py"},
           "curator": {"views/outcomes.py"}, "admin": {"views/outcomes.py"}}


def staffed(db: str) -> None:
    with Store(db) as s:
        for name, role in ROLES.items():
            accounts.add_user(s, SYSTEM, name, PASSWORDS[name], role)
        R.assign_staff(s, R.SYSTEM_USER, "gail", practice=PRACTICE)
        R.assign_staff(s, R.SYSTEM_USER, "ann", team="north")
        R.assign_staff(s, R.SYSTEM_USER, "bob", team="north")


def signed_in(name: str, page: str | None = None):
    at = new_app()
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value(name)
    inputs["Password"].set_value(PASSWORDS[name])
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def screen(at) -> str:
    """Every piece of text on the page (main and sidebar), tables included."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "success", "info", "warning",
                 "error", "code", "expander"):
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", None) or getattr(el, "label", "")))
    for el in at.get("dataframe"):
        parts.append(el.value.to_string())
    for el in at.get("selectbox"):
        parts += [str(o) for o in el.options]
    return "\n".join(parts).replace("\\", "")


def downloads(at) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def click(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_whole_referral_path(app_db):
    staffed(app_db)
    # 1. the GP previews and refers
    gp = signed_in("gail")
    assert gp.title[0].value == "GP preview"
    gp.text_area(key="gp_text").set_value("lonely since her husband died, would like company")
    click(gp, "FormSubmitter:gp-Show local options")
    gp.text_input(key="gpr_nhs").set_value(GP_NHS)
    gp.text_input(key="gpr_name").set_value("Ishbel Grant")
    gp.date_input(key="gpr_birth").set_value(dt.date(1949, 3, 2))
    gp.text_input(key="gpr_conditions").set_value("COPD, bereavement")
    click(gp, "FormSubmitter:gp_refer-Refer to the link worker service")
    assert any(s.value.startswith("Referred") for s in gp.success), screen(gp)
    # 2. a practice's bundle arrives at the command line
    out = subprocess.run([sys.executable, "-m", "cli", "--db", app_db, "referrals", "import", str(BUNDLE_PATH)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    # 3. both are in the link worker's inbox
    lw = signed_in("ann", "views/caseload.py")
    inbox = screen(lw)
    assert "Ishbel Grant" in inbox and FAMILY in inbox
    assert "lonely since her husband died" in inbox and "COPD" in inbox
    with Store(app_db) as s:
        items = {i.name: i for i in R.inbox(s, User("ann", "link_worker"))}
    ishbel = items["Ishbel Grant"]
    # the bundle's referral is rejected with a reason; the GP's is accepted
    margaret = next(i for n, i in items.items() if FAMILY in n)
    lw.text_input(key=f"cl_reason_{margaret.referral_id}").set_value("Already supported by another service")
    click(lw, f"FormSubmitter:cl_reject_{margaret.referral_id}-Reject")
    assert FAMILY not in screen(lw).split("Worklist")[0]
    click(lw, f"cl_accept_{ishbel.referral_id}")
    assert lw.title[0].value == "Person" and "Ishbel Grant" in screen(lw)
    assert "Letter to the GP: referral accepted (PDF)" in downloads(lw)
    # 4. Find support: shortlist two options and refer to both
    lw.switch_page("views/find_support.py").run()
    lw.selectbox(key="fs_need_social_relationships").set_value(1)
    lw.selectbox(key="fs_need_mental_wellbeing").set_value(3)
    lw.number_input(key="fs_lat").set_value(HOME[0])
    lw.number_input(key="fs_lon").set_value(HOME[1])
    click(lw, "FormSubmitter:profile-Find support")
    click(lw, "fs_pick_G01")
    click(lw, "fs_pick_G02")
    assert lw.selectbox(key="rw_person").value == ishbel.person_id
    click(lw, "rw_refer_G01")
    click(lw, "rw_refer_G02")
    assert any("Referred to Community Choir" in s.value.replace("\\", "") for s in lw.success)
    # 5. on the Person page: what the providers did, with reasons; a note; a contact
    lw.switch_page("views/person.py").run()
    person = R.view_person(Store(app_db), User("ann", "link_worker"), ishbel.person_id)
    lunch, choir = sorted(person.onward, key=lambda o: o.listing_id)
    assert (lunch.listing_id, choir.listing_id) == ("G01", "G02") and lunch.need == "social_relationships"
    lw.selectbox(key=f"pp_ost_{lunch.id}").set_value("accepted")
    lw.checkbox(key=f"pp_oatt_{lunch.id}").check()
    lw.date_input(key=f"pp_ofirst_{lunch.id}").set_value(dt.date.today())
    click(lw, f"FormSubmitter:pp_onward_{lunch.id}-Save")
    lw.selectbox(key=f"pp_ost_{choir.id}").set_value("rejected")
    click(lw, f"FormSubmitter:pp_onward_{choir.id}-Save")
    assert any("reason" in e.value for e in lw.error)  # rejected needs a reason: nothing saved
    lw.text_input(key=f"pp_owhy_{choir.id}").set_value("The choir is full until spring")
    click(lw, f"FormSubmitter:pp_onward_{choir.id}-Save")
    lw.text_area(key="pp_note_text").set_value(NOTE)
    click(lw, "FormSubmitter:pp_note-Add the note")
    click(lw, "FormSubmitter:pp_contact-Record the contact")
    # 6. ONS4 and needs re-rated at the start and at discharge; the chart shows the change
    for stage, scores, need in (("start", (3, 4, 3, 8), 2), ("discharge", (7, 7, 6, 3), 6)):
        lw.selectbox(key="pp_stage").set_value(stage)
        for key, value in zip(("life_satisfaction", "worthwhile", "happiness", "anxiety"), scores, strict=True):
            lw.number_input(key=f"pp_ons4_{key}").set_value(value)
        lw.number_input(key="pp_need_social_relationships").set_value(need)
        click(lw, "FormSubmitter:pp_outcome-Record")
    charts = [str(c.proto) for c in lw.get("vega_lite_chart")]
    assert len(charts) == 2 and all("start" in c and "discharge" in c for c in charts), "the change, charted"
    text = screen(lw)
    assert "The choir is full until spring" in text and NOTE in text and "Govan Lunch Club" in text
    # 7. close the case: the closing letter is there
    ref_id = ishbel.referral_id
    lw.selectbox(key=f"pp_to_{ref_id}").set_value("completed")
    click(lw, f"FormSubmitter:pp_status_{ref_id}-Change status")
    assert "Letter to the GP: referral closed (PDF)" in downloads(lw)
    with Store(app_db) as s:
        letter = R.gp_letter(s, User("ann", "link_worker"), ref_id, "closed")
        person = R.view_person(s, User("ann", "link_worker"), ishbel.person_id)
    assert letter.startswith(b"%PDF") and person.status == "closed"
    assert [o.stage for o in person.outcomes] == ["start", "discharge"]
    assert {(o.listing_id, o.status, o.attended) for o in person.onward} == {("G01", "accepted", True),
                                                                              ("G02", "rejected", False)}
    changes = [(h.field, h.new, h.reason, h.actor) for h in person.history]
    assert ("status", "rejected", "The choir is full until spring", "ann") in changes
    # 8. the GP follows it: statuses, the letters, never the note
    gp = signed_in("gail", "views/practice.py")
    seen = screen(gp)
    assert "Ishbel Grant" in seen and "completed" in seen and "Govan Lunch Club: accepted" in seen
    assert "Already supported by another service" in seen  # the rejection's reason
    assert NOTE not in seen and "worried" not in seen
    assert "Letter: referral closed (PDF)" in downloads(gp)
    # 9. the figures per listing, for a curator: no person on the screen
    cora = signed_in("cora", "views/outcomes.py")
    figures = cora.get("dataframe")[0].value
    assert set(figures["Id"]) == {"G01", "G02"}
    seen = screen(cora)
    assert "Ishbel" not in seen and FAMILY not in seen and NOTE not in seen and NHS_NUMBER not in seen


@pytest.mark.parametrize("name", list(ROLES))
def test_each_role_sees_exactly_its_referral_pages(app_db, name):
    staffed(app_db)
    with Store(app_db) as s:
        result = R.import_bundle(s, BUNDLE_PATH, R.SYSTEM_USER)
        ann = User("ann", "link_worker")
        R.accept_referral(s, ann, result.referral_id)
        R.add_note(s, ann, result.person_id, NOTE)
    role = ROLES[name]
    at = signed_in(name)
    for page, title in NEW_PAGES.items():
        if page in MAY_SEE[role]:
            at.switch_page(page).run()
            assert not at.exception and at.title[0].value == title, (page, role)
            seen = screen(at)
            if role != "link_worker":
                assert NOTE not in seen, (page, role)
            if role in ("curator", "admin"):
                assert FAMILY not in seen and NHS_NUMBER not in seen, (page, role)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)


@pytest.mark.parametrize(("page", "role"), [(p, r) for p in NEW_PAGES for r in ROLES.values()
                                            if p not in MAY_SEE[r]])
def test_a_referral_page_run_directly_refuses_a_role_without_its_permission(app_db, page, role):
    from streamlit.testing.v1 import AppTest

    staffed(app_db)
    name = next(n for n, r in ROLES.items() if r == role)
    at = AppTest.from_file(str(ROOT / page), default_timeout=app_fixtures.TIMEOUT)
    with Store(app_db) as s:
        at.session_state["user"] = accounts.find_user(s, name)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"Your role ({accounts_role_words(role)}) cannot use this page."]
    assert not at.get("download_button") and not at.get("dataframe")


def accounts_role_words(role: str) -> str:
    from directory.vocabulary import ROLE_WORDS

    return ROLE_WORDS.get(role, role)


def test_a_link_worker_of_another_team_sees_neither_the_person_nor_the_notes(app_db):
    staffed(app_db)
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "cat", "lw-password-3-Puffin", "link_worker")
        R.assign_staff(s, R.SYSTEM_USER, "cat", team="south")
        result = R.import_bundle(s, BUNDLE_PATH, R.SYSTEM_USER)
        R.accept_referral(s, User("ann", "link_worker"), result.referral_id)
        R.add_note(s, User("ann", "link_worker"), result.person_id, NOTE)
    PASSWORDS["cat"] = "lw-password-3-Puffin"
    at = signed_in("cat", "views/person.py")
    at.session_state["ref_person"] = result.person_id
    at.run()
    seen = screen(at)
    assert NOTE not in seen and FAMILY not in seen
    assert any("Not allowed" in e.value for e in at.error)
    bob = signed_in("bob", "views/person.py")  # the same team: he may open it
    assert FAMILY in screen(bob)
