"""The index's life: build, update only what changed, search within allowed rows, save, load, atomically."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from directory.store import Store
from matcher import index as index_module
from matcher.index import ListingIndex, index_dir_for
from matcher.recommender import Recommender
from matcher.snapshot import Snapshot

from .matcher_fixtures import small_directory


def snapshot_of(resources, version=1):
    from directory.store import content_hash

    return Snapshot.build(version, resources, [content_hash(r) for r in resources])


def test_build_then_update_embeds_only_changes(embedder, tmp_path):
    rs = small_directory()
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path)
    first = idx.update(snapshot_of(rs), embedder)
    active = sum(r.status == "active" for r in rs)
    assert (first.embedded, first.added, first.total) == (active, active, active)
    rs[0] = rs[0].model_copy(update={"description": "Now a knitting circle."})
    rs[1] = rs[1].model_copy(update={"schedule": "Weekends"})  # not part of the embedded text
    rs = rs[:-1]  # one listing deleted
    second = idx.update(snapshot_of(rs, 2), embedder)
    assert (second.embedded, second.changed, second.removed, second.total) == (1, 1, 1, active - 1)
    assert idx.is_current(snapshot_of(rs, 2))


def test_search_is_restricted_to_allowed_labels(embedder):
    for kind in ("flat", "ivf", "ivf-sq8", "hnsw"):
        idx = ListingIndex(embedder.name, embedder.dim, kind=kind)
        rng = np.random.default_rng(0)
        vecs = rng.normal(size=(500, embedder.dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        idx.add_vectors([f"R{i}" for i in range(500)], ["h"] * 500, [f"t{i}" for i in range(500)], vecs)
        allowed = np.array([3, 77, 250, 499])
        scores, labels = idx.search(vecs[77], allowed, 10)
        assert labels[0, 0] == 77 and set(labels[0][labels[0] >= 0]) == set(allowed.tolist())
        assert np.all(np.diff(scores[0][: len(allowed)]) <= 1e-6)


@pytest.mark.parametrize("kind", ["hnsw", "ivf", "ivf-sq8"])
def test_approximate_search_with_many_allowed_uses_the_index(embedder, monkeypatch, kind):
    monkeypatch.setattr(index_module, "EXACT_SUBSET_MAX", 10)
    idx = ListingIndex(embedder.name, embedder.dim, kind=kind)
    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(2000, embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    idx.add_vectors([f"R{i}" for i in range(2000)], ["h"] * 2000, [f"t{i}" for i in range(2000)], vecs)
    allowed = np.arange(0, 2000, 2)
    _, labels = idx.search(vecs[[10, 11]], allowed, 20)
    assert labels[0, 0] == 10 and np.all(labels[labels >= 0] % 2 == 0)


def test_save_load_round_trip(embedder, tmp_path):
    snap = snapshot_of(small_directory())
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix")
    idx.update(snap, embedder)
    idx.save()
    back = ListingIndex.load(tmp_path / "ix", embedder.name, embedder.dim)
    assert back is not None and back.is_current(snap) and back.label_of == idx.label_of
    q = embedder.encode(["debt advice"])
    allowed = np.arange(len(idx.ids))
    assert np.array_equal(back.search(q, allowed, 5)[1], idx.search(q, allowed, 5)[1])
    assert back.update(snap, embedder).embedded == 0


def test_other_model_or_dimension_is_not_loaded(embedder, tmp_path):
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix")
    idx.update(snapshot_of(small_directory()), embedder)
    idx.save()
    assert ListingIndex.load(tmp_path / "ix", "another-model", embedder.dim) is None
    assert ListingIndex.load(tmp_path / "ix", embedder.name, 768) is None


def test_model_mismatch_means_rebuild(embedder, tmp_path):
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.import_resources(small_directory())
    stale = ListingIndex("another-model", embedder.dim, tmp_path / "ix")
    stale.directory_version = 1
    stale.save()
    rec = Recommender.open(db, index_dir=tmp_path / "ix", embedder=embedder)
    assert rec.index.model == embedder.name
    assert rec.last_update.embedded == len(rec.index) == 11


def test_a_crash_mid_save_leaves_the_old_index(embedder, tmp_path, monkeypatch):
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix")
    idx.update(snapshot_of(small_directory()), embedder)
    idx.save()
    changed = small_directory()[:5]
    idx.update(snapshot_of(changed, 2), embedder)

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", crash)
    with pytest.raises(OSError):
        idx.save()
    monkeypatch.undo()
    back = ListingIndex.load(tmp_path / "ix", embedder.name, embedder.dim)
    assert back is not None and back.directory_version == 1 and len(back) == 11
    # a half-written version folder lying around is ignored too
    (tmp_path / "ix" / "v-99999999T000000-deadbeef").mkdir()
    assert ListingIndex.load(tmp_path / "ix", embedder.name, embedder.dim).directory_version == 1


def test_stale_index_is_updated_not_used(small_store, small_recommender, tmp_path, embedder):
    rec = small_recommender
    stored = small_store.get("L01")
    small_store.update(stored.resource.model_copy(update={"description": "Knitting and crochet circle."}),
                       stored.version)
    again = Recommender.open(small_store.url, index_dir=tmp_path / "index", embedder=embedder)
    assert again.last_update.embedded == 1 and again.last_update.changed == 1
    assert again.index.directory_version == small_store.directory_version()
    assert rec.refresh() is True and rec.refresh() is False


def test_large_directories_switch_to_ivf(embedder, monkeypatch):
    monkeypatch.setattr(index_module, "FLAT_MAX_LISTINGS", 100)
    idx = ListingIndex(embedder.name, embedder.dim)
    vecs = np.random.default_rng(2).normal(size=(300, embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    idx.add_vectors([f"R{i}" for i in range(300)], ["h"] * 300, [f"t{i}" for i in range(300)], vecs)
    assert idx.kind == "ivf-sq8" and len(idx) == 300


def test_a_saved_float32_ivf_index_is_read_and_rebuilt_with_8_bit_cells(embedder, monkeypatch, tmp_path):
    """An index saved by the release before (IVF of float32 cells) loads without a warning, and the
    next update rebuilds it as IVF-SQ8 (a quarter of the memory) with the same exact vectors."""
    monkeypatch.setattr(index_module, "FLAT_MAX_LISTINGS", 100)
    old = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix", kind="ivf")
    vecs = np.random.default_rng(3).normal(size=(300, embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    old.add_vectors([f"R{i}" for i in range(300)], ["h"] * 300, [f"t{i}" for i in range(300)], vecs, version=1)
    old.save()
    idx = ListingIndex.open(tmp_path / "ix", embedder.name, embedder.dim)
    assert idx.kind == "ivf" and not idx.warnings
    assert isinstance(idx.vectors, np.memmap) and not idx.vectors.flags.writeable  # read when touched
    idx.add_vectors(["R300"], ["h"], ["t300"], vecs[:1])
    assert idx.kind == "ivf-sq8" and len(idx) == 301 and np.array_equal(idx.vectors[:300], vecs)
    _, labels = idx.search(vecs[[5]], np.arange(301), 5)
    assert 5 in labels[0].tolist()


def test_index_lives_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("SIGNPOST_INDEX_DIR", raising=False)
    assert index_dir_for(f"sqlite:///{tmp_path}/var/signpost.db") == tmp_path / "var" / "signpost.index"
    a = index_dir_for("postgresql://u@host/db1")
    assert a.parent.name == "var" and a != index_dir_for("postgresql://u@host/db2")


def test_save_if_changed_saves_only_what_the_folder_lacks(embedder, tmp_path):
    snap = snapshot_of(small_directory())
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix")
    assert idx.folder == tmp_path / "ix"
    idx.update(snap, embedder)
    assert idx.save_if_changed() is True  # never saved
    pointer = (tmp_path / "ix" / "CURRENT").read_text()
    idx.update(snap, embedder)
    assert idx.save_if_changed() is False and (tmp_path / "ix" / "CURRENT").read_text() == pointer
    (tmp_path / "ix" / "CURRENT").unlink()  # someone cleared the folder: save again
    assert idx.save_if_changed() is True
    rs = small_directory()
    rs[0] = rs[0].model_copy(update={"description": "Now a knitting circle."})
    idx.update(snapshot_of(rs, 2), embedder)
    assert idx.save_if_changed() is True
    assert ListingIndex.load(tmp_path / "ix", embedder.name, embedder.dim).directory_version == 2
    assert ListingIndex(embedder.name, embedder.dim).save_if_changed() is False  # in memory only


def test_a_save_keeps_the_current_and_previous_versions_and_sweeps_leftovers(embedder, tmp_path):
    import os

    root = tmp_path / "ix"
    idx = ListingIndex(embedder.name, embedder.dim, root)
    idx.update(snapshot_of(small_directory()), embedder)
    first, second = idx.save(), idx.save()
    stale = root / ".tmp-v-killed"
    stale.mkdir()
    os.utime(stale, (0, 0))  # a save killed long ago
    fresh = root / ".tmp-v-running"
    fresh.mkdir()  # another process's save being written now
    third = idx.save()
    names = set(os.listdir(root))
    assert {second.name, third.name} <= names and first.name not in names
    assert fresh.name in names and stale.name not in names


def test_load_says_what_was_wrong(embedder, tmp_path):
    idx = ListingIndex(embedder.name, embedder.dim, tmp_path / "ix")
    idx.update(snapshot_of(small_directory()), embedder)
    saved = idx.save()
    said: list[str] = []
    assert ListingIndex.load(tmp_path / "nothing", embedder.name, embedder.dim, warn=said.append) is None
    assert said == []  # no index at all is no damage
    (saved / "meta.json").write_text("[]")
    assert ListingIndex.load(tmp_path / "ix", embedder.name, embedder.dim, warn=said.append) is None
    assert said == [f"{saved.name}/meta.json is not a JSON object"]
    opened = ListingIndex.open(tmp_path / "ix", embedder.name, embedder.dim)
    assert len(opened) == 0 and opened.warnings == [f"index {tmp_path / 'ix'}: {said[0]}; rebuilt"]
