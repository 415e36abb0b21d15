"""The link worker's worklist: who is due a call today, who is overdue, who has not been contacted
in two weeks, who is waiting on a provider. One indexed query over the open records in scope
(bench/caseload.py times it on 5,000 people and 20,000 referrals)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from directory.accounts import User
from directory.store import Store

from . import access, audit, load, schema, staff
from .records import NOT_CONTACTED_DAYS, CaseSummary, Worklist, display_name

WAITING_STATUSES = ("requested",)  # sent to the provider, not yet answered


def worklist(store: Store, actor: User, today: dt.date | None = None, scope: str = "mine") -> Worklist:
    """`scope` 'mine' (the records assigned to this link worker) or 'team' (her whole team's)."""
    access.require(actor, "worklist")
    if scope not in ("mine", "team"):
        raise ValueError("scope is 'mine' or 'team'")
    today = today or dt.date.today()
    empty = Worklist([], [], [], [])
    if not schema.ensure(store):
        return empty
    p, o = schema.people, schema.onward
    waiting = (sa.select(sa.func.count()).select_from(o)
               .where(o.c.person_id == p.c.id, o.c.status.in_(WAITING_STATUSES))
               .correlate(p).scalar_subquery())
    with store.engine.begin() as conn:
        if scope == "mine":
            where = p.c.link_worker == actor.username
        else:
            team = staff.placement(conn, actor.username).team
            if team is None:
                audit.write(conn, actor, "worklist", None, {"scope": scope, "shown": 0})
                return empty
            where = p.c.team == team
        rows = conn.execute(
            sa.select(p.c.id, p.c.demographics, p.c.link_worker, p.c.next_contact_on, p.c.last_contact_on,
                      p.c.created_at, waiting.label("waiting"))
            .where(where, p.c.status == "open").order_by(p.c.next_contact_on, p.c.id)
        ).all()
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
        case = CaseSummary(r.id, display_name(json.loads(r.demographics)), r.link_worker, load.day(due),
                           load.day(last), int(r.waiting))
        for target in lists:
            target.append(case)
    out.not_contacted.sort(key=lambda c: (c.last_contact_on or dt.date.min, c.person_id))
    return out
