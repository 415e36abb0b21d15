"""Memory by phase of a recommender process on P synthetic listings: the build, then the match path.

    .venv/bin/python bench/memory.py --listings 100000
    .venv/bin/python bench/memory.py --listings 1000000 --json

Set-up (not measured): P listings from bench/synth.py imported into a new SQLite file, their
vectors put in the shared embedding table as synthetic unit vectors (embedding them for real would
take hours at 1M). Then two fresh processes, each printing its resident memory (VmRSS) after every
phase and its peak (VmHWM): "build" opens the recommender on an empty index folder (read the rows,
columns, index from the shared vectors, save, lexical index, domains, the prepared snapshot saved)
and answers one query; "match" opens it again on the saved index and prepared snapshot, as every
later app start does, and answers 50 queries; "match, rows read" does the same with the prepared
snapshot removed first (every row read and parsed, domains inferred, BM25 fitted: the code before
matcher/prepared.py), so `open_s` of the two is the cold open before/after.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROFILES = [
    {"needs": {"social_relationships": 2, "money": 4}, "location": {"latitude": 55.8642, "longitude": -4.2518}},
    {"goals": "walking or singing with others", "languages": ["ur"], "age": 70},
    {"needs": {"mental_wellbeing": 1}, "gender": "female", "location": {"latitude": 55.87, "longitude": -4.3}},
]


def rss_mb() -> tuple[float, float]:
    """(current, peak, anonymous, file-backed) resident memory of this process in MB: the last two
    split the current figure into memory the process holds and pages of memory-mapped files (the saved
    vectors, the prepared snapshot) that the system can drop and read again."""
    got = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            got[key] = int(value.split()[0]) / 1024
    return round(got["VmRSS"]), round(got["VmHWM"]), round(got["RssAnon"]), round(got["RssFile"])


def phases(db: str, index_dir: str, queries: int) -> dict:
    import numpy as np

    from matcher.embedder import load_embedder
    from matcher.index import ListingIndex
    from matcher.recommender import Recommender

    out: dict = {"start": rss_mb()}
    t0 = time.perf_counter()
    embedder = load_embedder()
    out["model loaded"] = rss_mb()
    index = ListingIndex.open(index_dir, embedder.name, embedder.dim)
    out["saved index loaded" if len(index) else "empty index"] = rss_mb()
    rec = Recommender(embedder=embedder, index=index, store=None)
    from directory.store import Store
    from matcher.shared_vectors import SharedVectors

    rec.store = Store(db)
    rec.shared = SharedVectors(rec.store, embedder.name, embedder.dim)
    t1 = time.perf_counter()
    rec.update_index()
    loaded = "prepared snapshot loaded" if rec._prepared.snapshot.prepared else "rows read and parsed"
    out[f"{loaded}, index up to date and saved, query columns ready"] = rss_mb()
    out["update_index_s"] = round(time.perf_counter() - t1, 2)
    out["open_s"] = round(time.perf_counter() - t0, 1)
    times = []
    for i in range(queries):
        t = time.perf_counter()
        rec.recommend(PROFILES[i % len(PROFILES)], top_k=10)
        times.append(time.perf_counter() - t)
    out[f"{queries} queries answered"] = rss_mb()
    out["query_p50_ms"] = round(float(np.median(times)) * 1000, 1)
    out["query_p95_ms"] = round(float(np.percentile(times, 95)) * 1000, 1)
    out["indexed"] = len(rec.index)
    if rec.index.warnings:  # (a save that failed, e.g. a full disk, makes the next phase build again)
        out["index warnings"] = rec.index.warnings[:3]
    rec.close()
    return out


PHASES = {"build": "build", "match": "match", "match, rows read": "match"}


STREAMED_MIN = 500_000  # from here the set-up streams (bench/refresh.py's holds every listing as an object)


def streamed_setup(db: str, n: int, seed: int) -> None:
    """The contract CSV of bench/import_memory.py (n distinct listings) through `signpost import`
    (streamed), then a synthetic unit vector per distinct text put in the shared table, in batches."""
    import numpy as np

    from bench.import_memory import generate as write_csv
    from directory.store import Store
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import SharedVectors
    from matcher.snapshot import listing_text, text_hash

    src = Path(db).with_suffix(".csv")
    write_csv(src, n, seed)
    subprocess.run([sys.executable, "-m", "cli", "--db", db, "import", str(src)], cwd=ROOT, check=True,
                   capture_output=True, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    src.unlink()
    embedder = load_embedder()
    keys: set[str] = set()
    with Store(db) as store:
        store.read_listings(lambda rows: keys.update(text_hash(listing_text(json.loads(r.data))) for r in rows))
        shared = SharedVectors(store, embedder.name, embedder.dim)
        ordered, rng = sorted(keys), np.random.default_rng(seed)
        for start in range(0, len(ordered), 50_000):
            part = ordered[start:start + 50_000]
            vecs = rng.standard_normal((len(part), embedder.dim), dtype=np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            shared.put(part, vecs)


def measure(n: int, seed: int, as_json: bool, phases: list[str] | None = None) -> None:
    import shutil

    from bench.refresh import setup as object_setup

    setup = streamed_setup if n >= STREAMED_MIN else object_setup

    report: dict = {"listings": n, "load average": Path("/proc/loadavg").read_text().split()[0]}
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp:
        db = str(Path(tmp) / "signpost.db")
        t = time.perf_counter()
        setup(db, n, seed)
        report["setup_s"] = round(time.perf_counter() - t, 1)
        for name, phase in PHASES.items():
            if phases is not None and phase != name and name not in phases:
                continue
            if name == "match, rows read":
                shutil.rmtree(Path(tmp) / "index" / "prepared")
            done = subprocess.run([sys.executable, __file__, "--phase", phase, "--db", db, "--index-dir",
                                   str(Path(tmp) / "index")], capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-2000:])
            report[name] = json.loads(done.stdout.strip().splitlines()[-1])
    if as_json:
        print(json.dumps(report), flush=True)
        return
    print(f"listings: {report['listings']} (set-up {report['setup_s']} s, load average {report['load average']})")
    for name in (n for n in PHASES if n in report):
        print(f"{name}:")
        for k, v in report[name].items():
            print(f"  {k}: {v}" if not isinstance(v, list) else
                  f"  {k}: RSS {v[0]} MB, peak {v[1]} MB (anonymous {v[2]} MB, mapped files {v[3]} MB)")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listings", type=int, nargs="+", default=[100_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-rows-read", action="store_true", help="leave out the 'match, rows read' phase (long at 1M)")
    ap.add_argument("--phase", choices=["build", "match"], help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--index-dir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        got = phases(args.db, args.index_dir, 1 if args.phase == "build" else 50)
        (ROOT / "bench" / "out").mkdir(exist_ok=True)  # every phase's figures also kept, whole, here
        with open(ROOT / "bench" / "out" / "memory-phases.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"phase": args.phase, "index_dir": args.index_dir, **got}) + "\n")
        print(json.dumps(got))
        return 0
    for n in args.listings:
        measure(n, args.seed, args.json, ["build", "match"] if args.skip_rows_read else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
