"""Shared pieces of the referral tests: the fixture bundle and its mutations, the staff of a small
service, NHS numbers with valid check digits, and a snapshot of every table to prove "nothing
changed"."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from directory.accounts import User
from directory.store import Store
from directory.store import metadata as directory_metadata
from referrals import SYSTEM_USER, assign_staff, import_bundle
from referrals import schema as ref_schema
from referrals.nhs import check_digit

from .conftest import DATA, make_resource

BUNDLE_PATH = DATA / "fhir" / "referral.json"
NHS_NUMBER = "9434765919"
FAMILY, GIVEN, BIRTH_DATE = "Okafor", "Margaret", "1958-04-17"
PERSONAL = (NHS_NUMBER, FAMILY, GIVEN, BIRTH_DATE)
PRACTICE = "A86005"

GP = User("drjones", "gp")
OTHER_GP = User("drsmith", "gp")
ANN = User("ann", "link_worker")  # team north
BOB = User("bob", "link_worker")  # team north
CAT = User("cat", "link_worker")  # team south
CURATOR = User("cora", "curator")
ADMIN = User("ada", "admin")
BY_ROLE = {"gp": GP, "link_worker": ANN, "curator": CURATOR, "admin": ADMIN}


def nhs_number(n: int) -> str:
    """The n-th NHS number with a valid check digit (from 600 000 000; test numbers, nobody's)."""
    for base in range(600_000_000 + 10 * n, 600_000_000 + 10 * n + 10):
        check = check_digit(f"{base:09d}")
        if check is not None:
            return f"{base:09d}{check}"
    raise AssertionError("ten numbers in a row without a check digit")


def bundle() -> dict[str, Any]:
    return json.loads(BUNDLE_PATH.read_text())


def bundle_bytes(doc: dict[str, Any] | None = None) -> bytes:
    return json.dumps(doc if doc is not None else bundle()).encode("utf-8")


def other_bundle(n: int, practice: str = PRACTICE) -> dict[str, Any]:
    """Another person's referral: the fixture with a new NHS number, name and identifier."""
    doc = copy.deepcopy(bundle())
    patient = doc["entry"][0]["resource"]
    patient["identifier"][0]["value"] = nhs_number(n)
    patient["name"] = [{"family": f"Person{n}", "given": ["Test"]}]
    patient["address"] = [{"postalCode": "NE1 4ST"}]
    patient["telecom"] = [{"system": "phone", "value": f"0191 000 {n:04d}"}]
    doc["entry"][1]["resource"]["identifier"][0]["value"] = practice
    doc["entry"][4]["resource"]["identifier"][0]["value"] = f"SP-TEST-{n:05d}"
    return doc


def setup_service(store: Store) -> None:
    """A listing to refer to and the staff: two link workers in north, one in south, two GPs."""
    store.create(make_resource("L1"))
    store.create(make_resource("L2", name="Benefits advice", domains=["money"]))
    for user, team, practice in ((ANN, "north", None), (BOB, "north", None), (CAT, "south", None),
                                 (GP, None, PRACTICE), (OTHER_GP, None, "B99999")):
        assign_staff(store, SYSTEM_USER, user.username, team=team, practice=practice)


def imported(store: Store, doc: dict[str, Any] | None = None):
    return import_bundle(store, bundle_bytes(doc), SYSTEM_USER)


def snapshot(store: Store) -> dict[str, list]:
    """Every row of every table, directory and referrals: equal before and after = nothing written."""
    out: dict[str, list] = {}
    with store.engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        for md in (directory_metadata, ref_schema.metadata):
            for table in md.sorted_tables:
                if table.name in names:
                    out[table.name] = [tuple(r) for r in conn.execute(sa.select(table)).all()]
    return out


def audit_rows(store: Store) -> list[tuple[str, str, str | None]]:
    """(actor, action, subject) of every referral audit entry, read directly (reading through
    `referrals.trail` would itself be audited)."""
    with store.engine.connect() as conn:
        if not sa.inspect(conn).has_table("ref_audit"):
            return []
        rows = conn.execute(sa.select(ref_schema.audit).order_by(ref_schema.audit.c.seq)).all()
    return [(r.actor, r.action, r.subject) for r in rows]


def files_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
