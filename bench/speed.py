"""Speed of the matcher: index build throughput, warm match latency, peak memory.

    .venv/bin/python bench/speed.py --sizes 1000 10000            # real embedding of every listing
    .venv/bin/python bench/speed.py --sizes 100000 1000000        # index filled with synthetic vectors
    .venv/bin/python bench/speed.py --kinds 100000 1000000        # flat vs IVF search time (FLAT_MAX_LISTINGS)
    .venv/bin/python bench/speed.py --sizes 10000 --busy 1        # latency again beside 1 busy-looping process
    .venv/bin/python bench/speed.py --sizes --recall 100000       # final top 10: ivf, ivf-sq8 against flat

Latency is measured in one warm process through the real `Recommender.recommend` path: location,
constraint mask, query embedding, index search within the mask, scoring, MMR and reasons. At 1k and
10k every listing is embedded for real through `Recommender.open` (SQLite store, index saved);
at 100k and above the index is filled with synthetic vectors (real embeddings of 2,000 listings,
jittered) and the store is skipped: the output says so. With `--busy N` the latency is measured a
second time while N processes spin (`while True: pass`), started and stopped by the benchmark, as
another program busy on the same cores would; the line says p95 / p50 of that run.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import CENTRE, generate  # noqa: E402

from directory.store import Store, content_hash  # noqa: E402
from matcher.embedder import load_embedder  # noqa: E402
from matcher.index import ListingIndex  # noqa: E402
from matcher.profile import parse_profile  # noqa: E402
from matcher.recommender import Recommender  # noqa: E402
from matcher.snapshot import Snapshot  # noqa: E402

REAL_EMBEDDING_MAX = 20_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def query_profiles(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    goals = ["I have been lonely since my wife died and would like company.",
             "Money is tight and the energy bills scare me.", "I want to get fitter and lose weight.",
             "I get very anxious and low.", "Help me find some volunteering to fill my days.",
             "My flat is damp and the landlord will not fix it.", "Living with COPD, I get breathless walking.",
             ""]
    domains = ["lifestyle", "self_care", "managing_symptoms", "work_volunteering", "money",
               "living_conditions", "social_relationships", "mental_wellbeing"]
    out = []
    for i in range(n):
        needs = {d: int(rng.integers(1, 8)) for d in rng.choice(domains, size=int(rng.integers(1, 4)), replace=False)}
        lat = CENTRE[0] + rng.normal(0, 0.04)
        lon = CENTRE[1] + rng.normal(0, 0.06)
        out.append(parse_profile({
            "id": f"Q{i}", "needs": needs, "goals": goals[i % len(goals)],
            "languages": ["en"] if rng.random() < 0.7 else ["ur", "en"] if rng.random() < 0.5 else ["pl"],
            "age": int(rng.integers(20, 90)), "gender": ["female", "male", None][i % 3],
            "location": {"latitude": float(lat), "longitude": float(lon)},
            "max_distance_km": float(rng.choice([2, 5, 10])),
            "digital_access": ["online", "phone", "none"][i % 3],
            "max_cost": ["free", "low_cost", "paid"][i % 3],
        }))
    return out


BUSY = 0  # processes spinning during a second latency run (--busy)


@contextlib.contextmanager
def busy(n: int):
    """N processes spinning on the CPU for the duration (each stopped by its own pid after)."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(0.5 if n else 0)
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def latencies(rec: Recommender, queries: int) -> str:
    """Quiet latency, then (with --busy) the same beside the spinning processes, as one line's words."""
    p50, p95, mean = latency(rec, queries)
    words = f"match p50 {p50:5.1f} ms  p95 {p95:5.1f} ms  mean {mean:5.1f} ms"
    if BUSY:
        with busy(BUSY):
            b50, b95, _ = latency(rec, queries)
        words += f"  | {BUSY} busy process(es): p50 {b50:5.1f} ms  p95 {b95:5.1f} ms  (p95/p50 {b95 / b50:.2f})"
    return words


def latency(rec: Recommender, queries: int) -> tuple[float, float, float]:
    profiles = query_profiles(queries)
    for p in profiles[:10]:
        rec.recommend(p, top_k=10)  # warm up
    times = []
    for p in profiles:
        start = time.perf_counter()
        rec.recommend(p, top_k=10)
        times.append((time.perf_counter() - start) * 1000)
    t = np.array(times)
    return float(np.percentile(t, 50)), float(np.percentile(t, 95)), float(t.mean())


def real(n: int, queries: int) -> None:
    embedder = load_embedder()
    with tempfile.TemporaryDirectory(prefix="signpost-speed-") as tmp:
        db = str(Path(tmp) / "s.db")
        listings = generate(n, seed=n)
        start = time.perf_counter()
        with Store(db) as store:
            store.import_resources(listings, actor="bench")
        del listings
        imported = time.perf_counter() - start
        start = time.perf_counter()
        rec = Recommender.open(db, index_dir=Path(tmp) / "ix", embedder=embedder)
        built = time.perf_counter() - start
        update = rec.last_update
        words = latencies(rec, queries)
        print(f"{n:>9,}  real embedding   build {update.embedded / built:7.0f} listings/s "
              f"({update.embedded} embedded in {built:.1f} s incl. snapshot, FAISS, save; import {imported:.1f} s)  "
              f"{rec.index.kind:>4}  {words}  peak RSS {peak_mb():,.0f} MB", flush=True)
        rec.close()


def synthetic_vectors(texts: list[str], embedder, seed: int = 0) -> np.ndarray:
    """Real embeddings of 2,000 of the texts, and every other listing a jittered copy of one of them."""
    rng = np.random.default_rng(seed)
    n = len(texts)
    base_idx = rng.choice(n, size=min(2000, n), replace=False)
    base = embedder.encode([texts[i] for i in base_idx], batch_size=128)
    pick = rng.integers(0, len(base), size=n)
    vecs = rng.standard_normal((n, embedder.dim), dtype=np.float32)  # float32 noise, made in place: one copy
    vecs *= 0.02
    vecs += base[pick]
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs


def synthetic(n: int, queries: int, kind: str | None = None) -> None:
    embedder = load_embedder()
    start = time.perf_counter()
    listings = generate(n, seed=n)
    snap = Snapshot.build(1, listings, [content_hash(r) if n <= 100_000 else r.id for r in listings])
    del listings  # as in the app: only the snapshot's columns stay alive
    made = time.perf_counter() - start
    vecs = synthetic_vectors(snap.texts, embedder)
    index = ListingIndex(embedder.name, embedder.dim, kind=kind)
    active = np.flatnonzero(snap.active)
    start = time.perf_counter()
    vecs = vecs[active]  # (the full array is freed here, not kept beside the index's copy)
    index.add_vectors([snap.ids[i] for i in active], [snap.content_hashes[i] for i in active],
                      [snap.text_hashes[i] for i in active], vecs, version=1)
    del vecs
    built = time.perf_counter() - start
    rec = Recommender(embedder=embedder, index=index)
    rec.install(snap)
    words = latencies(rec, queries)
    print(f"{n:>9,}  SYNTHETIC vectors  FAISS {index.kind} built in {built:.1f} s (snapshot {made:.1f} s)  "
          f"{words}  peak RSS {peak_mb():,.0f} MB", flush=True)


def kinds(n: int) -> None:
    """Search time of flat vs IVF on the same vectors, half of them allowed; IVF's overlap with flat."""
    embedder = load_embedder()
    listings = generate(n, seed=n)
    texts = [f"{r.name}. {r.description}" for r in listings]
    vecs = synthetic_vectors(texts, embedder)
    q = embedder.encode([p.goals or "support" for p in query_profiles(20)])
    allowed = np.flatnonzero(np.random.default_rng(0).random(n) < 0.5)
    found = {}
    for kind in ("flat", "ivf", "ivf-sq8"):
        idx = ListingIndex(embedder.name, embedder.dim, kind=kind)
        start = time.perf_counter()
        idx.add_vectors([f"S{i}" for i in range(n)], ["h"] * n, ["t"] * n, vecs)
        built = time.perf_counter() - start
        idx.search(q[:1], allowed, 200)
        start = time.perf_counter()
        found[kind] = [idx.search(q[i:i + 1], allowed, 200)[1][0] for i in range(len(q))]
        ms = (time.perf_counter() - start) / len(q) * 1000
        print(f"{n:>9,}  {kind:>4}: build {built:6.1f} s, search within 50% allowed, k=200: {ms:6.1f} ms", flush=True)
    for kind in ("ivf", "ivf-sq8"):
        overlap = np.mean([len(set(a[:50]) & set(b[:50])) / 50 for a, b in zip(found["flat"], found[kind], strict=True)])
        print(f"{n:>9,}  {kind} recall@50 against flat: {overlap:.3f}", flush=True)


def recall(n: int, queries: int) -> None:
    """The final top 10 of `Recommender.recommend` with each large-directory index kind against a flat
    (exact) index over the same synthetic vectors: recall@10, and the search's memory per vector."""
    embedder = load_embedder()
    listings = generate(n, seed=n)
    snap = Snapshot.build(1, listings, [r.id for r in listings])
    del listings
    vecs = synthetic_vectors(snap.texts, embedder)
    active = np.flatnonzero(snap.active)
    vecs = vecs[active]
    profiles = query_profiles(queries)
    tops = {}
    for kind in ("flat", "ivf", "ivf-sq8"):
        index = ListingIndex(embedder.name, embedder.dim, kind=kind)
        start = time.perf_counter()
        index.add_vectors([snap.ids[i] for i in active], [snap.content_hashes[i] for i in active],
                          [snap.text_hashes[i] for i in active], vecs, version=1)
        built = time.perf_counter() - start
        size = len(__import__("faiss").serialize_index(index._faiss)) / len(active)
        rec = Recommender(embedder=embedder, index=index)
        rec.install(snap)
        start = time.perf_counter()
        tops[kind] = [[r.id for r in rec.recommend(p, top_k=10).results] for p in profiles]
        ms = (time.perf_counter() - start) / len(profiles) * 1000
        hit = [len(set(a) & set(b)) / max(len(b), 1) for a, b in zip(tops[kind], tops["flat"], strict=True)]
        print(f"{n:>9,}  {kind:>7}: built in {built:5.1f} s, {size:6.0f} bytes a vector in FAISS, "
              f"match mean {ms:5.1f} ms, final top-10 recall vs flat {np.mean(hit):.4f} (min {min(hit):.2f})",
              flush=True)
        del rec, index


def main() -> None:
    ap = argparse.ArgumentParser(description="matcher speed benchmark")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--kinds", type=int, nargs="*", default=[], help="sizes at which to compare flat and IVF search")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--recall", type=int, nargs="*", default=[],
                    help="sizes at which to compare the final top 10 of flat, ivf and ivf-sq8")
    ap.add_argument("--busy", type=int, default=0, help="measure latency again beside N spinning processes")
    args = ap.parse_args()
    global BUSY
    BUSY = args.busy
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"{'listings':>9}  (load average {load}; embedder runtime {load_embedder().runtime}, float32)")
    for n in args.sizes:
        if n <= REAL_EMBEDDING_MAX:
            real(n, args.queries)
        else:
            synthetic(n, args.queries)
    for n in args.kinds:
        kinds(n)
    for n in args.recall:
        recall(n, args.queries)


if __name__ == "__main__":
    main()
