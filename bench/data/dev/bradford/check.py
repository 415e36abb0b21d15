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
from directory.records import Resource  # noqa: E402
from matcher.geo import Gazetteer, haversine_km, resolve_location  # noqa: E402
from matcher.profile import NeedsProfile, parse_profile  # noqa: E402

COST = {"free": 0, "low_cost": 1, "paid": 2, None: 2}


def first_broken_rule(r: Resource, p: NeedsProfile, point) -> str | None:
    """The first rule of contract section 4 that `r` breaks for `p`, or None when it may be recommended."""
    if r.status != "active":
        return "inactive"
    if not (set(r.languages) & set(p.languages) or r.interpreter_available):
        return "language"
    if p.age is not None and ((r.min_age is not None and p.age < r.min_age)
                              or (r.max_age is not None and p.age > r.max_age)):
        return "age"
    if r.gender is not None and r.gender != p.gender:
        return "gender"
    reach = False
    if "in_person" in r.delivery:
        near = point is None or float(haversine_km(point[0], point[1], r.latitude, r.longitude)) <= p.max_distance_km
        reach |= near and (not p.needs_wheelchair_access or r.wheelchair_accessible is True)
    reach |= "phone" in r.delivery and p.digital_access in ("phone", "online")
    reach |= "online" in r.delivery and p.digital_access == "online"
    if not reach:
        return "reach"
    return "cost" if COST[r.cost] > COST[p.max_cost] else None


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
