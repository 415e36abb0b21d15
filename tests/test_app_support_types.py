"""Kinds of support in the app, in Streamlit's AppTest: Find support's filter keeps only listings of the kinds
chosen, says plainly when it leaves nothing, and "New person" clears it; Gaps counts listings by kind of
support × language × area, the inferred apart, on the demo directory."""

from __future__ import annotations

import pytest

from directory import importer
from directory.store import Store
from matcher import gaps
from matcher.geo import Gazetteer, Place
from matcher.support_types import SUPPORT_TYPE_KEYS

from .app_fixtures import HOME, app_directory, listing, new_app
from .test_app_find_support import SUBMIT, fill

CARERS = listing("C01", name="Carers' Cuppa", description="A break and a chat for unpaid carers looking after a "
                 "relative at home.", domains=["social_relationships"], schedule="Fridays 10:00-12:00")


@pytest.fixture
def carers_db(tmp_path, monkeypatch) -> str:
    path = tmp_path / "signpost.db"
    monkeypatch.setenv("SIGNPOST_DB", str(path))
    with Store(path) as store:
        store.import_resources([*app_directory(), CARERS], actor="test")
    return str(path)


def result_ids(at) -> list[str]:
    return [r.id for r in at.session_state["fs_recs"].results]


def test_kind_of_support_keeps_only_carers_listings_says_when_nothing_fits_and_new_person_clears_it(carers_db):
    at = fill(new_app(), social_relationships=1)
    at.button(key=SUBMIT).click().run()
    everything = result_ids(at)
    assert "C01" in everything and len(everything) > 1
    at.multiselect(key="fs_support_types").set_value(["carers_support"])
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert result_ids(at) == ["C01"]
    assert at.session_state["fs_recs"].results[0].resource.name == "Carers' Cuppa"
    # One option, and the page says the filter (not a lack of services) makes the list short.
    assert [w.value.replace("\\", "") for w in at.warning if "kind of support" in w.value] == [
        f"Only 1 option fits every need and limit with the options chosen (kind of support: Carers' support); without "
        f"them there are {len(everything)} options. Clear them under “Narrow the search” to see the rest."]
    # A kind nothing here offers: said plainly, with what there is without the filter.
    at.multiselect(key="fs_support_types").set_value(["stop_smoking"])
    at.button(key=SUBMIT).click().run()
    assert not at.exception and result_ids(at) == []
    said = [w.value.replace("\\", "") for w in at.warning if "kind of support" in w.value]
    assert said == [
        "With the options chosen (kind of support: Stop smoking), nothing helps with social relationships; without "
        "them, something does.",
        "Nothing fits these needs and limits with the options chosen (kind of support: Stop smoking). Without them "
        f"there are {len(everything)} options: clear them under “Narrow the search” to see them."]
    # Remembered with the other options across reruns, cleared by "New person".
    at.run()
    assert at.multiselect(key="fs_support_types").value == ["stop_smoking"]
    at.button(key=[b.key for b in at.button if b.label == "New person"][0]).click().run()
    assert at.multiselect(key="fs_support_types").value == []
    assert "fs_narrowing" not in at.session_state


def test_kind_of_support_is_offered_with_lay_labels(carers_db):
    at = new_app()
    options = at.multiselect(key="fs_support_types").options
    assert "Carers' support" in options and "Befriending" in options and "carers_support" not in options


@pytest.fixture
def demo_db(tmp_path, monkeypatch) -> str:
    from cli.directory_cmds import DEMO_CSV

    path = tmp_path / "signpost.db"
    monkeypatch.setenv("SIGNPOST_DB", str(path))
    with Store(path) as store:
        store.import_resources(importer.load(DEMO_CSV), actor="test")
    return str(path)


def test_gaps_by_kind_of_support_on_the_demo_directory(demo_db):
    at = new_app("views/gaps.py")
    assert not at.exception
    assert [t.label for t in at.tabs] == ["By need", "By kind of support"]
    counts = next(d.value for d in at.dataframe if "kind of support" in d.value.columns
                  and "inferred" in d.value.columns)
    cell = counts[(counts["kind of support"] == "Carers' support") & (counts["language name"] == "Urdu")]
    # The demo's one carers' group held in Urdu is the South Asian Carers' Group; its kind is inferred (the demo
    # CSV tags no kinds).
    assert cell[["listings", "inferred"]].values.tolist() == [[1, 1]]
    assert set(counts["kind of support"]) >= {"Carers' support", "Walking groups", "English classes (ESOL)"}
    # Only some languages: the filter narrows the table to them.
    at.multiselect(key="gap_type_langs").set_value(["ur"]).run()
    counts = next(d.value for d in at.dataframe if "inferred" in d.value.columns)
    assert set(counts["language name"]) == {"Urdu"}
    nothing = [h.value for h in at.subheader if "kind of support × language" in h.value]
    every_kind = f"Nothing to go to: {len(SUPPORT_TYPE_KEYS)} "  # (of the vocabulary's kinds)
    assert nothing and not nothing[0].startswith(every_kind)  # Urdu has some kinds
    # Without the inferred kinds nothing is left: the demo CSV tags none, and the page says so.
    at.toggle(key="gap_type_inferred").set_value(False).run()
    assert [h.value for h in at.subheader if "kind of support × language" in h.value][0].startswith(every_kind)
    # Areas by neighbourhood: the gazetteer's names, phone and online apart.
    at.radio(key="gap_type_by").set_value(gaps.BY_NEIGHBOURHOOD).run()
    assert not at.exception
    areas = at.multiselect(key=f"gap_type_areas_{gaps.BY_NEIGHBOURHOOD}").options
    assert "Govan" in areas and "phone/online" in areas and not any(a.startswith("G5") for a in areas)


def test_counts_only_active_listings_matching_holds_by_area():
    a = listing("A1", languages=["ur", "en"], postcode="G51 3BD", latitude=HOME[0], longitude=HOME[1])
    b = listing("A2", languages=["ur"], postcode="G42 7AA", latitude=55.835, longitude=-4.26)
    gone = listing("A3", languages=["ur"], status="inactive")
    phone = listing("A4", languages=["ur"], delivery=["phone"], latitude=None, longitude=None, postcode="")
    unseen = listing("A5", languages=["ur"])  # not in matching's snapshot: not counted
    types_of = {"A1": (["carers_support"], False), "A2": (["carers_support", "befriending"], True),
                "A3": (["carers_support"], False), "A4": (["carers_support"], True)}
    cov = gaps.support_type_coverage([a, b, gone, phone, unseen], types_of)
    carers_ur = cov[(cov.support_type == "carers_support") & (cov.language == "ur")].set_index("area")
    assert carers_ur.loc["G51", "listings"] == 1 and carers_ur.loc["G51", "inferred"] == 0
    assert carers_ur.loc["G42", "listings"] == 1 and carers_ur.loc["G42", "inferred"] == 1
    assert carers_ur.loc["phone/online", "listings"] == 1
    assert cov.listings.sum() == 2 + 2 + 1  # A1 in two languages, A2 under two kinds, A4; never A3 or A5
    assert (cov[cov.support_type == "stop_smoking"].listings == 0).all()  # zeros are rows, not absent
    gaz = Gazetteer([Place("Govan", "neighbourhood", HOME[0], HOME[1]), Place("Govanhill", "neighbourhood", 55.836, -4.262),
                     Place("G51", "postcode_district", HOME[0], HOME[1])])
    hoods = gaps.support_type_coverage([a, b, phone], types_of, by=gaps.BY_NEIGHBOURHOOD, gazetteer=gaz)
    assert set(hoods.area) == {"Govan", "Govanhill", "phone/online"}


# ---- the Directory page: kinds of support and domains as matching reads them ----------------------------
TAGGED = listing("T01", name="Elderpark Tea Friends", description="Tea, cake and a chat on Tuesday afternoons.",
                 domains=["social_relationships"], support_types=["befriending", "lunch_clubs"])
UNTAGGED_DOMAINS = listing("U01", name="Memory Cafe", description="A memory cafe for people living with "
                           "dementia and the carers who look after them.", domains=[])


@pytest.fixture
def tagged_db(tmp_path, monkeypatch) -> str:
    path = tmp_path / "signpost.db"
    monkeypatch.setenv("SIGNPOST_DB", str(path))
    with Store(path) as store:
        store.import_resources([*app_directory(), CARERS, TAGGED, UNTAGGED_DOMAINS], actor="test")
    return str(path)


def panel_lines(at, of=("info", "caption")) -> list[str]:
    """The panel's lines on kinds of support and domains, as read (the page escapes Markdown)."""
    lines = [m.value.replace("\\", "") for kind in of for m in getattr(at, kind)]
    return [line for line in lines if line.startswith(("Kinds of support", "Needs domains"))]


def test_directory_shows_kinds_of_support_as_matching_reads_them_inferred_ones_marked(tagged_db):
    at = new_app("views/directory.py")
    table = at.dataframe[0].value.set_index("id")
    assert table.loc["T01", "kinds of support"] == "Befriending, Lunch clubs and community meals"  # the curator's tags, as they are
    assert table.loc["C01", "kinds of support"].startswith("inferred: ")
    assert "Carers' support" in table.loc["C01", "kinds of support"]
    assert table.loc["G01", "domains"] == "social relationships"  # the curator's domains, not marked
    assert table.loc["U01", "domains"].startswith("inferred: ") and "_" not in table.loc["U01", "domains"]
    assert table.loc["U01", "domains"] != "inferred: not stated"

    # A curator-tagged listing's panel: its tags, said to be a curator's, never "inferred".
    at.selectbox(key="dir_open").set_value("T01").run()
    assert not at.exception
    (kinds,) = [line for line in panel_lines(at) if line.startswith("Kinds of support")]
    assert kinds == "Kinds of support (tagged by a curator): Befriending, Lunch clubs and community meals"
    assert not panel_lines(at, of=("info",))

    # An untagged one: matching's inferred kinds, marked inferred, and what a curator can do about it.
    at.selectbox(key="dir_open").set_value("C01").run()
    (kinds,) = [line for line in panel_lines(at, of=("info",)) if line.startswith("Kinds of support")]
    assert kinds.startswith("Kinds of support (inferred from the text): ") and "Carers' support" in kinds
    assert kinds.endswith(" — tag them to set them")
    (doms,) = [line for line in panel_lines(at) if line.startswith("Needs domains")]
    assert doms == "Needs domains (tagged by a curator): Social relationships"

    # Domains left blank by the curator: matching's inferred ones, lay names (no codes), marked inferred.
    at.selectbox(key="dir_open").set_value("U01").run()
    (doms,) = [line for line in panel_lines(at, of=("info",)) if line.startswith("Needs domains")]
    assert doms.startswith("Needs domains (inferred from the text): ") and "_" not in doms

    # The kind-of-support filter reads the same answer: the inferred carers' listing is found by it.
    at.selectbox(key="dir_kind").set_value("carers_support").run()
    assert "C01" in set(at.dataframe[0].value["id"]) and "T01" not in set(at.dataframe[0].value["id"])
    at.selectbox(key="dir_kind").set_value("lunch_clubs").run()
    assert "T01" in set(at.dataframe[0].value["id"])
