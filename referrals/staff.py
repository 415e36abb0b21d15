"""Where users work, on the caseload side: a link worker's team, a GP's practice (ODS code).

Roles and passwords stay in the directory's `users` table (`directory.accounts`); this table adds
only what scoping people's records needs, so accounts needed no change.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.accounts import User
from directory.store import Store

from . import access, audit, schema


@dataclass(frozen=True)
class Placement:
    username: str
    team: str | None
    practice: str | None


def placement(conn: Connection, username: str) -> Placement:
    row = conn.execute(sa.select(schema.staff).where(schema.staff.c.username == username)).first()
    if row is None:
        return Placement(username, None, None)
    return Placement(row.username, row.team, row.practice)


def assign_staff(store: Store, actor: User, username: str, *, team: str | None = None,
                 practice: str | None = None) -> Placement:
    """Put a link worker in a team, or a GP in a practice (admin or system)."""
    access.require(actor, "assign_staff")
    if not username or len(username) > 100:
        raise ValueError("a username is 1-100 characters")
    schema.ensure(store, create=True)
    with store.engine.begin() as conn:
        exists = conn.execute(sa.select(schema.staff.c.username)
                              .where(schema.staff.c.username == username)).first()
        values = dict(team=team or None, practice=practice or None)
        if exists:
            conn.execute(schema.staff.update().where(schema.staff.c.username == username).values(**values))
        else:
            conn.execute(schema.staff.insert().values(username=username, **values))
        audit.write(conn, actor, "assign_staff", None, {"username": username, "team": team, "practice": practice})
    return Placement(username, team or None, practice or None)
