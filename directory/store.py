"""Storage of the directory: SQLAlchemy Core over an embedded SQLite file or a PostgreSQL URL.

Every write is one transaction with its audit record; updates carry the version they were read at
and a stale write is refused (`ConflictError`), never silently applied. The directory version
increases with every committed change so that search indexes know when they are out of date.
"""

from __future__ import annotations

import datetime as dt
import getpass
import itertools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import db_errors
from .records import Resource, reactivated
from .schema import (  # noqa: F401  (the tables and errors are the store's public surface too)
    CHANGED_AT_SCHEMA,
    SCHEMA_VERSION,
    SUPPORT_TYPES_SCHEMA,
    AccountClashError,
    SchemaError,
    _add_change_marker,
    _add_identity_keys,
    _add_support_types,
    account_audit,
    audit,
    canonical_json,
    content_hash,
    metadata,
    resources,
    sign_in_failures,
    state,
    users,
)

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "signpost.db"
# How long an SQLite writer waits for another one before giving up (BusyError, nothing written).
# Writes are short transactions: bench/load_edits.py's 2 x 500 racing edits never waited near this.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Listings an import compares and writes at a time (one transaction for all of them).
IMPORT_BATCH = 1000



def _no_rows(record: logging.LogRecord) -> bool:
    """SQLAlchemy at DEBUG logs every result row, and rows are people's records (referrals/):
    those lines are dropped, whoever turns its logging up. Statements still log, parameters hidden."""
    return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_no_rows)
log = logging.getLogger(__name__)

# A write hook: (the write's connection, the listings it wrote, a dict this hook keeps for the whole
# write: an import calls it once per batch).
WriteHook = Callable[[Connection, list[Resource], dict], None]

class ConflictError(Exception):
    """The listing changed since it was read: the write was refused and nothing changed."""

    def __init__(self, resource_id: str, expected: int, current: int | None):
        self.resource_id = resource_id
        self.expected = expected
        self.current = current
        if current is None:
            msg = f"listing {resource_id} does not exist"
        else:
            msg = (
                f"listing {resource_id} was changed by someone else since you opened it "
                f"(you had version {expected}, it is now version {current}); reload it and apply your change again"
            )
        super().__init__(msg)


class ImportConflictError(ConflictError):
    """Another change wrote some of the same listings while this import was being written: nothing
    of this import was saved."""

    def __init__(self) -> None:
        Exception.__init__(self, "another change added or changed some of the same listings while this import "
                                 "was being saved; nothing was imported: run the import again")
        self.resource_id, self.expected, self.current = None, 0, None


class BusyError(RuntimeError):
    """Another writer held the database for too long (or PostgreSQL chose this write as a deadlock
    victim): the transaction was rolled back, nothing changed, and trying again is safe."""


class NotFoundError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else "not found"


@dataclass(frozen=True)
class StoredResource:
    resource: Resource
    version: int
    created_at: str
    updated_at: str
    content_hash: str

    @property
    def id(self) -> str:
        return self.resource.id


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    resource_id: str
    action: str
    actor: str
    at: str
    version: int
    changes: dict[str, list[Any]]


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows older than the directory, left out on purpose

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def __str__(self) -> str:
        text = f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        return text + (f", {len(self.skipped)} skipped as older than the directory" if self.skipped else "")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def default_actor() -> str:
    return os.environ.get("SIGNPOST_USER") or f"cli:{getpass.getuser()}"


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """`--db` value, else SIGNPOST_DB, else the embedded file under var/: a SQLAlchemy URL."""
    target = str(db) if db is not None else os.environ.get("SIGNPOST_DB") or str(DEFAULT_DB)
    if "://" in target:
        if target.startswith("postgres://"):
            target = "postgresql://" + target.removeprefix("postgres://")
        return target
    path = Path(target).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL is recorded in the file, so this switches a new database once. The switch needs the file
    # to itself and SQLite does not wait for that (no busy handler): connections opening a new
    # database at the same moment retry for a while instead of failing.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    keys = [k for k in new if k in old] + [k for k in new if k not in old] + [k for k in old if k not in new]
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


@dataclass(frozen=True)
class ChangedRow:
    """A listing as `changes_since` reads it: its canonical JSON, not parsed."""

    id: str
    data: str
    content_hash: str
    status: str


class Store:
    """The directory's database. Cheap to create; holds one SQLAlchemy engine."""

    def __init__(self, db: str | os.PathLike | None = None, *, create: bool = True):
        """Open (with `create`, create when missing) the database `db` names. Whatever makes it
        unusable (not SQLite or PostgreSQL, a missing driver, not a database file, a folder that
        cannot be written, a server that does not answer) is a DatabaseUnusableError naming it,
        with no file or folder left behind by a command that only reads."""
        self.url = resolve_url(db)
        if (problem := db_errors.unusable(self.url)) is not None:
            raise problem
        path = sqlite_path(self.url)
        if path is not None and not create and not path.exists():
            raise FileNotFoundError(f"no directory database at {path}: check --db (or $SIGNPOST_DB); only "
                                    "'import', 'demo', 'user add' and 'referrals import' create one")
        try:
            if path is not None:
                if path.parent == DEFAULT_DB.parent:
                    path.parent.mkdir(parents=True, exist_ok=True)  # var/, the default place
                elif not path.parent.is_dir():  # a mistyped --db names a folder that is not there
                    raise db_errors.DatabaseUnusableError(
                        f"the folder {path.parent} does not exist, so there is no database {path.name} in it: "
                        "check --db, or create the folder first")
                # hide_parameters: SQL parameters are people's records (referrals/); they stay out of
                # SQLAlchemy's log lines and error messages even when its logging is turned up.
                self.engine: Engine = sa.create_engine(self.url, hide_parameters=True)
                sa.event.listen(self.engine, "connect", _on_sqlite_connect)
            else:
                self.engine = sa.create_engine(self.url, pool_pre_ping=True, hide_parameters=True)
        except (sa.exc.ArgumentError, ModuleNotFoundError, OSError) as err:
            raise (db_errors.explain(err, self.url) or err) from err
        # Callables run inside every write's transaction with the listings it adds or changes, after they
        # are written: another layer's data derived from listings (the matcher's embeddings, matcher.
        # shared_vectors.embed_on_write) commits with them or not at all. See `_after_write`.
        self.write_hooks: list[WriteHook] = []
        try:
            self._migrate()
        except SchemaError:
            self.engine.dispose()
            raise
        except Exception as err:
            self.engine.dispose()
            raise (db_errors.explain(err, self.url) or err) from err

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- schema ------------------------------------------------------------------------------
    def _schema_version(self, conn: Connection) -> int | None:
        """The schema version the database records; None for an empty database."""
        if not sa.inspect(conn).has_table("directory_state"):
            return None
        value = conn.execute(sa.select(state.c.value).where(state.c.key == "schema_version")).scalar_one_or_none()
        return 0 if value is None else int(value)

    def _migrate(self) -> None:
        """Create the schema on first use and bring an older one up to SCHEMA_VERSION.

        A database at the current version is only read. One at a newer version was written by a
        newer Signpost whose data this code might damage: it is refused (SchemaError), not touched.
        Steps are idempotent (tables are created when missing), so two processes opening a new
        database at the same moment both end up with one schema.
        """
        for attempt in range(3):
            with self.engine.connect() as conn:
                current = self._schema_version(conn)
            if current == SCHEMA_VERSION:
                return
            if current is not None and current > SCHEMA_VERSION:
                where = sa.engine.make_url(self.url).render_as_string(hide_password=True)
                raise SchemaError(
                    f"the directory database {where} has schema version {current}, but this Signpost knows "
                    f"schema versions up to {SCHEMA_VERSION}: it was written by a newer Signpost. Upgrade "
                    "Signpost to use it; nothing in the database was changed."
                )
            try:
                with self.engine.begin() as conn:
                    if current is not None and current < 3:
                        _add_identity_keys(conn, self.url)
                    if current is not None and current < CHANGED_AT_SCHEMA:
                        _add_change_marker(conn)
                    metadata.create_all(conn, checkfirst=True)
                    if current is not None and current < SUPPORT_TYPES_SCHEMA:
                        _add_support_types(conn)
                    for key, value in (("schema_version", SCHEMA_VERSION), ("directory_version", 0)):
                        exists = conn.execute(sa.select(state.c.value).where(state.c.key == key)).first()
                        if exists is None:
                            conn.execute(state.insert().values(key=key, value=value))
                        elif key == "schema_version":
                            conn.execute(state.update().where(state.c.key == key).values(value=value))
                return
            except sa.exc.DatabaseError:
                if attempt == 2:
                    raise
                time.sleep(0.05)  # another process is creating the same tables: look again

    # ---- reads -------------------------------------------------------------------------------
    def directory_version(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(resources)).scalar_one())

    @staticmethod
    def _row_to_stored(row: Any) -> StoredResource:
        return StoredResource(
            resource=Resource.model_validate_json(row.data),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            content_hash=row.content_hash,
        )

    def list(self) -> list[StoredResource]:
        """Every listing, active and inactive, ordered by id."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(resources).order_by(resources.c.id)).all()
        return [self._row_to_stored(r) for r in rows]

    def resources(self) -> list[Resource]:
        return [s.resource for s in self.list()]

    def snapshot(self) -> tuple[int, list[StoredResource]]:
        """The directory version and every listing, read in one transaction.

        The version is read first: where the driver runs the two reads in separate transactions
        (pysqlite), a write committed in between makes the listings newer than the version, which
        only costs a later refresh; the other order could tag old listings with a new version.
        """
        with self.engine.connect() as conn, conn.begin():
            version = int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )
            rows = conn.execute(sa.select(resources).order_by(resources.c.id)).all()
        return version, [self._row_to_stored(r) for r in rows]

    def changes_since(self, version: int | None) -> tuple[int, list[ChangedRow]]:
        """The directory version and the listings written after `version` (every listing for None),
        ordered by id, unparsed. The version is read first, as in `snapshot`: a write committed between
        the two reads is returned again next time, never missed."""
        cols = (resources.c.id, resources.c.data, resources.c.content_hash, resources.c.status)
        q = sa.select(*cols).order_by(resources.c.id)
        if version is not None:
            q = q.where(resources.c.changed_at > int(version))
        with self.engine.connect() as conn, conn.begin():
            current = int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )
            rows = conn.execute(q).all()
        return current, [ChangedRow(r.id, r.data, r.content_hash, r.status) for r in rows]

    def read_listings(self, consume: Callable[[list[ChangedRow]], None], batch: int = 10_000) -> int:
        """Every listing, ordered by id and unparsed, handed to `consume` `batch` rows at a time from one
        read (a server-side cursor where the driver has one), so the whole directory's JSON is never in
        memory at once; returns the directory version, read first as in `changes_since`."""
        cols = (resources.c.id, resources.c.data, resources.c.content_hash, resources.c.status)
        with self.engine.connect() as conn, conn.begin():
            current = int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )
            result = conn.execution_options(yield_per=batch).execute(sa.select(*cols).order_by(resources.c.id))
            for part in result.partitions(batch):
                consume([ChangedRow(r.id, r.data, r.content_hash, r.status) for r in part])
        return current

    def listing_hashes(self) -> tuple[int, list[str], list[str]]:
        """The directory version and every listing's id and content hash, ordered by id, without their
        JSON: what names a directory state (matcher.prepared). The version is read first, as in
        `snapshot`: a write in between makes the state newer than its version, which only costs a read."""
        q = sa.select(resources.c.id, resources.c.content_hash).order_by(resources.c.id)
        with self.engine.connect() as conn, conn.begin():
            current = int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )
            rows = conn.execute(q).all()
        return current, [r.id for r in rows], [r.content_hash for r in rows]

    def get(self, resource_id: str) -> StoredResource:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(resources).where(resources.c.id == resource_id)).first()
        if row is None:
            raise NotFoundError(f"no listing with id {resource_id}")
        return self._row_to_stored(row)

    def history(self, resource_id: str | None = None) -> list[AuditEntry]:
        q = sa.select(audit).order_by(audit.c.seq)
        if resource_id is not None:
            q = q.where(audit.c.resource_id == resource_id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            AuditEntry(r.seq, r.resource_id, r.action, r.actor, r.at, r.version, json.loads(r.changes))
            for r in rows
        ]

    # ---- writes ------------------------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction; a database too busy to take it is a BusyError, with nothing written."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.OperationalError as err:
            sqlstate = getattr(err.orig, "sqlstate", None)
            if self.is_sqlite and "locked" in str(err.orig).lower():
                raise BusyError("the directory database is busy with another change (still locked after "
                                f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s); nothing was saved: try again") from err
            if sqlstate in ("40P01", "40001"):  # deadlock victim, serialization failure
                raise BusyError("the directory database refused this change because another change "
                                "collided with it; nothing was saved: try again") from err
            raise

    def _written(self, conn: Connection, resource_id: str) -> StoredResource:
        """The listing as this transaction wrote it (a later writer's version is not ours to report)."""
        return self._row_to_stored(conn.execute(sa.select(resources).where(resources.c.id == resource_id)).one())

    def _after_write(self, conn: Connection, written: list[Resource], state: dict) -> None:
        """Run the write hooks on listings this transaction wrote. Each runs in a savepoint: a hook that
        fails leaves nothing of its own behind and never fails the curator's write (what it derives
        is derived again later by whoever needs it); the failure is logged by type, with no data."""
        if not written:
            return
        for hook in self.write_hooks:
            try:
                with conn.begin_nested():
                    hook(conn, written, state.setdefault(id(hook), {}))
            except Exception as err:  # noqa: BLE001  (see the docstring)
                log.warning("a write hook (%s) failed and was skipped: %s", getattr(hook, "__name__", "hook"),
                            type(err).__name__)

    def _bump(self, conn: Connection) -> int:
        """Take the next directory version. Every write does this first: on PostgreSQL the row lock it
        takes orders writers, so a row's changed_at never falls below a version already committed."""
        conn.execute(
            state.update().where(state.c.key == "directory_version").values(value=state.c.value + 1)
        )
        return int(conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one())

    def _audit(self, conn: Connection, rid: str, action: str, actor: str, at: str, version: int, changes) -> None:
        conn.execute(
            audit.insert().values(
                resource_id=rid, action=action, actor=actor, at=at, version=version,
                changes=json.dumps(changes, sort_keys=True, ensure_ascii=False),
            )
        )

    def _insert(self, conn: Connection, resource: Resource, actor: str, at: str, action: str, changed: int) -> None:
        conn.execute(
            resources.insert().values(
                id=resource.id, data=canonical_json(resource), content_hash=content_hash(resource),
                status=resource.status, version=1, created_at=at, updated_at=at, changed_at=changed,
                support_types=";".join(resource.support_types),
            )
        )
        self._audit(conn, resource.id, action, actor, at, 1, _diff({}, resource.content()))

    def _replace(
        self, conn: Connection, old: StoredResource, new: Resource, expected: int, actor: str, at: str, action: str,
        changed: int, reason: str = "",
    ) -> int:
        result = conn.execute(
            resources.update()
            .where(resources.c.id == new.id, resources.c.version == expected)
            .values(
                data=canonical_json(new), content_hash=content_hash(new), status=new.status,
                version=expected + 1, updated_at=at, changed_at=changed, support_types=";".join(new.support_types),
            )
        )
        if result.rowcount != 1:
            current = conn.execute(sa.select(resources.c.version).where(resources.c.id == new.id)).scalar()
            raise ConflictError(new.id, expected, current)
        changes = _diff(old.resource.content(), new.content())
        if reason:  # why, in the curator's words (e.g. a retirement), kept with the change
            changes["reason"] = [None, reason]
        self._audit(conn, new.id, action, actor, at, expected + 1, changes)
        return expected + 1

    def note(self, resource_id: str, action: str, changes: dict[str, list[Any]], actor: str | None = None) -> None:
        """An audit entry that changes no listing (e.g. 'not a duplicate of ...'), at its current version."""
        current = self.get(resource_id)
        with self._writing() as conn:
            self._audit(conn, resource_id, action, actor or default_actor(), now_iso(), current.version, changes)

    def create(self, resource: Resource, actor: str | None = None) -> StoredResource:
        actor = actor or default_actor()
        at = now_iso()
        try:
            with self._writing() as conn:
                self._insert(conn, resource, actor, at, "create", self._bump(conn))
                self._after_write(conn, [resource], {})
                return self._written(conn, resource.id)
        except sa.exc.IntegrityError as err:
            raise ValueError(f"a listing with id {resource.id} already exists") from err

    def update(self, resource: Resource, expected_version: int, actor: str | None = None,
               action: str = "update") -> StoredResource:
        """Replace a listing read at `expected_version`; refuse (ConflictError) if it changed since."""
        actor = actor or default_actor()
        old = self.get(resource.id)
        if old.version != expected_version:
            raise ConflictError(resource.id, expected_version, old.version)
        if content_hash(resource) == old.content_hash:
            return old
        with self._writing() as conn:
            self._replace(conn, old, resource, expected_version, actor, now_iso(), action, self._bump(conn))
            self._after_write(conn, [resource], {})
            return self._written(conn, resource.id)

    def verify(self, resource_id: str, expected_version: int, actor: str | None = None,
               on: dt.date | None = None) -> StoredResource:
        old = self.get(resource_id)
        new = old.resource.model_copy(update={"last_verified": on or dt.date.today()})
        return self._force(old, new, expected_version, actor, "verify")

    def retire(self, resource_id: str, expected_version: int, actor: str | None = None,
               reason: str = "") -> StoredResource:
        old = self.get(resource_id)
        new = old.resource.model_copy(update={"status": "inactive"})
        return self._force(old, new, expected_version, actor, "retire", reason)

    def reactivate(self, resource_id: str, expected_version: int, actor: str | None = None) -> StoredResource:
        """Make a listing active again; refused (InputError naming latitude, nothing written) while it
        meets in person without coordinates."""
        old = self.get(resource_id)
        new = reactivated(old.resource)
        return self._force(old, new, expected_version, actor, "reactivate")

    def _force(self, old: StoredResource, new: Resource, expected: int, actor: str | None, action: str,
               reason: str = ""):
        """Write even when the content is unchanged (a verification is an event worth recording)."""
        actor = actor or default_actor()
        with self._writing() as conn:
            self._replace(conn, old, new, expected, actor, now_iso(), action, self._bump(conn), reason)
            self._after_write(conn, [new], {})
            return self._written(conn, new.id)

    @contextmanager
    def _importing(self) -> Iterator[Connection]:
        """The write transaction of an import, taken before the existing listings are read, so that
        two imports of the same new ids run one after the other and the second sees the first's
        rows: SQLite's BEGIN IMMEDIATE takes the write lock at once; PostgreSQL's SHARE ROW EXCLUSIVE
        lock on the listings lets readers through but no other writer. A unique-key collision that
        still happens (a listing created by hand meanwhile) is a one-line ConflictError."""
        try:
            with self._writing() as conn:
                if self.is_sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif self.engine.dialect.name == "postgresql":
                    conn.execute(sa.text("LOCK TABLE resources IN SHARE ROW EXCLUSIVE MODE"))
                yield conn
        except sa.exc.IntegrityError as err:
            raise ImportConflictError() from err

    def import_resources(self, incoming: Iterable[Resource], actor: str | None = None,
                         batch_size: int = IMPORT_BATCH) -> ImportSummary:
        """Add new listings and update changed ones by id, all in one transaction (all or nothing).

        `incoming` is read once, `batch_size` listings at a time (each compared by content hash with
        the stored rows of the same ids), so an import of a million streamed listings holds one
        batch in memory, not the file. Re-importing the same listings writes nothing at all.
        """
        actor = actor or default_actor()
        summary = ImportSummary()
        seen: set[str] = set()
        at = now_iso()
        hook_state: dict = {}
        with self._importing() as conn:
            taken: list[int] = []  # the version every written row of this import carries, taken at the first write

            def version() -> int:
                if not taken:
                    taken.append(self._bump(conn))
                return taken[0]

            items = iter(incoming)
            while batch := tuple(itertools.islice(items, batch_size)):
                for res in batch:
                    if res.id in seen:
                        raise ValueError(f"listing id {res.id} appears more than once in one import; "
                                         "nothing was changed")
                    seen.add(res.id)
                self._import_batch(conn, batch, summary, actor, at, version, hook_state)
            if not summary.changed:
                conn.rollback()  # nothing to write: leave the database exactly as it was
        return summary

    def _import_batch(self, conn: Connection, batch: tuple[Resource, ...], summary: ImportSummary,
                      actor: str, at: str, version: Callable[[], int], hook_state: dict) -> None:
        ids = [r.id for r in batch]
        existing = {r.id: r for r in conn.execute(sa.select(resources).where(resources.c.id.in_(ids))).all()}
        to_add: list[Resource] = []
        to_update: list[tuple[StoredResource, Resource]] = []
        for res in batch:
            row = existing.get(res.id)
            if row is None:
                to_add.append(res)
                summary.added.append(res.id)
            elif row.content_hash != content_hash(res):
                to_update.append((self._row_to_stored(row), res))
                summary.updated.append(res.id)
            else:
                summary.unchanged.append(res.id)
        if not (to_add or to_update):
            return
        changed = version()
        if to_add:
            conn.execute(resources.insert(), [
                dict(id=r.id, data=canonical_json(r), content_hash=content_hash(r), status=r.status,
                     version=1, created_at=at, updated_at=at, changed_at=changed,
                     support_types=";".join(r.support_types))
                for r in to_add
            ])
            conn.execute(audit.insert(), [
                dict(resource_id=r.id, action="import", actor=actor, at=at, version=1,
                     changes=json.dumps(_diff({}, r.content()), sort_keys=True, ensure_ascii=False))
                for r in to_add
            ])
        for old, new in sorted(to_update, key=lambda pair: pair[1].id):  # one lock order for all writers
            self._replace(conn, old, new, old.version, actor, at, "import", changed)
        self._after_write(conn, to_add + [new for _, new in to_update], hook_state)
