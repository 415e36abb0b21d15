"""An in-person listing without coordinates ("not placed"): allowed while it is inactive (it is
never offered to anyone, contract section 4 rule 1), refused while active (in the CSV and
everywhere), refused on reactivation until a curator sets where it meets; the matcher, the
curator's queries and the app cope with one in the directory."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from directory import csv_io, curation
from directory.accounts import User
from directory.records import InputError, Resource
from directory.store import Store
from matcher.recommender import Recommender
from matcher.snapshot import Snapshot

from . import app_fixtures
from .app_fixtures import new_app
from .conftest import SHARED
from .matcher_fixtures import GAZETTEER, HOME, small_directory
from .test_csv_import import header, row

CURATOR = User("cora", "curator")
UNPLACED_ROW = dict(id="U1", name="Church hall lunch club", description="Hot lunch, tea and a chat for anyone lonely.",
                    latitude="", longitude="", address="Church Hall, 3 Elm Road", postcode="G12 8QQ",
                    status="inactive")


def unplaced(rid: str = "U1", **overrides) -> Resource:
    data = dict(id=rid, name="Church hall lunch club", description="Hot lunch, tea and a chat for anyone lonely.",
                domains=["social_relationships"], delivery=["in_person"], address="Church Hall, 3 Elm Road",
                postcode="G12 8QQ", status="inactive")
    data.update(overrides)
    return Resource.model_validate(data)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=300)


# ---- the record and the contract CSV -------------------------------------------------------------
def test_an_inactive_in_person_row_without_coordinates_imports(tmp_path):
    text = header() + row(**UNPLACED_ROW) + row(id="T2")
    (u, t) = csv_io.parse_csv(text)
    assert (u.status, u.delivery, u.latitude, u.longitude, u.address) == (
        "inactive", ["in_person"], None, None, "Church Hall, 3 Elm Road")
    assert (t.status, t.latitude) == ("active", 55.86)
    # through the CLI into a real SQLite file, and out again as the same CSV
    path, db, out = tmp_path / "d.csv", tmp_path / "s.db", tmp_path / "out.csv"
    path.write_text(text, encoding="utf-8")
    done = cli("--db", str(db), "import", str(path))
    assert done.returncode == 0 and "2 added" in done.stderr, done.stderr
    with Store(db) as store:
        assert store.get("U1").resource == u
    assert cli("--db", str(db), "export", str(out)).returncode == 0
    assert csv_io.read_csv(out) == [t, u]


@pytest.mark.parametrize("status", ["active", ""])
def test_the_same_row_active_is_refused_naming_row_and_column_latitude(status, tmp_path):
    text = header() + row(id="T0") + row(**{**UNPLACED_ROW, "status": status})
    with pytest.raises(InputError) as err:
        csv_io.parse_csv(text)
    assert [(i.row, i.column) for i in err.value.issues] == [(3, "latitude")]
    assert err.value.issues[0].message == ("an in_person listing needs latitude and longitude of where it meets, "
                                           "unless it is inactive")
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    done = cli("--db", str(tmp_path / "s.db"), "import", str(path))
    assert done.returncode == 2 and "row 3, column 'latitude'" in done.stderr


def test_latitude_without_longitude_is_still_an_error_when_inactive():
    with pytest.raises(InputError) as err:
        csv_io.parse_csv(header() + row(**{**UNPLACED_ROW, "latitude": "55.8"}))
    assert [(i.row, i.column) for i in err.value.issues] == [(2, "latitude")]


# ---- reactivation --------------------------------------------------------------------------------
def test_reactivating_is_refused_naming_latitude_until_a_curator_places_it(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.import_resources([unplaced()], actor="test")
        for reactivate in (lambda: store.reactivate("U1", 1, actor="cora"),
                           lambda: curation.reactivate_listing(store, CURATOR, "U1", 1)):
            with pytest.raises(InputError) as err:
                reactivate()
            (issue,) = err.value.issues
            assert issue.column == "latitude"
            assert issue.message == ("listing U1 cannot be reactivated: it meets in person but has no latitude and "
                                     "longitude; set where it meets first")
        assert store.get("U1").version == 1 and [e.action for e in store.history("U1")] == ["import"]
        # an edit that makes it active without saying where it meets is refused the same way
        fields = curation.listing_fields(store.get("U1").resource)
        with pytest.raises(InputError) as err:
            curation.edit_listing(store, CURATOR, "U1", {**fields, "status": "active"}, 1)
        assert [i.column for i in err.value.issues] == ["latitude"]
        # the curator places the venue; then it can be reactivated
        curation.edit_listing(store, CURATOR, "U1", {**fields, "latitude": "55.8731", "longitude": "-4.2886"}, 1)
        stored = curation.reactivate_listing(store, CURATOR, "U1", 2)
        assert (stored.resource.status, stored.resource.latitude, stored.version) == ("active", 55.8731, 3)
        assert [e.action for e in store.history("U1")] == ["import", "update", "reactivate"]


def test_a_placed_listing_reactivates_as_before(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.import_resources([unplaced(latitude=55.87, longitude=-4.29)], actor="test")
        assert store.reactivate("U1", 1).resource.status == "active"


# ---- the matcher -----------------------------------------------------------------------------------
def test_the_snapshot_places_only_venues_with_finite_coordinates():
    listings = [*small_directory(), unplaced()]
    snap = Snapshot.build(1, listings, [str(i) for i in range(len(listings))])
    row_ = snap.row_of["U1"]
    assert np.isnan(snap.lat[row_]) and row_ not in snap.venue_rows
    assert np.isfinite(snap.lat[snap.venue_rows]).all() and np.isfinite(snap.lon[snap.venue_rows]).all()
    xyz = snap.venue_xyz
    assert np.isnan(xyz[row_]).all() and np.isfinite(xyz[snap.venue_rows]).all()
    assert np.allclose(np.linalg.norm(xyz[snap.venue_rows], axis=1), 1.0)


@pytest.fixture
def recommender(tmp_path, embedder):
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.import_resources([*small_directory(), unplaced()], actor="test")
    rec = Recommender.open(str(db), index_dir=tmp_path / "index", embedder=embedder)
    rec.gazetteer = GAZETTEER
    yield rec
    rec.close()


@pytest.mark.parametrize("profile", [
    {"needs": {"social_relationships": 1}, "goals": "lunch and a chat, I am lonely",
     "location": {"latitude": HOME[0], "longitude": HOME[1]}, "max_distance_km": 50},
    {"needs": {"social_relationships": 1}, "goals": "lunch and a chat, I am lonely"},
    {"needs": {"social_relationships": 1}, "location": {"postcode": "G1"}, "needs_wheelchair_access": True,
     "digital_access": "none", "max_cost": "free", "age": 70, "gender": "female"},
])
def test_matching_with_an_unplaced_listing_in_the_directory(recommender, profile):
    recs = recommender.recommend(profile, top_k=20)
    assert recs.results and "U1" not in {r.id for r in recs.results}
    assert "U1" not in {m.id for m in recs.near_misses}  # inactive listings are never near misses either
    assert recs.excluded["inactive"] == 2  # L09 (retired) and U1
    answer = json.dumps(recs.to_json(), allow_nan=False)  # no NaN distance leaks into the answer
    assert "Church hall" not in answer
    preview = recommender.preview("lonely, would like lunch and a chat", "G1", ["en"])
    assert "U1" not in {r.id for r in preview.results}


def test_once_placed_and_reactivated_it_is_matched(recommender, tmp_path):
    with Store(tmp_path / "s.db") as store:
        fields = curation.listing_fields(store.get("U1").resource)
        curation.edit_listing(store, CURATOR, "U1", {**fields, "latitude": str(HOME[0]), "longitude": str(HOME[1])}, 1)
        curation.reactivate_listing(store, CURATOR, "U1", 2)
    recommender.refresh()
    recs = recommender.recommend({"needs": {"social_relationships": 1}, "goals": "lunch, tea and a chat",
                                  "location": {"latitude": HOME[0], "longitude": HOME[1]}}, top_k=20)
    assert "U1" in {r.id for r in recs.results}
    assert recs.excluded["inactive"] == 1


# ---- the curator's queries -----------------------------------------------------------------------------
def test_curation_queries_cope_with_an_unplaced_listing():
    listings = [*small_directory(), unplaced()]
    assert curation.area_of(unplaced()) == "G12"
    assert "U1" not in {r.id for r in curation.stale_listings(listings)}
    assert [r.id for r in curation.filter_listings(listings, status="inactive", text="church")] == ["U1"]
    table = curation.listing_table(listings)
    assert table.set_index("id").loc["U1", "status"] == "inactive"
    coverage = curation.coverage(listings)
    assert coverage[coverage.area == "G12"].listings.sum() == 0  # inactive: not counted as coverage


# ---- the app ---------------------------------------------------------------------------------------
HSDS = SHARED / "hsds-examples" / "hsds-3.0"


def unescaped(markdown: str) -> str:
    """Text as the page shows it: file text is escaped for Markdown (pages/ui.text)."""
    return markdown.replace("\\", "")


def test_import_preview_shows_the_warnings_then_imports_inactive(app_db):
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = ((HSDS / "service_full.json").read_bytes(), "service_full.json")
    at.run()
    assert not at.exception
    assert [unescaped(w.value) for w in at.warning] == [
        "row service.service_at_locations[0].location, column 'latitude': 100 is not a latitude (-90 to 90); "
        "'Community Counselling' is imported as inactive until a curator places the venue"]
    assert any("1 listings, all valid (1 inactive). Importing would add 1" in m.value for m in at.markdown)
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    stored = Store(app_db).get("ac148810-d857-441c-9679-408f346de14b").resource
    assert (stored.status, stored.latitude, stored.delivery) == ("inactive", None, ["in_person"])


def test_import_of_a_file_without_services_says_there_is_nothing_to_import(app_db):
    at = new_app("views/import_export.py")
    at.session_state["imp_data"] = ((HSDS / "taxonomy.json").read_bytes(), "taxonomy.json")
    at.run()
    assert not at.exception
    assert [unescaped(w.value) for w in at.warning] == [
        "taxonomy.json holds an HSDS taxonomy and no services: nothing to import"]
    assert not at.dataframe and at.button(key="imp_confirm").disabled
    assert Store(app_db).count() == len(app_fixtures.app_directory())


def test_the_directory_page_refuses_to_reactivate_an_unplaced_listing(app_db):
    with Store(app_db) as store:
        store.import_resources([unplaced()], actor="test")
    at = new_app("views/directory.py")
    at.selectbox(key="dir_open").set_value("U1").run()
    at.button(key="ed_reactivate").click().run()
    assert not at.exception
    assert [unescaped(e.value) for e in at.error] == [
        "listing U1 cannot be reactivated: it meets in person but has no latitude and longitude; set where it meets "
        "first"]
    assert Store(app_db).get("U1").resource.status == "inactive"


def test_find_support_with_an_unplaced_listing_in_the_directory(app_db):
    with Store(app_db) as store:
        store.import_resources([unplaced()], actor="test")
    at = new_app()
    at.selectbox(key="fs_need_social_relationships").set_value(1)
    at.number_input(key="fs_lat").set_value(app_fixtures.HOME[0])
    at.number_input(key="fs_lon").set_value(app_fixtures.HOME[1])
    at.button(key="FormSubmitter:profile-Find support").click().run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**1\\. " in text and "Church hall" not in text  # results shown, the unplaced venue never
