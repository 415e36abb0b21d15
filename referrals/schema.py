"""The referral tables, on the directory Store's engine but with their own MetaData and version.

They are created only by `ensure(store, create=True)`, which writing actions call; reading actions
call `ensure(store)` and, on a database that has never held a referral, get False (nothing to
read) rather than a new schema. The directory never sees these tables; they never see the matcher.
"""

from __future__ import annotations

import time
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from directory.store import SchemaError, Store

REFERRAL_SCHEMA_VERSION = 1

metadata = sa.MetaData()

state = sa.Table(
    "ref_state", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

# Where a user works: a link worker's team, a GP's practice (ODS code). Roles stay in `users`.
staff = sa.Table(
    "ref_staff", metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("team", sa.String(100)),
    sa.Column("practice", sa.String(20)),
)

people = sa.Table(
    "ref_people", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("nhs_number", sa.String(10), unique=True),  # NULL for a record saved without one
    sa.Column("demographics", sa.Text, nullable=False),  # JSON: name, birthDate, gender, address, ...
    sa.Column("needs", sa.Text, nullable=False),  # JSON: the needs profile the work is about
    sa.Column("consent", sa.Text),  # JSON {by, at, purpose} when a link worker saved the record
    sa.Column("link_worker", sa.String(100)),
    sa.Column("team", sa.String(100)),
    sa.Column("status", sa.String(16), nullable=False),  # open | closed
    sa.Column("next_contact_on", sa.String(10)),
    sa.Column("last_contact_on", sa.String(10)),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("closed_at", sa.String(32)),
    # the worklist: one index per way it is scoped, each ordered as the worklist reads it
    sa.Index("ix_ref_people_worker", "link_worker", "status", "next_contact_on"),
    sa.Index("ix_ref_people_team", "team", "status", "next_contact_on"),
    sa.Index("ix_ref_people_closed", "status", "closed_at"),
)

incoming = sa.Table(
    "ref_incoming", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("ref_people.id"), nullable=False, index=True),
    sa.Column("source_system", sa.String(300), nullable=False),
    sa.Column("source_value", sa.String(300), nullable=False),
    sa.Column("practice", sa.String(20), index=True),
    sa.Column("requester", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("declined", sa.Boolean, nullable=False, default=False),
    sa.Column("request", sa.Text, nullable=False),  # JSON: the ServiceRequest as received
    sa.Column("related", sa.Text, nullable=False),  # JSON: the Conditions, Practitioner, ... it pointed to
    sa.Column("preview", sa.Text),  # JSON: what the GP saw (options shown) when sent from the preview
    sa.Column("authored_on", sa.String(32), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False, index=True),
    sa.UniqueConstraint("source_system", "source_value", name="uq_ref_incoming_source"),
)

onward = sa.Table(
    "ref_onward", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incoming_id", sa.Integer, sa.ForeignKey("ref_incoming.id"), nullable=False, index=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("ref_people.id"), nullable=False),
    sa.Column("listing_id", sa.String(128), nullable=False, index=True),
    sa.Column("listing_name", sa.String(300), nullable=False),
    sa.Column("need", sa.String(40)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("attended", sa.Boolean, nullable=False, default=False),
    sa.Column("first_contact_on", sa.String(10)),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Index("ix_ref_onward_person_status", "person_id", "status"),
)

history = sa.Table(
    "ref_history", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("ref_people.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # incoming | onward | person
    sa.Column("target_id", sa.Integer, nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)

def _of_a_person(name: str, *columns: sa.Column) -> sa.Table:
    """A table of things about one person: its own id, then the person (erasure deletes by it)."""
    return sa.Table(
        name, metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("ref_people.id"), nullable=False, index=True),
        *columns,
    )


notes = _of_a_person(
    "ref_notes",
    sa.Column("author", sa.String(100), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

contacts = _of_a_person(
    "ref_contacts",
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("method", sa.String(20), nullable=False),
    sa.Column("by_user", sa.String(100), nullable=False),
)

outcomes = _of_a_person(
    "ref_outcomes",
    sa.Column("incoming_id", sa.Integer, sa.ForeignKey("ref_incoming.id"), nullable=False),
    sa.Column("stage", sa.String(12), nullable=False),  # start | contact | discharge
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("ons4", sa.Text),  # JSON {question: 0-10}
    sa.Column("needs", sa.Text),  # JSON {domain: 1-10}
    sa.Column("by_user", sa.String(100), nullable=False),
)

# What happened at a listing, kept without any link to a person once the record is purged: the
# labels a later ranking model learns from (see outcomes.listing_outcomes).
labels = sa.Table(
    "ref_listing_labels", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("listing_id", sa.String(128), nullable=False, index=True),
    sa.Column("need", sa.String(40)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attended", sa.Boolean, nullable=False),
    sa.Column("days_to_first_contact", sa.Integer),
)

# Who did what. `subject` is an opaque record id ("person:12"), never a name or NHS number; an
# erasure replaces it with "erased" so the trail keeps that things happened, not about whom.
audit = sa.Table(
    "ref_audit", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("subject", sa.String(40), index=True),
    sa.Column("detail", sa.Text),
)

PERSON_TABLES = (outcomes, contacts, notes, history, onward, incoming, people)  # child tables first

_ready: weakref.WeakSet = weakref.WeakSet()  # engines whose referral tables are known to be current


def _version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("ref_state"):
        return None
    value = conn.execute(sa.select(state.c.value).where(state.c.key == "schema_version")).scalar_one_or_none()
    return 0 if value is None else int(value)


def ensure(store: Store, create: bool = False) -> bool:
    """True when the referral tables exist at this version; with `create`, make them first.

    A newer referral schema is refused (SchemaError) and left untouched, as the directory does.
    """
    if store.engine in _ready:
        return True
    for attempt in range(3):
        with store.engine.connect() as conn:
            current = _version(conn)
        if current is not None and current > REFERRAL_SCHEMA_VERSION:
            raise SchemaError(
                f"the referral tables have schema version {current}, but this Signpost knows versions up to "
                f"{REFERRAL_SCHEMA_VERSION}: upgrade Signpost to use them; nothing was changed."
            )
        if current == REFERRAL_SCHEMA_VERSION:
            _ready.add(store.engine)
            return True
        if not create:
            return False
        try:
            with store.engine.begin() as conn:
                metadata.create_all(conn, checkfirst=True)
                if conn.execute(sa.select(state.c.key).where(state.c.key == "schema_version")).first() is None:
                    conn.execute(state.insert().values(key="schema_version", value=REFERRAL_SCHEMA_VERSION))
                else:
                    conn.execute(state.update().where(state.c.key == "schema_version")
                                 .values(value=REFERRAL_SCHEMA_VERSION))
        except sa.exc.DatabaseError:
            if attempt == 2:
                raise
            time.sleep(0.05)  # another process is creating the same tables
    return ensure(store, create=False)
