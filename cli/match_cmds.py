"""`signpost index` and `signpost match`: a thin skin over the recommender (contract section 5).

Profiles are read and validated, every one of them, before the model is loaded: a bad profile is
exit 2 with the field named and nothing answered. The answer goes to stdout (a readable table, or
with --json exactly the contract's JSON, one object a line for a .jsonl batch); progress goes to
stderr. A profile's contents are never printed anywhere but in the answer.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from directory.inputs import strict_int
from matcher.profile import NeedsProfile, read_profiles

from .output import answer, say

# Characters JSON leaves raw that a terminal or a page could act on: C1 controls, direction overrides.
_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                          0x2028, 0x2029]}


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="bring the search index up to date (only changed listings are re-embedded)")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("match", help="recommend for a profile: a .json file, a .jsonl batch, or - for stdin")
    p.add_argument("profile", help="a .json profile, a .jsonl file of profiles (one a line), or - for stdin")
    p.add_argument("--top", type=positive_int, default=10, help="how many results (default 10)")
    p.add_argument("--json", action="store_true", help="print the contract's JSON (one object a line)")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.add_argument("--keyword", default=None, help="offer only listings whose words hold every word of this")
    p.add_argument("--day", action="append", type=day_of_week, default=None, metavar="DAY",
                   help="offer only listings meeting on this day (mon..sun); repeat for several")
    p.add_argument("--support-type", action="append", type=support_type, default=None, metavar="KEY",
                   dest="support_types", help="offer only listings of this support type (`signpost support-types` "
                   "lists the keys); repeat for several")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("support-types", help="the support types a listing may have: key, label and needs domains")
    p.add_argument("--json", action="store_true", help="one JSON object a line: key, label, domains")
    p.set_defaults(func=cmd_support_types)


def positive_int(text: str) -> int:
    """--top: a whole number of 1 or more, written in ASCII digits (argparse names the option)."""
    try:
        value = strict_int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return value


def day_of_week(text: str) -> int:
    """--day: a day's name or its first three letters (0 = Monday)."""
    from matcher.filters import DAYS

    key = text.strip().casefold()[:3]
    for i, day in enumerate(DAYS):
        if len(key) == 3 and day.startswith(key) and day.startswith(text.strip().casefold()):
            return i
    raise argparse.ArgumentTypeError(f"must be a day of the week (mon, tue, ... sun), not '{text}'")


def support_type(text: str) -> str:
    """--support-type: a key of the support-type vocabulary (directory/support_types.py)."""
    from directory.support_types import SUPPORT_TYPE_KEYS

    key = text.strip().casefold()
    if key not in SUPPORT_TYPE_KEYS:
        raise argparse.ArgumentTypeError(f"is not a support type: '{text}' (see `signpost support-types`)")
    return key


def cmd_index(args: argparse.Namespace) -> int:
    from matcher.recommender import Recommender

    # `demo` creates the database before indexing it; `index` alone never creates one.
    with Recommender.open(args.db, model=getattr(args, "model", None), create=args.command == "demo") as rec:
        say_index_warnings(rec)
        say(f"index {rec.index.folder}: {rec.last_update} (model {rec.embedder.name}, "
            f"directory version {rec.directory_version})")
    return 0


def say_index_warnings(rec) -> None:
    """What was wrong with the saved index folder (it was rebuilt), one line each."""
    for line in rec.index.warnings:
        say(f"warning: {line}")


def cmd_match(args: argparse.Namespace) -> int:
    from matcher.recommender import Recommender

    profiles: list[NeedsProfile] = read_profiles(args.profile)
    with Recommender.open(args.db, model=args.model, create=False) as rec:
        say_index_warnings(rec)
        if rec.last_update.embedded:
            say(f"index brought up to date: {rec.last_update}")
        for profile in profiles:
            recs = rec.recommend(profile, top_k=args.top, keyword=args.keyword, days=args.day,
                                 support_types=args.support_types)
            answer(to_json_line(recs.to_json()) if args.json else format_table(recs.to_json()))
    return 0


def cmd_support_types(args: argparse.Namespace) -> int:
    from directory.support_types import SUPPORT_TYPES

    for t in SUPPORT_TYPES:
        if args.json:
            answer(to_json_line({"key": t.key, "label": t.label, "domains": list(t.domains)}))
        else:
            answer(f"{t.key:<28} {t.label}  ({', '.join(t.domains)})")
    return 0


def to_json_line(data: dict[str, Any]) -> str:
    """The contract's JSON on one line, with nothing a terminal would act on left raw."""
    return json.dumps(data, ensure_ascii=False).translate(_JSON_UNSAFE)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(answer: dict[str, Any]) -> str:
    """The answer for a person at a terminal: results with reasons, what was left out, near misses."""
    lines = []
    head = f"Profile {answer['profile_id']}" if answer.get("profile_id") else "Profile"
    lines.append(f"{head}: {len(answer['results'])} result(s)")
    if answer["results"]:
        lines.append(f"{'#':>2}  {'score':>5}  {'id':<10} {'name':<40} {'km':>5}  reasons")
    for r in answer["results"]:
        km = "" if r["distance_km"] is None else f"{r['distance_km']:.1f}"
        lines.append(f"{r['rank']:>2}  {r['score']:>5.2f}  {_cut(r['id'], 10):<10} {_cut(r['name'], 40):<40} "
                     f"{km:>5}  {'; '.join(r['reasons'])}")
    left_out = ", ".join(f"{k} {v}" for k, v in answer["excluded"].items() if v)
    lines.append(f"Left out: {left_out or 'none'}")
    if answer["near_misses"]:
        lines.append("Near misses (each breaks one rule):")
        for m in answer["near_misses"]:
            lines.append(f"    {_cut(m['id'], 10):<10} {_cut(m['name'], 40):<40} {m['broken']}: {m['detail']}")
    return "\n".join(lines) + "\n"
