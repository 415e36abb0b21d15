"""Contract section 5 for the directory commands: import, export, demo; exit codes; all or nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from directory.store import Store

from .conftest import SHARED
from .test_csv_import import header, row

EXAMPLE = SHARED / "contracts" / "example-directory.csv"


def signpost(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=300)


def db_bytes(db: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(db.parent.glob(db.name + "*")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def db_state(db: str) -> str:
    """A fingerprint of everything in the database: the files' bytes for SQLite, every row of every
    table for PostgreSQL, so "changed nothing" means the same on both."""
    if "://" not in db:
        return db_bytes(Path(db))
    engine = sa.create_engine(db)
    h = hashlib.sha256()
    with engine.connect() as conn:
        meta = sa.MetaData()
        meta.reflect(conn)
        for table in sorted(meta.tables.values(), key=lambda t: t.name):
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            h.update(f"{table.name}:{[tuple(r) for r in rows]!r}".encode())
    engine.dispose()
    return h.hexdigest()


def test_import_then_export_round_trips(tmp_path, db_url):
    db = db_url
    done = signpost("--db", db, "import", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "5 added" in done.stderr
    out = tmp_path / "out.csv"
    assert signpost("--db", db, "export", str(out)).returncode == 0
    again = tmp_path / "again.db"
    assert signpost("--db", str(again), "import", str(out)).returncode == 0
    out2 = tmp_path / "out2.csv"
    assert signpost("--db", str(again), "export", str(out2)).returncode == 0
    assert out.read_bytes() == out2.read_bytes()
    # the contract's columns in the contract's order, plus the optional support_types after domains
    contract = EXAMPLE.read_text().splitlines()[0].split(",")
    assert out.read_text().splitlines()[0].split(",") == [
        c for col in contract for c in ((col, "support_types") if col == "domains" else (col,))]
    # the import stored the vectors of its texts (the model is the packaged default)
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import SharedVectors
    from matcher.snapshot import listing_text, text_hash

    embedder = load_embedder()
    with Store(db) as store:
        keys = [text_hash(listing_text(r)) for r in store.resources() if r.status == "active"]
        assert keys and set(SharedVectors(store, embedder.name, embedder.dim).get(keys)) == set(keys)
    # re-importing the same file is a no-op
    before = db_state(db)
    redo = signpost("--db", db, "import", str(EXAMPLE))
    assert redo.returncode == 0 and "0 added, 0 updated, 5 unchanged" in redo.stderr
    assert db_state(db) == before


BAD_FILES = {
    "missing-column": (header(["id", "name", "delivery"]) + "A,x,online\r\n", "row 1, column 'description'"),
    "duplicate-id": (header() + row(id="A") + row(id="A"), "row 3, column 'id'"),
    "ages": (header() + row(min_age="70", max_age="60"), "row 2, column 'min_age'"),
    "in-person-no-coords": (header() + row(latitude="", longitude=""), "row 2, column 'latitude'"),
    "latitude-123": (header() + row(latitude="123"), "row 2, column 'latitude'"),
    "unknown-domain": (header() + row(domains="wellness"), "row 2, column 'domains'"),
    "non-utf8": ((header() + row(name="Caf\u00e9")).encode("latin-1"), "row 2"),
    "truncated-json": ('{"id": "x", "name": "Counselling", "description": "tal', "line 1"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_exits_2_names_the_place_and_changes_nothing(tmp_path, case):
    db = tmp_path / "s.db"
    assert signpost("--db", str(db), "import", str(EXAMPLE)).returncode == 0
    before = db_bytes(db)
    content, where = BAD_FILES[case]
    bad = tmp_path / ("bad.json" if "json" in case else "bad.csv")
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = signpost("--db", str(db), "import", str(bad))
    assert done.returncode == 2, done.stderr
    assert where in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "nothing was changed" in done.stderr
    assert db_bytes(db) == before


def test_import_with_one_bad_row_among_good_ones_changes_nothing(tmp_path, db_url):
    assert signpost("--db", db_url, "import", str(EXAMPLE)).returncode == 0
    before = db_state(db_url)
    bad = tmp_path / "mixed.csv"
    changed = row(id="EX01", name="Renamed by the bad file")
    bad.write_text(header() + row(id="G1") + changed + row(id="B1", cost="cheap") + row(id="G3"))
    done = signpost("--db", db_url, "import", str(bad))
    assert done.returncode == 2 and "row 4, column 'cost'" in done.stderr
    assert db_state(db_url) == before
    with Store(db_url) as store:
        assert store.count() == 5 and store.get("EX01").resource.name != "Renamed by the bad file"


def test_export_hsds_is_json(tmp_path):
    db = tmp_path / "s.db"
    assert signpost("--db", str(db), "import", str(EXAMPLE)).returncode == 0
    out = tmp_path / "dir.json"
    done = signpost("--db", str(db), "export", str(out), "--format", "hsds")
    assert done.returncode == 0, done.stderr
    services = json.loads(out.read_text())
    assert {s["id"] for s in services} == {"EX01", "EX02", "EX03", "EX04", "EX05"}


def test_unknown_command_and_missing_file_exit_2(tmp_path):
    assert signpost("frobnicate").returncode == 2
    done = signpost("--db", str(tmp_path / "s.db"), "import", str(tmp_path / "nope.csv"))
    assert done.returncode == 2 and "does not exist" in done.stderr
