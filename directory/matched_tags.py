"""A listing's needs domains and kinds of support as matching sees them, worded for a curator.

Matching uses the curator's tags when a listing has them and otherwise what it infers from the
listing's words (`Recommender.listing_domains()` / `listing_support_types()`, the one answer Find
support and Gaps share). A curator is shown the same, with inferred ones said to be inferred, since a
tag of hers would settle them. This module only words that answer; the inference is matching's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import support_types
from .records import Resource
from .vocabulary import DOMAIN_LABELS, domain_label

# {listing id: ([keys], inferred)}: the shape both of the recommender's answers have.
Tags = Mapping[str, tuple[Sequence[str], bool]]

INFERRED = "inferred from the text"
TAGGED = "tagged by a curator"
NOT_READ = "not yet read by matching"  # e.g. a listing added since the index was last brought up to date


@dataclass(frozen=True)
class Seen:
    """What matching reads a listing as: lay labels, and whether they were inferred (or, with `read`
    False, the listing's own tags because matching has not seen the listing yet)."""

    labels: tuple[str, ...]
    inferred: bool
    read: bool = True


def _seen(own: Sequence[str], tags: Tags | None, rid: str, label) -> Seen:
    if tags is not None and rid in tags:
        keys, inferred = tags[rid]
        return Seen(tuple(label(k) for k in keys), bool(inferred))
    return Seen(tuple(label(k) for k in own), False, read=tags is None or bool(own))


def _type_label(key: str) -> str:
    try:
        return support_types.label(key)
    except KeyError:  # a key retired from the vocabulary: shown as it is stored, never an error
        return key


def seen_domains(resource: Resource, domains_of: Tags | None = None, *, heading: bool = True) -> Seen:
    """Lay names of the domains: as headings ("Looking after yourself"), or as words in a table cell."""
    label = domain_label if heading else (lambda d: DOMAIN_LABELS.get(d, d))
    return _seen(resource.domains, domains_of, resource.id, label)


def seen_support_types(resource: Resource, types_of: Tags | None = None) -> Seen:
    return _seen(resource.support_types, types_of, resource.id, _type_label)


def cell(seen: Seen, blank: str = "none") -> str:
    """A table cell: 'inferred: Carers' support, Befriending' (the mark first, where a narrow column still
    shows it); `blank` when there are none."""
    text = ", ".join(seen.labels) or blank
    if seen.inferred:
        return f"inferred: {text}"
    return text if seen.read else f"{NOT_READ}: {text}"


def sentence(what: str, seen: Seen, can_tag: bool) -> str:
    """One line of the listing panel, e.g. "Kinds of support (inferred from the text): Carers' support,
    Befriending — tag them to set them"; `what` is the heading ("Kinds of support", "Needs domains")."""
    found = ", ".join(seen.labels) or "none found"
    if not seen.read:
        return f"{what} ({NOT_READ}): {found}"
    if not seen.inferred:
        return f"{what} ({TAGGED}): {found}"
    return f"{what} ({INFERRED}): {found}" + (" — tag them to set them" if can_tag else "")
