"""A referral arriving: find the person by NHS number or create the record, then add the incoming
referral, whose Task waits for a link worker (`requested`). Shared by the FHIR import, the GP
preview's "Refer to the link worker service" and a link worker saving a record with consent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.accounts import User
from directory.records import InputError, ValidationIssue

from . import audit, schema, status
from .jsonread import PathIssue
from .records import ImportResult


@dataclass
class Intake:
    nhs_number: str | None
    demographics: dict[str, Any]
    source_system: str
    source_value: str
    requester: str
    request: dict[str, Any]  # the ServiceRequest as received
    authored_on: str
    practice: str | None = None
    needs: dict[str, Any] = field(default_factory=dict)
    related: list[dict[str, Any]] = field(default_factory=list)  # [{"refs": [...], "resource": {...}}]
    patient_refs: list[str] = field(default_factory=list)  # how the ServiceRequest named the Patient
    preview: dict[str, Any] | None = None
    consent: dict[str, str] | None = None
    status: str = "requested"
    link_worker: str | None = None
    team: str | None = None


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _person(conn: Connection, intake: Intake, actor: User, at: str) -> int:
    p = schema.people
    row = None
    if intake.nhs_number is not None:
        row = conn.execute(sa.select(p).where(p.c.nhs_number == intake.nhs_number)).first()
    if row is None:
        return conn.execute(p.insert().values(
            nhs_number=intake.nhs_number, demographics=_dumps(intake.demographics), needs=_dumps(intake.needs),
            consent=_dumps(intake.consent) if intake.consent else None, link_worker=intake.link_worker,
            team=intake.team, status="open", created_at=at, updated_at=at,
        )).inserted_primary_key[0]
    values: dict[str, Any] = {"updated_at": at}
    if _dumps(intake.demographics) != row.demographics:  # the sender's details are the newer ones
        values["demographics"] = _dumps(intake.demographics)
        status.history(conn, row.id, "person", row.id, "demographics", None, None, actor.username, at,
                       "updated by a new referral")
    if intake.needs and _dumps(intake.needs) != row.needs:
        values["needs"] = _dumps(intake.needs)
        status.history(conn, row.id, "person", row.id, "needs", None, None, actor.username, at,
                       "updated by a new referral")
    conn.execute(p.update().where(p.c.id == row.id).values(**values))
    return row.id


def store_intake(conn: Connection, intake: Intake, actor: User, at: str, where: str | None = None) -> ImportResult:
    """Write one incoming referral (idempotent by sender identifier); `where` locates the identifier
    in the input for the one error this can raise: the identifier already used for someone else."""
    i = schema.incoming
    seen = conn.execute(sa.select(i.c.id, i.c.person_id).where(
        i.c.source_system == intake.source_system, i.c.source_value == intake.source_value)).first()
    if seen is not None:
        owner = conn.execute(sa.select(schema.people.c.nhs_number)
                             .where(schema.people.c.id == seen.person_id)).scalar_one()
        if intake.nhs_number is not None and owner == intake.nhs_number:
            return ImportResult(seen.person_id, seen.id, created=False)
        message = "this referral identifier was already received for a different person; nothing was changed"
        raise InputError([PathIssue(where, None, message) if where else ValidationIssue(None, "identifier", message)])
    person_id = _person(conn, intake, actor, at)
    referral_id = conn.execute(i.insert().values(
        person_id=person_id, source_system=intake.source_system, source_value=intake.source_value,
        practice=intake.practice, requester=intake.requester, status=intake.status, declined=False,
        request=_dumps(intake.request),
        related=_dumps({"patient_refs": intake.patient_refs, "entries": intake.related}),
        preview=_dumps(intake.preview) if intake.preview is not None else None,
        authored_on=intake.authored_on, received_at=at, updated_at=at,
    )).inserted_primary_key[0]
    status.history(conn, person_id, "incoming", referral_id, "status", None, intake.status, actor.username, at)
    status.refresh_person_status(conn, person_id, at)
    audit.write(conn, actor, "receive_referral", audit.person_subject(person_id),
                {"referral": referral_id, "status": intake.status}, at)
    return ImportResult(person_id, referral_id, created=True)
