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
from matcher.shared_vectors import SharedVectors, embeddings
from matcher.snapshot import text_hash
from tests.matcher_fixtures import embedder, small_directory  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
# The fixed descriptions the recommender also keeps in the table (domains, support types).
DESCRIPTIONS = {text_hash(t) for t in [*domains.DOMAIN_DESCRIPTIONS.values(), *support_types.type_descriptions()]}


@pytest.mark.parametrize("background", [False, True])
def test_processes_refreshing_at_once_embed_each_change_once(db_url, background):
    """bench/refresh.py, small: 3 OS processes, 100 changed listings among 300 (several claimed batches);
    then a fresh open of the folder all three saved at once loads it as it is, nothing rebuilt. With
    `background`, the saves are those a large directory leaves to a thread after the swap."""
    extra = ["--background-min", "0"] if background else []
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "refresh.py"), "--db", db_url, "--processes", "3",
                           "--changes", "100", "--listings", "300", "--json", "--timeout", "240", "--fresh-open",
                           *extra], capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["embedded_total"] == sum(figures["embedded_per_process"]) == figures["new_vectors_in_table"] == 100
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
