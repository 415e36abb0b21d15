"""Storage of the directory: SQLAlchemy Core over an embedded SQLite file or a PostgreSQL URL.

Every write is one transaction with its audit record; updates carry the version they were read at
and a stale write is refused (`ConflictError`), never silently applied. The directory version
increases with every committed change so that search indexes know when they are out of date.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .records import Resource

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "signpost.db"
SCHEMA_VERSION = 2

metadata = sa.MetaData()

resources = sa.Table(
    "resources",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),  # the Resource as canonical JSON
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("resource_id", sa.String(128), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the version this change produced
    sa.Column("changes", sa.Text, nullable=False),  # {"field": [old, new], ...}
)

state = sa.Table(
    "directory_state",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)


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

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def __str__(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def default_actor() -> str:
    return os.environ.get("SIGNPOST_USER") or f"cli:{getpass.getuser()}"


def canonical_json(resource: Resource) -> str:
    return json.dumps(resource.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(resource: Resource) -> str:
    return hashlib.sha256(canonical_json(resource).encode("utf-8")).hexdigest()


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
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    keys = [k for k in new if k in old] + [k for k in new if k not in old] + [k for k in old if k not in new]
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


class Store:
    """The directory's database. Cheap to create; holds one SQLAlchemy engine."""

    def __init__(self, db: str | os.PathLike | None = None, *, create: bool = True):
        self.url = resolve_url(db)
        path = sqlite_path(self.url)
        if path is not None:
            if not create and not path.exists():
                raise FileNotFoundError(f"no directory database at {path}")
            path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = sa.create_engine(self.url)
            sa.event.listen(self.engine, "connect", _on_sqlite_connect)
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        self._migrate()

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
    def _migrate(self) -> None:
        """Create the schema on first use; later versions add steps here (versioned, plain SQL)."""
        insp = sa.inspect(self.engine)
        if insp.has_table("directory_state"):
            with self.engine.connect() as conn:
                current = conn.execute(
                    sa.select(state.c.value).where(state.c.key == "schema_version")
                ).scalar_one_or_none()
            if current == SCHEMA_VERSION:
                return
        with self.engine.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            for key, value in (("schema_version", SCHEMA_VERSION), ("directory_version", 0)):
                exists = conn.execute(sa.select(state.c.value).where(state.c.key == key)).first()
                if exists is None:
                    conn.execute(state.insert().values(key=key, value=value))
                elif key == "schema_version":
                    conn.execute(state.update().where(state.c.key == key).values(value=value))

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
        """The directory version and every listing, read in one transaction."""
        with self.engine.connect() as conn, conn.begin():
            version = int(
                conn.execute(sa.select(state.c.value).where(state.c.key == "directory_version")).scalar_one()
            )
            rows = conn.execute(sa.select(resources).order_by(resources.c.id)).all()
        return version, [self._row_to_stored(r) for r in rows]

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
    def _bump(self, conn: Connection) -> None:
        conn.execute(
            state.update().where(state.c.key == "directory_version").values(value=state.c.value + 1)
        )

    def _audit(self, conn: Connection, rid: str, action: str, actor: str, at: str, version: int, changes) -> None:
        conn.execute(
            audit.insert().values(
                resource_id=rid, action=action, actor=actor, at=at, version=version,
                changes=json.dumps(changes, sort_keys=True, ensure_ascii=False),
            )
        )

    def _insert(self, conn: Connection, resource: Resource, actor: str, at: str, action: str) -> None:
        conn.execute(
            resources.insert().values(
                id=resource.id, data=canonical_json(resource), content_hash=content_hash(resource),
                status=resource.status, version=1, created_at=at, updated_at=at,
            )
        )
        self._audit(conn, resource.id, action, actor, at, 1, _diff({}, resource.content()))

    def _replace(
        self, conn: Connection, old: StoredResource, new: Resource, expected: int, actor: str, at: str, action: str
    ) -> int:
        result = conn.execute(
            resources.update()
            .where(resources.c.id == new.id, resources.c.version == expected)
            .values(
                data=canonical_json(new), content_hash=content_hash(new), status=new.status,
                version=expected + 1, updated_at=at,
            )
        )
        if result.rowcount != 1:
            current = conn.execute(sa.select(resources.c.version).where(resources.c.id == new.id)).scalar()
            raise ConflictError(new.id, expected, current)
        self._audit(conn, new.id, action, actor, at, expected + 1, _diff(old.resource.content(), new.content()))
        return expected + 1

    def create(self, resource: Resource, actor: str | None = None) -> StoredResource:
        actor = actor or default_actor()
        at = now_iso()
        try:
            with self.engine.begin() as conn:
                self._insert(conn, resource, actor, at, "create")
                self._bump(conn)
        except sa.exc.IntegrityError as err:
            raise ValueError(f"a listing with id {resource.id} already exists") from err
        return self.get(resource.id)

    def update(self, resource: Resource, expected_version: int, actor: str | None = None,
               action: str = "update") -> StoredResource:
        """Replace a listing read at `expected_version`; refuse (ConflictError) if it changed since."""
        actor = actor or default_actor()
        old = self.get(resource.id)
        if old.version != expected_version:
            raise ConflictError(resource.id, expected_version, old.version)
        if content_hash(resource) == old.content_hash:
            return old
        with self.engine.begin() as conn:
            self._replace(conn, old, resource, expected_version, actor, now_iso(), action)
            self._bump(conn)
        return self.get(resource.id)

    def verify(self, resource_id: str, expected_version: int, actor: str | None = None,
               on: dt.date | None = None) -> StoredResource:
        old = self.get(resource_id)
        new = old.resource.model_copy(update={"last_verified": on or dt.date.today()})
        return self._force(old, new, expected_version, actor, "verify")

    def retire(self, resource_id: str, expected_version: int, actor: str | None = None) -> StoredResource:
        old = self.get(resource_id)
        new = old.resource.model_copy(update={"status": "inactive"})
        return self._force(old, new, expected_version, actor, "retire")

    def reactivate(self, resource_id: str, expected_version: int, actor: str | None = None) -> StoredResource:
        old = self.get(resource_id)
        new = old.resource.model_copy(update={"status": "active"})
        return self._force(old, new, expected_version, actor, "reactivate")

    def _force(self, old: StoredResource, new: Resource, expected: int, actor: str | None, action: str):
        """Write even when the content is unchanged (a verification is an event worth recording)."""
        actor = actor or default_actor()
        with self.engine.begin() as conn:
            self._replace(conn, old, new, expected, actor, now_iso(), action)
            self._bump(conn)
        return self.get(new.id)

    def import_resources(self, incoming: Iterable[Resource], actor: str | None = None) -> ImportSummary:
        """Add new listings and update changed ones by id, all in one transaction (all or nothing).

        Re-importing the same listings writes nothing at all.
        """
        actor = actor or default_actor()
        incoming = list(incoming)
        summary = ImportSummary()
        with self.engine.connect() as conn:
            existing = {
                r.id: r for r in conn.execute(sa.select(resources)).all()
            }
        to_add: list[Resource] = []
        to_update: list[tuple[StoredResource, Resource]] = []
        for res in incoming:
            row = existing.get(res.id)
            if row is None:
                to_add.append(res)
                summary.added.append(res.id)
            elif row.content_hash != content_hash(res):
                to_update.append((self._row_to_stored(row), res))
                summary.updated.append(res.id)
            else:
                summary.unchanged.append(res.id)
        if not summary.changed:
            return summary
        at = now_iso()
        with self.engine.begin() as conn:
            if to_add:
                conn.execute(
                    resources.insert(),
                    [
                        dict(id=r.id, data=canonical_json(r), content_hash=content_hash(r), status=r.status,
                             version=1, created_at=at, updated_at=at)
                        for r in to_add
                    ],
                )
                conn.execute(
                    audit.insert(),
                    [
                        dict(resource_id=r.id, action="import", actor=actor, at=at, version=1,
                             changes=json.dumps(_diff({}, r.content()), sort_keys=True, ensure_ascii=False))
                        for r in to_add
                    ],
                )
            for old, new in to_update:
                self._replace(conn, old, new, old.version, actor, at, "import")
            self._bump(conn)
        return summary
