"""Scoring and diversity: how eligible candidates are ordered (docs/ranking.md).

By default the learned ranker (matcher/learned.py, `Blend.ranker`) turns the signals into one
relevance; without it (`Blend(ranker=None)`, or a damaged weights file) the fixed blend below does.
A candidate's relevance fuses signals computed over all candidates at once (see `Blend`): semantic
similarity to the person's own words and to each need, lexical match (BM25 of the person's words),
need coverage (which of the person's needs the listing serves, lower readings weighing more), a
condition the listing names, and nearness. Then MMR picks results one by one, discounting needs already served and listings
too similar to ones already picked, so that three needs get three kinds of help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from directory.records import DOMAIN_LABELS, DOMAINS

from .learned import LinearRanker, default_ranker
from .lexical import Lexicon  # noqa: F401  (re-exported: ranking.Lexicon)
from .profile import NeedsProfile


@dataclass(frozen=True)
class Blend:
    """How a candidate's signals are fused into one relevance, and the MMR that follows.

    Signals (each over the candidates of one match): `semantic`, similarity of the listing to the
    embedded query (the person's own words: goals and conditions); `per_need`, its similarity to the
    description of each rated need, weighted by the need; `lexical`, BM25 of the person's words on the
    listing text (stemmed); `coverage`, which rated needs its domains serve; `condition`, whether it
    names one of the person's conditions; `distance`, nearness. With `fusion = "rank"` each signal
    enters as its reciprocal rank (RRF, `rrf_k`), so no signal's scale decides; "score" blends raw
    values. Defaults: the values chosen by leave-one-directory-out cross-validation on
    bench/quality.py --lodo (Glasgow, Bradford, Western Sydney), see bench/README.md.
    """

    # Every weight below and `fusion`/`query`: leave-one-directory-out on bench/quality.py --lodo
    # (Glasgow, Bradford, Western Sydney; 216 variants in the last run): the best over all three
    # directories, which is what a fourth directory would get; the held-out figures of choosing
    # on two directories at a time are in bench/README.md. Raw-score blend beat reciprocal-rank fusion of the signals, and
    # the person's words alone beat the needs' labels in front of them, in every fold.
    fusion: str = "score"
    # "words": embed and match the person's words (goals, conditions), the needs' labels only when
    # there are none; "all": the needs' labels in front of the words (the single-directory design).
    query: str = "words"
    semantic: float = 0.45
    # Similarity to the closest single sentence of the person's words (one need said per sentence).
    sentences: float = 0.2
    per_need: float = 0.75
    lexical: float = 0.15
    coverage: float = 0.15
    condition: float = 0.3
    distance: float = 0.0
    # MMR: weight of redundancy against relevance; served needs count this much less each time.
    # 0: LODO on bench/quality.py --lodo (MMR 0.1 lost in every fold); cover_needs still gives each
    # rated need a place.
    diversity: float = 0.0
    # Settings fixed by design rather than chosen on the benchmark:
    # served needs count this much less each time MMR picks (when diversity > 0);
    served_discount: float = field(default=0.5)
    # the reciprocal-rank constant of `fusion = "rank"` (60: Cormack et al.'s default);
    rrf_k: float = field(default=60.0)
    # candidates fetched from the index per query before re-ranking;
    candidates: int = field(default=200)
    # nearness of an in-person venue decays as exp(-km / (decay_share * max_distance_km));
    decay_share: float = field(default=0.5)
    # nearness credited to phone or online delivery (no travel, but no face-to-face either).
    remote_nearness: float = field(default=0.4)
    # The learned ranker (matcher/learned.py, weights in matcher/data/ranker.json): when set, it
    # replaces the weighted sum of the signals above (they stay the fallback when the file is
    # damaged, and what `Blend(ranker=None)` ranks with). Chosen by bench/quality.py --lodo.
    ranker: LinearRanker | None = field(default_factory=default_ranker, compare=False, repr=False)


def query_text(profile: NeedsProfile) -> str:
    """The profile in words, greatest need first: what the baselines of bench/quality.py read."""
    parts = []
    needs = [DOMAIN_LABELS[d] for d, r in profile.needs_by_priority() if r < 10]
    if needs:
        parts.append("Support with " + ", ".join(needs) + ".")
    words = words_text(profile)
    if words:
        parts.append(words)
    return " ".join(parts)


def words_text(profile: NeedsProfile) -> str:
    """What the person said (goals) and lives with (conditions), without the needs' labels."""
    parts = []
    if profile.goals.strip():
        parts.append(profile.goals.strip())
    if profile.conditions:
        parts.append("Living with " + ", ".join(profile.conditions) + ".")
    return " ".join(parts)


_SENTENCE_END = re.compile(r"[.!?;\n]+")
MAX_SENTENCES = 6


def sentences(profile: NeedsProfile) -> list[str]:
    """Each thing the person said, one sentence each (and their conditions as one): empty when
    there is only one, which the whole text already is."""
    parts = [p.strip() for p in _SENTENCE_END.split(profile.goals) if len(p.split()) >= 2]
    if profile.conditions:
        parts.append("Living with " + ", ".join(profile.conditions))
    return parts[:MAX_SENTENCES] if len(parts) > 1 else []


def match_text(profile: NeedsProfile, blend: Blend) -> str:
    """The text a match embeds and reads for keywords, as `blend.query` says."""
    if blend.query == "words":
        return words_text(profile) or query_text(profile)
    return query_text(profile)


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


SIGNALS = ("semantic", "sentences", "per_need", "lexical", "coverage", "condition", "distance")
# Signals only the learned ranker reads (matcher/learned.py): whether the listing serves the greatest
# need; the share of the person's support types (read from their words) it offers, whether it offers
# any; whether it is for a particular group the person is not in (support_types.audience_mismatch);
# the similarity of its text to the closest of the person's types' descriptions; whether its text says
# it is no support for the public (a job advert, a trial: support_types.not_support); its "hubness",
# its mean similarity to every type's description: a generic listing ("information and support for
# all") is close to every query, so its similarity to this one says less (Radovanovic et al., JMLR
# 2010, on hubs; the CSLS correction of Conneau et al., ICLR 2018, subtracts the same kind of mean);
# and whether it is held in a language the person speaks other than English (their own language).
LEARNED_SIGNALS = ("meets_top", "support_type", "type_any", "type_mismatch", "type_sim", "not_support", "hub",
                   "own_language", "for_group")


def reciprocal_ranks(values: np.ndarray, k: float) -> np.ndarray:
    """(k + 1) / (k + rank) of each value among all (rank 1 = greatest; ties share their mean rank),
    so the best candidate of every signal gets 1 and a signal equal everywhere adds a constant."""
    # Only for fusion = "rank": a cold match does not pay for importing scipy.stats.
    from scipy.stats import rankdata

    return (k + 1) / (k + rankdata(-values, method="average"))


def relevance(signals: dict[str, np.ndarray], blend: Blend) -> np.ndarray:
    """(c,) one relevance per candidate: the learned ranker's, or the signals named in SIGNALS fused
    as `blend.fusion` says."""
    if blend.ranker is not None:
        return blend.ranker.score(signals)
    n = len(next(iter(signals.values())))
    out = np.zeros(n)
    for name in SIGNALS:
        weight = getattr(blend, name)
        if weight == 0 or name not in signals:
            continue
        col = signals[name]
        out += weight * (reciprocal_ranks(col, blend.rrf_k) if blend.fusion == "rank" else col)
    return out


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
        if total > 0 and served.any() and blend.ranker is None:
            # (the learned ranker's relevance is on another scale; cover_needs serves each need)
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
