"""The FAISS index over listing embeddings, and everything about its life: build, update, search, save, load.

One `ListingIndex` per (directory, model). It is saved beside the database (`var/signpost.db` →
`var/signpost.index/`; a database URL → `var/index-<hash of the URL>/`), tagged with the model
name, the dimension, the directory version and every listing's content hash, so a stale index is
brought up to date (only changed listings re-embedded) and an index of another model is rebuilt,
never used silently. Saving is atomic: a complete new version folder is written aside and then
named current by one `os.replace` of a small pointer file; a crash mid-save leaves the old one.
Anything in the folder that is damaged, partial or foreign is treated as absent: the index is
rebuilt from the database (the embedding cache spares the model), and `warnings` says what was
wrong. How the folder is read, written and locked is `matcher.index_files`.

Labels (FAISS ids) are append-only: a changed listing gets a new label and its old one becomes a
tombstone that no search can return (searches are restricted to the labels the caller allows);
the index is rebuilt compactly when tombstones pass a quarter of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from directory.store import DEFAULT_DB, sqlite_path

from . import index_files as files
from .shared_vectors import SharedVectors
from .snapshot import Snapshot
from .vector_store import append_rows, save_npy

# 2: meta.json records each file's size and checksum, so a damaged or foreign file is never used.
FORMAT = 2
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
# Above this many listings no embedding cache is kept beside an index whose directory has the shared
# table (matcher.shared_vectors): at 1M listings it would hold a third 1.5 GB copy of the vectors.
CACHE_MAX_LISTINGS = 50_000
# Distinct texts read from (or embedded into) the shared table at a time when there is no cache.
SHARED_CHUNK = 50_000
# "ivf-sq8": IVF cells holding 8-bit scalar-quantised codes (384 bytes a vector, not 1,536): the index
# only proposes candidates, every candidate is scored on the exact float32 vectors (`vectors`), and
# bench/speed.py --recall measured the final top 10 against a flat index's (bench/README.md). "ivf"
# (full float32 cells) is still read, and rebuilt as "ivf-sq8" by the next update.
KINDS = {"flat": faiss.IndexFlatIP, "ivf": faiss.IndexIVFFlat, "ivf-sq8": faiss.IndexIVFScalarQuantizer,
         "hnsw": faiss.IndexHNSWFlat}
IVF_KINDS = ("ivf", "ivf-sq8")
LARGE_KIND = "ivf-sq8"
# meta.json holds ~230 bytes a listing (id and two hashes): 1 GiB is over 4 million listings.
META_MAX = 1 << 30
# A save may retire the version a reader is loading (it keeps only the current and the previous
# one); the reader then reads CURRENT again, this many times at most.
LOAD_ATTEMPTS = 10

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


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _what(err: Exception, rel: str) -> str:
    """What was wrong, for a warning: a Damaged says it; anything else is named by its type."""
    if isinstance(err, files.Damaged):
        return str(err)
    return f"{rel} cannot be read ({type(err).__name__}: {str(err)[:120]})"


class EmbeddingCache:
    """Vectors by (model, text hash), kept beside the index so unchanged text is never embedded again.

    An unreadable cache is an empty cache: it only costs time. `dirty`: it differs from its file."""

    def __init__(self, model: str, dim: int, folder: Path | None = None, warn: Callable[[str], None] | None = None):
        self.model, self.dim, self.folder = model, dim, folder
        self.rel = f"cache/{_slug(model)}.npz"
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self.dirty = False
        self.enabled = True
        if folder is not None and folder.is_dir():  # (a folder that is not one: the index says so, once)
            try:
                self._read(folder)
            except files.Missing:
                pass
            except Exception as err:  # any failure at all: the cache is damaged, so absent
                self.dirty = True  # rewrite it, even if nothing new is embedded
                if warn is not None:
                    warn(f"embedding cache: {_what(err, self.rel)}")

    def _read(self, folder: Path) -> None:
        rel = self.rel
        got = files.read_npz(folder, rel, ("keys", "vectors", "dim", "model"))
        keys, vectors, dim, model = got["keys"], got["vectors"], got["dim"], got["model"]
        if dim.shape != () or dim.dtype.kind not in "iu" or int(dim) != self.dim:
            raise files.Damaged(f"{rel} holds vectors of another dimension, not {self.dim}")
        if model.shape != () or model.dtype.kind != "U" or str(model) != self.model:
            raise files.Damaged(f"{rel} holds vectors of another model, not {self.model}")
        if keys.ndim != 1 or keys.dtype.kind != "U" or len(set(keys.tolist())) != len(keys):
            raise files.Damaged(f"{rel} has keys that are not a list of distinct text hashes")
        if vectors.dtype != np.float32 or vectors.shape != (len(keys), self.dim):
            raise files.Damaged(f"{rel} holds {vectors.dtype} vectors of shape {vectors.shape}, "
                                f"not float32 of shape {(len(keys), self.dim)}")
        # the model's vectors are unit length; NaN, infinity or garbage fails this (zeros are let be)
        if len(vectors) and not np.all(np.einsum("ij,ij->i", vectors, vectors) <= 1.001):
            raise files.Damaged(f"{rel} holds vectors that are not numbers of unit length (NaN or damage)")
        self._vectors = vectors
        self._rows = {k: i for i, k in enumerate(keys.tolist())}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def drop(self) -> None:
        """Keep nothing, in memory or on disk, from now on: the database's shared table holds every
        vector (a large directory's cache would be a third copy of them; bench/memory.py)."""
        self.enabled = False
        self._rows, self._vectors, self.dirty = {}, np.zeros((0, self.dim), dtype=np.float32), False
        if self.folder is not None:
            files.remove(self.folder / self.rel)

    def get(self, keys: list[str]) -> np.ndarray:
        return self._vectors[[self._rows[k] for k in keys]] if keys else np.zeros((0, self.dim), np.float32)

    def put(self, keys: list[str], vectors: np.ndarray) -> None:
        if not self.enabled:
            return
        pos = {k: i for i, k in enumerate(keys)}  # a text twice in `keys` is kept once
        new = [k for k in pos if k not in self._rows]
        if not new:
            return
        start = len(self._vectors)
        self._vectors = np.concatenate([self._vectors, np.asarray(vectors, np.float32)[[pos[k] for k in new]]])
        for i, k in enumerate(new):
            self._rows[k] = start + i
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        kept = [k for k in self._rows if k in keep]
        if len(kept) == len(self._rows):
            return
        self._vectors = self.get(kept)
        self._rows = {k: i for i, k in enumerate(kept)}
        self.dirty = True

    def save(self) -> None:
        if self.folder is None or not self.enabled:
            return
        folder = self.folder / "cache"
        files.clear_way(folder, folder=True)
        folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / self.rel
        tmp = folder / f".{path.name}.{uuid.uuid4().hex}.tmp"
        keys = np.array(list(self._rows), dtype="U64")
        with open(tmp, "wb") as fh:
            np.savez(fh, keys=keys, vectors=self._vectors, dim=np.int64(self.dim), model=np.str_(self.model))
            files.sync_file(fh)
        files.clear_way(path, folder=False)
        os.replace(tmp, path)
        files.sync_path(folder)
        self.dirty = False


class SharedLock:
    """Many readers or one writer, reentrant for the thread that holds it, a waiting writer first.
    Searches read the index while a refresh changes it on another thread: FAISS does not allow an
    `add` during a search, and a compaction renumbers every label (`ListingIndex._rebuild`)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers: dict[int, int] = {}  # thread id → depth
        self._writer: int | None = None
        self._depth = 0
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if me not in self._readers and self._writer != me:
                while self._writer is not None or self._waiting:
                    self._cond.wait()
            self._readers[me] = self._readers.get(me, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                self._readers[me] -= 1
                if not self._readers[me]:
                    del self._readers[me]
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer != me:
                if me in self._readers:
                    raise RuntimeError("a thread reading the index cannot start changing it")
                self._waiting += 1
                try:
                    while self._writer is not None or self._readers:
                        self._cond.wait()
                finally:
                    self._waiting -= 1
                self._writer = me
            self._depth += 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if not self._depth:
                    self._writer = None
                    self._cond.notify_all()


class ListingIndex:
    """FAISS inner-product index over unit vectors of active listings, with its bookkeeping."""

    def __init__(self, model: str, dim: int, folder: str | os.PathLike | None = None, kind: str | None = None):
        """`folder`: where it is saved (None: in memory only). `kind`: "flat", "ivf" or "hnsw" to force
        one; None chooses by size (FLAT_MAX_LISTINGS)."""
        self.model, self.dim = model, int(dim)
        self.folder = Path(folder) if folder is not None else None
        self.warnings: list[str] = []  # what was wrong with the folder, one line each, for the user
        self.fixed_kind = kind
        self.kind = kind or "flat"
        self.directory_version: int | None = None
        self.ids: list[str | None] = []  # by label; None = tombstone
        self.content_hashes: list[str] = []
        self.text_hashes: list[str] = []
        self.label_of: dict[str, int] = {}
        self.vectors = np.zeros((0, self.dim), dtype=np.float32)  # by label
        self._faiss: faiss.Index = self._new_faiss(self.kind)
        self._unsaved = True  # the folder does not hold this index as it is now
        self.cache = EmbeddingCache(model, self.dim, self.folder, warn=self._warn)
        # Searches hold `lock` to read, changes of the vectors or FAISS to write; `generation` moves
        # when labels are renumbered, so a reader holding labels from before knows they are stale.
        self.lock = SharedLock()
        self.generation = 0

    def _warn(self, what: str) -> None:
        self.warnings.append(f"index {self.folder}: {what}; rebuilt")

    # ---- facts ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.label_of)

    @property
    def dead(self) -> int:
        return len(self.ids) - len(self.label_of)

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
        return self.fixed_kind or ("flat" if n <= FLAT_MAX_LISTINGS else LARGE_KIND)

    def _new_faiss(self, kind: str, n: int = 0) -> faiss.Index:
        if kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        if kind in IVF_KINDS:
            nlist = int(min(16384, max(16, 4 * np.sqrt(max(n, 1)))))
            if kind == "ivf":
                index = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
            else:
                index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(self.dim), self.dim, nlist,
                                                      faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
            index.nprobe = IVF_NPROBE
            return index
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return index
        raise ValueError(f"unknown index kind {kind!r}; use flat, ivf, ivf-sq8 or hnsw")

    def _append(self, ids: list[str], content_hashes: list[str], text_hashes: list[str], vectors: np.ndarray,
                owned: bool = False) -> None:
        """`owned`: `vectors` is a new array no one else holds, kept as it is (no copy at 1.5 GB)."""
        with self.lock.writing():
            self._append_locked(ids, content_hashes, text_hashes, vectors, owned)

    def _append_locked(self, ids: list[str], content_hashes: list[str], text_hashes: list[str], vectors: np.ndarray,
                       owned: bool) -> None:
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
        if len(self.vectors):
            self.vectors = append_rows(self.vectors, vectors)  # (the rows before are not copied)
        else:
            self.vectors = vectors if owned else vectors.copy()
        if not self._faiss.is_trained:  # IVF: learn the cells from (a sample of) the first vectors
            self._faiss = self._new_faiss(self.kind, len(vectors))
            rng = np.random.default_rng(0)
            sample = vectors if len(vectors) <= IVF_TRAIN_MAX else vectors[rng.choice(len(vectors), IVF_TRAIN_MAX,
                                                                                      replace=False)]
            self._faiss.train(sample)
        self._faiss.add(vectors)

    def _rebuild(self) -> None:
        """Compact: drop tombstones, renumber labels, choose the index kind for the size."""
        with self.lock.writing():
            self.generation += 1
            self._rebuild_locked()

    def _rebuild_locked(self) -> None:
        live = [lab for lab, rid in enumerate(self.ids) if rid is not None]
        ids = [self.ids[lab] for lab in live]
        ch = [self.content_hashes[lab] for lab in live]
        th = [self.text_hashes[lab] for lab in live]
        # no tombstones: the vectors are kept as they are, not copied (1.5 GB at 1M listings)
        whole = len(live) == len(self.ids) and isinstance(self.vectors, np.ndarray) and \
            not isinstance(self.vectors, np.memmap)
        vecs = self.vectors if whole else self.vectors[live] if live else np.zeros((0, self.dim), np.float32)
        self.kind = self._choose_kind(len(live))
        self._faiss = self._new_faiss(self.kind, len(live))
        self.ids, self.content_hashes, self.text_hashes, self.label_of = [], [], [], {}
        self.vectors = np.zeros((0, self.dim), dtype=np.float32)
        if ids:
            self._append(ids, ch, th, vecs, owned=True)

    def add_vectors(self, ids: list[str], content_hashes: list[str], text_hashes: list[str],
                    vectors: np.ndarray, version: int | None = None) -> None:
        """Put given vectors in directly (benchmarks with synthetic vectors; tests)."""
        self._unsaved = True
        self._append(list(ids), list(content_hashes), list(text_hashes), vectors)
        if self._choose_kind(len(self)) != self.kind or self.dead > REBUILD_DEAD_FRACTION * max(len(self.ids), 1):
            self._rebuild()
        if version is not None:
            self.directory_version = version

    def _fetch_vectors(self, missing: list[str], text_of: dict[str, str], embedder, progress: Progress | None,
                       shared: SharedVectors | None) -> tuple[dict[str, np.ndarray], int]:
        """Vectors of `missing` text hashes, also put in the cache: from the shared table when there is
        one (embedding only what no process has stored), else from the model; and texts embedded."""
        if shared is None:
            vecs = embedder.encode([text_of[h] for h in missing], progress=progress)
            self.cache.put(missing, vecs)
            return dict(zip(missing, vecs, strict=True)), len(missing)
        before = shared.embedded
        found = shared.embed_missing(missing, text_of.__getitem__, embedder.encode, progress)
        if self.cache.enabled:  # (not built for a disabled cache: at 1M listings it is a 1.5 GB copy)
            self.cache.put(missing, np.stack([found[h] for h in missing]))
        return found, shared.embedded - before

    def _shared_rows(self, hashes: list[str], text_of: dict[str, str], embedder, progress: Progress | None,
                     shared: SharedVectors) -> tuple[np.ndarray, int]:
        """One vector per entry of `hashes` (may repeat) from the shared table (embedding and storing
        what no process has), SHARED_CHUNK distinct texts at a time straight into one array: at 1M
        listings a dict of a million small arrays beside the stacked copy cost ~3 GB more
        (bench/memory.py). And how many texts were embedded."""
        distinct = list(dict.fromkeys(hashes))
        out = np.empty((len(distinct), self.dim), dtype=np.float32)
        before = shared.embedded
        for start in range(0, len(distinct), SHARED_CHUNK):
            part = distinct[start:start + SHARED_CHUNK]
            found = shared.embed_missing(part, text_of.__getitem__, embedder.encode, progress)
            for i, h in enumerate(part):
                out[start + i] = found[h]
            del found
        if len(distinct) != len(hashes):
            at = {h: i for i, h in enumerate(distinct)}
            out = out[np.fromiter((at[h] for h in hashes), dtype=np.int64, count=len(hashes))]
        return out, shared.embedded - before

    def update(self, snapshot: Snapshot, embedder, progress: Progress | None = None,
               shared: SharedVectors | None = None, rows: np.ndarray | None = None) -> IndexUpdate:
        """Bring the index to the snapshot: embed only text neither the cache nor `shared` (the vectors
        every process on the database shares) holds, drop retired listings. `rows`: the only snapshot
        rows that may differ from what the index holds (a refresh's changes); None compares every row."""
        if embedder.name != self.model or embedder.dim != self.dim:
            raise ValueError(f"index is for model {self.model} (dim {self.dim}), not {embedder.name}")
        result = IndexUpdate()
        if rows is not None:
            self._unsaved = True
            look = [int(r) for r in rows]
            want = {snapshot.ids[r]: r for r in look if snapshot.active[r]}
            gone = [snapshot.ids[r] for r in look if not snapshot.active[r] and snapshot.ids[r] in self.label_of]
        else:
            if not self.is_current(snapshot):
                self._unsaved = True
            want = {rid: i for i, rid in enumerate(snapshot.ids) if snapshot.active[i]}
            gone = [rid for rid in self.label_of if rid not in want]
        for rid in gone:
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
        if shared is not None and len(snapshot) > CACHE_MAX_LISTINGS and self.cache.enabled:
            self.cache.drop()
        if not self.ids and todo and self._choose_kind(len(todo)) != self.kind:
            # a first build: made as the kind its size needs at once, not as flat and then rebuilt (which
            # held a flat copy and a rebuilt copy of every vector beside the index's own)
            with self.lock.writing():
                self.kind = self._choose_kind(len(todo))
                self._faiss = self._new_faiss(self.kind, len(todo))
        if todo and shared is not None and not self.cache.enabled:  # a large directory: no dict of vectors
            hashes = [snapshot.text_hashes[r] for r in todo]
            text_of = {snapshot.text_hashes[r]: snapshot.texts[r] for r in todo}
            vectors, result.embedded = self._shared_rows(hashes, text_of, embedder, progress, shared)
            del text_of
            self._append([snapshot.ids[r] for r in todo], [snapshot.content_hashes[r] for r in todo], hashes, vectors,
                         owned=True)
            todo = []
        missing = sorted({snapshot.text_hashes[r] for r in todo if snapshot.text_hashes[r] not in self.cache})
        fresh: dict[str, np.ndarray] = {}
        if missing:
            text_of = {snapshot.text_hashes[r]: snapshot.texts[r] for r in todo}
            fresh, result.embedded = self._fetch_vectors(missing, text_of, embedder, progress, shared)
        if todo:
            hashes = [snapshot.text_hashes[r] for r in todo]
            vectors = self.cache.get(hashes) if self.cache.enabled else np.stack([fresh[h] for h in hashes])
            del fresh
            self._append([snapshot.ids[r] for r in todo], [snapshot.content_hashes[r] for r in todo], hashes, vectors,
                         owned=True)
        if self.dead > REBUILD_DEAD_FRACTION * max(len(self.ids), 1) or self._choose_kind(len(self)) != self.kind:
            self._rebuild()
            result.rebuilt = True
        self.directory_version = snapshot.version
        if rows is None:  # (a refresh leaves old texts in the cache until the next full update)
            self.cache.prune(set(snapshot.text_hashes))
        result.total = len(self)
        return result

    # ---- search ----------------------------------------------------------------------------------
    def search(self, queries: np.ndarray, allowed: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k labels by inner product among `allowed` labels only, per query: (scores, labels), -1 padded."""
        allowed = np.asarray(allowed, dtype=np.int64)
        return self._search(queries, allowed, None, len(allowed), k)

    def search_mask(self, queries: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """`search` among the labels where `mask` (bool, one per label) is True: at a million listings
        the mask goes to FAISS as it is, where a list of labels is scattered into one first."""
        return self._search(queries, None, mask, int(np.count_nonzero(mask)), k)

    def _search(self, queries: np.ndarray, allowed: np.ndarray | None, bits: np.ndarray | None, count: int,
                k: int) -> tuple[np.ndarray, np.ndarray]:
        with self.lock.reading():
            return self._search_locked(queries, allowed, bits, count, k)

    def _search_locked(self, queries: np.ndarray, allowed: np.ndarray | None, bits: np.ndarray | None, count: int,
                       k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = int(min(k, count))
        if k <= 0:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        if count <= EXACT_SUBSET_MAX and self.kind != "flat":
            if allowed is None:
                allowed = np.flatnonzero(bits)
            sims = queries @ self.vectors[allowed].T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            top_s = np.take_along_axis(sims, top, axis=1)
            order = np.argsort(-top_s, axis=1)
            return np.take_along_axis(top_s, order, axis=1), allowed[np.take_along_axis(top, order, axis=1)]
        if bits is None:
            bits = np.zeros(len(self.ids), dtype=bool)
            bits[allowed] = True
        bitmap = np.packbits(bits, bitorder="little")
        selector = faiss.IDSelectorBitmap(bitmap)
        fraction = count / max(len(self.ids), 1)
        if self.kind == "hnsw":
            ef = int(min(2048, max(HNSW_EF_SEARCH, 2 * k / max(fraction, 1e-6))))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
        elif self.kind in IVF_KINDS:
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
    def save(self, folder: str | os.PathLike | None = None) -> Path:
        """Write a complete new version aside; then, under the folder's save lock, make it current with
        one atomic rename and retire all versions but it and the one before (`index_files.publish`)."""
        root = Path(folder) if folder is not None else self.folder
        if root is None:
            raise ValueError("no folder to save the index in")
        files.prepare_root(root)
        tmp = root / f".tmp-v-{uuid.uuid4().hex}"
        tmp.mkdir()
        # Each file reaches the disk (fsync) before the folder is renamed and named CURRENT, and each
        # rename is made durable (fsync of the folder): a crash or power cut at any point leaves
        # CURRENT naming a complete version, the old one or the new one, never a torn mix.
        try:
            with open(tmp / "vectors.npy", "wb") as fh:
                save_npy(fh, self.vectors)
                files.sync_file(fh)
            faiss.write_index(self._faiss, str(tmp / "faiss.index"))
            files.sync_path(tmp / "faiss.index")
            meta = {
                "format": FORMAT, "model": self.model, "dim": self.dim, "kind": self.kind,
                "directory_version": self.directory_version,
                "ids": self.ids, "content_hashes": self.content_hashes, "text_hashes": self.text_hashes,
                "files": {n: list(files.file_crc(tmp / n)) for n in ("vectors.npy", "faiss.index")},
            }
            with open(tmp / "meta.json", "w", encoding="utf-8") as fh:
                json.dump(meta, fh)
                files.sync_file(fh)
            files.sync_path(tmp)
            name = files.publish(root, tmp)
        except Exception:
            files.remove(tmp)
            raise
        self.folder = self.cache.folder = root
        self.cache.save()
        self._unsaved = False
        return root / name

    def save_if_changed(self) -> bool:
        """Save when the folder does not hold this index as it is now (never saved, changed since, or its
        CURRENT gone); only the cache when only the cache changed. True when a version was written.
        A save that fails is a warning, not an error: the index in memory still answers."""
        if self.folder is None:
            return False
        try:
            if self._unsaved or self._pointer() is None:
                self.save()
                return True
            if self.cache.dirty:
                self.cache.save()
        except Exception as err:  # a full disk, a read-only folder: answer from memory all the same
            self.warnings.append(f"index {self.folder}: could not be saved ({type(err).__name__}: {err}); "
                                 "the next start builds it again")
        return False

    def _pointer(self) -> str | None:
        try:
            return files.read_pointer(self.folder)
        except Exception:
            return None

    @classmethod
    def open(cls, folder: str | os.PathLike, model: str, dim: int) -> ListingIndex:
        """The index saved in `folder`, or an empty one to build when there is none or it cannot be
        used; its `warnings` say what was wrong with the folder (nothing, when it is fine or new)."""
        problems: list[str] = []
        index = cls.load(folder, model, dim, warn=problems.append) or cls(model, dim, folder)
        index.warnings[:0] = [f"index {Path(folder)}: {p}; rebuilt" for p in problems]
        return index

    @classmethod
    def load(cls, folder: str | os.PathLike, model: str, dim: int,
             warn: Callable[[str], None] | None = None) -> ListingIndex | None:
        """The saved index for `model`, or None when there is none or it cannot be used: damaged,
        partial, foreign, or of another model. `warn` is told what was wrong (not when there is none)."""
        root = Path(folder)
        problem = ""
        for _ in range(LOAD_ATTEMPTS):
            try:
                name = files.read_pointer(root)
            except Exception as err:
                problem = _what(err, files.POINTER)
                break
            if name is None:
                return None
            try:
                return cls._read(root, name, model, dim)
            except Exception as err:  # whatever a damaged file provokes is damage
                problem = _what(err, name)
            # Another process's save may have retired this version since CURRENT was read: read
            # CURRENT again. When it still names the same version, that version is damaged.
            try:
                if files.read_pointer(root) != name:
                    continue
            except Exception:
                pass
            break
        if warn is not None and problem:
            warn(problem)
        return None

    @classmethod
    def _read(cls, root: Path, name: str, model: str, dim: int) -> ListingIndex:
        meta = files.checked_meta(files.read_all(root, f"{name}/meta.json", META_MAX), f"{name}/meta.json", model,
                                  dim, FORMAT, KINDS)
        n, kind = len(meta["ids"]), meta["kind"]
        rel = f"{name}/vectors.npy"
        vectors = files.map_npy(root, rel, *meta["files"]["vectors.npy"])
        if vectors.dtype != np.float32 or vectors.shape != (n, dim):
            raise files.Damaged(f"{rel} holds {vectors.dtype} vectors of shape {vectors.shape}, not {(n, dim)}")
        rel = f"{name}/faiss.index"
        found = faiss.deserialize_index(files.read_exact(root, rel, *meta["files"]["faiss.index"]))
        if (not isinstance(found, KINDS[kind]) or found.d != dim or found.ntotal != n or not found.is_trained
                or found.metric_type != faiss.METRIC_INNER_PRODUCT):
            raise files.Damaged(f"{rel} is not the {kind} index of {n} vectors its meta.json describes")
        if kind == "hnsw":
            found.hnsw.efSearch = HNSW_EF_SEARCH
        elif kind in IVF_KINDS:
            found.nprobe = IVF_NPROBE
        index = cls(model, dim, root)
        index.kind, index.directory_version = kind, meta["directory_version"]
        index.ids, index.content_hashes, index.text_hashes = meta["ids"], meta["content_hashes"], meta["text_hashes"]
        index.label_of = {rid: lab for lab, rid in enumerate(index.ids) if rid is not None}
        index.vectors, index._faiss, index._unsaved = vectors, found, False
        # A lost or damaged cache is refilled from the index's own vectors: nothing is embedded again.
        # (Not for a large index: its vectors are in the database's shared table, see `update`.)
        missing = [lab for lab in index.label_of.values() if index.text_hashes[lab] not in index.cache]
        if missing and n <= CACHE_MAX_LISTINGS:
            index.cache.put([index.text_hashes[lab] for lab in missing], vectors[missing])
        return index
