"""Fixtures of the app's tests: a small Glasgow directory built in code, a real SQLite file in
tmp_path named by SIGNPOST_DB, and helpers to drive Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.records import Resource
from directory.store import Store

from .conftest import make_resource

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 120  # the first run in a process loads the model

# Govan, where the person of most tests lives (coordinates, so that no gazetteer is needed).
HOME = (55.8617, -4.3086)


def listing(rid: str, **overrides) -> Resource:
    """The one listing factory (conftest.make_resource) with the app tests' defaults: a Govan group with
    an address and a phone number."""
    return make_resource(rid, **{
        "name": f"Listing {rid}", "organisation": "Govan Community Trust",
        "description": "A friendly weekly group with tea and a chat for anyone who feels lonely.",
        "domains": ["social_relationships"], "address": "12 Langlands Road, Glasgow", "postcode": "G51 3BD",
        "latitude": 55.8625, "longitude": -4.3120, "schedule": "Mondays 10:00-12:00", "phone": "0141 000 0001",
        "last_verified": "2026-01-15", **overrides})


def app_directory() -> list[Resource]:
    return [
        listing("G01", name="Govan Lunch Club", description="Hot lunch and company for older people who live alone.",
                domains=["social_relationships"], schedule="Wednesdays 12:00-14:00"),
        listing("G02", name="Community Choir", description="Sing together every week; no experience needed.",
                domains=["social_relationships", "mental_wellbeing"], organisation="Southside Arts",
                postcode="G51 2XY", latitude=55.8590, longitude=-4.3000, cost="low_cost",
                schedule="Thursdays 19:00-20:30", email="choir@example.org"),
        listing("G03", name="Benefits Advice Line", description="Free benefits checks and debt advice by phone.",
                domains=["money"], delivery=["phone"], latitude=None, longitude=None, address="", postcode="",
                wheelchair_accessible=None, schedule="Mon-Fri 09:00-17:00", phone="0800 000 0003"),
        listing("G04", name="Urdu Women's Walking Group", description="A gentle walk for women, held in Urdu.",
                domains=["lifestyle", "social_relationships"], languages=["ur"], gender="female",
                postcode="G41 1AA", latitude=55.8420, longitude=-4.2700),
        listing("G05", name="Online Mindfulness Course", description="Weekly mindfulness for anxiety and low mood.",
                domains=["mental_wellbeing"], delivery=["online"], latitude=None, longitude=None, address="",
                postcode="", cost="paid", wheelchair_accessible=None, website="https://example.org/mind"),
        listing("G06", name="Men's Shed", description="Make and mend things with other men.",
                domains=["social_relationships", "work_volunteering"], gender="male", cost="low_cost",
                wheelchair_accessible=False, last_verified="2023-03-01"),
        listing("G07", name="Retired Befriending", status="inactive"),
        listing("G08", name="Diabetes Peer Support <script>alert(1)</script>",
                description="Learn to manage type 2 diabetes and blood sugar with others. <b>Bring</b> your meter.",
                domains=["managing_symptoms", "self_care", "social_relationships"], schedule="First Tuesday 14:00-15:30"),
    ]


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> str:
    """A fresh SQLite directory for one app test, named by SIGNPOST_DB (what the app opens)."""
    path = tmp_path / "signpost.db"
    monkeypatch.setenv("SIGNPOST_DB", str(path))
    with Store(path) as store:
        store.import_resources(app_directory(), actor="test")
    return str(path)


def new_app(page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)
