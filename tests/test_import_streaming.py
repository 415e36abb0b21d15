"""Imports under pressure: two processes importing the same new listings at once (issue item 5:
the loser printed 5 KB of SQL and listing data), and a large spreadsheet imported in memory that
grows with the batch, not the file (item 13)."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

import sqlalchemy as sa

from cli import main
from directory import importer
from directory.store import Store, audit, resources

from .test_csv_import import header, row

# A `signpost` process that has imported everything it needs and waits for a moment shared with
# its rival, so the two imports really overlap (start-up alone differs by more than an import).
AT_THE_SAME_MOMENT = (
    "import sys, time\n"
    "from cli import main\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def sheet(tmp_path, name: str, n: int, prefix: str = "R", bad_row: int | None = None):
    path = tmp_path / name
    rows = [row(id=f"{prefix}{i:05d}", name=f"Group {i}", min_age="1_8" if i == bad_row else "")
            for i in range(n)]
    path.write_text(header() + "".join(rows), encoding="utf-8")
    return path


def one_line_conflict(done: subprocess.CompletedProcess) -> bool:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return (done.returncode in (1, 2) and len(lines) == 1 and "again" in lines[0]
            and not any(word in done.stderr for word in ("INSERT", "UNIQUE", "SELECT", "Group ", "[SQL")))


def test_two_imports_of_the_same_new_listings_at_once_give_one_copy_and_at_most_a_one_line_conflict(
        tmp_path, db_url):
    rounds = 5
    for r in range(rounds):
        path = sheet(tmp_path, f"round{r}.csv", 400, prefix=f"N{r}-")
        start = time.time() + 4.0
        procs = [subprocess.Popen([sys.executable, "-c", AT_THE_SAME_MOMENT, str(start), "--db", db_url,
                                   "import", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outcomes = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            outcomes.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
        for done in outcomes:
            assert done.returncode == 0 or one_line_conflict(done), (done.returncode, done.stderr[:3000])
        assert any(done.returncode == 0 for done in outcomes)
        assert sum("400 added" in done.stderr for done in outcomes) == 1, [d.stderr for d in outcomes]
        with Store(db_url) as store:
            with store.engine.connect() as conn:
                ids = conn.execute(sa.select(resources.c.id).where(resources.c.id.like(f"N{r}-%"))).scalars().all()
                added = conn.execute(sa.select(sa.func.count()).select_from(audit)
                                     .where(audit.c.resource_id.like(f"N{r}-%"))).scalar_one()
        assert len(ids) == len(set(ids)) == 400 and added == 400  # one copy, imported once


def test_a_large_spreadsheet_is_imported_in_memory_that_does_not_grow_with_the_file(tmp_path, capsys):
    path = sheet(tmp_path, "big.csv", 12_000)
    db = str(tmp_path / "x.db")
    tracemalloc.start()
    try:
        code = main(["--db", db, "import", str(path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0 and "12000 added" in capsys.readouterr().err
    # 12,000 listings held at once take ~60 MB (the old import held them all, then their rows);
    # streamed, the import holds one batch of 1,000 and the ids.
    assert peak < 25 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    with Store(db) as store:
        assert store.count() == 12_000


def test_a_streamed_import_is_still_all_or_nothing(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    assert main(["--db", db, "import", str(sheet(tmp_path, "first.csv", 10))]) == 0
    with Store(db) as store:
        before = store.directory_version(), store.count()
    # the one bad row is the last of 3,000: every batch before it was valid
    bad = sheet(tmp_path, "bad.csv", 3000, prefix="B", bad_row=2999)
    assert main(["--db", db, "import", str(bad)]) == 2
    assert "row 3001, column 'min_age'" in capsys.readouterr().err
    with Store(db) as store:
        assert (store.directory_version(), store.count()) == before


def test_a_file_changed_between_the_check_and_the_write_writes_nothing(tmp_path):
    path = sheet(tmp_path, "edit.csv", 2500, prefix="E")
    listings = importer.open_listings(path)  # checked: valid
    path.write_text(path.read_text() + row(id="E99999", min_age="\u0661\u0668"), encoding="utf-8")
    db = tmp_path / "x.db"
    with Store(db) as store:
        try:
            store.import_resources(listings)
        except importer.InputError as err:
            assert "min_age" in str(err)
        else:
            raise AssertionError("the changed file was imported")
        assert store.count() == 0 and store.directory_version() == 0


def test_too_many_problems_are_counted_not_all_listed(tmp_path, capsys):
    path = tmp_path / "many.csv"
    path.write_text(header() + "".join(row(id=f"M{i}", min_age="x") for i in range(3000)), encoding="utf-8")
    assert main(["--db", str(tmp_path / "x.db"), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("column 'min_age'") == 1000 and "2000 more problem(s) not listed" in err
