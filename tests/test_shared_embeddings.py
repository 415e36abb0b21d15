"""Embeddings shared through the database: N processes refreshing after M changes embed M texts in all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from directory.store import Store
from matcher import domains, support_types
from matcher.recommender import Recommender
from matcher.shared_vectors import SharedVectors, embed_on_write, embeddings
from matcher.snapshot import listing_text, text_hash
from tests.matcher_fixtures import embedder, small_directory  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
# The fixed descriptions the recommender also keeps in the table (domains, support types).
DESCRIPTIONS = {text_hash(t) for t in [*domains.DOMAIN_DESCRIPTIONS.values(), *support_types.type_descriptions()]}


@pytest.mark.parametrize("on_write, background", [(False, False), (True, True)], ids=["claims", "on-write"])
def test_processes_refreshing_at_once_embed_each_change_once(db_url, on_write, background):
    """bench/refresh.py, small: 3 OS processes, 100 changed listings among 300; then a fresh open of
    the folder all three saved at once loads it as it is, nothing rebuilt. "claims": the import leaves
    the texts to the processes, who share them out in claimed batches; "on-write": the import embeds
    them in its own transaction and no process embeds anything. With `background`, the saves are
    those a large directory leaves to a thread after the swap."""
    extra = ["--background-min", "0"] if background else []
    extra += [] if on_write else ["--no-embed-on-write"]
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "refresh.py"), "--db", db_url, "--processes", "3",
                           "--changes", "100", "--listings", "300", "--json", "--timeout", "240", "--fresh-open",
                           *extra], capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["embedded_total"] == figures["new_vectors_in_table"] == 100
    assert figures["import"]["embedded_on_write"] == (100 if on_write else 0)
    assert sum(figures["embedded_per_process"]) == (0 if on_write else 100)
    assert figures["all_up_to_date"] and figures["query_failures"] == 0 and figures["saved_index_missing"] == 0
    assert figures["claims_left"] == 0
    assert figures["fresh_open"]["loaded_current"], figures["fresh_open"]


def test_a_second_recommender_reads_vectors_the_first_stored(db_url, tmp_path, embedder):  # noqa: F811
    with Store(db_url) as store:
        store.import_resources(small_directory(), actor="test")
    first = Recommender.open(db_url, index_dir=tmp_path / "a", embedder=embedder)
    second = Recommender.open(db_url, index_dir=tmp_path / "b", embedder=embedder)  # its own, empty folder
    try:
        assert first.last_update.embedded == len(first.index) > 0
        assert second.last_update.embedded == 0 and len(second.index) == len(first.index)
        assert first.shared.count() == len(first.index) + len(DESCRIPTIONS)
        assert second.shared.embedded == 0  # not even the descriptions: read from the table
    finally:
        first.close()
        second.close()


def test_a_damaged_row_is_absent_and_embedded_again(db_url, tmp_path, embedder):  # noqa: F811
    with Store(db_url) as store:
        store.import_resources(small_directory(), actor="test")
    Recommender.open(db_url, index_dir=tmp_path / "a", embedder=embedder).close()
    with Store(db_url) as store:
        shared = SharedVectors(store, embedder.name, embedder.dim)
        keys = sorted(set(shared.get([r[0] for r in _keys(store)])) - DESCRIPTIONS)  # the listings' texts
        with store.engine.begin() as conn:
            conn.execute(embeddings.update().where(embeddings.c.text_hash == keys[0])
                         .values(vector=b"\x00" * 7))  # torn
            conn.execute(embeddings.update().where(embeddings.c.text_hash == keys[1])
                         .values(vector=np.full(embedder.dim, np.nan, "<f4").tobytes()))  # NaN
            conn.execute(embeddings.update().where(embeddings.c.text_hash == keys[2])
                         .values(vector=b"\x01" * (embedder.dim * 4 * 1000)))  # far too long: never read
        assert set(shared.get(keys)) == set(keys[3:])
    again = Recommender.open(db_url, index_dir=tmp_path / "b", embedder=embedder)
    try:
        assert again.last_update.embedded == 3
        assert set(again.shared.get(keys)) == set(keys)  # replaced by sound vectors
    finally:
        again.close()


def _keys(store: Store) -> list[tuple[str]]:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        return conn.execute(sa.select(embeddings.c.text_hash)).all()


# ---- the write carries its vectors (EmbedOnWrite) -----------------------------------------------------
def _listing_keys(listings) -> dict[str, str]:
    return {text_hash(listing_text(r)): listing_text(r) for r in listings if r.status == "active"}


def test_an_import_carries_the_vectors_of_its_texts_and_no_reader_embeds_them(db_url, tmp_path, embedder):  # noqa: F811
    listings = small_directory()
    with Store(db_url) as store:
        hook = embed_on_write(store, embedder)
        store.import_resources(listings, actor="test")
        keys = _listing_keys(listings)
        assert hook.embedded == len(keys) and hook.left == 0
        shared = SharedVectors(store, embedder.name, embedder.dim)
        held = shared.get(list(keys))
        assert set(held) == set(keys)
        exact = embedder.encode(list(keys.values()))
        assert min(float(held[k] @ exact[i]) for i, k in enumerate(keys)) > 0.9999
    rec = Recommender.open(db_url, index_dir=tmp_path / "ix", embedder=embedder)
    try:
        assert rec.last_update.embedded == 0 and len(rec.index) == len(keys)
        with Store(db_url) as store:  # a curator's edit, through a store with the hook
            hook = embed_on_write(store, embedder)
            old = store.get("L01")
            store.update(old.resource.model_copy(update={"description": "Soup and a chat every Friday."}), old.version)
            assert hook.embedded == 1
            store.retire("L02", store.get("L02").version)  # no new text: nothing embedded
            assert hook.embedded == 1
        before = rec.shared.embedded
        assert rec.refresh()
        assert rec.shared.embedded == before  # read, not embedded
        assert "L01" in rec.index.ids
    finally:
        rec.close()


def test_a_failed_import_leaves_no_vectors_behind(db_url, embedder):  # noqa: F811
    """All or nothing: the vectors are written in the import's transaction, so an import refused in its
    second batch (after the first batch's texts were embedded) leaves none of them."""
    listings = small_directory()
    with Store(db_url) as store:
        hook = embed_on_write(store, embedder)
        with pytest.raises(ValueError, match="more than once"):
            store.import_resources([*listings, listings[0]], actor="test", batch_size=4)
        assert hook.embedded > 0
        assert store.count() == 0
        assert SharedVectors(store, embedder.name, embedder.dim).get(list(_listing_keys(listings))) == {}


def test_a_failing_hook_never_fails_the_write_and_leaves_nothing_of_its_own(db_url, caplog):
    listings = small_directory()

    def broken(conn, written, state):
        conn.execute(embeddings.insert().values(model="m", text_hash="x", vector=b"1234"))
        raise RuntimeError("the model is gone")

    with Store(db_url) as store:
        SharedVectors(store, "m", 1)  # (the table)
        store.write_hooks.append(broken)
        with caplog.at_level("WARNING", logger="directory.store"):
            summary = store.import_resources(listings, actor="test")
        assert len(summary.added) == len(listings) == store.count()
        assert SharedVectors(store, "m", 1).count() == 0  # the hook's own row went with its savepoint
    assert "RuntimeError" in caplog.text and "the model is gone" not in caplog.text


def test_a_write_over_its_budget_leaves_the_rest_to_the_readers(db_url, tmp_path, embedder):  # noqa: F811
    listings = small_directory()
    keys = _listing_keys(listings)
    with Store(db_url) as store:
        hook = embed_on_write(store, embedder, max_texts=3)
        store.import_resources(listings, actor="test")
        assert (hook.embedded, hook.left) == (3, len(keys) - 3)
    rec = Recommender.open(db_url, index_dir=tmp_path / "ix", embedder=embedder)
    try:
        assert rec.last_update.embedded == len(keys) - 3 and len(rec.index) == len(keys)
    finally:
        rec.close()


def test_a_write_with_nothing_new_to_embed_never_loads_the_model(db_url, embedder, tmp_path, caplog):  # noqa: F811
    listings = small_directory()
    with Store(db_url) as store:
        embed_on_write(store, embedder)
        store.import_resources(listings, actor="test")
    hollow = tmp_path / embedder.name  # a model folder of the same name with no weights: loading it fails
    hollow.mkdir()
    with Store(db_url) as store, caplog.at_level("WARNING", logger="directory.store"):
        hook = embed_on_write(store, model=str(hollow))
        old = store.get("L03")
        store.verify("L03", old.version)  # a new date, the same text
        store.retire("L04", store.get("L04").version)  # inactive: not indexed
        store.import_resources(listings, actor="test")  # unchanged: nothing written at all
        assert hook._embedder is None and hook.embedded == 0
    assert "failed" not in caplog.text
