"""End to end in a real browser: `streamlit run app.py` on a free port, Debian's Chromium driven by
Playwright. A link worker fills the form, sees result cards and the map, shortlists and opens the
plan. Screenshots go to the test's tmp_path. Never skipped: without Chromium the test fails and
says what to install."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from directory.store import Store

from .app_fixtures import ROOT, app_directory

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "signpost.db"
    with Store(db) as store:
        store.import_resources(app_directory(), actor="test")
    port = free_port()
    env = {**os.environ, "SIGNPOST_DB": str(db), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
        time.sleep(0.3)
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def shoot(page, path: Path, height: int = 2400) -> None:
    """Streamlit scrolls inside its own container, so a 'full page' shot is a tall window instead."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(800)
    page.screenshot(path=path)
    page.set_viewport_size(size)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox with the keyboard-accessible combobox."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_link_worker_finds_support_and_opens_the_plan(server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium), "
                    "or run `make system-deps`, then run the tests again.")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=90_000)  # the first search loads the model and builds the index
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        # A fresh server's first visit is a deep link (a bookmark): it still goes through app.py's
        # navigation (titled pages, the sidebar's notes), not Streamlit's legacy pages/ listing.
        page.goto(f"{server}/gp_preview")
        expect(page.get_by_role("heading", name="GP preview")).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("Nothing about a person is saved")).to_be_visible()
        expect(sidebar.get_by_role("link", name="Import & export")).to_be_visible()
        expect(sidebar.get_by_role("link", name="listing form")).to_have_count(0)
        expect(sidebar.get_by_role("link", name="ui", exact=True)).to_have_count(0)

        page.goto(server)
        expect(page.get_by_role("heading", name="Find support")).to_be_visible()
        expect(page.get_by_role("button", name="Find support")).to_be_visible()
        shoot(page, shots / "1-form.png", 1500)

        page.get_by_role("textbox", name="In their own words: what matters to them, what they would like to do").fill(
            "Since my husband died I hardly go out. I would like some company.")
        choose(page, "Social relationships", "1 greatest")
        choose(page, "Mental wellbeing", "3")
        page.get_by_role("textbox", name="Where they live: postcode or place").fill("Govan")
        page.get_by_role("button", name="Find support").click()

        expect(page.get_by_text("options, best first")).to_be_visible()
        expect(page.get_by_role("heading", name="1. Govan Lunch Club")).to_be_visible()
        expect(page.get_by_text("Meets your top need: social relationships").first).to_be_visible()
        deck = page.locator('[data-testid="stDeckGlJsonChart"]')
        expect(deck).to_be_visible()
        page.get_by_text("options, best first").scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # let the map draw
        shoot(page, shots / "2-results.png", 3000)
        # listing text is text: the <script> in a listing's name is shown, not run
        expect(page.get_by_text("Diabetes Peer Support <script>alert(1)</script>")).to_be_visible()

        page.get_by_role("button", name="Add to shortlist").first.click()
        expect(page.get_by_role("button", name="✓ On shortlist (remove)")).to_be_visible()
        page.get_by_role("textbox", name="Their first name (optional, printed on the plan)").fill("Mary")
        page.get_by_role("textbox", name="The next step you agreed").fill("Go along on Wednesday; I will phone on Friday.")
        page.get_by_text("Show the plan").click()
        frame = page.frame_locator('iframe[title="st.iframe"], [data-testid="stIFrame"]').first
        expect(frame.get_by_role("heading", name="Mary's plan")).to_be_visible()
        expect(frame.get_by_text("Govan Lunch Club").first).to_be_visible()
        expect(frame.get_by_text("Go along on Wednesday; I will phone on Friday.")).to_be_visible()
        page.get_by_role("heading", name="Shortlist and plan").scroll_into_view_if_needed()
        shoot(page, shots / "3-plan.png", 2000)
        browser.close()
    print(f"screenshots: {shots}")
