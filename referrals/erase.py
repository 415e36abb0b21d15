"""Erasure on request and the retention purge: nothing of the person stays in the database file.

Rows go in one transaction with SQLite's `secure_delete` on (deleted content is overwritten with
zeros, not left in free pages); then VACUUM rebuilds the file from live rows only and
`wal_checkpoint(TRUNCATE)` empties the write-ahead log, where older page images could still hold
the person. On PostgreSQL the rows are deleted and the tables vacuumed. The audit trail keeps that
an erasure happened, by whom and when; its entries about the person lose their subject.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from directory.accounts import User
from directory.records import InputError, ValidationIssue
from directory.store import NotFoundError, Store, now_iso

from . import access, audit, nhs, schema

DEFAULT_RETENTION_DAYS = 730  # the issue: closed records are purged after two years by default
ERASED = "erased"


def retention_days() -> int:
    """The retention setting: SIGNPOST_RETENTION_DAYS, else two years."""
    value = os.environ.get("SIGNPOST_RETENTION_DAYS", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else DEFAULT_RETENTION_DAYS


@dataclass(frozen=True)
class Expired:
    person_id: int
    closed_at: str


@dataclass(frozen=True)
class PurgeReport:
    expired: list[Expired]
    purged: bool  # False for a dry run: nothing was changed
    cutoff: str


def _delete(store: Store, person_ids: Sequence[int], actor: User, action: str, keep_labels: bool) -> None:
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        if keep_labels:  # what happened at each listing, with no link to the person
            o = schema.onward
            for r in conn.execute(sa.select(o).where(o.c.person_id.in_(person_ids))).all():
                days = None
                if r.first_contact_on:
                    days = (dt.date.fromisoformat(r.first_contact_on) - dt.date.fromisoformat(r.created_at[:10])).days
                conn.execute(schema.labels.insert().values(listing_id=r.listing_id, need=r.need, status=r.status,
                                                           attended=bool(r.attended), days_to_first_contact=days))
        for table in schema.PERSON_TABLES:
            column = table.c.id if table is schema.people else table.c.person_id
            conn.execute(table.delete().where(column.in_(person_ids)))
        subjects = [audit.person_subject(pid) for pid in person_ids]
        conn.execute(schema.audit.update().where(schema.audit.c.subject.in_(subjects)).values(subject=ERASED))
        audit.write(conn, actor, action, None, {"records": len(person_ids)})
        conn.commit()
    compact(store)


def compact(store: Store) -> None:
    """Leave no deleted content in the files: VACUUM, then an emptied WAL (SQLite); VACUUM (PostgreSQL)."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not store.is_sqlite:
            for table in schema.PERSON_TABLES + (schema.audit,):
                conn.exec_driver_sql(f"VACUUM {table.name}")
            return
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
        conn.exec_driver_sql("VACUUM")
        for _ in range(50):  # a reader still in the old log makes the checkpoint busy: wait for it
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
            if not busy:
                return
            time.sleep(0.1)
    raise RuntimeError("the database's write-ahead log is still in use by another process: the person's "
                       "record is deleted, but run the erasure again once other users have closed Signpost")


def erase_person(store: Store, nhs_number: str, actor: User) -> None:
    """Remove everything held about the person with this NHS number: record, referrals, notes,
    contacts, outcomes, history. NotFoundError when there is no such record (nothing changed)."""
    access.require(actor, "erase_person")
    if not nhs.is_valid(nhs_number):
        raise InputError([ValidationIssue(None, "nhs_number", "is not a valid NHS number (10 digits with a "
                                                              "valid check digit)")])
    missing = NotFoundError("no person's record has this NHS number; nothing was changed")
    if not schema.ensure(store):
        raise missing
    with store.engine.connect() as conn:
        pid = conn.execute(sa.select(schema.people.c.id)
                           .where(schema.people.c.nhs_number == nhs.normalise(nhs_number))).scalar()
    if pid is None:
        raise missing
    _delete(store, [pid], actor, "erase_person", keep_labels=False)


def erase_record(store: Store, person_id: int, actor: User) -> None:
    """The same, for a record saved without an NHS number (by its id)."""
    access.require(actor, "erase_person")
    if not schema.ensure(store):
        raise NotFoundError(f"no person record {person_id}")
    with store.engine.connect() as conn:
        if conn.execute(sa.select(schema.people.c.id).where(schema.people.c.id == person_id)).first() is None:
            raise NotFoundError(f"no person record {person_id}")
    _delete(store, [person_id], actor, "erase_person", keep_labels=False)


def purge_expired(store: Store, actor: User, older_than_days: int | None = None, dry_run: bool = True,
                  today: dt.date | None = None) -> PurgeReport:
    """Closed records whose last referral closed more than `older_than_days` ago (default: the
    retention setting). A dry run lists them and changes nothing; otherwise they are erased, the
    per-listing outcome labels kept without any link to a person."""
    access.require(actor, "purge_expired")
    days = retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = dt.datetime.combine(today or dt.date.today(), dt.time(), dt.UTC) - dt.timedelta(days=days)
    cutoff_iso = cutoff.replace(microsecond=0).isoformat()
    if not schema.ensure(store):
        return PurgeReport([], not dry_run, cutoff_iso)
    p = schema.people
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(p.c.id, p.c.closed_at)
                            .where(p.c.status == "closed", p.c.closed_at < cutoff_iso).order_by(p.c.id)).all()
    expired = [Expired(r.id, r.closed_at) for r in rows]
    if dry_run:
        with store.engine.begin() as conn:
            audit.write(conn, actor, "purge_dry_run", None, {"records": len(expired), "cutoff": cutoff_iso},
                        now_iso())
        return PurgeReport(expired, False, cutoff_iso)
    if expired:
        _delete(store, [e.person_id for e in expired], actor, "purge_expired", keep_labels=True)
    else:
        with store.engine.begin() as conn:
            audit.write(conn, actor, "purge_expired", None, {"records": 0})
    return PurgeReport(expired, True, cutoff_iso)
