"""Shared fixtures: real SQLite files, a real PostgreSQL server, the real packaged model."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from directory.records import Resource  # noqa: E402
from directory.store import Store  # noqa: E402

from .pg import PostgresServer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The public reference data the tests read: the contract's example files and Open Referral's HSDS
# examples, copied unchanged from ../shared into tests/shared so that a checkout tests on its own
# (tests/test_shared_copy.py keeps the copy equal to ../shared wherever that exists).
SHARED = Path(__file__).resolve().parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL cluster per test process, on a free loopback port; removed at the end."""
    base = Path(tempfile.mkdtemp(prefix="signpost-pg-", dir="/tmp"))
    server = PostgresServer(base).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database: an SQLite file, then a PostgreSQL database (the same tests on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "signpost.db")
    server = request.getfixturevalue("postgres")
    return server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_path(tmp_path) -> Path:
    return tmp_path / "signpost.db"


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        yield s


def make_resource(rid: str = "R1", **overrides) -> Resource:
    """A valid listing built in code; tests override what they are about."""
    data = dict(
        id=rid, name=f"Walking group {rid}", organisation="Test Org",
        description="A gentle walk in the park followed by tea, for anyone who wants to get moving.",
        domains=["lifestyle", "social_relationships"], languages=["en"], delivery=["in_person"],
        cost="free", latitude=55.8642, longitude=-4.2518, wheelchair_accessible=True,
        schedule="Mondays 10:00-11:00", last_verified="2026-06-01",
    )
    data.update(overrides)
    return Resource.model_validate(data)


# The fixtures of the matcher's and the app's tests, registered here once for every test module.
from .app_fixtures import app_db  # noqa: E402,F401
from .matcher_fixtures import embedder, small_recommender, small_store  # noqa: E402,F401
