"""What an import would change, field by field, and which rows are older than the directory.

An older export re-imported must not silently undo a colleague's newer edit. The export format (the
public contract CSV) carries no version column, so a row is judged against the database itself:
it is *older than the directory* when its `last_verified` is earlier than the stored one, or when a
field it would change goes back to a value the audit trail shows was later changed by someone
(an undo of a newer edit). Such rows are skipped by default; the curator can choose to import them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .records import Resource
from .store import AuditEntry, Store, content_hash


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class PlannedRow:
    id: str
    name: str
    action: str  # "add", "update" or "unchanged"
    changes: list[FieldChange] = field(default_factory=list)
    older: list[str] = field(default_factory=list)  # why the row is older than the directory; empty if not


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    def _ids(self, action: str) -> list[str]:
        return [r.id for r in self.rows if r.action == action]

    @property
    def added(self) -> list[str]:
        return self._ids("add")

    @property
    def updated(self) -> list[str]:
        return self._ids("update")

    @property
    def unchanged(self) -> list[str]:
        return self._ids("unchanged")

    @property
    def older(self) -> list[str]:
        return [r.id for r in self.rows if r.older]

    def changed(self, skip_older: bool = True) -> bool:
        return any(r.action != "unchanged" and not (skip_older and r.older) for r in self.rows)


def _undone(field_name: str, new: Any, history: Sequence[AuditEntry]) -> AuditEntry | None:
    """The latest change in the history that moved `field_name` away from `new`: what the row would undo."""
    for entry in reversed(history):
        old_new = entry.changes.get(field_name)
        if entry.version > 1 and old_new is not None and old_new[0] == new and old_new[1] != new:
            return entry
    return None


def _older_reasons(incoming: Resource, stored: Resource, changes: list[FieldChange],
                   history: Sequence[AuditEntry]) -> list[str]:
    out = []
    if incoming.last_verified and stored.last_verified and incoming.last_verified < stored.last_verified:
        out.append(f"verified {incoming.last_verified.isoformat()} in the file, "
                   f"{stored.last_verified.isoformat()} in the directory")
    for change in changes:
        if change.field == "last_verified":
            continue
        entry = _undone(change.field, change.new, history)
        if entry is not None:
            out.append(f"would undo {entry.actor}'s change of {change.field} on {entry.at[:10]}")
    return out


def import_plan(store: Store, resources: Sequence[Resource]) -> ImportPlan:
    """Per listing: added, updated (with every field's old and new value) or unchanged, and whether the
    row is older than what the directory holds. Nothing is written."""
    current = {s.id: s for s in store.list()}
    history: dict[str, list[AuditEntry]] = {}
    for entry in store.history():
        history.setdefault(entry.resource_id, []).append(entry)
    rows = []
    for r in resources:
        stored = current.get(r.id)
        if stored is None:
            rows.append(PlannedRow(r.id, r.name, "add"))
            continue
        if stored.content_hash == content_hash(r):
            rows.append(PlannedRow(r.id, r.name, "unchanged"))
            continue
        old, new = stored.resource.content(), r.content()
        changes = [FieldChange(k, old.get(k), new.get(k)) for k in new if old.get(k) != new.get(k)]
        rows.append(PlannedRow(r.id, r.name, "update", changes,
                               _older_reasons(r, stored.resource, changes, history.get(r.id, []))))
    return ImportPlan(rows)


def shown(value: Any) -> str:
    """A field's value as a table cell: lists joined, blanks said."""
    if value is None or value == "" or value == [] or value == {}:
        return "(blank)"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def change_rows(plan: ImportPlan) -> list[dict[str, str]]:
    """Every field an import would change, one row each, for a table: listing, field, now, after."""
    return [{"listing": f"{r.id} · {r.name}", "field": c.field, "in the directory now": shown(c.old),
             "in the file": shown(c.new), "older than the directory": "yes" if r.older else ""}
            for r in plan.rows if r.action == "update" for c in r.changes]
