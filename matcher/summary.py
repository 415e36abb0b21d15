"""Honest words about a set of results: what nothing local meets, what nearly fits, and that a short
list is short (never padded). Shared by the Find support page and the person's plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from directory.vocabulary import DOMAIN_LABELS


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


def summary_lines(recs: Any, top_k: int) -> list[str]:
    """What a link worker should be told before the list: unmet needs, then a short list said to be short."""
    lines = unmet_lines(recs.unmet_needs, recs.near_misses)
    n = len(recs.results)
    if n == 0:
        lines.append("Nothing in the directory fits every one of these needs and limits.")
    elif n < top_k:
        lines.append(f"Only {n} option{'s' if n != 1 else ''} fit{'s' if n == 1 else ''} every need and limit: "
                     "the list is not padded with ones that don't.")
    return lines


def results_heading(n: int) -> str:
    """The heading over the list: no direction ('on the right'), the phone puts the list below."""
    if n == 0:
        return "No options fit"
    return f"{n} option{'s' if n != 1 else ''}, best first"
