"""Directory and Import & export pages (curator), in Streamlit's AppTest."""

from __future__ import annotations

from directory.csv_io import to_csv_text
from directory.store import Store

from . import app_fixtures
from .app_fixtures import app_directory, listing, new_app

app_db = app_fixtures.app_db  # the fixture, for this module

SAVE = "FormSubmitter:edit_form-Save changes"


def open_listing(rid: str):
    at = new_app("pages/directory.py")
    at.selectbox(key="dir_open").set_value(rid).run()
    assert not at.exception
    return at


def test_edit_with_a_bad_value_shows_the_error_and_changes_nothing(app_db):
    before = Store(app_db).get("G01")
    at = open_listing("G01")
    at.text_input(key="ed_latitude").set_value("north")
    at.text_input(key="ed_schedule").set_value("Fridays")
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["latitude: 'north' is not a number"]
    assert at.text_input(key="ed_latitude").value == "north"  # her edit is still there to correct
    assert Store(app_db).get("G01") == before


def test_good_edit_appears_in_the_listing_and_its_history(app_db):
    at = open_listing("G01")
    at.text_input(key="ed_schedule").set_value("Thursdays 12:00-14:00")
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved Govan Lunch Club (version 2)")
    stored = Store(app_db).get("G01")
    assert stored.resource.schedule == "Thursdays 12:00-14:00"
    assert at.text_input(key="ed_schedule").value == "Thursdays 12:00-14:00"
    history = [e for e in at.expander if e.label == "Change history"][0].dataframe[0].value
    assert list(history["who"])[:2] == ["local", "test"]
    assert "schedule: Wednesdays 12:00-14:00 → Thursdays 12:00-14:00" in history["changes"].iloc[0]


def test_conflicting_edit_is_refused_and_kept_in_the_form(app_db):
    at = open_listing("G02")
    at.text_input(key="ed_name").set_value("Southside Community Choir")
    with Store(app_db) as s:  # someone else verifies the listing meanwhile
        s.verify("G02", 1, actor="someone-else")
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert any("changed by someone else" in e.value for e in at.error)
    assert at.text_input(key="ed_name").value == "Southside Community Choir"
    assert Store(app_db).get("G02").resource.name == "Community Choir"
    at.button(key="ed_rebase").click().run()
    at.button(key=SAVE).click().run()
    assert Store(app_db).get("G02").resource.name == "Southside Community Choir"
    assert Store(app_db).get("G02").version == 3


def test_verify_and_retire_buttons(app_db):
    at = open_listing("G06")
    at.button(key="ed_verify").click().run()
    assert "marked verified today" in at.success[0].value
    at.selectbox(key="dir_open").set_value("G06").run()
    at.button(key="ed_retire").click().run()
    stored = Store(app_db).get("G06")
    assert stored.resource.status == "inactive" and stored.resource.last_verified is not None
    assert [e.action for e in Store(app_db).history("G06")] == ["import", "verify", "retire"]


def test_filters_narrow_the_table(app_db):
    at = new_app("pages/directory.py")
    at.checkbox(key="dir_stale").check().run()
    assert list(at.dataframe[0].value["id"]) == ["G06"]
    at.checkbox(key="dir_stale").uncheck()
    at.selectbox(key="dir_lang").set_value("ur").run()
    assert list(at.dataframe[0].value["id"]) == ["G04"]


def test_add_listing_with_errors_then_fixed(app_db):
    at = new_app("pages/directory.py")
    at.text_input(key="add_id").set_value("N1")
    at.text_input(key="add_name").set_value("New Walking Group")
    at.text_area(key="add_description").set_value("A short walk for anyone.")
    at.button(key="FormSubmitter:add_form-Add listing").click().run()
    assert any(e.value.startswith("latitude: an in_person listing needs latitude") for e in at.error)
    assert Store(app_db).count() == len(app_directory())
    at.text_input(key="add_latitude").set_value("55.86")
    at.text_input(key="add_longitude").set_value("-4.30")
    at.button(key="FormSubmitter:add_form-Add listing").click().run()
    assert not at.exception
    assert Store(app_db).get("N1").resource.name == "New Walking Group"
    assert Store(app_db).history("N1")[0].actor == "local"


def test_import_with_one_bad_row_changes_nothing(app_db):
    text = to_csv_text([listing("I1", name="Fine"), listing("I2", name="Bad", min_age=70, max_age=90)])
    text = text.replace(",70,90,", ",seventy,90,")
    at = new_app("pages/import_export.py")
    at.session_state["imp_data"] = (text.encode(), "listings.csv")  # what the file uploader puts there
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("listings.csv: 1 problem(s). Nothing was imported.")
    problems = at.dataframe[0].value
    assert list(problems.iloc[0]) == ["3", "min_age", "'seventy' is not a whole number of years"]
    assert not [b for b in at.button if b.key == "imp_confirm"]
    assert Store(app_db).count() == len(app_directory())


def test_import_preview_then_confirm(app_db):
    text = to_csv_text([listing("I1", name="Fine"), app_directory()[0]])
    at = new_app("pages/import_export.py")
    at.session_state["imp_data"] = (text.encode(), "listings.csv")
    at.run()
    assert any("Importing would add 1, update 0 and leave 1 unchanged" in m.value for m in at.markdown)
    assert Store(app_db).count() == len(app_directory())
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert "1 added, 0 updated, 1 unchanged" in at.success[0].value
    assert Store(app_db).history("I1")[0].actor == "local"


def test_index_update_with_progress(app_db):
    at = new_app("pages/import_export.py")
    at.button(key="idx_update").click().run()
    assert not at.exception
    assert any(s.value.startswith("Index up to date") for s in at.success)
