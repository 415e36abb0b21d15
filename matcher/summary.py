"""Honest words about a set of results: what nothing local meets, what nearly fits, that a short list
is short (never padded), and when the link worker's own narrowing options (a keyword, days, kinds of
support, free only), not a lack of services, make it short. Shared by Find support and the plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from directory import support_types
from directory.vocabulary import DOMAIN_LABELS

from .filters import DAY_WORDS, DAYS


@dataclass(frozen=True)
class Narrowing:
    """The narrowing options chosen (lay phrases; never the person's limits), and the results of the same
    profile without them (`without`; None when they were not looked for, e.g. a full list)."""

    words: tuple[str, ...]
    without: Any | None = None

    @property
    def said(self) -> str:
        return "; ".join(self.words)


def narrowing_words(keyword: str | None = None, days: Sequence[int] = (), kinds: Sequence[str] = (),
                    free_only: bool = False) -> tuple[str, ...]:
    """The options that narrow a search, as a link worker reads them: 'keyword “choir”', 'meets on Monday
    or Friday', 'kind of support: Carers' support', 'free only'. `free_only`: only when it narrows more
    than what the person can afford already does."""
    out = []
    if keyword and keyword.strip():
        out.append(f"keyword “{' '.join(keyword.split())}”")
    if days:
        out.append("meets on " + " or ".join(DAY_WORDS[DAYS[d]] for d in sorted(set(days))))
    if kinds:
        out.append(("kind of support: " if len(kinds) == 1 else "kinds of support: ")
                   + ", ".join(support_types.label(k) for k in kinds))
    if free_only:
        out.append("free only")
    return tuple(out)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _near_for(need: str, near_misses: Sequence[Any]) -> list[Any]:
    return [m for m in near_misses if need in (m.resource.domains or [])]


def unmet_lines(unmet_needs: Sequence[str], near_misses: Sequence[Any] = ()) -> list[str]:
    """One line per need nothing allowed meets, naming what nearly fits it and why it does not."""
    out = []
    for need in unmet_needs:
        line = f"Nothing that fits their limits helps with {DOMAIN_LABELS.get(need, need)}."
        near = _near_for(need, near_misses)
        if near:
            line += " Nearly fits: " + "; ".join(f"{m.name} ({_lower_first(m.detail)})" for m in near) + "."
        out.append(line)
    return out


def _options(n: int) -> str:
    return f"{n} option{'s' if n != 1 else ''}"


def true_unmet(recs: Any, narrowing: Narrowing | None = None) -> list[str]:
    """Rated needs nothing local meets even without the narrowing options (what the person's plan may say)."""
    if narrowing is None or narrowing.without is None:
        return list(recs.unmet_needs)
    return [d for d in recs.unmet_needs if d in narrowing.without.unmet_needs]


def summary_lines(recs: Any, top_k: int, narrowing: Narrowing | None = None) -> list[str]:
    """What a link worker should be told before the list: unmet needs, then a short list said to be short,
    and, when narrowing options are chosen, that they (not a lack of services) narrow it."""
    lines = unmet_lines(true_unmet(recs, narrowing), recs.near_misses)
    n = len(recs.results)
    if not (narrowing and narrowing.words):
        if n == 0:
            lines.append("Nothing in the directory fits every one of these needs and limits.")
        elif n < top_k:
            lines.append(f"Only {_options(n)} fit{'s' if n == 1 else ''} every need and limit: "
                         "the list is not padded with ones that don't.")
        return lines
    chosen, without = narrowing.said, narrowing.without
    hidden = [d for d in recs.unmet_needs if d not in true_unmet(recs, narrowing)]
    if hidden:
        lines.append(f"With the options chosen ({chosen}), nothing helps with "
                     + " or ".join(DOMAIN_LABELS.get(d, d) for d in hidden) + "; without them, something does.")
    m = len(without.results) if without is not None else None
    more = "" if m is None or m < top_k else " or more"
    if n == 0:
        lines.append(f"Nothing fits these needs and limits with the options chosen ({chosen}). " + (
            f"Without them there are {_options(m)}{more}: clear them under “Narrow the search” to see them."
            if m else "Without them there are none either."))
    elif n < top_k and m is not None and m > n:
        lines.append(f"Only {_options(n)} fit{'s' if n == 1 else ''} every need and limit with the options chosen "
                     f"({chosen}); without them there are {_options(m)}{more}. Clear them under “Narrow the "
                     "search” to see the rest.")
    elif n < top_k:
        lines.append(f"Only {_options(n)} fit{'s' if n == 1 else ''} every need and limit, with or without the "
                     f"options chosen ({chosen}): the list is not padded with ones that don't.")
    else:
        lines.append(f"Narrowed by the options chosen ({chosen}): other options may fit without them.")
    return lines


def results_heading(n: int) -> str:
    """The heading over the list: no direction ('on the right'), the phone puts the list below."""
    if n == 0:
        return "No options fit"
    return f"{n} option{'s' if n != 1 else ''}, best first"
