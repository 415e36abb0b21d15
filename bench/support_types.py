"""Support-type inference for listings against hidden ground truth: precision, recall and F1.

    .venv/bin/python bench/support_types.py                       # the demo directory, and bench/data/dev/*/
    .venv/bin/python bench/support_types.py --directory D.csv --topics T.csv --mapping M.csv

A labelled directory is a contract CSV, a topics CSV (`id,topics`, topics `;`-separated, hidden from
the matcher) and a mapping CSV (`topic,support_types`: the types a topic means, `;`-separated, blank
for a topic no type captures). Defaults: `directory/data/demo_directory.csv`, `bench/data/demo_topics.csv`,
`bench/data/demo_topic_types.csv`, then every folder `bench/data/dev/NAME/` holding `directory.csv`
and `topics.csv`, with its own `topic_types.csv`, else the dev sets' shared `bench/data/dev/topic_types.csv`.

Only types that some topic maps to are scored (a type the ground truth cannot express is neither
right nor wrong). Listings are read with their curator categories, as the matcher reads them, and
again without them, to show how much inference leans on a curator's tags.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory import csv_io  # noqa: E402
from directory.support_types import SUPPORT_TYPE_KEYS, unknown_keys  # noqa: E402
from matcher import support_types as st  # noqa: E402
from matcher.embedder import load_embedder  # noqa: E402
from matcher.snapshot import listing_text  # noqa: E402

DATA = ROOT / "bench" / "data"
DEMO = (ROOT / "directory" / "data" / "demo_directory.csv", DATA / "demo_topics.csv", DATA / "demo_topic_types.csv")
THRESHOLDS = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 1.01)


@dataclass
class Labelled:
    name: str
    texts: list[str]
    bare_texts: list[str]  # without curator categories
    truth: np.ndarray  # bool (n, T)
    scored: np.ndarray  # bool (T,): types the mapping can express


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def load(name: str, directory: Path, topics: Path, mapping: Path) -> Labelled:
    listings = csv_io.read_csv(directory)
    to_types = {r["topic"].strip(): [k.strip() for k in (r["support_types"] or "").split(";") if k.strip()]
                for r in _read_csv(mapping)}
    bad = unknown_keys(k for ks in to_types.values() for k in ks)
    if bad:
        sys.exit(f"{mapping}: unknown support types {bad}")
    by_id = {r["id"]: [t.strip() for t in r["topics"].split(";") if t.strip()] for r in _read_csv(topics)}
    col = {k: j for j, k in enumerate(SUPPORT_TYPE_KEYS)}
    truth = np.zeros((len(listings), len(SUPPORT_TYPE_KEYS)), dtype=bool)
    unmapped: set[str] = set()
    for i, r in enumerate(listings):
        for topic in by_id.get(r.id, []):
            if topic not in to_types:
                unmapped.add(topic)
            for key in to_types.get(topic, []):
                truth[i, col[key]] = True
    if unmapped:
        print(f"  {name}: topics not in the mapping (ignored): {', '.join(sorted(unmapped))}")
    scored = np.zeros(len(SUPPORT_TYPE_KEYS), dtype=bool)
    scored[[col[k] for ks in to_types.values() for k in ks]] = True
    return Labelled(name, [listing_text(r) for r in listings],
                    [listing_text(r.model_copy(update={"categories": []})) for r in listings], truth, scored)


def prf(guess: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = float((guess & truth).sum())
    p, r = tp / max(guess.sum(), 1), tp / max(truth.sum(), 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def report(data: Labelled, embed, type_vectors: np.ndarray, chosen: float) -> None:
    for label, texts in (("with categories", data.texts), ("without categories", data.bare_texts)):
        vectors = embed(texts)
        truth = data.truth[:, data.scored]
        print(f"  {data.name}, {len(texts)} listings, {int(data.scored.sum())} scored types, {label}:")
        kw = st.keyword_listing_types(texts)[:, data.scored]
        print("    keywords alone:          precision {:.3f} recall {:.3f} F1 {:.3f}".format(*prf(kw, truth)))
        sims = vectors @ type_vectors.T
        for t in THRESHOLDS:
            guess = st.infer_listing_types(vectors, texts, type_vectors, threshold=t)[:, data.scored]
            sim_only = (sims >= t)[:, data.scored]
            mark = "  <- SIMILARITY_THRESHOLD" if abs(t - chosen) < 1e-9 else ""
            print(f"    threshold {t:.2f}: keywords or similarity P/R/F1 "
                  "{:.3f} {:.3f} {:.3f}".format(*prf(guess, truth))
                  + "; similarity alone {:.3f} {:.3f} {:.3f}".format(*prf(sim_only, truth)) + mark)
        if label == "with categories":
            guess = st.infer_listing_types(vectors, texts, type_vectors, threshold=chosen)
            rows = []
            for j in np.flatnonzero(data.scored):
                p, r, f = prf(guess[:, j], data.truth[:, j])
                rows.append((f, SUPPORT_TYPE_KEYS[j], p, r, int(data.truth[:, j].sum())))
            worst = sorted(rows)[:8]
            print("    weakest types at the chosen threshold: " + "; ".join(
                f"{k} P {p:.2f} R {r:.2f} (n={n})" for _, k, p, r, n in worst))


def datasets(args) -> list[tuple[str, Path, Path, Path]]:
    if args.directory:
        return [(args.directory.parent.name or args.directory.stem, args.directory, args.topics, args.mapping)]
    out = [("demo", *DEMO)]
    shared = DATA / "dev" / "topic_types.csv"
    for folder in sorted((DATA / "dev").glob("*/")):
        if (folder / "topics.csv").exists() and (folder / "directory.csv").exists():
            mapping = next(m for m in (folder / "topic_types.csv", shared, DEMO[2]) if m.exists())
            out.append((folder.name, folder / "directory.csv", folder / "topics.csv", mapping))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="support-type inference against labelled directories")
    ap.add_argument("--directory", type=Path, help="contract CSV of a labelled directory")
    ap.add_argument("--topics", type=Path, default=DEMO[1], help="id,topics CSV (the hidden ground truth)")
    ap.add_argument("--mapping", type=Path, default=DEMO[2], help="topic,support_types CSV")
    args = ap.parse_args()
    embedder = load_embedder()
    type_vectors = embedder.encode(st.type_descriptions())
    for name, directory, topics, mapping in datasets(args):
        report(load(name, directory, topics, mapping), embedder.encode, type_vectors, st.SIMILARITY_THRESHOLD)


if __name__ == "__main__":
    main()
