"""Consistency checks of the Bradford dev set (not a benchmark: no ranking is run here).

    PYTHONPATH=$PWD .venv/bin/python bench/data/dev/bradford/check.py [PROFILE_ID ...]

Checks that every listing parses as a contract Resource, every topics row matches a listing, every profile
validates with `matcher.profile.parse_profile` and resolves its location against this folder's gazetteer,
every label names a listing, and counts per profile the listings graded 2 or 3 that pass the profile's own
hard constraints (contract section 4, applied one listing at a time). Prints only ids and counts.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

from directory import csv_io  # noqa: E402
from matcher.geo import Gazetteer, resolve_location  # noqa: E402
from matcher.profile import parse_profile  # noqa: E402

# Contract section 4, one listing at a time: the project's one plain reading of it (tests/reference.py).
from tests.reference import reference_first_broken as first_broken_rule  # noqa: E402


def main() -> int:
    listings = {r.id: r for r in csv_io.read_csv(HERE / "directory.csv")}
    with open(HERE / "topics.csv", newline="", encoding="utf-8") as fh:
        topics = {row["id"]: row["topics"] for row in csv.DictReader(fh)}
    problems = []
    if set(topics) != set(listings):
        problems.append("topics.csv ids differ from directory.csv ids")
    gaz = Gazetteer.load(HERE / "gazetteer.csv")
    blank = sum(1 for r in listings.values() if not r.domains)
    print(f"listings {len(listings)}, domains blank on {blank} ({100 * blank / len(listings):.0f}%)")
    short, sizes = [], []
    with open(HERE / "profiles.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for row in rows:
        p = parse_profile(row["profile"])
        point = resolve_location(row["profile"].get("location"), gaz)
        rel = row["relevant"]
        sizes.append(len(rel))
        missing = [i for i in rel if i not in listings]
        if missing:
            problems.append(f"{row['id']}: labels name unknown listings {missing}")
        if any(g not in (1, 2, 3) for g in rel.values()):
            problems.append(f"{row['id']}: grades must be 1-3")
        good = [i for i, g in rel.items() if g >= 2 and i in listings and first_broken_rule(listings[i], p, point) is None]
        if len(good) < 3:
            short.append((row["id"], len(good)))
        if row["id"] in sys.argv[1:]:  # explain one profile's labels: which rule each breaks
            for i, g in sorted(rel.items(), key=lambda kv: -kv[1]):
                print(f"  {row['id']} {i} grade {g}: {first_broken_rule(listings[i], p, point) or 'eligible'}")
    print(f"profiles {len(rows)}, labels per profile {min(sizes)}-{max(sizes)} (mean {sum(sizes) / len(sizes):.1f})")
    print("profiles with fewer than 3 eligible listings graded >= 2:", short or "none")
    for line in problems:
        print("PROBLEM:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
