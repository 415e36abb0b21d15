"""The GP preview in Streamlit's AppTest: gender, times and contacts, an empty box, unmet needs, the note."""

from __future__ import annotations

from . import app_fixtures
from .app_fixtures import new_app

app_db = app_fixtures.app_db  # the fixture, for this module


def ask(at, text, *, languages=("English",), gender=None, place=""):
    at.text_area(key="gp_text").set_value(text)
    at.text_input(key="gp_place").set_value(place)
    at.multiselect(key="gp_languages").set_value(list(languages))
    at.selectbox(key="gp_gender").set_value(gender)
    at.button(key="FormSubmitter:gp-Show local options").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def option_lines(at):
    return [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value]


def test_an_empty_needs_box_asks_for_needs_instead_of_guessing(app_db):
    at = ask(new_app("views/gp_preview.py"), "   ")
    assert not option_lines(at) and not at.code
    assert "Write a few words" in at.warning[0].value


def test_a_woman_is_offered_the_women_only_group_a_man_is_not(app_db):
    at = ask(new_app("views/gp_preview.py"), "wants a gentle walk with other women", languages=["Urdu"],
             gender="female")
    assert any("Urdu Women" in line for line in option_lines(at))
    note = at.code[0].value
    assert "Urdu Women's Walking Group" in note and "women only" in note and "gender: woman" in note
    at = ask(at, "wants a gentle walk with other women", languages=["Urdu"], gender="male")
    assert not any("Urdu Women" in line for line in option_lines(at))


def test_options_show_times_and_contacts_and_the_note_is_for_the_link_worker(app_db):
    at = ask(new_app("views/gp_preview.py"), "lonely since her husband died, would like company")
    captions = " ".join(c.value for c in at.caption)
    assert r"Wednesdays 12\:00" in captions and "0141 000 0001" in captions
    note = at.code[0].value
    assert "Seen by GP: lonely since her husband died" in note
    assert "Wednesdays 12:00-14:00; 0141 000 0001" in note
    assert "as you described" not in note and " you " not in note


def test_what_nothing_local_meets_is_said(app_db):
    at = ask(new_app("views/gp_preview.py"), "struggling with rent and damp housing", languages=["Urdu"])
    infos = " ".join(i.value for i in at.info)
    assert "Nothing local meets:" in infos and "living conditions" in infos
    assert "Nothing local found for:" in at.code[0].value
