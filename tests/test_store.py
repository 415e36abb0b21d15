"""The store's promises, on SQLite and PostgreSQL alike: a versioned schema, an audit trail naming who
changed which field, optimistic versions that refuse a stale write and write nothing, imports that
write nothing when nothing changed, and one directory version step per write transaction."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from directory import store as store_module
from directory.store import SCHEMA_VERSION, BusyError, ConflictError, SchemaError, Store

from .conftest import SHARED, make_resource

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b", re.IGNORECASE)


@contextmanager
def statements():
    """Every SQL statement any engine sends while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if WRITE.match(s)]


def audit_count(store: Store) -> int:
    return len(store.history())


def set_schema_version(store: Store, value: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(store_module.state.update().where(store_module.state.c.key == "schema_version")
                     .values(value=value))


def schema_version(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(store_module.state.c.value)
                            .where(store_module.state.c.key == "schema_version")).scalar_one()


# ---- schema ------------------------------------------------------------------------------------
def test_schema_is_created_on_first_use_and_versioned(db_url):
    with Store(db_url) as store:
        tables = set(sa.inspect(store.engine).get_table_names())
        assert {"resources", "audit", "directory_state", "users"} <= tables
        assert schema_version(store) == SCHEMA_VERSION
        assert store.directory_version() == 0 and store.count() == 0


def test_opening_a_database_of_the_current_version_writes_nothing(db_url):
    with Store(db_url) as store:
        store.create(make_resource("R1"), actor="ann")
    with statements() as seen, Store(db_url) as again:
        assert again.get("R1").version == 1
    assert seen and writes(seen) == []


def test_an_older_schema_is_brought_up_to_date_keeping_the_data(db_url):
    with Store(db_url) as store:
        store.create(make_resource("R1"), actor="ann")
        set_schema_version(store, 1)
        with store.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE users"))
    with Store(db_url) as store:
        assert schema_version(store) == SCHEMA_VERSION
        assert sa.inspect(store.engine).has_table("users")
        assert store.get("R1").resource.name == "Walking group R1" and store.directory_version() == 1


def test_a_database_of_a_newer_schema_is_refused_and_left_untouched(db_url):
    with Store(db_url) as store:
        store.create(make_resource("R1"), actor="ann")
        set_schema_version(store, SCHEMA_VERSION + 1)
    with statements() as seen, pytest.raises(SchemaError) as err:
        Store(db_url)
    assert writes(seen) == []
    message = str(err.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message and "newer Signpost" in message
    assert "nothing in the database was changed" in message
    # the command line says the same sentence, exit status 1, no traceback
    done = subprocess.run([sys.executable, "-m", "cli", "--db", db_url, "import",
                           str(SHARED / "contracts" / "example-directory.csv")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "newer Signpost" in done.stderr and "Traceback" not in done.stderr
    engine = sa.create_engine(store_module.resolve_url(db_url))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM directory_state WHERE key = 'schema_version'")
                            ).scalar_one() == SCHEMA_VERSION + 1
        assert conn.execute(sa.text("SELECT count(*) FROM resources")).scalar_one() == 1
    engine.dispose()


def test_processes_opening_a_new_database_at_once_get_one_schema(db_url):
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def open_it():
        start.wait()
        try:
            Store(db_url).close()
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            failures.append(err)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with Store(db_url) as store:
        assert schema_version(store) == SCHEMA_VERSION and store.directory_version() == 0


# ---- audit -------------------------------------------------------------------------------------
def test_audit_names_the_actor_and_each_changed_field(store):
    store.create(make_resource("R1"), actor="ann")
    (added,) = store.history("R1")
    assert (added.actor, added.action, added.version) == ("ann", "create", 1)
    assert added.changes["name"] == [None, "Walking group R1"]
    old = store.get("R1")
    store.update(old.resource.model_copy(update={"schedule": "Fridays 14:00", "cost": "low_cost"}),
                 old.version, actor="bob")
    last = store.history("R1")[-1]
    assert (last.actor, last.action, last.version) == ("bob", "update", 2)
    assert last.changes == {"schedule": ["Mondays 10:00-11:00", "Fridays 14:00"], "cost": ["free", "low_cost"]}
    store.retire("R1", 2, actor="cy")
    assert [(e.actor, e.action, e.changes) for e in store.history("R1")][-1] == (
        "cy", "retire", {"status": ["active", "inactive"]})


# ---- optimistic versions -----------------------------------------------------------------------
def test_update_with_a_stale_version_raises_and_writes_nothing(store):
    store.create(make_resource("R1"), actor="ann")
    read = store.get("R1")
    store.update(read.resource.model_copy(update={"schedule": "Tuesdays"}), read.version, actor="bob")
    before = (store.get("R1"), store.directory_version(), audit_count(store))
    with statements() as seen, pytest.raises(ConflictError) as err:
        store.update(read.resource.model_copy(update={"name": "Renamed"}), read.version, actor="ann")
    assert (err.value.expected, err.value.current) == (1, 2)
    assert "changed by someone else" in str(err.value)
    assert writes(seen) == []
    assert (store.get("R1"), store.directory_version(), audit_count(store)) == before
    # the same refusal when the stale read gets past the first check (the row moves during the write)
    with pytest.raises(ConflictError):
        store.retire("R1", read.version, actor="ann")
    assert (store.get("R1"), store.directory_version(), audit_count(store)) == before


def test_sqlite_busy_beyond_the_timeout_is_a_clear_error_and_writes_nothing(sqlite_path, monkeypatch):
    monkeypatch.setattr(store_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    with Store(sqlite_path) as store:
        store.create(make_resource("R1"), actor="ann")
        read = store.get("R1")
        other = sqlite3.connect(sqlite_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the database
        try:
            with pytest.raises(BusyError) as err:
                store.update(read.resource.model_copy(update={"name": "Renamed"}), read.version, actor="bob")
            assert "busy" in str(err.value) and "nothing was saved" in str(err.value)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.get("R1") == read and store.directory_version() == 1 and audit_count(store) == 1
        store.update(read.resource.model_copy(update={"name": "Renamed"}), read.version, actor="bob")
        assert store.get("R1").resource.name == "Renamed"


# ---- imports and the directory version ---------------------------------------------------------
def test_re_importing_the_same_listings_writes_nothing(store):
    listings = [make_resource(f"R{i}") for i in range(20)]
    first = store.import_resources(listings, actor="imp")
    assert len(first.added) == 20
    before = (store.directory_version(), audit_count(store), store.list())
    with statements() as seen:
        again = store.import_resources(listings, actor="imp")
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 20)
    assert writes(seen) == []
    assert (store.directory_version(), audit_count(store), store.list()) == before


def test_directory_version_steps_once_per_write_transaction(store):
    v = store.directory_version
    assert v() == 0
    store.import_resources([make_resource(f"R{i}") for i in range(30)], actor="imp")
    assert v() == 1  # thirty listings, one transaction
    changed = [make_resource(f"R{i}", schedule="Sundays") for i in range(3)]
    store.import_resources(changed + [make_resource("R9")], actor="imp")
    assert v() == 2 and audit_count(store) == 33
    store.create(make_resource("N1"), actor="ann")
    assert v() == 3
    read = store.get("N1")
    store.update(read.resource, read.version, actor="ann")  # nothing changed: nothing written
    assert v() == 3
    store.update(read.resource.model_copy(update={"name": "New name"}), read.version, actor="ann")
    assert v() == 4
    with pytest.raises(ConflictError):
        store.update(read.resource.model_copy(update={"name": "Stale"}), read.version, actor="ann")
    assert v() == 4
    store.verify("N1", 2, actor="ann")
    store.retire("N1", 3, actor="ann")
    store.reactivate("N1", 4, actor="ann")
    assert v() == 7 and audit_count(store) == 38


def test_an_import_naming_one_listing_twice_is_refused_whole(store):
    store.import_resources([make_resource("R1")], actor="imp")
    before = (store.directory_version(), audit_count(store), store.list())
    with pytest.raises(ValueError, match="R2 appears more than once"):
        store.import_resources([make_resource("R1", schedule="Sundays"), make_resource("R2"),
                                make_resource("R2", name="Again")], actor="imp")
    assert (store.directory_version(), audit_count(store), store.list()) == before


def test_sqlite_and_postgresql_give_back_the_same_listings(postgres, tmp_path):
    """What one database returns the other returns too, to the bit: the rest of the suite, run on
    one of them, holds for the other (floats, Unicode, blanks, extra columns, markup as text)."""
    from bench.synth import generate

    from .app_fixtures import app_directory

    listings = [*generate(300, seed=5), *app_directory(),
                make_resource("U1", name="Grŵp Cerdded · ورزش 🚶", description="Ĉiuj bonvenaj. \"Quotes\", 'apostrophes'; "
                              "and\nnew lines.", latitude=55.123456789012345, longitude=-4.000000000000001,
                              extra={"funding": "council", "notes": "=cmd|' /C calc'!A0"})]
    back = []
    for url in (str(tmp_path / "s.db"), postgres.create_database("t_same_listings")):
        with Store(url) as store:
            store.import_resources(listings, actor="imp")
            version, stored = store.snapshot()
            back.append((version, [(s.id, s.version, s.content_hash, s.resource) for s in stored]))
    assert back[0] == back[1]
    assert [r for _, _, _, r in back[0][1]] == sorted(listings, key=lambda r: r.id)
