"""A damaged, partial or foreign index folder never breaks `match` or `index`: it is absent, rebuilt, said.

Each kind of damage is done to a copy of a good saved index, the way a user meets it (a disk that
lost half a file, a stray editor, a copy from elsewhere, a 10 GB file, a symlink, a FIFO, ...).
Then: the answer is the answer of the good index, one warning line says what was wrong, and the
next open finds a sound index and rebuilds nothing. Every kind runs through `Recommender.open` in
this process; a representative few run the real CLI (`match`, `index`) in a subprocess as well.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from directory.store import Store
from matcher.index import ListingIndex
from matcher.recommender import Recommender

from .matcher_fixtures import HOME, small_directory

ROOT = Path(__file__).resolve().parent.parent
PROFILE = {"id": "P1", "needs": {"social_relationships": 2, "money": 3}, "goals": "company and help with bills",
           "languages": ["en"], "age": 67, "gender": "male",
           "location": {"latitude": HOME[0], "longitude": HOME[1]}, "max_cost": "free", "digital_access": "phone"}
HUGE = 10 << 30  # a 10 GB file (sparse: it takes no disk), which must never be read whole


def version(folder: Path) -> Path:
    return folder / (folder / "CURRENT").read_text().strip()


def cache_file(folder: Path) -> Path:
    return next((folder / "cache").glob("*.npz"))


def huge(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.truncate(HUGE)


def replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


def replace_by_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("not a folder")


def replace_by_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def flip_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def edit_meta(folder: Path, **changes) -> None:
    path = version(folder) / "meta.json"
    meta = json.loads(path.read_text())
    meta.update(changes)
    path.write_text(json.dumps(meta))


def edit_vectors(folder: Path, change: Callable[[np.ndarray], np.ndarray]) -> None:
    path = version(folder) / "vectors.npy"
    np.save(path, change(np.load(path)), allow_pickle=True)


def rewrite_cache(folder: Path, compressed: bool = False, **changes) -> None:
    path = cache_file(folder)
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    arrays.update(changes)
    with open(path, "wb") as fh:
        (np.savez_compressed if compressed else np.savez)(fh, **arrays)


def patch_end_record(path: Path) -> None:
    """The zip's end record says its central directory is 4 GB (a reader would try to read it all)."""
    data = bytearray(path.read_bytes())
    data[-22 + 12: -22 + 16] = (0xF000_0000).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def nan_rows(v: np.ndarray) -> np.ndarray:
    v = v.copy()
    v[3, :5] = np.nan
    return v


def symlink_elsewhere(path: Path) -> None:
    """Move the thing away and leave a symlink to it in its place (the target itself is sound)."""
    away = path.parent.parent / f"elsewhere-{path.name}"
    shutil.move(path, away)
    path.symlink_to(away)


def foreign_faiss(folder: Path) -> None:
    """The FAISS file of another index of as many vectors: the same size, other contents."""
    n, dim = np.load(version(folder) / "vectors.npy").shape
    other = ListingIndex("m", dim)
    vecs = np.random.default_rng(5).normal(size=(n, dim)).astype(np.float32)
    other.add_vectors([f"X{i}" for i in range(n)], ["h"] * n, [f"t{i}" for i in range(n)],
                      vecs / np.linalg.norm(vecs, axis=1, keepdims=True))
    saved = other.save(folder.parent / "other-index")
    shutil.copyfile(saved / "faiss.index", version(folder) / "faiss.index")


# kind of damage → (what to do to a good index folder, words its warning must hold)
DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    # the CURRENT pointer
    "CURRENT deleted": (lambda f: (f / "CURRENT").unlink(), "CURRENT is missing"),
    "CURRENT empty": (lambda f: (f / "CURRENT").write_bytes(b""), "CURRENT does not name a version"),
    "CURRENT binary garbage": (lambda f: (f / "CURRENT").write_bytes(os.urandom(200)), "CURRENT does not name"),
    "CURRENT ../ traversal": (lambda f: (f / "CURRENT").write_text("../../etc\n"), "CURRENT does not name"),
    "CURRENT absolute path": (lambda f: (f / "CURRENT").write_text(str(version(f)) + "\n"), "CURRENT does not"),
    "CURRENT names a missing folder": (lambda f: (f / "CURRENT").write_text("v-20000101T000000-deadbeef\n"),
                                       "v-20000101T000000-deadbeef is missing"),
    "CURRENT 10 GB": (lambda f: huge(f / "CURRENT"), "CURRENT is too large"),
    "CURRENT a folder": (lambda f: replace_by_folder(f / "CURRENT"), "CURRENT is a folder"),
    "CURRENT a symlink": (lambda f: symlink_elsewhere(f / "CURRENT"), "CURRENT is a symbolic link"),
    "CURRENT a FIFO": (lambda f: replace_by_fifo(f / "CURRENT"), "CURRENT is not a regular file"),
    # the version folder
    "version folder a file": (lambda f: replace_by_file(version(f)), "is not a folder"),
    "version folder a symlink": (lambda f: symlink_elsewhere(version(f)), "is a symbolic link"),
    "version folder emptied": (lambda f: [p.unlink() for p in version(f).iterdir()], "meta.json is missing"),
    # meta.json
    "meta.json truncated": (lambda f: truncate(version(f) / "meta.json"), "meta.json is not valid JSON"),
    "meta.json zero bytes": (lambda f: (version(f) / "meta.json").write_bytes(b""), "not valid JSON"),
    "meta.json a JSON list": (lambda f: (version(f) / "meta.json").write_text("[1, 2]"), "is not a JSON object"),
    "meta.json nested 100k deep": (lambda f: (version(f) / "meta.json").write_text("[" * 100_000), "valid JSON"),
    "meta.json of another model": (lambda f: edit_meta(f, model="another-model"), "for model 'another-model'"),
    "meta.json of another dimension": (lambda f: edit_meta(f, dim=768), "of dimension 768"),
    "meta.json dimension true": (lambda f: edit_meta(f, dim=True), "of dimension True"),
    "meta.json one id short": (lambda f: edit_meta(f, ids=json.loads((version(f) / "meta.json").read_text())
                                                   ["ids"][:-1]), "do not match its"),
    "meta.json of format 1": (lambda f: edit_meta(f, format=1, files=None), "of format 1"),
    "meta.json without checksums": (lambda f: edit_meta(f, files=None), "size and checksum"),
    "meta.json unknown kind": (lambda f: edit_meta(f, kind="annoy"), "unknown index kind"),
    "meta.json 10 GB": (lambda f: huge(version(f) / "meta.json"), "meta.json is too large"),
    "meta.json a folder": (lambda f: replace_by_folder(version(f) / "meta.json"), "meta.json is a folder"),
    # vectors.npy
    "vectors truncated": (lambda f: truncate(version(f) / "vectors.npy"), "vectors.npy has"),
    "vectors zero bytes": (lambda f: (version(f) / "vectors.npy").write_bytes(b""), "vectors.npy has 0 bytes"),
    "vectors float64": (lambda f: edit_vectors(f, lambda v: v.astype(np.float64)), "vectors.npy is too large"),
    "vectors of another dimension": (lambda f: edit_vectors(f, lambda v: v[:, :10]), "vectors.npy has"),
    "vectors with NaN, same size": (lambda f: edit_vectors(f, nan_rows), "checksum differs"),
    "vectors of other listings, same size": (lambda f: edit_vectors(f, lambda v: v[::-1]), "checksum differs"),
    "vectors a pickled object array": (lambda f: edit_vectors(f, lambda v: np.array([{"a": 1}], dtype=object)),
                                       "vectors.npy has"),
    "vectors a symlink to /dev/zero": (lambda f: ((version(f) / "vectors.npy").unlink(),
                                                  (version(f) / "vectors.npy").symlink_to("/dev/zero")),
                                       "vectors.npy is a symbolic link"),
    "vectors a FIFO": (lambda f: replace_by_fifo(version(f) / "vectors.npy"), "not a regular file"),
    "vectors 10 GB": (lambda f: huge(version(f) / "vectors.npy"), "vectors.npy is too large"),
    # faiss.index
    "faiss truncated": (lambda f: truncate(version(f) / "faiss.index"), "faiss.index has"),
    "faiss deleted": (lambda f: (version(f) / "faiss.index").unlink(), "faiss.index is missing"),
    "faiss garbage, same size": (lambda f: (version(f) / "faiss.index").write_bytes(
        os.urandom((version(f) / "faiss.index").stat().st_size)), "checksum differs"),
    "faiss of another index": (foreign_faiss, "faiss.index is not the file that was saved"),
    "faiss 10 GB": (lambda f: huge(version(f) / "faiss.index"), "faiss.index is too large"),
    # the embedding cache (the index itself is sound: it is loaded, and refills the cache)
    "cache truncated (BadZipFile)": (lambda f: truncate(cache_file(f)), "not a readable cache (BadZipFile)"),
    "cache zero bytes": (lambda f: cache_file(f).write_bytes(b""), "not a readable cache"),
    "cache 10 GB of zeros": (lambda f: huge(cache_file(f)), "not a readable cache"),
    "cache a bit flipped": (lambda f: flip_bit(cache_file(f)), "not a readable cache (BadZipFile)"),
    "cache zip directory said to be 4 GB": (lambda f: patch_end_record(cache_file(f)), "implausibly large"),
    "cache compressed": (lambda f: rewrite_cache(f, compressed=True), "is compressed"),
    "cache of another dimension": (lambda f: rewrite_cache(f, dim=np.int64(768)), "another dimension"),
    "cache of another model": (lambda f: rewrite_cache(f, model=np.str_("another-model")), "another model"),
    "cache with NaN vectors": (lambda f: rewrite_cache(f, vectors=nan_rows(np.load(cache_file(f))["vectors"])),
                               "not numbers of unit length"),
    "cache keys one short": (lambda f: rewrite_cache(f, keys=np.load(cache_file(f))["keys"][:-1]), "not float32 of"),
    "cache keys a pickled object array": (lambda f: rewrite_cache(f, keys=np.array([{"k": 1}], dtype=object)),
                                          "unexpected layout"),
    "cache vectors float16": (lambda f: rewrite_cache(f, vectors=np.load(cache_file(f))["vectors"].astype(np.float16)),
                              "float16"),
    "cache a folder": (lambda f: replace_by_folder(cache_file(f)), "is a folder"),
    "cache folder a file": (lambda f: replace_by_file(f / "cache"), "cache is not a folder"),
    "cache a symlink": (lambda f: symlink_elsewhere(cache_file(f)), "is a symbolic link"),
    # the folder itself, and its lock
    "index folder a file": (lambda f: replace_by_file(f), "the index folder is not a folder"),
    "lock a folder, CURRENT garbage": (lambda f: (replace_by_folder(f / ".lock"), (f / "CURRENT").write_text("junk")),
                                       "CURRENT does not name"),
}
CACHE_ONLY = {k for k in DAMAGE if k.startswith("cache")}
# a representative few also through the real CLI, one subprocess each (~8 s of model loading)
BY_CLI = ["cache truncated (BadZipFile)", "CURRENT ../ traversal", "vectors 10 GB"]  # and `index` below


class RememberingEmbedder:
    """The real model, remembering each batch it encoded: every open of the recommender encodes the
    same domain descriptions, which costs about a second on a busy 2-core machine; the vectors are
    the model's own either way."""

    def __init__(self, real):
        self.real, self.name, self.dim = real, real.name, real.dim
        self._seen: dict[tuple[str, ...], np.ndarray] = {}

    def encode(self, texts, progress=None, **options) -> np.ndarray:
        key = tuple(texts)
        if key not in self._seen:
            self._seen[key] = self.real.encode(list(texts), progress=progress, **options)
        return self._seen[key].copy()


@pytest.fixture(scope="module")
def model(embedder):
    return RememberingEmbedder(embedder)


@pytest.fixture(scope="module")
def good(tmp_path_factory, model):
    """A database, a good saved index of it, and the answer that index gives."""
    work = tmp_path_factory.mktemp("damage")
    db = str(work / "signpost.db")
    with Store(db) as store:
        store.import_resources(small_directory(), actor="test")
    with Recommender.open(db, index_dir=work / "good", embedder=model) as rec:
        answer = rec.recommend(PROFILE).to_json()
        assert rec.index.warnings == [] and rec.last_update.embedded == 11
    return db, work / "good", answer


def same_answer(got: dict, want: dict) -> bool:
    return ([r["id"] for r in got["results"]] == [r["id"] for r in want["results"]]
            and np.allclose([r["score"] for r in got["results"]], [r["score"] for r in want["results"]], atol=2e-3)
            and got["excluded"] == want["excluded"] and got["near_misses"] == want["near_misses"])


def damaged_copy(good, tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "index"
    shutil.copytree(good[1], folder, symlinks=True)
    DAMAGE[kind][0](folder)
    return folder


def assert_sound_and_not_rebuilt_again(db: str, folder: Path, model) -> None:
    pointer = (folder / "CURRENT").read_text()
    with Recommender.open(db, index_dir=folder, embedder=model) as again:
        assert again.index.warnings == []
        assert again.last_update.embedded == 0 and not again.last_update.rebuilt
        assert len(again.index.cache) == 11 and not again.index.cache.dirty
    assert (folder / "CURRENT").read_text() == pointer  # nothing needed saving


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_absent_rebuilt_and_said(good, tmp_path, model, kind):
    db, _, answer = good
    folder = damaged_copy(good, tmp_path, kind)
    pointer = (folder / "CURRENT").read_text() if kind in CACHE_ONLY else None
    with Recommender.open(db, index_dir=folder, embedder=model) as rec:
        assert same_answer(rec.recommend(PROFILE).to_json(), answer)
        assert len(rec.index.warnings) == 1, rec.index.warnings
        assert DAMAGE[kind][1] in rec.index.warnings[0] and rec.index.warnings[0].endswith("; rebuilt")
        assert rec.last_update.embedded == 0  # the cache, or the vectors shared in the database, spared the model
    if pointer is not None:  # only the cache was damaged: the index was loaded, not rebuilt
        assert (folder / "CURRENT").read_text() == pointer
    assert_sound_and_not_rebuilt_again(db, folder, model)


def test_stray_files_are_ignored_without_a_word(good, tmp_path, model):
    db, _, answer = good
    folder = damaged_copy(good, tmp_path, "cache zero bytes")
    shutil.copyfile(cache_file(good[1]), cache_file(folder))
    huge(folder / "notes.bin")
    (folder / "v-not-a-version").mkdir()
    (folder / ".tmp-v-abandoned").mkdir()
    (folder / "cache" / "other-model.npz").write_bytes(b"junk")
    pointer = (folder / "CURRENT").read_text()
    with Recommender.open(db, index_dir=folder, embedder=model) as rec:
        assert rec.index.warnings == [] and same_answer(rec.recommend(PROFILE).to_json(), answer)
    assert (folder / "CURRENT").read_text() == pointer


def test_a_save_that_cannot_be_made_is_a_warning_not_a_crash(good, tmp_path, model):
    db, _, answer = good
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the index folder's parent should be")
    with Recommender.open(db, index_dir=blocker / "index", embedder=model) as rec:
        assert same_answer(rec.recommend(PROFILE).to_json(), answer)
        assert len(rec.index.warnings) == 1 and "could not be saved" in rec.index.warnings[0]


def cli(db: str, folder: Path, *command: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               SIGNPOST_INDEX_DIR=str(folder))
    return subprocess.run([sys.executable, "-m", "cli", "--db", db, *command],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def the_warning(done: subprocess.CompletedProcess, folder: Path, kind: str) -> None:
    assert done.returncode == 0, done.stderr[-2000:]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: index {folder}: ")
    assert DAMAGE[kind][1] in warnings[0] and warnings[0].endswith("; rebuilt")


@pytest.mark.parametrize("kind", BY_CLI)
def test_damage_through_the_cli_match(good, tmp_path, model, kind):
    db, _, answer = good
    folder = damaged_copy(good, tmp_path, kind)
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(PROFILE))
    done = cli(db, folder, "match", str(profile), "--json")
    the_warning(done, folder, kind)
    assert same_answer(json.loads(done.stdout), answer)
    assert "bills" not in done.stderr  # the profile is never echoed
    if kind == BY_CLI[0]:  # a second run in its own process: no warning, nothing embedded or saved
        pointer = (folder / "CURRENT").read_text()
        again = cli(db, folder, "match", str(profile), "--json")
        assert again.returncode == 0 and "warning" not in again.stderr and "embedded" not in again.stderr
        assert same_answer(json.loads(again.stdout), answer) and (folder / "CURRENT").read_text() == pointer
    assert_sound_and_not_rebuilt_again(db, folder, model)


def test_damage_through_the_cli_index(good, tmp_path, model):
    db = good[0]
    folder = damaged_copy(good, tmp_path, "meta.json a JSON list")
    done = cli(db, folder, "index")
    the_warning(done, folder, "meta.json a JSON list")
    assert re.search(r"\b0 embedded, 11 added\b.*\b11 indexed\b", done.stderr)  # rebuilt; the cache spared the model
    assert_sound_and_not_rebuilt_again(db, folder, model)
