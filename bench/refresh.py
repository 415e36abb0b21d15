"""N app processes on one directory, M listings changed, P listings in all: who embeds what, how soon
each process is up to date, and whether any of them ever finds no index.

    .venv/bin/python bench/refresh.py --processes 4 --changes 1000 --listings 100000 --postgres
    .venv/bin/python bench/refresh.py --processes 4 --changes 1000 --listings 100000       # SQLite file
    .venv/bin/python bench/refresh.py --db postgresql://user@host/db --json

Set-up: P synthetic listings (bench/synth.py) are imported and their vectors put in the shared table
as synthetic unit vectors (embedding 100k texts for real would take this benchmark's whole budget;
the M changed texts are embedded for real). N worker processes open the recommender on one index
folder and poll `refresh()` every POLL s; when all are ready the parent changes M listings' text in
one import, as `signpost import` and the app do: the import embeds its new texts in its own
transaction (matcher.shared_vectors.EmbedOnWrite; `--no-embed-on-write` leaves them to the workers,
who share them out by claims). Each worker reports texts it embedded, seconds from the change's
commit to its `refresh()` returning with the new directory version (and from the import's start),
and every query that failed or found no index while it refreshed (a thread matches, pausing
--query-pause s between matches, all along).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POLL = 0.2
# Pause between the watching thread's queries: an app serves people, it does not spin (a thread that
# never pauses takes a core from the embedding on 2 cores).
QUERY_PAUSE = 0.1
PROFILE = {"needs": {"social_relationships": 2, "money": 4}, "goals": "meet people",
           "location": {"latitude": 55.8642, "longitude": -4.2518}}


def setup(db: str, listings: int, seed: int) -> None:
    from bench.synth import generate
    from directory.store import Store
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import SharedVectors
    from matcher.snapshot import listing_text, text_hash

    resources = generate(listings, seed)
    with Store(db) as store:
        store.import_resources(resources, actor="bench")
        embedder = load_embedder()
        shared = SharedVectors(store, embedder.name, embedder.dim)
        keys = sorted({text_hash(listing_text(r)) for r in resources})
        rng = np.random.default_rng(seed)
        vecs = rng.standard_normal((len(keys), embedder.dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        shared.put(keys, vecs)


def change(db: str, count: int, seed: int, texts: bool = True, on_write: bool = True) -> tuple[int, float, dict]:
    """Give `count` listings a new description (a new text each), or with `texts` False a new cost and
    schedule (nothing to embed), in one import as `signpost import` and the app's import do it: with
    `on_write` the import embeds its new texts in its own transaction (EmbedOnWrite), else it leaves
    them to the processes. (New version, commit time, what the import did.)"""
    from directory.store import Store
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import embed_on_write

    with Store(db) as store:
        hook = embed_on_write(store, load_embedder()) if on_write else None
        stored = [s for s in store.list() if s.resource.status == "active"]  # inactive ones are not embedded
        rng = np.random.default_rng(seed + 1)
        picks = rng.choice(len(stored), size=min(count, len(stored)), replace=False)
        tag = time.time_ns()
        def edit(res, n: int) -> dict:
            if texts:
                return {"description": res.description + f" Changed in run {tag}, number {n}."}
            return {"cost": "paid" if res.cost == "free" else "free", "schedule": f"Run {tag}"}

        new = [stored[i].resource.model_copy(update=edit(stored[i].resource, n)) for n, i in enumerate(picks)]
        started = time.time()
        store.import_resources(new, actor="bench")
        committed = time.time()
        done = {"import_s": round(committed - started, 2), "embedded_on_write": 0 if hook is None else hook.embedded,
                "embedding_on_write_s": 0.0 if hook is None else round(hook.seconds, 2),
                "left_to_processes": 0 if hook is None else hook.left, "threads": 0 if hook is None else hook.threads}
        return store.directory_version(), committed, done


def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat; None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def _cores_busy(seconds: float) -> float | None:
    """Cores' worth of CPU the whole machine used over the next `seconds` (/proc/stat; None off Linux)."""
    first = _cpu_jiffies()
    time.sleep(seconds)
    second = _cpu_jiffies()
    if first is None or second is None or second[1] == first[1]:
        return None
    return round((os.cpu_count() or 1) * (second[0] - first[0]) / (second[1] - first[1]), 2)


def worker(db: str, index_dir: str, ready: str, go: str, timeout: float, pause: float = QUERY_PAUSE) -> dict:
    from matcher.recommender import Recommender

    rec = Recommender.open(db, index_dir=index_dir)
    start_version = rec.directory_version
    failures: list[str] = []
    empty = 0
    stop = threading.Event()

    def match() -> None:
        nonlocal empty
        while not stop.is_set():
            try:
                if not rec.recommend(PROFILE, top_k=5).results:
                    empty += 1
            except Exception as err:  # any failure at all is what this benchmark looks for
                import traceback

                where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in
                                   reversed(traceback.extract_tb(err.__traceback__)[-4:]))
                failures.append(f"{type(err).__name__}: {err}"[:200] + f" at {where}")
            time.sleep(pause)

    Path(ready).write_text(str(os.getpid()))
    thread = threading.Thread(target=match, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    embedded_before = rec.shared.embedded
    target, refreshed_at = None, []  # (time, version) of every refresh that moved
    refresh_cpu, process_cpu = 0.0, 0.0  # CPU seconds of the refreshing thread; of the whole process
    while time.monotonic() < deadline:
        if target is None and Path(go).exists():
            target = json.loads(Path(go).read_text())["version"]
        if target is not None and (rec.directory_version or 0) >= target:
            break
        cpu, cpu_all = time.thread_time(), time.process_time()
        if rec.refresh():
            refreshed_at.append((time.time(), rec.directory_version))
            refresh_cpu += time.thread_time() - cpu
            process_cpu += time.process_time() - cpu_all
        else:
            time.sleep(POLL)
    embedded = rec.shared.embedded - embedded_before
    done_at = next((t for t, v in refreshed_at if target is not None and v >= target), None)
    steps, shared_steps = dict(rec.last_refresh), dict(rec.shared.last) if embedded else {}
    stop.set()
    thread.join()
    waited = time.perf_counter()
    rec.wait()  # the lexical refit and the index save a large directory's refresh leaves to a thread
    background = {**rec.last_finish, "after_up_to_date_s": round(time.perf_counter() - waited, 3)}
    from matcher.index import ListingIndex

    saved = ListingIndex.load(index_dir, rec.embedder.name, rec.embedder.dim)
    out = {"pid": os.getpid(), "start_version": start_version, "version": rec.directory_version,
           "target": target, "embedded": embedded, "done_at": done_at, "indexed": len(rec.index),
           "query_failures": failures[:5], "query_failure_count": len(failures), "empty_results": empty,
           "saved_index_missing": saved is None, "steps": steps, "embedding": shared_steps,
           "background": background, "load": os.getloadavg()[0],
           "cpu": {"refresh_thread_s": round(refresh_cpu, 2), "process_s": round(process_cpu, 2)}}
    rec.close()
    return out


_PASSED_ON: list[str] = []  # options of this run the workers are started with too


def _passed_on() -> list[str]:
    return list(_PASSED_ON)


def _fresh_open(db: str, index_dir: str, version: int) -> dict:
    """Open the folder the workers saved at once, afresh: what loaded, and whether anything was redone."""
    from matcher.recommender import Recommender

    t = time.perf_counter()
    with Recommender.open(db, index_dir=index_dir) as rec:
        up = rec.last_update
        return {"seconds": round(time.perf_counter() - t, 1), "warnings": rec.index.warnings[:3],
                "loaded_current": rec.index.directory_version == version and not up.rebuilt
                and up.embedded == up.added == up.changed == up.removed == 0 and not rec.index.warnings}


def run(db: str, processes: int, changes: int, listings: int, seed: int, timeout: float, texts: bool = True,
        pause: float = QUERY_PAUSE, fresh_open: bool = False, on_write: bool = True) -> dict:
    from directory.store import Store
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import SharedVectors

    t0 = time.perf_counter()
    setup(db, listings, seed)
    setup_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="refresh-bench-") as tmp:
        index_dir = str(Path(tmp) / "index")
        go = str(Path(tmp) / "go")
        procs, readies = [], []
        for i in range(processes):
            ready = str(Path(tmp) / f"ready-{i}")
            readies.append(ready)
            procs.append(subprocess.Popen(
                [sys.executable, __file__, "--worker", "--db", db, "--index-dir", index_dir, "--ready", ready,
                 "--go", go, "--timeout", str(timeout), "--query-pause", str(pause), *_passed_on()],
                stdout=subprocess.PIPE, text=True, cwd=ROOT))
        t1 = time.perf_counter()
        while not all(Path(r).exists() for r in readies):
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker died before it was ready")
            time.sleep(0.2)
        open_s = time.perf_counter() - t1
        with Store(db) as store:
            embedder = load_embedder()
            before = SharedVectors(store, embedder.name, embedder.dim).count()
        load_at_change = [round(x, 2) for x in os.getloadavg()]
        busy_before = _cores_busy(1.0)  # what the ready workers (their matching, their polling) keep busy
        version, committed, written = change(db, changes, seed, texts, on_write)
        Path(go + ".tmp").write_text(json.dumps({"version": version}))
        os.replace(go + ".tmp", go)  # a worker polling for the file never reads it half written
        reports = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
        with Store(db) as store:
            after = SharedVectors(store, embedder.name, embedder.dim).count()
            claims_left = SharedVectors(store, embedder.name, embedder.dim).claim_count()
        fresh = _fresh_open(db, index_dir, version) if fresh_open else None
    seconds = [None if r["done_at"] is None else round(r["done_at"] - committed, 2) for r in reports]
    return {
        "processes": processes, "changes": changes, "text_changed": texts, "listings": listings,
        "setup_s": round(setup_s, 1),
        "open_s": round(open_s, 1),
        # the import: seconds from its start to its commit, texts it embedded in its transaction
        "import": written,
        "embedded_total": written["embedded_on_write"] + sum(r["embedded"] for r in reports),
        "embedded_per_process": [r["embedded"] for r in reports], "new_vectors_in_table": after - before,
        # from the import's commit (when the change exists for readers); and from its start
        "seconds_to_up_to_date": seconds,
        "seconds_from_import_start": [None if s is None else round(s + written["import_s"], 2) for s in seconds],
        "all_up_to_date": all(r["version"] >= version and r["done_at"] is not None for r in reports),
        "query_failures": sum(r["query_failure_count"] for r in reports),
        "empty_results": sum(r["empty_results"] for r in reports),
        "saved_index_missing": sum(r["saved_index_missing"] for r in reports),
        "failure_samples": [f for r in reports for f in r["query_failures"]][:5],
        "claims_left": claims_left,
        "fresh_open": fresh,
        # where each process's refresh went (seconds): read the changed rows, merge them into the
        # columns, vectors (claim, embed, wait for the others' batches, add to FAISS), install (domain
        # and support-type inference of changed rows, swap); then, after it was up to date, the
        # background lexical refit and index save
        "steps_per_process": [r["steps"] for r in reports],
        "embedding_per_process": [r["embedding"] for r in reports],
        "background_per_process": [r["background"] for r in reports],
        # CPU seconds from the change to up to date: the refreshing thread's, and the whole process's
        # (its matching thread too); their sum over processes / cores is the time an idle machine needs
        "cpu_per_process": [r["cpu"] for r in reports],
        "cores": len(os.sched_getaffinity(0)),
        "load_average_at_change": load_at_change, "cores_busy_before_change": busy_before, "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=None, help="SQLite file or database URL (default: a new SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL cluster for the run")
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--changes", type=int, default=1000)
    ap.add_argument("--listings", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--facts-only", action="store_true", help="change cost and schedule, not text (nothing to embed)")
    ap.add_argument("--query-pause", type=float, default=QUERY_PAUSE,
                    help="seconds between each worker's matches (the app's traffic while it refreshes)")
    ap.add_argument("--no-embed-on-write", action="store_true",
                    help="the import leaves its new texts to the processes (they share the embedding by claims)")
    ap.add_argument("--fresh-open", action="store_true",
                    help="after the run, open the index folder afresh: it must load as saved, nothing rebuilt")
    ap.add_argument("--background-min", type=int, default=None,
                    help="listings above which a refresh leaves the lexical refit and save to a thread "
                         "(recommender.BACKGROUND_MIN; tests set 0 to take that path at a small size)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--index-dir", help=argparse.SUPPRESS)
    ap.add_argument("--ready", help=argparse.SUPPRESS)
    ap.add_argument("--go", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.background_min is not None:
        from matcher import recommender

        recommender.BACKGROUND_MIN = args.background_min
        _PASSED_ON[:] = ["--background-min", str(args.background_min)]
    if args.worker:
        print(json.dumps(worker(args.db, args.index_dir, args.ready, args.go, args.timeout, args.query_pause)))
        return 0
    with tempfile.TemporaryDirectory(prefix="refresh-db-") as tmp:
        server = None
        db = args.db
        if args.postgres:
            from tests.pg import PostgresServer

            server = PostgresServer(Path(tmp) / "pg").start()
            db = server.create_database("refresh_bench")
        db = db or str(Path(tmp) / "signpost.db")
        try:
            figures = run(db, args.processes, args.changes, args.listings, args.seed, args.timeout,
                          not args.facts_only, args.query_pause, args.fresh_open, not args.no_embed_on_write)
        finally:
            if server is not None:
                server.stop()
    expected = figures["changes"] if figures["text_changed"] else 0
    ok = (figures["embedded_total"] == figures["new_vectors_in_table"] == expected
          and figures["all_up_to_date"] and not figures["query_failures"] and not figures["saved_index_missing"]
          and figures["claims_left"] == 0 and (figures["fresh_open"] is None or figures["fresh_open"]["loaded_current"]))
    figures["ok"] = ok
    if args.json:
        print(json.dumps(figures))
    else:
        for k, v in figures.items():
            print(f"{k}: {v}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
