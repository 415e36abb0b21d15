"""The security issue's input classes at the level a user meets them, the `signpost` command:
no input can hang it or fill memory (4), a mistyped --db creates nothing (7), bad input is exit 2
with a sentence naming what is wrong (9), numbers are read as written and control characters
never stored (12). Terminal escapes (8) are in tests/test_cli_escapes.py, racing imports (5) and
memory (13) in tests/test_import_streaming.py."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from directory.store import Store

from .conftest import SHARED
from .test_csv_import import header, row

EXAMPLE = SHARED / "contracts" / "example-directory.csv"
MEMORY_LIMIT = 1536 * 1024 * 1024  # far above what a bad input needs; /dev/zero read whole needs more


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded(*args: str, stdin=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`signpost ARGS` with an address-space limit and a timeout: an input that would fill memory
    or hang fails the test instead of the machine."""
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, stdin=stdin,
                          timeout=timeout, preexec_fn=_limit_memory, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def one_clear_error(done: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2, no traceback, and the message names what is wrong."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr.replace("InputError", ""), done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


# ---- 4: unbounded reads -------------------------------------------------------------------------
@pytest.fixture
def hostile(tmp_path) -> dict[str, Path]:
    """Paths that are not regular files: links to /dev/zero named like every format, a FIFO."""
    out = {}
    for name in ("zero.csv", "zero.json", "zero.zip", "zero.jsonl"):
        (tmp_path / name).symlink_to("/dev/zero")
        out[name] = tmp_path / name
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    out["fifo.csv"] = fifo
    fifo_json = tmp_path / "fifo.json"
    os.mkfifo(fifo_json)
    out["fifo.json"] = fifo_json
    package = tmp_path / "package"  # a datapackage folder whose services table is /dev/zero
    package.mkdir()
    (package / "datapackage.json").write_text("{}")
    (package / "services.csv").symlink_to("/dev/zero")
    out["package"] = package
    return out


@pytest.mark.parametrize("name", ["zero.csv", "zero.json", "zero.zip", "fifo.csv", "package"])
def test_import_of_a_device_a_fifo_or_a_package_holding_one_ends_quickly_with_exit_2(hostile, tmp_path, name):
    started = time.monotonic()
    done = bounded("--db", str(tmp_path / "x.db"), "import", str(hostile[name]))
    one_clear_error(done, "not a regular file")
    assert time.monotonic() - started < 30
    assert not (tmp_path / "x.db").exists()  # checked before the database is opened


@pytest.mark.parametrize("name", ["zero.json", "zero.jsonl", "fifo.json"])
def test_match_of_a_device_or_a_fifo_ends_quickly_with_exit_2(hostile, tmp_path, name):
    with Store(tmp_path / "x.db"):
        pass
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "match", str(hostile[name])), "not a regular file")


def test_match_of_dev_stdin_or_stdin_fed_from_dev_zero_stops_at_the_limit(tmp_path):
    with Store(tmp_path / "x.db"):
        pass
    for source, words in (("/dev/stdin", "not a regular file"), ("-", "more than the 20 MB")):
        with open("/dev/zero", "rb") as zero:
            one_clear_error(bounded("--db", str(tmp_path / "x.db"), "match", source, stdin=zero), words)


def test_import_of_a_file_over_the_limit_is_refused_while_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:  # a sparse file: 201 MB that take no disk
        f.truncate(201 * 1024 * 1024)
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "import", str(big)), "more than the 200 MB")


def test_import_of_a_zip_bomb_is_refused(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("services.csv", "w", force_zip64=True) as member:
            member.write(b"id,name,description\n")
            block = b"A," + b"x" * (1024 * 1024) + b",y\n"
            for _ in range(300):  # 300 MB unpacked, ~300 KB packed
                member.write(block)
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "import", str(bomb)), "services.csv")


def test_import_of_the_root_folder_does_not_walk_the_file_system(tmp_path):
    started = time.monotonic()
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "import", "/", timeout=30), "not an Open Referral")
    assert time.monotonic() - started < 20


# ---- 7: a mistyped --db creates nothing ---------------------------------------------------------
READ_ONLY_COMMANDS = [
    ["match", "PROFILE"], ["index"], ["export", "OUT"], ["user", "list"], ["user", "remove", "someone"],
]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("form", ["path", "url"])
def test_a_command_that_only_reads_refuses_a_missing_database_and_creates_nothing(tmp_path, command, form):
    profile = tmp_path / "p.json"
    profile.write_text('{"needs": {"money": 2}}')
    missing = tmp_path / "typo" / "signpost.db"
    db = str(missing) if form == "path" else f"sqlite:///{missing}"
    argv = [str(profile) if a == "PROFILE" else str(tmp_path / "out.csv") if a == "OUT" else a for a in command]
    before = sorted(p.name for p in tmp_path.iterdir())
    done = bounded("--db", db, *argv)
    one_clear_error(done, str(missing), "no directory database")
    assert not missing.parent.exists()  # not even the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_missing_file_in_an_existing_folder_is_not_created_either(tmp_path):
    one_clear_error(bounded("--db", str(tmp_path / "typo.db"), "export", str(tmp_path / "o.csv")), "typo.db")
    assert sorted(tmp_path.iterdir()) == []


# ---- 9: every bad input is exit 2 with a sentence naming it -------------------------------------
def _not_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "listings.csv"
    path.write_bytes(EXAMPLE.read_bytes())
    return str(path)


def _truncated(tmp_path: Path) -> str:
    path = tmp_path / "cut.db"
    with Store(path) as store:
        store.import_resources([])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    return str(path)


BAD_DATABASES = {
    "mysql URL": (lambda t: "mysql://user:secret@localhost/signpost", ["mysql", "SQLite", "PostgreSQL"]),
    "unknown scheme": (lambda t: "nosuch+driver://x/y", ["nosuch", "SQLite"]),
    "not a URL": (lambda t: "postgresql://user:secret@host:notaport/db", ["--db", "host:notaport"]),
    "a CSV file": (_not_sqlite, ["listings.csv", "not a Signpost database"]),
    "a truncated SQLite file": (_truncated, ["cut.db", "not a Signpost database"]),
    "a folder": (lambda t: str(t), ["cannot be opened"]),
    # import may create a database, so it says why it cannot; the others say there is none
    "an unwritable folder": (lambda t: "/proc/signpost-test.db", ["/proc/signpost-test.db", "cannot be opened"]),
    "a missing folder (URL)": (lambda t: f"sqlite:///{t}/no/such/dir/x.db", ["no/such/dir", "does not exist"]),
}


@pytest.mark.parametrize("case", sorted(BAD_DATABASES))
@pytest.mark.parametrize("command", [["import", "EXAMPLE"], ["match", "PROFILE"], ["user", "list"]],
                         ids=lambda c: c[0] + ("-" + c[1] if c[0] == "user" else ""))
def test_a_database_signpost_cannot_use_is_exit_2_naming_it(tmp_path, case, command):
    make, words = BAD_DATABASES[case]
    db = make(tmp_path)
    if command[0] != "import" and case in ("an unwritable folder", "a missing folder (URL)"):
        words = [db.removeprefix("sqlite:///"), "no directory database"]
    profile = tmp_path / "p.json"
    profile.write_text('{"needs": {"money": 2}}')
    argv = [str(EXAMPLE) if a == "EXAMPLE" else str(profile) if a == "PROFILE" else a for a in command]
    done = bounded("--db", db, *argv)
    one_clear_error(done, *words)
    assert "secret" not in done.stderr and "SELECT" not in done.stderr and "CREATE" not in done.stderr
    assert not Path("/tmp/inputs-nosuch").exists() and not (tmp_path / "no").exists()


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


BAD_PROFILES = {
    "Latin-1": ("p.json", '{"goals": "caf\u00e9"}'.encode("latin-1"), ["p.json", "not UTF-8", "line 1"]),
    "nested 100,000 deep": ("p.json", "[" * 100_000 + "]" * 100_000, ["p.json", "nested too deeply"]),
    "objects nested 100,000 deep": ("p.json", '{"a":' * 100_000 + "1" + "}" * 100_000, ["nested too deeply"]),
    "empty file": ("p.json", "", ["p.json", "not valid JSON"]),
    "a JSON array of profiles": ("p.json", '[{"age": 30}]', ["must be a JSON object"]),
    "a .jsonl with a bad line": ("b.jsonl", '{"age": 30}\n{"age": \n{"age": 40}\n', ["row 2", "not valid JSON"]),
    "a .jsonl with a bad field": ("b.jsonl", '{"age": 30}\n{"age": "forty"}\n', ["row 2", "'age'"]),
    "an empty .jsonl": ("b.jsonl", "\n\n", ["holds no profiles"]),
    "duplicate keys": ("p.json", '{"age": 30, "age": 31}', ["duplicate key 'age'"]),
    "age in Arabic-Indic digits": ("p.json", '{"age": "\u0661\u0668"}', ["'age'", "whole number"]),
    "age true": ("p.json", '{"age": true}', ["'age'", "whole number"]),
    "age 18.5": ("p.json", '{"age": 18.5}', ["'age'", "whole number"]),
    "need as text": ("p.json", '{"needs": {"money": "3"}}', ["'needs.money'", "whole number"]),
    "distance as text": ("p.json", '{"max_distance_km": "5"}', ["'max_distance_km'", "number"]),
    "distance true": ("p.json", '{"max_distance_km": true}', ["'max_distance_km'", "number"]),
    "distance 1e400": ("p.json", '{"max_distance_km": 1e400}', ["'max_distance_km'"]),
    "wheelchair as text": ("p.json", '{"needs_wheelchair_access": "yes"}', ["'needs_wheelchair_access'", "true or false"]),
    "wheelchair 1": ("p.json", '{"needs_wheelchair_access": 1}', ["'needs_wheelchair_access'", "true or false"]),
    "latitude as text": ("p.json", '{"location": {"latitude": "55.86", "longitude": -4.3}}', ["'location.latitude'"]),
    "latitude true": ("p.json", '{"location": {"latitude": true, "longitude": -4.3}}', ["'location.latitude'"]),
    "location a number": ("p.json", '{"location": 5}', ["'location'", "object"]),
    "age of 5,000 digits": ("p.json", '{"age": ' + "9" * 5000 + "}", ["p.json", "number too long"]),
    "an empty key": ("p.json", '{"": 1}', ['\'""\'', "not a field"]),
    "NaN": ("p.json", '{"max_distance_km": NaN}', ["'max_distance_km'"]),
}


@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_a_bad_profile_is_exit_2_naming_the_file_or_field(tmp_path, case):
    name, data, words = BAD_PROFILES[case]
    with Store(tmp_path / "x.db"):
        pass
    done = bounded("--db", str(tmp_path / "x.db"), "match", str(_write(tmp_path, name, data)))
    one_clear_error(done, *words)
    assert "caf" not in done.stderr  # a profile's values are never repeated


def test_a_folder_as_profile_and_a_missing_profile_are_exit_2(tmp_path):
    with Store(tmp_path / "x.db"):
        pass
    (tmp_path / "folder.json").mkdir()
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "match", str(tmp_path / "folder.json")), "is a folder")
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "match", str(tmp_path / "none.json")), "does not exist")


@pytest.mark.parametrize("top", ["0", "-3", "abc", "1_0", "\u0661\u0660"])
def test_top_must_be_a_whole_number_of_1_or_more(tmp_path, top):
    profile = _write(tmp_path, "p.json", '{"needs": {"money": 2}}')
    one_clear_error(bounded("--db", str(tmp_path / "x.db"), "match", str(profile), "--top", top), "--top")


# ---- 12: numbers read as written; control characters never stored ------------------------------
@pytest.mark.parametrize(("cells", "column"), [
    ({"min_age": "1_8"}, "min_age"), ({"min_age": "\u0661\u0668"}, "min_age"), ({"max_age": "\uff11\uff18"}, "max_age"),
    ({"latitude": "5_5.86"}, "latitude"), ({"longitude": "-4_.25"}, "longitude"), ({"latitude": "55,86"}, "latitude"),
    ({"last_verified": "9999-12-31"}, "last_verified"), ({"latitude": "NaN"}, "latitude"),
])
def test_lenient_numbers_and_future_dates_are_exit_2_naming_row_and_column(tmp_path, cells, column):
    sheet = _write(tmp_path, "in.csv", header() + row(id="A1") + row(id="A2", **cells))
    done = bounded("--db", str(tmp_path / "x.db"), "import", str(sheet))
    one_clear_error(done, f"row 3, column '{column}'")
    assert not (tmp_path / "x.db").exists()


def test_control_and_direction_characters_are_never_stored(tmp_path):
    nasty = "\x00\x1b[2J\x07\x08\r\x9b\u202e\u2066\x7f"
    sheet = _write(tmp_path, "in.csv", header() + row(id="A1", name=f"Lunch{nasty}club",
                                                       organisation=f"Org{nasty}", description=f"Hot{nasty} lunch."))
    db = str(tmp_path / "x.db")
    done = bounded("--db", db, "import", str(sheet))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out.csv"
    assert bounded("--db", db, "export", str(out)).returncode == 0
    exported = out.read_text(encoding="utf-8")
    assert "Lunch" in exported and "club" in exported
    controls = [ch for ch in nasty if ch not in "[2J"]
    for ch in controls:
        assert ch not in exported, repr(ch)
    assert "Lunch\rclub" not in exported
    with Store(db) as store:
        stored = store.get("A1").resource
    assert not any(ch in stored.name + stored.organisation + stored.description for ch in controls)
