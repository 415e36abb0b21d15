"""Hostile input stays harmless (issue "Shared deployment"): listing text written as HTML, script or
Markdown links is shown as text in the app and in the printed plan; cells a spreadsheet would run
as formulas are neutralised in the CSV export, header included; uploads over the import limit are
refused with a message saying so, by the CLI and by the app.

(tests/test_plan.py checks the plan's escaping field by field; tests/test_csv_import.py that
'=', '+' and '@' cells are neutralised. This module adds what they do not reach.)"""

from __future__ import annotations

import base64
import csv
import io
import re
import subprocess
import sys
import tomllib

from directory import curation, importer
from directory.accounts import User
from directory.csv_io import neutralise, parse_csv, to_csv_text
from directory.records import CSV_COLUMNS
from directory.store import Store
from ui.display import WORD_JOINER

from .app_fixtures import HOME, ROOT, app_directory, listing, new_app

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
JS_LINK = "[open me](javascript:alert(3))"
IFRAME = '<iframe src="https://evil.example"></iframe>'
SVG = "<svg onload=alert(4)>"
# What must never reach a Markdown renderer unescaped: a tag, a link, a javascript: URL (escaped
# means preceded by an odd number of backslashes).
RAW = re.compile(r"(?<!\\)(?:\\\\)*(?:<\s*(?:script|img|iframe|svg|b>)|\]\(|javascript:)", re.I)

HOSTILE = dict(
    name=f"Tea {SCRIPT} club {JS_LINK}", organisation=IMG, description=f"Come along {JS_LINK} {IFRAME}",
    schedule=f"<b>Mondays</b> {SVG} **10:00**", address=f"{SVG} 1 Govan Road", phone=f"[0141](javascript:alert(5)) {IMG}",
    email="x@example.org", website="javascript:alert(6)",
)


def hostile_listing():
    return listing("H1", **HOSTILE, domains=["social_relationships"], latitude=HOME[0] + 0.001, longitude=HOME[1])


def add_hostile(db: str) -> None:
    with Store(db) as s:
        s.import_resources([hostile_listing()], actor="test")


def markdown_strings(at) -> list[str]:
    """Every string the app hands to a Markdown renderer: bodies of markdown, captions, headings,
    alerts, and the labels of expanders, buttons and widgets."""
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        body = getattr(proto, "body", None)
        if isinstance(body, str) and node.type not in ("code", "text", "html"):
            out.append(body)
        label = getattr(proto, "label", None)
        if isinstance(label, str):
            out.append(label)
    return out


def assert_nothing_rendered_as_html(at) -> None:
    kinds = {node.type for node in at._tree}
    assert "html" not in kinds  # no st.html anywhere
    for node in at._tree:
        if node.type in ("markdown", "caption", "divider", "latex"):
            assert not node.proto.allow_html, node.proto.body  # no unsafe_allow_html
    leaks = [s for s in markdown_strings(at) if RAW.search(s)]
    assert not leaks, leaks


def test_no_page_can_render_html():
    sources = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]
    for path in sources:
        code = path.read_text("utf-8")
        for unsafe in ("unsafe_allow_html=True", "st.html(", "components.html(", "components.v1"):
            assert unsafe not in code, f"{path.name} uses {unsafe}"


def test_hostile_listing_is_text_on_the_cards_the_shortlist_and_the_plan(app_db):
    add_hostile(app_db)
    at = new_app()
    at.selectbox(key="fs_need_social_relationships").set_value(1)
    at.number_input(key="fs_lat").set_value(HOME[0])
    at.number_input(key="fs_lon").set_value(HOME[1])
    at.button(key="FormSubmitter:profile-Find support").click().run()
    assert not at.exception
    at.button(key="fs_pick_H1").click().run()
    at.toggle(key="fs_show_plan").set_value(True).run()
    assert not at.exception

    assert_nothing_rendered_as_html(at)
    text = "\n".join(markdown_strings(at)).replace(WORD_JOINER, "")  # ui.text's invisible link-breakers
    # ... and the listing is there, as the words it is made of (every Markdown character escaped)
    assert r"Tea \<script\>alert\(1\)\</script\> club \[open me\]\(javascript\:alert\(3\)\)" in text
    assert r'Run by \<img src\=x onerror\="alert\(2\)"\>' in text
    assert r"\<b\>Mondays\</b\> \<svg onload\=alert\(4\)\> \*\*10\:00\*\*" in text
    # the description is plain text (st.text), shown exactly as written
    assert any(t.value == HOSTILE["description"] for t in at.text)

    # the plan in the page: a data: URL of the escaped plan, with no script of its own
    frames = [n for n in at._tree if n.type == "iframe"]
    assert len(frames) == 1
    src = frames[0].proto.src
    assert src.startswith("data:text/html;charset=utf-8;base64,")
    plan = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    assert "<script" not in plan.lower() and "<img" not in plan and "<iframe" not in plan and "<svg" not in plan
    assert "href" not in plan  # no link at all, javascript: or other
    assert "Tea &lt;script&gt;alert(1)&lt;/script&gt; club [open me](javascript:alert(3))" in plan
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in plan


def test_hostile_listing_is_text_in_the_gp_preview(app_db):
    add_hostile(app_db)
    at = new_app("views/gp_preview.py")
    at.text_area(key="gp_text").set_value("tea club, lonely, would like company")
    at.text_input(key="gp_place").set_value("G51")
    at.button(key="FormSubmitter:gp-Show local options").click().run()
    assert not at.exception
    assert_nothing_rendered_as_html(at)
    lines = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any(r"Tea \<script\>alert\(1\)\</script\>" in m for m in lines)
    # the referral note is a code block: plain text to copy, never rendered
    assert f"Tea {SCRIPT} club {JS_LINK}" in at.code[0].value


def test_hostile_listing_is_text_on_the_directory_page(app_db):
    add_hostile(app_db)
    at = new_app("views/directory.py")  # local mode: the local administrator
    at.selectbox(key="dir_open").set_value("H1").run()
    assert not at.exception
    assert_nothing_rendered_as_html(at)
    at.button(key="ed_verify").click().run()
    assert not at.exception
    assert r"Tea \<script\>alert\(1\)\</script\> club" in at.success[0].value
    assert_nothing_rendered_as_html(at)
    # a listing saved with a hostile value in the form: its error, and the flash after saving
    at.selectbox(key="dir_open").set_value("H1").run()
    at.text_input(key="ed_min_age").set_value(f"{SCRIPT} {JS_LINK}")
    at.button(key="FormSubmitter:edit_form-Save changes").click().run()
    assert not at.exception
    assert any(e.value.startswith("min_age: ") and r"\<script\>" in e.value for e in at.error)
    assert_nothing_rendered_as_html(at)


def test_hostile_listing_is_text_in_the_import_preview(app_db):
    text = to_csv_text([hostile_listing(), listing("H2", name=f"Second {IMG}")])
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (text.encode(), "listings.csv")
    at.run()
    assert not at.exception
    assert_nothing_rendered_as_html(at)
    table = at.dataframe[0].value
    assert f"Tea {SCRIPT} club {JS_LINK}" in set(table["name"])  # a table cell is text
    at.button(key="imp_confirm").click().run()
    assert not at.exception and "2 added" in at.success[0].value
    assert_nothing_rendered_as_html(at)


def test_hostile_file_name_is_text_in_errors_and_messages(app_db):
    name = f"{JS_LINK} {IMG}.csv"
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (b"not,a,directory\n", name)
    at.run()
    assert at.error and not at.exception
    assert_nothing_rendered_as_html(at)
    at.session_state["imp_data"] = (to_csv_text([listing("H3")]).encode(), name)
    at.run()
    at.button(key="imp_confirm").click().run()
    assert at.success[0].value.replace(WORD_JOINER, "").startswith(r"Imported \[open me\]\(javascript\:alert\(3\)\)")
    assert_nothing_rendered_as_html(at)


# ---- spreadsheets ------------------------------------------------------------------------------------
FORMULA_CELLS = {
    "name": "=HYPERLINK(\"http://evil.example\",\"Click\")", "organisation": "+44 141 000 0000",
    "description": "-2+3 is how many", "schedule": "@SUM(A1:A9)", "address": "=1+1",
    "phone": "=cmd|' /C calc'!A0", "email": "=1@example.org", "website": "-cmd",
}


def test_no_exported_cell_starts_a_formula(sqlite_path):
    hostile = listing("F1", **FORMULA_CELLS, extra={"=EVIL()": "@x", "notes": "+SUM(1)"})
    with Store(sqlite_path) as store:
        store.import_resources([hostile, *app_directory()], actor="test")
        data = curation.export_csv(store, User("cora", "curator")).decode("utf-8")  # the app's Download CSV
        resources = store.resources()
    rows = list(csv.reader(io.StringIO(data, newline="")))
    # header row included: a publisher's column may be named like a formula
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a number may start so (a negative longitude)
    header = rows[0]
    assert "'=EVIL()" in header
    cells = dict(zip(header, rows[1], strict=True))
    for column, value in FORMULA_CELLS.items():
        assert cells[column] == "'" + value
    assert cells["'=EVIL()"] == "'@x" and cells["notes"] == "'+SUM(1)"
    assert any(row[header.index("longitude")].startswith("-4.") for row in rows[1:])  # numbers stay numbers
    # importing the export gives back exactly the listings, formula-like text and column name included
    assert sorted(parse_csv(data), key=lambda r: r.id) == sorted(resources, key=lambda r: r.id)


def test_neutralise_covers_tab_and_carriage_return_and_leaves_numbers():
    for cell in ("=1", "+1a", "-a", "@a", "\tx", "\rx", "\t=1", "\r@x"):
        assert neutralise(cell) == "'" + cell
    for cell in ("-4.2518", "+44", "1e5", "-0", "\t1", "plain text", "", "'quoted"):  # numbers stay numbers
        assert neutralise(cell) == cell
    assert set(CSV_COLUMNS) >= set(FORMULA_CELLS)


# ---- oversized uploads -------------------------------------------------------------------------------
def test_streamlit_upload_limit_is_the_import_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == importer.MAX_IMPORT_BYTES  # Streamlit's MB = MiB


def test_cli_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(importer.MAX_IMPORT_BYTES + 1)  # sparse: the size is real, the disk is not used
    db = tmp_path / "s.db"
    done = subprocess.run([sys.executable, "-m", "cli", "--db", str(db), "import", str(big)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert "big.csv is 200.1 MB: more than the 200 MB an import may be" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()  # nothing was opened, let alone changed


def test_app_refuses_an_upload_over_the_limit(app_db):
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (bytes(importer.MAX_IMPORT_BYTES + 1), "big.csv")  # what the uploader stores
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith(r"big\.csv: 1 problem(s). Nothing was imported.")
    problem = at.dataframe[0].value["problem"].iloc[0]
    assert problem == "big.csv is 200.1 MB: more than the 200 MB an import may be. Split it into smaller files."
    assert not [b for b in at.button if b.key == "imp_confirm"]
    assert Store(app_db).count() == len(app_directory())

