"""The directory as columns: one numpy array per fact the matcher filters or ranks by.

Built once per directory version from `Store.snapshot()`; every query then works on whole
columns (contract section 4 as boolean algebra, a BallTree for distance), never a Python loop over
listings. Row i of every column is the i-th listing in id order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from directory.records import DOMAINS, Resource

DELIVERY_BITS: dict[str, int] = {"in_person": 1, "phone": 2, "online": 4}
IN_PERSON, PHONE, ONLINE = 1, 2, 4
# Contract section 2: blank cost is unknown, treated as paid for filtering.
COST_LEVELS: dict[str | None, int] = {"free": 0, "low_cost": 1, "paid": 2, None: 2}
GENDER_CODES: dict[str | None, int] = {None: 0, "female": 1, "male": 2}
# A blank max_age is stored as this (and a blank min_age as 0): every age compares inside it.
AGE_NONE_MAX = 1000


def listing_text(resource: Resource) -> str:
    """What the embedding model and the lexical index read of a listing."""
    parts = [resource.name]
    if resource.categories:
        parts.append("; ".join(resource.categories))
    parts.append(resource.description)
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def text_hash(text: str) -> str:
    """Key of the embedding cache: the same text is never embedded twice by the same model."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Listings(Sequence[Resource]):
    """The snapshot's listings as JSON text, parsed only when a row is shown.

    A query reads a dozen rows; keeping a million parsed records alive instead costs gigabytes and
    makes every garbage collection walk them (bench/speed.py saw 100 ms pauses at 100k listings).
    """

    def __init__(self, resources: Sequence[Resource]):
        self._json = [r.model_dump_json() for r in resources]

    def __len__(self) -> int:
        return len(self._json)

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [Resource.model_validate_json(j) for j in self._json[row]]
        return Resource.model_validate_json(self._json[int(row)])


@dataclass
class Snapshot:
    version: int
    ids: list[str]
    resources: Listings
    content_hashes: list[str]
    texts: list[str]
    text_hashes: list[str]
    active: np.ndarray  # bool
    language_codes: list[str]
    language_matrix: np.ndarray  # bool (n, len(language_codes))
    interpreter: np.ndarray  # bool
    min_age: np.ndarray  # int16, 0 = no lower limit
    max_age: np.ndarray  # int16, AGE_NONE_MAX = no upper limit
    gender: np.ndarray  # int8: 0 anyone, 1 female only, 2 male only
    delivery: np.ndarray  # uint8 bit mask of DELIVERY_BITS
    cost: np.ndarray  # int8: 0 free, 1 low cost, 2 paid (blank counts as paid)
    wheelchair: np.ndarray  # bool (blank = False)
    lat: np.ndarray  # radians, NaN when the listing has no venue
    lon: np.ndarray
    curated_domains: np.ndarray  # bool (n, 8)
    domains: np.ndarray  # bool (n, 8): curator's, else inferred
    domains_inferred: np.ndarray  # bool (n,): row's domains came from inference
    row_of: dict[str, int] = field(default_factory=dict)
    venue_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _venue_tree: object | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, version: int, resources: Sequence[Resource], content_hashes: Sequence[str]) -> Snapshot:
        n = len(resources)
        texts = [listing_text(r) for r in resources]
        codes = sorted({c for r in resources for c in r.languages})
        col = {c: j for j, c in enumerate(codes)}
        lang = np.zeros((n, len(codes)), dtype=bool)
        rows, cols = [], []
        for i, r in enumerate(resources):
            for c in r.languages:
                rows.append(i)
                cols.append(col[c])
        lang[rows, cols] = True
        dom = np.zeros((n, len(DOMAINS)), dtype=bool)
        drows, dcols = [], []
        for i, r in enumerate(resources):
            for d in r.domains:
                drows.append(i)
                dcols.append(DOMAINS.index(d))
        dom[drows, dcols] = True
        nan = np.nan
        lat = np.radians(np.array([nan if r.latitude is None else r.latitude for r in resources], dtype=np.float64))
        lon = np.radians(np.array([nan if r.longitude is None else r.longitude for r in resources], dtype=np.float64))
        delivery = np.array([sum(DELIVERY_BITS[m] for m in r.delivery) for r in resources], dtype=np.uint8)
        snap = cls(
            version=int(version),
            ids=[r.id for r in resources],
            resources=Listings(resources),
            content_hashes=list(content_hashes),
            texts=texts,
            text_hashes=[text_hash(t) for t in texts],
            active=np.array([r.status == "active" for r in resources], dtype=bool),
            language_codes=codes,
            language_matrix=np.asfortranarray(lang),  # a language's column is contiguous: one pass per code
            interpreter=np.array([r.interpreter_available for r in resources], dtype=bool),
            min_age=np.array([r.min_age or 0 for r in resources], dtype=np.int16),
            max_age=np.array([AGE_NONE_MAX if r.max_age is None else r.max_age for r in resources], dtype=np.int16),
            gender=np.array([GENDER_CODES[r.gender] for r in resources], dtype=np.int8),
            delivery=delivery,
            cost=np.array([COST_LEVELS[r.cost] for r in resources], dtype=np.int8),
            wheelchair=np.array([r.wheelchair_accessible is True for r in resources], dtype=bool),
            lat=lat,
            lon=lon,
            curated_domains=dom,
            domains=dom.copy(),
            domains_inferred=np.zeros(n, dtype=bool),
        )
        snap._index()
        return snap

    @classmethod
    def from_stored(cls, version: int, stored: Sequence) -> Snapshot:
        """From `Store.snapshot()`'s (version, [StoredResource])."""
        return cls.build(version, [s.resource for s in stored], [s.content_hash for s in stored])

    def _index(self) -> None:
        self.row_of = {rid: i for i, rid in enumerate(self.ids)}
        venue = ((self.delivery & IN_PERSON) != 0) & ~np.isnan(self.lat)
        self.venue_rows = np.flatnonzero(venue)

    @property
    def venue_tree(self):
        """A haversine BallTree over the venues, built on first use (sklearn loads only then)."""
        if self._venue_tree is None and len(self.venue_rows):
            from sklearn.neighbors import BallTree

            self._venue_tree = BallTree(np.column_stack([self.lat[self.venue_rows], self.lon[self.venue_rows]]),
                                        metric="haversine")
        return self._venue_tree

    def infer_domains(self, infer: Callable[[np.ndarray], np.ndarray]) -> None:
        """Fill `domains` of rows without curator domains with `infer(rows) -> bool (len(rows), 8)`."""
        missing = np.flatnonzero(~self.curated_domains.any(axis=1))
        if len(missing):
            self.domains[missing] = infer(missing)
            self.domains_inferred[missing] = True

    def language_columns(self, codes: Sequence[str]) -> np.ndarray:
        idx = {c: j for j, c in enumerate(self.language_codes)}
        return np.array([idx[c] for c in codes if c in idx], dtype=np.int64)
