"""The prepared snapshot: a directory version's columns, inferred domains and support types and its
lexical index, saved beside the search index so that the next process opens it without parsing.

A cold open otherwise reads every row's JSON, builds the columns, hashes every text, infers the
domains and support types of uncurated rows and fits BM25 over every text: seconds at 100k listings
(bench/cold.py --listings). Here every array is one `.npy` file loaded memory-mapped; texts and
records are one UTF-8 file each with an offsets array, decoded only for the rows a query reads.

One folder per directory state, `<index folder>/prepared/<key>/`. The key is a digest of the
listings' ids and content hashes (read from the database without their JSON), the model, and the
code that infers and fits (`rules_digest`): a database rebuilt to the same version number, another
model or another release never loads a stale folder. A folder is written aside and renamed into
place; whatever is missing, damaged or mismatched in one is reported (`load` returns None and says
why) and the caller rebuilds from the database: a prepared snapshot is a cache, never a source.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import index_files as files
from .lexical import Lexicon
from .snapshot import ColumnBuilder, Listings, Snapshot

FORMAT = "signpost-prepared-1"
FOLDER = "prepared"
KEEP = 2  # folders kept: the newest and the one before (a process may still be opening it)
ARRAYS = ("active", "interpreter", "min_age", "max_age", "gender", "delivery", "cost", "wheelchair", "lat", "lon",
          "curated_domains", "domains", "domains_inferred", "curated_support_types", "support_types",
          "support_types_inferred", "language_matrix")
LEXICON = ("indptr", "indices", "data")
# recommender.py too: how inferred domains and support types are combined (`Recommender._infer`) is there.
_RULES = ("matcher/domains.py", "matcher/support_types.py", "matcher/lexical.py", "matcher/snapshot.py",
          "matcher/prepared.py", "matcher/recommender.py", "directory/support_types.py",
          "directory/data/support_types.json", "directory/welsh.py", "directory/data/welsh_terms.json")
_ROOT = Path(__file__).resolve().parent.parent


def rules_digest() -> str:
    """Digest of the code and data that shape what is saved: a new release's folders are not loaded."""
    h = hashlib.sha256(FORMAT.encode())
    for rel in _RULES:
        path = _ROOT / rel
        h.update(rel.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return h.hexdigest()[:16]


def key_of(ids: Sequence[str], content_hashes: Sequence[str], model: str) -> str:
    """The folder name of a directory state: its listings (ids, content hashes), the model, the rules."""
    h = hashlib.sha256(f"{model}\0{rules_digest()}\0".encode())
    for rid, content in zip(ids, content_hashes, strict=True):
        h.update(f"{rid}\0{content}\n".encode())
    return h.hexdigest()[:32]


class Strings(Sequence[str]):
    """Strings kept as one UTF-8 buffer (memory-mapped) and offsets: decoded one at a time when read."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        # Plain ndarray views of the mapped files: np.memmap's __getitem__ is Python, three calls a
        # string (2.6 ms of a 28 ms match at 1M listings, reading the candidates' texts).
        self._blob, self._offsets = blob.view(np.ndarray), offsets.view(np.ndarray)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._blob[self._offsets[i]:self._offsets[i + 1]].tobytes().decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _write_strings(folder: Path, name: str, texts: Sequence[str]) -> None:
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    with open(folder / f"{name}.bin", "wb") as fh:
        for b in encoded:
            fh.write(b)
    np.save(folder / f"{name}.offsets.npy", offsets)


def save(root: Path, key: str, snapshot: Snapshot, lexicon: Lexicon, model: str) -> Path:
    """Write the snapshot (domains and support types already inferred) and its lexicon under `key`."""
    base = root / FOLDER
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        for name in ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(snapshot, name))
        lex = lexicon.arrays()
        if lex is not None:
            for name, arr in zip(LEXICON, lex[1:], strict=True):
                np.save(tmp / f"lexicon.{name}.npy", arr)
        _write_strings(tmp, "texts", snapshot.texts)
        records = snapshot.resources
        if isinstance(records, Listings):
            _write_strings(tmp, "records", records._json)
        meta = {"format": FORMAT, "key": key, "model": model, "version": snapshot.version, "n": len(snapshot),
                "ids": snapshot.ids, "content_hashes": snapshot.content_hashes, "text_hashes": snapshot.text_hashes,
                "language_codes": snapshot.language_codes, "terms": [] if lex is None else lex[0],
                "records": isinstance(records, Listings)}
        names = sorted(p.name for p in tmp.iterdir())
        meta["files"] = {n: list(files.file_crc(tmp / n)) for n in names}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        target = base / key
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(base, keep=key)
    return target


def _prune(base: Path, keep: str) -> None:
    """Keep the folder just written and the newest other one; remove the rest and stale leftovers."""
    folders = sorted((p for p in base.iterdir() if p.is_dir() and p.name != keep),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


class Unusable(Exception):
    """What is wrong with a prepared folder (it is rebuilt); `absent` when there is simply none."""

    def __init__(self, message: str, absent: bool = False):
        super().__init__(message)
        self.absent = absent


def load(root: Path, key: str, version: int, fetch=None, *, check: bool = True) -> tuple[Snapshot, Lexicon]:
    """The prepared snapshot and lexicon saved under `key`; Unusable (with what is wrong) otherwise.
    `fetch`: records are read from the database by id (large directories); else they must be saved.
    `check`: the size and CRC of every file are checked first (a torn or bit-rotted file is damage)."""
    folder = root / FOLDER / key
    if not folder.is_dir():
        raise Unusable("none saved", absent=True)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as err:
        raise Unusable(f"meta.json unreadable ({type(err).__name__})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("key") != key:
        raise Unusable("meta.json of another format or key")
    if meta.get("version") != version:
        raise Unusable(f"saved for directory version {meta.get('version')}, not {version}")
    n = meta.get("n")
    try:
        if check:
            for name, (size, crc) in meta["files"].items():
                if files.file_crc(folder / name) != (size, crc):
                    raise Unusable(f"{name} is damaged (size or checksum)")
        arrays = {name: _mapped(folder / f"{name}.npy") for name in ARRAYS}
        for name, arr in arrays.items():
            if arr.shape[0] != n:
                raise Unusable(f"{name}.npy holds {arr.shape[0]} rows, not {n}")
        texts = _strings(folder, "texts", n)
        records = _strings(folder, "records", n) if fetch is None else None
        if fetch is None and not meta.get("records"):
            raise Unusable("records were not saved")
        ids, content, text_hashes = meta["ids"], meta["content_hashes"], meta["text_hashes"]
        if not (len(ids) == len(content) == len(text_hashes) == n):
            raise Unusable("id and hash lists do not match the arrays")
        terms = meta["terms"]
        if terms:
            lex = [_mapped(folder / f"lexicon.{name}.npy") for name in LEXICON]
            if len(lex[0]) != n + 1 or len(lex[1]) != len(lex[2]) or int(lex[0][-1]) != len(lex[1]):
                raise Unusable("the lexical index does not match the listings")
            lexicon = Lexicon.from_arrays(terms, *lex)
        else:
            lexicon = Lexicon.from_arrays([], None, None, None)
    except Unusable:
        raise
    except Exception as err:  # whatever a damaged file provokes is damage
        raise Unusable(f"unreadable ({type(err).__name__})") from None
    snapshot = Snapshot.from_prepared(version, arrays, ids=ids, content_hashes=content, texts=texts,
                                      text_hashes=text_hashes, language_codes=meta["language_codes"],
                                      json_texts=records, fetch=fetch)
    return snapshot, lexicon


def _mapped(path: Path) -> np.ndarray:
    """A saved column memory-mapped read-only, as a plain ndarray view: np.memmap's Python-level
    __getitem__ and __array_finalize__ cost ~2 ms a match at 1M listings over the columns it indexes."""
    return np.load(path, mmap_mode="r").view(np.ndarray)


def _strings(folder: Path, name: str, n: int) -> Strings:
    offsets = np.load(folder / f"{name}.offsets.npy", mmap_mode="r")
    size = os.path.getsize(folder / f"{name}.bin")
    if len(offsets) != n + 1 or int(offsets[0]) != 0 or int(offsets[-1]) != size:
        raise Unusable(f"{name} offsets do not match its file")
    blob = np.memmap(folder / f"{name}.bin", dtype=np.uint8, mode="r") if size else np.zeros(0, np.uint8)
    return Strings(blob, offsets)


def open_snapshot(store, root: Path | None, model: str, fetch, fetch_min: int,
                  warn) -> tuple[Snapshot, Lexicon | None, str | None]:
    """(snapshot, lexicon, key) of the directory as it is now: the prepared folder of its state when
    one is saved and sound (lexicon not None), else every row read from the database (lexicon None;
    the caller fits one and may `save_prepared` under `key`). `warn` hears of a damaged folder."""
    if root is not None:
        version, ids, content = store.listing_hashes()
        key = key_of(ids, content, model)
        try:
            snapshot, lexicon = load(root, key, version, fetch if len(ids) > fetch_min else None)
            return snapshot, lexicon, key
        except Unusable as err:
            if not err.absent:
                warn(f"prepared snapshot {root / FOLDER / key}: {err}; read from the database again")
                shutil.rmtree(root / FOLDER / key, ignore_errors=True)  # written again once read
    large = (len(ids) if root is not None else store.count()) > fetch_min
    builder = ColumnBuilder(keep_json=not large)
    version = store.read_listings(builder.add)
    snapshot = builder.snapshot(version, fetch if large else None)
    key = None if root is None else key_of(snapshot.ids, snapshot.content_hashes, model)
    return snapshot, None, key


def save_prepared(root: Path | None, key: str | None, snapshot: Snapshot, lexicon, model: str, warn) -> None:
    """Save the installed snapshot and lexicon for the next cold open; a failure is a warning only."""
    if root is None or key is None or not isinstance(lexicon, Lexicon) or (root / FOLDER / key).is_dir():
        return
    if not root.is_dir():  # the index could not be saved either (its warning says so): nothing beside it
        return
    try:
        save(root, key, snapshot, lexicon, model)
    except Exception as err:  # a full disk, a read-only folder: the next open reads the rows again
        warn(f"prepared snapshot {root / FOLDER}: could not be saved ({type(err).__name__})")
