"""End to end in a real browser, for the GP and the curator: a GP preview with its referral note, and a
curator's import that shows a field-by-field diff before it is confirmed, at a desktop (1400×1000) and a
phone (390×844) size. Every request the page makes is recorded: any host but this machine fails the test.
Screenshots go to the test's tmp_path. Never skipped: without Chromium the test fails and says why."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from directory.csv_io import to_csv_text
from directory.store import Store

from .test_e2e_browser import (
    ARGS,
    CHROMIUM,
    need_chromium,
    screenshots,
    server,  # noqa: F401  (the fixture)
    shoot,
)

LOCAL = {"127.0.0.1", "localhost"}
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


def changed_export(db: Path, phone: str, path: Path) -> Path:
    """A spreadsheet with one listing changed: G02's phone."""
    with Store(db) as s:
        g02 = s.get("G02").resource
    path.write_text(to_csv_text([g02.model_copy(update={"phone": phone})]), encoding="utf-8")
    return path


def gp_preview(page, base: str, shots: Path, size: str, expect) -> None:
    page.goto(f"{base}/gp_preview")
    expect(page.get_by_role("heading", name="GP preview")).to_be_visible()
    page.get_by_role("textbox", name="Needs or conditions, in a few words").fill(
        "lonely since her husband died, would like company")
    page.get_by_role("button", name="Show local options").click()
    expect(page.get_by_role("heading", name="For the referral")).to_be_visible()
    expect(page.get_by_text("Seen by GP: lonely since her husband died")).to_be_visible()
    shoot(page, shots / f"{size}-1-gp-preview.png", 2200)


def curator_import(page, base: str, shots: Path, size: str, csv_path: Path, phone: str, expect) -> None:
    page.goto(f"{base}/import_export")
    expect(page.get_by_role("heading", name="Import listings")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(csv_path))
    expect(page.get_by_text("Importing would add 0, update 1 and leave 0 unchanged")).to_be_visible()
    expect(page.get_by_text("What would change, field by field")).to_be_visible()
    expect(page.get_by_role("heading", name="Search index")).to_be_visible()  # the page has finished drawing
    page.wait_for_timeout(1500)
    shoot(page, shots / f"{size}-2-import-diff.png", 1800)
    page.get_by_role("button", name="Import these listings").click()
    expect(page.get_by_text("Imported changes.csv: 0 added, 1 updated")).to_be_visible()
    page.goto(f"{base}/directory")
    expect(page.get_by_role("heading", name="Directory")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^(\d+) of \1 listings shown"))).to_be_visible()  # all of them
    page.wait_for_timeout(2500)  # the table draws on a canvas after the page
    if size == "desktop":  # a click on a row's tick box opens that listing (the first row: G01)
        box = page.get_by_test_id("stDataFrame").first.bounding_box()
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
        expect(page.get_by_role("heading", name="Govan Lunch Club")).to_be_visible()
    shoot(page, shots / f"{size}-3-directory.png", 1600)
    page.goto(f"{base}/gaps")
    expect(page.get_by_role("heading", name="Gaps in provision")).to_be_visible()
    expect(page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
           ).to_be_visible()  # the heatmap drew
    page.wait_for_timeout(1500)
    shoot(page, shots / f"{size}-4-gaps.png", 1800)


def test_gp_preview_and_a_curators_import_with_a_diff_stay_on_this_machine(server, tmp_path):  # noqa: F811
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=90_000)  # the first search loads the model and builds the index
    shots = screenshots(tmp_path)
    db = tmp_path / "signpost.db"
    hosts: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for n, (size, viewport) in enumerate(SIZES.items()):
            page = browser.new_page(viewport=viewport)
            page.set_default_timeout(90_000)
            page.on("request", lambda r: hosts.append(urlparse(r.url).hostname or urlparse(r.url).scheme))
            gp_preview(page, server, shots, size, expect)
            phone = f"0141 999 000{n}"
            curator_import(page, server, shots, size, changed_export(db, phone, tmp_path / "changes.csv"), phone,
                           expect)
            page.close()
        browser.close()
    with Store(db) as s:
        assert s.get("G02").resource.phone == "0141 999 0001"
    assert hosts, "no request was recorded"
    outside = sorted(set(hosts) - LOCAL - {"data", "blob"})
    assert not outside, f"requests off this machine: {outside}"
