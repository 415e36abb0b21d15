"""The embedding WORK is shared between processes: each missing text is claimed, embedded and stored by
exactly one of them, and a claimer that dies (or hangs) mid-batch holds the others up no longer than
its claim's expiry (not at all when it was a process of this host that no longer runs).

Real OS processes (multiprocessing, spawn), the real packaged model, SQLite files and the PostgreSQL
server of tests/conftest.py.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from directory.store import Store
from matcher.embedder import load_embedder
from matcher.shared_vectors import SharedVectors, _cores, claims, embeddings

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 3
TEXTS = [f"A weekly group number {i} for people who {('walk', 'sing', 'cook', 'garden')[i % 4]} together, "
         f"with tea afterwards and a chat about {('debt', 'housing', 'grief', 'work', 'art')[i % 5]}." for i in range(240)]


def _keys(texts: list[str]) -> dict[str, str]:
    from matcher.snapshot import text_hash

    return {text_hash(t): t for t in texts}


def _embed_all(db: str, barrier, out) -> None:
    """One process: wait for the others, then find vectors of every text (embedding its share)."""
    embedder = load_embedder()
    with Store(db) as store:
        shared = SharedVectors(store, embedder.name, embedder.dim)
        text_of = _keys(TEXTS)
        barrier.wait(timeout=300)
        found = shared.embed_missing(list(text_of), text_of.__getitem__, embedder.encode)
        out.put((os.getpid(), shared.embedded, sorted(found), shared.last))


def test_processes_wanting_the_same_texts_embed_each_once_between_them(db_url):
    ctx = mp.get_context("spawn")  # (not fork: pytest's process may hold threads and the model)
    barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_embed_all, args=(db_url, barrier, out)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    reports = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    keys = sorted(_keys(TEXTS))
    assert all(found == keys for _, _, found, _ in reports)  # every process has every vector
    per_process = [n for _, n, _, _ in reports]
    assert sum(per_process) == len(keys), per_process  # each text embedded once in total
    assert sum(1 for n in per_process if n > 0) >= min(2, _cores()), per_process  # and the work was shared
    embedder = load_embedder()
    with Store(db_url) as store:
        shared = SharedVectors(store, embedder.name, embedder.dim)
        assert shared.count() == len(keys) and shared.claim_count() == 0  # no claim is left behind
        stored = shared.get(keys)
    want = embedder.encode([_keys(TEXTS)[k] for k in keys])
    got = np.stack([stored[k] for k in keys])
    assert float(np.min(np.einsum("ij,ij->i", want, got))) > 0.9999  # the vectors of the text, whoever made them


CLAIMER = """
import sys, time
from directory.store import Store
from matcher.shared_vectors import SharedVectors
db, model, dim, keys = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
with Store(db) as store:
    shared = SharedVectors(store, model, dim, claim_seconds=3600)  # a claim that would last an hour
    got, _ = shared.claim(keys, len(keys))
    print(len(got), flush=True)
    time.sleep(600)  # embedding, as far as anyone can tell, until it is killed
"""


def test_a_killed_claimers_batch_is_taken_over_at_once(db_url):
    embedder = load_embedder()
    text_of = _keys(TEXTS[:40])
    keys = list(text_of)
    claimer = subprocess.Popen([sys.executable, "-c", CLAIMER, db_url, embedder.name, str(embedder.dim),
                                ",".join(keys[:32])], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert claimer.stdout.readline().strip() == "32"  # it holds 32 of the 40 texts
        with Store(db_url) as store:
            shared = SharedVectors(store, embedder.name, embedder.dim)
            assert shared.claim_count() == 32
            got, _ = shared.claim(keys, len(keys))
            assert sorted(got) == sorted(keys[32:])  # its claims are not taken while it runs
            shared.release(got)
            os.kill(claimer.pid, signal.SIGKILL)
            claimer.wait(timeout=30)
            found: dict = {}
            taking = threading.Thread(target=lambda: found.update(
                shared.embed_missing(keys, text_of.__getitem__, embedder.encode)), daemon=True)
            taking.start()
            taking.join(timeout=30)
            assert not taking.is_alive()  # not the claim's hour
            assert sorted(found) == sorted(keys) and shared.embedded == len(keys)
            assert shared.count() == len(keys) and shared.claim_count() == 0
    finally:
        if claimer.poll() is None:
            claimer.kill()
            claimer.wait()


def test_a_claim_of_another_host_is_waited_for_until_it_expires(db_url):
    """A claimer elsewhere cannot be seen dying: its claims are honoured until they expire, then taken."""
    embedder = load_embedder()
    text_of = _keys(TEXTS[:10])
    keys = list(text_of)
    with Store(db_url) as store:
        shared = SharedVectors(store, embedder.name, embedder.dim)
        with store.engine.begin() as conn:
            now = shared._now(conn)
            conn.execute(claims.insert(), [{"model": embedder.name, "text_hash": k, "owner": "elsewhere:1:abc",
                                            "expires": now + 2.0} for k in keys[:5]])
        start = time.monotonic()
        found = shared.embed_missing(keys, text_of.__getitem__, embedder.encode)
        waited = time.monotonic() - start
        assert sorted(found) == sorted(keys) and shared.embedded == len(keys)
        assert 1.5 <= waited < 60, waited  # waited for the live claim, then took it over
        assert shared.claim_count() == 0


def test_a_text_stored_while_its_claim_was_being_taken_is_read_not_embedded(db_url):
    """A rival that stored a vector (and dropped its claim) just before this process claimed the same
    text: the claim succeeds, the vector is found, nothing is embedded twice."""
    embedder = load_embedder()
    text_of = _keys(TEXTS[:3])
    keys = list(text_of)
    with Store(db_url) as store:
        shared = SharedVectors(store, embedder.name, embedder.dim)
        rival = SharedVectors(store, embedder.name, embedder.dim)
        vecs = embedder.encode([text_of[k] for k in keys])
        calls = []

        def encode(texts, **kw):
            calls.append(len(texts))
            return embedder.encode(texts, **kw)

        original = shared.claim

        def claim_after_rival(pending, limit):
            got = original(pending, limit)
            rival.put(keys, vecs)  # stored by the rival between this claim and the embedding
            return got

        shared.claim = claim_after_rival
        found = shared.embed_missing(keys, text_of.__getitem__, encode)
        assert sorted(found) == sorted(keys) and calls == [] and shared.embedded == 0
        assert shared.claim_count() == 0
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(embeddings)).scalar_one() == 3


def test_no_more_embedders_at_once_than_this_host_has_cores(db_url):
    """With every core of the host running a claimed batch, a further process claims nothing and reads
    their vectors as they land; once a batch is stored, it may claim again."""
    embedder = load_embedder()
    text_of = _keys(TEXTS[:60])
    keys = list(text_of)
    with Store(db_url) as store:
        rivals = [SharedVectors(store, embedder.name, embedder.dim) for _ in range(_cores())]
        held = [rival.claim(keys[5 * i:5 * i + 5], 5)[0] for i, rival in enumerate(rivals)]
        assert all(len(h) == 5 for h in held)
        late = SharedVectors(store, embedder.name, embedder.dim)
        assert late.claim(keys, 10)[0] == []  # every core busy: nothing claimed, though 50 texts are free
        elsewhere = SharedVectors(store, embedder.name, embedder.dim)
        elsewhere.owner = "another-host:1:abc"  # the cores of another host are its own
        assert len(elsewhere.claim(keys[40:], 5)[0]) == 5
        done = held[0]
        rivals[0].store_claimed(done, embedder.encode([text_of[k] for k in done]))
        got, _ = late.claim(keys, 10)
        assert len(got) == 10 and not set(got) & {k for h in held[1:] for k in h}  # others' live claims kept


def test_batches_run_side_by_side_on_threads_of_their_own_with_the_same_vectors(embedder):  # noqa: F811
    """Embedder.encode with 2 threads runs whole batches on 2 threads, each a one-thread forward pass,
    and gives exactly what one thread gives (the same batches, the same arithmetic)."""
    import threading

    texts = [f"A walking group number {i} meets by the canal{' every week' * (i % 7)}." for i in range(60)]
    seen: set[str] = set()
    run = embedder._run

    def spy(batch, threads):
        seen.add(threading.current_thread().name)
        assert threads == 1
        return run(batch, threads)

    one = embedder.encode(texts, threads=1)
    embedder._run = spy
    try:
        two = embedder.encode(texts, threads=2)
    finally:
        del embedder._run
    assert np.array_equal(one, two)
    assert len(seen) == 2 and all(name.startswith("embed") for name in seen)
