"""Working a case: the record saved with consent, the inbox, accepting and rejecting, referring on
to listings, status changes, notes, contacts and the next call, reading the record, handover.

Every function takes the acting `User` first after the store, checks role and scope before it
reads or writes anything (PermissionDenied, nothing written), and writes its change and its audit
entry in one transaction. Messages never repeat what the record holds.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.accounts import PermissionDenied, User
from directory.records import DOMAINS, InputError, ValidationIssue
from directory.store import NotFoundError, Store, now_iso

from . import access, audit, load, nhs, schema, staff, status
from .intake import Intake, store_intake
from .records import CLOSED_STATUSES, CONTACT_METHODS, InboxItem, Person, display_name

LOCAL_REFERRAL_SYSTEM = "urn:signpost:link-worker-record"
MAX_NOTE = 20_000


def _issue(column: str, message: str) -> InputError:
    return InputError([ValidationIssue(None, column, message)])


def caseload_row(conn: Connection, actor: User, person_id: int) -> Any:
    """The person row, if this link worker's caseload holds it (PermissionDenied otherwise)."""
    row = conn.execute(sa.select(schema.people).where(schema.people.c.id == person_id)).first()
    if row is None:
        raise NotFoundError(f"no person record {person_id}")
    team = staff.placement(conn, actor.username).team
    if not access.sees_person(actor, team, row.link_worker, row.team):
        raise PermissionDenied(f"{actor.username} may not see person record {person_id}: not on their caseload")
    return row


def _incoming_row(conn: Connection, actor: User, referral_id: int) -> Any:
    row = conn.execute(sa.select(schema.incoming).where(schema.incoming.c.id == referral_id)).first()
    if row is None:
        raise NotFoundError(f"no referral {referral_id}")
    caseload_row(conn, actor, row.person_id)
    return row


def _begin(store: Store, actor: User, action: str):
    access.require(actor, action)
    schema.ensure(store, create=True)
    return store.engine.begin()


# ---- the record -------------------------------------------------------------------------------------------
def demographics_from_form(name: str, birth_date: dt.date | str | None = None, gender: str | None = None,
                           postcode: str | None = None, phone: str | None = None,
                           languages: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """A form's details as the FHIR Patient fields the record keeps (and nothing more)."""
    if not name or not name.strip() or len(name) > 200:
        raise _issue("name", "is required (at most 200 characters)")
    if gender not in (None, "", "female", "male", "other", "unknown"):
        raise _issue("gender", "must be female, male, other or unknown")
    out: dict[str, Any] = {"name": [{"text": " ".join(name.split())}]}
    if birth_date:
        try:
            out["birthDate"] = dt.date.fromisoformat(str(birth_date)).isoformat()
        except ValueError:
            raise _issue("birth_date", "is not a date (use YYYY-MM-DD)") from None
    if gender:
        out["gender"] = gender
    if postcode:
        out["address"] = [{"postalCode": " ".join(postcode.upper().split())[:10]}]
    if phone:
        out["telecom"] = [{"system": "phone", "value": phone.strip()[:40]}]
    if languages:
        out["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": code}]}}
                                for code in languages]
    return out


def record_person(store: Store, actor: User, *, demographics: dict[str, Any], purpose: str,
                  nhs_number: str | None = None, needs: dict[str, Any] | None = None) -> int:
    """Save a person's record with her consent, recorded: who asked, when, what for. The link worker
    takes the case (an accepted local referral, so the work is the same as for a GP's)."""
    access.require(actor, "record_person")
    if not purpose or not purpose.strip():
        raise _issue("purpose", "say what the person agreed their record is kept for")
    if nhs_number is not None:
        if not nhs.is_valid(nhs_number):
            raise _issue("nhs_number", "is not a valid NHS number (10 digits with a valid check digit)")
        nhs_number = nhs.normalise(nhs_number)
    schema.ensure(store, create=True)
    at = now_iso()
    with store.engine.begin() as conn:
        if nhs_number and conn.execute(sa.select(schema.people.c.id)
                                       .where(schema.people.c.nhs_number == nhs_number)).first():
            raise _issue("nhs_number", "a record with this NHS number exists already: open it from the caseload")
        team = staff.placement(conn, actor.username).team
        intake = Intake(
            nhs_number=nhs_number, demographics=demographics, needs=needs or {},
            source_system=LOCAL_REFERRAL_SYSTEM, source_value=str(uuid.uuid4()), requester=actor.username,
            request={"resourceType": "ServiceRequest", "status": "active", "intent": "order"},
            authored_on=at, status="accepted", link_worker=actor.username, team=team,
            consent={"by": actor.username, "at": at, "purpose": purpose.strip()[:500]},
        )
        result = store_intake(conn, intake, actor, at)
        audit.write(conn, actor, "record_person", audit.person_subject(result.person_id), {}, at)
    return result.person_id


def view_person(store: Store, actor: User, person_id: int) -> Person:
    """The whole record, notes included, for a link worker on the case; the view is audited."""
    access.require(actor, "view_person")
    if not schema.ensure(store):
        raise NotFoundError(f"no person record {person_id}")
    with store.engine.begin() as conn:
        row = caseload_row(conn, actor, person_id)
        person = load.person_record(conn, row)
        audit.write(conn, actor, "view", audit.person_subject(person_id))
    return person


# ---- the inbox ---------------------------------------------------------------------------------------------
def inbox(store: Store, actor: User) -> list[InboxItem]:
    """New referrals waiting for a link worker of this team (or for anyone), oldest first."""
    access.require(actor, "inbox")
    if not schema.ensure(store):
        return []
    i, p = schema.incoming, schema.people
    with store.engine.begin() as conn:
        team = staff.placement(conn, actor.username).team
        rows = conn.execute(
            sa.select(i, p.c.demographics, p.c.link_worker, p.c.team.label("person_team"))
            .join(p, p.c.id == i.c.person_id).where(i.c.status == "requested").order_by(i.c.received_at, i.c.id)
        ).all()
        items = [
            InboxItem(r.id, r.person_id, display_name(json.loads(r.demographics)), r.received_at, r.requester,
                      load.reasons_of(json.loads(r.request)), load.note_of(json.loads(r.request)))
            for r in rows if access.sees_person(actor, team, r.link_worker, r.person_team)
        ]
        audit.write(conn, actor, "inbox", None, {"shown": len(items)})
    return items


def accept_referral(store: Store, actor: User, referral_id: int, next_contact_on: dt.date | None = None) -> None:
    """Take a new referral on: the person joins this link worker's caseload (and her team's)."""
    at = now_iso()
    with _begin(store, actor, "accept_referral") as conn:
        row = _incoming_row(conn, actor, referral_id)
        status.change(conn, schema.incoming, "incoming", row, "accepted", None, actor.username, at)
        person = conn.execute(sa.select(schema.people).where(schema.people.c.id == row.person_id)).one()
        team = staff.placement(conn, actor.username).team
        values: dict[str, Any] = {"updated_at": at}
        if person.link_worker is None:
            values.update(link_worker=actor.username, team=team)
            status.history(conn, row.person_id, "person", row.person_id, "link_worker", None, actor.username,
                           actor.username, at)
        if next_contact_on is not None:
            values["next_contact_on"] = next_contact_on.isoformat()
        conn.execute(schema.people.update().where(schema.people.c.id == row.person_id).values(**values))
        status.refresh_person_status(conn, row.person_id, at)
        audit.write(conn, actor, "accept_referral", audit.person_subject(row.person_id),
                    {"referral": referral_id}, at)


def reject_referral(store: Store, actor: User, referral_id: int, reason: str, declined: bool = False) -> None:
    """Turn a new referral down, saying why; `declined`: the person said no (SNOMED CT 871711000000103)."""
    at = now_iso()
    with _begin(store, actor, "reject_referral") as conn:
        row = _incoming_row(conn, actor, referral_id)
        status.change(conn, schema.incoming, "incoming", row, "rejected", reason, actor.username, at,
                      declined=bool(declined))
        status.refresh_person_status(conn, row.person_id, at)
        audit.write(conn, actor, "reject_referral", audit.person_subject(row.person_id),
                    {"referral": referral_id, "declined": bool(declined)}, at)


def set_status(store: Store, actor: User, referral_id: int, new_status: str, reason: str | None = None,
               declined: bool | None = None) -> None:
    """Move an incoming referral's Task (in-progress, on-hold, completed, ...), with the reason the
    value set asks for; closing the last open referral closes the record (retention counts from then)."""
    at = now_iso()
    with _begin(store, actor, "set_status") as conn:
        row = _incoming_row(conn, actor, referral_id)
        extra = {} if declined is None else {"declined": bool(declined)}
        status.change(conn, schema.incoming, "incoming", row, new_status, reason, actor.username, at, **extra)
        status.refresh_person_status(conn, row.person_id, at)
        audit.write(conn, actor, "set_status", audit.person_subject(row.person_id),
                    {"referral": referral_id, "from": row.status, "to": new_status}, at)


# ---- referring on to listings ----------------------------------------------------------------------------
def _open_incoming(conn: Connection, person_id: int) -> Any:
    rows = conn.execute(sa.select(schema.incoming).where(schema.incoming.c.person_id == person_id)
                        .order_by(schema.incoming.c.id.desc())).all()
    for row in rows:
        if row.status in ("accepted", "in-progress", "on-hold"):
            return row
    raise _issue("referral", "accept the person's referral before referring them on")


def current_incoming(conn: Connection, person_id: int) -> Any:
    """The referral outcomes belong to: the open one, else the latest."""
    rows = conn.execute(sa.select(schema.incoming).where(schema.incoming.c.person_id == person_id)
                        .order_by(schema.incoming.c.id.desc())).all()
    return next((r for r in rows if r.status not in CLOSED_STATUSES), rows[0])


def refer_to_listing(store: Store, actor: User, person_id: int, listing_id: str, need: str | None = None) -> int:
    """Refer the person on to a directory listing (a Task `requested` of the provider); the id."""
    access.require(actor, "refer_to_listing")
    if need is not None and need not in DOMAINS:
        raise _issue("need", f"must be one of the needs domains: {', '.join(DOMAINS)}")
    try:
        listing = store.get(listing_id)
    except KeyError:
        raise _issue("listing_id", "no listing with this id in the directory") from None
    at = now_iso()
    with _begin(store, actor, "refer_to_listing") as conn:
        caseload_row(conn, actor, person_id)
        parent = _open_incoming(conn, person_id)
        onward_id = conn.execute(schema.onward.insert().values(
            incoming_id=parent.id, person_id=person_id, listing_id=listing_id,
            listing_name=listing.resource.name[:300], need=need, status="requested", attended=False,
            created_by=actor.username, created_at=at, updated_at=at,
        )).inserted_primary_key[0]
        status.history(conn, person_id, "onward", onward_id, "status", None, "requested", actor.username, at)
        if parent.status == "accepted":
            status.change(conn, schema.incoming, "incoming", parent, "in-progress", None, actor.username, at)
        audit.write(conn, actor, "refer_to_listing", audit.person_subject(person_id),
                    {"onward": onward_id, "listing": listing_id}, at)
    return onward_id


def update_onward(store: Store, actor: User, onward_id: int, *, status_to: str | None = None,
                  reason: str | None = None, attended: bool | None = None,
                  first_contact_on: dt.date | None = None) -> None:
    """Record what the provider did: the Task's status, whether the person attended, first contact."""
    at = now_iso()
    with _begin(store, actor, "update_onward") as conn:
        row = conn.execute(sa.select(schema.onward).where(schema.onward.c.id == onward_id)).first()
        if row is None:
            raise NotFoundError(f"no onward referral {onward_id}")
        caseload_row(conn, actor, row.person_id)
        if status_to is not None and status_to != row.status:
            status.change(conn, schema.onward, "onward", row, status_to, reason, actor.username, at)
        values: dict[str, Any] = {}
        if attended is not None and bool(attended) != bool(row.attended):
            values["attended"] = bool(attended)
            status.history(conn, row.person_id, "onward", onward_id, "attended", row.attended, attended,
                           actor.username, at)
        if first_contact_on is not None:
            if first_contact_on < dt.date.fromisoformat(row.created_at[:10]):
                raise _issue("first_contact_on", "is before the referral was made")
            values["first_contact_on"] = first_contact_on.isoformat()
            status.history(conn, row.person_id, "onward", onward_id, "first_contact_on", row.first_contact_on,
                           first_contact_on.isoformat(), actor.username, at)
        if values:
            conn.execute(schema.onward.update().where(schema.onward.c.id == onward_id)
                         .values(updated_at=at, **values))
        audit.write(conn, actor, "update_onward", audit.person_subject(row.person_id),
                    {"onward": onward_id, "status": status_to}, at)


# ---- notes, contacts, the next call ------------------------------------------------------------------------
def add_note(store: Store, actor: User, person_id: int, text: str) -> int:
    if not text or not text.strip():
        raise _issue("text", "a note needs some text")
    if len(text) > MAX_NOTE:
        raise _issue("text", f"a note is at most {MAX_NOTE} characters")
    at = now_iso()
    with _begin(store, actor, "add_note") as conn:
        caseload_row(conn, actor, person_id)
        note_id = conn.execute(schema.notes.insert().values(
            person_id=person_id, author=actor.username, at=at, text=text.strip())).inserted_primary_key[0]
        audit.write(conn, actor, "add_note", audit.person_subject(person_id), {"note": note_id}, at)
    return note_id


def record_contact(store: Store, actor: User, person_id: int, day: dt.date, method: str = "phone",
                   next_contact_on: dt.date | None = None) -> None:
    """A call, visit or message happened on `day`; optionally when the next one is due."""
    if method not in CONTACT_METHODS:
        raise _issue("method", f"must be one of {', '.join(CONTACT_METHODS)}")
    at = now_iso()
    with _begin(store, actor, "record_contact") as conn:
        row = caseload_row(conn, actor, person_id)
        conn.execute(schema.contacts.insert().values(person_id=person_id, day=day.isoformat(), method=method,
                                                     by_user=actor.username))
        last = max(filter(None, [row.last_contact_on, day.isoformat()]))
        values = {"last_contact_on": last, "updated_at": at}
        if next_contact_on is not None:
            values["next_contact_on"] = next_contact_on.isoformat()
        elif row.next_contact_on and row.next_contact_on <= day.isoformat():
            values["next_contact_on"] = None  # the call that was due has happened
        conn.execute(schema.people.update().where(schema.people.c.id == person_id).values(**values))
        audit.write(conn, actor, "record_contact", audit.person_subject(person_id), {}, at)


def schedule_contact(store: Store, actor: User, person_id: int, day: dt.date | None) -> None:
    """Set (or, with None, clear) the day the next call is due."""
    at = now_iso()
    with _begin(store, actor, "schedule_contact") as conn:
        row = caseload_row(conn, actor, person_id)
        new = day.isoformat() if day else None
        conn.execute(schema.people.update().where(schema.people.c.id == person_id)
                     .values(next_contact_on=new, updated_at=at))
        status.history(conn, person_id, "person", person_id, "next_contact_on", row.next_contact_on, new,
                       actor.username, at)
        audit.write(conn, actor, "schedule_contact", audit.person_subject(person_id), {}, at)


# ---- handover -----------------------------------------------------------------------------------------------
def handover(store: Store, actor: User, from_user: str, to_user: str) -> int:
    """Move every record assigned to `from_user` to `to_user` in one transaction; the count moved.

    A link worker hands over within her team (her own caseload or a team mate's); an admin or the
    system user between any two link workers. The new worker's team takes the records with her.
    """
    access.require(actor, "handover")
    if from_user == to_user:
        raise _issue("to_user", "hand the caseload to someone else")
    schema.ensure(store, create=True)
    at = now_iso()
    with store.engine.begin() as conn:
        target = staff.placement(conn, to_user)
        if target.team is None:
            raise _issue("to_user", "is not a link worker in a team: an admin puts them in one first")
        if actor.role == access.LW:
            mine = staff.placement(conn, actor.username).team
            source = staff.placement(conn, from_user).team
            if mine is None or target.team != mine or (from_user != actor.username and source != mine):
                raise PermissionDenied(f"{actor.username} may hand over only within their own team")
        p = schema.people
        ids = conn.execute(sa.select(p.c.id).where(p.c.link_worker == from_user).order_by(p.c.id)).scalars().all()
        if ids:
            conn.execute(p.update().where(p.c.link_worker == from_user)
                         .values(link_worker=to_user, team=target.team, updated_at=at))
            conn.execute(schema.history.insert(), [
                dict(person_id=pid, kind="person", target_id=pid, field="link_worker", old=from_user, new=to_user,
                     reason="caseload handover", actor=actor.username, at=at) for pid in ids])
        audit.write(conn, actor, "handover", None, {"from": from_user, "to": to_user, "records": len(ids)}, at)
    return len(ids)


def is_closed(task_status: str) -> bool:
    return task_status in CLOSED_STATUSES
