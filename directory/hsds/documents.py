"""HSDS JSON documents and the services they hold: a service, an organization with its services,
a service_at_location, a list of any of these, an API page ({"contents": [...]}), or tabular JSON
({"services.csv": [...]}); anything else is told apart by kind (a taxonomy, a JSON Schema...)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..inputs import MAX_IMPORT_BYTES, read_bounded
from ..records import InputError, Loaded, ValidationIssue
from . import strict_json
from .datapackage import tabular_json
from .mapping import Service, listings, nothing
from .values import Issues, items, scalar_text

SERVICE_KEYS = {
    "status", "service_at_locations", "organization", "organization_id", "program_id",
    "interpretation_services", "application_process", "fees_description", "fees",
    "eligibility_description", "minimum_age", "maximum_age", "cost_options", "assured_date",
    "service_areas", "required_documents", "alert", "wait_time",
}
_ORG_KEYS = {"website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
             "parent_organization_id", "organization_identifiers", "programs"}
# What a JSON object is, in words (one, several); the last four kinds are not HSDS data at all.
_KIND_WORDS = {
    "service": ("an HSDS service", "HSDS services"),
    "location": ("an HSDS location", "HSDS locations"),
    "taxonomy_term": ("an HSDS taxonomy term", "HSDS taxonomy terms"),
    "taxonomy": ("an HSDS taxonomy", "HSDS taxonomies"),
    "base": ("HSDS API metadata", "HSDS API metadata"),
    "organization": ("an HSDS organization", "HSDS organizations"),
    "service_at_location": ("an HSDS service_at_location without its service",
                            "HSDS service_at_locations without their services"),
    "schema": ("a JSON Schema (the shape of HSDS data, not data)", "JSON Schemas"),
    "openapi": ("an OpenAPI description (of an HSDS API, not data)", "OpenAPI descriptions"),
    "unknown": ("an object that is no HSDS object Signpost knows", "objects that are no HSDS objects Signpost knows"),
    "not-object": ("a JSON value that is not an object", "JSON values that are not objects"),
}
_NOT_HSDS = {"schema", "openapi", "unknown", "not-object"}
_PLURAL = {"service": "services", "organization": "organizations", "service_at_location": "service_at_locations"}


def _kind_words(kinds: list[str]) -> str:
    counts = dict.fromkeys(kinds, 0)
    for kind in kinds:
        counts[kind] += 1
    words = [_KIND_WORDS[k][0 if n == 1 else 1] for k, n in counts.items()]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def _kind(obj: Any) -> str:
    if not isinstance(obj, dict):
        return "not-object"
    if isinstance(obj.get("properties"), dict) and {"$schema", "datapackage_metadata", "type"} & obj.keys():
        return "schema"
    if "openapi" in obj and "paths" in obj:
        return "openapi"
    if isinstance(obj.get("service"), dict):
        return "service_at_location"
    if isinstance(obj.get("services"), list):
        return "organization"
    if SERVICE_KEYS & obj.keys():
        return "service"
    if _ORG_KEYS & obj.keys():
        return "organization"
    if {"location_type", "latitude", "longitude", "addresses", "accessibility"} & obj.keys():
        return "location"
    if "location" in obj and "name" not in obj:
        return "service_at_location"
    if {"parent_id", "taxonomy", "term_uri", "taxonomy_detail", "code"} & obj.keys():
        return "taxonomy_term"
    if {"version", "uri"} & obj.keys() and "name" in obj:
        return "taxonomy"
    if {"openapi_url", "profile"} & obj.keys():
        return "base"
    if "name" in obj:
        return "service"
    return "unknown"


def _is_tabular(doc: Any) -> bool:
    return isinstance(doc, dict) and bool(doc) and all(k.endswith(".csv") and isinstance(v, list) for k, v in doc.items())


def json_path(doc: Any, parts: strict_json.Parts) -> str:
    """A place in the document, named as the issues of its services name it (`services[3]`,
    `service.organization`, `contents[0].location`, `services.csv[2]`)."""
    if isinstance(doc, list) and parts and isinstance(parts[0], int):
        return strict_json.path_text(parts[1:], f"{_PLURAL.get(_kind(doc[parts[0]]), 'items')}[{parts[0]}]")
    if isinstance(doc, dict) and not _is_tabular(doc) and not isinstance(doc.get("contents"), list):
        kind = _kind(doc)
        return strict_json.path_text(parts, kind if kind in _PLURAL else "")
    return strict_json.path_text(parts)


class _Found:
    """The services of a document as they are met, and the kinds of everything met."""

    def __init__(self) -> None:
        self.services: list[Service] = []
        self.by_id: dict[str, Service] = {}  # services met through their service_at_locations
        self.kinds: list[str] = []

    def add(self, obj: Any, path: str, kind: str, issues: Issues) -> None:
        self.kinds.append(kind)
        if kind == "service":
            self.services.append(Service(obj, path))
        elif kind == "organization":
            for svc, spath in items(obj, "services", path, issues):
                self.services.append(Service(svc, spath, org=obj, org_path=path))
        elif kind == "service_at_location":
            self._add_service_at_location(obj, path)
        elif kind == "not-object":
            issues.append(ValidationIssue(path, None, "is not an object: expected an HSDS service, organization or "
                                                      "service_at_location"))

    def _add_service_at_location(self, obj: dict, path: str) -> None:
        svc = obj.get("service")
        if not isinstance(svc, dict):
            return
        sal = {k: v for k, v in obj.items() if k != "service"}
        sid = scalar_text(svc.get("id"))
        if sid and sid in self.by_id:  # another place of a service already met: one service, several places
            self.by_id[sid].sals.append((sal, path))
            return
        record = Service(svc, f"{path}.service", sals=[(sal, path)])
        self.services.append(record)
        if sid:
            self.by_id[sid] = record


def _top_items(doc: Any, source: str, issues: Issues) -> tuple[list[tuple[Any, str]], bool] | None:
    """The objects a document lists (and whether it is a list), or None when it holds none."""
    if isinstance(doc, dict) and isinstance(doc.get("contents"), list):
        return [(item, f"contents[{i}]") for i, item in enumerate(doc["contents"])], True
    if isinstance(doc, dict):
        return [(doc, "")], False
    if isinstance(doc, list):
        return [(item, f"[{i}]") for i, item in enumerate(doc)], True
    issues.append(ValidationIssue(None, None, f"{source} holds a JSON {type(doc).__name__}, not HSDS objects"))
    return None


def _json_services(doc: Any, source: str, issues: Issues) -> tuple[list[Service], str]:
    """The services a JSON document holds; when it is valid HSDS without any, also what it holds."""
    if _is_tabular(doc):
        return tabular_json(doc, issues), f"HSDS tables ({', '.join(doc)})"
    top = _top_items(doc, source, issues)
    if top is None:
        return [], ""
    found, strangers = _Found(), []
    listed = top[1]
    for item, path in top[0]:
        kind = _kind(item)
        if not listed:
            path = kind if kind in _PLURAL else ""
        elif path.startswith("["):
            path = f"{_PLURAL.get(kind, 'items')}{path}"
        found.add(item, path, kind, issues)
        if not listed and kind in _NOT_HSDS:
            issues.append(ValidationIssue(None, None, f"{source} is not HSDS data: it holds {_kind_words([kind])}; "
                                                      "import a file of HSDS services, organizations with their "
                                                      "services, or service_at_location objects"))
        elif kind in _NOT_HSDS - {"not-object"}:  # not-object: reported by _Found.add
            issues.append(ValidationIssue(path, None, f"is {_kind_words([kind])}, not HSDS data"))
        elif listed and kind not in ("service", "organization", "service_at_location"):
            strangers.append(ValidationIssue(path, None, f"is {_kind_words([kind])}, not a service, organization "
                                                         "or service_at_location"))
    if found.services:  # a list of services with other HSDS objects among them
        issues.extend(strangers)
        return found.services, ""
    if not found.kinds:
        return found.services, "an empty page" if isinstance(doc, dict) else "an empty list"
    return found.services, _kind_words(found.kinds)


def parse_json_bytes(data: bytes, source: str) -> Loaded:
    """The listings of an HSDS 3.0 JSON document held in memory (an upload), with their warnings."""
    if not data.strip():
        raise InputError([ValidationIssue(None, None, f"{source} is empty: no services")])
    text = strict_json.decode(data, source)
    if not text.strip():
        raise InputError([ValidationIssue(None, None, f"{source} is empty: no services")])
    doc = strict_json.loads(text, source, json_path)
    issues: Issues = []
    services, holds = _json_services(doc, source, issues)
    if not services and not issues:
        return nothing(source, holds)
    return listings(services, issues)


def read_json(path: str | os.PathLike) -> Loaded:
    """The listings of an HSDS 3.0 JSON file: a service, an organization with its services, a
    service_at_location, a list of any of these, or an API page ({"contents": [...]})."""
    path = Path(path)
    return parse_json_bytes(read_bounded(path, MAX_IMPORT_BYTES, "HSDS file"), path.name)
