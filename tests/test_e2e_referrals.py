"""The referral path end to end in a real browser: `streamlit run app.py` on a free loopback port
with a temporary database and accounts, Debian's Chromium driven by Playwright. A GP refers from
the preview; a bundle comes in through `signpost referrals import`; a link worker accepts, refers
the person to two listings from Find support, records what the providers did and ONS4 at the
start and at discharge, downloads the letter and closes the case; the GP sees the status. Every
request the browser makes is recorded: any host other than this computer fails the test."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import referrals as R
from directory import accounts
from directory.accounts import SYSTEM, User
from directory.store import Store
from referrals.records import ONS4_QUESTIONS

from .app_fixtures import ROOT, app_directory
from .referral_fixtures import BUNDLE_PATH, FAMILY, PRACTICE, nhs_number
from .test_e2e_browser import ARGS, CHROMIUM, choose, need_chromium, running_app, screenshots, shoot

PASSWORDS = {"gail": "gp-password-1-Tern", "ann": "lw-password-1-Heron"}
NOTE = "Private note: worried about her son"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "signpost.db"
    with Store(db) as store:
        store.import_resources(app_directory(), actor="test")
        accounts.add_user(store, SYSTEM, "gail", PASSWORDS["gail"], "gp")
        accounts.add_user(store, SYSTEM, "ann", PASSWORDS["ann"], "link_worker")
        R.assign_staff(store, R.SYSTEM_USER, "gail", practice=PRACTICE)
        R.assign_staff(store, R.SYSTEM_USER, "ann", team="north")
    with running_app(db, tmp_path, "app.py") as url:
        yield url, db


def sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in", exact=True).click()


def settle(page) -> None:
    """Wait until the app has finished running the page (Streamlit's status widget is gone)."""
    page.wait_for_timeout(800)
    page.get_by_test_id("stStatusWidget").wait_for(state="detached")


def eventually(check, seconds: float = 30):
    """What the page wrote, read from the database once its run has finished."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def pick(page, box, option: str) -> None:
    """Choose an option of a selectbox: open it (again, if a rerun closed it) and click the option."""
    for _ in range(4):
        settle(page)
        box.click()
        found = page.get_by_role("option", name=option, exact=True)
        try:
            found.wait_for(timeout=5000)
        except Exception:  # playwright's TimeoutError: the list did not open
            page.keyboard.press("Escape")
            continue
        found.click()
        settle(page)
        return
    raise AssertionError(f"the option {option!r} never showed")


def go(page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for()


def test_the_referral_path_in_a_browser(server, tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    url, db = server
    expect.set_options(timeout=90_000)  # the first search loads the model and builds the index
    shots = screenshots(tmp_path)
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.on("request", lambda request: requests.append(request.url))
        try:
            walk(page, url, db, shots, expect)
        except Exception:
            shoot(page, shots / "failed.png", 3200)
            raise
        browser.close()
    off_machine = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert not off_machine, off_machine
    assert any(urlsplit(u).hostname == "127.0.0.1" for u in requests)
    print(f"screenshots: {shots}")


def walk(page, url: str, db: Path, shots: Path, expect) -> None:
    """The path itself, as the GP and the link worker walk it."""

    # the GP previews and refers
    sign_in(page, url, "gail")
    expect(page.get_by_role("heading", name="GP preview")).to_be_visible()
    page.get_by_role("textbox", name="Needs or conditions, in a few words").fill(
        "lonely since her husband died, would like company")
    page.get_by_role("button", name="Show local options").click()
    expect(page.get_by_role("heading", name="Refer to the link worker service")).to_be_visible()
    page.get_by_role("textbox", name="NHS number").fill(nhs_number(41))
    page.get_by_role("textbox", name="Their name").fill("Ishbel Grant")
    birth = page.get_by_label("Date of birth", exact=True)
    birth.get_by_role("spinbutton").first.click()  # a date field of segments: year, month, day
    page.keyboard.type("19490302")
    page.keyboard.press("Tab")
    page.get_by_role("textbox", name="Conditions (separate with commas)").fill("COPD, bereavement")
    page.get_by_role("button", name="Refer to the link worker service").click()
    expect(page.get_by_text("Referred: it is in the link worker service's inbox")).to_be_visible()
    shoot(page, shots / "1-gp-referred.png", 1800)

    # a practice's bundle arrives at the command line
    out = subprocess.run([sys.executable, "-m", "cli", "--db", str(db), "referrals", "import", str(BUNDLE_PATH)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr

    # the link worker's inbox holds both; she accepts the GP's
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url, "ann")
    go(page, "Referrals")
    expect(page.get_by_text("Ishbel Grant").first).to_be_visible()
    expect(page.get_by_text(FAMILY).first).to_be_visible()
    shoot(page, shots / "2-inbox.png", 2000)
    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_role("heading", name="Ishbel Grant")).to_be_visible()

    # Find support: shortlist two options and refer to both
    go(page, "Find support")
    page.get_by_role("textbox", name="In their own words: what matters to them, what they would like to do").fill(
        "I would like some company and to sing again.")
    choose(page, "Social relationships", "1 greatest")
    choose(page, "Mental wellbeing", "3")
    page.get_by_role("textbox", name="Where they live: postcode or place").fill("Govan")
    page.get_by_role("button", name="Find support").click()
    expect(page.get_by_text("options, best first")).to_be_visible()
    for _ in range(2):
        page.get_by_role("button", name="Shortlist", exact=True).first.click()
        page.wait_for_timeout(1000)
    refer = page.get_by_role("button", name=re.compile(r"^Refer to "))
    expect(refer).to_have_count(2)
    for n in range(2):
        page.get_by_role("button", name=re.compile(r"^Refer to ")).nth(n).click()
        expect(page.get_by_text(re.compile(r"^Referred to ")).first).to_be_visible()
    page.get_by_role("heading", name="Refer them").scroll_into_view_if_needed()
    shoot(page, shots / "3-referred-on.png", 2400)

    # the Person page: what the providers did, a note, ONS4 at the start and at discharge
    go(page, "Person")
    expect(page.get_by_role("heading", name="Ishbel Grant")).to_be_visible()
    with Store(db) as store:  # which listing was referred first (the shortlist's order)
        ishbel = next(c for c in R.caseload(store, User("ann", "link_worker")) if c.name == "Ishbel Grant")
        first, second = [o.listing_name for o in R.view_person(store, User("ann", "link_worker"),
                                                                ishbel.person_id).onward]
    pick(page, page.get_by_role("combobox", name="Status", exact=True).first, "accepted")
    page.get_by_role("checkbox", name="Attended").first.check(force=True)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("accepted · attended")).to_be_visible()
    pick(page, page.get_by_role("combobox", name="Status", exact=True).nth(1), "rejected")
    page.get_by_role("textbox", name="Reason (when needed)").nth(1).fill("The choir is full until spring")
    page.get_by_role("button", name="Save", exact=True).nth(1).click()
    expect(page.get_by_text("rejected (The choir is full until spring)")).to_be_visible()
    page.get_by_role("textbox", name="New note").fill(NOTE)
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    for stage, scores in (("start", ("3", "4", "3", "8")), ("discharge", ("7", "7", "6", "3"))):
        pick(page, page.get_by_role("combobox", name="When", exact=True), stage)
        for question, value in zip(ONS4_QUESTIONS.values(), scores, strict=True):
            page.get_by_label(question, exact=True).fill(value)
        page.get_by_role("button", name="Record", exact=True).click()
        settle(page)
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()

    def recorded():
        with Store(db) as store:
            outcomes = R.view_person(store, User("ann", "link_worker"), ishbel.person_id).outcomes
        assert [(o.stage, o.ons4["anxiety"]) for o in outcomes] == [("start", 8), ("discharge", 3)]

    eventually(recorded)
    with page.expect_download() as got:
        page.get_by_role("button", name="Letter to the GP: referral accepted (PDF)").click()
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF")
    settle(page)
    page.get_by_role("heading", name="Well-being and needs (ONS4, needs re-rated)").scroll_into_view_if_needed()
    shoot(page, shots / "4-person.png", 3200)

    # close the case: the closing letter
    pick(page, page.get_by_role("combobox", name="New status", exact=True), "completed")
    page.get_by_role("button", name="Change status").click()
    settle(page)
    with page.expect_download() as got:
        page.get_by_role("button", name="Letter to the GP: referral closed (PDF)").click()
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF")
    shoot(page, shots / "5-closed.png", 3200)

    # the GP sees the status, and never the note
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url, "gail")
    go(page, "Our referrals")
    expect(page.get_by_text("Ishbel Grant").first).to_be_visible()
    expect(page.get_by_text(f"{first}: accepted")).to_be_visible()
    expect(page.get_by_text(f"{second}: rejected")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_have_count(0)
    shoot(page, shots / "6-our-referrals.png", 1800)
