"""The link worker's worklist: who is due a call today, who is overdue, who has not been contacted
in two weeks, who is waiting on a provider. One indexed query over the open records in scope
(bench/caseload.py times it on 5,000 people and 20,000 referrals). `caseload` is the same query
unsorted: everyone open in scope, for a page's person picker."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from directory.accounts import User
from directory.store import Store

from . import access, audit, load, schema, staff
from .records import NOT_CONTACTED_DAYS, CaseSummary, Worklist, display_name

WAITING_STATUSES = ("requested",)  # sent to the provider, not yet answered


def _open_rows(conn, actor: User, scope: str) -> list | None:
    """The open records in scope with their waiting count; None when a team scope has no team."""
    p, o = schema.people, schema.onward
    waiting = (sa.select(sa.func.count()).select_from(o)
               .where(o.c.person_id == p.c.id, o.c.status.in_(WAITING_STATUSES))
               .correlate(p).scalar_subquery())
    if scope == "mine":
        where = p.c.link_worker == actor.username
    else:
        team = staff.placement(conn, actor.username).team
        if team is None:
            return None
        where = p.c.team == team
    return conn.execute(
        sa.select(p.c.id, p.c.demographics, p.c.link_worker, p.c.next_contact_on, p.c.last_contact_on,
                  p.c.created_at, waiting.label("waiting"))
        .where(where, p.c.status == "open").order_by(p.c.next_contact_on, p.c.id)
    ).all()


def _summary(r) -> CaseSummary:
    return CaseSummary(r.id, display_name(json.loads(r.demographics)), r.link_worker, load.day(r.next_contact_on),
                       load.day(r.last_contact_on), int(r.waiting))


def caseload(store: Store, actor: User, scope: str = "mine") -> list[CaseSummary]:
    """Everyone open in scope ('mine' or 'team'), by next call due; audited like the worklist."""
    access.require(actor, "worklist")
    if scope not in ("mine", "team"):
        raise ValueError("scope is 'mine' or 'team'")
    if not schema.ensure(store):
        return []
    with store.engine.begin() as conn:
        out = [_summary(r) for r in _open_rows(conn, actor, scope) or []]
        audit.write(conn, actor, "caseload", None, {"scope": scope, "shown": len(out)})
    return out


def worklist(store: Store, actor: User, today: dt.date | None = None, scope: str = "mine") -> Worklist:
    """`scope` 'mine' (the records assigned to this link worker) or 'team' (her whole team's)."""
    access.require(actor, "worklist")
    if scope not in ("mine", "team"):
        raise ValueError("scope is 'mine' or 'team'")
    today = today or dt.date.today()
    empty = Worklist([], [], [], [])
    if not schema.ensure(store):
        return empty
    with store.engine.begin() as conn:
        rows = _open_rows(conn, actor, scope)
        if rows is None:
            audit.write(conn, actor, "worklist", None, {"scope": scope, "shown": 0})
            return empty
        result = _sort(rows, today)
        shown = {c.person_id for part in result.__dict__.values() for c in part}
        audit.write(conn, actor, "worklist", None, {"scope": scope, "shown": len(shown)})
    return result


def _sort(rows, today: dt.date) -> Worklist:
    out = Worklist([], [], [], [])
    quiet_since = (today - dt.timedelta(days=NOT_CONTACTED_DAYS)).isoformat()
    iso = today.isoformat()
    for r in rows:
        due, last = r.next_contact_on, r.last_contact_on
        lists = []
        if due == iso:
            lists.append(out.due_today)
        elif due is not None and due < iso:
            lists.append(out.overdue)
        if (last or r.created_at[:10]) < quiet_since:
            lists.append(out.not_contacted)
        if r.waiting:
            lists.append(out.waiting_on_provider)
        if not lists:
            continue
        case = _summary(r)
        for target in lists:
            target.append(case)
    out.not_contacted.sort(key=lambda c: (c.last_contact_on or dt.date.min, c.person_id))
    return out
