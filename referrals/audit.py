"""The referral audit trail: who did what, when, to which record (an opaque id, never a person's
details). Every action writes one entry in the same transaction as its change; reads of a
person's record are entries too ("view")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.accounts import User
from directory.store import Store, now_iso

from . import access, schema


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    subject: str | None
    detail: dict[str, Any]


def person_subject(person_id: int) -> str:
    return f"person:{person_id}"


def write(conn: Connection, actor: User, action: str, subject: str | None = None,
          detail: dict[str, Any] | None = None, at: str | None = None) -> None:
    """One entry. `detail` holds ids, statuses and counts only: free text stays in the record."""
    conn.execute(schema.audit.insert().values(
        at=at or now_iso(), actor=actor.username, role=actor.role, action=action, subject=subject,
        detail=json.dumps(detail or {}, sort_keys=True),
    ))


def trail(store: Store, actor: User, subject: str | None = None, action: str | None = None) -> list[AuditRecord]:
    """The audit trail, oldest first (admin and system only); `subject='person:12'` for one record.
    The reading is recorded as a `view_audit` entry after the ones returned."""
    access.require(actor, "view_audit")
    if not schema.ensure(store):
        return []
    q = sa.select(schema.audit).order_by(schema.audit.c.seq)
    if subject is not None:
        q = q.where(schema.audit.c.subject == subject)
    if action is not None:
        q = q.where(schema.audit.c.action == action)
    with store.engine.begin() as conn:
        rows = conn.execute(q).all()
        write(conn, actor, "view_audit", subject, {"entries": len(rows)})  # looking at the trail is in it too
    return [AuditRecord(r.seq, r.at, r.actor, r.role, r.action, r.subject, json.loads(r.detail or "{}"))
            for r in rows]


def viewers(store: Store, actor: User, person_id: int) -> list[tuple[str, str]]:
    """Who viewed a person's record and when: (username, at), oldest first."""
    return [(r.actor, r.at) for r in trail(store, actor, subject=person_subject(person_id), action="view")]
