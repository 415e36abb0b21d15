"""A shared deployment: many curators and app servers on one database at once, SQLite and PostgreSQL.

Two curators editing one listing: one wins, the other gets a conflict and re-applies her edit on
top without undoing the first. Racing processes lose no edit (bench/load_edits.py, small). Two
recommenders on one database: an edit made by one, or by another process, shows in the other's
next match after its cheap refresh, with no restart.
"""

from __future__ import annotations

import json
import subprocess
import sys

from directory import csv_io, curation
from directory.accounts import User
from directory.store import ConflictError, Store
from matcher.index import ListingIndex
from matcher.recommender import Recommender
from matcher.snapshot import Snapshot

from .app_fixtures import app_directory
from .conftest import ROOT
from .matcher_fixtures import GAZETTEER, HOME, small_directory

CORA, DAN = User("cora", "curator"), User("dan", "curator")


def test_two_curators_edit_one_listing_one_wins_the_other_re_applies(store):
    store.import_resources(app_directory(), actor="test")
    cora_read, dan_read = store.get("G02"), store.get("G02")
    cora_base = curation.listing_fields(cora_read.resource)
    cora_form = cora_base | {"name": "Southside Community Choir", "schedule": "Fridays 19:00-20:30"}
    dan_form = curation.listing_fields(dan_read.resource) | {"phone": "0141 555 0101",
                                                             "schedule": "Thursdays 18:30-20:00"}
    curation.edit_listing(store, DAN, "G02", dan_form, dan_read.version)
    saved_by_dan = store.get("G02")
    try:
        curation.edit_listing(store, CORA, "G02", cora_form, cora_read.version)
        raise AssertionError("a stale save was accepted")
    except ConflictError as err:
        assert (err.expected, err.current) == (1, 2)
    assert store.get("G02") == saved_by_dan  # her refused save changed nothing

    latest = curation.listing_fields(saved_by_dan.resource)
    merged, clashes = curation.reapply_edit(cora_base, cora_form, latest)
    assert clashes == ["schedule"]
    curation.edit_listing(store, CORA, "G02", merged, saved_by_dan.version)
    final = store.get("G02").resource
    assert (final.name, final.phone, final.schedule) == (
        "Southside Community Choir", "0141 555 0101", "Fridays 19:00-20:30")
    assert [(e.actor, sorted(e.changes)) for e in store.history("G02")[1:]] == [
        ("dan", ["phone", "schedule"]), ("cora", ["name", "schedule"])]


def test_reapply_keeps_what_she_left_alone_and_takes_what_she_changed():
    base = {"name": "Choir", "phone": "1", "schedule": "Mon", "email": ""}
    mine = {"name": "Choir", "phone": "2", "schedule": "Tue", "email": ""}
    latest = {"name": "New choir", "phone": "1", "schedule": "Tue", "email": "c@example.org"}
    merged, clashes = curation.reapply_edit(base, mine, latest)
    assert merged == {"name": "New choir", "phone": "2", "schedule": "Tue", "email": "c@example.org"}
    assert clashes == []  # both set the schedule to the same value: no clash


def test_racing_processes_lose_no_edit(db_url):
    """bench/load_edits.py, small: 2 OS processes x 50 read-modify-write edits over 10 listings."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "load_edits.py"), "--db", db_url,
                           "--processes", "2", "--edits", "50", "--listings", "10", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout)
    assert figures["successful_edits"] == 100 and figures["lost_updates"] == 0
    assert figures["audit_rows"] == figures["audit_rows_matching_edits"] == 100
    assert figures["directory_version_steps"] == 100 and figures["listing_versions_wrong"] == 0
    assert figures["ok"] is True


MONEY = {"needs": {"money": 2}, "languages": ["en"], "location": {"latitude": HOME[0], "longitude": HOME[1]}}


def ids(recs) -> list[str]:
    return [r.id for r in recs.results]


def test_two_recommenders_on_one_database_see_each_others_edits(db_url, tmp_path, embedder):
    with Store(db_url) as store:
        store.import_resources(small_directory(), actor="test")
    index_dir = tmp_path / "index"  # two app servers on one machine share the saved index too
    a = Recommender.open(db_url, index_dir=index_dir, embedder=embedder)
    b = Recommender.open(db_url, index_dir=index_dir, embedder=embedder)
    a.gazetteer = b.gazetteer = GAZETTEER
    try:
        assert b.last_update.embedded == 0  # b found the index a saved
        assert "L02" in ids(b.recommend(MONEY, top_k=5))
        assert b.refresh() is False

        # a curator behind server a retires the advice line
        read = a.store.get("L02")
        a.store.retire("L02", read.version, actor="cora")
        assert b.refresh() is True and b.directory_version == b.store.directory_version()
        assert "L02" not in ids(b.recommend(MONEY, top_k=5))
        assert b.recommend(MONEY, top_k=5).excluded["inactive"] == 2

        # another OS process imports a spreadsheet that turns the mindfulness course into debt advice
        changed = [r.model_copy(update={"name": "Debt Advice by Video", "domains": ["money"], "cost": "free",
                                        "description": "Free debt advice and benefits checks by video call."})
                   for r in small_directory() if r.id == "L07"]
        sheet = tmp_path / "changed.csv"
        csv_io.write_csv(changed, sheet)
        done = subprocess.run([sys.executable, "-m", "cli", "--db", db_url, "import", str(sheet)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "0 added, 1 updated" in done.stderr, done.stderr
        assert "L07" not in ids(b.recommend(MONEY, top_k=5))  # a mindfulness course serves no money need
        for rec in (b, a):
            assert rec.refresh() is True
            shown = {r.id: r.name for r in rec.recommend(MONEY, top_k=5).results}
            assert shown.get("L07") == "Debt Advice by Video"  # the edit, as the other process wrote it
            assert "L02" not in ids(rec.recommend(MONEY, top_k=5))
            assert rec.refresh() is False

        version, stored = a.store.snapshot()
        saved = ListingIndex.load(index_dir, embedder.name, embedder.dim)
        assert saved is not None and saved.is_current(Snapshot.from_stored(version, stored))
    finally:
        a.close()
        b.close()
