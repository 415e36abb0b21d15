"""An incrementally refreshed recommender answers exactly as one opened fresh on the same directory."""

from __future__ import annotations

import numpy as np
import pytest

from directory.store import Store
from matcher import index as index_module
from matcher import recommender as recommender_module
from matcher.recommender import Recommender
from matcher.snapshot import ARRAYS, LISTS
from tests.matcher_fixtures import GAZETTEER, HOME, embedder, listing, offset, small_directory  # noqa: F401

PROFILES = [
    {"needs": {"social_relationships": 2}, "languages": ["en"], "location": {"latitude": HOME[0], "longitude": HOME[1]}},
    {"needs": {"money": 1, "living_conditions": 3}, "goals": "help with debt and my flat",
     "location": {"latitude": HOME[0], "longitude": HOME[1]}},
    {"goals": "I would like to sing or walk with other people", "languages": ["ur", "en"], "age": 70},
    {"needs": {"mental_wellbeing": 2, "lifestyle": 5}, "gender": "female", "languages": ["pl"],
     "location": {"latitude": HOME[0], "longitude": HOME[1]}, "max_distance_km": 5},
]
WORDS = ["choir", "debt advice", "walking", "bereavement", "allotment", "tenancy", "yoga", "coffee", "food parcels"]


def directory() -> list:
    out = small_directory()
    for i in range(40):
        lat, lon = offset(0.2 * i - 3, 0.1 * i - 2)
        out.append(listing(f"M{i:03d}", name=f"Group {i} {WORDS[i % len(WORDS)]}",
                           description=f"A weekly {WORDS[(i * 3) % len(WORDS)]} session near you, number {i}.",
                           domains=[] if i % 3 == 0 else ["social_relationships"], latitude=lat, longitude=lon,
                           languages=["en"] if i % 4 else ["en", "ur"], cost=["free", "paid", None][i % 3]))
    return out


def edit_at_random(store: Store, rng: np.random.Generator, round_: int, add: bool = True) -> None:
    stored = store.list()
    for k in rng.choice(len(stored), size=6, replace=False):
        s = stored[int(k)]
        kind = rng.integers(0, 4)
        if kind == 0:
            new = s.resource.model_copy(update={"description": f"Now about {WORDS[int(rng.integers(len(WORDS)))]}."})
            store.update(new, s.version, actor="t")
        elif kind == 1 and s.resource.status == "active":
            store.retire(s.id, s.version, actor="t")
        elif kind == 2 and s.resource.status == "inactive":
            store.reactivate(s.id, s.version, actor="t")
        else:
            new = s.resource.model_copy(update={"domains": [] if s.resource.domains else ["money"],
                                                "languages": ["en", "so"] if round_ % 2 else ["en"]})
            store.update(new, s.version, actor="t")
    if not add:
        return
    # new listings whose ids fall between existing ones, one in a language not seen before
    store.import_resources([listing(f"L{round_:02d}5", name=f"New {WORDS[round_ % len(WORDS)]} club",
                                    languages=["ro"], domains=[]),
                            listing(f"M{round_:03d}x", name="Debt advice drop-in", domains=["money"])], actor="t")


def same_state(a: Recommender, b: Recommender) -> None:
    sa_, sb = a._prepared.snapshot, b._prepared.snapshot
    assert sa_.version == sb.version
    for name in (*ARRAYS, *LISTS, "language_codes", "domains", "domains_inferred",
                 "support_types", "support_types_inferred"):
        got, want = getattr(sa_, name), getattr(sb, name)
        if isinstance(want, np.ndarray):
            assert got.dtype == want.dtype, name
            np.testing.assert_array_equal(got, want, err_msg=name)  # NaN equals NaN here
        else:
            assert got == want, name
    assert np.array_equal(sa_.language_matrix, sb.language_matrix)
    assert type(sa_.resources) is type(sb.resources) and sa_.resources[:] == sb.resources[:]
    for p in PROFILES:
        assert a.recommend(p, top_k=8).to_json() == b.recommend(p, top_k=8).to_json()


def live_recommender(db_url, tmp_path, embedder, monkeypatch, background: bool) -> Recommender:  # noqa: F811
    """The demo-sized directory imported and opened; with `background`, on the path of a large directory:
    refit and save after the swap, records left in the database, no embedding cache (the table serves)."""
    if background:
        monkeypatch.setattr(recommender_module, "BACKGROUND_MIN", 0)
        monkeypatch.setattr(recommender_module, "FETCH_MIN", 0)
        monkeypatch.setattr(index_module, "CACHE_MAX_LISTINGS", 0)
    with Store(db_url) as store:
        store.import_resources(directory(), actor="t")
    return Recommender.open(db_url, index_dir=tmp_path / "live", embedder=embedder, gazetteer=GAZETTEER)


@pytest.mark.parametrize("background", [False, True])
def test_refreshed_after_random_edits_equals_fresh(db_url, tmp_path, embedder, monkeypatch, background):  # noqa: F811
    rec = live_recommender(db_url, tmp_path, embedder, monkeypatch, background)
    rng = np.random.default_rng(7)
    try:
        for round_ in range(4):
            edit_at_random(rec.store, rng, round_)
            assert rec.refresh() is True
            rec.recommend(PROFILES[0])  # answers at once, before any background work is done
            rec.wait()
            assert rec.last_update.total == len(rec.index)
            assert rec.index.cache.enabled is not background and (len(rec.index.cache) == 0) is background
            fresh = Recommender.open(db_url, index_dir=tmp_path / f"fresh{round_}", embedder=embedder,
                                     gazetteer=GAZETTEER)
            try:
                assert fresh.last_update.embedded == 0  # every text was stored by the refreshing one
                same_state(rec, fresh)
            finally:
                fresh.close()
        assert rec.refresh() is False
    finally:
        rec.close()


@pytest.mark.parametrize("background", [False, True])
def test_refreshed_after_edits_adding_no_listing_equals_fresh(db_url, tmp_path, embedder, monkeypatch,  # noqa: F811
                                                               background):
    """Without a new listing every row stays where it was: a refresh patches the previous labels, the
    stale lexicon's rows and keeps the venue points when no venue moved; the result must not differ."""
    rec = live_recommender(db_url, tmp_path, embedder, monkeypatch, background)
    rng = np.random.default_rng(11)
    try:
        for round_ in range(4):
            before = rec._prepared
            edit_at_random(rec.store, rng, round_, add=False)
            assert rec.refresh() is True
            assert len(rec._prepared.snapshot) == len(before.snapshot)
            if not background and round_ == 0:  # (a background refit replaces what is prepared)
                rec.recommend(PROFILES[0])
            rec.wait()
            fresh = Recommender.open(db_url, index_dir=tmp_path / f"fresh{round_}", embedder=embedder,
                                     gazetteer=GAZETTEER)
            try:
                same_state(rec, fresh)
                np.testing.assert_array_equal(rec._prepared.labels >= 0, fresh._prepared.labels >= 0)
                live = rec._prepared.row_of_label >= 0
                assert live.sum() == (rec._prepared.labels >= 0).sum()
                rows = rec._prepared.row_of_label[live]
                np.testing.assert_array_equal(rec._prepared.labels[rows], np.flatnonzero(live))
            finally:
                fresh.close()
    finally:
        rec.close()
