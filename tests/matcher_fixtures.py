"""Fixtures of the matcher's tests: the real model loaded once per test process, small directories in code."""

from __future__ import annotations

import math

import pytest

from directory.records import Resource
from directory.store import Store
from matcher.embedder import load_embedder
from matcher.geo import Gazetteer, Place
from matcher.recommender import Recommender

from .conftest import make_resource

# Glasgow city centre, where the person of most tests lives.
HOME = (55.8642, -4.2518)


def offset(km_north: float, km_east: float = 0.0) -> tuple[float, float]:
    """A point km_north / km_east of HOME (small distances; good to a few metres)."""
    lat = HOME[0] + km_north / 111.195
    lon = HOME[1] + km_east / (111.195 * math.cos(math.radians(HOME[0])))
    return lat, lon


def listing(rid: str, **overrides) -> Resource:
    """The one listing factory (conftest.make_resource) with the matcher tests' defaults: a lunch-club
    kind of group 1 km north of HOME, never verified."""
    lat, lon = offset(1.0)
    return make_resource(rid, **{
        "name": f"Listing {rid}", "description": "A friendly weekly group with tea and a chat for anyone who feels lonely.",
        "domains": ["social_relationships"], "latitude": lat, "longitude": lon, "last_verified": None, **overrides})


def small_directory() -> list[Resource]:
    """A dozen listings, each there to exercise one rule or one kind of reason."""
    far = offset(9.0)
    mid = offset(2.0, 1.5)
    return [
        listing("L01", name="Lunch Club", domains=["social_relationships"]),
        listing("L02", name="Benefits Advice Line", description="Free benefits checks and debt advice by phone.",
                domains=["money"], delivery=["phone"], latitude=None, longitude=None, wheelchair_accessible=None,
                schedule="Mon-Fri 09:00-17:00"),
        listing("L03", name="Urdu Women's Walking Group", description="A gentle walk for women, held in Urdu.",
                domains=["lifestyle", "social_relationships"], languages=["ur"], gender="female",
                latitude=mid[0], longitude=mid[1]),
        listing("L04", name="Polish Coffee Morning", languages=["pl"], domains=["social_relationships"]),
        listing("L05", name="Over 60s Tea Dance", description="Dancing and tea for people over sixty.",
                domains=["lifestyle", "social_relationships"], min_age=60, cost="low_cost"),
        listing("L06", name="Men's Shed", description="Make and mend things with other men.",
                domains=["social_relationships", "work_volunteering"], gender="male", cost="low_cost",
                wheelchair_accessible=False),
        listing("L07", name="Online Mindfulness Course", description="Weekly mindfulness for anxiety and low mood.",
                domains=["mental_wellbeing"], delivery=["online"], latitude=None, longitude=None, cost="paid",
                wheelchair_accessible=None),
        listing("L08", name="Far Away Choir", description="A community choir.", latitude=far[0], longitude=far[1]),
        listing("L09", name="Retired Befriending", status="inactive"),
        listing("L10", name="Interpreter-Supported Diabetes Group", languages=["en"], interpreter_available=True,
                description="Learn to manage type 2 diabetes and blood sugar, with an interpreter.",
                domains=["managing_symptoms"], cost=None),
        listing("L11", name="Food Bank", description="Emergency food parcels and help with energy bills.",
                domains=[], delivery=["in_person"], wheelchair_accessible=None, schedule=""),
        listing("L12", name="Housing Advice", description="Help with repairs, tenancy problems and homelessness.",
                domains=["living_conditions"], delivery=["in_person", "phone"], latitude=far[0], longitude=far[1]),
    ]


GAZETTEER = Gazetteer([
    Place("G1", "postcode_district", HOME[0], HOME[1]),
    Place("G51", "postcode_district", 55.8617, -4.3086),
    Place("Govan", "neighbourhood", 55.8617, -4.3086),
    Place("City Centre", "neighbourhood", HOME[0], HOME[1]),
])


@pytest.fixture(scope="session")
def embedder():
    return load_embedder()


def open_directory(tmp_path, embedder, listings, blend=None) -> Recommender:
    """A recommender over `listings` in a new SQLite file under tmp_path, with the test gazetteer."""
    db = str(tmp_path / "d.db")
    with Store(db) as store:
        store.import_resources(listings)
    return Recommender.open(db, index_dir=tmp_path / "ix", embedder=embedder, gazetteer=GAZETTEER, blend=blend)


def open_recommender(db: str, index_dir, embedder) -> Recommender:
    return Recommender.open(db, index_dir=index_dir, embedder=embedder, gazetteer=GAZETTEER)


@pytest.fixture
def small_store(db_url):
    with Store(db_url) as store:
        store.import_resources(small_directory(), actor="test")
        yield store


@pytest.fixture
def small_recommender(small_store, tmp_path, embedder):
    rec = open_recommender(small_store.url, tmp_path / "index", embedder)
    rec.gazetteer = GAZETTEER
    yield rec
    rec.close()
