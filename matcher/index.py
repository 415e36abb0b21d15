"""The FAISS index over listing embeddings, and everything about its life: build, update, search, save, load.

One `ListingIndex` per (directory, model). It is saved beside the database (`var/signpost.db` →
`var/signpost.index/`; a database URL → `var/index-<hash of the URL>/`), tagged with the model
name, the dimension, the directory version and every listing's content hash, so a stale index is
brought up to date (only changed listings re-embedded) and an index of another model is rebuilt,
never used silently. Saving is atomic: a complete new version folder is written aside and then
named current by one `os.replace` of a small pointer file; a crash mid-save leaves the old one.

Labels (FAISS ids) are append-only: a changed listing gets a new label and its old one becomes a
tombstone that no search can return (searches are restricted to the labels the caller allows);
the index is rebuilt compactly when tombstones pass a quarter of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from directory.store import DEFAULT_DB, sqlite_path

from .snapshot import Snapshot

FORMAT = 1
INDEX_DIR_ENV = "SIGNPOST_INDEX_DIR"
# Above this many listings a flat (exact) scan is too slow for the latency target, so the index
# becomes IVF. 50_000: bench/speed.py measured one flat search with a selector at ~10 ms for 100k
# and ~97 ms for 1M listings (dim 384, 2 cores), against a 20-30 ms budget for the whole match of
# which the query embedding alone takes ~13 ms; see bench/README.md.
FLAT_MAX_LISTINGS = 50_000
# IVF rather than HNSW for large directories: bench/speed.py built IVF over 1M vectors in ~12 s,
# where HNSW (M=16, efConstruction=40) took ~13 s per 100k, i.e. minutes for 1M.
IVF_TRAIN_MAX = 100_000
IVF_NPROBE = 32
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 128
# When the allowed rows are this few, an exact scan of just those rows beats a filtered graph walk
# (and cannot miss): bench/speed.py.
EXACT_SUBSET_MAX = 20_000
REBUILD_DEAD_FRACTION = 0.25

Progress = Callable[[int, int], None]


@dataclass
class IndexUpdate:
    embedded: int = 0  # texts sent through the model (cache misses)
    added: int = 0  # listings indexed for the first time
    changed: int = 0  # listings whose text changed
    removed: int = 0  # listings retired or deleted since the last update
    total: int = 0  # listings in the index now
    rebuilt: bool = False

    def __str__(self) -> str:
        return (f"{self.embedded} embedded, {self.added} added, {self.changed} changed, "
                f"{self.removed} removed, {self.total} indexed")


def index_dir_for(url: str) -> Path:
    """Where the index of a database lives: beside an SQLite file, else var/index-<hash of URL>."""
    override = os.environ.get(INDEX_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    path = sqlite_path(url)
    if path is not None:
        return path.with_suffix(".index")
    return DEFAULT_DB.parent / f"index-{hashlib.sha256(url.encode()).hexdigest()[:16]}"


def _sync(fh) -> None:
    """Push an open file's bytes to the disk."""
    fh.flush()
    os.fsync(fh.fileno())


def _sync_path(path: Path) -> None:
    """fsync a file or a folder by name (a folder: so that a rename inside it survives a power cut)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


class EmbeddingCache:
    """Vectors by (model, text hash), kept beside the index so unchanged text is never embedded again."""

    def __init__(self, model: str, dim: int, path: Path | None = None):
        self.model, self.dim, self.path = model, dim, path
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        if path is not None and path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    if int(data["dim"]) == dim and str(data["model"]) == model:
                        keys = [str(k) for k in data["keys"]]
                        self._vectors = np.ascontiguousarray(data["vectors"], dtype=np.float32)
                        self._rows = {k: i for i, k in enumerate(keys)}
            except (OSError, KeyError, ValueError):
                self._rows = {}  # an unreadable cache is an empty cache: it only costs time

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def get(self, keys: list[str]) -> np.ndarray:
        return self._vectors[[self._rows[k] for k in keys]] if keys else np.zeros((0, self.dim), np.float32)

    def put(self, keys: list[str], vectors: np.ndarray) -> None:
        new = [k for k in keys if k not in self._rows]
        if not new:
            return
        pos = {k: i for i, k in enumerate(keys)}
        start = len(self._vectors)
        self._vectors = np.concatenate([self._vectors, vectors[[pos[k] for k in new]]])
        for i, k in enumerate(new):
            self._rows[k] = start + i

    def prune(self, keep: set[str]) -> None:
        kept = [k for k in self._rows if k in keep]
        if len(kept) == len(self._rows):
            return
        self._vectors = self.get(kept)
        self._rows = {k: i for i, k in enumerate(kept)}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        keys = np.array(list(self._rows), dtype="U64")
        with open(tmp, "wb") as fh:
            np.savez(fh, keys=keys, vectors=self._vectors, dim=np.int64(self.dim), model=np.str_(self.model))
            _sync(fh)
        os.replace(tmp, self.path)
        _sync_path(self.path.parent)


class ListingIndex:
    """FAISS inner-product index over unit vectors of active listings, with its bookkeeping."""

    def __init__(self, model: str, dim: int, directory: str | os.PathLike | None = None, kind: str | None = None):
        """`kind`: "flat", "ivf" or "hnsw" to force one; None chooses by size (FLAT_MAX_LISTINGS)."""
        self.model, self.dim = model, int(dim)
        self.directory = Path(directory) if directory is not None else None
        self.fixed_kind = kind
        self.kind = kind or "flat"
        self.directory_version: int | None = None
        self.ids: list[str | None] = []  # by label; None = tombstone
        self.content_hashes: list[str] = []
        self.text_hashes: list[str] = []
        self.label_of: dict[str, int] = {}
        self.vectors = np.zeros((0, self.dim), dtype=np.float32)  # by label
        self._faiss: faiss.Index = self._new_faiss(self.kind)
        self.cache = EmbeddingCache(model, self.dim, self._cache_path())

    # ---- facts ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.label_of)

    @property
    def dead(self) -> int:
        return len(self.ids) - len(self.label_of)

    def _cache_path(self) -> Path | None:
        return None if self.directory is None else self.directory / "cache" / f"{_slug(self.model)}.npz"

    def is_current(self, snapshot: Snapshot) -> bool:
        """True when the index holds exactly the snapshot's active listings as they are now."""
        if self.directory_version != snapshot.version:
            return False
        want = {rid: h for rid, h, a in zip(snapshot.ids, snapshot.content_hashes, snapshot.active, strict=True) if a}
        return want.keys() == self.label_of.keys() and all(
            self.content_hashes[self.label_of[rid]] == h for rid, h in want.items())

    def labels_for(self, snapshot: Snapshot) -> np.ndarray:
        """int64 label of each snapshot row; -1 for a row the index does not hold (inactive)."""
        get = self.label_of.get
        return np.fromiter((get(rid, -1) for rid in snapshot.ids), dtype=np.int64, count=len(snapshot))

    # ---- building --------------------------------------------------------------------------------
    def _choose_kind(self, n: int) -> str:
        return self.fixed_kind or ("flat" if n <= FLAT_MAX_LISTINGS else "ivf")

    def _new_faiss(self, kind: str, n: int = 0) -> faiss.Index:
        if kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        if kind == "ivf":
            nlist = int(min(16384, max(16, 4 * np.sqrt(max(n, 1)))))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.nprobe = IVF_NPROBE
            return index
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return index
        raise ValueError(f"unknown index kind {kind!r}; use flat, ivf or hnsw")

    def _append(self, ids: list[str], content_hashes: list[str], text_hashes: list[str], vectors: np.ndarray) -> None:
        for rid in ids:
            old = self.label_of.get(rid)
            if old is not None:
                self.ids[old] = None
        start = len(self.ids)
        self.ids.extend(ids)
        self.content_hashes.extend(content_hashes)
        self.text_hashes.extend(text_hashes)
        for i, rid in enumerate(ids):
            self.label_of[rid] = start + i
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.vectors = np.concatenate([self.vectors, vectors]) if len(self.vectors) else vectors.copy()
        if not self._faiss.is_trained:  # IVF: learn the cells from (a sample of) the first vectors
            self._faiss = self._new_faiss(self.kind, len(vectors))
            rng = np.random.default_rng(0)
            sample = vectors if len(vectors) <= IVF_TRAIN_MAX else vectors[rng.choice(len(vectors), IVF_TRAIN_MAX,
                                                                                      replace=False)]
            self._faiss.train(sample)
        self._faiss.add(vectors)

    def _rebuild(self) -> None:
        """Compact: drop tombstones, renumber labels, choose the index kind for the size."""
        live = [lab for lab, rid in enumerate(self.ids) if rid is not None]
        ids = [self.ids[lab] for lab in live]
        ch = [self.content_hashes[lab] for lab in live]
        th = [self.text_hashes[lab] for lab in live]
        vecs = self.vectors[live] if live else np.zeros((0, self.dim), np.float32)
        self.kind = self._choose_kind(len(live))
        self._faiss = self._new_faiss(self.kind, len(live))
        self.ids, self.content_hashes, self.text_hashes, self.label_of = [], [], [], {}
        self.vectors = np.zeros((0, self.dim), dtype=np.float32)
        if ids:
            self._append(ids, ch, th, vecs)

    def add_vectors(self, ids: list[str], content_hashes: list[str], text_hashes: list[str],
                    vectors: np.ndarray, version: int | None = None) -> None:
        """Put given vectors in directly (benchmarks with synthetic vectors; tests)."""
        self._append(list(ids), list(content_hashes), list(text_hashes), vectors)
        if self._choose_kind(len(self)) != self.kind or self.dead > REBUILD_DEAD_FRACTION * max(len(self.ids), 1):
            self._rebuild()
        if version is not None:
            self.directory_version = version

    def update(self, snapshot: Snapshot, embedder, progress: Progress | None = None) -> IndexUpdate:
        """Bring the index to the snapshot: embed only text the cache has not seen, drop retired listings."""
        if embedder.name != self.model or embedder.dim != self.dim:
            raise ValueError(f"index is for model {self.model} (dim {self.dim}), not {embedder.name}")
        result = IndexUpdate()
        want: dict[str, int] = {rid: i for i, rid in enumerate(snapshot.ids) if snapshot.active[i]}
        for rid in list(self.label_of):
            if rid not in want:
                self.ids[self.label_of.pop(rid)] = None
                result.removed += 1
        todo: list[int] = []
        for rid, row in want.items():
            lab = self.label_of.get(rid)
            if lab is None:
                result.added += 1
                todo.append(row)
            elif self.text_hashes[lab] != snapshot.text_hashes[row]:
                result.changed += 1
                todo.append(row)
            elif self.content_hashes[lab] != snapshot.content_hashes[row]:
                self.content_hashes[lab] = snapshot.content_hashes[row]  # same text: nothing to embed
        missing = sorted({snapshot.text_hashes[r] for r in todo if snapshot.text_hashes[r] not in self.cache})
        if missing:
            text_of = {snapshot.text_hashes[r]: snapshot.texts[r] for r in todo}
            vectors = embedder.encode([text_of[h] for h in missing], progress=progress)
            self.cache.put(missing, vectors)
            result.embedded = len(missing)
        if todo:
            self._append([snapshot.ids[r] for r in todo], [snapshot.content_hashes[r] for r in todo],
                         [snapshot.text_hashes[r] for r in todo],
                         self.cache.get([snapshot.text_hashes[r] for r in todo]))
        if self.dead > REBUILD_DEAD_FRACTION * max(len(self.ids), 1) or self._choose_kind(len(self)) != self.kind:
            self._rebuild()
            result.rebuilt = True
        self.directory_version = snapshot.version
        self.cache.prune(set(snapshot.text_hashes))
        result.total = len(self)
        return result

    # ---- search ----------------------------------------------------------------------------------
    def search(self, queries: np.ndarray, allowed: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k labels by inner product among `allowed` labels only, per query: (scores, labels), -1 padded."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        allowed = np.asarray(allowed, dtype=np.int64)
        k = int(min(k, len(allowed)))
        if k <= 0:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        if len(allowed) <= EXACT_SUBSET_MAX and self.kind != "flat":
            sims = queries @ self.vectors[allowed].T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            top_s = np.take_along_axis(sims, top, axis=1)
            order = np.argsort(-top_s, axis=1)
            return np.take_along_axis(top_s, order, axis=1), allowed[np.take_along_axis(top, order, axis=1)]
        bits = np.zeros(len(self.ids), dtype=bool)
        bits[allowed] = True
        bitmap = np.packbits(bits, bitorder="little")
        selector = faiss.IDSelectorBitmap(bitmap)
        fraction = len(allowed) / max(len(self.ids), 1)
        if self.kind == "hnsw":
            ef = int(min(2048, max(HNSW_EF_SEARCH, 2 * k / max(fraction, 1e-6))))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
        elif self.kind == "ivf":
            # fewer allowed rows → fewer hits per cell → visit more cells (up to 4x)
            nprobe = int(min(self._faiss.nlist, IVF_NPROBE * min(4.0, max(1.0, 0.25 / max(fraction, 1e-6)))))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        else:
            params = faiss.SearchParameters(sel=selector)
        # One thread: a query is a handful of vectors, and FAISS's OpenMP workers left spinning after a
        # parallel search slow the next query embedding by half (bench/speed.py, 2 cores).
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, labels = self._faiss.search(queries, k, params=params)
        finally:
            faiss.omp_set_num_threads(threads)
        del bitmap  # kept alive until here: FAISS reads it during the search
        return scores, labels

    # ---- persistence -----------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike | None = None) -> Path:
        """Write a complete new version aside, then make it current with one atomic rename."""
        root = Path(directory) if directory is not None else self.directory
        if root is None:
            raise ValueError("no directory to save the index in")
        root.mkdir(parents=True, exist_ok=True)
        name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        tmp = root / f".tmp-{name}"
        tmp.mkdir()
        meta = {
            "format": FORMAT, "model": self.model, "dim": self.dim, "kind": self.kind,
            "directory_version": self.directory_version,
            "ids": self.ids, "content_hashes": self.content_hashes, "text_hashes": self.text_hashes,
        }
        # Each file reaches the disk (fsync) before the folder is renamed and named CURRENT, and each
        # rename is made durable (fsync of the folder): a crash or power cut at any point leaves
        # CURRENT naming a complete version, the old one or the new one, never a torn mix.
        with open(tmp / "vectors.npy", "wb") as fh:
            np.save(fh, self.vectors)
            _sync(fh)
        faiss.write_index(self._faiss, str(tmp / "faiss.index"))
        _sync_path(tmp / "faiss.index")
        with open(tmp / "meta.json", "w", encoding="utf-8") as fh:
            json.dump(meta, fh)
            _sync(fh)
        _sync_path(tmp)
        os.rename(tmp, root / name)
        pointer = root / f".CURRENT.{uuid.uuid4().hex}"
        with open(pointer, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            _sync(fh)
        os.replace(pointer, root / "CURRENT")
        _sync_path(root)
        self.directory = root
        self.cache.path = self._cache_path()
        self.cache.save()
        self._clean(root, keep=name)
        return root / name

    @staticmethod
    def _clean(root: Path, keep: str) -> None:
        """Remove older versions and leftovers of interrupted saves (keep the previous one for readers)."""
        versions = sorted(p for p in root.glob("v-*") if p.is_dir() and p.name != keep)
        for old in versions[:-1]:
            shutil.rmtree(old, ignore_errors=True)
        for tmp in root.glob(".tmp-v-*"):
            if time.time() - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: str | os.PathLike, model: str, dim: int) -> ListingIndex | None:
        """The saved index for `model`, or None when there is none or it belongs to another model."""
        root = Path(directory)
        for _ in range(3):
            try:
                name = (root / "CURRENT").read_text(encoding="utf-8").strip()
            except OSError:
                return None
            try:
                return cls._read(root, name, model, dim)
            except (OSError, ValueError, RuntimeError):
                # Another process's save may have removed this version since CURRENT was read
                # (it keeps only the newest two): read CURRENT again. Otherwise it is unreadable.
                try:
                    if (root / "CURRENT").read_text(encoding="utf-8").strip() != name:
                        continue
                except OSError:
                    pass
                return None
        return None

    @classmethod
    def _read(cls, root: Path, name: str, model: str, dim: int) -> ListingIndex | None:
        with open(root / name / "meta.json", encoding="utf-8") as fh:
            meta = json.load(fh)
        if meta.get("format") != FORMAT or meta.get("model") != model or int(meta.get("dim", -1)) != int(dim):
            return None
        index = cls(model, dim, root)
        index.kind = meta["kind"]
        index.directory_version = meta["directory_version"]
        index.ids = meta["ids"]
        index.content_hashes = meta["content_hashes"]
        index.text_hashes = meta["text_hashes"]
        index.label_of = {rid: lab for lab, rid in enumerate(index.ids) if rid is not None}
        index.vectors = np.load(root / name / "vectors.npy")
        index._faiss = faiss.read_index(str(root / name / "faiss.index"))
        if index.kind == "hnsw":
            index._faiss.hnsw.efSearch = HNSW_EF_SEARCH
        elif index.kind == "ivf":
            index._faiss.nprobe = IVF_NPROBE
        if index._faiss.ntotal != len(index.ids) or index.vectors.shape != (len(index.ids), dim):
            return None
        return index
