"""Cold `signpost match`: wall time of whole processes, and where one cold process spends it.

    .venv/bin/python bench/cold.py                   # demo directory in a temporary SQLite file
    .venv/bin/python bench/cold.py --db var/x.db --runs 9 --profile my.json
    .venv/bin/python bench/cold.py --code /work/main        # also time another checkout's match, alternating

Set-up (not measured): `signpost demo` into a new database, unless --db names one already indexed.
Then, alternating so that the machine's load falls on both alike: `--runs` times
`python -c "import numpy, faiss"` (the floor any match pays) and `signpost --db DB match PROFILE
--json`, each a fresh process; medians and their ratio are printed. Last, one fresh process times
the phases of a cold match itself (imports, database read, snapshot, saved index, model, lexical
index, domains, the match) and lists the heavy modules it never needed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "tests" / "shared" / "contracts" / "example-profile.json"
SIGNPOST = [sys.executable, "-m", "cli"]
HEAVY = ("sklearn", "scipy", "pandas", "torch", "transformers", "sentence_transformers", "sqlalchemy.orm",
         "pydantic", "geopy", "requests", "fhir", "fpdf")

PHASES = r"""
import json, sys, time
t0 = time.perf_counter(); marks = []
def mark(name):
    global t0
    t = time.perf_counter(); marks.append((name, round((t - t0) * 1000, 1))); t0 = t
import cli.match_cmds, numpy, faiss
from matcher.recommender import Recommender
from matcher.profile import read_profiles
mark("imports")
from directory.store import Store
from matcher.embedder import load_embedder
from matcher.index import ListingIndex, index_dir_for
from matcher.prepared import open_snapshot
from matcher.recommender import FETCH_MIN
store = Store(sys.argv[1], create=False); mark("store opened")
embedder = load_embedder(); mark("model loaded")
index = ListingIndex.open(index_dir_for(store.url), embedder.name, embedder.dim); mark("saved index loaded")
rec = Recommender(embedder=embedder, index=index, store=store); mark("recommender (domain vectors)")
snapshot, lexicon, key = open_snapshot(store, index.folder, embedder.name, rec._fetch, FETCH_MIN, print)
mark("snapshot: prepared" if lexicon is not None else "snapshot: rows read and parsed")
rec.last_update = index.update(snapshot, embedder, shared=rec.shared); mark("index checked against rows")
rec._install(snapshot, None, None, lexicon); mark("install" + ("" if lexicon else " (domains, types inferred; BM25 fit)"))
profile = read_profiles(sys.argv[2])[0]; mark("profile read")
rec.recommend(profile, top_k=10); mark("match")
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(",")) |
               {m for m in sys.argv[3].split(",") if m in sys.modules})
print(json.dumps({"phases": marks, "loaded": heavy}))
"""


def env(code: Path = ROOT) -> dict:
    return {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}


def timed(cmd: list[str], code: Path = ROOT) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=code, env=env(code), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[2:]} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - t


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an indexed database (default: the demo directory in a temporary file)")
    parser.add_argument("--profile", default=str(PROFILE))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--code", type=Path, help="another checkout whose `signpost match` is timed too (before)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "demo.db")
        if args.db is None:
            subprocess.run([*SIGNPOST, "--db", db, "demo"], cwd=ROOT, env=env(), check=True, capture_output=True)
        timed([*SIGNPOST, "--db", db, "match", args.profile, "--json"])  # the page cache warm, as in use
        floor, match, other = [], [], []
        print(f"load average at start {load()}")
        for _ in range(args.runs):
            floor.append(timed([sys.executable, "-c", "import numpy, faiss"]))
            match.append(timed([*SIGNPOST, "--db", db, "match", args.profile, "--json"]))
            if args.code is not None:
                other.append(timed([*SIGNPOST, "--db", db, "match", str(Path(args.profile).resolve()), "--json"],
                                   args.code.resolve()))
        f, m = statistics.median(floor), statistics.median(match)
        print(f"import numpy, faiss: median {f:.2f} s  ({', '.join(f'{x:.2f}' for x in floor)})")
        print(f"signpost match:      median {m:.2f} s  ({', '.join(f'{x:.2f}' for x in match)})")
        if other:
            print(f"  {args.code}: median {statistics.median(other):.2f} s  ({', '.join(f'{x:.2f}' for x in other)})")
        print(f"ratio {m / f:.1f}x   load average at end {load()}")
        done = subprocess.run([sys.executable, "-c", PHASES, db, args.profile, ",".join(HEAVY)], cwd=ROOT, env=env(),
                              capture_output=True, text=True, check=True)
        got = json.loads(done.stdout.strip().splitlines()[-1])
        print("one cold process, by phase (ms):")
        for name, ms in got["phases"]:
            print(f"  {name:<44} {ms:>8.1f}")
        print(f"  {'total':<44} {sum(ms for _, ms in got['phases']):>8.1f}")
        print(f"heavy modules loaded: {', '.join(got['loaded']) or 'none'}")


if __name__ == "__main__":
    main()
