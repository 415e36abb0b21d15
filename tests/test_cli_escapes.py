"""Issue item 8: nothing from a listing, a file, a file's name, a profile or the command line
reaches the terminal as a raw control character: ESC/CSI sequences, OSC 8 hyperlinks, BEL,
backspace, CR, the C1 CSI (U+009B) and direction overrides (U+202E) are made visible in tables,
errors, warnings, `user list` and argparse's own messages; --json escapes them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from directory.store import Store, resources, users

from .test_csv_import import header, row

# What a hostile name carries: clear screen, a hyperlink, bell, backspace, carriage return, C1 CSI,
# a right-to-left override, an isolate.
NASTY = "\x1b[2J\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\x07\x08\r\x9b31m\u202e\u2066"
IN_NAME = NASTY.replace("/", "")  # the same in a file name, which cannot hold "/"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
QUIET = {"TQDM_DISABLE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error",
         "HF_HUB_OFFLINE": "1"}


def signpost(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, input=stdin,
                          timeout=300, env={**os.environ, **QUIET})


def no_raw_controls(done: subprocess.CompletedProcess) -> None:
    for name, text in (("stdout", done.stdout), ("stderr", done.stderr)):
        found = RAW.findall(text)
        assert not found, (name, found, text[-1500:])


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    """A database whose listing names and a username hold escapes, as a database written by an
    older Signpost or by hand may (imports clean them now)."""
    db = tmp_path / "x.db"
    sheet = tmp_path / "in.csv"
    sheet.write_text(header() + row(id="A1", name="Lunch club", domains="social_relationships")
                     + row(id="A2", name="Benefits line", delivery="phone", latitude="", longitude="",
                           domains="money", min_age="70"), encoding="utf-8")
    assert signpost("--db", str(db), "import", str(sheet)).returncode == 0
    with Store(db) as store, store.engine.begin() as conn:
        for rid in ("A1", "A2"):
            data = json.loads(conn.execute(sa.select(resources.c.data).where(resources.c.id == rid)).scalar_one())
            data["name"] = f"{data['name']} {NASTY}"
            conn.execute(resources.update().where(resources.c.id == rid).values(data=json.dumps(data)))
        conn.execute(users.insert().values(username=f"eve{NASTY}", identity_key=f"eve{NASTY}", password_hash="x",
                                           role="viewer", created_at="2026-01-01T00:00:00+00:00"))
    monkeypatch.setenv("SIGNPOST_INDEX_DIR", str(tmp_path / "index"))
    return str(db)


def test_match_table_and_json_never_print_a_raw_control_character(hostile_db, tmp_path):
    profile = tmp_path / f"p{IN_NAME}.json"
    profile.write_text(json.dumps({"id": f"P{NASTY}", "needs": {"social_relationships": 2, "money": 2},
                                   "age": 30, "location": {"latitude": 55.86, "longitude": -4.25}}))
    table = signpost("--db", hostile_db, "match", str(profile))
    assert table.returncode == 0, table.stderr
    assert "Lunch club" in table.stdout and "Profile P\\x1b[2J" in table.stdout  # shown, made visible
    no_raw_controls(table)
    as_json = signpost("--db", hostile_db, "match", str(profile), "--json")
    assert as_json.returncode == 0, as_json.stderr
    no_raw_controls(as_json)
    answer = json.loads(as_json.stdout)
    # a stored name is cleaned as it is read; the profile's own id comes back as given, JSON-escaped
    assert any(r["name"].startswith("Lunch club") and "[2J" in r["name"] and not RAW.search(r["name"])
               for r in answer["results"])
    assert answer["profile_id"] == f"P{NASTY}" and "\\u001b" in as_json.stdout


def test_user_list_never_prints_a_raw_control_character(hostile_db):
    done = signpost("--db", hostile_db, "user", "list")
    assert done.returncode == 0 and "eve" in done.stdout
    no_raw_controls(done)


@pytest.mark.parametrize("cells", [
    {"delivery": f"post{NASTY}"}, {"domains": f"money;{NASTY}"}, {"id": f"X{NASTY}"}, {"languages": f"e{NASTY}"},
    {"min_age": NASTY}, {"latitude": NASTY}, {"last_verified": NASTY}, {"cost": NASTY}, {"gender": NASTY},
])
def test_errors_quoting_a_csv_cell_never_print_a_raw_control_character(tmp_path, cells):
    sheet = tmp_path / f"in{IN_NAME}.csv"
    sheet.write_text(header() + row(**cells), encoding="utf-8")
    done = signpost("--db", str(tmp_path / "x.db"), "import", str(sheet))
    assert done.returncode == 2, done.stderr
    no_raw_controls(done)


def test_errors_and_warnings_quoting_a_json_value_never_print_a_raw_control_character(tmp_path):
    doc = [{"id": f"S{NASTY}", "name": f"Lunch{NASTY}", "description": "Hot lunch.", "status": NASTY,
            "url": f"https://x{NASTY}", "service_at_locations": [{"id": "L", "location": {
                "location_type": "physical", "name": f"Hall{NASTY}", "latitude": NASTY}}]},
           {"id": "S2", "name": "Tea", "description": "Tea.", "status": "active",
            "service_at_locations": [{"id": "L2", "location": {"location_type": "physical",
                                                               "name": f"Hall{NASTY}"}}]}]
    for i, service in enumerate(doc):
        path = tmp_path / f"s{i}{IN_NAME}.json"
        path.write_text(json.dumps(service), encoding="utf-8")
        done = signpost("--db", str(tmp_path / "x.db"), "import", str(path))
        assert done.returncode in (0, 2), done.stderr
        no_raw_controls(done)


@pytest.mark.parametrize("argv", [
    ["import", f"missing{NASTY}.csv"], ["import", f"odd{NASTY}.txt"], ["match", f"none{NASTY}.json"],
    ["match", "-", "--top", NASTY], ["export", "out.csv", "--format", NASTY], [f"command{NASTY}"],
    ["user", "add", "bob", "--role", NASTY], ["--db", f"nosuch{NASTY}://x", "user", "list"],
    ["--db", f"missing{NASTY}.db", "user", "list"], ["import", "a.csv", NASTY], ["user", "list", f"--x{NASTY}"],
])
def test_messages_about_arguments_never_print_a_raw_control_character(tmp_path, argv):
    done = subprocess.run([sys.executable, "-m", "cli", "--db", str(tmp_path / "x.db"), *argv], capture_output=True,
                          text=True, input="{}", timeout=120, env={**os.environ, **QUIET}, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    no_raw_controls(done)


def test_a_profile_value_with_escapes_is_never_echoed_raw(tmp_path):
    with Store(tmp_path / "x.db"):
        pass
    for bad in ({"location": {"place": f"Govan{NASTY}"}}, {"gender": NASTY}, {"needs": {NASTY: 3}},
                {NASTY: 1}, {"languages": [NASTY]}, {"max_cost": NASTY}):
        done = signpost("--db", str(tmp_path / "x.db"), "match", "-", stdin=json.dumps(bad))
        assert done.returncode == 2, done.stderr
        no_raw_controls(done)
