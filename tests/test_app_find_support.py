"""Find support, in Streamlit's AppTest: a filled form gives results whose reasons match the data;
an impossible profile says why nothing matched; a shortlist becomes a plan."""

from __future__ import annotations

from .app_fixtures import HOME, markdown_text, new_app

SUBMIT = "FormSubmitter:profile-Find support"


def fill(at, **needs):
    for domain, reading in needs.items():
        at.selectbox(key=f"fs_need_{domain}").set_value(reading)
    at.number_input(key="fs_lat").set_value(HOME[0])
    at.number_input(key="fs_lon").set_value(HOME[1])
    return at


def plain(at) -> str:
    return markdown_text(at).replace("\\", "")


def test_filled_form_gives_cards_whose_reasons_match_the_data(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("I would like some company")
    at.selectbox(key="fs_cost").set_value("free")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    text = plain(at)
    # the lunch club: free, 0.2 km away, in English, wheelchair accessible; its card says so and nothing else
    card = text.split("#### 1. ")[1].split("####")[0]
    assert card.startswith("Govan Lunch Club")
    for line in ("Meets your top need: social relationships", "0.2 km away", "Free", "Wheelchair accessible",
                 "When:** Wednesdays 12:00-14:00", "Contact:** 0141 000 0001", "Needs it meets:** Social relationships"):
        assert line in card
    # the choir is low cost: a 'free only' person never sees it; the inactive listing never appears
    assert "#### 2. Community Choir" not in text
    assert "Retired Befriending" not in text
    assert "Left out and why: " in " ".join(e.label for e in at.expander)
    # the listing whose name holds <script> is shown as text, escaped
    assert "<script>" not in markdown_text(at)


def test_impossible_profile_shows_why_nothing_matched(app_db):
    at = fill(new_app(), social_relationships=1)
    at.multiselect(key="fs_languages").set_value(["Samoan"])
    at.selectbox(key="fs_digital").set_value("none")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert any(w.value.startswith("Nothing in the directory fits") for w in at.warning)
    left_out = [e for e in at.expander if e.label.startswith("Left out and why")][0]
    table = left_out.dataframe[0].value
    reasons = dict(zip(table["Reason"], table["Listings"], strict=True))
    assert reasons["Not held in a language they speak, and no interpreter"] == 7  # every active listing
    assert reasons["No longer running (retired listings)"] == 1


def test_bad_location_is_shown_next_to_the_form(app_db):
    at = new_app()
    at.text_input(key="fs_place").set_value("Atlantis Bay")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert any("Where they live" in e.value for e in at.error)


def test_shortlist_becomes_a_plan(app_db):
    at = fill(new_app(), social_relationships=1, money=3)
    at.button(key=SUBMIT).click().run()
    at.button(key="fs_pick_G01").click().run()
    at.button(key="fs_pick_G03").click().run()
    at.text_input(key="fs_first_name").set_value("Mary")
    at.text_area(key="fs_next_step").set_value("Go to the lunch club on Wednesday")
    at.toggle(key="fs_show_plan").set_value(True).run()
    assert not at.exception
    shortlisted = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert any("Govan Lunch Club" in m for m in shortlisted) and any("Benefits Advice Line" in m for m in shortlisted)
    # remove one again
    at.button(key="fs_drop_G03").click().run()
    shortlisted = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert not any("Benefits Advice Line" in m for m in shortlisted)


def test_profile_is_not_kept_beyond_the_session(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("private words")
    at.button(key=SUBMIT).click().run()
    fresh = new_app()  # a new tab is a new session
    assert fresh.text_area(key="fs_goals").value == ""
    assert "fs_recs" not in fresh.session_state


def test_the_map_shows_the_venues_the_travel_limit_and_neighbourhood_names(app_db):
    import json

    at = fill(new_app(), social_relationships=1)
    at.slider(key="fs_km").set_value(3.0)
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    (chart,) = [n for n in at._tree if n.type == "deck_gl_json_chart"]
    layers = json.loads(chart.proto.json)["layers"]
    ring = [la for la in layers if la.get("filled") is False]
    assert len(ring) == 1 and ring[0]["getRadius"] == 3000.0  # the distance they said, in metres
    venues = [la for la in layers if la["@@type"] == "ScatterplotLayer" and la.get("stroked") and la.get("pickable")]
    labels = {d["label"] for d in venues[0]["data"]}
    assert labels and all(part.isdigit() for label in labels for part in label.split("·"))
    names = [la for la in layers if la["@@type"] == "TextLayer" and "name" in str(la.get("getText"))]
    assert "Govan" in {d["name"] for d in names[0]["data"]}  # the person's own neighbourhood
