"""Import throughput: generate N valid listings as a contract CSV and time `signpost import`.

    .venv/bin/python bench/import_speed.py --n 10000

Prints the seconds for parsing + validation, for the database write, and for the whole CLI
command (a fresh process, as a curator would run it), and for a no-op re-import.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory import csv_io  # noqa: E402
from directory.records import CSV_COLUMNS, DOMAINS  # noqa: E402
from directory.store import Store  # noqa: E402


def generate(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    langs = ["en", "ur", "pa", "ar", "pl", "zh", "ro"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for i in range(n):
            delivery = rnd.choice(["in_person", "phone", "online", "in_person;phone"])
            in_person = "in_person" in delivery
            w.writerow({
                "id": f"G{i:07d}", "name": f"Group {i}", "organisation": f"Org {i % 500}",
                "description": f"A friendly group number {i} where people meet, talk and take part. "
                               f"Everyone welcome; tea provided. Call to join.",
                "categories": "community;wellbeing", "domains": ";".join(rnd.sample(DOMAINS, 2)),
                "languages": ";".join(rnd.sample(langs, rnd.randint(1, 2))),
                "interpreter_available": rnd.choice(["true", "false", ""]),
                "min_age": rnd.choice(["", "18", "50"]), "max_age": rnd.choice(["", "99"]),
                "gender": rnd.choice(["", "", "", "female", "male"]), "delivery": delivery,
                "cost": rnd.choice(["free", "low_cost", "paid", ""]),
                "latitude": f"{55.80 + rnd.random() * 0.12:.5f}" if in_person else "",
                "longitude": f"{-4.40 + rnd.random() * 0.25:.5f}" if in_person else "",
                "wheelchair_accessible": rnd.choice(["true", "false", ""]),
                "schedule": "Mondays 10:00-12:00", "phone": "0141 000 0000", "last_verified": "2026-06-01",
                "status": "active",
            })


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "listings.csv"
        generate(src, args.n)
        t0 = time.perf_counter()
        resources = csv_io.read_csv(src)
        t1 = time.perf_counter()
        with Store(tmp / "lib.db") as store:
            store.import_resources(resources)
        t2 = time.perf_counter()
        cli = [sys.executable, "-m", "cli", "--db", str(tmp / "cli.db"), "import", str(src)]
        t3 = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        t4 = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        t5 = time.perf_counter()
    print(f"listings: {args.n}")
    print(f"parse+validate: {t1 - t0:.2f} s ({args.n / (t1 - t0):,.0f} listings/s)")
    print(f"database write: {t2 - t1:.2f} s")
    print(f"signpost import (fresh process, empty db): {t4 - t3:.2f} s")
    print(f"signpost import again (no-op): {t5 - t4:.2f} s")


if __name__ == "__main__":
    main()
