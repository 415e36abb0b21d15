"""Consistency checks of the Swansea and Neath Port Talbot dev set (no ranking is run here).

    PYTHONPATH=$PWD .venv/bin/python bench/data/dev/swansea/check.py [PROFILE_ID ...]

Checks that listing ids are unique and every listing parses as a contract Resource, that the CSV imports
through the project's command line into a scratch SQLite file, that every topics row matches a listing, that
the gazetteer names every postcode district the listings use and resolves every profile location, that every
profile validates with `matcher.profile.parse_profile`, that every label names a listing with a grade 1-3 and
each profile has 7-25 labels, and counts per profile the listings graded 2 or 3 that pass the profile's own
hard constraints (contract section 4, applied one listing at a time): at least one, except the designed
"nothing local" profiles, which must have none. Prints only ids and counts, never profile text.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

from directory import csv_io  # noqa: E402
from matcher.geo import Gazetteer, resolve_location  # noqa: E402
from matcher.profile import parse_profile  # noqa: E402

# Contract section 4, one listing at a time: the project's one plain reading of it (tests/reference.py).
from tests.reference import reference_first_broken as first_broken_rule  # noqa: E402

# Profiles written so that no listing the person may be sent to meets their need (see README).
NOTHING_LOCAL = {"SW-P21", "SW-P22", "SW-P23"}


def _import_problems() -> list[str]:
    """Import directory.csv with the project's CLI into a scratch database; a problem if it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "cli", "--db", str(Path(tmp) / "sw.db"), "import", str(HERE / "directory.csv")],
            cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1",
                                                           "PATH": "/usr/bin:/bin"})
    print(f"import exit code {done.returncode}")
    return [] if done.returncode == 0 else ["directory.csv does not import"]


def _listing_problems(listings: dict, gaz_names: set[str]) -> list[str]:
    problems = []
    with open(HERE / "directory.csv", newline="", encoding="utf-8") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate listing ids {[i for i, n in Counter(ids).items() if n > 1]}")
    with open(HERE / "topics.csv", newline="", encoding="utf-8") as fh:
        topics = {row["id"]: row["topics"] for row in csv.DictReader(fh)}
    if set(topics) != set(listings):
        problems.append("topics.csv ids differ from directory.csv ids")
    for r in listings.values():
        district = (r.postcode or "").split(" ")[0].upper()
        if district and district not in gaz_names:
            problems.append(f"{r.id}: postcode district not in gazetteer.csv")
    return problems


def main() -> int:
    listings = {r.id: r for r in csv_io.read_csv(HERE / "directory.csv")}
    gaz = Gazetteer.load(HERE / "gazetteer.csv")
    with open(HERE / "gazetteer.csv", newline="", encoding="utf-8") as fh:
        gaz_names = {row["name"] for row in csv.DictReader(fh)}
    problems = _listing_problems(listings, gaz_names) + _import_problems()
    blank = sum(1 for r in listings.values() if not r.domains)
    print(f"listings {len(listings)}, domains blank on {blank} ({100 * blank / len(listings):.0f}%)")
    with open(HERE / "profiles.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    ids = [row["id"] for row in rows]
    if len(ids) != len(set(ids)):
        problems.append("duplicate profile ids")
    sizes, few, grades = [], [], Counter()
    for row in rows:
        p = parse_profile(row["profile"])
        loc = row["profile"].get("location")
        point = resolve_location(loc, gaz)
        if loc is not None and point is None:
            problems.append(f"{row['id']}: location does not resolve against gazetteer.csv")
        rel = row["relevant"]
        sizes.append(len(rel))
        grades.update(rel.values())
        if not 7 <= len(rel) <= 25:
            problems.append(f"{row['id']}: {len(rel)} labels, want 7-25")
        missing = [i for i in rel if i not in listings]
        if missing:
            problems.append(f"{row['id']}: labels name unknown listings {missing}")
        if any(g not in (1, 2, 3) for g in rel.values()):
            problems.append(f"{row['id']}: grades must be 1-3")
        good = [i for i, g in rel.items() if g >= 2 and i in listings
                and first_broken_rule(listings[i], p, point) is None]
        if row["id"] in NOTHING_LOCAL and good:
            problems.append(f"{row['id']}: designed nothing-local but {len(good)} eligible listings graded >= 2")
        if row["id"] not in NOTHING_LOCAL and not good:
            problems.append(f"{row['id']}: no eligible listing graded >= 2")
        if len(good) < 3:
            few.append((row["id"], len(good)))
        if row["id"] in sys.argv[1:]:  # explain one profile's labels: which rule each breaks
            for i, g in sorted(rel.items(), key=lambda kv: -kv[1]):
                print(f"  {row['id']} {i} grade {g}: {first_broken_rule(listings[i], p, point) or 'eligible'}")
    print(f"profiles {len(rows)}, labels {sum(sizes)} (grade 3: {grades[3]}, 2: {grades[2]}, 1: {grades[1]}), "
          f"per profile {min(sizes)}-{max(sizes)} (mean {sum(sizes) / len(sizes):.1f})")
    print("profiles with fewer than 3 eligible listings graded >= 2:", few or "none")
    for line in problems:
        print("PROBLEM:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
