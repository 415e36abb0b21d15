"""The link worker's narrowing options, beside the profile: a keyword ('choir'), days of the week and
support types (those read from the snapshot's columns, `type_columns`).

They are not rules of contract section 4 (nothing is 'excluded' by them); they only narrow which
allowed listings are offered. Both read a listing's own words, so they are plain functions over
the snapshot's listings, computed once per directory version and keyword.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from directory.records import Resource
from directory.support_types import SUPPORT_TYPE_KEYS

DAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_WORDS: dict[str, str] = {d: d.capitalize() for d in DAYS}
_ABBREV = {d[:3]: i for i, d in enumerate(DAYS)} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_DAY = r"(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*"
_RANGE = re.compile(rf"\b{_DAY}\s*(?:-|–|to)\s*{_DAY}\b")
_ONE = re.compile(rf"\b{_DAY}\b")
_EVERY_DAY = re.compile(r"\b(daily|every day|7 days|seven days|24/7|any day)\b")
_WEEKDAYS = re.compile(r"\bweekdays?\b")
_WEEKENDS = re.compile(r"\bweekends?\b")


def schedule_days(schedule: str | None) -> set[int]:
    """The days of the week (0 = Monday) a schedule names; empty when it names none ('by appointment')."""
    text = (schedule or "").casefold()
    if _EVERY_DAY.search(text):
        return set(range(7))
    days: set[int] = set()
    if _WEEKDAYS.search(text):
        days |= set(range(5))
    if _WEEKENDS.search(text):
        days |= {5, 6}
    for a, b in _RANGE.findall(text):
        start, end = _ABBREV[a[:3]], _ABBREV[b[:3]]
        days |= {(start + k) % 7 for k in range((end - start) % 7 + 1)}
    days |= {_ABBREV[m[:3]] for m in _ONE.findall(_RANGE.sub(" ", text))}
    return days


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def keyword_terms(keyword: str | None) -> list[str]:
    """A keyword box's words, case and accents folded ('Chóir ' → ['choir'])."""
    return [w for w in re.split(r"[^\w]+", _fold(keyword or "")) if w]


def matches_keyword(resource: Resource, terms: Sequence[str]) -> bool:
    """Every term begins a word of the listing's name, organisation, tags or description ('choir' ~ 'choirs')."""
    if not terms:
        return True
    words = " " + " ".join(re.split(r"[^\w]+", _fold(" ".join(
        [resource.name, resource.organisation or "", " ".join(resource.categories), resource.description]))))
    return all(f" {t}" in words for t in terms)


def matches_days(resource: Resource, days: Iterable[int]) -> bool:
    """The listing meets on one of `days`. A schedule that names no day ('by appointment') does not
    match: nobody can promise it for that day without asking."""
    wanted = set(days)
    if not wanted:
        return True
    return bool(schedule_days(resource.schedule) & wanted)


def type_columns(types: Iterable[str] | None) -> np.ndarray:
    """Snapshot columns (SUPPORT_TYPE_KEYS order) of the support types a link worker chose; an unknown
    key is a ValueError naming it, not a filter that silently keeps nothing."""
    chosen = list(dict.fromkeys(types or ()))
    unknown = [t for t in chosen if t not in SUPPORT_TYPE_KEYS]
    if unknown:
        raise ValueError(f"unknown support type: {', '.join(repr(t) for t in unknown)}")
    return np.array([SUPPORT_TYPE_KEYS.index(t) for t in chosen], dtype=np.int64)


def allowed_mask(resources: Sequence[Resource], keyword: str | None = None,
                 days: Iterable[int] | None = None) -> np.ndarray | None:
    """bool (n,) of listings the options keep, or None when no option narrows anything."""
    terms = keyword_terms(keyword)
    wanted = set(days or ())
    if not terms and not wanted:
        return None
    return np.fromiter((matches_keyword(r, terms) and matches_days(r, wanted) for r in resources),
                       dtype=bool, count=len(resources))
