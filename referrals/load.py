"""Rows of the referral tables as the records of `records.py` (reading only, no checks: callers
have checked the role and scope)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import schema
from .records import (
    Consent,
    Contact,
    HistoryEntry,
    IncomingReferral,
    Note,
    OnwardReferral,
    Outcome,
    Person,
    display_name,
)


def day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def reasons_of(request: dict[str, Any]) -> list[str]:
    """The reasons a ServiceRequest gives, as text (codes' displays where no text)."""
    out = []
    for concept in request.get("reasonCode") or []:
        text = concept.get("text") or next((c.get("display") for c in concept.get("coding") or []
                                             if c.get("display")), None)
        if text:
            out.append(str(text))
    return out


def note_of(request: dict[str, Any]) -> str:
    return "\n".join(str(n.get("text", "")) for n in request.get("note") or [] if n.get("text"))


def incoming_record(row: Any) -> IncomingReferral:
    request = json.loads(row.request)
    return IncomingReferral(
        id=row.id, person_id=row.person_id, source_system=row.source_system, source_value=row.source_value,
        practice=row.practice, requester=row.requester, status=row.status, status_reason=row.status_reason,
        declined=bool(row.declined), authored_on=row.authored_on, received_at=row.received_at,
        updated_at=row.updated_at, reasons=reasons_of(request), note=note_of(request),
        preview=json.loads(row.preview) if row.preview else None,
    )


def onward_record(row: Any) -> OnwardReferral:
    return OnwardReferral(
        id=row.id, incoming_id=row.incoming_id, listing_id=row.listing_id, listing_name=row.listing_name,
        need=row.need, status=row.status, status_reason=row.status_reason, attended=bool(row.attended),
        first_contact_on=day(row.first_contact_on), created_by=row.created_by, created_at=row.created_at,
        updated_at=row.updated_at,
    )


def outcome_record(row: Any) -> Outcome:
    return Outcome(row.id, row.incoming_id, row.stage, dt.date.fromisoformat(row.day),
                   json.loads(row.ons4 or "{}"), json.loads(row.needs or "{}"), row.by_user)


def person_record(conn: Connection, row: Any, with_notes: bool = True) -> Person:
    """The whole record of one person row; `with_notes=False` leaves notes out."""
    pid = row.id
    demographics = json.loads(row.demographics)

    def rows(table, order):
        return conn.execute(sa.select(table).where(table.c.person_id == pid).order_by(order)).all()

    consent = json.loads(row.consent) if row.consent else None
    return Person(
        id=pid, nhs_number=row.nhs_number, name=display_name(demographics),
        birth_date=demographics.get("birthDate"), demographics=demographics, needs=json.loads(row.needs),
        consent=Consent(**consent) if consent else None, link_worker=row.link_worker, team=row.team,
        status=row.status, next_contact_on=day(row.next_contact_on), last_contact_on=day(row.last_contact_on),
        created_at=row.created_at, closed_at=row.closed_at,
        referrals=[incoming_record(r) for r in rows(schema.incoming, schema.incoming.c.id)],
        onward=[onward_record(r) for r in rows(schema.onward, schema.onward.c.id)],
        notes=[Note(r.id, r.author, r.at, r.text) for r in rows(schema.notes, schema.notes.c.id)] if with_notes
        else [],
        contacts=[Contact(dt.date.fromisoformat(r.day), r.method, r.by_user)
                  for r in rows(schema.contacts, schema.contacts.c.id)],
        outcomes=[outcome_record(r) for r in rows(schema.outcomes, schema.outcomes.c.id)],
        history=[HistoryEntry(r.kind, r.target_id, r.field, r.old, r.new, r.reason, r.actor, r.at)
                 for r in rows(schema.history, schema.history.c.seq)],
    )
