"""The directory database's tables and how an older one is brought up to date.

`SCHEMA_VERSION` is recorded in the database; `directory.store.Store` creates the tables on first use
and runs the steps below, in order, on a database of an older version (each step is safe to repeat:
SQLite runs ALTER TABLE outside the transaction, so a step cut short is finished next time). A
database of a newer version is refused untouched (`SchemaError`).
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .identity import identity_key
from .records import Resource

# 3: users.identity_key (UNIQUE), account_audit, sign_in_failures; 4: resources.support_types;
# 5: resources.changed_at
SCHEMA_VERSION = 5
# The schema that added resources.support_types (the curator's support-type keys, `;`-joined; blank:
# inferred); a database older than this gains the column on opening.
SUPPORT_TYPES_SCHEMA = 4
CHANGED_AT_SCHEMA = 5

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
    sa.Column("support_types", sa.Text, nullable=False, server_default=""),
    # The directory version this row's last write produced: `changes_since` reads only newer rows.
    sa.Column("changed_at", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_resources_changed_at", "changed_at"),
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
    # identity.identity_key(username): one account per key, whatever the case or Unicode form.
    sa.Column("identity_key", sa.String(400), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

# Who changed which account, and how (never a password or its hash).
account_audit = sa.Table(
    "account_audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

# Failed sign-ins, for back-off and lockout (directory/signin.py): "account:KEY" or "client:ADDRESS".
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject", sa.String(450), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),  # seconds since the epoch
)


class SchemaError(RuntimeError):
    """The database belongs to a newer Signpost (a higher schema version): refused, left untouched."""


class AccountClashError(SchemaError):
    """An older database holds two account names that are one identity ("Ada" and "ada"): refused,
    left untouched, because merging them would give one person the other's password or role."""


def canonical_json(resource: Resource) -> str:
    return json.dumps(resource.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(resource: Resource) -> str:
    return hashlib.sha256(canonical_json(resource).encode("utf-8")).hexdigest()


def _add_support_types(conn: Connection) -> None:
    """SUPPORT_TYPES_SCHEMA: the support_types column, and every row's JSON and hash in the form this code
    writes them (a listing read back now has `support_types: []`): without the new hash, re-importing
    an unchanged directory would 'update' every listing. Versions stay: no listing changed."""
    if "support_types" not in {c["name"] for c in sa.inspect(conn).get_columns("resources")}:
        conn.execute(sa.text("ALTER TABLE resources ADD COLUMN support_types TEXT NOT NULL DEFAULT ''"))
    for row in conn.execute(sa.select(resources.c.id, resources.c.data)).all():
        resource = Resource.model_validate_json(row.data)
        conn.execute(resources.update().where(resources.c.id == row.id).values(
            data=canonical_json(resource), content_hash=content_hash(resource),
            support_types=";".join(resource.support_types)))


def _add_identity_keys(conn: Connection, url: str) -> None:
    """Schema 3: each account gets its identity key under a UNIQUE index. A database holding two
    names with one key is refused (AccountClashError) before anything is changed. Safe to repeat:
    a step cut short (SQLite runs ALTER TABLE outside the transaction) is finished next time."""
    if not sa.inspect(conn).has_table("users"):
        return  # created with the key by create_all
    names = conn.execute(sa.text("SELECT username FROM users ORDER BY username")).scalars().all()
    by_key: dict[str, list[str]] = {}
    for name in names:
        by_key.setdefault(identity_key(name), []).append(name)
    clashes = [group for group in by_key.values() if len(group) > 1]
    if clashes:
        where = sa.engine.make_url(url).render_as_string(hide_password=True)
        listed = "; ".join(" and ".join(f"'{n}'" for n in sorted(group)) for group in clashes)
        raise AccountClashError(
            f"the directory database {where} has accounts whose names differ only in case or Unicode form, "
            f"which this Signpost treats as one account: {listed}. Remove or rename all but one of each "
            "(with the Signpost that made them: `signpost user remove NAME`) and open it again; nothing in "
            "the database was changed."
        )
    if "identity_key" not in {c["name"] for c in sa.inspect(conn).get_columns("users")}:
        conn.execute(sa.text("ALTER TABLE users ADD COLUMN identity_key VARCHAR(400) NOT NULL DEFAULT ''"))
    for name in names:
        conn.execute(users.update().where(users.c.username == name).values(identity_key=identity_key(name)))
    conn.execute(sa.text("CREATE UNIQUE INDEX IF NOT EXISTS uq_users_identity_key ON users (identity_key)"))


def _add_change_marker(conn: Connection) -> None:
    """CHANGED_AT_SCHEMA: resources.changed_at (0 for rows written before it) and its index. Safe to repeat."""
    if not sa.inspect(conn).has_table("resources"):
        return  # created with the column by create_all
    if "changed_at" not in {c["name"] for c in sa.inspect(conn).get_columns("resources")}:
        conn.execute(sa.text("ALTER TABLE resources ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0"))
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_resources_changed_at ON resources (changed_at)"))
