"""The prepared snapshot: a second open reads no row's JSON and answers the same; a damaged, stale or
foreign prepared folder is read from the database again (a warning), never fatal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from directory.store import Store
from matcher import prepared
from matcher.recommender import Recommender

from .matcher_fixtures import HOME, small_directory

PROFILES = [
    {"id": "P1", "needs": {"social_relationships": 2, "money": 3}, "goals": "company and help with bills",
     "languages": ["en"], "age": 67, "location": {"latitude": HOME[0], "longitude": HOME[1]}},
    {"goals": "walking or singing with other people", "digital_access": "online"},
]


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.import_resources(small_directory(), actor="test")
    return path


def answers(rec: Recommender) -> list[dict]:
    return [rec.recommend(p, top_k=5).to_json() for p in PROFILES]


def open_rec(db: Path, tmp_path: Path, embedder) -> Recommender:
    return Recommender.open(str(db), index_dir=tmp_path / "index", embedder=embedder)


def mapped(array: np.ndarray) -> bool:
    """The array reads a memory-mapped file (a plain view of an np.memmap: see prepared._mapped)."""
    while array is not None:
        if isinstance(array, np.memmap):
            return True
        array = array.base if isinstance(array.base, np.ndarray) else None
    return False


def folders(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "index" / prepared.FOLDER).iterdir() if not p.name.startswith("."))


def test_a_second_open_loads_the_prepared_snapshot_and_answers_the_same(db, tmp_path, embedder):
    with open_rec(db, tmp_path, embedder) as rec:
        first = answers(rec)
        built = rec._prepared.snapshot
        domains, types = built.domains.copy(), built.support_types.copy()
        texts = list(built.texts)
        assert built.domains_inferred.any() and built.support_types_inferred.any()  # inference is kept too
    assert len(folders(tmp_path)) == 1
    with open_rec(db, tmp_path, embedder) as rec:
        snap = rec._prepared.snapshot
        assert snap.prepared and mapped(snap.active) and not rec.index.warnings
        assert np.array_equal(snap.domains, domains) and np.array_equal(snap.support_types, types)
        assert list(snap.texts) == texts
        assert answers(rec) == first
        assert rec.listing_domains() and rec.listing_support_types()


def test_a_changed_directory_is_read_again_and_prepared_anew(db, tmp_path, embedder):
    with open_rec(db, tmp_path, embedder) as rec:
        pass
    with Store(db) as store:
        old = store.get("L01")
        store.update(old.resource.model_copy(update={"description": "A knitting circle for carers."}), old.version)
    with open_rec(db, tmp_path, embedder) as rec:
        assert not rec._prepared.snapshot.prepared and not rec.index.warnings
        assert any("knitting" in t for t in rec._prepared.snapshot.texts)
    assert len(folders(tmp_path)) == 2  # the new state's and the one before
    with open_rec(db, tmp_path, embedder) as rec:
        assert rec._prepared.snapshot.prepared
        assert any("knitting" in t for t in rec._prepared.snapshot.texts)


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _meta(change):
    def damage(folder: Path) -> None:
        meta = json.loads((folder / "meta.json").read_text())
        change(meta)
        (folder / "meta.json").write_text(json.dumps(meta))
    return damage


DAMAGE = {
    "a flipped byte in an array": lambda f: _flip(f / "domains.npy"),
    "a truncated text file": lambda f: _truncate(f / "texts.bin"),
    "a missing lexicon file": lambda f: (f / "lexicon.data.npy").unlink(),
    "meta.json not JSON": lambda f: (f / "meta.json").write_text("{not json"),
    "meta.json of another version": _meta(lambda m: m.update(version=m["version"] + 7)),
    "meta.json of another format": _meta(lambda m: m.update(format="signpost-prepared-0")),
    "an array of other length, checksums rewritten": None,
    "a folder in the place of a file": lambda f: ((f / "texts.bin").unlink(), (f / "texts.bin").mkdir()),
}


def _other_length(folder: Path) -> None:
    np.save(folder / "active.npy", np.ones(3, dtype=bool))
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["active.npy"] = list(prepared.files.file_crc(folder / "active.npy"))
    (folder / "meta.json").write_text(json.dumps(meta))


DAMAGE["an array of other length, checksums rewritten"] = _other_length


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_prepared_folder_is_read_again_never_fatal(db, tmp_path, embedder, kind):
    with open_rec(db, tmp_path, embedder) as rec:
        first = answers(rec)
    (folder,) = folders(tmp_path)
    DAMAGE[kind](folder)
    with open_rec(db, tmp_path, embedder) as rec:
        assert not rec._prepared.snapshot.prepared
        assert [w for w in rec.index.warnings if "prepared snapshot" in w and "read from the database" in w]
        assert answers(rec) == first
    with open_rec(db, tmp_path, embedder) as rec:  # written again, sound
        assert rec._prepared.snapshot.prepared and not rec.index.warnings
        assert answers(rec) == first


def test_an_unwritable_prepared_folder_is_a_warning_only(db, tmp_path, embedder):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / prepared.FOLDER).write_text("a file where the folder should be")
    with open_rec(db, tmp_path, embedder) as rec:
        assert answers(rec)
        assert [w for w in rec.index.warnings if "could not be saved" in w]
    shutil.rmtree(tmp_path / "index")


@pytest.mark.parametrize("batch", [1, 3, 10_000])
def test_columns_read_in_batches_are_the_columns_read_at_once(db, batch):
    from matcher.snapshot import ARRAYS, ColumnBuilder, Snapshot

    with Store(db) as store:
        whole = Snapshot.from_rows(*store.changes_since(None))
        builder = ColumnBuilder(keep_json=True)
        version = store.read_listings(builder.add, batch=batch)
    streamed = builder.snapshot(version)
    assert streamed.version == whole.version and len(streamed) == len(whole) > 5
    for name in (*ARRAYS, "language_matrix", "domains", "support_types"):
        a, b = getattr(streamed, name), getattr(whole, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    for name in ("ids", "texts", "text_hashes", "content_hashes", "language_codes"):
        assert list(getattr(streamed, name)) == list(getattr(whole, name)), name
    assert [r.model_dump() for r in streamed.resources] == [r.model_dump() for r in whole.resources]


def test_an_empty_directory_reads_as_an_empty_snapshot(tmp_path):
    from matcher.snapshot import ColumnBuilder

    with Store(tmp_path / "e.db") as store:
        builder = ColumnBuilder(keep_json=True)
        version = store.read_listings(builder.add)
    assert len(builder.snapshot(version)) == 0


def test_a_large_directory_reads_shared_vectors_in_chunks_into_one_array(db, tmp_path, embedder, monkeypatch):
    """Without a cache (large directories) the vectors come from the shared table a chunk at a time,
    straight into the index's array: each listing gets its own text's vector, repeated texts too."""
    from matcher import index as index_module

    monkeypatch.setattr(index_module, "CACHE_MAX_LISTINGS", 0)
    monkeypatch.setattr(index_module, "SHARED_CHUNK", 3)
    with Store(db) as store:
        twin = store.get("L01").resource.model_copy(update={"id": "L99"})
        store.create(twin)
    with open_rec(db, tmp_path, embedder) as rec:
        snap, index = rec._prepared.snapshot, rec.index
        assert not index.cache.enabled and rec.last_update.embedded == len(set(snap.text_hashes[i] for i in
                                                                               np.flatnonzero(snap.active)))
        rows = [i for i in range(len(snap)) if snap.active[i]]
        want = embedder.encode([snap.texts[i] for i in rows])
        got = index.vectors[[index.label_of[snap.ids[i]] for i in rows]]
        assert np.all((got * want).sum(axis=1) >= 0.9999)
    shutil.rmtree(tmp_path / "index")
    with open_rec(db, tmp_path, embedder) as rec:  # a new index: every vector read from the table
        assert rec.last_update.embedded == 0 and rec.last_update.added == len(rows)


def test_a_prepared_snapshot_refreshes_like_a_read_one(db, tmp_path, embedder):
    """Its columns are read-only maps: a refresh after a change builds new columns from them."""
    with open_rec(db, tmp_path, embedder) as rec:
        pass
    with open_rec(db, tmp_path, embedder) as rec:
        assert rec._prepared.snapshot.prepared
        with Store(db) as store:
            old = store.get("L02")
            store.update(old.resource.model_copy(update={"description": "Knitting circle for carers, by phone."}),
                         old.version)
            store.create(store.get("L01").resource.model_copy(update={"id": "L77", "name": "Allotment club"}))
        assert rec.refresh() is True
        snap = rec._prepared.snapshot
        assert not snap.prepared and "L77" in snap.row_of
        assert any("Knitting" in t for t in snap.texts)
        got = rec.recommend({"goals": "knitting with other carers"}, top_k=3).to_json()
    with open_rec(db, tmp_path, embedder) as fresh:
        assert fresh.recommend({"goals": "knitting with other carers"}, top_k=3).to_json() == got
