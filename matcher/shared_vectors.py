"""Listing embeddings shared by every process on one directory database, keyed by (model, text hash).

The tables are the matcher's, not the directory's: their own MetaData, created on the Store's engine
(as `referrals/schema.py` does), so `directory/` never knows embeddings exist. A vector is written
once, by whichever process embedded its text, and read by every other.

The WORK is shared too, not only its result (`embed_missing`): a process that needs texts no one
has stored claims a batch of them in `matcher_embedding_claims` (a row per text, owner and expiry),
embeds that batch, stores the vectors and drops its claims in one transaction, and claims the next;
texts other processes hold claims on it waits for and reads. So N processes refreshing after the
same change embed each text once in total, in parallel, finishing in about texts / machine
throughput. A claim names its owner (host, pid) and expires CLAIM_SECONDS after its last renewal
(renewed while its batch is embedded): a process that dies mid-batch blocks no one for longer than
that, and not at all on its own host, where a claim of a pid that no longer runs is taken at once.

A write through a Store with `embed_on_write` goes further: it embeds the texts it adds or changes
and stores their vectors in its own transaction (EmbedOnWrite), so the processes that read the change
find them all and claim nothing; what a write leaves over its budget they share out as above.

Each process embeds its batches on cores / (processes embedding now) threads: one process alone
uses every core, two on two cores one thread each (and no more than one embedder per core at once:
the others wait for their vectors). Vectors are float32 bytes; a row of the wrong length, or not
of unit length, is treated as absent and replaced.
"""

from __future__ import annotations

import hashlib
import os
import random
import socket
import sys
import time
import uuid
from collections.abc import Callable, Sequence

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

# A text some process is embedding now; the row goes when its vector is stored (same transaction).
claims = sa.Table(
    "matcher_embedding_claims", metadata,
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("text_hash", sa.String(64), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),  # "host:pid:random", see `_owner`
    sa.Column("expires", sa.Float, nullable=False),  # seconds since the epoch, by the database's clock
)

# Keys per SELECT ... IN (...): well under SQLite's 32,766 bound parameters, small enough for PostgreSQL.
READ_CHUNK = 900
WRITE_CHUNK = 2_000
# A claim not renewed for this long is free to take: its owner died or hangs. Renewed every third of it.
CLAIM_SECONDS = 30.0
# Texts per claim: about 1/32 of what is missing, so that N processes finish close together (the last
# batch is short: at 1,000 texts 31, a quarter of a second on one thread), but at least two forward
# batches and at most a few seconds of work.
CLAIM_MIN, CLAIM_MAX = 16, 512
CLAIM_SHARE = 32
# How often a process whose remaining texts are all claimed by others looks for their vectors.
POLL_SECONDS = 0.05
# The key of the advisory lock that claim transactions take on PostgreSQL: one per model.
_LOCK_SALT = b"signpost.matcher_embedding_claims:"
# Batches this long show a progress bar on stderr when no callback is given (as Embedder.encode).
PROGRESS_MIN_TEXTS = 256


def _lock_key(model: str) -> int:
    return int.from_bytes(hashlib.sha256(_LOCK_SALT + model.encode()).digest()[:8], "big", signed=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _threads(owners: int) -> int:
    """Threads for one process's batches: its share of the cores among the processes embedding now.
    (Each thread runs whole batches of its own, Embedder.encode: on cores other work also holds, two
    such threads were never slower than one, where two threads splitting each operator were; so the
    machine's other work no longer matters here. bench/README.md, "Embedding threads".)"""
    return max(1, _cores() // owners)


class SharedVectors:
    """The `matcher_embeddings` rows of one model, on a Store's engine."""

    def __init__(self, store: Store, model: str, dim: int, claim_seconds: float = CLAIM_SECONDS,
                 ensure: bool = True):
        """`ensure`: create the tables if missing, in a transaction of its own (False inside another
        write: on SQLite that second writer would wait for the first's lock)."""
        self.store, self.model, self.dim = store, model, int(dim)
        self.claim_seconds = float(claim_seconds)
        self.embedded = 0  # texts this object sent through the model (all calls)
        # The latest embed_missing that had texts to find: seconds embedding here, seconds in claims and
        # waiting for rivals, batches claimed, threads used (bench/refresh.py prints it).
        self.last: dict[str, float] = {}
        self.seen_held: list[str] = []
        self.owner = f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        if ensure:
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
        with self.store.engine.connect() as conn:
            return self._get(conn, keys)

    def _get(self, conn, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        size = self.dim * 4
        keys = list(dict.fromkeys(keys))
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

    def claim_count(self) -> int:
        """Claims in the table for this model (live or expired): none are left after a clean run."""
        with self.store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(claims)
                                    .where(claims.c.model == self.model)).scalar_one())

    def claim_state(self) -> tuple[int, float | None]:
        """(claims, latest expiry) of this model: it changes whenever a batch is claimed or stored."""
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(sa.func.count(), sa.func.max(claims.c.expires))
                               .where(claims.c.model == self.model)).one()
        return int(row[0]), row[1]

    # ---- writes ---------------------------------------------------------------------------------
    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors; a key already held soundly is left as it is, a damaged row is replaced."""
        if not len(keys):
            return
        with self.store.engine.begin() as conn:
            self._put(conn, list(keys), vectors)

    def _put(self, conn, keys: list[str], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        rows = [{"model": self.model, "text_hash": k, "vector": vectors[i].tobytes()} for i, k in enumerate(keys)]
        # Rows under these keys here now are damaged (the caller found them absent): remove them.
        for start in range(0, len(keys), READ_CHUNK):
            conn.execute(embeddings.delete().where(embeddings.c.model == self.model,
                                                   embeddings.c.text_hash.in_(keys[start:start + READ_CHUNK])))
        for start in range(0, len(rows), WRITE_CHUNK):
            conn.execute(self._insert(embeddings).on_conflict_do_nothing(index_elements=["model", "text_hash"]),
                         rows[start:start + WRITE_CHUNK])

    def _insert(self, table: sa.Table):
        if self.store.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table)

    # ---- claims ---------------------------------------------------------------------------------
    def _now(self, conn) -> float:
        """The database's clock (PostgreSQL: the server's, shared by every host; SQLite: this host's)."""
        if self.store.is_sqlite:
            return time.time()
        return float(conn.execute(sa.text("SELECT EXTRACT(EPOCH FROM clock_timestamp())")).scalar_one())

    def _claiming(self):
        """A write transaction that claim transactions take one at a time (they last milliseconds): on
        SQLite BEGIN IMMEDIATE, on PostgreSQL a transaction-scoped advisory lock. Serialised, two
        claimers can never take the same text, nor deadlock over rows taken in different orders."""
        conn = self.store.engine.connect()
        conn.begin()
        if self.store.is_sqlite:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(self.model)})
        return conn

    def _gone(self, owner: str) -> bool:
        """True when `owner` names a process of this host that no longer runs (its claims are free)."""
        parts = owner.rsplit(":", 2)
        if len(parts) != 3 or parts[0] != self.owner.split(":", 1)[0] or not parts[1].isdigit():
            return False
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            return True
        except OSError:
            pass  # running, as another user
        return False

    def claim(self, keys: Sequence[str], limit: int) -> tuple[list[str], int]:
        """Claim up to `limit` of `keys` that no live claim holds (unclaimed, expired, or a dead process
        of this host's), in `keys` order: (keys claimed, processes holding live claims, this one included)."""
        got: list[str] = []
        self.seen_held = []  # keys of the chunks looked at that rivals hold: the caller tries them last
        conn = self._claiming()
        try:
            now = self._now(conn)
            expires = now + self.claim_seconds
            if self._host_busy(conn, now):
                limit = 0  # every core here already runs an embedder: wait for their vectors instead
            for start in range(0, len(keys), READ_CHUNK):
                if len(got) >= limit:
                    break
                chunk = list(keys[start:start + READ_CHUNK])
                held = {r.text_hash: r for r in conn.execute(
                    sa.select(claims.c.text_hash, claims.c.owner, claims.c.expires).where(
                        claims.c.model == self.model, claims.c.text_hash.in_(chunk)))}
                gone = {o for o in {r.owner for r in held.values() if r.expires >= now} if self._gone(o)}
                mine = [k for k in chunk if k not in held or held[k].expires < now or held[k].owner in gone]
                self.seen_held += [k for k in chunk if k in held and k not in mine]
                mine = mine[:limit - len(got)]
                taken = [k for k in mine if k in held]
                if taken:
                    conn.execute(claims.update().where(claims.c.model == self.model, claims.c.text_hash.in_(taken))
                                 .values(owner=self.owner, expires=expires))
                rows = [{"model": self.model, "text_hash": k, "owner": self.owner, "expires": expires}
                        for k in mine if k not in held]
                if rows:
                    conn.execute(claims.insert(), rows)
                got += mine
            owners = int(conn.execute(sa.select(sa.func.count(sa.distinct(claims.c.owner))).where(
                claims.c.model == self.model, claims.c.expires >= now)).scalar_one())
            conn.commit()
        finally:
            conn.close()
        return got, max(owners, 1)

    def _host_busy(self, conn, now: float) -> bool:
        """True when other live processes of this host hold claims on as many batches as it has cores:
        a further embedder would only share their cores (measured: 4 processes on 2 cores spend ~25%
        more CPU per text than 2, in cache misses and switches) and finish no sooner."""
        host = self.owner.split(":", 1)[0] + ":"
        owners = conn.execute(sa.select(claims.c.owner).distinct().where(
            claims.c.model == self.model, claims.c.expires >= now, claims.c.owner != self.owner,
            claims.c.owner.startswith(host, autoescape=True))).scalars().all()
        return sum(1 for o in owners if not self._gone(o)) >= _cores()

    def _release(self, conn, keys: list[str]) -> None:
        for start in range(0, len(keys), READ_CHUNK):
            conn.execute(claims.delete().where(claims.c.model == self.model, claims.c.owner == self.owner,
                                               claims.c.text_hash.in_(keys[start:start + READ_CHUNK])))

    def release(self, keys: Sequence[str]) -> None:
        """Give up this process's claims on `keys` (their texts turned out to be stored already)."""
        if len(keys):
            with self.store.engine.begin() as conn:
                self._release(conn, list(keys))

    def renew(self, keys: Sequence[str]) -> None:
        """Push back the expiry of this process's claims on `keys`: it is still embedding them."""
        with self.store.engine.begin() as conn:
            expires = self._now(conn) + self.claim_seconds
            for start in range(0, len(keys), READ_CHUNK):
                conn.execute(claims.update().where(
                    claims.c.model == self.model, claims.c.owner == self.owner,
                    claims.c.text_hash.in_(list(keys[start:start + READ_CHUNK]))).values(expires=expires))

    def store_claimed(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Store the vectors of claimed texts and drop the claims, in one transaction: a rival sees the
        claim or the vector, never neither."""
        with self.store.engine.begin() as conn:
            self._put(conn, list(keys), vectors)
            for start in range(0, len(keys), READ_CHUNK):
                conn.execute(claims.delete().where(claims.c.model == self.model,
                                                   claims.c.text_hash.in_(list(keys[start:start + READ_CHUNK]))))

    # ---- the shared work ------------------------------------------------------------------------
    def embed_missing(self, keys: Sequence[str], text_of: Callable[[str], str], encode,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, np.ndarray]:
        """Vectors of every key: read from the table; those no process has stored are embedded in
        claimed batches (`encode(texts, threads=, progress=)`, Embedder.encode's signature) shared with
        every other process doing the same, so each text is embedded once in total.
        `progress(done, total)`: texts of the missing ones obtained so far, embedded here or read."""
        found = self.get(keys)
        need = [k for k in dict.fromkeys(keys) if k not in found]
        if not need:
            return found
        total = len(need)
        # Shortest texts first (little padding in a batch), each process starting at its own point of
        # that order, so that rivals claim apart until the ends meet.
        need.sort(key=lambda k: (len(text_of(k)), k))
        cut = random.randrange(len(need))
        pending = dict.fromkeys(need[cut:] + need[:cut])
        size = min(CLAIM_MAX, max(CLAIM_MIN, total // CLAIM_SHARE))
        bar = _bar(total) if progress is None and total >= PROGRESS_MIN_TEXTS else None
        report = progress or (bar.report if bar is not None else None)
        start, self.last = time.perf_counter(), {"embedding_s": 0.0, "batches": 0, "threads": 0}
        watch = _ClaimWatch(self)
        try:
            while pending:
                batch, owners = self.claim(list(pending), size)
                for k in self.seen_held:  # try them last: a long list is then not scanned from its claimed head
                    if pending.pop(k, False) is None:
                        pending[k] = None
                if batch:
                    base = total - len(pending)

                    def step(done: int, _n: int, base: int = base) -> None:
                        if report is not None:
                            report(base + done, total)

                    at = time.perf_counter()
                    found.update(self._embed_claimed(batch, text_of, encode, owners, step))
                    self.last["embedding_s"] += time.perf_counter() - at
                    self.last["batches"] += 1
                    for k in batch:
                        pending.pop(k, None)
                if batch or watch.moved():
                    got = self.get(list(pending))  # what the others stored meanwhile
                    found.update(got)
                    for k in got:
                        pending.pop(k)
                if report is not None:
                    report(total - len(pending), total)
                if pending and not batch:
                    time.sleep(POLL_SECONDS)  # the rest is claimed by processes embedding it now
        finally:
            if bar is not None:
                bar.close()
        self.last["other_s"] = time.perf_counter() - start - self.last["embedding_s"]
        self.last = {k: round(v, 3) for k, v in self.last.items()}
        return found

    def _embed_claimed(self, batch: list[str], text_of, encode, owners: int,
                       progress: Callable[[int, int], None]) -> dict[str, np.ndarray]:
        """Embed and store a claimed batch (texts another process stored since are only read)."""
        out = self.get(batch)
        if out:
            self.release(list(out))
        todo = [k for k in batch if k not in out]
        if not todo:
            return out
        threads = _threads(owners)
        self.last["threads"] = max(self.last.get("threads", 0), threads)
        renewed = time.monotonic()

        def beat(done: int, total: int) -> None:
            nonlocal renewed
            if time.monotonic() - renewed > self.claim_seconds / 3:
                self.renew(todo)
                renewed = time.monotonic()
            progress(done, total)

        vectors = np.asarray(encode([text_of(k) for k in todo], threads=threads, progress=beat), np.float32)
        self.store_claimed(todo, vectors)
        self.embedded += len(todo)
        out.update(zip(todo, vectors, strict=True))
        return out


# What one write embeds along with itself at most (`embed_on_write`): texts, and seconds of forward
# passes inside its transaction. A write holds the directory's write lock until it commits: SQLite
# makes another writer wait up to 10 s (store.SQLITE_BUSY_TIMEOUT_MS) and then tells them to try
# again, PostgreSQL makes them wait. What is left over, the processes that read the change embed
# between them (`embed_missing`).
EMBED_ON_WRITE_MAX = 2_000
EMBED_ON_WRITE_SECONDS = {"sqlite": 6.0, "postgresql": 30.0}
_ON_WRITE_CHUNK = 64  # texts per encode call, between looks at the clock


class EmbedOnWrite:
    """A write hook (directory.store.Store.write_hooks) that embeds the texts of the active listings
    a write adds or changes, those the table does not hold yet, and stores their vectors in the
    write's own transaction: they commit with the listings or not at all, and every process that
    then refreshes reads them instead of embedding (bench/README.md, "Many processes, one
    directory"). The model is loaded on first need: a write with nothing new to embed never loads it.
    """

    __name__ = "embed_on_write"

    def __init__(self, store: Store, embedder=None, model: str | None = None, max_texts: int = EMBED_ON_WRITE_MAX,
                 max_seconds: float | None = None):
        """`embedder`, or the model `model` names (load_embedder) loaded on first need."""
        self.store, self._embedder, self._model_name = store, embedder, model
        if max_seconds is None:
            max_seconds = EMBED_ON_WRITE_SECONDS.get(store.engine.dialect.name, min(EMBED_ON_WRITE_SECONDS.values()))
        self.max_texts, self.max_seconds = int(max_texts), float(max_seconds)
        self.embedded = 0  # texts embedded by this hook, all writes
        self.seconds = 0.0  # seconds it spent in writes' transactions, all writes
        self.left = 0  # new texts it left to the readers (over a write's budget), all writes
        self.threads = 0  # the most threads an embedding of its used

    def _model(self):
        if self._embedder is None:
            from .embedder import load_embedder

            self._embedder = load_embedder(self._model_name)
        return self._embedder

    def _missing(self, conn, keys: list[str]) -> list[str]:
        """Keys the table holds no row for (by the model's name: the model is not loaded for this; a
        damaged row is left to the readers, who replace it)."""
        if self._embedder is not None:
            name = self._embedder.name
        else:
            from .embedder import model_name

            name = model_name(self._model_name)
        held: set[str] = set()
        for start in range(0, len(keys), READ_CHUNK):
            held.update(conn.execute(sa.select(embeddings.c.text_hash).where(
                embeddings.c.model == name, embeddings.c.text_hash.in_(keys[start:start + READ_CHUNK]))).scalars())
        return [k for k in keys if k not in held]

    def __call__(self, conn, written, state: dict) -> None:
        from .snapshot import listing_text, text_hash

        t0 = time.perf_counter()
        texts: dict[str, str] = {}
        for res in written:
            if res.status == "active":  # (only active listings are indexed)
                text = listing_text(res)
                texts.setdefault(text_hash(text), text)
        if not texts:
            return
        metadata.create_all(conn, checkfirst=True)
        missing = self._missing(conn, list(texts))
        if not missing:
            return
        embedder = self._model()
        shared = SharedVectors(self.store, embedder.name, embedder.dim, ensure=False)
        spent = state.get("seconds", 0.0)
        done = state.get("embedded", 0)
        at = 0
        try:
            while at < len(missing):
                if done >= self.max_texts or spent + time.perf_counter() - t0 >= self.max_seconds:
                    self.left += len(missing) - at
                    break
                keys = missing[at:at + min(_ON_WRITE_CHUNK, self.max_texts - done)]
                at += len(keys)
                threads = _threads(1)
                self.threads = max(self.threads, threads)
                vectors = embedder.encode([texts[k] for k in keys], threads=threads, progress=lambda _d, _t: None)
                shared._put(conn, keys, vectors)
                done += len(keys)
                self.embedded += len(keys)
        finally:
            state["embedded"] = done
            state["seconds"] = spent + time.perf_counter() - t0
            self.seconds += time.perf_counter() - t0


def embed_on_write(store: Store, embedder=None, model: str | None = None, **limits) -> EmbedOnWrite:
    """Make every write through `store` carry the vectors of the listing texts it adds or changes
    (EmbedOnWrite); the hook, whose counters say what it did."""
    hook = EmbedOnWrite(store, embedder, model, **limits)
    store.write_hooks.append(hook)
    return hook


class _ClaimWatch:
    """Whether rivals may have stored vectors since the last look: the claims table changed (a batch
    stored drops its claims in the same transaction; a batch claimed since moves the latest expiry),
    or a second passed. A waiting process asks this, one aggregate over a small table, instead of reading every pending key 20 times a second (at
    1,000 pending keys those reads cost a waiter a fifth of a core, on cores the embedders need)."""

    FALLBACK_SECONDS = 1.0

    def __init__(self, shared: SharedVectors):
        self.shared, self.seen, self.at = shared, None, 0.0

    def moved(self) -> bool:
        state, now = self.shared.claim_state(), time.monotonic()
        if state != self.seen or now - self.at >= self.FALLBACK_SECONDS:
            self.seen, self.at = state, now
            return True
        return False


class _bar:
    """A tqdm bar on stderr fed by (done, total) reports."""

    def __init__(self, total: int):
        from tqdm import tqdm

        self._tqdm = tqdm(total=total, desc="embedding", unit="listing", file=sys.stderr, leave=False)

    def report(self, done: int, _total: int) -> None:
        self._tqdm.update(done - self._tqdm.n)

    def close(self) -> None:
        self._tqdm.close()
