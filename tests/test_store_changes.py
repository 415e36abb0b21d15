"""The per-row change marker: `Store.changes_since(version)` and the schema 4 migration."""

from __future__ import annotations

import sqlalchemy as sa

from directory import store as store_module
from directory.store import SCHEMA_VERSION, Store

from .conftest import make_resource


def test_changes_since_returns_only_rows_written_after_a_version(db_url):
    with Store(db_url) as store:
        store.import_resources([make_resource(f"R{i}") for i in range(5)], actor="ann")
        v1, rows = store.changes_since(None)
        assert v1 == 1 and [r.id for r in rows] == [f"R{i}" for i in range(5)]
        assert store.changes_since(v1) == (1, [])
        r2 = store.get("R2")
        store.update(r2.resource.model_copy(update={"name": "Renamed"}), r2.version, actor="ann")
        store.retire("R4", store.get("R4").version, actor="ann")
        store.create(make_resource("R9"), actor="ann")
        v4, rows = store.changes_since(v1)
        assert v4 == 4 and [r.id for r in rows] == ["R2", "R4", "R9"]
        assert [r.status for r in rows] == ["active", "inactive", "active"]
        assert '"Renamed"' in rows[0].data and rows[0].content_hash == store.get("R2").content_hash
        assert [r.id for r in store.changes_since(3)[1]] == ["R9"]


def test_a_database_from_before_the_marker_gains_it_keeping_its_rows(db_url):
    with Store(db_url) as store:
        store.import_resources([make_resource("R1"), make_resource("R2")], actor="ann")
        with store.engine.begin() as conn:
            conn.execute(sa.text("DROP INDEX ix_resources_changed_at"))
            conn.execute(sa.text("ALTER TABLE resources DROP COLUMN changed_at"))
            conn.execute(store_module.state.update().where(store_module.state.c.key == "schema_version")
                         .values(value=store_module.CHANGED_AT_SCHEMA - 1))
    with Store(db_url) as store:
        with store.engine.connect() as conn:
            version = conn.execute(sa.select(store_module.state.c.value)
                                   .where(store_module.state.c.key == "schema_version")).scalar_one()
        assert version == SCHEMA_VERSION == store_module.CHANGED_AT_SCHEMA
        assert "ix_resources_changed_at" in {i["name"] for i in sa.inspect(store.engine).get_indexes("resources")}
        assert [r.id for r in store.changes_since(0)[1]] == []  # old rows: changed at 0, read by a full snapshot
        assert [r.id for r in store.changes_since(None)[1]] == ["R1", "R2"]
        store.update(store.get("R1").resource.model_copy(update={"name": "New"}), 1, actor="ann")
        assert [r.id for r in store.changes_since(1)[1]] == ["R1"]
