"""`signpost index` and `signpost match`: a thin skin over the recommender (contract section 5).

Profiles are read and validated, every one of them, before the model is loaded: a bad profile is
exit 2 with the field named and nothing answered. The answer goes to stdout (a readable table, or
with --json exactly the contract's JSON, one object a line for a .jsonl batch); progress goes to
stderr. A profile's contents are never printed anywhere but in the answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from directory.records import InputError, ValidationIssue

from .geo import resolve_location
from .profile import NeedsProfile, parse_profile


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def add_matcher_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="bring the search index up to date (only changed listings are re-embedded)")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("match", help="recommend for a profile: a .json file, a .jsonl batch, or - for stdin")
    p.add_argument("profile", help="a .json profile, a .jsonl file of profiles (one a line), or - for stdin")
    p.add_argument("--top", type=int, default=10, help="how many results (default 10)")
    p.add_argument("--json", action="store_true", help="print the contract's JSON (one object a line)")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.set_defaults(func=cmd_match)


def cmd_index(args: argparse.Namespace) -> int:
    from .recommender import Recommender

    with Recommender.open(args.db, getattr(args, "model", None)) as rec:
        _say_index_warnings(rec)
        _say(f"index {rec.index.folder}: {rec.last_update} (model {rec.embedder.name}, "
             f"directory version {rec.directory_version})")
    return 0


def _say_index_warnings(rec) -> None:
    """What was wrong with the saved index folder (it was rebuilt), one line each."""
    for line in rec.index.warnings:
        _say(f"warning: {line}")


def read_profiles(source: str) -> list[NeedsProfile]:
    """Every profile of a .json file, a .jsonl file or stdin ('-'), validated; InputError names line and field."""
    if source == "-":
        text = sys.stdin.read()
        name = "standard input"
    else:
        path = Path(source)
        text = path.read_text(encoding="utf-8-sig")
        name = path.name
    batch = source.lower().endswith(".jsonl")
    if source == "-":
        try:
            json.loads(text)
        except ValueError:
            batch = True  # not one JSON document: read it as one profile a line
    if not batch:
        return [_parse(text, None, name)]
    profiles: list[NeedsProfile] = []
    issues: list[ValidationIssue] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            profiles.append(_parse(line, lineno, name))
        except InputError as err:
            issues.extend(err.issues)
    if issues:
        raise InputError(issues)
    if not profiles:
        raise InputError([ValidationIssue(None, None, f"{name} holds no profiles")])
    return profiles


def _parse(text: str, lineno: int | None, name: str) -> NeedsProfile:
    try:
        data = json.loads(text)
    except ValueError as err:
        raise InputError([ValidationIssue(lineno, None, f"{name} is not valid JSON ({err.msg} at line "
                                                        f"{err.lineno} column {err.colno})")]) from None
    try:
        profile = parse_profile(data)
        resolve_location(profile.location)  # an unknown place is bad input, found before any answer
    except InputError as err:
        raise InputError([ValidationIssue(lineno, i.column, i.message) for i in err.issues]) from None
    return profile


def cmd_match(args: argparse.Namespace) -> int:
    from .recommender import Recommender

    if args.top < 1:
        raise InputError([ValidationIssue(None, "--top", "must be 1 or more")])
    profiles = read_profiles(args.profile)
    with Recommender.open(args.db, args.model) as rec:
        _say_index_warnings(rec)
        if rec.last_update.embedded:
            _say(f"index brought up to date: {rec.last_update}")
        for profile in profiles:
            recs = rec.recommend(profile, top_k=args.top)
            if args.json:
                print(json.dumps(recs.to_json(), ensure_ascii=False), flush=True)
            else:
                print(format_table(recs.to_json()), flush=True)
    return 0


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
