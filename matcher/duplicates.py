"""Likely duplicates: two active listings of the same service, e.g. from two imports.

A pair is offered when its texts are near-identical by the matching model's own vectors (the ones
the search index holds) and a fact agrees (same phone, same postcode, or a near-identical name by
rapidfuzz), or when the texts are all but the same. The curator decides: merge (retire one, the
reason in the audit trail) or dismiss (remembered, never offered again): directory.curation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from directory.records import Resource

SAME_TEXT = 0.97  # cosine of the listing texts: the same service whatever else differs
NEAR_TEXT = 0.88  # near-identical texts, when a phone, postcode or name agrees as well
SAME_NAME = 88  # rapidfuzz token_set_ratio of the names


@dataclass
class DuplicatePair:
    a: Resource
    b: Resource
    similarity: float  # cosine of their texts
    why: list[str]


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def _agreements(a: Resource, b: Resource) -> list[str]:
    out = []
    if a.phone and _digits(a.phone) == _digits(b.phone):
        out.append("same phone")
    if a.postcode and a.postcode.replace(" ", "").upper() == b.postcode.replace(" ", "").upper():
        out.append("same postcode")
    if fuzz.token_set_ratio(a.name.casefold(), b.name.casefold()) >= SAME_NAME:
        out.append("near-identical name")
    return out


def find_pairs(resources: Iterable[Resource], vectors: Mapping[str, np.ndarray],
               dismissed: set[frozenset[str]] = frozenset()) -> list[DuplicatePair]:
    """Likely duplicate pairs among the active listings that have a vector, most similar first."""
    items = [r for r in resources if r.is_active and r.id in vectors]
    if len(items) < 2:
        return []
    mat = np.stack([vectors[r.id] for r in items]).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True).clip(min=1e-12)
    sims = mat @ mat.T
    pairs = []
    for i, j in zip(*np.nonzero(np.triu(sims >= NEAR_TEXT, k=1)), strict=True):
        a, b = items[int(i)], items[int(j)]
        if frozenset((a.id, b.id)) in dismissed:
            continue
        sim = float(sims[i, j])
        why = _agreements(a, b)
        if sim >= SAME_TEXT or why:
            pairs.append(DuplicatePair(a, b, sim, [f"texts {sim:.0%} alike", *why]))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a.id, p.b.id))


def index_vectors(recommender) -> dict[str, np.ndarray]:
    """Every indexed listing's vector, by id, as the recommender's search index holds it (no re-embedding)."""
    if recommender._prepared is None:  # noqa: SLF001
        return {}
    # the current directory and the index in the same label numbering, read as one whole
    with recommender._reading() as state:  # noqa: SLF001
        snap, labels, vectors = state.snapshot, state.labels, recommender.index.vectors
        return {snap.ids[i]: np.array(vectors[labels[i]]) for i in range(len(snap)) if labels[i] >= 0}
