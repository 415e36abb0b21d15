"""Ranking quality of the matcher on the labelled dev profiles, beside two baselines.

    .venv/bin/python bench/quality.py              # matcher vs BM25 vs dense, and the blend variants tried
    .venv/bin/python bench/quality.py --domains    # domain inference against curator domains

Loads `directory/data/demo_directory.csv` into a temporary SQLite database, indexes it with the
real model through `Recommender.open`, and runs every profile of `bench/data/devset.jsonl`
({"id", "persona", "profile", "relevant": {listing id: grade}}). The baselines rank the same
eligible listings (contract section 4 applied first, the same mask for all three): BM25 keyword
search (rank_bm25) and plain dense retrieval with the same model and the same query text.
Figures: nDCG@10 (gain 2^grade - 1, ideal over judged listings the profile may be sent to),
recall@10 (share of those eligible relevant listings in the top 10), and exclusion errors (results
breaking a rule of section 4, checked one listing at a time by a plain reference below).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rank_bm25 import BM25Okapi  # noqa: E402

from directory import csv_io  # noqa: E402
from directory.records import DOMAINS, Resource  # noqa: E402
from directory.store import Store  # noqa: E402
from matcher import constraints, domains  # noqa: E402
from matcher.embedder import load_embedder  # noqa: E402
from matcher.geo import haversine_km, resolve_location  # noqa: E402
from matcher.profile import NeedsProfile, parse_profile  # noqa: E402
from matcher.ranking import Blend, query_text  # noqa: E402
from matcher.recommender import Recommender  # noqa: E402

DEMO = ROOT / "directory" / "data" / "demo_directory.csv"
DEVSET = ROOT / "bench" / "data" / "devset.jsonl"
K = 10


# ---- the contract, one listing at a time (an independent check of the vectorised mask) -----------
def breaks_a_rule(r: Resource, p: NeedsProfile, point) -> bool:
    if r.status != "active":
        return True
    if not (set(r.languages) & set(p.languages) or r.interpreter_available):
        return True
    if p.age is not None and ((r.min_age is not None and p.age < r.min_age) or
                              (r.max_age is not None and p.age > r.max_age)):
        return True
    if r.gender is not None and r.gender != p.gender:
        return True
    reach = False
    if "in_person" in r.delivery:
        near = point is None or float(haversine_km(point[0], point[1], r.latitude, r.longitude)) <= p.max_distance_km
        reach |= near and (not p.needs_wheelchair_access or r.wheelchair_accessible is True)
    reach |= "phone" in r.delivery and p.digital_access in ("phone", "online")
    reach |= "online" in r.delivery and p.digital_access == "online"
    if not reach:
        return True
    level = {"free": 0, "low_cost": 1, "paid": 2, None: 2}
    return level[r.cost] > level[p.max_cost]


# ---- metrics --------------------------------------------------------------------------------------
def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(rid, 0) - 1) / math.log2(i + 2) for i, rid in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    rel = {rid for rid, g in grades.items() if g > 0}
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


class CachedEmbedder:
    """The real embedder, remembering query vectors: the blend search re-asks the same queries."""

    def __init__(self, embedder):
        self._inner, self._memo = embedder, {}
        self.name, self.dim = embedder.name, embedder.dim

    def encode(self, texts, batch_size=64, progress=None):
        if len(texts) != 1:
            return self._inner.encode(texts, batch_size=batch_size, progress=progress)
        if texts[0] not in self._memo:
            self._memo[texts[0]] = self._inner.encode(texts)
        return self._memo[texts[0]]


class Bench:
    def __init__(self, directory: Path = DEMO, devset: Path = DEVSET):
        self.tmp = tempfile.TemporaryDirectory(prefix="signpost-quality-")
        db = str(Path(self.tmp.name) / "demo.db")
        with Store(db) as store:
            store.import_resources(csv_io.read_csv(directory), actor="bench")
        self.embedder = load_embedder()
        self.rec = Recommender.open(db, index_dir=Path(self.tmp.name) / "ix", embedder=self.embedder)
        state = self.rec._prepared
        self.snap = state.snapshot
        self.vectors = np.zeros((len(self.snap), self.embedder.dim), dtype=np.float32)
        held = state.labels >= 0
        self.vectors[held] = self.rec.index.vectors[state.labels[held]]
        self.rec.embedder = CachedEmbedder(self.embedder)
        self.bm25 = BM25Okapi([tokens(t) for t in self.snap.texts])
        self.cases = []
        for line in Path(devset).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                profile = parse_profile(case["profile"])
                point = resolve_location(profile.location, self.rec.gazetteer)
                mask = constraints.evaluate(self.snap, profile, point).eligible & held
                grades = {rid: g for rid, g in case["relevant"].items()
                          if rid in self.snap.row_of and mask[self.snap.row_of[rid]]}
                self.cases.append((case["id"], profile, point, mask, grades, case["relevant"]))

    def baseline(self, scores: np.ndarray, mask: np.ndarray) -> list[str]:
        s = np.where(mask, scores, -np.inf)
        top = np.argsort(-s, kind="stable")[: min(K, int(mask.sum()))]
        return [self.snap.ids[i] for i in top]

    def run(self, system: str, blend: Blend | None = None, cases=None) -> dict[str, float]:
        cases = self.cases if cases is None else cases
        nd, rc, errors, shown = [], [], 0, 0
        for _cid, profile, point, mask, grades, _ in cases:
            text = query_text(profile) or "community support"
            if system == "bm25":
                ranked = self.baseline(np.asarray(self.bm25.get_scores(tokens(text))), mask)
            elif system == "dense":
                ranked = self.baseline(self.vectors @ self.embedder.encode([text])[0], mask)
            else:
                self.rec.blend = blend or Blend()
                ranked = [r.id for r in self.rec.recommend(profile, top_k=K).results]
            errors += sum(breaks_a_rule(self.snap.resources[self.snap.row_of[rid]], profile, point) for rid in ranked)
            shown += len(ranked)
            nd.append(ndcg(ranked, grades))
            rc.append(recall(ranked, grades))
        return {"ndcg": float(np.mean(nd)), "recall": float(np.mean(rc)), "errors": errors, "shown": shown}


GRID = {
    "semantic": [0.3, 0.45, 0.6],
    "lexical": [0.0, 0.15, 0.3],
    "coverage": [0.15, 0.3, 0.45],
    "distance": [0.0, 0.1],
    "per_need": [0.0, 0.5],
    "diversity": [0.0, 0.15, 0.3],
}


def variants():
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        yield replace(Blend(), **dict(zip(keys, values, strict=True)))


def describe(b: Blend) -> str:
    return (f"sem {b.semantic:.2f} lex {b.lexical:.2f} cov {b.coverage:.2f} dist {b.distance:.2f} "
            f"per-need {b.per_need:.1f} mmr {b.diversity:.2f}")


def quality(bench: Bench, search: bool) -> None:
    print(f"{len(bench.cases)} dev profiles over {len(bench.snap)} listings (model {bench.embedder.name})")
    dropped = sum(len(c[5]) - len(c[4]) for c in bench.cases)
    print(f"judged listings a profile may not be sent to (left out of the ideal ranking): {dropped}")
    bm25, dense, ours = bench.run("bm25"), bench.run("dense"), bench.run("matcher")
    better = max(bm25["ndcg"], dense["ndcg"])
    print(f"\n{'system':<28} {'nDCG@10':>8} {'recall@10':>10} {'exclusion errors':>17}")
    for name, m in (("BM25 (same filters)", bm25), ("dense (same filters)", dense), ("matcher (default blend)", ours)):
        print(f"{name:<28} {m['ndcg']:8.3f} {m['recall']:10.3f} {m['errors']:>8} of {m['shown']}")
    print(f"matcher / better baseline = {ours['ndcg'] / better:.2f}x (target 1.25x)")
    if not search:
        return
    print("\nblend variants (whole dev set):")
    scored = []
    for b in variants():
        m = bench.run("matcher", b)
        scored.append((m["ndcg"], m["recall"], b))
    scored.sort(key=lambda t: -t[0])
    for nd, rc, b in scored[:10]:
        print(f"  {describe(b)}  nDCG {nd:.3f} recall {rc:.3f}")
    print("  ...")
    for nd, rc, b in scored[-3:]:
        print(f"  {describe(b)}  nDCG {nd:.3f} recall {rc:.3f}")
    for label, pred in (("one query", lambda b: b.per_need == 0), ("query per need", lambda b: b.per_need > 0),
                        ("no MMR", lambda b: b.diversity == 0), ("MMR", lambda b: b.diversity > 0),
                        ("no lexical", lambda b: b.lexical == 0), ("lexical", lambda b: b.lexical > 0)):
        best = max(nd for nd, _, b in scored if pred(b))
        print(f"  best with {label:<15} nDCG {best:.3f}")
    # honesty check: choose on one half of the profiles, measure on the other
    half_a, half_b = bench.cases[0::2], bench.cases[1::2]
    cv = []
    for train, test in ((half_a, half_b), (half_b, half_a)):
        best = max(variants(), key=lambda b: bench.run("matcher", b, train)["ndcg"])
        cv.append(bench.run("matcher", best, test)["ndcg"])
    print(f"  2-fold cross-validated nDCG@10 of choosing the blend: {np.mean(cv):.3f}")


def domain_inference(bench: Bench) -> None:
    snap = bench.snap
    curated = np.flatnonzero(snap.curated_domains.any(axis=1) & (bench.rec._prepared.labels >= 0))
    vecs = bench.vectors[curated]
    texts = [snap.texts[i] for i in curated]
    truth = snap.curated_domains[curated]
    print(f"domain inference on {len(curated)} curator-labelled listings (their domains hidden)")
    for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
        guess = domains.infer_domains(vecs, texts, bench.rec.domain_vectors, threshold=t)
        tp = (guess & truth).sum()
        p, r = tp / max(guess.sum(), 1), tp / max(truth.sum(), 1)
        print(f"  threshold {t:.2f}: precision {p:.3f} recall {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")
    kw = domains.keyword_domains(texts)
    tp = (kw & truth).sum()
    print(f"  keywords alone: precision {tp / max(kw.sum(), 1):.3f} recall {tp / max(truth.sum(), 1):.3f}")
    _ = DOMAINS


def main() -> None:
    ap = argparse.ArgumentParser(description="matcher quality benchmark")
    ap.add_argument("--domains", action="store_true", help="evaluate domain inference instead")
    ap.add_argument("--no-search", action="store_true", help="skip the blend variants")
    ap.add_argument("--directory", type=Path, default=DEMO, help="contract CSV (default: the demo directory)")
    ap.add_argument("--devset", type=Path, default=DEVSET, help="labelled profiles (default: bench/data/devset.jsonl)")
    args = ap.parse_args()
    bench = Bench(args.directory, args.devset)
    if args.domains:
        domain_inference(bench)
    else:
        quality(bench, search=not args.no_search)


if __name__ == "__main__":
    main()
