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
    diff = " ".join(m.value for m in at.expander[0].markdown)
    assert r"**G02 · Community Choir**" in diff and r"- phone: 0141 000 0001 → 0141 999 0000" in diff
    assert r"**G01 · Govan Lunch Club** (older than the directory)" in diff
    assert r"- schedule: Fridays 12\:00 → Wednesdays 12\:00\-14\:00" in diff
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


def choose_rows(at, key, rows):
    """What clicking rows of a table does in the browser: its selection state, then a rerun."""
    at.session_state[key] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}
    return at.run()


def test_the_directory_table_shows_names_a_clicked_row_opens_ticked_rows_verify_together(app_db):
    at = new_app("views/directory.py")
    table = at.dataframe[0].value
    g04 = table.set_index("id").loc["G04"]
    assert g04["languages"] == "Urdu" and g04["domains"] == "lifestyle, social relationships"
    ids = list(table["id"])
    choose_rows(at, "dir_table_0", [ids.index("G02")])
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key="ed_schedule").value == "Thursdays 19:00-20:30"  # opened by the click
    choose_rows(at, "dir_table_0", [ids.index("G01"), ids.index("G06")])
    at.button(key="dir_bulk_verify").click().run()
    assert "Marked 2 listings verified today" in at.success[0].value
    assert not [b for b in at.button if b.key == "dir_bulk_verify"]  # the ticks went with the action
    with Store(app_db) as s:
        assert [e.action for e in s.history("G06")][-1] == "verify" and s.history("G01")[-1].actor == "local"


def test_stale_listings_have_their_own_tab_with_contacts_to_ask(app_db):
    at = new_app("views/directory.py")
    stale = at.tabs[1]
    assert at.tabs[1].label == "Stale listings (1)"
    assert list(stale.dataframe[0].value["id"]) == ["G06"]
    buttons = [b for b in stale.get("download_button") if b.proto.label == "Download their contacts (CSV)"]
    assert buttons
    choose_rows(at, "stale_table_0", [0])
    at.button(key="stale_bulk_verify").click().run()
    assert "Marked 1 listings verified today" in at.success[0].value
    assert at.tabs[1].label == "Stale listings (0)"


def test_add_a_listing_placed_from_its_postcode_with_an_id_made_from_its_name(app_db):
    from matcher.geo import default_gazetteer

    postcode = "G51 3AB"
    expected = default_gazetteer().postcode(postcode)
    assert expected is not None
    at = new_app("views/directory.py")
    at.text_input(key="add_name").set_value("Knit and Natter")
    at.text_area(key="add_description").set_value("Knitting and a chat over tea, every week.")
    at.text_input(key="add_postcode").set_value(postcode)
    at.button(key="FormSubmitter:add_form-Find the place from the postcode or address").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert float(at.text_input(key="add_latitude").value) == round(expected[0], 5)
    assert any("Placed from the postcode" in c.value for c in at.caption)
    at.button(key="FormSubmitter:add_form-Add listing").click().run()
    assert "Added Knit and Natter (knit-and-natter)" in at.success[0].value
    with Store(app_db) as s:
        made = s.get("knit-and-natter").resource
        assert (made.latitude, made.longitude) == (round(expected[0], 5), round(expected[1], 5))


def twin(rid, **kw):
    from .app_fixtures import listing

    return listing(rid, name="Govan Lunch Club", description="Hot lunch and company for older people who live alone.",
                   domains=["social_relationships"], schedule="Wednesdays 12:00-14:00", **kw)


def test_likely_duplicates_are_offered_then_merged_or_dismissed_and_remembered(app_db):
    with Store(app_db) as s:
        s.create(twin("G01b", organisation="Govan Community Trust (import 2)"))
    at = new_app("views/directory.py")
    at.button(key="dup_find").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.label for b in at.button if b.key and b.key.startswith("dup_keep_a_")] == ["Keep G01, retire G01b"]
    at.button(key="dup_dismiss_0").click().run()
    at.button(key="dup_find").click().run()
    assert "No likely duplicates" in at.success[-1].value
    with Store(app_db) as s:
        assert curation.dismissed_pairs(s) == {frozenset({"G01", "G01b"})}
        s.create(twin("G01c"))
    at.button(key="dup_find").click().run()
    labels = [b.label for b in at.button if b.key and b.key.startswith("dup_keep_a_")]
    assert "Keep G01, retire G01c" in labels
    n = labels.index("Keep G01, retire G01c")
    at.button(key=f"dup_keep_a_{n}").click().run()
    with Store(app_db) as s:
        assert s.get("G01c").resource.status == "inactive"
        assert s.history("G01c")[-1].changes["reason"] == [None, "duplicate of G01"]
