"""The recommender: the one entry point of the app, the CLI and the benchmarks.

    rec = Recommender.open(db)           # store, model (loaded once), index brought up to date
    recs = rec.recommend(profile, top_k=10)

A match is a pipeline over plain values: resolve location → hard-constraint mask (contract
section 4) → query embedding → index search within the mask → scoring and diversity → reasons.
When fewer than `top_k` listings pass, the best few that break exactly one rule come back as near
misses, kept apart from the results. Nothing about the person is logged or kept.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from threadpoolctl import ThreadpoolController

from directory import store as store_tables
from directory.records import DOMAINS, Resource
from directory.store import Store
from directory.support_types import SUPPORT_TYPE_KEYS

from . import conditions, constraints, domains, filters, group_signals, ranking, reasons, support_types
from .embedder import Embedder, load_embedder
from .geo import Gazetteer, default_gazetteer, haversine_km, location_query, resolve_location
from .index import IndexUpdate, ListingIndex, index_dir_for
from .prepared import open_snapshot, save_prepared
from .profile import NeedsProfile, parse_profile
from .results import NearMiss, Recommendations, Result  # re-exported: the answer types
from .shared_vectors import SharedVectors
from .snapshot import Snapshot, text_hash

NEAR_MISSES = 3
# Above this many listings a refresh swaps the new snapshot in first and then, on a background
# thread, refits the lexical index (~2.8 s for 100k texts on 2 shared cores) and saves the index.
BACKGROUND_MIN = 20_000
# Above this many listings the snapshot keeps no record: the rows shown are read from the database
# (one statement per query, a few ms) rather than held as JSON (~1 GB at 1M listings).
FETCH_MIN = 50_000
# Candidates fetched per rated need among the allowed listings that serve it.
NEED_CANDIDATES = 20
# Text embedded when a profile says nothing at all about needs or goals.
EMPTY_QUERY = "Local community activities and support services."
# numpy's BLAS workers, left spinning after a matrix product, slow the next query embedding by half
# on 2 cores (bench/speed.py: p50 at 100k listings 45 ms → 24 ms with one BLAS thread during a match).
_THREADS = ThreadpoolController()


@dataclass(frozen=True)
class _Prepared:
    """Everything a query reads, for one directory version; swapped whole, never edited."""

    snapshot: Snapshot
    labels: np.ndarray  # int64 index label per snapshot row, -1 if not indexed
    lexicon: ranking.Lexicon | _StaleLexicon
    row_of_label: np.ndarray  # snapshot row of each index label, -1 for tombstones
    generation: int = 0  # the index's label numbering these labels are in (ListingIndex.generation)

    def __post_init__(self) -> None:
        # Made once per directory version, read by every match (each a pass over a million rows saved):
        # rows with a vector; and per label, whether it is a live row and its domains as bits.
        live = self.row_of_label >= 0
        rows = np.where(live, self.row_of_label, 0)
        bits = np.packbits(self.snapshot.domains, axis=1, bitorder="little")[:, 0] if len(self.snapshot) \
            else np.zeros(0, dtype=np.uint8)
        object.__setattr__(self, "indexed", self.labels >= 0)
        object.__setattr__(self, "label_live", live)
        object.__setattr__(self, "label_rows", rows)
        object.__setattr__(self, "label_domain_bits", np.where(live, bits[rows] if len(bits) else 0, 0).astype(np.uint8))


class _Clock:
    """Seconds between laps, by name; and the CPU seconds this thread spent in each ("<name>_cpu"),
    which on a busy machine say what the step would take on an idle one."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._at, self._cpu = time.perf_counter(), time.thread_time()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.laps[name], self.laps[f"{name}_cpu"] = round(now - self._at, 3), round(cpu - self._cpu, 3)
        self._at, self._cpu = now, cpu


class _StaleLexicon:
    """A lexical index fitted on an earlier snapshot, read through the rows of a later one: rows whose
    text changed since the fit score 0 until the refit (`Recommender._finish`) replaces it."""

    def __init__(self, lexicon, fitted_row: np.ndarray):
        self.lexicon, self.fitted_row = lexicon, fitted_row

    @classmethod
    def of(cls, previous: _Prepared, snapshot: Snapshot, changed: np.ndarray) -> _StaleLexicon:
        base = previous.lexicon
        old = previous.snapshot
        if isinstance(base, _StaleLexicon):
            base, old_rows = base.lexicon, base.fitted_row
        else:
            old_rows = np.arange(len(old))
        if len(snapshot) == len(old):  # no listing added: every row is where it was (Snapshot.updated)
            fitted = np.array(old_rows, dtype=np.int64, copy=True)
        else:
            get = old.row_of.get
            rows = np.fromiter((get(rid, -1) for rid in snapshot.ids), dtype=np.int64, count=len(snapshot))
            fitted = np.where(rows >= 0, old_rows[np.maximum(rows, 0)], -1)
        fitted[changed] = -1
        return cls(base, fitted)

    def scores(self, query: str, rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows))
        at = self.fitted_row[rows]
        ok = at >= 0
        if ok.any():
            out[ok] = self.lexicon.scores(query, at[ok])
        return out


class Recommender:
    """Settings are keyword-only and kept as given (scikit-learn's discipline); `open` passes them all."""

    def __init__(self, *, embedder: Embedder, index: ListingIndex, store: Store | None = None,
                 blend: ranking.Blend | None = None, gazetteer: Gazetteer | None = None):
        self.embedder = embedder
        self.index = index
        self.store = store
        self.blend = blend or ranking.Blend()
        self.gazetteer = gazetteer or default_gazetteer()
        # Vectors shared through the database by every process on it (None without a store).
        self.shared = None if store is None else SharedVectors(store, embedder.name, embedder.dim)
        self.domain_vectors = self._description_vectors(list(domains.DOMAIN_DESCRIPTIONS.values()))
        self._type_vectors: np.ndarray | None = None
        self._not_support_rows: tuple[Snapshot, np.ndarray] | None = None  # (snapshot, -1 unknown / 0 / 1 per row)
        self.last_update = IndexUpdate()  # what the latest update_index did
        # Seconds by step of the latest refresh, and of the background work it left (bench/refresh.py).
        self.last_refresh: dict[str, float] = {}
        self.last_finish: dict[str, float] = {}
        self._lock = threading.RLock()
        self._prepared: _Prepared | None = None
        self._options: dict[tuple, np.ndarray | None] = {}
        self._finisher: threading.Thread | None = None

    @classmethod
    def open(cls, db: str | None = None, *, model: str | None = None, index_dir: str | Path | None = None,
             blend: ranking.Blend | None = None, gazetteer: Gazetteer | None = None,
             embedder: Embedder | None = None, progress: Callable[[int, int], None] | None = None,
             create: bool = True) -> Recommender:
        """Open the directory, load the model (once per process), and bring the saved index up to date
        (a damaged saved index is rebuilt; `index.warnings` says what was wrong).

        `create=False`: a database that does not exist is an error (commands that only read)."""
        store = Store(db, create=create)
        try:
            embedder = embedder or load_embedder(model)
            where = Path(index_dir) if index_dir is not None else index_dir_for(store.url)
            index = ListingIndex.open(where, embedder.name, embedder.dim)
            rec = cls(embedder=embedder, index=index, store=store, blend=blend, gazetteer=gazetteer)
            rec.update_index(progress)
        except BaseException:
            store.close()
            raise
        return rec

    def close(self) -> None:
        self.wait()
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Recommender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- keeping up with the directory ------------------------------------------------------------
    @property
    def directory_version(self) -> int | None:
        return None if self._prepared is None else self._prepared.snapshot.version

    def refresh(self) -> bool:
        """Cheap check of the directory version; when it moved, read only the listings written since
        and bring the snapshot, index, inferred domains and lexical index up to date with them (the
        first time, or without a snapshot, everything is read). True if the directory had moved."""
        if self.store is None:
            return False
        state = self._prepared
        if state is None:
            self.update_index()
            return True
        if self.store.directory_version() == state.snapshot.version:
            return False
        with self._lock:
            state = self._prepared
            clock = _Clock()
            version, rows = self.store.changes_since(state.snapshot.version)
            if version == state.snapshot.version:
                return False  # another thread refreshed while this one waited for the lock
            clock.lap("read")
            snapshot, changed = state.snapshot.updated(version, rows)
            clock.lap("merge")
            update = self.index.update(snapshot, self.embedder, shared=self.shared, rows=changed)
            update.total = len(self.index)
            self.last_update = update
            clock.lap("vectors")
            self._install(snapshot, state, changed)
            clock.lap("install")
            self.last_refresh = clock.laps
        return True

    def update_index(self, progress: Callable[[int, int], None] | None = None) -> IndexUpdate:
        """Read the whole directory, embed only what changed, save the index if it moved, swap the snapshot."""
        if self.store is None:
            raise ValueError("this recommender has no store; use install() with a snapshot")
        with self._lock:
            # The directory state's prepared columns when saved (no row parsed), else every row read.
            snapshot, lexicon, key = open_snapshot(self.store, self.index.folder, self.embedder.name, self._fetch,
                                                   FETCH_MIN, self.index.warnings.append)
            update = self.index.update(snapshot, self.embedder, progress, shared=self.shared)
            update.total = len(self.index)
            self.index.save_if_changed()
            self._install(snapshot, None, None, lexicon)
            if lexicon is None:
                save_prepared(self.index.folder, key, snapshot, self._prepared.lexicon, self.embedder.name,
                              self.index.warnings.append)
            self.last_update = update
            return update

    def _fetch(self, ids: list[str]) -> dict[str, Resource]:
        """The listings shown, read from the directory by id in one statement."""
        table = store_tables.resources
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(table.c.id, table.c.data).where(table.c.id.in_(ids))).all()
        return {r.id: Resource.model_validate_json(r.data) for r in rows}

    def wait(self) -> None:
        """Wait for the work a refresh left to a background thread (lexical refit, index save)."""
        finisher = self._finisher
        if finisher is not None:
            finisher.join()

    def _description_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of fixed descriptions (domains, support types): through the shared table when there
        is one, so a cold process reads them instead of spending ~0.8 s of forward passes on them."""
        if self.shared is None:
            return self.embedder.encode(texts)
        keys = [text_hash(t) for t in texts]
        text_of = dict(zip(keys, texts, strict=True)).__getitem__
        found = self.shared.embed_missing(keys, text_of, self.embedder.encode)
        return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)

    @property
    def type_vectors(self) -> np.ndarray:
        """The support types' description vectors (T x dim), in SUPPORT_TYPE_KEYS order; made on first use."""
        if self._type_vectors is None:
            self._type_vectors = self._description_vectors(support_types.type_descriptions())
        return self._type_vectors

    def install(self, snapshot: Snapshot) -> None:
        """Prepare the columns a query reads for a snapshot the index already holds."""
        self._install(snapshot, None, None)

    def _infer(self, snapshot: Snapshot, labels: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        def infer(rows: np.ndarray) -> np.ndarray:
            vecs = np.zeros((len(rows), self.embedder.dim), dtype=np.float32)
            has = labels[rows] >= 0
            vecs[has] = self.index.vectors[labels[rows][has]]
            # what the listing's support types (curator's or inferred, filled first) serve, besides
            of_types = domains.domains_of_types(snapshot.support_types[rows])
            out = domains.infer_domains(vecs, [snapshot.texts[r] for r in rows], self.domain_vectors, known=of_types)
            out[~has] = domains.keyword_domains([snapshot.texts[r] for r in rows[~has]])
            return out | of_types
        return infer

    def _infer_types(self, snapshot: Snapshot, labels: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        def infer(rows: np.ndarray) -> np.ndarray:
            texts = [snapshot.texts[r] for r in rows]
            has = labels[rows] >= 0
            out = np.zeros((len(rows), len(support_types.SUPPORT_TYPE_KEYS)), dtype=bool)
            if not has.all():  # (rows with a vector: infer_listing_types runs the keyword rules itself)
                out[~has] = support_types.keyword_listing_types([t for t, h in zip(texts, has, strict=True) if not h])
            if has.any():
                out[has] = support_types.infer_listing_types(self.index.vectors[labels[rows][has]],
                                                             [t for t, h in zip(texts, has, strict=True) if h],
                                                             self.type_vectors)
            return out
        return infer

    def _install(self, snapshot: Snapshot, previous: _Prepared | None, changed: np.ndarray | None,
                 lexicon: ranking.Lexicon | None = None) -> None:
        """Swap in the snapshot. After a refresh (`previous`, `changed` rows) only changed rows have
        their domains inferred, and a large directory's lexical refit and index save run after the
        swap on a background thread: until the refit lands, changed rows score no lexical match.
        A prepared snapshot (matcher.prepared) comes inferred, with its `lexicon`."""
        labels, row_of_label = self._labels(snapshot, previous, changed)
        if not snapshot.prepared:
            snapshot.infer_support_types(self._infer_types(snapshot, labels), changed)
            snapshot.infer_domains(self._infer(snapshot, labels), changed)  # reads the rows' support types
        later = previous is not None and len(snapshot) > BACKGROUND_MIN
        if later:
            lexicon = _StaleLexicon.of(previous, snapshot, changed)
        elif lexicon is None:
            lexicon = ranking.Lexicon(snapshot.texts)
        snapshot.venue_xyz  # noqa: B018 (made now, not by the first query after the swap)
        prepared = _Prepared(snapshot, labels, lexicon, row_of_label, self.index.generation)
        with self._lock:
            self._prepared = prepared
            if previous is not None and not later:
                self.index.save_if_changed()
        if later:
            self._finisher = threading.Thread(target=self._finish, args=(prepared,), daemon=True)
            self._finisher.start()

    def _labels(self, snapshot: Snapshot, previous: _Prepared | None,
                changed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(index label of each snapshot row, snapshot row of each label). After a refresh that added no
        listing and did not compact the index, only the changed rows' labels moved: the previous
        columns are patched (at 100k rows, rather than 100k dictionary look-ups each)."""
        size = len(self.index.ids)
        if (previous is None or changed is None or self.last_update.rebuilt
                or len(snapshot) != len(previous.snapshot) or len(previous.row_of_label) > size):
            labels = self.index.labels_for(snapshot)
            row_of_label = np.full(size, -1, dtype=np.int64)
            held = np.flatnonzero(labels >= 0)
            row_of_label[labels[held]] = held
            return labels, row_of_label
        labels = previous.labels.copy()
        get = self.index.label_of.get
        labels[changed] = [get(snapshot.ids[r], -1) for r in changed.tolist()]
        row_of_label = np.full(size, -1, dtype=np.int64)
        row_of_label[:len(previous.row_of_label)] = previous.row_of_label
        old = previous.labels[changed]
        row_of_label[old[old >= 0]] = -1  # tombstones now (or labels given again below)
        new = labels[changed]
        row_of_label[new[new >= 0]] = changed[new >= 0]
        return labels, row_of_label

    def _finish(self, prepared: _Prepared) -> None:
        """Refit the lexical index for a refreshed snapshot, swap it in if that snapshot is still the
        current one, and save the index."""
        clock = _Clock()
        lexicon = ranking.Lexicon(prepared.snapshot.texts)
        clock.lap("lexicon")
        with self._lock:
            if self._prepared is prepared:
                self._prepared = dataclasses.replace(prepared, lexicon=lexicon)
                self.index.save_if_changed()
                clock.lap("save")
        self.last_finish = clock.laps

    def listing_domains(self) -> dict[str, tuple[list[str], bool]]:
        """Every listing's needs domains as matching sees them (curator's, or inferred from the text) and
        whether they were inferred: the one answer the Gaps page and Find support share."""
        state = self._prepared
        if state is None:
            return {}
        snap = state.snapshot
        return {snap.ids[i]: ([d for j, d in enumerate(DOMAINS) if snap.domains[i, j]], bool(snap.domains_inferred[i]))
                for i in range(len(snap))}

    # ---- matching ---------------------------------------------------------------------------------
    def listing_support_types(self) -> dict[str, tuple[list[str], bool]]:
        """Every listing's support types as matching sees them (curator's tags, or inferred from the
        text) and whether they were inferred: what the type filter and the Gaps page read."""
        state = self._prepared
        if state is None:
            return {}
        snap = state.snapshot
        return {snap.ids[i]: (support_types.keys_of(snap.support_types[i]), bool(snap.support_types_inferred[i]))
                for i in range(len(snap))}

    def recommend(self, profile: NeedsProfile | dict, top_k: int = 10, *, keyword: str | None = None,
                  days: list[int] | None = None, support_types: list[str] | None = None) -> Recommendations:
        """Ranked, explained results that break no rule of contract section 4; near misses apart.

        `keyword`, `days` (0 = Monday) and `support_types` narrow the offer to listings whose words hold
        the keyword, whose schedule names one of the days (matcher.filters) and that offer one of the
        types (keys of directory.support_types); they are options, not rules, so `excluded` still counts
        only what the rules left out. An unknown type key is a ValueError naming it."""
        with _THREADS.limit(limits=1, user_api="blas"):
            return self._recommend(parse_profile(profile), top_k, scored=True, keyword=keyword, days=days,
                                   types=support_types)

    def _option_mask(self, snap: Snapshot, keyword: str | None, days: list[int] | None,
                     types: list[str] | None = None) -> np.ndarray | None:
        type_columns = filters.type_columns(types)
        # Reading every listing's words costs a parse per row: kept per directory version and option.
        key = (snap.version, tuple(filters.keyword_terms(keyword)), tuple(sorted(set(days or ()))))
        if key not in self._options:
            if len(self._options) >= 32:
                self._options.clear()
            self._options[key] = filters.allowed_mask(snap.resources, keyword, days)
        mask = self._options[key]
        if len(type_columns):
            offers = snap.support_types[:, type_columns].any(axis=1)
            mask = offers if mask is None else mask & offers
        return mask

    def _recommend(self, profile: NeedsProfile, top_k: int, scored: bool, keyword: str | None = None,
                   days: list[int] | None = None, types: list[str] | None = None) -> Recommendations:
        with self._reading() as state:
            return self._recommend_in(state, profile, top_k, scored, keyword, days, types)

    @contextmanager
    def _reading(self) -> Iterator[_Prepared]:
        """The prepared state, with the index held for reading and in the same label numbering: when a
        refresh on another thread has compacted the index and not yet swapped in the labels for it,
        wait for that swap (the refresh holds `_lock` until then) and look again."""
        while True:
            with self.index.lock.reading():
                state = self._prepared
                if state is None:
                    raise RuntimeError("the recommender has no directory loaded")
                if state.generation == self.index.generation:
                    yield state
                    return
            with self._lock:
                if self._prepared is state and state.generation != self.index.generation:
                    self.update_index()  # (a refresh that failed after compacting: read everything again)

    def _recommend_in(self, state: _Prepared, profile: NeedsProfile, top_k: int, scored: bool, keyword: str | None,
                      days: list[int] | None, types: list[str] | None) -> Recommendations:
        top_k = max(int(top_k), 0)
        snap = state.snapshot
        point = resolve_location(profile.location, self.gazetteer)
        elig = constraints.evaluate(snap, profile, point)
        text = ranking.match_text(profile, self.blend) or EMPTY_QUERY
        parts = ranking.sentences(profile) if self.blend.sentences > 0 else []
        query = self._embed_query(text, parts)
        weights = ranking.need_weights(profile)
        rated = weights > 0
        if not rated.any() and profile.goals.strip():
            # Contract section 5: when no need is rated, the needs are read from the person's words.
            weights = ranking.need_weights_of(domains.needs_from_text(profile.goals, query[0], self.domain_vectors))
        serves = ranking.serves_a_need(snap.domains, weights)
        eligible = elig.eligible & state.indexed & serves if rated.any() else elig.eligible & state.indexed
        options = self._option_mask(snap, keyword, days, types)
        if options is not None:
            eligible &= options
        rows, rel = self._score(state, profile, point, elig, eligible, query, text, weights)
        picks = ranking.diversify(rel, self._vectors(state, rows), snap.domains[rows], weights, top_k, self.blend)
        if rated.any():
            picks = ranking.cover_needs(picks, rel, snap.domains[rows], weights, top_k)
        person_types = support_types.types_from_profile(profile)  # for reasons quoting the person's words
        shown = snap.resources.many([int(rows[p]) for p in picks])
        results = [self._result(state, profile, point, int(rows[p]), shown[rank], rank + 1, float(rel[p]), scored,
                                weights, person_types) for rank, p in enumerate(picks)]
        near: list[NearMiss] = []
        if len(results) < top_k:
            mask = elig.near_miss_mask() & state.indexed & (serves if rated.any() else True)
            if options is not None:
                mask &= options
            near = self._near_misses(state, profile, point, elig, mask, query, text, weights)
        order = ranking.needs_in_order(weights)
        met = {d for r in results for d in r.needs_met}
        unmet = [d for d in order if d not in met] if rated.any() else []
        return Recommendations(profile.id, results, elig.excluded(), near, point, unmet, order, elig.reach_detail())

    def preview(self, text: str, location: str | None, languages: list[str] | None = None,
                top_k: int = 5, *, gender: str | None = None) -> Recommendations:
        """The GP's one-minute look: needs guessed from free text, a postcode or place, languages and
        (optionally) the person's gender, so that women-only or men-only groups are offered to them."""
        vector = self.embedder.encode([text or EMPTY_QUERY])[0]
        needs = domains.needs_from_text(text or "", vector, self.domain_vectors)
        data: dict[str, Any] = {"needs": needs, "goals": text or ""}
        if languages:
            data["languages"] = languages
        if gender:
            data["gender"] = gender
        where = location_query(location)
        if where is not None:
            data["location"] = where
        with _THREADS.limit(limits=1, user_api="blas"):
            return self._recommend(parse_profile(data), max(int(top_k), 0), scored=False)

    # ---- steps ------------------------------------------------------------------------------------
    def _embed_query(self, text: str, parts: list[str]) -> np.ndarray:
        """Row 0: the query vector; then one row per sentence of the person's words, if any. With
        sentences, the query is their mean direction: one forward pass over the same words, so no
        slower than embedding the whole text (bench/speed.py budget)."""
        if not parts:
            return self.embedder.encode([text])
        vecs = self.embedder.encode(parts)
        mean = vecs.mean(axis=0)
        return np.vstack([mean / max(float(np.linalg.norm(mean)), 1e-9), vecs])

    def _vectors(self, state: _Prepared, rows: np.ndarray) -> np.ndarray:
        return self.index.vectors[state.labels[rows]]

    def _candidates(self, state: _Prepared, mask: np.ndarray, queries: np.ndarray,
                    needs: list[tuple[int, np.ndarray]] = ()) -> np.ndarray:
        """Rows among `mask` that the index finds nearest any of the queries; with `needs` (domain
        column, query) pairs, also the nearest rows that serve each need, so that a need any allowed
        listing meets always has candidates (contract section 5: unmet needs are said, not missed).
        Worked over labels, as masks: at a million listings, gathering the allowed rows' labels and
        domains per need cost more than the searches."""
        if np.count_nonzero(mask) <= self.blend.candidates:
            return np.flatnonzero(mask)  # every allowed listing is a candidate
        allowed = mask[state.label_rows] & state.label_live  # per label
        _, labels = self.index.search_mask(queries, allowed, self.blend.candidates)
        found = [labels[labels >= 0]]
        for column, query in needs:
            serving = allowed & ((state.label_domain_bits & np.uint8(1 << column)) != 0)
            if serving.any():
                _, hits = self.index.search_mask(query[None, :], serving, NEED_CANDIDATES)
                found.append(hits[hits >= 0])
        return state.row_of_label[np.unique(np.concatenate(found))]

    def _score(self, state: _Prepared, profile: NeedsProfile, point, elig, mask: np.ndarray,
               query: np.ndarray, text: str, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, signals = self._signals(state, profile, point, elig, mask, query, text, weights)
        if len(rows) == 0:
            return rows, np.zeros(0)
        return rows, ranking.relevance(signals, self.blend)

    def _signals(self, state: _Prepared, profile: NeedsProfile, point, elig, mask: np.ndarray,
                 query: np.ndarray, text: str, weights: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The candidate rows and each signal of ranking.SIGNALS over them. `query`: the embedded text
        (row 0), then one row per sentence of the person's words (ranking.sentences), if any."""
        query, parts = query[0], query[1:]
        need_idx = np.flatnonzero(weights > 0)
        queries = np.vstack([query[None, :], self.domain_vectors[need_idx]]) if self.blend.per_need > 0 else query[None, :]
        rows = self._candidates(state, mask, queries, [(int(j), self.domain_vectors[j]) for j in need_idx])
        if len(rows) == 0:
            return rows, {}
        snap = state.snapshot
        vecs = self._vectors(state, rows)
        per = np.zeros(len(rows))
        if len(need_idx):
            per = ((vecs @ self.domain_vectors[need_idx].T) * weights[need_idx]).max(axis=1) / weights[need_idx].max()
        lex = state.lexicon.scores(text, rows)
        dist = self._distances(snap, rows, point)
        sem = vecs @ query
        learned = self._learned_signals(snap, profile, rows, vecs, weights) if self.blend.ranker is not None else {}
        return rows, {**learned,
            "semantic": sem,
            "sentences": (vecs @ parts.T).max(axis=1) if len(parts) else sem,
            "per_need": per,
            "lexical": lex / lex.max() if lex.max() > 0 else lex,
            "coverage": ranking.coverage(snap.domains[rows], weights),
            "condition": conditions.names_a_condition(profile.conditions, snap.texts, rows.tolist()),
            "distance": ranking.nearness(dist, elig.in_person[rows], profile.max_distance_km, self.blend,
                                         point is not None),
        }

    def _learned_signals(self, snap: Snapshot, profile: NeedsProfile, rows: np.ndarray, vecs: np.ndarray,
                         weights: np.ndarray) -> dict[str, np.ndarray]:
        """ranking.LEARNED_SIGNALS over the candidate rows (matcher/learned.py says what each means)."""
        n = len(rows)
        top = snap.domains[rows, int(np.argmax(weights))].astype(float) if weights.any() else np.zeros(n)
        wanted = np.zeros(len(SUPPORT_TYPE_KEYS), dtype=bool)
        wanted[[SUPPORT_TYPE_KEYS.index(k) for k in support_types.types_from_profile(profile)]] = True
        offered = snap.support_types[rows]
        types = self.type_vectors
        out = {"meets_top": top, "support_type": np.zeros(n), "type_any": np.zeros(n), "type_sim": np.zeros(n),
               "type_mismatch": support_types.audience_mismatch(offered, support_types.member_of(wanted, profile)
                                                                 ).astype(float),
               "not_support": self._not_support(snap, rows),
               "hub": vecs @ types.mean(axis=0),  # the mean of its cosines to every type's description
               "own_language": group_signals.own_language(snap, profile, rows),
               "for_group": group_signals.for_group(snap, profile, rows)}
        if wanted.any():
            hits = offered[:, wanted]
            out["support_type"] = hits.sum(axis=1) / wanted.sum()
            out["type_any"] = hits.any(axis=1).astype(float)
            out["type_sim"] = (vecs @ types[wanted].T).max(axis=1)
        return out

    def _not_support(self, snap: Snapshot, rows: np.ndarray) -> np.ndarray:
        """support_types.not_support of the rows' texts, remembered per row of this snapshot: a regex
        pass over 200 candidates costs ~3 ms a match, the lookup nothing (two matches writing the
        same row write the same value)."""
        held = self._not_support_rows
        if held is None or held[0] is not snap:
            held = self._not_support_rows = (snap, np.full(len(snap), -1, dtype=np.int8))
        known = held[1]
        todo = rows[known[rows] < 0]
        if len(todo):
            known[todo] = support_types.not_support([snap.texts[r] for r in todo])
        return known[rows].astype(float)

    @staticmethod
    def _distances(snap: Snapshot, rows: np.ndarray, point) -> np.ndarray:
        """km from the person to each row's venue (NaN without a location or a venue); rows only."""
        if point is None or len(rows) == 0:
            return np.full(len(rows), np.nan)
        return haversine_km(point[0], point[1], np.degrees(snap.lat[rows]), np.degrees(snap.lon[rows]))

    def _result(self, state: _Prepared, profile: NeedsProfile, point, row: int, res: Resource, rank: int,
                score: float, scored: bool, weights: np.ndarray, person_types: dict | None = None) -> Result:
        snap = state.snapshot
        exact = None
        if point is not None and res.latitude is not None:
            exact = float(haversine_km(point[0], point[1], res.latitude, res.longitude))
        dist = None if exact is None else round(exact, 1)
        doms = [d for j, d in enumerate(DOMAINS) if snap.domains[row, j]]
        met = [d for d in ranking.needs_in_order(weights) if snap.domains[row, DOMAINS.index(d)]]
        why = reasons.reasons_for(res, profile, met, bool(snap.domains_inferred[row]), exact, scored,
                                  person_types)
        return Result(res.id, rank, round(score, 4), res.name, dist, doms, met, list(res.delivery), why, res)

    def _near_misses(self, state: _Prepared, profile: NeedsProfile, point, elig, mask: np.ndarray, query, text,
                     weights) -> list[NearMiss]:
        rows, rel = self._score(state, profile, point, elig, mask, query, text, weights)
        if len(rows) == 0:
            return []
        first = elig.first_broken
        out = []
        best = [int(rows[p]) for p in np.argsort(-rel, kind="stable")[:NEAR_MISSES]]
        for row, res in zip(best, state.snapshot.resources.many(best), strict=True):
            rule = constraints.RULES[int(first[row])]
            out.append(NearMiss(res.id, res.name, rule, constraints.break_detail(rule, res, profile, point), res))
        return out
