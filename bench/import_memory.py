"""Peak memory and time of `signpost import` of a large contract CSV (issue 13: a 1M-row CSV took
3.4 GB). Import memory should grow with the batch written, not with the file.

    .venv/bin/python bench/import_memory.py --n 100000 --n 1000000

Each import runs in a fresh process (the CLI's own `main`, in a child of this script) on an empty
SQLite database; that child reports its peak resident memory (VmHWM) and the
wall-clock time. `--code DIR` runs another checkout's code (e.g. the old one) for comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from directory.records import CSV_COLUMNS, DOMAINS  # noqa: E402


def child(db: str, csv_path: str, code_dir: str) -> None:
    # the code under test is the checkout given (--code), not necessarily this one: forget what
    # this script imported and put that checkout first
    for name in [m for m in sys.modules if m.split(".")[0] in ("directory", "cli", "matcher")]:
        del sys.modules[name]
    sys.path.insert(0, code_dir)
    import directory
    from cli import main

    assert Path(directory.__file__).resolve().is_relative_to(Path(code_dir).resolve()), directory.__file__
    t0 = time.perf_counter()
    code = main(["--db", db, "import", csv_path])
    seconds = time.perf_counter() - t0
    print(json.dumps({"exit": code, "seconds": round(seconds, 1), "peak_mb": round(peak_rss_mb())}))


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM counts from the exec of this program;
    getrusage's ru_maxrss also carries the forking parent's peak across exec, so it is only the
    fallback where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, n: int, seed: int = 7) -> None:
    """n valid listings of ~190 bytes each (1M rows is ~190 MB, under the 200 MB import limit,
    like the issue's 186 MB file)."""
    rnd = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for i in range(n):
            in_person = rnd.random() < 0.6
            w.writerow({
                "id": f"G{i:07d}", "name": f"Group {i}", "description": f"A friendly group {i}; tea provided.",
                "domains": ";".join(rnd.sample(DOMAINS, 2)), "languages": rnd.choice(["en", "en;ur", "pl"]),
                "min_age": rnd.choice(["", "18"]), "delivery": "in_person" if in_person else "phone",
                "cost": rnd.choice(["free", "low_cost", ""]),
                "latitude": f"{55.80 + rnd.random() * 0.12:.4f}" if in_person else "",
                "longitude": f"{-4.40 + rnd.random() * 0.25:.4f}" if in_person else "",
                "last_verified": "2026-06-01", "status": "active",
            })


def measure(n: int, tmp: Path, code_dir: Path) -> dict:
    src = tmp / f"listings-{n}.csv"
    if not src.exists():
        generate(src, n)
    db = tmp / f"import-{n}-{time.time_ns()}.db"
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(db), str(src),
                           str(code_dir)],
                          capture_output=True, text=True, env=env, cwd=code_dir, check=False)
    if done.returncode != 0 and not done.stdout.strip():
        raise SystemExit(f"the import failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(rows=n, file_mb=round(src.stat().st_size / 1e6))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", help="rows (repeatable); default 100000")
    ap.add_argument("--code", type=Path, default=HERE.parent, help="the checkout whose signpost runs")
    ap.add_argument("--keep", type=Path, default=None, help="a folder to keep the generated CSVs in")
    ap.add_argument("--child", nargs=3, metavar=("DB", "CSV", "CODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in args.n or [100_000]:
            r = measure(n, tmp, args.code.resolve())
            print(f"{r['rows']:>9,} rows ({r['file_mb']} MB): exit {r['exit']}, {r['seconds']} s, "
                  f"peak {r['peak_mb']:,} MB", flush=True)


if __name__ == "__main__":
    main()
