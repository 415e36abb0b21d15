"""JoinedVectors: rows appended to a saved index's vectors read, save and load as one array would."""

from __future__ import annotations

import io

import numpy as np
import pytest

from matcher.index import ListingIndex
from matcher.vector_store import JoinedVectors, append_rows

DIM = 8


def unit(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_reads_like_the_concatenated_array():
    base, more, again = unit(50, 1), unit(7, 2), unit(1500, 3)  # (the last grows the buffer twice)
    joined = append_rows(append_rows(base, more), again)
    whole = np.concatenate([base, more, again])
    assert isinstance(joined, JoinedVectors) and joined.shape == whole.shape and len(joined) == len(whole)
    assert joined.base is base  # not copied
    assert np.array_equal(np.asarray(joined), whole)
    for key in (0, 49, 50, 56, 57, -1, -1557):
        assert np.array_equal(joined[key], whole[key])
    labels = np.array([[3, 55], [1556, 0]])
    assert np.array_equal(joined[labels], whole[labels])
    assert np.array_equal(joined[[56, 2, 1000]], whole[[56, 2, 1000]])
    mask = np.zeros(len(whole), dtype=bool)
    mask[[0, 50, 1500]] = True
    assert np.array_equal(joined[mask], whole[mask])
    assert np.array_equal(joined[10:60:7], whole[10:60:7])
    assert joined[np.zeros(0, dtype=np.int64)].shape == (0, DIM)
    for bad in (len(whole), -len(whole) - 1):
        with pytest.raises(IndexError):
            joined[bad]
    with pytest.raises(IndexError):
        joined[np.array([0, len(whole)])]


def test_written_as_one_npy_file():
    joined = append_rows(unit(30, 4), unit(5, 5))
    buf = io.BytesIO()
    joined.write_npy(buf)
    buf.seek(0)
    assert np.array_equal(np.load(buf), np.asarray(joined))


def test_an_index_appended_to_after_loading_saves_and_loads_the_same(tmp_path):
    index = ListingIndex("m", DIM, tmp_path)
    index.add_vectors([f"L{i}" for i in range(40)], [f"c{i}" for i in range(40)], [f"t{i}" for i in range(40)],
                      unit(40, 6), version=1)
    index.save()
    loaded = ListingIndex.load(tmp_path, "m", DIM)
    assert isinstance(loaded.vectors, np.memmap)
    extra = unit(3, 7)
    loaded.add_vectors(["N0", "N1", "L5"], ["x0", "x1", "x2"], ["y0", "y1", "y2"], extra, version=2)
    assert isinstance(loaded.vectors, JoinedVectors) and len(loaded.vectors) == 43
    scores, labels = loaded.search(extra, np.array([40, 41, 42, 7]), 1)
    assert labels[:, 0].tolist() == [40, 41, 42]
    loaded.save()
    again = ListingIndex.load(tmp_path, "m", DIM)
    assert np.array_equal(np.asarray(again.vectors), np.asarray(loaded.vectors))
    assert again.label_of["L5"] == 42 and again.label_of["N0"] == 40
