"""kill -9 at random points of imports and index updates: nothing is ever half written.

    .venv/bin/python bench/faults.py                    # SQLite file: 20 imports, 20 index updates
    .venv/bin/python bench/faults.py --postgres         # the same against a throw-away PostgreSQL cluster
    .venv/bin/python bench/faults.py --db postgresql://user@host/db   # a database of its own, which it fills

Imports: `signpost --db DB import FILE`, FILE changing about half of a few thousand listings and
adding some, is started as a real process and sent SIGKILL. Afterwards the database must hold
exactly the state before the import or exactly the state after it (every listing's content hash
and version, the number of audit rows, the directory version), and must open and check clean.

Index updates: after a directory change, `signpost --db DB index` is started and killed. The saved
index must then load, be exactly the index before or exactly the index after the update (ids,
hashes, directory version, vectors, FAISS agreeing with the vectors), never a mix; and the next
`Recommender.open` must bring it level with the database (its ids are the active listings; the
changed listings' vectors are their new text's embeddings).

Where the kill lands is chosen two ways, in turn: at a random time over the command's whole run,
or within its write. An import's write is seen from outside (SQLite: the process holds the WAL
write lock, /proc/locks; PostgreSQL: its session holds a transaction id) and the kill comes a
random time after it is first seen. An index save lasts milliseconds, so the kill comes on sight
of a step of it chosen at random (the new version folder, each of its files, the rename, the new
CURRENT pointer). An import's kill landed mid-write when its write was seen under way at the
instant of the kill and the database kept the old state; an index kill, when the save left its
traces (an unfinished folder, pointer or cache file). Prints the figures; `--json` prints them
as one JSON object. Exit status 1 if anything partial was found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402
from directory import csv_io, importer  # noqa: E402
from directory.records import Resource  # noqa: E402
from directory.store import Store, content_hash, resolve_url, sqlite_path  # noqa: E402

SIGNPOST = [sys.executable, "-m", "cli"]  # what the `signpost` console script runs


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---- the database's state, and what an import makes of it -------------------------------------
@dataclass(frozen=True)
class DirectoryState:
    listings: dict[str, tuple[str, int]]  # id -> (content hash, version)
    audit_rows: int
    version: int


def directory_state(db: str) -> DirectoryState:
    with Store(db) as store:
        version, stored = store.snapshot()
        audit_rows = len(store.history())
    return DirectoryState({s.id: (s.content_hash, s.version) for s in stored}, audit_rows, version)


def after_import(old: DirectoryState, incoming: list[Resource]) -> DirectoryState:
    """The state an import of `incoming` leads to from `old` (Store.import_resources' rules)."""
    listings = dict(old.listings)
    changed = 0
    for res in incoming:
        h = content_hash(res)
        if res.id not in listings:
            listings[res.id] = (h, 1)
            changed += 1
        elif listings[res.id][0] != h:
            listings[res.id] = (h, listings[res.id][1] + 1)
            changed += 1
    return DirectoryState(listings, old.audit_rows + changed, old.version + (1 if changed else 0))


def database_checks_clean(db: str) -> bool:
    """The store opens; SQLite's own integrity check passes."""
    try:
        with Store(db) as store:
            store.count()
            if store.is_sqlite:
                with store.engine.connect() as conn:
                    return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        return True
    except Exception as err:  # noqa: BLE001 - a database that will not open is the finding
        say(f"    the store failed to open: {type(err).__name__}: {err}")
        return False


# ---- seeing a write under way from outside ---------------------------------------------------
class SqliteWriteProbe:
    """Does a process hold the WAL write lock (byte 120 of the -shm file, /proc/locks)?"""

    def __init__(self, db: str):
        path = sqlite_path(resolve_url(db))
        self.conn = sqlite3.connect(path)  # kept open so that the -shm file (and its inode) stays
        self.conn.execute("SELECT count(*) FROM resources").fetchone()
        self.inode = os.stat(f"{path}-shm").st_ino

    def writing(self, pid: int) -> bool:
        with open("/proc/locks", encoding="ascii") as fh:
            for line in fh:
                parts = line.split()
                if ("->" not in parts and len(parts) >= 8 and parts[3] == "WRITE" and parts[4] == str(pid)
                        and parts[5].endswith(f":{self.inode}") and parts[6] == "120"):
                    return True
        return False

    def settle(self) -> None:
        pass

    def close(self) -> None:
        self.conn.close()


class PostgresWriteProbe:
    """Does another session of this database hold a transaction id (it has written, not ended)?"""

    def __init__(self, db: str):
        import sqlalchemy as sa

        self.engine = sa.create_engine(resolve_url(db), isolation_level="AUTOCOMMIT")
        self.conn = self.engine.connect()
        self.sql = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")
        self.others = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")

    def writing(self, pid: int) -> bool:
        return bool(self.conn.execute(self.sql).scalar())

    def settle(self) -> None:
        """Wait until the killed client's server session has ended (committed or rolled back)."""
        deadline = time.monotonic() + 30
        while self.conn.execute(self.others).scalar() and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


# ---- starting a command, and killing it -------------------------------------------------------
class Command:
    """`signpost ARGS` as a new process, exactly as a curator or a cron job starts it."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.err = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the process
        self.proc = subprocess.Popen([*SIGNPOST, *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                     stderr=self.err)
        self.pid = self.proc.pid

    def running(self) -> bool:
        return self.proc.poll() is None

    def finish(self) -> tuple[int, str]:
        self.proc.wait(timeout=300)
        self.err.seek(0)
        text = self.err.read().decode(errors="replace")
        self.err.close()
        return self.proc.returncode, text


def _preloaded_child(args: list[str], env: dict[str, str], err_path: str) -> None:
    os.environ.update(env)
    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    import cli

    os._exit(cli.main(args))


class Preloaded:
    """`signpost ARGS` run by a process forked from a server that has already imported the libraries
    and loaded the model (bench/warm_model.py): the same code from `main()` on, a real process to
    kill, without the seconds of start-up that would otherwise dominate every run."""

    _context = None

    def __init__(self, args: list[str], env: dict[str, str]):
        ctx = self._server()
        self.err = tempfile.NamedTemporaryFile(prefix="signpost-child-", suffix=".err", delete=False)
        self.err.close()
        self.proc = ctx.Process(target=_preloaded_child, args=(args, env, self.err.name))
        self.proc.start()
        self.pid = self.proc.pid

    @classmethod
    def _server(cls):
        if cls._context is None:
            import multiprocessing as mp
            from multiprocessing import forkserver

            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["bench.warm_model"])
            # the server imports by name, so it must find this checkout (Python 3.11 does not pass it sys.path)
            saved = os.environ.get("PYTHONPATH")
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), saved) if p)
            try:
                forkserver.ensure_running()
            finally:
                if saved is None:
                    del os.environ["PYTHONPATH"]
                else:
                    os.environ["PYTHONPATH"] = saved
            cls._context = ctx
        return cls._context

    def running(self) -> bool:
        return self.proc.exitcode is None

    def finish(self) -> tuple[int, str]:
        self.proc.join(300)
        err = Path(self.err.name)
        text = err.read_text(errors="replace")
        err.unlink(missing_ok=True)
        code = self.proc.exitcode
        return (code if code is not None and code >= 0 else 128 - (code or 0)), text


@dataclass
class Kill:
    killed: bool  # the process was still running when SIGKILL was sent
    writing_at_kill: bool  # its write was seen under way at that instant
    seconds: float  # from start to exit


def run_and_kill(launch, args: list[str], env: dict[str, str], writing: Callable[[int], bool], *,
                 after: float | None = None, within_write: float | None = None) -> Kill:
    """Start the command; SIGKILL it `after` seconds, or `within_write` seconds after its write is seen."""
    t0 = time.monotonic()
    proc = launch(args, env)
    deadline = None if after is None else t0 + after
    killed = seen = False
    while proc.running():
        if deadline is None and within_write is not None and writing(proc.pid):
            deadline = time.monotonic() + within_write
        if deadline is not None and time.monotonic() >= deadline:
            seen = writing(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.001)
    code, err = proc.finish()
    seconds = time.monotonic() - t0
    if not killed and code != 0:
        raise RuntimeError(f"signpost {' '.join(args[2:])} failed (exit {code}): {err}")
    return Kill(killed, seen, seconds)


def timed_write(launch, args: list[str], env: dict[str, str], writing: Callable[[int], bool]) -> tuple[float, float]:
    """Run the command to the end, watching: (seconds in all, seconds from its write first seen to the end)."""
    t0 = time.monotonic()
    proc = launch(args, env)
    first = None
    while proc.running():
        if first is None and writing(proc.pid):
            first = time.monotonic()
        time.sleep(0.001)
    end = time.monotonic()
    code, err = proc.finish()
    if code != 0:
        raise RuntimeError(f"signpost {' '.join(args[2:])} failed (exit {code}): {err}")
    return end - t0, (end - first) if first is not None else 0.02


MODES = ("anywhere", "within-write")


def kill_plan(k: int, modes: tuple[str, ...], rng: random.Random, total: float, write: float) -> dict[str, float]:
    """Modes in turn: 'anywhere' in the command's run, or 'within-write' once its write is seen."""
    if modes[(k - 1) % len(modes)] == "anywhere":
        return {"after": rng.uniform(0.0, 1.1 * total)}
    return {"within_write": rng.uniform(0.0, write)}


# ---- imports -----------------------------------------------------------------------------------
def import_file(current: list[Resource], k: int, rng: random.Random, path: Path, new: int) -> list[Resource]:
    """A spreadsheet that rewrites about half the listings' descriptions and adds `new` listings."""
    rows = []
    for res in current:
        if rng.random() < 0.5:
            res = res.model_copy(update={"description": f"{res.description.split(' Revision')[0]} Revision {k}."})
        rows.append(res)
    rows += generate(new, seed=1000 + k, prefix=f"N{k:03d}-")
    csv_io.write_csv(rows, path)
    return importer.load(path)  # what the command will read, validated the same way


def import_faults(db: str, runs: int, listings: int, seed: int, work: Path, *, modes: tuple[str, ...] = MODES,
                  write_window: float | None = None) -> dict:
    """`runs` killed imports of a directory of `listings`. Without `write_window` (how long after
    the write is seen a kill may land) an unkilled calibration run measures it and the run time."""
    rng = random.Random(seed)
    with Store(db) as store:
        store.import_resources(generate(listings, seed=seed, prefix="F"), actor="faults-setup")
    probe = SqliteWriteProbe(db) if sqlite_path(resolve_url(db)) else PostgresWriteProbe(db)
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    tally: Counter[str] = Counter()
    total = write = write_window or 0.0
    try:
        if write_window is None or "anywhere" in modes:
            with Store(db) as store:
                current = store.resources()
            path = work / "import-calibration.csv"
            import_file(current, 0, rng, path, new=listings // 30)
            total, write = timed_write(Command, ["--db", db, "import", str(path)], env, probe.writing)
            write = write_window or write
            say(f"imports: calibration run {total:.2f} s, its write {write:.2f} s")
        for k in range(1, runs + 1):
            with Store(db) as store:
                current = store.resources()
            path = work / f"import-{k}.csv"
            incoming = import_file(current, k, rng, path, new=listings // 30)
            old = directory_state(db)
            new = after_import(old, incoming)
            kill = run_and_kill(Command, ["--db", db, "import", str(path)], env, probe.writing,
                                **kill_plan(k, modes, rng, total, write))
            probe.settle()
            clean = database_checks_clean(db)
            now = directory_state(db)
            state = "old" if now == old else "new" if now == new else "partial"
            landed = ("finished before the kill" if not kill.killed else
                      "after the commit" if state == "new" else
                      "mid-write" if kill.writing_at_kill else "before the write")
            tally["runs"] += 1
            tally[f"state {state}"] += 1
            tally[f"landed {landed}"] += 1
            tally["store failed to open or check"] += not clean
            say(f"  import {k:2d}: {'killed' if kill.killed else 'finished'} at {kill.seconds:.2f} s, "
                f"landed {landed}; database holds the {state} state; opens clean: {clean}")
    finally:
        probe.close()
    return {
        "runs": tally["runs"],
        "killed": tally["runs"] - tally["landed finished before the kill"],
        "landed_before_write": tally["landed before the write"],
        "landed_mid_write": tally["landed mid-write"],
        "landed_after_commit": tally["landed after the commit"],
        "finished_before_kill": tally["landed finished before the kill"],
        "old_state": tally["state old"], "new_state": tally["state new"],
        "partial_writes": tally["state partial"],
        "store_failures": tally["store failed to open or check"],
        "calibration_seconds": round(total, 2), "calibration_write_seconds": round(write, 2),
    }


# ---- index updates -----------------------------------------------------------------------------
def index_directory(listings: int, seed: int, texts: int = 200) -> list[Resource]:
    """`listings` listings sharing `texts` texts: a big index to save, little to embed to build it."""
    base = generate(texts, seed=seed, prefix="T")
    return [base[i % texts].model_copy(update={"id": f"X{i:06d}"}) for i in range(listings)]


def change_directory(store: Store, k: int, rng: random.Random, changes: int) -> list[str]:
    """New text for `changes` listings, a few retired and reactivated, a few added: one import."""
    current = {r.id: r for r in store.resources()}
    ids = sorted(current)
    edited = []
    picked = rng.sample(ids[1:], changes + 3)
    for rid in picked[:changes]:
        r = current[rid]
        edited.append(r.model_copy(update={"description": f"{r.description.split(' Update')[0]} Update {k} "
                                                          f"of {rid}: now also on Saturdays."}))
    for rid in picked[changes:]:
        r = current[rid]
        edited.append(r.model_copy(update={"status": "inactive" if r.status == "active" else "active"}))
    edited += [current[ids[0]].model_copy(update={"id": f"Y{k:03d}-{i}", "name": f"New group {k}-{i}"})
               for i in range(3)]
    store.import_resources(edited, actor="faults")
    return [r.id for r in edited]


def index_signature(index) -> tuple:
    return (index.directory_version, index.kind, tuple(index.ids), tuple(index.content_hashes),
            tuple(index.text_hashes))


def faiss_agrees(index, rng: random.Random) -> bool:
    """The FAISS file and the vectors file are of one version: searched alone, a few labels score
    their own stored vector's length (1), which a different vector there would not."""
    live = [lab for lab, rid in enumerate(index.ids) if rid is not None]
    for lab in rng.sample(live, min(8, len(live))):
        scores, labels = index.search(index.vectors[lab], np.array([lab]), 1)
        if labels[0, 0] != lab or abs(float(scores[0, 0]) - float(index.vectors[lab] @ index.vectors[lab])) > 1e-4:
            return False
    return True


def which_index(loaded, old, new, rng: random.Random) -> str:
    """'old' or 'new' when `loaded` is exactly one of them; else 'torn: <what differs>' or 'unloadable'."""
    if loaded is None:
        return "unloadable"
    if not faiss_agrees(loaded, rng):
        return "torn: FAISS file and vectors disagree"
    sig = index_signature(loaded)
    if sig == index_signature(old) and np.array_equal(loaded.vectors, old.vectors):
        return "old"
    if sig == index_signature(new) and loaded.vectors.shape == new.vectors.shape:
        gap = float(np.abs(np.asarray(loaded.vectors) - np.asarray(new.vectors)).max()) if len(new.vectors) else 0.0
        return "new" if gap < 1e-4 else f"torn: vectors differ from the expected by up to {gap:.2g}"
    parts = ["directory version", "kind", "ids", "content hashes", "text hashes"]
    return "torn: " + ", ".join(f"{p} {'old' if a == b else 'new' if a == c else 'neither'}"
                                for p, a, b, c in zip(parts, sig, index_signature(old), index_signature(new),
                                                      strict=True))


def leftovers(index_dir: Path, before: set[str]) -> list[str]:
    """Traces of a save cut short, new since `before` (the folder's names when the run started): a
    version folder being written, a pointer or a cache file not yet renamed, or a complete version
    folder newer than the one CURRENT names."""
    names = {p.name for p in index_dir.iterdir()} - before
    found = sorted(n for n in names if n.startswith((".tmp-v-", ".CURRENT.")))
    cache = index_dir / "cache"
    if cache.is_dir():
        found += [f"cache/{p.name}" for p in cache.iterdir() if p.name.endswith(".tmp")]
    current = (index_dir / "CURRENT").read_text().strip() if (index_dir / "CURRENT").exists() else ""
    found += sorted(n for n in names if n.startswith("v-") and n > current)
    return found


SAVE_STEPS = ("a new version folder", "vectors.npy", "faiss.index", "meta.json", "the folder renamed",
              "a new CURRENT pointer")


def save_step(index_dir: Path, step: str, before: set[str]) -> Callable[[int], bool]:
    """A probe: has the running save (ListingIndex.save) reached `step`, or a later one? (A step lasts
    microseconds; a probe that missed it sees the save past it and kills at once, rather than let the
    command finish unkilled.)"""

    def pointed_anew() -> bool:
        try:
            return (index_dir / "CURRENT").read_text(encoding="utf-8").strip() not in before
        except OSError:
            return False

    def reached(_pid: int) -> bool:
        names = os.listdir(index_dir)
        tmps = [n for n in names if n.startswith(".tmp-v-")]
        renamed = any(n.startswith("v-") and n not in before for n in names)
        if step == "a new CURRENT pointer":
            return any(n.startswith(".CURRENT.") for n in names) or pointed_anew()
        if step == "the folder renamed" or renamed:
            return renamed
        if step == "a new version folder":
            return bool(tmps)
        return any(os.path.exists(index_dir / t / step) for t in tmps)

    return reached


def clear_leftovers(index_dir: Path) -> None:
    """Remove what a killed save left (the index does so itself after an hour)."""
    for p in index_dir.glob(".tmp-v-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in [*index_dir.glob(".CURRENT.*"), *index_dir.glob("cache/*.tmp")]:
        p.unlink(missing_ok=True)


def index_faults(db: str, runs: int, listings: int, changes: int, seed: int, work: Path, embedder, *,
                 modes: tuple[str, ...] = MODES, preloaded: bool = False, texts: int = 200) -> dict:
    """`runs` killed `signpost index` updates of an index of `listings`, `changes` of them re-embedded
    each time. `preloaded`: run the command in children of a fork server holding the model."""
    from matcher.index import ListingIndex
    from matcher.recommender import Recommender
    from matcher.snapshot import Snapshot

    launch = Preloaded if preloaded else Command
    rng = random.Random(seed + 1)
    index_dir = work / "index"
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "SIGNPOST_INDEX_DIR": str(index_dir)}
    with Store(db) as store:
        store.import_resources(index_directory(listings, seed, texts), actor="faults-setup")
        Recommender.open(db, index_dir=index_dir, embedder=embedder).close()

    def saving(_pid: int) -> bool:
        return any(p.name.startswith(".tmp-v-") for p in index_dir.iterdir())  # (leftovers are cleared)

    total = 0.0
    if preloaded:
        timed_write(launch, ["--help"], env, saving)  # start the fork server: it loads the model once
    if "anywhere" in modes:
        with Store(db) as store:
            change_directory(store, 0, rng, changes)
        total, _ = timed_write(launch, ["--db", db, "index"], env, saving)
    probe_index = ListingIndex.load(index_dir, embedder.name, embedder.dim)
    t0 = time.monotonic()
    probe_index.save(work / "index-save-timing")
    save = time.monotonic() - t0
    say((f"index: calibration run {total:.2f} s; " if total else "index: ")
        + f"a save of {len(probe_index)} listings takes {save:.3f} s")
    tally: Counter[str] = Counter()
    for k in range(1, runs + 1):
        with Store(db) as store:
            changed = change_directory(store, k, rng, changes)
            version, stored = store.snapshot()
        snapshot = Snapshot.from_stored(version, stored)
        old = ListingIndex.load(index_dir, embedder.name, embedder.dim)
        expected = ListingIndex.load(index_dir, embedder.name, embedder.dim)
        expected.update(snapshot, embedder)  # what the command is about to save (not saved here)
        plan = kill_plan(k, modes, rng, total, save)
        before = {p.name for p in index_dir.iterdir()}
        stage = None
        if "within_write" in plan:  # the save lasts milliseconds: kill on sight of one of its steps
            stage = rng.choice(SAVE_STEPS)
            plan = {"within_write": 0.0}
        kill = run_and_kill(launch, ["--db", db, "index"], env, save_step(index_dir, stage, before) if stage else saving,
                            **plan)
        traces = leftovers(index_dir, before)
        loaded = ListingIndex.load(index_dir, embedder.name, embedder.dim)
        state = which_index(loaded, old, expected, rng)
        landed = ("finished before the kill" if not kill.killed else "mid-write" if traces else
                  "after the save" if state == "new" else "before the save")
        # restart: the next open brings the index level with the database
        with Recommender.open(db, index_dir=index_dir, embedder=embedder) as rec:
            active = {s.id for s in stored if s.resource.is_active}
            level = set(rec.index.label_of) == active and rec.index.is_current(snapshot)
            fresh = [rid for rid in changed if rid in active]
            texts = [snapshot.texts[snapshot.row_of[rid]] for rid in fresh]
            want = embedder.encode(texts) if texts else np.zeros((0, embedder.dim), np.float32)
            got = rec.index.vectors[[rec.index.label_of[rid] for rid in fresh]]
            reembedded = bool(np.allclose(got, want, atol=1e-4))
        reloaded = ListingIndex.load(index_dir, embedder.name, embedder.dim)
        level = level and reloaded is not None and reloaded.is_current(snapshot)
        tally["runs"] += 1
        tally["state torn" if state.startswith("torn") else f"state {state}"] += 1
        tally[f"landed {landed}"] += 1
        tally["not level after restart"] += not (level and reembedded)
        clear_leftovers(index_dir)
        say(f"  index {k:2d}: {'killed' if kill.killed else 'finished'} at {kill.seconds:.2f} s"
            f"{' on sight of ' + stage if stage else ''}, landed {landed}"
            f"{' (' + ', '.join(traces) + ' left)' if traces else ''}; saved index is the {state} one; "
            f"after restart level with the database: {level}, changed listings re-embedded: {reembedded}")
    return {
        "runs": tally["runs"],
        "killed": tally["runs"] - tally["landed finished before the kill"],
        "landed_before_save": tally["landed before the save"],
        "landed_mid_write": tally["landed mid-write"],
        "landed_after_save": tally["landed after the save"],
        "finished_before_kill": tally["landed finished before the kill"],
        "old_index": tally["state old"], "new_index": tally["state new"],
        "torn_or_unloadable": tally["state torn"] + tally["state unloadable"],
        "not_consistent_after_restart": tally["not level after restart"],
        "calibration_seconds": round(total, 2), "save_seconds": round(save, 3),
        "index_listings": listings, "changed_per_run": changes,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=None, help="SQLite file or database URL of its own (default: a new SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL cluster for the run")
    ap.add_argument("--imports", type=int, default=20, help="killed imports")
    ap.add_argument("--listings", type=int, default=3000, help="listings in the imported directory")
    ap.add_argument("--index-runs", type=int, default=20, help="killed index updates")
    ap.add_argument("--index-listings", type=int, default=5000, help="listings in the index")
    ap.add_argument("--index-changes", type=int, default=40, help="listings whose text changes before each update")
    ap.add_argument("--preloaded", action="store_true",
                    help="run the killed `signpost index` in children of a fork server that holds the model")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="signpost-faults-") as tmp:
        work = Path(tmp)
        server = None
        try:
            if args.postgres:
                from tests.pg import PostgresServer

                server = PostgresServer(work / "pg").start()
                make_db = server.create_database
            elif args.db is None:
                def make_db(name: str) -> str:
                    return str(work / f"{name}.db")
            else:
                def make_db(name: str) -> str:
                    return args.db
            figures["database"] = "postgresql" if (args.postgres or "://" in (args.db or "")) else "sqlite"
            if args.imports:
                figures["imports"] = import_faults(make_db("imports"), args.imports, args.listings, args.seed, work)
            if args.index_runs:
                from matcher.embedder import load_embedder

                figures["index"] = index_faults(make_db("index"), args.index_runs, args.index_listings,
                                                args.index_changes, args.seed, work, load_embedder(),
                                                preloaded=args.preloaded)
        finally:
            if server is not None:
                server.stop()
    bad = 0
    if "imports" in figures:
        f = figures["imports"]
        bad += f["partial_writes"] + f["store_failures"]
    if "index" in figures:
        f = figures["index"]
        bad += f["torn_or_unloadable"] + f["not_consistent_after_restart"]
    figures["ok"] = bad == 0
    if args.json:
        print(json.dumps(figures))
    else:
        if "imports" in figures:
            f = figures["imports"]
            print(f"imports ({figures['database']}, {args.listings} listings, about half changed each time): "
                  f"{f['runs']} runs, {f['killed']} killed, {f['landed_mid_write']} kills landed mid-write, "
                  f"{f['landed_before_write']} before the write, {f['landed_after_commit']} after the commit, "
                  f"{f['finished_before_kill']} finished first; database held the old state {f['old_state']} "
                  f"times, the new {f['new_state']}; partial writes {f['partial_writes']}; "
                  f"store failed to open {f['store_failures']}")
        if "index" in figures:
            f = figures["index"]
            print(f"index updates ({f['index_listings']} listings, {f['changed_per_run']} changed each time): "
                  f"{f['runs']} runs, {f['killed']} killed, {f['landed_mid_write']} kills landed mid-write, "
                  f"{f['landed_before_save']} before the save, {f['landed_after_save']} after it, "
                  f"{f['finished_before_kill']} finished first; saved index old {f['old_index']}, "
                  f"new {f['new_index']}, torn or unloadable {f['torn_or_unloadable']}; "
                  f"not consistent after restart {f['not_consistent_after_restart']}")
        print("OK" if figures["ok"] else "FAILED")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
