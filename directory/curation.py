"""The curator's work on the directory, as plain functions the app, the CLI and tests share.

Every action takes `(store, user, ...)`, checks the user's permission first (raising
`accounts.PermissionDenied`), validates exactly as an import does (a form is a contract CSV row of
strings, `records.resource_from_row`), writes with the version the curator read (a stale write is a
`store.ConflictError`, nothing changed) and records the curator's username in the audit trail.
The queries (stale listings, filters, coverage of needs × language × area) need no permission:
the pages that show them check `browse` before they call.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import importer, matched_tags
from .accounts import User
from .import_plan import import_plan
from .languages import language_name
from .matched_tags import Tags
from .postcodes import postcode_district
from .records import (
    CSV_COLUMNS,
    DOMAINS,
    InputError,
    Loaded,
    Resource,
    ValidationIssue,
    resource_from_row,
    resource_to_row,
)
from .store import AuditEntry, ConflictError, ImportSummary, Store, StoredResource, content_hash
from .vocabulary import DELIVERY_WORDS

STALE_MONTHS = 12  # the issue's rule: not verified in the last 12 months is stale
REMOTE_AREA = "phone/online"
NO_AREA = "no postcode"
NOT_STATED = "not stated"


# ---- forms and listings ----------------------------------------------------------------------------
def listing_fields(resource: Resource) -> dict[str, str]:
    """A listing as the strings of its contract CSV row: what an edit form starts from."""
    return {k: v for k, v in resource_to_row(resource).items() if k in CSV_COLUMNS}


def validate_fields(fields: dict[str, Any], extra: dict[str, str] | None = None) -> Resource:
    """A form's values (contract CSV columns as strings) → a listing, or InputError naming each column.

    The same function validates a spreadsheet row on import, so a form accepts exactly what an
    import accepts and reports it the same way.
    """
    row = {k: "" if v is None else str(v) for k, v in fields.items() if k in CSV_COLUMNS}
    for key, value in (extra or {}).items():
        row.setdefault(key, value)
    resource, issues = resource_from_row(row, None)
    if resource is None:
        raise InputError(issues)
    return resource


def new_listing_id(store: Store | Iterable[Any], name: str) -> str:
    """A stable, unused id from a listing's name: 'Govan Lunch Club' → 'govan-lunch-club' (then '-2', ...)."""
    base = "-".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                                .decode().casefold()))[:60].strip("-") or "listing"
    taken = {_res(s).id.casefold() for s in _stored(store)}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def add_listing(store: Store, user: User, fields: dict[str, Any]) -> StoredResource:
    user.require("edit")
    if not str(fields.get("id") or "").strip():  # the curator need not invent one
        fields = {**fields, "id": new_listing_id(store, str(fields.get("name") or ""))}
    resource = validate_fields(fields)
    try:
        store.get(resource.id)
    except KeyError:
        return store.create(resource, actor=user.username)
    raise InputError([ValidationIssue(None, "id", f"a listing with id {resource.id} already exists; choose another id")])


def edit_listing(store: Store, user: User, resource_id: str, fields: dict[str, Any],
                 expected_version: int) -> StoredResource:
    """Replace a listing with the form's values, if it is still at `expected_version`.

    Columns the form does not show (a publisher's extra columns, support types when the form has no
    such field) are kept as they were.
    """
    user.require("edit")
    current = store.get(resource_id)
    kept = {k: v for k, v in listing_fields(current.resource).items() if k == "support_types"}
    fields = {**kept, **fields, "id": resource_id}
    resource = validate_fields(fields, extra=current.resource.extra)
    return store.update(resource, expected_version, actor=user.username)


def reapply_edit(base: dict[str, str], mine: dict[str, str],
                 latest: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """A curator's edit refused by a conflict, re-applied on top of the latest version.

    `base` is the form as she opened it, `mine` the form as she typed it, `latest` the listing as
    saved now (all the same shape: form values). The fields she changed take her values; the fields
    she left alone take the latest values, so the other curator's changes are kept rather than
    silently reverted. Returns the merged values and the fields both changed to different values
    (hers win in the merge; the page shows them so she can check before saving).
    """
    merged = dict(latest)
    clashes = []
    for key, value in mine.items():
        before = base.get(key, "")
        if value == before:
            continue
        if latest.get(key, "") not in (before, value):
            clashes.append(key)
        merged[key] = value
    return merged, clashes


def verify_listing(store: Store, user: User, resource_id: str, expected_version: int,
                   today: dt.date | None = None) -> StoredResource:
    user.require("edit")
    return store.verify(resource_id, expected_version, actor=user.username, on=today or dt.date.today())


def retire_listing(store: Store, user: User, resource_id: str, expected_version: int,
                   reason: str = "") -> StoredResource:
    """Mark a listing inactive: it stays in the directory and its history, never deleted. The curator's
    reason (e.g. 'the group stopped meeting in March') is kept in the audit trail."""
    user.require("edit")
    return store.retire(resource_id, expected_version, actor=user.username, reason=" ".join(reason.split()))


def verify_listings(store: Store, user: User, versions: dict[str, int],
                    today: dt.date | None = None) -> tuple[list[str], list[str]]:
    """Mark several listings verified (id → the version the curator saw), each its own change.
    Returns the ids verified and the ids changed by someone else meanwhile (left as they are)."""
    user.require("edit")
    done, conflicts = [], []
    for rid, version in versions.items():
        try:
            verify_listing(store, user, rid, version, today)
        except ConflictError:
            conflicts.append(rid)
        else:
            done.append(rid)
    return done, conflicts


def reactivate_listing(store: Store, user: User, resource_id: str, expected_version: int) -> StoredResource:
    user.require("edit")
    return store.reactivate(resource_id, expected_version, actor=user.username)


# ---- duplicates ------------------------------------------------------------------------------------
NOT_DUPLICATE = "not-duplicate"  # the audit action that remembers a dismissed pair


def merge_duplicate(store: Store, user: User, keep_id: str, retire_id: str, expected_version: int) -> StoredResource:
    """Two listings of one service: keep one, retire the other (at the version the curator saw), the
    reason naming the one kept in the audit trail. Its details can then be copied by an edit if needed."""
    user.require("edit")
    store.get(keep_id)  # the kept listing must exist
    return retire_listing(store, user, retire_id, expected_version, reason=f"duplicate of {keep_id}")


def dismiss_duplicate(store: Store, user: User, a: str, b: str) -> None:
    """Two listings the curator says are different services: remembered in the audit trail of both."""
    user.require("edit")
    store.note(a, NOT_DUPLICATE, {"not_duplicate_of": [None, b]}, actor=user.username)
    store.note(b, NOT_DUPLICATE, {"not_duplicate_of": [None, a]}, actor=user.username)


def dismissed_pairs(store: Store) -> set[frozenset[str]]:
    return {frozenset((e.resource_id, e.changes["not_duplicate_of"][1])) for e in store.history()
            if e.action == NOT_DUPLICATE and "not_duplicate_of" in e.changes}


# ---- import and export ------------------------------------------------------------------------------
def read_upload(data: bytes, filename: str) -> Loaded:
    """Validate an uploaded file (CSV, HSDS JSON, zipped HSDS datapackage); InputError lists every
    problem. The listings carry the warnings to show before the import is confirmed."""
    return importer.load_bytes(data, filename)


def import_preview(store: Store, resources: Sequence[Resource]) -> ImportSummary:  # kept for callers of ids only
    """What an import would do, without doing it: ids to add, to update and left unchanged."""
    current = {s.id: s.content_hash for s in store.list()}
    summary = ImportSummary()
    for r in resources:
        if r.id not in current:
            summary.added.append(r.id)
        elif current[r.id] != content_hash(r):
            summary.updated.append(r.id)
        else:
            summary.unchanged.append(r.id)
    return summary


def import_listings(store: Store, user: User, source: Sequence[Resource] | tuple[bytes, str], *,
                    skip_older: bool = True) -> ImportSummary:
    """Import validated listings, or the bytes of a file (`(data, filename)`): all rows or none.

    With `skip_older` (the default) rows older than what the directory holds (`import_plan.import_plan`:
    an earlier `last_verified`, or undoing a newer edit) are left out and listed in `summary.skipped`.
    """
    user.require("import")
    if isinstance(source, tuple) and len(source) == 2 and isinstance(source[0], bytes | bytearray):
        resources = list(read_upload(bytes(source[0]), str(source[1])))
    else:
        resources = list(source)
    skipped: list[str] = []
    if skip_older:
        skipped = import_plan(store, resources).older
        resources = [r for r in resources if r.id not in set(skipped)]
    summary = store.import_resources(resources, actor=user.username)
    summary.skipped = skipped
    return summary


def export_csv(store: Store, user: User) -> bytes:
    from .csv_io import to_csv_text

    user.require("export")
    return to_csv_text(store.resources()).encode("utf-8")


def export_hsds(store: Store, user: User) -> bytes:
    """The whole directory as one Open Referral HSDS 3.0 JSON file."""
    from . import hsds

    user.require("export")
    resources = store.resources()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "directory.json"
        hsds.write_json(resources, path)
        if path.is_dir():  # a writer that produces a folder: hand back its main file
            path = next(path.glob("*.json"))
        return path.read_bytes()


# ---- history ----------------------------------------------------------------------------------------
def _short(value: Any, width: int = 400) -> str:
    if value is None or value == "" or value == []:
        return "(blank)"
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_changes(entry: AuditEntry) -> str:
    """One line per changed field: 'schedule: Mondays 10:00 → Tuesdays 10:00'."""
    if entry.action in ("create", "import") and entry.version == 1:
        return "listing added"
    if entry.action == NOT_DUPLICATE:
        return f"not a duplicate of {entry.changes.get('not_duplicate_of', [None, '?'])[1]}"
    parts = [f"reason: {new}" if k == "reason" else f"{k}: {_short(old)} → {_short(new)}"
             for k, (old, new) in entry.changes.items()]
    return "\n".join(parts) or "no field changed"


def history_rows(store: Store, resource_id: str) -> list[dict[str, Any]]:
    """A listing's change history, newest first, for a table."""
    return [
        {"when": e.at.replace("T", " ").removesuffix("+00:00"), "who": e.actor, "what": e.action,
         "version": e.version, "changes": describe_changes(e)}
        for e in reversed(store.history(resource_id))
    ]


# ---- queries ----------------------------------------------------------------------------------------
def _stored(source: Store | Iterable[StoredResource] | Iterable[Resource]) -> list[Any]:
    return source.list() if isinstance(source, Store) else list(source)


def _res(item: Any) -> Resource:
    return item.resource if isinstance(item, StoredResource) else item


def area_of(resource: Resource) -> str:
    """The listing's area: the postcode district it meets in, 'phone/online' when it has no venue."""
    if "in_person" not in resource.delivery:
        return REMOTE_AREA
    return postcode_district(resource.postcode) or NO_AREA


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dt.date(y, m, min(day.day, last[m - 1]))


def is_stale(resource: Resource, today: dt.date | None = None, months: int = STALE_MONTHS) -> bool:
    """Not verified within `months` before `today` (never verified counts as stale)."""
    today = today or dt.date.today()
    return resource.last_verified is None or resource.last_verified < _months_before(today, months)


def stale_listings(source: Store | Iterable[Any], today: dt.date | None = None,
                   months: int = STALE_MONTHS) -> list[Any]:
    """Active listings not verified in the last `months` months, longest unverified first."""
    items = [s for s in _stored(source) if _res(s).is_active and is_stale(_res(s), today, months)]
    return sorted(items, key=lambda s: (_res(s).last_verified or dt.date.min, _res(s).id))


def filter_listings(source: Store | Iterable[Any], *, text: str = "", status: str | None = None,
                    domain: str | None = None, language: str | None = None, area: str | None = None,
                    stale: bool = False, today: dt.date | None = None, months: int = STALE_MONTHS,
                    support_type: str | None = None, domains_of: Tags | None = None,
                    types_of: Tags | None = None) -> list[Any]:
    """Listings matching every filter given (None or '' means any). `text` searches names,
    organisations, descriptions, categories, postcodes and ids, case-insensitively. `domain` and
    `support_type` are read as matching reads them when `domains_of` / `types_of` are given (the
    recommender's answers: a curator's tags, else inferred), else from the curator's tags alone."""
    words = text.casefold().split()
    out = []
    for item in _stored(source):
        r = _res(item)
        if status and r.status != status:
            continue
        if domain and domain not in _matched(r.domains, domains_of, r.id):
            continue
        if support_type and support_type not in _matched(r.support_types, types_of, r.id):
            continue
        if language and language not in r.languages:
            continue
        if area and area_of(r) != area:
            continue
        if stale and not (r.is_active and is_stale(r, today, months)):
            continue
        if words:
            hay = " ".join([r.id, r.name, r.organisation, r.description, " ".join(r.categories), r.postcode,
                            r.address]).casefold()
            if not all(w in hay for w in words):
                continue
        out.append(item)
    return out


def _matched(own: Sequence[str], tags: Tags | None, rid: str) -> Sequence[str]:
    return tags[rid][0] if tags is not None and rid in tags else own


def listing_table(items: Iterable[Any], today: dt.date | None = None, *, domains_of: Tags | None = None,
                  types_of: Tags | None = None) -> pd.DataFrame:
    """Listings as a plain table (text only) for browsing. With matching's domains and kinds of support of
    every listing (`Recommender.listing_domains()` / `listing_support_types()`) the table shows those,
    inferred ones marked "inferred:"; without, the curator's own tags."""
    rows = []
    for item in items:
        r = _res(item)
        rows.append({
            "id": r.id, "name": r.name, "organisation": r.organisation, "status": r.status,
            "domains": matched_tags.cell(matched_tags.seen_domains(r, domains_of, heading=False), blank=NOT_STATED),
            "kinds of support": matched_tags.cell(matched_tags.seen_support_types(r, types_of),
                                                  blank="none" if types_of is not None else "inferred when matched"),
            "languages": ", ".join(language_name(c) for c in r.languages),
            "area": area_of(r), "delivery": ", ".join(DELIVERY_WORDS.get(m, m) for m in r.delivery),
            "last verified": r.last_verified.isoformat() if r.last_verified else "never",
            "stale": r.is_active and is_stale(r, today),
        })
    # What it offers next to its name, where a curator sees it without scrolling the table sideways.
    return pd.DataFrame(rows, columns=["id", "name", "kinds of support", "domains", "organisation", "status",
                                       "languages", "area", "delivery", "last verified", "stale"])


def coverage(source: Store | Iterable[Any],
             infer: Callable[[list[Resource]], list[list[str]]] | None = None,
             domains_of: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Active listings counted by needs domain × language × area, zeros included.

    Columns: domain, language, area, listings. Every combination of the eight domains, the
    languages and the areas the directory knows appears, so a zero is a visible gap. A listing
    is counted under the domains `domains_of` gives it (matching's own domains of every listing,
    `Recommender.listing_domains()`, so that Gaps and Find support agree on what a listing serves);
    without that, a listing without domains is counted under the domains `infer` gives it, else under
    'not stated'.
    """
    active = [_res(s) for s in _stored(source) if _res(s).is_active]
    blank = [r for r in active if not r.domains]
    inferred: dict[str, list[str]] = {}
    if domains_of is not None:
        inferred = {r.id: list(domains_of.get(r.id) or r.domains) for r in active}
    elif infer is not None and blank:
        inferred = {r.id: list(d) for r, d in zip(blank, infer(blank), strict=True)}
    counts: dict[tuple[str, str, str], int] = {}
    languages: set[str] = set()
    areas: set[str] = set()
    any_not_stated = False
    for r in active:
        first = inferred.get(r.id) if domains_of is not None else None  # matching's answer wins
        doms = first or r.domains or inferred.get(r.id) or [NOT_STATED]
        any_not_stated |= doms == [NOT_STATED]
        area = area_of(r)
        areas.add(area)
        languages.update(r.languages)
        for d in doms:
            for lang in r.languages:
                counts[(d, lang, area)] = counts.get((d, lang, area), 0) + 1
    domains = list(DOMAINS) + ([NOT_STATED] if any_not_stated else [])
    rows = [(d, lang, a, counts.get((d, lang, a), 0))
            for d in domains for lang in sorted(languages) for a in sorted(areas)]
    return pd.DataFrame(rows, columns=["domain", "language", "area", "listings"])
