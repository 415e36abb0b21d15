"""Processes saving one index folder at once never remove a version another may load or has just named current.

Four real processes (multiprocessing, spawn) save the same folder at the same moment, round after
round, and load it straight after; a fifth loads it over and over all the while. Every load finds
a sound index (none is rebuilt), and a fresh open at the end does too, with nothing left behind.
Synthetic unit vectors: the model plays no part in saving and loading.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from pathlib import Path

import numpy as np

from matcher.index import ListingIndex

MODEL, DIM = "concurrency-test-model", 32
SAVERS, ROUNDS = 4, 25


def _index(worker: int, round_: int) -> ListingIndex:
    rng = np.random.default_rng(1000 * worker + round_)
    n = 30 + worker
    vecs = rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = ListingIndex(MODEL, DIM)
    index.add_vectors([f"W{worker}-{i}" for i in range(n)], [f"c{i}" for i in range(n)],
                      [f"t{worker}-{round_}-{i}" for i in range(n)], vecs, version=round_)
    return index


def _problem(folder: Path) -> str | None:
    """What is wrong with loading the folder now, or None when a sound index loads."""
    said: list[str] = []
    loaded = ListingIndex.load(folder, MODEL, DIM, warn=said.append)
    if loaded is None:
        return f"nothing loadable: {said}"
    if loaded.warnings or len(loaded) == 0 or loaded.vectors.shape != (len(loaded.ids), DIM):
        return f"a damaged index: {loaded.warnings}"
    return None


def _saver(folder: str, worker: int, barrier, out) -> None:
    problems = []
    for r in range(ROUNDS):
        index = _index(worker, r)
        barrier.wait(timeout=120)  # all four save at the same moment
        index.save(folder)
        if (p := _problem(Path(folder))) is not None:
            problems.append(f"saver {worker} round {r}: {p}")
    out.put(problems)


def _reader(folder: str, stop, out) -> None:
    problems, loads = [], 0
    while not stop.is_set():
        if (p := _problem(Path(folder))) is not None:
            problems.append(f"reader load {loads}: {p}")
        loads += 1
    out.put((loads, problems))


def test_concurrent_saves_never_remove_a_loadable_version(tmp_path):
    folder = tmp_path / "index"
    _index(9, 0).save(folder)  # there is an index before the race starts
    ctx = mp.get_context("spawn")  # (not fork: pytest's process may hold threads and the model)
    barrier, stop, out, reads = ctx.Barrier(SAVERS), ctx.Event(), ctx.Queue(), ctx.Queue()
    savers = [ctx.Process(target=_saver, args=(str(folder), w, barrier, out)) for w in range(SAVERS)]
    reader = ctx.Process(target=_reader, args=(str(folder), stop, reads))
    for p in [reader, *savers]:
        p.start()
    problems = []
    for _ in savers:
        problems += out.get(timeout=600)
    stop.set()
    loads, read_problems = reads.get(timeout=120)
    for p in [reader, *savers]:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert problems == [] and read_problems == [], (problems + read_problems)[:5]
    assert loads > 0
    fresh = ListingIndex.open(folder, MODEL, DIM)
    assert fresh.warnings == [] and not fresh.save_if_changed()  # loaded as it is: nothing to rebuild
    assert fresh.directory_version == ROUNDS - 1
    # what is left: the current version and the one before it, no half-written or retired folder
    names = sorted(os.listdir(folder))
    assert len([n for n in names if n.startswith("v-")]) <= 2, names
    assert not [n for n in names if n.startswith((".tmp-", ".trash-", ".CURRENT."))], names


def test_a_save_waits_for_the_lock_and_keeps_what_is_current(tmp_path):
    """While one process holds the save lock, another's save waits; neither removes the other's version."""
    from matcher import index_files

    folder = tmp_path / "index"
    _index(0, 0).save(folder)
    done = threading.Event()
    with index_files.save_lock(folder):
        saving = threading.Thread(target=lambda: (_index(1, 1).save(folder), done.set()))
        saving.start()
        assert not done.wait(1.0)  # blocked on the lock
        before = (folder / "CURRENT").read_text()
    saving.join(timeout=60)
    assert done.is_set() and (folder / "CURRENT").read_text() != before
    assert (folder / before.strip()).is_dir()  # the previous version stays for readers
    assert ListingIndex.load(folder, MODEL, DIM).directory_version == 1


# ---- searching while a refresh changes the index on another thread ---------------------------------
def test_the_shared_lock_lets_readers_share_and_a_writer_wait_for_them():
    from matcher.index import SharedLock

    lock, events = SharedLock(), []
    reading, release = threading.Event(), threading.Event()

    def reader(name, hold=None):
        with lock.reading(), lock.reading():  # reentrant
            reading.set()
            if hold is not None:
                hold.wait(5)
            events.append(name)

    def writer():
        with lock.writing(), lock.writing():
            events.append("wrote")

    first = threading.Thread(target=reader, args=("first read", release))
    first.start()
    assert reading.wait(5)
    w = threading.Thread(target=writer)
    w.start()
    w.join(0.2)
    assert w.is_alive() and events == []  # the writer waits for the reader
    late = threading.Thread(target=reader, args=("late read",))
    late.start()
    late.join(0.2)
    assert late.is_alive() and events == []  # a reader coming after a waiting writer waits for it
    release.set()
    for t in (first, w, late):
        t.join(5)
    assert events == ["first read", "wrote", "late read"]


def test_a_query_never_reads_labels_of_an_index_compacted_since(tmp_path, embedder):
    """A refresh that compacts the index renumbers every label before it swaps in the labels for the
    new numbering: a query in between waits for the swap, and gets what a query after it gets."""
    from tests.matcher_fixtures import open_directory, small_directory

    rec = open_directory(tmp_path, embedder, small_directory())
    profile = {"needs": {"social_relationships": 8}, "goals": "meet people", "location": {"place": "Govan"}}
    try:
        with rec._lock:  # (as a refresh holds it)
            before = [r.resource.id for r in rec.recommend(profile).results]
            rec.index.ids[rec.index.label_of.pop("L01")] = None  # a listing retired, then compaction:
            rec.index._rebuild()
            got: list[list[str]] = []
            query = threading.Thread(target=lambda: got.append([r.resource.id for r in rec.recommend(profile).results]))
            query.start()
            query.join(0.5)
            assert query.is_alive() and not got  # waiting, not reading the old labels
            snapshot = rec._prepared.snapshot
            rec.install(snapshot)  # the swap (here: L01 is still active in the snapshot, but not indexed)
        query.join(10)
        assert got == [[r.resource.id for r in rec.recommend(profile).results]]
        assert "L01" not in got[0] and set(got[0]) <= set(before) | set(rec.index.ids)
    finally:
        rec.close()


def test_a_query_after_a_refresh_failed_mid_way_reads_everything_again(tmp_path, embedder):
    from tests.matcher_fixtures import open_directory, small_directory

    rec = open_directory(tmp_path, embedder, small_directory())
    profile = {"needs": {"social_relationships": 8}, "goals": "meet people", "location": {"place": "Govan"}}
    try:
        expected = [r.resource.id for r in rec.recommend(profile).results]
        rec.index._rebuild()  # compacted, and then the refresh died before its swap
        assert rec._prepared.generation != rec.index.generation
        assert [r.resource.id for r in rec.recommend(profile).results] == expected
        assert rec._prepared.generation == rec.index.generation
    finally:
        rec.close()
