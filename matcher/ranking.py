"""Scoring and diversity: how eligible candidates are ordered.

A candidate's relevance blends four columns computed over all candidates at once: semantic
similarity (to the profile's own words and to each need), lexical match (TF-IDF over listing
text), need coverage (which of the person's needs the listing serves, lower readings weighing more)
and nearness. Then MMR picks results one by one, discounting needs already served and listings
too similar to ones already picked, so that three needs get three kinds of help.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from directory.records import DOMAIN_LABELS, DOMAINS

from .profile import NeedsProfile


@dataclass(frozen=True)
class Blend:
    """Weights of the ranking blend, chosen on bench/quality.py (42 dev profiles, demo directory).

    Best of 324 variants: semantic 0.45, lexical 0.30, coverage 0.15, distance 0, one query per need
    (0.5), no MMR: nDCG@10 0.751; the same with MMR 0.1 scores 0.739 with the best recall@10 (0.536),
    and is kept so that near-identical listings do not crowd out other needs (see bench/README.md).
    """

    semantic: float = 0.45
    lexical: float = 0.30
    coverage: float = 0.15
    # Nearness adds nothing on the dev set (0.751 → 0.736 at 0.1): travel is a rule, not a preference.
    distance: float = 0.0
    # Share of the semantic score that comes from one query per need domain (0 = one query only):
    # best with one query 0.703, with a query per need 0.751.
    per_need: float = 0.5
    # MMR: weight of redundancy against relevance; served needs count this much less each time.
    diversity: float = 0.1
    served_discount: float = 0.5
    # Candidates fetched from the index per query before re-ranking.
    candidates: int = 200
    # Nearness of an in-person venue decays as exp(-km / (decay_share * max_distance_km)).
    decay_share: float = 0.5
    # Nearness credited to phone or online delivery (no travel, but no face-to-face either).
    remote_nearness: float = 0.4


def query_text(profile: NeedsProfile) -> str:
    """The profile in words, greatest need first: what the embedding model and TF-IDF read."""
    parts = []
    needs = [DOMAIN_LABELS[d] for d, r in profile.needs_by_priority() if r < 10]
    if needs:
        parts.append("Support with " + ", ".join(needs) + ".")
    if profile.goals.strip():
        parts.append(profile.goals.strip())
    if profile.conditions:
        parts.append("Living with " + ", ".join(profile.conditions) + ".")
    return " ".join(parts)


class Lexicon:
    """TF-IDF over listing texts, fitted once per snapshot; scores only the candidate rows."""

    def __init__(self, texts: list[str]):
        self._vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode",
                                           token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")
        try:
            self._matrix = self._vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # no usable words at all (an empty directory)
            self._matrix = None

    def scores(self, query: str, rows: np.ndarray) -> np.ndarray:
        if self._matrix is None or not query.strip() or len(rows) == 0:
            return np.zeros(len(rows))
        q = self._vectorizer.transform([query])
        return np.asarray((self._matrix[rows] @ q.T).todense()).ravel()


def need_weights(profile: NeedsProfile) -> np.ndarray:
    """(8,) weight of each domain: 1 for a reading of 1 (greatest need) down to 0 for 10 or absent."""
    return need_weights_of(profile.needs)


def need_weights_of(needs: dict[str, int]) -> np.ndarray:
    """(8,) weights of needs given as readings (1 greatest .. 10 none), as `need_weights` does for a profile."""
    w = np.zeros(len(DOMAINS))
    for d, reading in needs.items():
        if reading < 10:
            w[DOMAINS.index(d)] = (10 - reading) / 9
    return w


def needs_in_order(weights: np.ndarray) -> list[str]:
    """The needs (weight > 0), greatest first; ties in the contract's domain order."""
    order = np.argsort(-weights, kind="stable")
    return [DOMAINS[j] for j in order if weights[j] > 0]


def serves_a_need(domains: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """bool (n,): listings that serve at least one of the needs (all True when there are none)."""
    needed = weights > 0
    if not needed.any():
        return np.ones(len(domains), dtype=bool)
    return domains[:, needed].any(axis=1)


def cover_needs(picks: np.ndarray, rel: np.ndarray, domains: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Picks changed so that every need some candidate serves is met by a pick, greatest need first.

    A need left unmet by the greedy picks gets its best candidate, in place of the lowest-ranked
    pick whose needs others already meet (or added, when fewer than k were picked). Then "unmet"
    means nothing allowed meets it, never that it lost to a tenth walking group."""
    picks = [int(p) for p in picks]
    for j in np.argsort(-weights, kind="stable"):
        if weights[j] <= 0 or any(domains[p, j] for p in picks):
            continue
        serving = [c for c in np.argsort(-rel, kind="stable") if domains[c, j] and c not in picks]
        if not serving:
            continue
        if len(picks) < k:
            picks.append(int(serving[0]))
            continue
        for pos in range(len(picks) - 1, -1, -1):
            others = picks[:pos] + picks[pos + 1:]
            own = [i for i in range(len(weights)) if weights[i] > 0 and domains[picks[pos], i]]
            if all(any(domains[o, i] for o in others) for i in own):
                picks[pos] = int(serving[0])
                break
    return np.array(picks, dtype=np.int64)


def coverage(domains: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(c,) how well each candidate serves the needs: half the greatest need met, half the share of all."""
    total = weights.sum()
    if total <= 0:
        return np.zeros(len(domains))
    met = domains * weights
    return 0.5 * met.max(axis=1) / weights.max() + 0.5 * met.sum(axis=1) / total


def nearness(distance_km: np.ndarray, in_person_usable: np.ndarray, max_km: float, blend: Blend,
             located: bool) -> np.ndarray:
    """(c,) 1 at the door, decaying with distance; remote-only candidates get `remote_nearness`."""
    if not located:
        return np.full(len(distance_km), 0.5)
    near = np.exp(-np.nan_to_num(distance_km, nan=0.0) / (blend.decay_share * max_km))
    return np.where(in_person_usable & ~np.isnan(distance_km), near, blend.remote_nearness)


def relevance(semantic: np.ndarray, lexical: np.ndarray, cover: np.ndarray, near: np.ndarray,
              blend: Blend) -> np.ndarray:
    return (blend.semantic * semantic + blend.lexical * lexical + blend.coverage * cover
            + blend.distance * near)


def diversify(rel: np.ndarray, vectors: np.ndarray, domains: np.ndarray, weights: np.ndarray,
              k: int, blend: Blend) -> np.ndarray:
    """MMR over candidates: indices of up to k picks, best first.

    Each step: relevance with the coverage of already-served needs discounted, minus `diversity`
    times the greatest cosine similarity to a pick so far. Vectorised over candidates; k steps.
    """
    c = len(rel)
    k = min(k, c)
    picks: list[int] = []
    if k == 0:
        return np.array(picks, dtype=np.int64)
    total = weights.sum()
    base_cover = coverage(domains, weights) if total > 0 else np.zeros(c)
    served = np.zeros(len(weights))
    redundancy = np.zeros(c)
    taken = np.zeros(c, dtype=bool)
    for _ in range(k):
        if total > 0 and served.any():
            cover_now = coverage(domains, weights * blend.served_discount ** served)
            score = rel + blend.coverage * (cover_now - base_cover)
        else:
            score = rel.copy()
        score = score - blend.diversity * redundancy
        score[taken] = -np.inf
        best = int(np.argmax(score))
        picks.append(best)
        taken[best] = True
        served += domains[best]
        redundancy = np.maximum(redundancy, vectors @ vectors[best])
    return np.array(picks, dtype=np.int64)
