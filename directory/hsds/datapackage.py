"""HSDS CSV datapackages (3.0 tabular, 1.1/2.0) and tabular JSON: the tables read, then joined
into the objects of each service (its locations, phones, schedules, attributes...)."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from pathlib import Path, PurePosixPath

from ..inputs import MAX_IMPORT_BYTES, MB, read_bounded
from ..records import InputError, Loaded, ValidationIssue
from . import strict_json
from .mapping import Service, listings, nothing
from .schedules import weekday_code
from .values import Issues, Row, scalar_text

Tables = dict[str, list[Row]]

_V3_FILES = {"service_at_location.csv", "addresses.csv", "schedules.csv", "cost_options.csv",
             "accessibility.csv", "attributes.csv", "taxonomy_terms.csv"}
_V1_FILES = {"services_at_location.csv", "physical_addresses.csv", "postal_addresses.csv",
             "regular_schedules.csv", "holiday_schedules.csv", "accessibility_for_disabilities.csv",
             "eligibility.csv", "payments_accepted.csv", "services_taxonomy.csv"}
# Tables of HSDS datapackages (3.0, 2.0, 1.1) other than services.csv: a package of these alone
# (taxonomies, organizations, locations) is valid HSDS with nothing to import.
_HSDS_TABLES = _V3_FILES | _V1_FILES | {
    "organizations.csv", "locations.csv", "phones.csv", "contacts.csv", "languages.csv", "programs.csv",
    "funding.csv", "service_areas.csv", "required_documents.csv", "metadata.csv", "meta_table_descriptions.csv",
    "taxonomies.csv", "taxonomy.csv", "organization_identifiers.csv", "service_attributes.csv",
    "other_attributes.csv", "location_attributes.csv",
}


# ---- reading ---------------------------------------------------------------------------------------
def _read_table(name: str, data: bytes, issues: Issues) -> list[Row]:
    try:
        text = strict_json.decode(data, name)
    except InputError as err:
        issues.extend(err.issues)
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as err:
        issues.append(ValidationIssue(f"{name} row 1", None, f"the header cannot be read as CSV: {err}"))
        return []
    for col in {h for h in header if header.count(h) > 1}:
        issues.append(ValidationIssue(f"{name} row 1", col, "appears twice in the header"))
    reader.fieldnames = header
    rows: list[Row] = []
    record = 1
    try:
        for row in reader:
            record += 1
            if None in row:
                issues.append(ValidationIssue(f"{name} row {record}", None, "has more cells than the header has columns"))
            cells = {k: (v or "") for k, v in row.items() if k is not None}
            if all(not v.strip() for v in cells.values()):
                continue
            rows.append(Row(cells, f"{name} row {record}"))
    except csv.Error as err:
        issues.append(ValidationIssue(f"{name} row {record + 1}", None, f"cannot be read as CSV: {err}"))
    return rows


def _package_names(files: dict[str, bytes]) -> set[str]:
    """The table names datapackage.json lists. Its JSON is read strictly (a key given twice is an
    error) but a stub or junk there is passed over: HSDS 3.0's own example ships one."""
    if "datapackage.json" not in files:
        return set()
    try:
        package = strict_json.loads(strict_json.decode(files["datapackage.json"], "datapackage.json"),
                                    "datapackage.json",
                                    lambda doc, parts: f"datapackage.json {strict_json.path_text(parts)}".strip())
    except strict_json.DuplicateKeys:
        raise
    except InputError:
        return set()
    resources = package.get("resources", []) if isinstance(package, dict) else []
    if not isinstance(resources, list):
        return set()
    return {PurePosixPath(scalar_text(r.get("path"))).name for r in resources if isinstance(r, dict)}


def _version(names: set[str], tables: Tables) -> str:
    """'3.0' or '1.1' (2.0 reads as 1.1), by the tables a package has and its datapackage.json lists."""
    v3, v1 = len(names & _V3_FILES), len(names & _V1_FILES)
    if v3 != v1:
        return "3.0" if v3 > v1 else "1.1"
    header = set(tables["services.csv"][0]) if tables.get("services.csv") else set()
    return "1.1" if "taxonomy_ids" in header and "minimum_age" not in header else "3.0"


# ---- joins -----------------------------------------------------------------------------------------
def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        value = scalar_text(row.get(key))
        if value:
            out[value].append(row)
    return out


def _by_id(rows: list[Row], *lists: str) -> dict[str, Row]:
    """Rows by id, each given the (empty) lists other tables will be joined into."""
    return {scalar_text(r.get("id")): Row({**r, **{k: [] for k in lists}}, r.where) for r in rows}


def _join_to_locations(t: Tables, v3: bool, locations: dict[str, Row]) -> None:
    """Addresses (1.1: physical and postal tables) and accessibility rows into their locations."""
    address_tables = [("addresses.csv", None)] if v3 else [("physical_addresses.csv", "physical"),
                                                          ("postal_addresses.csv", "postal")]
    for table, atype in address_tables:
        for r in t.get(table, []):
            loc = locations.get(scalar_text(r.get("location_id")))
            if loc is not None:
                loc["addresses"].append(Row({**r, "address_type": atype or scalar_text(r.get("address_type"))}, r.where))
    for r in t.get("accessibility.csv" if v3 else "accessibility_for_disabilities.csv", []):
        loc = locations.get(scalar_text(r.get("location_id")))
        if loc is not None:
            words = scalar_text(r.get("accessibility")).replace("_", " ")
            loc["accessibility"].append(Row({"description": " ".join(x for x in (words, scalar_text(r.get("description")))
                                                                     if x),
                                             "details": scalar_text(r.get("details"))}, r.where))


def _join_languages(t: Tables, services: dict[str, Row], locations: dict[str, Row]) -> None:
    for r in t.get("languages.csv", []):
        sid = scalar_text(r.get("service_id"))
        owner = services.get(sid) or (None if sid else locations.get(scalar_text(r.get("location_id"))))
        if owner is not None:
            owner["languages"].append(r)


def _service_at_locations(t: Tables, v3: bool, services: dict[str, Row], locations: dict[str, Row],
                          issues: Issues) -> dict[str, Row]:
    """service_at_location rows, their location joined in; a reference to no row is an issue."""
    sals = {}
    for r in t.get("service_at_location.csv" if v3 else "services_at_location.csv", []):
        sal = Row({**r, "phones": [], "schedules": []}, r.where)
        loc_id = scalar_text(r.get("location_id"))
        if loc_id and loc_id not in locations:
            issues.append(ValidationIssue(r.where, "location_id", f"refers to location '{loc_id}', which locations.csv "
                                                                  "does not have"))
        sal["location"] = locations.get(loc_id)
        sid = scalar_text(r.get("service_id"))
        if sid not in services:
            issues.append(ValidationIssue(r.where, "service_id", f"refers to service '{sid}', which services.csv does "
                                                                 f"not have"))
        sals[scalar_text(r.get("id")) or r.where] = sal
    return sals


def _join_phones_and_schedules(t: Tables, v3: bool, owners: dict[str, dict[str, Row]]) -> None:
    for r in t.get("phones.csv", []):
        for key in ("service_id", "service_at_location_id", "organization_id", "location_id"):
            owner = owners[key].get(scalar_text(r.get(key)))
            if owner is not None:
                owner["phones"].append(r)
    services, sals = owners["service_id"], owners["service_at_location_id"]
    schedule_rows = t.get("schedules.csv", []) if v3 else [
        Row({**r, "byday": weekday_code(scalar_text(r.get("weekday")))}, r.where) for r in t.get("regular_schedules.csv", [])]
    for r in schedule_rows:
        sal = sals.get(scalar_text(r.get("service_at_location_id")))
        if sal is not None:
            sal["schedules"].append(r)
        elif scalar_text(r.get("service_id")) in services:
            services[scalar_text(r.get("service_id"))]["schedules"].append(r)


def _join_to_services(t: Tables, services: dict[str, Row]) -> None:
    """Cost options, contacts and metadata rows into their services."""
    for table, key, field in (("cost_options.csv", "service_id", "cost_options"),
                              ("contacts.csv", "service_id", "contacts"),
                              ("metadata.csv", "resource_id", "metadata")):
        for r in t.get(table, []):
            if scalar_text(r.get(key)) in services:
                services[scalar_text(r.get(key))][field].append(r)


def _join_attributes_3_0(t: Tables, services: dict[str, Row]) -> None:
    """attributes.csv rows linked to a service, with their taxonomy term and its taxonomy's name."""
    taxonomies = _by_id(t.get("taxonomies.csv", []))
    terms = _by_id(t.get("taxonomy_terms.csv", []))
    for r in t.get("attributes.csv", []):
        svc = services.get(scalar_text(r.get("link_id")))
        term = terms.get(scalar_text(r.get("taxonomy_term_id")))
        if svc is None or term is None or scalar_text(r.get("link_entity")).lower() not in ("", "service"):
            continue
        taxonomy = scalar_text(term.get("taxonomy")) or scalar_text(
            taxonomies.get(scalar_text(term.get("taxonomy_id")), {}).get("name"))
        svc["attributes"].append(Row({"value": r.get("value"), "taxonomy_term": {**term, "taxonomy": taxonomy}}, r.where))


def _join_taxonomy_1_1(t: Tables, services: dict[str, Row]) -> None:
    """taxonomy.csv terms linked by services_taxonomy.csv or a service's taxonomy_ids, as attributes."""
    vocabulary = _by_id(t.get("taxonomy.csv", []))
    links = [(scalar_text(r.get("service_id")), scalar_text(r.get("taxonomy_id")), r.where)
             for r in t.get("services_taxonomy.csv", [])]
    links += [(sid, tid.strip(), svc.where) for sid, svc in services.items()
              for tid in scalar_text(svc.get("taxonomy_ids")).split(",") if tid.strip()]
    for sid, tid, where in links:
        if sid in services and tid in vocabulary:
            term = vocabulary[tid]
            services[sid]["attributes"].append(Row({"taxonomy_term": {
                "name": scalar_text(term.get("name")), "taxonomy": scalar_text(term.get("vocabulary"))}}, where))


def services_from_tables(t: Tables, version: str, issues: Issues) -> list[Service]:
    """Every row of services.csv as a service with its joined objects (in table order)."""
    v3 = version == "3.0"
    orgs = _by_id(t.get("organizations.csv", []), "phones")
    locations = _by_id(t.get("locations.csv", []), "addresses", "accessibility", "languages", "phones")
    services = _by_id(t.get("services.csv", []), "phones", "languages", "schedules", "cost_options", "attributes",
                      "contacts", "metadata")
    _join_to_locations(t, v3, locations)
    _join_languages(t, services, locations)
    sals = _service_at_locations(t, v3, services, locations, issues)
    _join_phones_and_schedules(t, v3, {"service_id": services, "service_at_location_id": sals,
                                       "organization_id": orgs, "location_id": locations})
    _join_to_services(t, services)
    (_join_attributes_3_0 if v3 else _join_taxonomy_1_1)(t, services)
    eligibility = _by(t.get("eligibility.csv", []), "service_id")
    sals_of = defaultdict(list)
    for sal in sals.values():
        sals_of[scalar_text(sal.get("service_id"))].append((sal, sal.where))
    out = []
    for sid, svc in services.items():
        org_id = scalar_text(svc.get("organization_id"))
        if org_id and org_id not in orgs:
            issues.append(ValidationIssue(svc.where, "organization_id", f"refers to organization '{org_id}', which "
                                                                        "organizations.csv does not have"))
        org = orgs.get(org_id)
        out.append(Service(svc, svc.where, org=org, org_path=org.where if org is not None else "",
                           sals=sals_of.get(sid, []), eligibility=eligibility.get(sid, []), english_implied=not v3))
    return out


def tabular_json(doc: dict, issues: Issues) -> list[Service]:
    """HSDS 3.0 tabular data as JSON ({"services.csv": [...], ...}), read like a datapackage."""
    tables = {name: [Row(r, f"{name}[{i}]") for i, r in enumerate(rows) if isinstance(r, dict)]
              for name, rows in doc.items()}
    if not tables.get("services.csv"):
        return []
    return services_from_tables(tables, "3.0", issues)


# ---- packages ----------------------------------------------------------------------------------------
def read_package(files: dict[str, bytes], source: str) -> Loaded:
    """The listings of a datapackage's files (name -> bytes), from a folder or a zip."""
    names = set(files) | _package_names(files)
    if "services.csv" not in files:
        known = sorted(n for n in files if n in _HSDS_TABLES)
        if known and "datapackage.json" in files:
            return nothing(source, f"HSDS tables ({', '.join(known)})")
        raise InputError([ValidationIssue(None, None, f"{source} has no services.csv: not an HSDS datapackage")])
    issues: Issues = []
    tables = {name: _read_table(name, data, issues) for name, data in sorted(files.items()) if name.endswith(".csv")}
    if issues:
        raise InputError(issues)
    if not tables["services.csv"]:
        return nothing(source, message=f"{source}: services.csv has no rows, so no services: nothing to import")
    if "id" not in tables["services.csv"][0]:
        raise InputError([ValidationIssue("services.csv row 1", "id", "required column is missing from the header")])
    services = services_from_tables(tables, _version(names, tables), issues)
    return listings(services, issues)


def package_files(folder: Path) -> dict[str, bytes]:
    """The tables of a datapackage folder, each read through the bounded reader and all together within
    the import limit (a device, a pipe or a file growing while read is refused)."""
    files: dict[str, bytes] = {}
    left = MAX_IMPORT_BYTES
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() == ".csv" or p.name == "datapackage.json":
            try:
                files[p.name] = read_bounded(p, left, "datapackage table")
            except InputError:
                if not (p.is_file() and p.stat().st_size > left):
                    raise  # not too large: unreadable, a device, a pipe
                raise InputError.one(f"{folder.name}: its tables together are more than the "
                                     f"{MAX_IMPORT_BYTES // MB} MB an import may be. Split it into smaller files.") \
                    from None
            left -= len(files[p.name])
    return files


def read_datapackage(folder: str | os.PathLike) -> Loaded:
    """The listings of an HSDS CSV datapackage folder: 3.0 tabular, or 1.1/2.0 (told apart by
    their file names and datapackage.json)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([ValidationIssue(None, None, f"{folder} is not a folder")])
    return read_package(package_files(folder), folder.name or str(folder))
