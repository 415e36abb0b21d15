"""Changing a Task's status: the value set, the reason rule and the transitions, with history."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.records import InputError, ValidationIssue

from . import schema
from .records import CLOSED_STATUSES, NEXT_STATUSES, REASON_REQUIRED, TASK_STATUSES

MAX_REASON = 1000


def check(current: str, new: str, reason: str | None) -> str | None:
    """The reason to store, or InputError naming `status` or `reason` (nothing written)."""
    if new not in TASK_STATUSES:
        raise InputError([ValidationIssue(None, "status", f"'{new[:40]}' is not a referral Task status: use one "
                                                          f"of {', '.join(TASK_STATUSES)}")])
    if new != "entered-in-error" and new not in NEXT_STATUSES.get(current, frozenset()):
        raise InputError([ValidationIssue(None, "status", f"a referral that is {current} cannot become {new}")])
    reason = (reason or "").strip() or None
    if new in REASON_REQUIRED and reason is None:
        raise InputError([ValidationIssue(None, "reason", f"say why the referral is {new}: a reason is required")])
    if reason is not None and len(reason) > MAX_REASON:
        raise InputError([ValidationIssue(None, "reason", f"is longer than {MAX_REASON} characters")])
    return reason


def history(conn: Connection, person_id: int, kind: str, target_id: int, field: str, old: Any, new: Any,
            actor: str, at: str, reason: str | None = None) -> None:
    conn.execute(schema.history.insert().values(
        person_id=person_id, kind=kind, target_id=target_id, field=field,
        old=None if old is None else str(old), new=None if new is None else str(new),
        reason=reason, actor=actor, at=at,
    ))


def change(conn: Connection, table: sa.Table, kind: str, row: Any, new: str, reason: str | None,
           actor: str, at: str, **extra: Any) -> None:
    """Move one Task (an incoming or onward referral row) to `new`, checked, with its history."""
    reason = check(row.status, new, reason)
    # only from the status it was read at: two link workers acting at once cannot both move it
    done = conn.execute(table.update().where(table.c.id == row.id, table.c.status == row.status)
                        .values(status=new, status_reason=reason, updated_at=at, **extra))
    if done.rowcount != 1:
        raise InputError([ValidationIssue(None, "status", "someone else changed this referral a moment ago; "
                                                          "reload it and try again (nothing was saved)")])
    history(conn, row.person_id, kind, row.id, "status", row.status, new, actor, at, reason)


def refresh_person_status(conn: Connection, person_id: int, at: str) -> None:
    """A person's record is open while any incoming referral is; closed (and dated) when none is."""
    statuses = conn.execute(sa.select(schema.incoming.c.status)
                            .where(schema.incoming.c.person_id == person_id)).scalars().all()
    is_open = any(s not in CLOSED_STATUSES for s in statuses)
    current = conn.execute(sa.select(schema.people.c.status).where(schema.people.c.id == person_id)).scalar_one()
    if is_open and current != "open":
        conn.execute(schema.people.update().where(schema.people.c.id == person_id)
                     .values(status="open", closed_at=None, updated_at=at))
    elif not is_open and current != "closed":
        conn.execute(schema.people.update().where(schema.people.c.id == person_id)
                     .values(status="closed", closed_at=at, updated_at=at))
