"""Train the learned ranker (matcher/learned.py) on the labelled development directories.

    .venv/bin/python bench/train_ranker.py            # choose settings by LODO, train on all, write the JSON
    .venv/bin/python bench/train_ranker.py --dry-run  # the same, without writing matcher/data/ranker.json

For every labelled profile of every directory of bench/quality.py, the candidates the recommender
scores (its own pool: contract section 4, and a rated need met) are taken with their signals and
turned into features (matcher.learned.features); a listing's label is its grade (0 unjudged).

The model is linear over standardised features, fitted with scikit-learn (training only: the query
path reads the JSON with numpy): "pairwise", logistic regression on feature differences of pairs of
candidates of one match with different grades (RankSVM-style, each match weighing the same); or
"pointwise", logistic regression on grade >= 2 (grade >= 1 where a match has no 2). Which one, its
regularisation C and the feature set (FEATURE_SETS: a group of features left out, weight 0) are
chosen by leave-one-directory-out over the four development directories: for a held-out directory, each setting
is scored by an inner LODO over the other directories only, the best is trained on all of them and
measured on the held-out one. The shipped weights: the setting best over every directory's inner
LODO (no directory's figure decides alone), trained on all directories.

Ranking is measured as the recommender ranks: best relevance first, then `ranking.cover_needs`.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quality  # noqa: E402
from matcher import learned, ranking  # noqa: E402
from matcher.embedder import load_embedder  # noqa: E402

# Feature sets, a hyper-parameter like C: each drops a group of signals (its weights are 0), so the
# inner LODO decides whether a group transfers to a directory it was not fitted on.
_TYPES = ("support_type", "type_any", "type_mismatch", "type_sim")
_LATE = ("hub", "not_support")
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "all": (),
    "no hub/not_support": _LATE,
    "no type features": _TYPES + _LATE,
}
SETTINGS = [{"model": m, "C": c, "features": f}
            for f, m, c in itertools.product(FEATURE_SETS, ("pairwise", "pointwise"), (0.01, 0.1, 1.0))]
PAIRS_PER_MATCH = 400
SEED = 20261201


@dataclass
class Match:
    """One labelled profile's candidates: features, grades, domains, the need weights, ids."""

    directory: str
    X: np.ndarray
    y: np.ndarray
    domains: np.ndarray
    weights: np.ndarray
    rated: bool
    ids: list[str]
    grades: dict[str, int]


def collect(d: quality.Directory) -> list[Match]:
    """Every case of a directory as the recommender's candidates (the first scoring call of a match)."""
    probe = learned.LinearRanker(np.zeros(len(learned.FEATURES)), np.ones(len(learned.FEATURES)),
                                 np.zeros(len(learned.FEATURES)), {})
    out = []
    for case in d.cases:
        d.captured.clear()
        d.rec.blend = ranking.Blend(ranker=probe)
        d.rec.recommend(case.profile, top_k=quality.K)
        rows, signals, weights = d.captured[0]
        ids = [d.snap.ids[r] for r in rows]
        y = np.array([case.grades.get(i, 0) for i in ids], dtype=np.float64)
        out.append(Match(d.name, learned.features(signals), y, d.snap.domains[np.asarray(rows, dtype=np.int64)], weights,
                         bool(ranking.need_weights(case.profile).any()), ids, case.grades))
    return out


def ranked(m: Match, rel: np.ndarray) -> list[str]:
    picks = np.argsort(-rel, kind="stable")[: quality.K]
    if m.rated:
        picks = ranking.cover_needs(picks, rel, m.domains, m.weights, quality.K)
    return [m.ids[p] for p in picks]


def evaluate(model: learned.LinearRanker, matches: list[Match]) -> float:
    if not matches:
        return float("nan")
    scores = [quality.ndcg(ranked(m, ((m.X - model.mean) / model.scale) @ model.weights), m.grades)
              for m in matches]
    return float(np.mean(scores))


def _pairs(m: Match, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.nonzero(m.y[:, None] > m.y[None, :])
    if len(i) > PAIRS_PER_MATCH:
        keep = rng.choice(len(i), PAIRS_PER_MATCH, replace=False)
        i, j = i[keep], j[keep]
    gain = (2 ** m.y[i] - 1) - (2 ** m.y[j] - 1)  # a 3-over-0 pair matters more than a 2-over-1
    return m.X[i] - m.X[j], gain


_TRAINED: dict[tuple, learned.LinearRanker] = {}


def train(matches: list[Match], model: str, C: float, features: str = "all") -> learned.LinearRanker:
    """The model trained on `matches` (remembered: nested LODO asks for the same fits again)."""
    key = (tuple(sorted({m.directory for m in matches})), len(matches), model, C, features)
    if key not in _TRAINED:
        _TRAINED[key] = _train(matches, model, C, features)
    return _TRAINED[key]


def _train(matches: list[Match], model: str, C: float, features: str) -> learned.LinearRanker:
    from sklearn.linear_model import LogisticRegression  # training only, never on the query path

    keep = np.array([f not in FEATURE_SETS[features] for f in learned.FEATURES])
    matches = [replace(m, X=m.X * keep) for m in matches]  # a dropped feature is constant 0: weight 0
    X = np.vstack([m.X for m in matches])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    rng = np.random.default_rng(SEED)
    if model == "pairwise":
        diffs, gains, sample = [], [], []
        for m in matches:
            dx, g = _pairs(m, rng)
            if len(dx):
                diffs.append(dx / scale)
                gains.append(g)
                sample.append(np.full(len(dx), g.sum()))
        D = np.vstack(diffs)
        g = np.concatenate(gains)
        w = g / np.concatenate(sample)  # each match's pairs sum to the same weight
        feats = np.vstack([D, -D])
        labels = np.concatenate([np.ones(len(D)), np.zeros(len(D))])
        clf = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
        clf.fit(feats, labels, sample_weight=np.concatenate([w, w]) * len(matches))
    else:
        feats, labels, sample = [], [], []
        for m in matches:
            if not len(m.y):
                continue
            cut = 2 if (m.y >= 2).any() else 1
            feats.append((m.X - mean) / scale)
            labels.append((m.y >= cut).astype(float))
            sample.append(np.full(len(m.y), 1.0 / len(m.y)))
        clf = LogisticRegression(C=C, max_iter=2000)
        clf.fit(np.vstack(feats), np.concatenate(labels), sample_weight=np.concatenate(sample) * len(matches))
    weights = np.where(keep, clf.coef_[0], 0.0)
    info = {"model": model, "C": C, "features": features, "dropped": list(FEATURE_SETS[features]),
            "trained_on": sorted({m.directory for m in matches}),
            "profiles": len(matches)}
    return learned.LinearRanker(mean, scale, weights.astype(np.float64), info)


def inner_score(by_dir: dict[str, list[Match]], names: list[str], setting: dict) -> float:
    """Mean held-out nDCG of a setting by LODO over `names` only."""
    out = []
    for held in names:
        rest = [m for n in names if n != held for m in by_dir[n]]
        out.append(evaluate(train(rest, **setting), by_dir[held]))
    return float(np.mean(out))


def choose(by_dir: dict[str, list[Match]], names: list[str]) -> tuple[dict, float]:
    scores = [inner_score(by_dir, names, s) for s in SETTINGS]
    best = int(np.argmax(scores))
    return SETTINGS[best], scores[best]


def lodo(by_dir: dict[str, list[Match]]) -> dict[str, tuple[dict, learned.LinearRanker]]:
    """For each held-out directory: the setting chosen by inner LODO on the others, trained on them."""
    out = {}
    for held in by_dir:
        names = [n for n in by_dir if n != held]
        setting, inner = choose(by_dir, names)
        model = train([m for n in names for m in by_dir[n]], **setting)
        out[held] = (setting, model)
        print(f"  held out {held}: chose {setting} (inner LODO nDCG {inner:.3f}); "
              f"held-out nDCG (simulated) {evaluate(model, by_dir[held]):.3f}", flush=True)
    return out


def final(by_dir: dict[str, list[Match]]) -> learned.LinearRanker:
    setting, inner = choose(by_dir, list(by_dir))
    model = train([m for ms in by_dir.values() for m in ms], **setting)
    print(f"  shipped: {setting}, LODO nDCG over all directories {inner:.3f}; weights:")
    for name, w in sorted(zip(learned.FEATURES, model.weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"    {name:<16} {w:+.3f}")
    return replace(model, info={**model.info, "chosen_by": "leave-one-directory-out (bench/train_ranker.py)",
                                "lodo_ndcg": round(inner, 4)})


def main() -> None:
    ap = argparse.ArgumentParser(description="train the learned ranker")
    ap.add_argument("--dry-run", action="store_true", help="do not write matcher/data/ranker.json")
    ap.add_argument("--out", type=Path, default=learned.DEFAULT_PATH)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "out" / "quality-index")
    args = ap.parse_args()
    embedder = load_embedder()
    with tempfile.TemporaryDirectory(prefix="signpost-train-") as tmp:
        dirs = [quality.Directory(n, embedder, Path(tmp), args.cache) for n in quality.DIRECTORIES]
        by_dir = {d.name: collect(d) for d in dirs}
        for d in dirs:
            d.rec.close()
    print("leave-one-directory-out (settings chosen on the training directories only):")
    lodo(by_dir)
    model = final(by_dir)
    if not args.dry_run:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        model.save(args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
