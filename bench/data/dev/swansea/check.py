"""Consistency checks of the Swansea and Neath Port Talbot dev set (no ranking is run here).

    PYTHONPATH=$PWD .venv/bin/python bench/data/dev/swansea/check.py [PROFILE_ID ...]
    PYTHONPATH=$PWD .venv/bin/python bench/data/dev/swansea/check.py --facts    # the README's counts

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


WELSH = {"yn", "y", "yr", "ddim", "croeso", "bob", "gyda", "mae", "dydd", "nos", "sy'n", "côr",
         "cymraeg", "paned", "dewch", "chlonc", "bawb", "siarad", "clwb", "cinio", "caffi", "cof",
         "ymarfer", "grŵp", "cerdded", "cyfeillgar", "meibion", "sgwrs", "cynnes", "galar"}
CHATTY = {"we", "we're", "we'll", "we've", "our", "us", "lol", "xx", "hiya", "u", "r", "ur", "ha", "honest"}


def voice(description: str) -> str:
    """A rough rule on the text: other-language, terse, noticeboard (chatty) or feed (formal)."""
    words = [w.strip(".,!?():;-/").lower() for w in description.split()]
    if sum(w in WELSH for w in words) >= 3 or any(ord(c) > 0x58F for c in description) \
            or any(c in description for c in "ąęłśżź") or "Soomaali" in description:
        return "other-language (Welsh or another language, wholly or partly)"
    if len(description) < 100:
        return "terse"
    if "!" in description or any(w in CHATTY for w in words):
        return "noticeboard"
    return "feed"


def facts(listings: dict, rows: list[dict]) -> None:
    """Counts for the README: voices, languages, delivery, cost, access, restrictions, status; profile mix."""
    rs = list(listings.values())
    print("voices", dict(Counter(voice(r.description) for r in rs)))
    print("languages besides en", dict(Counter(c for r in rs for c in r.languages if c != "en").most_common()))
    print("welsh-only listings", sum(1 for r in rs if list(r.languages) == ["cy"]),
          "| interpreter", sum(1 for r in rs if r.interpreter_available))
    print("delivery", dict(Counter("+".join(sorted(r.delivery)) for r in rs).most_common()))
    print("cost", dict(Counter(r.cost or "blank" for r in rs)))
    wc = Counter("blank" if r.wheelchair_accessible is None else str(r.wheelchair_accessible).lower() for r in rs)
    blank_venues = sum(1 for r in rs if r.wheelchair_accessible is None and "in_person" in r.delivery)
    print("wheelchair", dict(wc), "| blank at in-person venues", blank_venues)
    print("gender", dict(Counter(r.gender for r in rs if r.gender)),
          "| with an age band", sum(1 for r in rs if r.min_age is not None or r.max_age is not None))
    print("inactive", sum(1 for r in rs if r.status != "active"),
          "| last verified before 2025-06-01", sum(1 for r in rs if r.last_verified and str(r.last_verified) < "2025-06-01"))
    ps = [row["profile"] for row in rows]
    print("profiles: no English", sum(1 for p in ps if "en" not in p.get("languages", ["en"])),
          "| digital none", sum(1 for p in ps if p.get("digital_access") == "none"),
          "| phone", sum(1 for p in ps if p.get("digital_access") == "phone"),
          "| wheelchair", sum(1 for p in ps if p.get("needs_wheelchair_access")),
          "| aged 16-24", sum(1 for p in ps if 16 <= p.get("age", 0) <= 24),
          "| aged 85+", sum(1 for p in ps if p.get("age", 0) >= 85),
          "| no scores", sum(1 for p in ps if not p.get("needs")),
          "| locations", dict(Counter(next(iter(p["location"])) for p in ps if "location" in p)))


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
    if "--facts" in sys.argv:
        facts(listings, rows)
    print(f"profiles {len(rows)}, labels {sum(sizes)} (grade 3: {grades[3]}, 2: {grades[2]}, 1: {grades[1]}), "
          f"per profile {min(sizes)}-{max(sizes)} (mean {sum(sizes) / len(sizes):.1f})")
    print("profiles with fewer than 3 eligible listings graded >= 2:", few or "none")
    for line in problems:
        print("PROBLEM:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
