"""What the Find support page shows, computed below the UI: keyword and day options, reach split by
why, the place suggestion, honest summary words, the map's maths, plan words and the PDF plan."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import numpy as np
import pytest
from pypdf import PdfReader

from directory.records import InputError
from directory.store import Store
from matcher import mapping
from matcher.constraints import evaluate
from matcher.filters import keyword_terms, matches_keyword, schedule_days
from matcher.geo import Gazetteer, Place, PlaceNotFound, default_gazetteer, resolve_location
from matcher.plan_pdf import render_plan_pdf
from matcher.plan_words import PlanWords, load_words, plan_languages
from matcher.profile import parse_profile
from matcher.snapshot import Snapshot
from matcher.summary import summary_lines, unmet_lines

from . import matcher_fixtures
from .matcher_fixtures import HOME, listing, offset, open_recommender, small_directory

embedder = matcher_fixtures.embedder  # the fixture, for this module


# ---- keyword and days ---------------------------------------------------------------------------------
@pytest.mark.parametrize("schedule, days", [
    ("Mondays 10:30-11:30", {0}), ("Mon-Fri 09:00-17:00", {0, 1, 2, 3, 4}), ("Tue and Thu 10:00-15:00", {1, 3}),
    ("Mon-Thu 09:00-16:30, Fri 09:00-15:30", {0, 1, 2, 3, 4}), ("Weekdays 10:00-16:00", {0, 1, 2, 3, 4}),
    ("Saturdays 10:00-12:00", {5}), ("First Tuesday 14:00-15:30", {1}), ("By appointment", set()),
    ("Fri-Mon", {4, 5, 6, 0}), ("Daily 9-5", set(range(7))), ("", set()), (None, set()),
])
def test_schedule_days(schedule, days):
    assert schedule_days(schedule) == days


def test_keyword_matches_word_starts_in_any_field_folding_case_and_accents():
    choir = listing("K1", name="Community Choir", description="Sing together.", categories=["music"])
    assert matches_keyword(choir, keyword_terms("choir"))
    assert matches_keyword(choir, keyword_terms("  CHÓIR  "))
    assert matches_keyword(choir, keyword_terms("music sing"))
    assert not matches_keyword(choir, keyword_terms("hoir"))  # a word's start, not any substring
    assert not matches_keyword(choir, keyword_terms("choir walk"))  # every word


@pytest.fixture
def recommender(tmp_path, embedder):
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.import_resources(small_directory(), actor="test")
    rec = open_recommender(db, tmp_path / "index", embedder)
    yield rec
    rec.close()


def test_keyword_and_days_narrow_the_offer_but_are_not_exclusions(recommender):
    profile = {"needs": {"social_relationships": 1}, "location": {"latitude": HOME[0], "longitude": HOME[1]},
               "max_distance_km": 20}
    plain = recommender.recommend(profile, top_k=10)
    choir = recommender.recommend(profile, top_k=10, keyword="choir")
    assert [r.name for r in choir.results] == ["Far Away Choir"]
    assert choir.excluded == plain.excluded  # options narrow; the rules' counts are the rules'
    monday = recommender.recommend(profile, top_k=10, days=[0])
    assert monday.results and all(0 in schedule_days(r.resource.schedule) for r in monday.results)
    assert not recommender.recommend(profile, top_k=10, days=[6]).results
    assert recommender.recommend(profile, top_k=10, keyword="", days=[]).to_json() == plain.to_json()


def test_support_types_are_the_curators_tags_else_inferred_and_narrow_the_offer(tmp_path, embedder):
    db = str(tmp_path / "t.db")
    rows = small_directory() + [
        listing("L13", name="Carers' Cuppa", description="A break and a chat for unpaid carers of a relative.",
                domains=["social_relationships"]),
        listing("L14", name="Tuesday Club", description="We meet on Tuesdays.", domains=["social_relationships"],
                support_types=["bereavement"]),
    ]
    with Store(db) as store:
        store.import_resources(rows, actor="test")
    rec = open_recommender(db, tmp_path / "index", embedder)
    try:
        types = rec.listing_support_types()
        assert types["L14"] == (["bereavement"], False)  # the curator's tags, not what the text suggests
        assert "carers_support" in types["L13"][0] and types["L13"][1] is True
        assert "debt_advice" in types["L02"][0]
        profile = {"needs": {"social_relationships": 1}, "location": {"latitude": HOME[0], "longitude": HOME[1]},
                   "max_distance_km": 20}
        plain = rec.recommend(profile, top_k=20)
        carers = rec.recommend(profile, top_k=20, support_types=["carers_support"])
        assert [r.id for r in carers.results] == ["L13"]
        assert carers.excluded == plain.excluded  # an option, not a rule
        grief = rec.recommend(profile, top_k=20, support_types=["carers_support", "bereavement"])
        assert sorted(r.id for r in grief.results) == ["L13", "L14"]
        assert rec.recommend(profile, top_k=20, support_types=[]).to_json() == plain.to_json()
        with pytest.raises(ValueError, match="'no_such_type'"):
            rec.recommend(profile, support_types=["no_such_type"])
    finally:
        rec.close()


# ---- reach, split by why ----------------------------------------------------------------------------
def test_reach_is_split_into_too_far_wheelchair_and_remote():
    far = offset(9.0)
    rows = [listing("F", latitude=far[0], longitude=far[1]), listing("W", wheelchair_accessible=False),
            listing("U", wheelchair_accessible=None), listing("P", delivery=["phone"], latitude=None, longitude=None),
            listing("O", delivery=["online"], latitude=None, longitude=None), listing("OK")]
    snap = Snapshot.build(1, rows, [r.id for r in rows])
    profile = parse_profile({"needs": {}, "max_distance_km": 3, "needs_wheelchair_access": True,
                             "digital_access": "none"})
    elig = evaluate(snap, profile, HOME)
    assert elig.excluded()["reach"] == 5
    assert elig.reach_detail() == {"too_far": 1, "wheelchair": 2, "remote": 2}
    assert sum(elig.reach_detail().values()) == elig.excluded()["reach"]


# ---- a misspelt place ----------------------------------------------------------------------------------
def test_a_misspelt_place_suggests_the_gazetteer_name():
    gaz = default_gazetteer()
    assert gaz.suggest("Gvan") == "Govan"
    assert gaz.suggest("Partik") == "Partick"
    assert gaz.suggest("Govan") is None  # known: nothing to suggest
    assert gaz.suggest("Atlantis Bay") is None
    assert gaz.suggest("G5") is None
    with pytest.raises(PlaceNotFound) as err:
        resolve_location({"place": "Gvan"}, gaz)
    assert err.value.suggestion == "Govan"
    assert isinstance(err.value, InputError) and err.value.issues[0].column == "location"
    assert "did you mean Govan?" in err.value.issues[0].message
    assert "Gvan" not in err.value.issues[0].message  # never the person's own words


# ---- honest words ---------------------------------------------------------------------------------------
def near(name, detail, domains):
    return SimpleNamespace(name=name, detail=detail, resource=SimpleNamespace(domains=domains))


def test_unmet_needs_are_said_with_what_nearly_fits():
    lines = unmet_lines(["money"], [near("Benefits Advice Line", "By phone only; you do not use the phone",
                                         ["money"]), near("Choir", "Low cost", ["social_relationships"])])
    assert lines == ["Nothing that fits their limits helps with money. Nearly fits: Benefits Advice Line "
                     "(by phone only; you do not use the phone)."]
    recs = SimpleNamespace(unmet_needs=[], near_misses=[], results=[1, 2])
    assert summary_lines(recs, 10) == ["Only 2 options fit every need and limit: the list is not padded with "
                                       "ones that don't."]
    assert summary_lines(SimpleNamespace(unmet_needs=[], near_misses=[], results=list(range(10))), 10) == []


# ---- the map's maths ------------------------------------------------------------------------------------
def test_the_view_fits_the_ring_and_far_points_do_not_widen_it():
    view = mapping.fit_view(HOME, 2.0, [(0.0, 30.0)], size_px=340)
    assert view.half_km == pytest.approx(2.0 * mapping.MARGIN)
    assert not view.contains(0.0, 30.0)
    x, y = mapping.project(HOME, *offset(1.0, 1.0))
    assert x == pytest.approx(1.0, abs=0.01) and y == pytest.approx(1.0, abs=0.01)
    assert all(np.hypot(px, py) == pytest.approx(2.0) for px, py in mapping.ring(2.0))
    assert mapping.fit_view(HOME, None, [(0.5, 0.2)]).half_km == mapping.MIN_HALF_KM
    # options well inside a 5 km ring: the view closes in on them instead of piling them on home
    close = mapping.fit_view(HOME, 5.0, [(0.8, 0.1), (0.0, -0.3), (0.0, 30.0)])
    assert close.half_km == pytest.approx(0.8 * mapping.CLOSE_IN) and not close.ring_whole
    assert mapping.fit_view(HOME, 2.0, [(1.8, 0.0)]).ring_whole


def test_markers_group_when_they_share_a_venue_and_skip_what_is_outside():
    view = mapping.fit_view(HOME, 2.0, size_px=340)
    markers = mapping.group_markers([(0.5, 0.5, 3, "C"), (0.5, 0.5, 1, "A"), (0.51, 0.5, 2, "B"),
                                     (-1.0, 0.0, 4, "D"), (0.0, 9.0, 5, "Far")], view)
    assert [m.label for m in markers] == ["1,2,3", "4"]
    assert markers[0].names == ["A", "B", "C"]


def test_labels_never_overlap_each_other_or_the_markers():
    view = mapping.fit_view(HOME, 2.0, size_px=340)
    names = [(f"Place {i}", 0.05 * i, 0.02 * i) for i in range(20)] + [("Edge", 2.2, 0.0)]
    placed = mapping.place_labels(names, view, avoid=[(0.0, 0.0)])
    boxes = [mapping._box(lb.x, lb.y, lb.text, view, 6.6, 12) for lb in placed]
    assert placed and len(placed) < 20
    for i, a in enumerate(boxes):
        assert -view.half_km <= a[0] and a[2] <= view.half_km
        assert not any(mapping._overlaps(a, b) for b in boxes[i + 1:])
        assert not mapping._overlaps(a, (-0.01, -0.01, 0.01, 0.01))  # the home point
    assert "Edge" not in {lb.text for lb in placed}  # it would run off the map


# ---- plan words and the PDF ------------------------------------------------------------------------------
def test_plan_words_cover_every_key_for_each_language_offered():
    words = load_words()
    langs = plan_languages()
    assert langs[0] == "en" and {"pl", "ro", "sk", "ar", "fa", "so"} <= set(langs)
    for lang in langs:
        assert set(words[lang]) == set(words["en"])
    assert PlanWords("pl").date(dt.date(2026, 3, 2)) == "2 marca 2026"
    assert PlanWords("en").date(dt.date(2026, 3, 2)) == "2 March 2026"
    assert PlanWords("en").km(0.24) == "0.2 km from home, as the crow flies"
    assert PlanWords("pl").km(1.26) == "1,3 km od domu w linii prostej"
    assert PlanWords("xx")("when") == "When"  # an unknown language falls back to English
    assert PlanWords("ar").rtl and not PlanWords("pl").rtl


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_pdf_plan_has_the_activity_the_words_and_the_person_language():
    r = listing("P1", name="Govan Lunch Club <script>x</script>", schedule="Wednesdays 12:00-14:00",
                phone="0141 000 0001")
    item = SimpleNamespace(resource=r, reasons=["Free"], distance_km=0.24)
    data = render_plan_pdf([item], "Mary", "Phone on Monday", "Sam, 0141 111 2222", today=dt.date(2026, 3, 2),
                           not_found=["Nothing that fits their limits helps with money."])
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for words in ("Mary's plan", "2 March 2026", "Govan Lunch Club <script>x</script>", "Wednesdays 12:00-14:00",
                  "0141 000 0001", "as the crow flies", "Phone on Monday", "Sam, 0141 111 2222",
                  "What we could not find nearby", "helps with money"):
        assert words in text, words
    polish = pdf_text(render_plan_pdf([item], "Mary", language="pl", today=dt.date(2026, 3, 2)))
    assert "Co wybraliśmy razem" in polish and "2 marca 2026" in polish and "Kiedy" in polish
    large = render_plan_pdf([item] * 4, large_print=True)
    assert len(PdfReader(io.BytesIO(large)).pages) > len(PdfReader(io.BytesIO(render_plan_pdf([item] * 4))).pages)


def test_pdf_plan_in_arabic_is_drawn():
    item = SimpleNamespace(resource=listing("P2"), reasons=[], distance_km=None)
    data = render_plan_pdf([item], language="ar")
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) == 1


def test_gazetteer_suggest_ignores_postcodes():
    gaz = Gazetteer([Place("G51", "postcode_district", 55.86, -4.3), Place("Govan", "neighbourhood", 55.86, -4.3)])
    assert gaz.suggest("G52") is None
    assert gaz.suggest("Govn") == "Govan"


# ---- click-to-call and e-mail ------------------------------------------------------------------------------
def test_contact_links_only_for_plain_numbers_and_addresses():
    from matcher.contacts import mailto_href, tel_href

    assert tel_href("0141 000 0001") == "tel:01410000001"
    assert tel_href("+44 141 000 0001") == "tel:+441410000001"
    for bad in ("0141-000-0001", "call 0141", "javascript:alert(1)", "0141 000 0001?x", "123", "", None,
                "01410000001 ext 2", "+", "0141\n000 0001"):
        assert tel_href(bad) is None, bad
    assert mailto_href("choir@example.org") == "mailto:choir@example.org"
    for bad in ("Choir <choir@example.org>", "a@b", "x@example.org?subject=hi", "javascript:x@example.org",
                "a b@example.org", "a..b@example.org", "", None, "a@example.org\nBcc: c@d.org"):
        assert mailto_href(bad) is None, bad


# ---- listing text stays text ------------------------------------------------------------------------------
def test_ui_text_leaves_no_link_icon_or_emoji_pattern():
    from ui.display import WORD_JOINER, text

    shown = text("Visit www.example.org or https://x.org :material/warning: :smile: a@b.org, 12.5 km")
    unescaped = shown.replace("\\", "")
    for pattern in ("www.", "https://", ":material/", ":smile:", "a@b"):
        assert pattern not in unescaped, pattern
    assert unescaped.replace(WORD_JOINER, "") == "Visit www.example.org or https://x.org :material/warning: " \
                                                 ":smile: a@b.org, 12.5 km"  # reads the same


def test_html_plan_says_how_far_and_what_was_not_found():
    from matcher.plan import render_plan_html

    item = SimpleNamespace(resource=listing("P3"), reasons=[], distance_km=0.24)
    page = render_plan_html([item], not_found=["Nothing that fits their limits helps with <money>."])
    assert "0.2 km from home, as the crow flies" in page
    assert "What we could not find nearby" in page and "helps with &lt;money&gt;." in page
    assert "could not find" not in render_plan_html([item])
