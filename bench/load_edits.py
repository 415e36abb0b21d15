"""Concurrent curator edits: N OS processes × M edits racing over a small set of listings.

    .venv/bin/python bench/load_edits.py                          # SQLite file in a temporary folder
    .venv/bin/python bench/load_edits.py --db var/load.db
    .venv/bin/python bench/load_edits.py --postgres               # a throw-away PostgreSQL cluster
    .venv/bin/python bench/load_edits.py --db postgresql://user@host/db

Every edit is what the Directory page does: read a listing, change it, write it with the version it
was read at (`Store.update(expected_version=...)`); a `ConflictError` (someone else saved first)
or a `BusyError` (the database stayed locked) means read again and re-apply. Each edit appends a
token unique to it to the listing's curator tags, so at the end every successful edit can be
looked for: in the listing (its token is there), in the audit trail (one row naming its token),
in the listing's version (1 + its successful edits) and in the directory version (one step per
edit). Lost updates must be 0. Prints the figures; `--json` prints them as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory.records import Resource  # noqa: E402
from directory.store import BusyError, ConflictError, Store  # noqa: E402

TOKEN_PREFIX = "edit-"


def make_listing(rid: str) -> Resource:
    return Resource.model_validate(dict(
        id=rid, name=f"Load test group {rid}", organisation="Load Test Org",
        description="A weekly group used by the concurrent edit benchmark.",
        domains=["social_relationships"], languages=["en"], delivery=["phone"], cost="free",
        schedule="Mondays 10:00-11:00",
    ))


def worker(db: str, ids: list[str], edits: int, worker_no: int, seed: int, ready, start, results) -> None:
    """One curator process: `edits` read-modify-write edits of random listings among `ids`."""
    rng = random.Random(seed * 1000 + worker_no)
    done: list[dict] = []
    conflicts = busy = 0
    with Store(db) as store:
        store.directory_version()  # connect before the start line
        ready.put(worker_no)
        start.wait()
        for n in range(edits):
            rid = rng.choice(ids)
            token = f"{TOKEN_PREFIX}w{worker_no}-{n}"
            t0 = time.perf_counter()
            while True:
                read = store.get(rid)
                edited = read.resource.model_copy(update={"categories": [*read.resource.categories, token]})
                try:
                    saved = store.update(edited, read.version, actor=f"curator-{worker_no}")
                except ConflictError:
                    conflicts += 1
                    continue
                except BusyError:
                    busy += 1
                    continue
                break
            done.append({"id": rid, "token": token, "version": saved.version,
                         "seconds": time.perf_counter() - t0})
    results.put({"worker": worker_no, "edits": done, "conflicts": conflicts, "busy": busy,
                 "finished": time.time()})


def run(db: str, processes: int, edits: int, listings: int, seed: int = 0) -> dict:
    run_id = uuid.uuid4().hex[:8]
    ids = [f"LOAD-{run_id}-{i:03d}" for i in range(listings)]
    with Store(db) as store:
        store.import_resources([make_listing(rid) for rid in ids], actor="load-setup")
        version_before = store.directory_version()
    ctx = mp.get_context("spawn")
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=worker, args=(db, ids, edits, w, seed, ready, start, results))
             for w in range(processes)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    t0 = time.time()
    start.set()
    reports = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    wall = max(r["finished"] for r in reports) - t0
    return verify(db, ids, reports, version_before, wall, processes, edits)


def verify(db: str, ids: list[str], reports: list[dict], version_before: int, wall: float,
           processes: int, edits: int) -> dict:
    """Look for every successful edit in the final listings, the audit trail and the versions."""
    successes = [e for r in reports for e in r["edits"]]
    tokens = {e["token"] for e in successes}
    with Store(db) as store:
        final = {rid: store.get(rid) for rid in ids}
        audit = [a for a in store.history() if a.resource_id in final and a.action == "update"]
        version_after = store.directory_version()
    in_listings = {t for s in final.values() for t in s.resource.categories if t.startswith(TOKEN_PREFIX)}
    audit_tokens: list[str] = []
    for a in audit:
        old, new = a.changes.get("categories", [[], []])
        audit_tokens.extend(t for t in (new or []) if t not in (old or []))
    per_listing = {rid: sum(e["id"] == rid for e in successes) for rid in ids}
    wrong_versions = [rid for rid, s in final.items() if s.version != 1 + per_listing[rid]]
    # a listing's tokens in the order they were saved must match the versions the writers were given
    order_ok = all(
        final[rid].resource.categories[-per_listing[rid]:] == [
            e["token"] for e in sorted((e for e in successes if e["id"] == rid), key=lambda e: e["version"])]
        for rid in ids if per_listing[rid])
    latencies = sorted(e["seconds"] for e in successes)
    return {
        "database": "sqlite" if "://" not in db or db.startswith("sqlite") else db.split("://")[0],
        "processes": processes, "edits_per_process": edits, "listings": len(ids),
        "successful_edits": len(successes),
        "conflicts_retried": sum(r["conflicts"] for r in reports),
        "busy_retried": sum(r["busy"] for r in reports),
        "lost_updates": len(tokens - in_listings),
        "phantom_tokens": len(in_listings - tokens),
        "audit_rows": len(audit),
        # each audit row must add exactly one token, a different one, of an edit that was saved
        "audit_rows_matching_edits": len(set(audit_tokens) & tokens) if len(audit_tokens) == len(audit) else -1,
        "listing_versions_wrong": len(wrong_versions),
        "save_order_matches_versions": order_ok,
        "directory_version_steps": version_after - version_before,
        "seconds": round(wall, 3),
        "edits_per_second": round(len(successes) / wall, 1) if wall > 0 else None,
        "edit_ms_p50": round(1000 * statistics.median(latencies), 2) if latencies else None,
        "edit_ms_p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else None,
    }


def ok(figures: dict) -> bool:
    n = figures["successful_edits"]
    return (n == figures["processes"] * figures["edits_per_process"] and figures["lost_updates"] == 0
            and figures["phantom_tokens"] == 0 and figures["audit_rows"] == n
            and figures["audit_rows_matching_edits"] == n and figures["listing_versions_wrong"] == 0
            and figures["save_order_matches_versions"] and figures["directory_version_steps"] == n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=None, help="SQLite file or database URL (default: a new SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL cluster for the run")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--edits", type=int, default=500, help="edits per process")
    ap.add_argument("--listings", type=int, default=20, help="how many listings the edits share")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="signpost-load-") as tmp:
        server = None
        db = args.db
        if args.postgres:
            from tests.pg import PostgresServer

            server = PostgresServer(Path(tmp) / "pg").start()
            db = server.create_database("load")
        elif db is None:
            db = str(Path(tmp) / "load.db")
        try:
            figures = run(db, args.processes, args.edits, args.listings, args.seed)
        finally:
            if server is not None:
                server.stop()
    figures["ok"] = ok(figures)
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{figures['database']}: {figures['processes']} processes x {figures['edits_per_process']} edits "
              f"over {figures['listings']} listings in {figures['seconds']} s")
        print(f"  {figures['successful_edits']} edits saved, {figures['edits_per_second']} edits/s, "
              f"p50 {figures['edit_ms_p50']} ms, p95 {figures['edit_ms_p95']} ms per edit (retries included)")
        print(f"  {figures['conflicts_retried']} conflicts and {figures['busy_retried']} busy retries")
        print(f"  lost updates {figures['lost_updates']}, phantom edits {figures['phantom_tokens']}, "
              f"audit rows {figures['audit_rows']} ({figures['audit_rows_matching_edits']} naming a saved edit), "
              f"wrong listing versions {figures['listing_versions_wrong']}, "
              f"directory version steps {figures['directory_version_steps']}")
        print("  OK" if figures["ok"] else "  FAILED")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
