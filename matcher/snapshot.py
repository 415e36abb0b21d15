"""The directory as columns: one numpy array per fact the matcher filters or ranks by.

Built once per directory version from `Store.snapshot()`; every query then works on whole
columns (contract section 4 as boolean algebra, a BallTree for distance), never a Python loop over
listings. Row i of every column is the i-th listing in id order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from directory.records import DOMAINS, Resource
from directory.support_types import SUPPORT_TYPE_KEYS

DELIVERY_BITS: dict[str, int] = {"in_person": 1, "phone": 2, "online": 4}
IN_PERSON, PHONE, ONLINE = 1, 2, 4
# Contract section 2: blank cost is unknown, treated as paid for filtering.
COST_LEVELS: dict[str | None, int] = {"free": 0, "low_cost": 1, "paid": 2, None: 2}
GENDER_CODES: dict[str | None, int] = {None: 0, "female": 1, "male": 2}
# Rows inferred at a time: `infer` copies their vectors (1.5 GB for a million rows at once; bench/memory.py).
INFER_CHUNK = 50_000
# A blank max_age is stored as this (and a blank min_age as 0): every age compares inside it.
AGE_NONE_MAX = 1000


def listing_text(resource: Resource | dict) -> str:
    """What the embedding model and the lexical index read of a listing (a Resource or its content)."""
    if isinstance(resource, Resource):
        name, categories, description = resource.name, resource.categories, resource.description
    else:
        name, categories, description = resource["name"], resource.get("categories") or [], resource["description"]
    parts = [name]
    if categories:
        parts.append("; ".join(categories))
    parts.append(description)
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def text_hash(text: str) -> str:
    """Key of the embedding cache: the same text is never embedded twice by the same model."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Listings(Sequence[Resource]):
    """The snapshot's listings as JSON text, parsed only when a row is shown.

    A query reads a dozen rows; keeping a million parsed records alive instead costs gigabytes and
    makes every garbage collection walk them (bench/speed.py saw 100 ms pauses at 100k listings).
    """

    def __init__(self, json_texts: list[str]):
        self._json = json_texts

    @classmethod
    def of(cls, resources: Sequence[Resource]) -> Listings:
        return cls([r.model_dump_json() for r in resources])

    def __len__(self) -> int:
        return len(self._json)

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [Resource.model_validate_json(j) for j in self._json[row]]
        return Resource.model_validate_json(self._json[int(row)])

    def many(self, rows: Sequence[int]) -> list[Resource]:
        return [self[r] for r in rows]


class Fetched(Sequence[Resource]):
    """The snapshot's listings left in the database: the rows shown are fetched by id, in one read
    (`fetch(ids) -> {id: Resource}`), so a million-row snapshot holds no record at all. A record
    fetched is the database's latest, which may be newer than the snapshot until the next refresh."""

    def __init__(self, ids: list[str], fetch: Callable[[list[str]], dict[str, Resource]]):
        self._ids, self.fetch = ids, fetch

    def __len__(self) -> int:
        return len(self._ids)

    def many(self, rows: Sequence[int]) -> list[Resource]:
        want = [self._ids[int(r)] for r in rows]
        got = self.fetch(want) if want else {}
        return [got[rid] for rid in want]

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return self.many(range(len(self._ids))[row])
        return self.many([row])[0]


# The columns of one row, in the order `_columns` reads them; `Snapshot.updated` merges by these names.
ARRAYS = ("active", "interpreter", "min_age", "max_age", "gender", "delivery", "cost", "wheelchair", "lat", "lon",
          "curated_domains", "curated_support_types")
LISTS = ("ids", "content_hashes", "texts", "text_hashes")
_TYPE_COLUMN = {key: j for j, key in enumerate(SUPPORT_TYPE_KEYS)}


def _columns(contents: Sequence[dict]) -> dict:
    """Every column of the snapshot from listings' content dicts (canonical JSON, already valid):
    no Resource is built, so a million rows cost their arrays, not a million objects."""
    n = len(contents)
    texts = [listing_text(c) for c in contents]
    codes = sorted({code for c in contents for code in c.get("languages") or ()})
    col = {code: j for j, code in enumerate(codes)}
    lang = np.zeros((n, len(codes)), dtype=bool)
    pairs = [(i, col[code]) for i, c in enumerate(contents) for code in c.get("languages") or ()]
    if pairs:
        lang[tuple(np.array(pairs).T)] = True
    dom = np.zeros((n, len(DOMAINS)), dtype=bool)
    dpairs = [(i, DOMAINS.index(d)) for i, c in enumerate(contents) for d in c.get("domains") or ()]
    if dpairs:
        dom[tuple(np.array(dpairs).T)] = True
    types = np.zeros((n, len(SUPPORT_TYPE_KEYS)), dtype=bool)
    # a key the vocabulary no longer has (a row written before a vocabulary change) is left out, not fatal
    tpairs = [(i, _TYPE_COLUMN[t]) for i, c in enumerate(contents) for t in c.get("support_types") or ()
              if t in _TYPE_COLUMN]
    if tpairs:
        types[tuple(np.array(tpairs).T)] = True

    def num(key: str, dtype, default):
        return np.array([default if c.get(key) is None else c[key] for c in contents], dtype=dtype)

    return dict(
        ids=[c["id"] for c in contents], texts=texts, text_hashes=[text_hash(t) for t in texts],
        language_codes=codes, language_matrix=lang,
        active=np.array([c.get("status") == "active" for c in contents], dtype=bool),
        interpreter=np.array([bool(c.get("interpreter_available")) for c in contents], dtype=bool),
        min_age=num("min_age", np.int16, 0), max_age=num("max_age", np.int16, AGE_NONE_MAX),
        gender=np.array([GENDER_CODES[c.get("gender")] for c in contents], dtype=np.int8),
        delivery=np.array([sum(DELIVERY_BITS[m] for m in c.get("delivery") or ()) for c in contents], dtype=np.uint8),
        cost=np.array([COST_LEVELS[c.get("cost")] for c in contents], dtype=np.int8),
        wheelchair=np.array([c.get("wheelchair_accessible") is True for c in contents], dtype=bool),
        lat=np.radians(num("latitude", np.float64, np.nan)), lon=np.radians(num("longitude", np.float64, np.nan)),
        curated_domains=dom, curated_support_types=types,
    )


class ColumnBuilder:
    """The snapshot's columns built batch by batch from `Store.read_listings` (`add` each batch of rows),
    so that reading a million listings never holds all their JSON or parsed dicts at once."""

    def __init__(self, keep_json: bool):
        self._parts: list[dict] = []
        self._json: list[str] | None = [] if keep_json else None
        self._hashes: list[str] = []

    def add(self, rows: Sequence) -> None:
        self._parts.append(_columns([json.loads(r.data) for r in rows]))
        self._hashes.extend(r.content_hash for r in rows)
        if self._json is not None:
            self._json.extend(r.data for r in rows)

    def snapshot(self, version: int, fetch: Callable | None = None) -> Snapshot:
        parts, self._parts = self._parts or [_columns([])], []
        codes = sorted({c for p in parts for c in p["language_codes"]})
        where = {c: j for j, c in enumerate(codes)}
        n = sum(len(p["ids"]) for p in parts)
        cols: dict = {name: np.concatenate([p[name] for p in parts]) for name in ARRAYS}
        for name in ("ids", "texts", "text_hashes"):
            cols[name] = [x for p in parts for x in p[name]]
        lang = np.zeros((n, len(codes)), dtype=bool)
        start = 0
        for p in parts:
            rows = len(p["ids"])
            lang[start:start + rows, [where[c] for c in p["language_codes"]]] = p["language_matrix"]
            start += rows
        cols["language_codes"], cols["language_matrix"] = codes, lang
        return Snapshot._make(version, cols, None if fetch is not None else self._json, self._hashes, fetch)


@dataclass
class Snapshot:
    version: int
    ids: list[str]
    resources: Listings | Fetched
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
    curated_support_types: np.ndarray  # bool (n, T), T = len(SUPPORT_TYPE_KEYS), in that order
    support_types: np.ndarray  # bool (n, T): curator's, else inferred
    support_types_inferred: np.ndarray  # bool (n,): row's support types came from inference
    row_of: dict[str, int] = field(default_factory=dict)
    venue_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _venue_xyz: np.ndarray | None = None
    # True for a snapshot loaded from `matcher.prepared`: its domains and support types are inferred already
    prepared: bool = False

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def _make(cls, version: int, cols: dict, json_texts: list[str] | None, content_hashes: list[str],
              fetch: Callable | None = None) -> Snapshot:
        cols = dict(cols)
        lang = cols.pop("language_matrix")
        dom, types = cols["curated_domains"], cols["curated_support_types"]
        records = Listings(json_texts) if fetch is None else Fetched(cols["ids"], fetch)
        snap = cls(version=int(version), resources=records, content_hashes=list(content_hashes),
                   language_matrix=np.asfortranarray(lang),  # a language's column is contiguous: one pass per code
                   domains=dom.copy(), domains_inferred=np.zeros(len(dom), dtype=bool),
                   support_types=types.copy(), support_types_inferred=np.zeros(len(types), dtype=bool), **cols)
        snap._index()
        return snap

    @classmethod
    def from_prepared(cls, version: int, arrays: dict, *, ids: list[str], content_hashes: list[str],
                      texts: Sequence[str], text_hashes: list[str], language_codes: list[str],
                      json_texts: Sequence[str] | None, fetch: Callable | None = None) -> Snapshot:
        """From the columns `matcher.prepared` saved (arrays memory-mapped, read-only; domains and support
        types already inferred): nothing is parsed, hashed or inferred again."""
        records = Listings(json_texts) if fetch is None else Fetched(ids, fetch)
        snap = cls(version=int(version), ids=ids, resources=records, content_hashes=content_hashes, texts=texts,
                   text_hashes=text_hashes, language_codes=language_codes, **arrays)
        snap.prepared = True
        snap._index()
        return snap

    @classmethod
    def build(cls, version: int, resources: Sequence[Resource], content_hashes: Sequence[str]) -> Snapshot:
        """From listings in id order and their content hashes (tests, benchmarks)."""
        return cls._make(version, _columns([r.content() for r in resources]), Listings.of(resources)._json,
                         list(content_hashes))

    @classmethod
    def from_stored(cls, version: int, stored: Sequence) -> Snapshot:
        """From `Store.snapshot()`'s (version, [StoredResource])."""
        return cls.build(version, [s.resource for s in stored], [s.content_hash for s in stored])

    @classmethod
    def from_rows(cls, version: int, rows: Sequence, fetch: Callable | None = None) -> Snapshot:
        """From `Store.changes_since(None)`'s rows (id order): JSON straight into columns. With `fetch`
        (ids → {id: Resource}) the records stay in the database; without, their JSON is kept."""
        return cls._make(version, _columns([json.loads(r.data) for r in rows]),
                         None if fetch is not None else [r.data for r in rows], [r.content_hash for r in rows], fetch)

    def updated(self, version: int, rows: Sequence) -> tuple[Snapshot, np.ndarray]:
        """A new snapshot: this one with `rows` (`Store.changes_since`'s, written since this one was
        read) replaced or added, still in id order; and the new snapshot's rows that changed. This
        snapshot is not touched (queries may be reading it). Inferred domains are kept for unchanged
        rows; the caller infers those of the changed rows (`infer_domains(infer, rows)`)."""
        fetch = self.resources.fetch if isinstance(self.resources, Fetched) else None
        part = Snapshot.from_rows(version, rows, fetch)
        fresh = [rid for rid in part.ids if rid not in self.row_of]
        if fresh:
            ids = sorted(self.ids + fresh)
            row_of = {rid: i for i, rid in enumerate(ids)}
            old_pos = np.fromiter((row_of[rid] for rid in self.ids), dtype=np.int64, count=len(self.ids))
        else:
            ids, row_of, old_pos = self.ids, self.row_of, np.arange(len(self.ids))
        new_pos = np.fromiter((row_of[rid] for rid in part.ids), dtype=np.int64, count=len(part.ids))
        n = len(ids)

        def merge(old: np.ndarray, new: np.ndarray) -> np.ndarray:
            out = np.empty((n,) + old.shape[1:], dtype=old.dtype) if fresh else old.copy()
            if fresh:
                out[old_pos] = old
            out[new_pos] = new
            return out

        def merge_list(old: list, new: list) -> list:
            out = [None] * n if fresh else list(old)
            if fresh:
                for i, p in enumerate(old_pos.tolist()):
                    out[p] = old[i]
            for i, p in enumerate(new_pos.tolist()):
                out[p] = new[i]
            return out

        cols: dict = {name: merge(getattr(self, name), getattr(part, name)) for name in ARRAYS}
        cols.update({name: merge_list(getattr(self, name), getattr(part, name)) for name in LISTS})
        cols["ids"] = list(ids)
        codes = sorted(set(self.language_codes) | set(part.language_codes))
        lang = np.zeros((n, len(codes)), dtype=bool)
        where = {c: j for j, c in enumerate(codes)}
        lang[np.ix_(old_pos, [where[c] for c in self.language_codes])] = self.language_matrix
        lang[new_pos] = False
        lang[np.ix_(new_pos, [where[c] for c in part.language_codes])] = part.language_matrix
        cols["language_codes"], cols["language_matrix"] = codes, lang
        json_texts = None if fetch is not None else merge_list(self.resources._json, part.resources._json)
        snap = Snapshot._make(version, cols, json_texts, cols.pop("content_hashes"), fetch)
        # unchanged rows keep the domains inferred for them; changed rows start from the curator's
        snap.domains = merge(self.domains, part.curated_domains)
        snap.domains_inferred = merge(self.domains_inferred, np.zeros(len(part), dtype=bool))
        snap.support_types = merge(self.support_types, part.curated_support_types)
        snap.support_types_inferred = merge(self.support_types_inferred, np.zeros(len(part), dtype=bool))
        if (not fresh and self._venue_xyz is not None and np.array_equal(snap.venue_rows, self.venue_rows)
                and np.array_equal(snap.lat[new_pos], self.lat[new_pos], equal_nan=True)
                and np.array_equal(snap.lon[new_pos], self.lon[new_pos], equal_nan=True)):
            snap._venue_xyz = self._venue_xyz  # the same venues at the same places: the same points
        return snap, new_pos

    def _index(self) -> None:
        self.row_of = {rid: i for i, rid in enumerate(self.ids)}
        venue = ((self.delivery & IN_PERSON) != 0) & ~np.isnan(self.lat)
        self.venue_rows = np.flatnonzero(venue)

    @property
    def venue_xyz(self) -> np.ndarray:
        """float64 (n, 3): each venue as a point on the unit sphere, NaN for rows without a usable venue
        (not in person, or no coordinates); made on first use. Two places are within central angle t
        when the dot product of their points is at least cos(t): one matrix-vector product answers a
        radius query over every row (constraints.near_mask), exact to a micrometre at a town's scale."""
        if self._venue_xyz is None:
            xyz = np.full((len(self), 3), np.nan)
            rows = self.venue_rows
            lat, lon = self.lat[rows].astype(np.float64), self.lon[rows].astype(np.float64)
            xyz[rows, 0] = np.cos(lat) * np.cos(lon)
            xyz[rows, 1] = np.cos(lat) * np.sin(lon)
            xyz[rows, 2] = np.sin(lat)
            self._venue_xyz = xyz
        return self._venue_xyz

    def infer_domains(self, infer: Callable[[np.ndarray], np.ndarray], rows: np.ndarray | None = None) -> None:
        """Fill `domains` of rows without curator domains with `infer(rows) -> bool (len(rows), 8)`;
        of `rows` only when given (the rows a refresh changed)."""
        self._fill(self.curated_domains, self.domains, self.domains_inferred, infer, rows)

    def infer_support_types(self, infer: Callable[[np.ndarray], np.ndarray], rows: np.ndarray | None = None) -> None:
        """Fill `support_types` of rows a curator left untagged with `infer(rows) -> bool (len(rows), T)`;
        of `rows` only when given. The same rule as `infer_domains`."""
        self._fill(self.curated_support_types, self.support_types, self.support_types_inferred, infer, rows)

    @staticmethod
    def _fill(curated: np.ndarray, values: np.ndarray, inferred: np.ndarray,
              infer: Callable[[np.ndarray], np.ndarray], rows: np.ndarray | None) -> None:
        # The curator's columns are authoritative: only rows they left blank are inferred, in chunks.
        missing = np.flatnonzero(~curated.any(axis=1))
        if rows is not None:
            missing = np.intersect1d(missing, rows)
        for start in range(0, len(missing), INFER_CHUNK):
            part = missing[start:start + INFER_CHUNK]
            values[part] = infer(part)
            inferred[part] = True

    def language_columns(self, codes: Sequence[str]) -> np.ndarray:
        idx = {c: j for j, c in enumerate(self.language_codes)}
        return np.array([idx[c] for c in codes if c in idx], dtype=np.int64)
