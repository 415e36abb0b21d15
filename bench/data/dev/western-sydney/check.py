"""Sanity checks for the Western Sydney dev set: labels exist, profiles validate, labels can be reached.

Run from the worktree root:
    PYTHONPATH=$PWD .venv/bin/python bench/data/dev/western-sydney/check.py

The hard constraints of contracts/README.md section 4 are re-implemented here on purpose (a few lines,
read straight off the contract) so that the data set is checked without Signpost's own filtering code.
Prints counts only, never a profile's contents.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

from matcher.geo import Gazetteer, resolve_location
from matcher.profile import parse_profile

HERE = Path(__file__).resolve().parent
COST_RANK = {"free": 0, "low_cost": 1, "paid": 2}
# Profiles built so that nothing local fits one rated need (README "Nothing local").
NOTHING_LOCAL = {"WS-P46", "WS-P47", "WS-P48"}
# topics.csv words that mark a hard negative: a listing that shares words with a need but serves none.
HARD_NEGATIVE_TOPICS = {"meditation", "clinic", "diagnostics", "private_lessons", "clinical_trial", "gym",
                        "computer_repair", "professional_training", "job_vacancy", "foster_care_recruitment",
                        "entertainment", "commercial", "debt_collection", "cafe", "junior_sport", "accommodation"}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def broken_rule(row: dict[str, str], prof, point: tuple[float, float] | None) -> str | None:
    """The first section-4 rule the listing breaks for this profile, or None when it may be recommended."""
    if (row["status"] or "active") != "active":
        return "inactive"
    langs = set((row["languages"] or "en").split(";"))
    if not (langs & set(prof.languages)) and row["interpreter_available"] != "true":
        return "language"
    if prof.age is not None:
        if row["min_age"] and prof.age < int(row["min_age"]) or row["max_age"] and prof.age > int(row["max_age"]):
            return "age"
    if row["gender"] and row["gender"] != prof.gender:
        return "gender"
    modes = set(row["delivery"].split(";"))
    reach = False
    if "in_person" in modes:
        near = point is None or km(point[0], point[1], float(row["latitude"]), float(row["longitude"])) <= (
            prof.max_distance_km)
        access = not prof.needs_wheelchair_access or row["wheelchair_accessible"] == "true"
        reach = near and access
    reach = reach or ("phone" in modes and prof.digital_access in ("phone", "online"))
    reach = reach or ("online" in modes and prof.digital_access == "online")
    if not reach:
        return "reach"
    if COST_RANK[row["cost"] or "paid"] > COST_RANK[prof.max_cost]:
        return "cost"
    return None


def main() -> int:
    rows = {r["id"]: r for r in csv.DictReader(open(HERE / "directory.csv", newline="", encoding="utf-8"))}
    topic_rows = list(csv.DictReader(open(HERE / "topics.csv", newline="", encoding="utf-8")))
    topics = {r["id"] for r in topic_rows}
    negatives = {r["id"] for r in topic_rows if set(r["topics"].split(";")) <= HARD_NEGATIVE_TOPICS}
    gaz = Gazetteer.load(HERE / "gazetteer.csv")
    problems: list[str] = []
    if topics != set(rows):
        problems.append("topics.csv ids differ from directory.csv ids")
    thin, counts = [], []
    for line in open(HERE / "profiles.jsonl", encoding="utf-8"):
        item = json.loads(line)
        pid = item["id"]
        prof = parse_profile(item["profile"])
        point = resolve_location(prof.location, gaz)
        missing = [k for k in item["relevant"] if k not in rows]
        if missing:
            problems.append(f"{pid}: {len(missing)} label ids not in directory.csv")
        if negatives & set(item["relevant"]):
            problems.append(f"{pid}: a hard negative is labelled relevant")
        if any(g not in (1, 2, 3) for g in item["relevant"].values()):
            problems.append(f"{pid}: grades must be 1, 2 or 3")
        good = [k for k, g in item["relevant"].items() if g >= 2 and k in rows and broken_rule(rows[k], prof, point) is None]
        counts.append(len(item["relevant"]))
        if len(good) < 3:
            thin.append((pid, len(good)))
    print(f"{len(negatives)} hard negatives")
    print(f"{len(rows)} listings, {len(counts)} profiles, labels per profile {min(counts)}-{max(counts)} "
          f"(mean {sum(counts) / len(counts):.1f})")
    print("profiles with fewer than 3 reachable labels of grade >= 2:", thin or "none")
    unexpected = [pid for pid, _ in thin if pid not in NOTHING_LOCAL]
    if unexpected:
        problems.append(f"thin profiles not meant to be: {unexpected}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
