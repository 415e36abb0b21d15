"""Outcomes: ONS4 well-being (four questions, 0-10) and the eight needs re-rated (1-10), at the
start, at contacts and at discharge; and per listing, what happened to the people referred there,
as figures and as labels a later ranking model can learn from (no person in them)."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from directory.accounts import User
from directory.records import DOMAINS, InputError, ValidationIssue
from directory.store import Store, now_iso

from . import access, audit, schema
from .cases import caseload_row, current_incoming
from .records import ONS4_QUESTIONS, OUTCOME_STAGES

REACHED = ("accepted", "in-progress", "on-hold", "completed")  # the provider took the person on


def _scores(values: dict[str, Any] | None, keys, low: int, column: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in (values or {}).items():
        if key not in keys:
            raise InputError([ValidationIssue(None, column, f"'{str(key)[:40]}' is not one of {', '.join(keys)}")])
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 10:
            raise InputError([ValidationIssue(None, column, f"{key} must be a whole number from {low} to 10")])
        out[key] = value
    return out


def record_outcome(store: Store, actor: User, person_id: int, stage: str, day: dt.date, *,
                   ons4: dict[str, int] | None = None, needs: dict[str, int] | None = None) -> int:
    """Record ONS4 answers and/or needs re-rated for the person's current referral; the id."""
    access.require(actor, "record_outcome")
    if stage not in OUTCOME_STAGES:
        raise InputError([ValidationIssue(None, "stage", f"must be one of {', '.join(OUTCOME_STAGES)}")])
    ons4_scores = _scores(ons4, tuple(ONS4_QUESTIONS), 0, "ons4")
    need_scores = _scores(needs, DOMAINS, 1, "needs")
    if not ons4_scores and not need_scores:
        raise InputError([ValidationIssue(None, "ons4", "record at least one ONS4 answer or need rating")])
    schema.ensure(store, create=True)
    at = now_iso()
    with store.engine.begin() as conn:
        caseload_row(conn, actor, person_id)
        parent = current_incoming(conn, person_id)
        outcome_id = conn.execute(schema.outcomes.insert().values(
            person_id=person_id, incoming_id=parent.id, stage=stage, day=day.isoformat(),
            ons4=json.dumps(ons4_scores) if ons4_scores else None,
            needs=json.dumps(need_scores) if need_scores else None, by_user=actor.username,
        )).inserted_primary_key[0]
        audit.write(conn, actor, "record_outcome", audit.person_subject(person_id),
                    {"outcome": outcome_id, "stage": stage}, at)
    return outcome_id


@dataclass(frozen=True)
class ListingOutcome:
    listing_id: str
    referred: int
    accepted: int  # the provider took the person on (accepted, in progress, on hold or completed)
    attended: int
    completed: int
    median_days_to_first_contact: float | None


def _label_rows(conn) -> list[dict[str, Any]]:
    o = schema.onward
    live = conn.execute(sa.select(o.c.listing_id, o.c.need, o.c.status, o.c.attended, o.c.created_at,
                                  o.c.first_contact_on)).all()
    rows = []
    for r in live:
        days = None
        if r.first_contact_on:
            days = (dt.date.fromisoformat(r.first_contact_on) - dt.date.fromisoformat(r.created_at[:10])).days
        rows.append(dict(listing_id=r.listing_id, need=r.need, status=r.status, attended=bool(r.attended),
                         days_to_first_contact=days))
    kept = conn.execute(sa.select(schema.labels)).all()
    rows += [dict(listing_id=r.listing_id, need=r.need, status=r.status, attended=bool(r.attended),
                  days_to_first_contact=r.days_to_first_contact) for r in kept]
    return rows


def outcome_labels(store: Store, actor: User) -> list[dict[str, Any]]:
    """One row per onward referral ever made (purged records' included): listing, need, final
    status, attended, days to first contact. Nothing identifies a person."""
    access.require(actor, "listing_outcomes")
    if not schema.ensure(store):
        return []
    with store.engine.begin() as conn:
        rows = _label_rows(conn)
        audit.write(conn, actor, "outcome_labels", None, {"rows": len(rows)})
    return sorted(rows, key=lambda r: (r["listing_id"], r["status"]))


def listing_outcomes(store: Store, actor: User) -> list[ListingOutcome]:
    """Per listing: people referred, taken on, attended, completed; median days to first contact."""
    by_listing: dict[str, list[dict[str, Any]]] = {}
    for row in outcome_labels(store, actor):
        by_listing.setdefault(row["listing_id"], []).append(row)
    out = []
    for listing_id, rows in sorted(by_listing.items()):
        days = [r["days_to_first_contact"] for r in rows if r["days_to_first_contact"] is not None]
        out.append(ListingOutcome(
            listing_id, len(rows), sum(r["status"] in REACHED for r in rows), sum(r["attended"] for r in rows),
            sum(r["status"] == "completed" for r in rows), statistics.median(days) if days else None,
        ))
    return out
