"""Directory and Import & export pages (curator), in Streamlit's AppTest."""

from __future__ import annotations

import datetime as dt

from directory.csv_io import to_csv_text
from directory.store import Store

from .app_fixtures import app_directory, listing, new_app

SAVE = "FormSubmitter:edit_form-Save changes"


def open_listing(rid: str):
    at = new_app("views/directory.py")
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
    history = [e for e in at.expander if e.label == "Change history"][0]
    heads = [m.value for m in history.markdown]
    assert " · local · update" in heads[0] and " · test · import" in heads[1]
    assert r"schedule\: Wednesdays 12\:00\-14\:00 → Thursdays 12\:00\-14\:00" in history.caption[0].value


def test_conflicting_edit_is_refused_and_kept_in_the_form(app_db):
    at = open_listing("G02")
    at.text_input(key="ed_name").set_value("Southside Community Choir")
    with Store(app_db) as s:  # someone else verifies the listing meanwhile
        s.verify("G02", 1, actor="someone-else", on=dt.date(2026, 6, 1))
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert any("changed by someone else" in e.value for e in at.error)
    assert at.text_input(key="ed_name").value == "Southside Community Choir"
    assert Store(app_db).get("G02").resource.name == "Community Choir"
    at.button(key="ed_rebase").click().run()
    at.button(key=SAVE).click().run()
    stored = Store(app_db).get("G02")
    assert stored.resource.name == "Southside Community Choir" and stored.version == 3
    assert stored.resource.last_verified == dt.date(2026, 6, 1)  # the verification is not undone


def test_two_curators_edit_one_listing_one_wins_the_other_re_applies(app_db):
    """Two browser sessions at once: Ann saves first; Bea's save is refused, her typing stays in the
    form, and one button re-applies her changes on top of Ann's without undoing Ann's."""
    ann, bea = open_listing("G02"), open_listing("G02")
    ann.text_input(key="ed_phone").set_value("0141 555 0101")
    ann.text_input(key="ed_schedule").set_value("Thursdays 18:30-20:00")
    bea.text_input(key="ed_name").set_value("Southside Community Choir")
    bea.text_input(key="ed_schedule").set_value("Fridays 19:00-20:30")
    ann.button(key=SAVE).click().run()
    assert ann.success[0].value.startswith("Saved Community Choir (version 2)")

    bea.button(key=SAVE).click().run()
    assert not bea.exception
    assert any("changed by someone else" in e.value and "now version 2" in e.value for e in bea.error)
    assert bea.text_input(key="ed_name").value == "Southside Community Choir"  # her edit is not lost
    assert bea.text_input(key="ed_schedule").value == "Fridays 19:00-20:30"
    (table,) = [d.value.set_index("field") for d in bea.dataframe if "field" in d.value.columns]
    assert table.loc["phone", "saved now"] == "0141 555 0101"
    assert table.loc["name", "your edit"] == "Southside Community Choir"
    assert Store(app_db).get("G02").resource.name == "Community Choir"

    bea.button(key="ed_rebase").click().run()
    assert not bea.exception
    assert bea.text_input(key="ed_name").value == "Southside Community Choir"
    assert bea.text_input(key="ed_phone").value == "0141 555 0101"  # Ann's change, now in Bea's form
    assert any("applied to version 2" in i.value for i in bea.info)
    assert any("both changed schedule" in w.value for w in bea.warning)
    bea.button(key=SAVE).click().run()
    assert bea.success[0].value.startswith("Saved Southside Community Choir (version 3)")

    stored = Store(app_db).get("G02").resource
    assert (stored.name, stored.phone, stored.schedule) == (
        "Southside Community Choir", "0141 555 0101", "Fridays 19:00-20:30")
    history = Store(app_db).history("G02")
    assert [(e.version, e.actor, sorted(e.changes)) for e in history[1:]] == [
        (2, "local", ["phone", "schedule"]), (3, "local", ["name", "schedule"])]


def test_verify_and_retire_buttons(app_db):
    at = open_listing("G06")
    at.button(key="ed_verify").click().run()
    assert "marked verified today" in at.success[0].value
    at.selectbox(key="dir_open").set_value("G06").run()
    at.button(key="ed_retire").click().run()
    assert Store(app_db).get("G06").resource.status == "active"  # a confirmation first, with a reason
    assert at.button(key="ed_retire_yes").disabled
    at.button(key="ed_retire_no").click().run()
    assert not [b for b in at.button if b.key == "ed_retire_yes"]
    at.button(key="ed_retire").click().run()
    at.text_input(key="ed_retire_reason").set_value("The shed closed in October").run()
    at.button(key="ed_retire_yes").click().run()
    stored = Store(app_db).get("G06")
    assert stored.resource.status == "inactive" and stored.resource.last_verified is not None
    assert [e.action for e in Store(app_db).history("G06")] == ["import", "verify", "retire"]
    assert Store(app_db).history("G06")[-1].changes["reason"] == [None, "The shed closed in October"]


def test_filters_narrow_the_table(app_db):
    at = new_app("views/directory.py")
    assert list(at.tabs[1].dataframe[0].value["id"]) == ["G06"]  # the stale listings have their own tab
    at.selectbox(key="dir_lang").set_value("ur").run()
    assert list(at.dataframe[0].value["id"]) == ["G04"]


def test_add_listing_with_errors_then_fixed(app_db):
    at = new_app("views/directory.py")
    at.text_input(key="add_id").set_value("N1")
    at.text_input(key="add_name").set_value("New Walking Group")
    at.text_area(key="add_description").set_value("A short walk for anyone.")
    at.button(key="FormSubmitter:add_form-Add listing").click().run()
    assert any(e.value.startswith(r"latitude: an in\_person listing needs latitude") for e in at.error)  # escaped text
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
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (text.encode(), "listings.csv")  # what the file uploader puts there
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith(r"listings\.csv: 1 problem(s). Nothing was imported.")  # name escaped
    problems = at.dataframe[0].value
    assert list(problems.iloc[0]) == ["3", "min_age", "'seventy' is not a whole number of years"]
    assert not [b for b in at.button if b.key == "imp_confirm"]
    assert Store(app_db).count() == len(app_directory())


def test_import_preview_then_confirm(app_db):
    text = to_csv_text([listing("I1", name="Fine"), app_directory()[0]])
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = (text.encode(), "listings.csv")
    at.run()
    assert any("Importing would add 1, update 0 and leave 1 unchanged" in m.value for m in at.markdown)
    assert Store(app_db).count() == len(app_directory())
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert "1 added, 0 updated, 1 unchanged" in at.success[0].value
    assert Store(app_db).history("I1")[0].actor == "local"
    # the import carried the new listing's vector: no server process has to embed it
    from matcher.embedder import load_embedder
    from matcher.shared_vectors import SharedVectors
    from matcher.snapshot import listing_text, text_hash

    embedder = load_embedder()
    with Store(app_db) as store:
        key = text_hash(listing_text(store.get("I1").resource))
        assert key in SharedVectors(store, embedder.name, embedder.dim).get([key])


def test_index_update_with_progress(app_db):
    at = new_app("views/import_export.py")
    at.button(key="idx_update").click().run()
    assert not at.exception
    assert any(s.value.startswith("Index up to date") for s in at.success)
