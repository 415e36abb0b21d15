"""Listing embeddings shared by every process on one directory database, keyed by (model, text hash).

The table is the matcher's, not the directory's: its own MetaData, created on the Store's engine
(as `referrals/schema.py` does), so `directory/` never knows embeddings exist. A vector is written
once, by whichever process embedded its text, and read by every other: four app processes on one
PostgreSQL directory no longer each embed the same changed listings.

`embed_missing` is the one step that must not run twice at once: "which texts does no process
hold yet → embed them → store them" runs under a lock shared by all processes (PostgreSQL: an
advisory lock; SQLite: an fcntl lock on a file beside the database), and the table is read again
after the lock is taken, so a text is embedded once in total however many processes refresh at the
same moment. Vectors are float32 bytes; a row of the wrong length, or not of unit length, is treated
as absent and replaced.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import sqlalchemy as sa

from directory.store import Store

metadata = sa.MetaData()

embeddings = sa.Table(
    "matcher_embeddings", metadata,
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("text_hash", sa.String(64), primary_key=True),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float32, little-endian, dim * 4 bytes
)

# Keys per SELECT ... IN (...): well under SQLite's 32,766 bound parameters, small enough for PostgreSQL.
READ_CHUNK = 900
WRITE_CHUNK = 2_000
# The advisory lock's key: one per model, from its name (PostgreSQL keys are signed 64-bit).
_LOCK_SALT = b"signpost.matcher_embeddings:"


def _lock_key(model: str) -> int:
    return int.from_bytes(hashlib.sha256(_LOCK_SALT + model.encode()).digest()[:8], "big", signed=True)


class SharedVectors:
    """The `matcher_embeddings` rows of one model, on a Store's engine."""

    def __init__(self, store: Store, model: str, dim: int):
        self.store, self.model, self.dim = store, model, int(dim)
        self.embedded = 0  # texts this object sent through the model (all calls)
        self._ensure()

    def _ensure(self) -> None:
        for attempt in range(3):
            try:
                with self.store.engine.begin() as conn:
                    metadata.create_all(conn, checkfirst=True)
                return
            except sa.exc.DatabaseError:
                if attempt == 2:
                    raise
                time.sleep(0.05)  # another process is creating the same table: look again

    # ---- reads ----------------------------------------------------------------------------------
    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The sound vectors the table holds for `keys` (others absent). Only rows of exactly dim * 4
        bytes are read, so a damaged row can never make a read large."""
        out: dict[str, np.ndarray] = {}
        size = self.dim * 4
        keys = list(dict.fromkeys(keys))
        with self.store.engine.connect() as conn:
            for start in range(0, len(keys), READ_CHUNK):
                chunk = keys[start:start + READ_CHUNK]
                rows = conn.execute(
                    sa.select(embeddings.c.text_hash, embeddings.c.vector).where(
                        embeddings.c.model == self.model, embeddings.c.text_hash.in_(chunk),
                        sa.func.length(embeddings.c.vector) == size)
                ).all()
                if not rows:
                    continue
                vecs = np.frombuffer(b"".join(bytes(r.vector) for r in rows), dtype="<f4").reshape(len(rows), self.dim)
                norms = np.einsum("ij,ij->i", vecs, vecs)
                sound = np.isfinite(norms) & (np.abs(norms - 1.0) < 1e-3)  # the model's vectors are unit length
                for r, vec, ok in zip(rows, vecs, sound, strict=True):
                    if ok:
                        out[r.text_hash] = vec
        return out

    def count(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(embeddings)
                                    .where(embeddings.c.model == self.model)).scalar_one())

    # ---- writes ---------------------------------------------------------------------------------
    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors; a key already held soundly is left as it is, a damaged row is replaced."""
        if not len(keys):
            return
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        rows = [{"model": self.model, "text_hash": k, "vector": vectors[i].tobytes()} for i, k in enumerate(keys)]
        with self.store.engine.begin() as conn:
            # Rows under these keys here now are damaged (the caller found them absent): remove them.
            for start in range(0, len(keys), READ_CHUNK):
                conn.execute(embeddings.delete().where(embeddings.c.model == self.model,
                                                       embeddings.c.text_hash.in_(list(keys[start:start + READ_CHUNK]))))
            for start in range(0, len(rows), WRITE_CHUNK):
                conn.execute(self._insert_if_absent(), rows[start:start + WRITE_CHUNK])

    def _insert_if_absent(self):
        if self.store.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(embeddings).on_conflict_do_nothing(index_elements=["model", "text_hash"])

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Held by one process at a time, across every process on this database."""
        path = self.store.path
        if path is not None:
            with open(path.with_name(path.name + ".embed.lock"), "a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
            return
        key = _lock_key(self.model)
        with self.store.engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()

    def embed_missing(self, keys: Sequence[str], text_of: Callable[[str], str], encode) -> dict[str, np.ndarray]:
        """Vectors of every key: read from the table, and those no process has stored embedded (by
        `encode(texts)`) and stored, under the shared lock so no text is embedded twice."""
        found = self.get(keys)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if not missing:
            return found
        with self.lock():
            found.update(self.get(missing))  # another process may have stored them while we waited
            missing = [k for k in missing if k not in found]
            if missing:
                vectors = encode([text_of(k) for k in missing])
                self.put(missing, vectors)
                self.embedded += len(missing)
                found.update(zip(missing, np.asarray(vectors, np.float32), strict=True))
        return found
