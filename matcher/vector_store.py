"""The index's vectors by label when rows were appended to a saved (memory-mapped) or built array.

Appending a refresh's 1,000 vectors to 100,000 by `np.concatenate` allocated and faulted in a new
150 MB array in every process (0.29-0.37 s of CPU each, bench/refresh.py; 1.5 GB at a million),
and the array before stayed mapped too. `JoinedVectors` keeps the base as it is and the appended
rows in a buffer that grows by doubling; reads by label gather from both. Saving streams both parts
into one .npy file, which loads back as one plain memory-mapped array.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np

MIN_CAPACITY = 1024


class JoinedVectors:
    """float32 (base rows + appended rows, dim): read like an array by integer, label array, bool mask
    or slice; `np.asarray` gives one array (a copy)."""

    ndim = 2
    dtype = np.dtype(np.float32)

    def __init__(self, base: np.ndarray):
        self.base = base
        self.dim = int(base.shape[1])
        self._buf = np.empty((0, self.dim), dtype=np.float32)
        self._n = 0

    @property
    def tail(self) -> np.ndarray:
        return self._buf[:self._n]

    def __len__(self) -> int:
        return len(self.base) + self._n

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self), self.dim)

    def append(self, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        need = self._n + len(vectors)
        if need > len(self._buf):
            grown = np.empty((max(need, 2 * len(self._buf), MIN_CAPACITY), self.dim), dtype=np.float32)
            grown[:self._n] = self._buf[:self._n]
            self._buf = grown
        self._buf[self._n:need] = vectors
        self._n = need

    def __getitem__(self, key):
        n, nb = len(self), len(self.base)
        if isinstance(key, (int, np.integer)):
            i = int(key) + (n if key < 0 else 0)
            if not 0 <= i < n:
                raise IndexError(f"label {int(key)} out of range for {n} vectors")
            return self.base[i] if i < nb else self._buf[i - nb]
        if isinstance(key, slice):
            key = np.arange(n)[key]
        idx = np.asarray(key)
        if idx.dtype == bool:
            if idx.shape != (n,):
                raise IndexError(f"boolean index of shape {idx.shape} for {n} vectors")
            idx = np.flatnonzero(idx)
        idx = idx.astype(np.int64, copy=False)
        flat = np.where(idx < 0, idx + n, idx).ravel()
        if len(flat) and (flat.min() < 0 or flat.max() >= n):
            raise IndexError(f"label out of range for {n} vectors")
        out = np.empty((len(flat), self.dim), dtype=np.float32)
        low = flat < nb
        out[low] = self.base[flat[low]]
        out[~low] = self._buf[flat[~low] - nb]
        return out.reshape(idx.shape + (self.dim,))

    def __array__(self, dtype=None, copy=None):
        whole = np.concatenate([np.asarray(self.base, dtype=np.float32), self.tail])
        return whole if dtype is None else whole.astype(dtype)

    def write_npy(self, fh: BinaryIO) -> None:
        """One .npy file of every row, the parts written one after the other (no joined copy)."""
        np.lib.format.write_array_header_1_0(fh, {"descr": np.lib.format.dtype_to_descr(self.dtype),
                                                  "fortran_order": False, "shape": self.shape})
        for part in (self.base, self.tail):
            part = np.ascontiguousarray(part, dtype="<f4")
            step = max(1, (64 << 20) // max(self.dim * 4, 1))  # 64 MB at a time
            for start in range(0, len(part), step):
                fh.write(memoryview(part[start:start + step]).cast("B"))


def append_rows(current: np.ndarray | JoinedVectors, vectors: np.ndarray) -> np.ndarray | JoinedVectors:
    """`current` with `vectors` after it, without copying `current`."""
    joined = current if isinstance(current, JoinedVectors) else JoinedVectors(current)
    joined.append(vectors)
    return joined


def save_npy(fh: BinaryIO, vectors: np.ndarray | JoinedVectors) -> None:
    if isinstance(vectors, JoinedVectors):
        vectors.write_npy(fh)
    else:
        np.save(fh, vectors)
