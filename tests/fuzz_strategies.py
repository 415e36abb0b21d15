"""Generated malformed input for every parser of outside data, shared by tests/test_fuzz.py (a few
hundred inputs a parser, in the test suite) and bench/fuzz.py (tens of thousands, on demand).

Each target is a parser as outside data reaches it, with a Hypothesis strategy of inputs:

- ``csv``: the curator's spreadsheet as uploaded bytes (`importer.load_bytes(data, "….csv")`):
  random bytes; valid spreadsheets with cells mutated (formulas, huge, non-numbers, NaN, NUL,
  quotes, newlines), headers renamed, dropped or doubled, rows too long or too short, quoting
  broken, BOMs, Latin-1, UTF-16 and mixed encodings, CR/LF/CRLF line ends.
- ``hsds-json``: HSDS 3.0 JSON as uploaded bytes (`….json`): valid documents (services, an
  organization with services, an API page, tabular JSON) with values replaced by the wrong type,
  null, huge or non-finite numbers, NaN/Infinity tokens, deep nesting; keys removed or added;
  the text cut short or spliced with random bytes; random JSON.
- ``hsds-datapackage``: zipped HSDS 3.0 and 1.1 CSV datapackages (`….zip`) with the same cell
  and header mutations, tables dropped, datapackage.json garbled, odd member names, and the zip
  bytes themselves corrupted.
- ``profile-file``: a profile file (.json, or a .jsonl batch) read by `read_profiles`: the profiles
  below with duplicate keys, huge numbers, deep nesting, bad UTF-8, cut short, or random bytes.
- ``profile``: the needs profile as the CLI reads it (`parse_profile` then `resolve_location`):
  random JSON values, dicts of profile fields with random values, and the contract's example
  profile mutated.

`outcome(target, input)` is the property: the parser returns what it promises (listings, a
profile) or raises `InputError` whose every issue is located (a row or a field, or, for a problem
with the whole file, the file named in the message) and says something. Any other exception
propagates: the test fails with it, the bench counts it.

`FOUND` keeps the inputs of the crashes these strategies found (all fixed), as fixed examples.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from directory import hsds, importer
from directory.hsds.documents import SERVICE_KEYS
from directory.records import InputError, Resource, ValidationIssue
from matcher.geo import resolve_location
from matcher.profile import NeedsProfile, parse_profile, read_profiles

# ---- seeds: small valid inputs the mutations start from -------------------------------------------


def seed_listings() -> list[Resource]:
    """Three listings covering every column: in person, by phone, online."""
    common = dict(organisation="Govan Community Trust", categories=["lunch", "company"],
                  languages=["en", "ur"], interpreter_available=True, schedule="Wednesdays 12:00-14:00",
                  phone="0141 000 0001", email="club@example.org", website="https://example.org/club",
                  last_verified="2026-01-15")
    return [Resource.model_validate(d) for d in (
        dict(common, id="F01", name="Govan Lunch Club", description="Hot lunch and company for older people.",
             domains=["social_relationships"], min_age=60, max_age=120, gender="female", delivery=["in_person"],
             cost="free", address="12 Langlands Road, Glasgow", postcode="G51 3BD", latitude=55.8625,
             longitude=-4.312, wheelchair_accessible=True),
        dict(common, id="F02", name="Benefits Advice Line", description="Benefits checks and debt advice by phone.",
             domains=["money"], delivery=["phone"], cost="low_cost", status="inactive"),
        dict(common, id="F03", name="Online Mindfulness", description="Weekly mindfulness for low mood.",
             domains=[], delivery=["online", "phone"], cost="paid", wheelchair_accessible=False),
    )]


def _seed_csv_rows() -> list[list[str]]:
    from directory.csv_io import to_csv_text

    return [row for row in csv.reader(io.StringIO(to_csv_text(seed_listings()), newline=""))]


def _seed_hsds_docs() -> list[Any]:
    services = hsds.to_hsds(seed_listings())
    org = {"id": "O1", "name": "Govan Community Trust", "description": "A trust.", "website": "https://example.org",
           "services": [{k: v for k, v in s.items() if k != "organization"} for s in services]}
    first = services[0]
    sal = {**first["service_at_locations"][0], "service": {k: v for k, v in first.items()
                                                           if k != "service_at_locations"}}
    tabular = {
        "services.csv": [{"id": "T1", "name": "Tea dance", "description": "Dancing and tea.", "status": "active",
                          "organization_id": "O1", "minimum_age": 55, "fees_description": "£2"}],
        "organizations.csv": [{"id": "O1", "name": "Org", "description": "Org"}],
        "locations.csv": [{"id": "L1", "location_type": "physical", "latitude": 55.86, "longitude": -4.25}],
        "service_at_location.csv": [{"id": "X1", "service_id": "T1", "location_id": "L1"}],
        "schedules.csv": [{"id": "SC1", "service_id": "T1", "byday": "MO,TU", "opens_at": "10:00",
                           "closes_at": "12:00", "freq": "WEEKLY", "interval": 2}],
    }
    return [services, services[0], org, {"contents": services, "total_items": len(services)}, sal, tabular]


_V3_PACKAGE = {
    "organizations.csv": "id,name,description,website,email\n"
                         "O1,Govan Community Trust,A community trust,https://example.org,info@example.org\n",
    "services.csv": "id,organization_id,name,description,url,email,status,interpretation_services,"
                    "fees_description,eligibility_description,minimum_age,maximum_age,assured_date\n"
                    "S1,O1,Lunch club,Hot lunch and company,,,active,,Free,Women only,60,,2026-01-15\n"
                    "S2,O1,Advice line,Benefits advice: call us,,,active,Interpreters on request,,,,,2025-11-01\n"
                    "S3,O1,Online mindfulness,Weekly course,https://mind.example.org,,defunct,,£10 a session,,18,,\n",
    "locations.csv": "id,organization_id,name,location_type,latitude,longitude\n"
                     "L1,O1,Govan hall,physical,55.8625,-4.3120\nL2,O1,Website,virtual,,\n",
    "service_at_location.csv": "id,service_id,location_id\nSAL1,S1,L1\nSAL2,S3,L2\n",
    "addresses.csv": "id,location_id,address_1,city,postal_code,country,address_type\n"
                     "A1,L1,12 Langlands Road,Glasgow,G51 3BD,GB,physical\n",
    "accessibility.csv": "id,location_id,description\nAC1,L1,Step-free access\n",
    "phones.csv": "id,service_id,organization_id,number,extension,type\nP1,S2,,0800 000 0003,12,voice\n"
                  "P2,,O1,0141 000 0000,,fax\n",
    "languages.csv": "id,service_id,location_id,name,code\nLG1,S1,,English,en\nLG2,S2,,Polish,pl\nLG3,,L1,,ur\n",
    "schedules.csv": "id,service_id,service_at_location_id,byday,opens_at,closes_at,freq,interval,description\n"
                     "SC1,,SAL1,WE,12:00,14:00,WEEKLY,1,\nSC2,S2,,\"MO,TU,WE\",09:00,17:00,WEEKLY,2,\n",
    "cost_options.csv": "id,service_id,option,amount,currency\nC1,S1,Lunch,0,GBP\nC2,S3,Course,10,GBP\n",
    "taxonomies.csv": "id,name\nTX1,signpost_domains\n",
    "taxonomy_terms.csv": "id,code,name,taxonomy,taxonomy_id\nT1,women-only,Women only,signpost_eligibility,\n"
                          "T2,money,Money,,TX1\n",
    "attributes.csv": "id,link_id,link_entity,taxonomy_term_id,value\nAT1,S1,service,T1,\nAT2,S2,service,T2,\n",
    "metadata.csv": "id,resource_id,resource_type,last_action_date\nM1,S3,service,2024-05-01\n",
    "datapackage.json": '{"name": "hsds", "resources": [{"path": "services.csv"}, {"path": "attributes.csv"}]}',
}
_V1_PACKAGE = {
    "organizations.csv": "id,name,description,url\nO1,Age Friends,Friends in later life,https://age.example.org\n",
    "services.csv": "id,organization_id,name,description,status,fees,taxonomy_ids,language\n"
                    "A,O1,Tea dance,Dancing,active,£2 per session,TX1,\"Polish, Urdu\"\n"
                    "B,O1,Knit and natter,Knitting,active,,,\n",
    "locations.csv": "id,organization_id,name,latitude,longitude\nL1,O1,Hall,55.86,-4.25\n",
    "services_at_location.csv": "id,service_id,location_id\nX1,A,L1\nX2,B,L1\n",
    "physical_addresses.csv": "id,location_id,address_1,city,postal_code\nPA1,L1,1 High St,Glasgow,G1 1AA\n",
    "accessibility_for_disabilities.csv": "id,location_id,accessibility,details\nAD1,L1,wheelchair_access,Ramp\n",
    "regular_schedules.csv": "id,service_id,weekday,opens_at,closes_at\nR1,A,1,10:00,12:00\nR2,A,Tuesday,10:00,12:00\n",
    "eligibility.csv": "id,service_id,eligibility\nE1,A,seniors 55+\nE2,B,female\n",
    "taxonomy.csv": "id,name,vocabulary\nTX1,Dance,demo\n",
    "services_taxonomy.csv": "id,service_id,taxonomy_id\nST1,B,TX1\n",
    "phones.csv": "id,organization_id,service_id,number\nP1,O1,,0141 111 1111\n",
}


def _table(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


_SEED_CSV = _seed_csv_rows()
_SEED_DOCS = _seed_hsds_docs()
_SEED_PACKAGES = [
    {name: (_table(text) if name.endswith(".csv") else text) for name, text in pkg.items()}
    for pkg in (_V3_PACKAGE, _V1_PACKAGE)
]
EXAMPLE_PROFILE = {
    "id": "P01", "needs": {"social_relationships": 2, "mental_wellbeing": 3},
    "goals": "Since my husband died I hardly go out. I used to sing in the church choir.",
    "conditions": ["type 2 diabetes"], "languages": ["sm", "en"], "age": 62, "gender": "female",
    "location": {"latitude": 54.9701, "longitude": -1.6435}, "max_distance_km": 5, "digital_access": "phone",
    "needs_wheelchair_access": False, "max_cost": "free",
}

# ---- cells and values -------------------------------------------------------------------------------
FORMULAS = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+44 141", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1",
            "'+1", "=cmd|' /C calc'!A0", "-", "+", "=", "@"]
ODD_CELLS = ["", " ", "\u00a0", "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "-0",
             "0x10", "1_000", "١٢", "12.5", "-5", "999999999999999999999", "9" * 5000, "true", "FALSE", "yes",
             "2026-02-30", "2026-13-01", "0000-00-00", "99999-01-01", "\x00", "a\x00b", "\"", "\"\"", "a\"b",
             "line\nbreak", "cr\rcell", ";", ";;", "in_person;in_person", "IN_PERSON", "en;EN;xx", "zz",
             "\ufeff", "\u202e", "\U0001F600", "é", "<script>alert(1)</script>", "NULL", "None", "null"]
HEADER_NAMES = ["id", "name", "description", "delivery", "latitude", "longitude", "", " id", "ID", "extra",
                "\ufeffid", "min_age", "domains", "a\nb", "\"q\""]


def huge_text(n: int) -> str:
    return "x" * n


cells = st.one_of(
    st.sampled_from(FORMULAS + ODD_CELLS),
    st.text(max_size=40),
    st.from_regex(r"[-+=@\t\r]?[0-9.eE+-]{1,12}", fullmatch=True),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from([1_000, 131_072, 140_000, 300_000]).map(huge_text),  # csv's field limit is 131072
)


@st.composite
def mutated_rows(draw, rows: list[list[str]]) -> list[list[str]]:
    """A table (header first) with a few cells, headers and row lengths changed."""
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "header", "drop_col", "dup_col", "add_col", "short",
                                   "long", "drop_row", "dup_row", "blank_row", "swap_cols"]))
        r = draw(st.integers(0, len(rows) - 1)) if rows else 0
        if not rows:
            rows.append([])
        width = max(len(rows[0]), 1)
        c = draw(st.integers(0, width - 1))
        if op == "cell" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            row = rows[r]
            if c < len(row):
                row[c] = draw(cells)
        elif op == "header" and rows[0]:
            rows[0][min(c, len(rows[0]) - 1)] = draw(st.sampled_from(HEADER_NAMES) | st.text(max_size=12))
        elif op == "drop_col":
            for row in rows:
                if c < len(row):
                    del row[c]
        elif op == "dup_col" and c < len(rows[0]):
            for row in rows:
                if c < len(row):
                    row.append(row[c])
        elif op == "add_col":
            name = draw(st.sampled_from(HEADER_NAMES) | st.text(max_size=12))
            rows[0].append(name)
            for row in rows[1:]:
                row.append(draw(cells))
        elif op == "short" and rows[r]:
            del rows[r][draw(st.integers(0, len(rows[r]) - 1)):]
        elif op == "long":
            rows[r].extend(draw(st.lists(cells, min_size=1, max_size=3)))
        elif op == "drop_row" and len(rows) > 1:
            del rows[r]
        elif op == "dup_row":
            rows.insert(r, list(rows[r]))
        elif op == "blank_row":
            rows.insert(r, [])
        elif op == "swap_cols" and len(rows[0]) > 1:
            d = draw(st.integers(0, len(rows[0]) - 1))
            for row in rows:
                if c < len(row) and d < len(row):
                    row[c], row[d] = row[d], row[c]
    return rows


@st.composite
def table_text(draw, rows: list[list[str]]) -> str:
    """Rows written as CSV text: properly quoted, or with quoting broken on purpose."""
    style = draw(st.sampled_from(["csv", "csv", "csv", "raw", "stray_quote", "unclosed"]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if style == "raw":  # no quoting at all: commas, quotes and newlines in cells break the structure
        return newline.join(",".join(r) for r in rows) + newline
    buf = io.StringIO(newline="")
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer = csv.writer(buf, lineterminator=newline, quoting=quoting if quoting != csv.QUOTE_NONNUMERIC
                        else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    text = buf.getvalue()
    if style == "stray_quote" and text:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    elif style == "unclosed":
        text += '"unclosed,cell' + newline
    return text


@st.composite
def encoded(draw, text: str) -> bytes:
    """Text as bytes: UTF-8 (with or without BOM), Latin-1, UTF-16, a mix, or spliced with random bytes."""
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "double-bom", "latin-1", "cp1252",
                                "utf-16", "mixed", "splice", "truncate"]))
    if how in ("utf-8", "utf-8-sig", "utf-16"):
        return text.encode(how, errors="surrogatepass")
    if how == "double-bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8", errors="surrogatepass")
    if how in ("latin-1", "cp1252"):
        return (text + "Café £5 – ‘quoted’").encode(how, errors="replace")
    data = text.encode("utf-8", errors="surrogatepass")
    if how == "mixed":  # one part UTF-8, one part Latin-1: a spreadsheet pasted together
        at = draw(st.integers(0, len(data)))
        return data[:at] + "Crèche £3".encode("latin-1") + data[at:]
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data[: draw(st.integers(0, len(data)))]


@st.composite
def csv_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["mutated"] * 6 + ["random_bytes", "random_text", "header_only", "junk_header"]))
    if kind == "random_bytes":
        return draw(st.binary(max_size=400))
    if kind == "random_text":
        return draw(st.text(max_size=300)).encode("utf-8", errors="surrogatepass")
    if kind == "header_only":
        return draw(encoded(",".join(_SEED_CSV[0]) + draw(st.sampled_from(["", "\n", "\r\n\r\n"]))))
    if kind == "junk_header":
        header = draw(st.lists(st.sampled_from(HEADER_NAMES) | st.text(max_size=10), max_size=8))
        rows = [header] + draw(st.lists(st.lists(cells, max_size=8), max_size=3))
        return draw(encoded(draw(table_text(rows))))
    return draw(encoded(draw(table_text(draw(mutated_rows(_SEED_CSV))))))


# ---- JSON values and documents --------------------------------------------------------------------------


class Raw:
    """A piece of JSON text put into a document as is (NaN, 1e400, very deep nesting)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:60]!r}{'…' if len(self.text) > 60 else ''})"


def dumps(value: Any) -> str:
    """JSON text of a value that may hold `Raw` pieces and non-finite floats (as NaN/Infinity tokens)."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    return json.dumps(value)  # floats nan/inf become NaN/Infinity


def deep(n: int, open_: str = "[", close: str = "]") -> Raw:
    return Raw(open_ * n + "1" + close * n if open_ == "[" else '{"a": ' * n + "1" + "}" * n)


RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0", "0.0", "1E2",
               "123456789012345678901234567890", "1" + "0" * 400, "-" + "9" * 4000, "9" * 5000]

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-2**64, max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(FORMULAS + ODD_CELLS),
)


def json_values() -> st.SearchStrategy:
    """Any JSON value, including the awkward ones the parsers meet only from hostile files:
    NaN/Infinity tokens, numbers beyond a float (10**400), nesting 100,000 deep."""
    depths = [5, 50, 200, 900, 5000, 100_000]
    leaves = st.one_of(
        scalars, scalars, scalars,
        st.sampled_from(RAW_NUMBERS).map(Raw),
        st.sampled_from(depths).map(deep),
        st.sampled_from(depths).map(lambda n: deep(n, "{")),
    )
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


# The numeric fields of HSDS and of the profile: where a wrong number does most harm.
NUMERIC_KEYS = {"latitude", "longitude", "minimum_age", "maximum_age", "amount", "interval", "age",
                "max_distance_km", "social_relationships", "mental_wellbeing"}
numbers = st.one_of(
    st.sampled_from(RAW_NUMBERS).map(Raw),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "12", "-1", "1e400", "inf", "NaN", "12.5", "twelve", "55.8617", "١٢"]),
    st.none(), st.booleans(), st.just([]), st.just({}),
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(value: Any, path: tuple) -> Any:
    for p in path:
        value = value[p]
    return value


@st.composite
def mutated_json(draw, doc: Any, values: st.SearchStrategy) -> Any:
    """A copy of a document with a few values replaced (numeric fields by odd numbers, most
    often), removed, added or wrapped."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 5))):
        paths = _paths(doc)
        op = draw(st.sampled_from(["replace", "replace", "replace", "number", "number", "delete", "add", "wrap",
                                   "duplicate"]))
        numeric = [p for p in paths if p and p[-1] in NUMERIC_KEYS]
        if op == "number":
            if not numeric:
                continue
            path = draw(st.sampled_from(numeric))
            _get(doc, path[:-1])[path[-1]] = draw(numbers)
            continue
        path = draw(st.sampled_from(paths))
        if not path:
            if op in ("replace", "wrap"):
                doc = draw(values) if op == "replace" else [doc]
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12) | st.sampled_from(sorted(SERVICE_KEYS)))] = draw(values)
        elif op == "add" and isinstance(parent, list):
            parent.insert(key, draw(values))
        elif op == "wrap":
            parent[key] = draw(st.sampled_from([[parent[key]], {"value": parent[key]}]))
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key], default=str)) if not _has_raw(parent[key])
                          else parent[key])
    return doc


def _has_raw(value: Any) -> bool:
    if isinstance(value, Raw):
        return True
    if isinstance(value, dict):
        return any(_has_raw(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_raw(v) for v in value)
    return False


@st.composite
def hsds_json_bytes(draw) -> bytes:
    values = json_values()
    kind = draw(st.sampled_from(["mutated"] * 7 + ["random", "random_bytes", "cut"]))
    if kind == "random":
        return dumps(draw(values)).encode("utf-8", errors="surrogatepass")
    if kind == "random_bytes":
        return draw(st.binary(max_size=300))
    doc = draw(st.sampled_from(_SEED_DOCS))
    text = dumps(draw(mutated_json(doc, values)))
    if kind == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    return draw(encoded(text)) if draw(st.integers(0, 4)) == 0 else text.encode("utf-8", errors="surrogatepass")


# ---- datapackages -----------------------------------------------------------------------------------------
MEMBER_PREFIXES = ["", "", "", "pkg/", "a/b/", "__MACOSX/", "./"]
MEMBER_ODDITIES = ["../evil.csv", "/abs.csv", "C:/x.csv", "dir\\x.csv", ".hidden.csv", "x.txt", "services.CSV",
                   "sub/services.csv", "a\x00.csv", ".", ""]


def _zip(members: list[tuple[str, bytes]], deflate: bool) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


@st.composite
def datapackage_zip(draw) -> bytes:
    pkg = draw(st.sampled_from(_SEED_PACKAGES))
    members: list[tuple[str, bytes]] = []
    prefix = draw(st.sampled_from(MEMBER_PREFIXES))
    names = sorted(pkg)
    mutated = set(draw(st.lists(st.sampled_from(names), max_size=4)))
    dropped = set(draw(st.lists(st.sampled_from(names), max_size=2)))
    for name in names:
        if name in dropped:
            continue
        content = pkg[name]
        if name == "datapackage.json":
            if name in mutated:
                text = dumps(draw(mutated_json(json.loads(content), json_values())))
            else:
                text = content
            members.append((prefix + name, text.encode("utf-8")))
            continue
        rows = draw(mutated_rows(content)) if name in mutated else content
        text = draw(table_text(rows)) if name in mutated else _csv_text(rows)
        data = draw(encoded(text)) if name in mutated and draw(st.integers(0, 3)) == 0 else text.encode("utf-8")
        members.append((prefix + name, data))
    if draw(st.integers(0, 5)) == 0:
        members.append((draw(st.sampled_from(MEMBER_ODDITIES)), b"id,name\nX,Y\n"))
    data = _zip(members, deflate=draw(st.booleans()))
    corrupt = draw(st.sampled_from(["none"] * 8 + ["flip", "truncate"]))
    if corrupt == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    elif corrupt == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


# ---- profiles --------------------------------------------------------------------------------------------
PROFILE_FIELDS = sorted(NeedsProfile.model_fields)
LOCATIONS = [{"postcode": "G51 3BD"}, {"postcode": "g513bd"}, {"postcode": "ZZ99 9ZZ"}, {"postcode": "not one"},
             {"place": "Govan"}, {"place": "Atlantis"}, {"place": ""}, {"place": " "}, {"latitude": 55.86},
             {"latitude": 55.86, "longitude": -4.3, "postcode": "G51"}, {"latitude": 91, "longitude": 0},
             {"latitude": "55.8", "longitude": "-4.3"}, {"latitude": None, "longitude": None}, {},
             {"lat": 1, "lon": 2}, {"postcode": 51}, {"place": ["Govan"]}]


@st.composite
def profile_values(draw) -> Any:
    values = json_values()
    kind = draw(st.sampled_from(["mutated"] * 4 + ["fields"] * 3 + ["random"]))
    if kind == "random":
        return draw(values)
    if kind == "fields":
        keys = draw(st.lists(st.sampled_from(PROFILE_FIELDS) | st.text(max_size=10), max_size=6, unique=True))
        out = {}
        for key in keys:
            if key == "location":
                out[key] = draw(st.sampled_from(LOCATIONS) | values)
            elif key == "needs":
                out[key] = draw(st.dictionaries(st.sampled_from(["lifestyle", "money", "Money", "x", ""]),
                                                st.integers(-2, 12) | values, max_size=3) | values)
            else:
                out[key] = draw(values)
        return out
    doc = dict(EXAMPLE_PROFILE)
    if draw(st.booleans()):
        doc["location"] = draw(st.sampled_from(LOCATIONS))
    return draw(mutated_json(doc, values))


@st.composite
def profile_files(draw) -> tuple[str, bytes]:
    """A profile file as `signpost match` reads it: (".json" or ".jsonl", its bytes). One profile or
    a batch of them, generated as above, then written with duplicate keys, numbers beyond any float,
    nesting 100,000 deep, in a wrong encoding, cut short, or as random bytes."""
    suffix = draw(st.sampled_from([".json", ".json", ".jsonl"]))
    count = 1 if suffix == ".json" else draw(st.integers(0, 4))
    texts = [dumps(draw(profile_values())) for _ in range(count)]
    kind = draw(st.sampled_from(["plain"] * 4 + ["duplicate", "huge", "deep", "cut", "bytes", "encoded"]))
    if kind == "duplicate" and texts and texts[0].startswith("{") and len(texts[0]) > 2:
        key = draw(st.sampled_from(PROFILE_FIELDS))
        texts[0] = "{" + f'"{key}": 1, "{key}": 2, ' + texts[0][1:]
    elif kind == "huge" and texts:
        key = draw(st.sampled_from(["age", "max_distance_km"]))
        texts[0] = "{" + f'"{key}": {draw(st.sampled_from(RAW_NUMBERS))}' + "}"
    elif kind == "deep":
        texts.append(deep(draw(st.sampled_from([900, 5000, 100_000])), draw(st.sampled_from(["[", "{"]))).text)
    text = "\n".join(texts)
    if kind == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    if kind == "bytes":
        return suffix, draw(st.binary(max_size=300))
    if kind == "encoded":
        return suffix, draw(encoded(text))
    return suffix, text.encode("utf-8", errors="surrogatepass")


def _read_profile_file(value: tuple[str, bytes]) -> NeedsProfile:
    """The profiles of a generated file, read as `signpost match` reads one (a NeedsProfile back:
    the property checks one; a batch's every profile went through the same validation)."""
    suffix, data = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz-profile{suffix}"
        path.write_bytes(data)
        profiles = read_profiles(str(path))
    if not profiles or not all(isinstance(p, NeedsProfile) for p in profiles):
        raise AssertionError(f"read_profiles returned {profiles!r}")
    return profiles[0]


def to_python(value: Any) -> Any:
    """A generated value as `json.loads` would give it back (Raw pieces parsed; what JSON cannot hold, dropped)."""
    return json.loads(dumps(value)) if _has_raw(value) else value


# ---- the targets and the property ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    name: str
    strategy: Callable[[], st.SearchStrategy]
    run: Callable[[Any], Any]
    source: str  # the name the input goes by in messages about the whole of it


def _load(filename: str) -> Callable[[bytes], list[Resource]]:
    return lambda data: importer.load_bytes(data, filename)


def _profile(value: Any) -> NeedsProfile:
    try:
        value = to_python(value)
    except (ValueError, RecursionError):
        raise InputError([ValidationIssue(None, None, "a needs profile must be a JSON object")]) from None
    profile = parse_profile(value)
    resolve_location(profile.location)
    return profile


TARGETS: dict[str, Target] = {
    "csv": Target("csv", csv_bytes, _load("listings.csv"), "listings.csv"),
    "hsds-json": Target("hsds-json", hsds_json_bytes, _load("services.json"), "services.json"),
    "hsds-datapackage": Target("hsds-datapackage", datapackage_zip, _load("package.zip"), "package.zip"),
    "profile": Target("profile", profile_values, _profile, "needs profile"),
    "profile-file": Target("profile-file", profile_files, _read_profile_file, "fuzz-profile"),
}



def _svc(**fields: Any) -> dict:
    return {"id": "S1", "name": "Lunch club", "description": "Hot lunch.", "status": "active",
            "url": "https://example.org", **fields}


def _zipped(*members: tuple[str, str]) -> bytes:
    return _zip([(name, text.encode("utf-8")) for name, text in members], deflate=False)


_SERVICES = ("services.csv", "id,name,description,url\nA,Tea dance,Dancing,https://example.org\n")
_OK_ZIP = _zipped(_SERVICES)
_CD = _OK_ZIP.find(b"PK\x01\x02")


def _flip(data: bytes, at: int, bits: int) -> bytes:
    return data[:at] + bytes([data[at] ^ bits]) + data[at + 1:]


# The inputs of the crashes these strategies found in directory/hsds.py (all fixed in 75cdbcf):
# (target, what it is, input).
FOUND = [
    ("hsds-json", "longitude -(10**400): OverflowError in _number",
     dumps(_svc(service_at_locations=[{"id": "A", "location": {"location_type": "physical", "latitude": 55.86,
                                                                  "longitude": Raw("-1" + "0" * 400)}}])).encode()),
    ("hsds-json", "minimum_age 10**400: OverflowError in _number", dumps(_svc(minimum_age=Raw("1" + "0" * 400))).encode()),
    ("hsds-json", "cost option amount 10**400: OverflowError in _number",
     dumps(_svc(cost_options=[{"amount": Raw("1" + "0" * 400)}])).encode()),
    ("hsds-json", "schedule interval 1e400: OverflowError in _schedule_text",
     dumps(_svc(schedules=[{"byday": "MO", "opens_at": "10:00", "freq": "WEEKLY", "interval": Raw("1e400")}])).encode()),
    ("hsds-json", "schedule interval 'inf': OverflowError in _schedule_text",
     dumps(_svc(schedules=[{"byday": "MO", "opens_at": "10:00", "freq": "WEEKLY", "interval": "inf"}])).encode()),
    ("hsds-datapackage", "schedules.csv interval inf: OverflowError in _schedule_text",
     _zipped(_SERVICES, ("schedules.csv", "id,service_id,byday,opens_at,freq,interval\nS,A,MO,10:00,WEEKLY,inf\n"))),
    ("hsds-datapackage", "datapackage.json nested 5000 deep: RecursionError in _version",
     _zipped(_SERVICES, ("datapackage.json", "[" * 5000 + "]" * 5000))),
    ("hsds-datapackage", "a member named '.': IndexError in read_zip_bytes", _zipped(_SERVICES, (".", "x"))),
    ("hsds-datapackage", "a member named '': IndexError in ZipInfo.is_dir", _zipped(_SERVICES, ("", "x"))),
    ("hsds-datapackage", "central directory offset one too far: ValueError (negative seek) in archive.open",
     _flip(_OK_ZIP, len(_OK_ZIP) - 6, 1)),
    ("hsds-datapackage", "central directory 'version needed' 0x80: NotImplementedError in zipfile.ZipFile",
     _flip(_OK_ZIP, _CD + 6, 0x80)),
    # found in matcher/profile.py by the profile-file target
    ("profile-file", "age of 5,000 digits: int conversion limit ValueError, AttributeError in load_json",
     (".json", b'{"age": ' + b"9" * 5000 + b"}")),
    ("profile-file", "an empty key: an issue naming no field", (".json", b'{"": null}')),
]


def located(issue: ValidationIssue, source: str) -> bool:
    """An issue a person can act on: it names a row or a field, or it is about the whole input."""
    if issue.row is not None or issue.column:
        return True
    return source in issue.message or issue.message.startswith(("a needs profile", "the file", "the header"))


class BadRejection(AssertionError):
    """An InputError a person could not act on: no issues, or an issue naming no row or field."""


class BadResult(AssertionError):
    """A parser returned something other than what it promises."""


def outcome(target: Target, value: Any) -> str:
    """'accepted' or 'rejected'; BadRejection/BadResult for a broken promise; anything else propagates."""
    try:
        result = target.run(value)
    except InputError as err:
        if not err.issues:
            raise BadRejection("an InputError without issues") from None
        for issue in err.issues:
            well_formed = (isinstance(issue, ValidationIssue) and isinstance(issue.message, str)
                           and issue.message.strip() and (issue.row is None or isinstance(issue.row, int | str))
                           and (issue.column is None or isinstance(issue.column, str)))
            if not well_formed or not located(issue, target.source):
                raise BadRejection(f"issue names no row or field, or says nothing: {issue!r}") from None
        return "rejected"
    if target.name.startswith("profile"):
        if not isinstance(result, NeedsProfile):
            raise BadResult(f"not a NeedsProfile: {result!r}")
    else:
        if not (isinstance(result, list) and all(isinstance(r, Resource) for r in result)):
            raise BadResult(f"not a list of listings: {result!r}")
        # a valid file with nothing to import says why (HSDS: only taxonomies, only locations, ...)
        if not result and not [w for w in getattr(result, "warnings", []) if w.message.strip()]:
            raise BadResult("no listings and no message saying why")
    return "accepted"


def strategies() -> dict[str, st.SearchStrategy]:
    return {name: t.strategy() for name, t in TARGETS.items()}
