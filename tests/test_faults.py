"""kill -9 at random points of imports and index updates leaves nothing half written (bench/faults.py, small).

Real processes killed with SIGKILL while they write: `signpost import` against SQLite and
PostgreSQL, `signpost index` against an SQLite directory. After each kill the database holds
exactly the state before or after the import, and the saved index is exactly the old or the new
one and is brought level with the database by the next open.
"""

from __future__ import annotations

from bench import faults


def test_killed_imports_leave_the_old_or_the_new_directory(db_url, tmp_path):
    # Each import rewrites about half of 300 listings; the kill lands within 50 ms of its write being seen.
    figures = faults.import_faults(db_url, runs=3, listings=300, seed=1, work=tmp_path,
                                   modes=("within-write",), write_window=0.05)
    assert figures["runs"] == figures["killed"] == 3, figures
    assert figures["partial_writes"] == 0 and figures["store_failures"] == 0, figures
    assert figures["old_state"] + figures["new_state"] == 3
    assert figures["landed_mid_write"] >= 1, figures


def test_killed_index_updates_leave_the_old_or_the_new_index(sqlite_path, tmp_path, embedder):
    # `signpost index` children of a fork server holding the model (start-up would otherwise cost
    # seconds a run), each killed within its save of a 600-listing index.
    figures = faults.index_faults(str(sqlite_path), runs=3, listings=600, changes=10, seed=2, work=tmp_path,
                                  embedder=embedder, modes=("within-write",), preloaded=True, texts=20)
    assert figures["runs"] == figures["killed"] == 3, figures
    assert figures["torn_or_unloadable"] == 0 and figures["not_consistent_after_restart"] == 0, figures
    assert figures["old_index"] + figures["new_index"] == 3
    assert figures["landed_mid_write"] >= 1, figures


def test_a_damaged_saved_index_is_rebuilt_not_used(sqlite_path, tmp_path, embedder):
    from directory.store import Store
    from matcher.index import ListingIndex
    from matcher.recommender import Recommender

    from .matcher_fixtures import small_directory

    with Store(sqlite_path) as store:
        store.import_resources(small_directory(), actor="test")
    index_dir = tmp_path / "index"
    Recommender.open(str(sqlite_path), index_dir=index_dir, embedder=embedder).close()
    current = index_dir / (index_dir / "CURRENT").read_text().strip()
    data = (current / "vectors.npy").read_bytes()
    (current / "vectors.npy").write_bytes(data[: len(data) // 2])  # a disk that lost half a file
    assert ListingIndex.load(index_dir, embedder.name, embedder.dim) is None
    with Recommender.open(str(sqlite_path), index_dir=index_dir, embedder=embedder) as rec:
        assert rec.last_update.added == len(rec.index) == 11
    assert ListingIndex.load(index_dir, embedder.name, embedder.dim) is not None
