"""Find support, in Streamlit's AppTest: a filled form gives a compact list whose details match the data;
an impossible profile says why nothing matched; a misspelt place is offered corrected; the map is
drawn from shipped data only; a shortlist becomes a plan (PDF); 'New person' and the idle time
forget everything."""

from __future__ import annotations

import io
import json
import time

from pypdf import PdfReader

from ui.display import WORD_JOINER

from .app_fixtures import HOME, markdown_text, new_app

SUBMIT = "FormSubmitter:profile-Find support"


def fill(at, **needs):
    for domain, reading in needs.items():
        at.selectbox(key=f"fs_need_{domain}").set_value(reading)
    at.number_input(key="fs_lat").set_value(HOME[0])
    at.number_input(key="fs_lon").set_value(HOME[1])
    return at


def plain(at) -> str:
    return markdown_text(at).replace("\\", "").replace(WORD_JOINER, "")


def entry(text: str, rank: int) -> str:
    """One result of the list: its row and its details, up to the next result."""
    return text.split(f"**{rank}. ")[1].split(f"**{rank + 1}. ")[0]


def test_filled_form_gives_a_compact_list_whose_details_match_the_data(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("I would like some company")
    at.selectbox(key="fs_cost").set_value("free")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    text = plain(at)
    # the lunch club: free, 0.2 km away, in English, wheelchair accessible; its row and details say so
    card = entry(text, 1)
    assert card.startswith("Govan Lunch Club**")
    assert card.split("\n")[1] == "0.2 km · Wednesdays 12:00-14:00 · Free"  # the row, at a glance
    for line in ("Meets your top need: social relationships", "0.2 km away, as the crow flies", "Free",
                 "Wheelchair accessible", "When:** Wednesdays 12:00-14:00", "Contact:** 0141 000 0001",
                 "Needs it meets:** Social relationships"):
        assert line in card
    # details on demand: each result's details sit in a closed expander
    details = [e for e in at.expander if e.label.startswith("Details")]
    assert details and not any(e.proto.expanded for e in details)
    # click to call, from the listing's number
    calls = [b for b in at._tree if b.type == "link_button" and b.proto.url.startswith("tel:")]
    assert "tel:01410000001" in {b.proto.url for b in calls}
    # the choir is low cost: a 'free only' person never sees it; the inactive listing never appears
    assert "**2. Community Choir" not in text
    assert "Retired Befriending" not in text
    assert "Left out and why: " in " ".join(e.label for e in at.expander)
    # the listing whose name holds <script> is shown as text, escaped
    assert "<script>" not in markdown_text(at)
    # no 'on the right': on a phone the list is below
    assert "on the right" not in text


def test_impossible_profile_shows_why_nothing_matched_counts_first(app_db):
    at = fill(new_app(), social_relationships=1)
    at.multiselect(key="fs_languages").set_value(["Samoan"])
    at.selectbox(key="fs_digital").set_value("none")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Nothing in the directory fits every one of these needs and limits." in text
    assert "Nothing that fits their limits helps with social relationships." in text
    left_out = [e for e in at.expander if e.label.startswith("Left out and why")][0]
    assert left_out.proto.expanded
    body = "\n".join(m.value for m in left_out.markdown)
    assert "- **7** · Not held in a language they speak, and no interpreter" in body  # every active listing
    assert "- **1** · No longer running (retired listings)" in body


def test_reach_is_split_by_reason(app_db):
    at = fill(new_app(), social_relationships=1)
    at.slider(key="fs_km").set_value(0.5)
    at.checkbox(key="fs_wheelchair").set_value(True)
    at.selectbox(key="fs_digital").set_value("none")
    at.button(key=SUBMIT).click().run()
    left_out = [e for e in at.expander if e.label.startswith("Left out and why")][0]
    body = "\n".join(m.value for m in left_out.markdown)
    assert "Too far to travel (beyond the distance they gave)" in body
    assert "Only by phone or online, which they don't use" in body
    assert "Too far to travel, not wheelchair accessible, or needs" not in body  # no lumped row


def test_bad_location_is_shown_next_to_the_form(app_db):
    at = new_app()
    at.text_input(key="fs_place").set_value("Atlantis Bay")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert any("Where they live" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "fs_use_suggestion"]


def test_a_misspelt_place_is_offered_corrected_and_one_click_searches_again(app_db):
    at = new_app()
    at.selectbox(key="fs_need_social_relationships").set_value(1)
    at.text_input(key="fs_place").set_value("Gvan")
    at.button(key=SUBMIT).click().run()
    assert any("did you mean Govan?" in e.value.replace("\\", "") for e in at.error)
    at.button(key="fs_use_suggestion").click().run()
    assert not at.exception
    assert at.text_input(key="fs_place").value == "Govan"
    assert not at.error
    assert at.session_state["fs_recs"].results


def test_keyword_day_and_free_only_options(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_input(key="fs_keyword").set_value("choir")
    at.button(key=SUBMIT).click().run()
    assert [r.name for r in at.session_state["fs_recs"].results] == ["Community Choir"]
    at.text_input(key="fs_keyword").set_value("")
    at.multiselect(key="fs_days").set_value([2])  # Wednesday
    at.button(key=SUBMIT).click().run()
    assert [r.name for r in at.session_state["fs_recs"].results] == ["Govan Lunch Club"]
    at.multiselect(key="fs_days").set_value([])
    at.checkbox(key="fs_free_only").set_value(True)
    at.button(key=SUBMIT).click().run()
    assert all(r.resource.cost == "free" for r in at.session_state["fs_recs"].results)


def test_shortlist_becomes_a_pdf_plan_in_the_person_language(app_db):
    at = fill(new_app(), social_relationships=1, money=3)
    at.multiselect(key="fs_languages").set_value(["Polish", "English"])
    at.button(key=SUBMIT).click().run()
    at.button(key="fs_pick_G01").click().run()
    at.button(key="fs_pick_G03").click().run()
    at.text_input(key="fs_first_name").set_value("Mary")
    at.text_area(key="fs_next_step").set_value("Go to the lunch club on Wednesday")
    at.toggle(key="fs_show_plan").set_value(True).run()
    assert not at.exception
    shortlisted = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert any("Govan Lunch Club" in m for m in shortlisted) and any("Benefits Advice Line" in m for m in shortlisted)
    assert at.selectbox(key="fs_plan_lang").value == "pl"  # the first language they speak that the plan has
    (pdf,) = [n for n in at._tree if n.type == "download_button" and n.proto.label.startswith("Download the plan")]
    # the PDF is built from the same words as the page: read it back through the function the page calls
    from matcher.plan_pdf import render_plan_pdf

    shortlist = list(at.session_state["fs_shortlist"].values())
    data = render_plan_pdf(shortlist, "Mary", "Go to the lunch club on Wednesday", language="pl")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Co wybraliśmy razem" in text and "Govan Lunch Club" in text and "Go to the lunch club" in text
    assert "w linii prostej" in text  # 0.2 km, as the crow flies
    # remove one again
    at.button(key="fs_drop_G03").click().run()
    shortlisted = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert not any("Benefits Advice Line" in m for m in shortlisted)


def test_new_person_clears_everything(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("private words")
    at.multiselect(key="fs_languages").set_value(["Urdu", "English"])
    at.button(key=SUBMIT).click().run()
    at.button(key="fs_pick_G01").click().run()
    at.button(key=[b.key for b in at.button if b.label == "New person"][0]).click().run()
    assert not at.exception
    assert at.text_area(key="fs_goals").value == ""
    assert at.selectbox(key="fs_need_social_relationships").value is None
    assert at.multiselect(key="fs_languages").value == ["English"]
    assert "fs_recs" not in at.session_state and not at.session_state["fs_shortlist"]
    assert any("Ready for a new person" in i.value for i in at.info)


def test_the_profile_is_forgotten_after_the_idle_time(app_db, monkeypatch):
    monkeypatch.setenv("SIGNPOST_IDLE_MINUTES", "5")
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("private words")
    at.button(key=SUBMIT).click().run()
    at.run()
    assert at.text_area(key="fs_goals").value == "private words"  # used within the idle time: kept
    at.session_state["person_last_seen"] = time.time() - 6 * 60
    at.run()
    assert not at.exception
    assert at.text_area(key="fs_goals").value == ""
    assert "fs_recs" not in at.session_state
    assert any("cleared after 5 minutes without use" in i.value for i in at.info)


def test_profile_is_not_kept_beyond_the_session(app_db):
    at = fill(new_app(), social_relationships=1)
    at.text_area(key="fs_goals").set_value("private words")
    at.button(key=SUBMIT).click().run()
    fresh = new_app()  # a new tab is a new session
    assert fresh.text_area(key="fs_goals").value == ""
    assert "fs_recs" not in fresh.session_state


def chart_spec(at) -> dict:
    (chart,) = [n for n in at._tree if n.type == "vega_lite_chart"]
    return json.loads(chart.proto.spec), chart


def test_the_map_is_drawn_from_shipped_data_fitted_to_the_ring(app_db):
    at = fill(new_app(), social_relationships=1)
    at.slider(key="fs_km").set_value(3.0)
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert not [n for n in at._tree if n.type == "deck_gl_json_chart"]  # no basemap-loading deck.gl
    spec, chart = chart_spec(at)
    assert "url" not in json.dumps(spec)  # every layer's data is inline: nothing to fetch
    marks = [la["mark"]["type"] for la in spec["layer"]]
    assert marks.count("line") == 1 and "circle" in marks and "point" in marks
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    # fitted to the 3 km ring, closed in on the venues (all within 1 km): never wider than the ring
    assert 0.8 <= domain[1] < 3.0 * 1.12
    names = set()
    for ds in chart.proto.datasets:
        import pyarrow as pa

        table = pa.ipc.open_stream(ds.data.data).read_all().to_pydict()
        names |= set(table.get("name", []))
    assert "Govan" in names  # the person's own neighbourhood
    (caption,) = [c.value for c in at.caption if "neighbourhoods" in c.value]
    assert "where they live" in caption and "3 km" in caption


def test_the_map_caption_says_no_place_was_given(app_db):
    at = new_app()
    at.selectbox(key="fs_need_social_relationships").set_value(1)
    at.button(key=SUBMIT).click().run()
    (caption,) = [c.value for c in at.caption if "neighbourhoods" in c.value]
    assert "No place was given" in caption and "where they live" not in caption and "red" not in caption


def test_plan_in_urdu_says_its_words_are_a_draft_and_the_preview_reads_right_to_left(app_db):
    import base64

    at = fill(new_app(), social_relationships=1)
    at.multiselect(key="fs_languages").set_value(["Urdu", "English"])
    at.button(key=SUBMIT).click().run()
    at.button(key="fs_pick_G01").click().run()
    at.toggle(key="fs_show_plan").set_value(True).run()
    assert not at.exception
    assert at.selectbox(key="fs_plan_lang").value == "ur"
    assert "Urdu · اردو" in at.selectbox(key="fs_plan_lang").options
    assert any("Urdu headings are a draft translation" in c.value for c in at.caption)
    (frame,) = [n for n in at._tree if n.type == "iframe"]
    page = base64.b64decode(frame.proto.src.split(",", 1)[1]).decode("utf-8")
    assert '<html lang="ur" dir="rtl">' in page and "ہم نے مل کر کیا چنا" in page
    at.selectbox(key="fs_plan_lang").set_value("pl").run()
    assert not any("draft translation" in c.value for c in at.caption)
