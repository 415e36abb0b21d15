"""The curator's pages in Streamlit's AppTest: the import diff and older rows, the directory table,
stale listings, adding a listing from its postcode, duplicates."""

from __future__ import annotations

from directory import curation
from directory.accounts import User
from directory.csv_io import to_csv_text
from directory.store import Store

from . import app_fixtures
from .app_fixtures import new_app

app_db = app_fixtures.app_db  # the fixture, for this module
ADA = User("ada", "curator")


def test_import_shows_the_field_diff_and_skips_older_rows_unless_overridden(app_db):
    with Store(app_db) as s:
        old_export = curation.export_csv(s, ADA).decode()
        g01 = s.get("G01")
        curation.edit_listing(s, ADA, "G01", curation.listing_fields(g01.resource) | {"schedule": "Fridays 12:00"},
                              g01.version)
        g02 = s.get("G02").resource
    rows = to_csv_text([g02.model_copy(update={"phone": "0141 999 0000"})])
    # the old export, with a fresh change to G02 in place of its old row
    mixed = "\n".join(line for line in old_export.splitlines() if not line.startswith("G02,")) + "\n" + rows.split("\n", 1)[1]
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (mixed.encode(), "old.csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("update 2" in m.value for m in at.markdown)
    assert "look older than what the directory holds" in at.warning[0].value
    changes = at.dataframe[1].value
    got = set(zip(changes["listing"], changes["field"], changes["in the directory now"], changes["in the file"],
                  strict=True))
    assert ("G02 · Community Choir", "phone", "0141 000 0001", "0141 999 0000") in got
    assert ("G01 · Govan Lunch Club", "schedule", "Fridays 12:00", "Wednesdays 12:00-14:00") in got
    at.button(key="imp_confirm").click().run()
    assert "1 updated" in at.success[0].value and "1 skipped as older" in at.success[0].value
    with Store(app_db) as s:
        assert s.get("G01").resource.schedule == "Fridays 12:00"
        assert s.get("G02").resource.phone == "0141 999 0000"

    at.session_state["imp_data"] = (old_export.encode(), "old.csv")
    at.run()
    at.checkbox(key="imp_override").check().run()
    at.button(key="imp_confirm").click().run()
    with Store(app_db) as s:
        assert s.get("G01").resource.schedule == "Wednesdays 12:00-14:00"
