"""The worklist on a large caseload: 5,000 people and 20,000 referrals (5,000 incoming, 15,000 on
to listings), on SQLite and PostgreSQL. The issue asks for under 1 s.

    .venv/bin/python bench/caseload.py                 # SQLite file in a temporary folder
    .venv/bin/python bench/caseload.py --postgres      # and a throw-away PostgreSQL cluster
    .venv/bin/python bench/caseload.py --db postgresql://user@host/db
    .venv/bin/python bench/caseload.py --postgres --drop-indexes   # what the indexes buy

The rows are generated straight into the referral tables (one bulk insert per table; going through
the actions would time 25,000 transactions, not the worklist). 25 link workers in 5 teams hold 200
people each; then one link worker is given all 5,000 (the worst case: one caseload of 5,000).
Each figure is `referrals.worklist` called 30 times (3 without the indexes) (it reads and writes its audit entry): p50 and
max in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from directory.accounts import User  # noqa: E402
from directory.store import Store  # noqa: E402
from referrals import SYSTEM_USER, assign_staff, schema, worklist  # noqa: E402

PEOPLE, ONWARD = 5_000, 15_000
WORKERS, TEAMS = 25, 5
REPEATS = 30
TODAY = dt.date(2026, 12, 1)
STATUSES = ["requested", "accepted", "in-progress", "completed", "rejected"]


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def generate(store: Store, seed: int = 7) -> None:
    rng = random.Random(seed)
    schema.ensure(store, create=True)
    for w in range(WORKERS):
        assign_staff(store, SYSTEM_USER, f"lw{w}", team=f"team{w % TEAMS}")
    at = f"{TODAY.isoformat()}T09:00:00+00:00"
    people, incoming, onward = [], [], []
    for pid in range(1, PEOPLE + 1):
        w = pid % WORKERS
        people.append(dict(
            id=pid, nhs_number=f"{6_100_000_000 + pid}", needs="{}", consent=None,
            demographics=json.dumps({"name": [{"text": f"Person {pid}"}], "birthDate": "1950-01-01"}),
            link_worker=f"lw{w}", team=f"team{w % TEAMS}", status=rng.choice(["open"] * 9 + ["closed"]),
            next_contact_on=_day(rng.randint(-20, 20)) if rng.random() < 0.8 else None,
            last_contact_on=_day(-rng.randint(0, 40)) if rng.random() < 0.9 else None,
            created_at=at, updated_at=at, closed_at=None,
        ))
        incoming.append(dict(
            id=pid, person_id=pid, source_system="urn:bench", source_value=str(pid), practice="A86005",
            requester="Dr Bench", status="in-progress", status_reason=None, declined=False, request="{}",
            related="{}", preview=None, authored_on=at, received_at=at, updated_at=at,
        ))
    for oid in range(1, ONWARD + 1):
        pid = rng.randint(1, PEOPLE)
        onward.append(dict(
            id=oid, incoming_id=pid, person_id=pid, listing_id=f"L{rng.randint(1, 300)}", listing_name="Listing",
            need=None, status=rng.choice(STATUSES), status_reason=None, attended=False, first_contact_on=None,
            created_by="lw0", created_at=at, updated_at=at,
        ))
    with store.engine.begin() as conn:
        conn.execute(schema.people.insert(), people)
        conn.execute(schema.incoming.insert(), incoming)
        conn.execute(schema.onward.insert(), onward)
    if not store.is_sqlite:  # the serial sequences must follow the ids written by hand
        with store.engine.begin() as conn:
            for table in (schema.people, schema.incoming, schema.onward):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                     f"(SELECT max(id) FROM {table.name}))")
            conn.exec_driver_sql("ANALYZE")


def timed(store: Store, user: User, scope: str, repeats: int = REPEATS) -> tuple[float, float, int]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        work = worklist(store, user, TODAY, scope=scope)
        times.append((time.perf_counter() - t) * 1000)
    shown = len({c.person_id for part in (work.due_today, work.overdue, work.not_contacted,
                                           work.waiting_on_provider) for c in part})
    return statistics.median(times), max(times), shown


WORKLIST_INDEXES = ("ix_ref_people_worker", "ix_ref_people_team", "ix_ref_onward_person_status")


def run(db: str, label: str, drop_indexes: bool = False) -> None:
    with Store(db) as store:
        t = time.perf_counter()
        generate(store)
        if drop_indexes:  # what the indexes buy: the same figures without them
            with store.engine.begin() as conn:
                for name in WORKLIST_INDEXES:
                    conn.exec_driver_sql(f"DROP INDEX {name}")
            label += " without the worklist indexes"
        print(f"{label}: generated {PEOPLE:,} people, {PEOPLE + ONWARD:,} referrals in {time.perf_counter() - t:.1f} s")
        lw0 = User("lw0", "link_worker")
        for scope, what in (("mine", f"one link worker ({PEOPLE // WORKERS} people)"),
                            ("team", f"one team ({PEOPLE // TEAMS} people)")):
            p50, worst, shown = timed(store, lw0, scope, 3 if drop_indexes else REPEATS)
            print(f"  worklist, {what}: p50 {p50:.1f} ms, max {worst:.1f} ms ({shown} on the worklist)")
        with store.engine.begin() as conn:
            conn.execute(schema.people.update().values(link_worker="lw0", team="team0"))
        p50, worst, shown = timed(store, lw0, "mine", 3 if drop_indexes else REPEATS)
        print(f"  worklist, one caseload of all {PEOPLE:,} people: p50 {p50:.1f} ms, max {worst:.1f} ms "
              f"({shown} on the worklist)")
        if store.is_sqlite:
            with store.engine.connect() as conn:
                plan = conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT id FROM ref_people WHERE link_worker='lw0' AND status='open' "
                    "ORDER BY next_contact_on").all()
                print("  plan:", "; ".join(str(r[-1]) for r in plan))
                n = conn.execute(sa.select(sa.func.count()).select_from(schema.onward)).scalar()
                assert n == ONWARD


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a database URL or SQLite path (default: a temporary SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="also run on a throw-away PostgreSQL cluster")
    ap.add_argument("--drop-indexes", action="store_true", help="time the worklist without its indexes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="signpost-caseload-") as tmp:
        run(args.db or str(Path(tmp) / "caseload.db"), "SQLite" if not args.db else args.db.split(":")[0],
            args.drop_indexes)
        if args.postgres:
            from tests.pg import PostgresServer

            server = PostgresServer(Path(tmp) / "pg").start()
            try:
                run(server.create_database("caseload"), "PostgreSQL", args.drop_indexes)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
