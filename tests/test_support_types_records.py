"""The support-type vocabulary as data, and the listing's optional `support_types`: validated against
the vocabulary, a `;`-separated CSV column that round-trips, a stored column that an older database
gains on opening (SQLite and PostgreSQL), and HSDS 3.0 taxonomy terms in and out."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest
import sqlalchemy as sa

from directory import store as store_module
from directory import support_types as vocab
from directory.csv_io import parse_csv, to_csv_text
from directory.records import DOMAINS, InputError, resource_from_row, resource_to_row
from directory.store import SCHEMA_VERSION, Store

from .conftest import make_resource

# ---- the vocabulary ----------------------------------------------------------------------------


def test_the_vocabulary_has_30_to_60_types_with_stable_snake_case_keys():
    assert 30 <= len(vocab.SUPPORT_TYPES) <= 60
    assert len(set(vocab.SUPPORT_TYPE_KEYS)) == len(vocab.SUPPORT_TYPE_KEYS)
    for t in vocab.SUPPORT_TYPES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", t.key), t.key
        assert t.label and t.label[0].isupper()
        assert t.description.endswith(".") and len(t.description.split()) >= 10, t.key


def test_every_type_serves_contract_domains_main_one_first():
    for t in vocab.SUPPORT_TYPES:
        assert t.domains and all(d in DOMAINS for d in t.domains), t.key
        assert len(set(t.domains)) == len(t.domains)
        assert t.main_domain == t.domains[0]
    # every domain is reachable by some type as its main domain
    assert {t.main_domain for t in vocab.SUPPORT_TYPES} == set(DOMAINS)
    assert "carers_support" in vocab.types_of_domain("social_relationships")
    assert vocab.domains_of(["debt_advice", "bereavement"]) == ["money", "mental_wellbeing", "social_relationships"]


def test_every_type_names_a_published_source_and_has_terms_that_compile():
    for t in vocab.SUPPORT_TYPES:
        prefix, _, code = t.source.partition(":")
        assert prefix in vocab.SOURCE_PREFIXES and code, t.key
        assert t.listing_terms and t.person_terms, t.key
        for fragment in (*t.listing_terms, *t.person_terms):
            re.compile(fragment)
        # listing rules run case-sensitively over lower-cased text (matcher/support_types.py)
        assert all(f == f.lower() for f in t.listing_terms), t.key


def test_lookups_and_validation_name_the_unknown_key():
    assert vocab.get("bereavement").label == "Bereavement support"
    assert vocab.label("esol") == "English classes (ESOL)"
    with pytest.raises(KeyError, match="no support type 'knitting_circle'"):
        vocab.get("knitting_circle")
    assert vocab.validate_keys(" Carers_Support; bereavement;carers_support ") == ["carers_support", "bereavement"]
    assert vocab.validate_keys(None) == [] and vocab.validate_keys("") == []
    with pytest.raises(InputError) as err:
        vocab.validate_keys(["bereavement", "knitting_circle"], row=7)
    (issue,) = err.value.issues
    assert (issue.row, issue.column) == (7, "support_types") and "'knitting_circle'" in issue.message


# ---- the listing record and its CSV column -----------------------------------------------------
def test_a_listing_takes_support_types_and_blank_means_none_set():
    assert make_resource("R1").support_types == []
    r = make_resource("R1", support_types="carers_support;Bereavement")
    assert r.support_types == ["carers_support", "bereavement"]


def test_an_unknown_support_type_in_a_row_is_an_issue_naming_row_column_and_key():
    row = resource_to_row(make_resource("R1"))
    row["support_types"] = "carers_support;yoga_for_cats"
    resource, issues = resource_from_row(row, 5)
    assert resource is None
    (issue,) = issues
    assert (issue.row, issue.column) == (5, "support_types") and "'yoga_for_cats'" in issue.message


def test_the_csv_column_round_trips_and_is_optional():
    tagged = make_resource("R1", support_types=["walking_groups", "befriending"])
    plain = make_resource("R2")
    text = to_csv_text([tagged, plain])
    header = text.splitlines()[0].split(",")
    assert header.index("support_types") == header.index("domains") + 1
    back = {r.id: r for r in parse_csv(text)}
    assert back["R1"].support_types == ["walking_groups", "befriending"] and back["R2"].support_types == []
    assert to_csv_text(back.values()) == text
    # a spreadsheet without the column still imports
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c in header if c != "support_types"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    assert [r.support_types for r in parse_csv(out.getvalue())] == [[], []]


# ---- the stored column and the migration of an older database ----------------------------------
def _as_previous_schema(store: Store) -> None:
    """Make the database what the schema before support_types wrote: no column, JSON without the field."""
    with store.engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT id, data FROM resources")).all()
        conn.execute(sa.text("ALTER TABLE resources DROP COLUMN support_types"))
        for rid, data in rows:
            old = json.loads(data)
            old.pop("support_types")
            text = json.dumps(old, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            conn.execute(sa.text("UPDATE resources SET data = :d, content_hash = :h WHERE id = :i"),
                         {"d": text, "h": hashlib.sha256(text.encode()).hexdigest(), "i": rid})
        conn.execute(store_module.state.update().where(store_module.state.c.key == "schema_version")
                     .values(value=store_module.SUPPORT_TYPES_SCHEMA - 1))


def test_the_support_types_column_is_written_with_the_listing(db_url):
    with Store(db_url) as store:
        store.create(make_resource("R1", support_types=["carers_support", "bereavement"]), actor="ann")
        old = store.get("R1")
        store.update(old.resource.model_copy(update={"support_types": ["debt_advice"]}), old.version, actor="ann")
        store.import_resources([make_resource("R2", support_types=["esol"])], actor="ann")
        with store.engine.connect() as conn:
            stored = dict(conn.execute(sa.text("SELECT id, support_types FROM resources")).all())
    assert stored == {"R1": "debt_advice", "R2": "esol"}


def test_an_older_database_gains_the_column_and_keeps_listings_unchanged(db_url):
    assert store_module.SUPPORT_TYPES_SCHEMA <= SCHEMA_VERSION
    listings = [make_resource("R1"), make_resource("R2", name="Lunch club")]
    with Store(db_url) as store:
        store.import_resources(listings, actor="ann")
        _as_previous_schema(store)
        before_version, before_audit = store.directory_version(), len(store.history())
    with Store(db_url) as store:
        with store.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("resources")}
            schema = conn.execute(sa.text("SELECT value FROM directory_state WHERE key = 'schema_version'")).scalar_one()
            cells = dict(conn.execute(sa.text("SELECT id, support_types FROM resources")).all())
        assert "support_types" in columns and schema == SCHEMA_VERSION and cells == {"R1": "", "R2": ""}
        got = store.get("R2")
        assert got.resource.name == "Lunch club" and got.resource.support_types == [] and got.version == 1
        assert got.content_hash == store_module.content_hash(got.resource)
        # the migration changed no listing: same directory version, no audit entries, and
        # re-importing the same listings is a no-op
        assert store.directory_version() == before_version and len(store.history()) == before_audit
        summary = store.import_resources(listings, actor="ann")
        assert summary.unchanged == ["R1", "R2"] and not summary.changed
        tagged = store.get("R1").resource.model_copy(update={"support_types": ["walking_groups"]})
        store.update(tagged, 1, actor="ann")
        assert store.get("R1").resource.support_types == ["walking_groups"]


# ---- HSDS 3.0 taxonomy terms -------------------------------------------------------------------
def test_hsds_terms_carry_the_vocabulary_name_and_our_codes_and_read_back():
    terms = vocab.to_hsds_terms(["carers_support", "esol"])
    assert [t["code"] for t in terms] == ["carers_support", "esol"]
    for t in terms:
        assert {"id", "name", "description"} <= t.keys()  # HSDS 3.0 taxonomy_term required fields
        assert t["taxonomy"] == vocab.SUPPORT_TYPE_TAXONOMY == t["taxonomy_detail"]["name"]
        assert t["taxonomy_id"] == t["taxonomy_detail"]["id"]
    assert terms[0]["name"] == "Carers' support"
    assert vocab.to_hsds_terms(["esol"])[0]["id"] == terms[1]["id"]  # stable ids
    assert vocab.from_hsds_terms(terms) == ["carers_support", "esol"]
    with pytest.raises(InputError, match="'no_such_type'"):
        vocab.to_hsds_terms(["no_such_type"])


def test_hsds_terms_from_other_publishers_are_read_when_a_type_derives_from_them():
    terms = [
        {"id": "a", "name": "Bereavement", "description": "", "code": "1314", "taxonomy": "Open Eligibility"},
        {"id": "b", "name": "Walking", "description": "", "code": "95092977-5a20-4d6e-b312-8fddabe71544",
         "taxonomy_detail": {"id": "t", "name": "OpenActive Activity List", "description": ""}},
        {"id": "c", "name": "Recreation", "description": "", "code": "1285", "taxonomy": "openEligibility"},
        {"id": "d", "name": "Lunch", "description": "", "code": "x1", "taxonomy": "bccservicetype"},
        {"id": "e", "name": "Mentoring", "description": "", "code": "openEligibility:1309", "taxonomy": "x"},
        {"id": "f", "name": "Choir", "description": "", "code": "", "taxonomy": vocab.SUPPORT_TYPE_TAXONOMY},
    ]
    with pytest.raises(InputError, match="'choir'"):
        vocab.from_hsds_terms(terms)  # a term of our own vocabulary must name one of our types
    # Recreation is broader than several of our types, so it names none of them
    assert vocab.from_hsds_terms(terms[:5]) == ["bereavement", "walking_groups", "befriending"]


def test_welsh_terms_name_known_types_and_domains_and_take_their_mutated_forms():
    from directory import welsh
    from directory.records import DOMAINS

    assert set(welsh.TYPE_TERMS) <= set(vocab.SUPPORT_TYPE_KEYS) and set(welsh.DOMAIN_TERMS) <= set(DOMAINS)
    for fragment in (*[f for fs in welsh.TYPE_TERMS.values() for f in fs],
                     *[f for fs in welsh.DOMAIN_TERMS.values() for f in fs]):
        re.compile(fragment)
        assert fragment == fragment.lower()
    assert welsh.forms("cerdded") == ["cerdded", "gerdded", "ngherdded", "cherdded"]  # soft, nasal, aspirate
    assert welsh.forms("gofalwyr") == ["gofalwyr", "ofalwyr", "ngofalwyr"]
    assert welsh.forms("llesiant") == ["llesiant", "lesiant"] and welsh.forms("iechyd") == ["iechyd", "hiechyd"]
    assert welsh.forms("=tai") == ["tai"] and welsh.forms("ffrindiau") == ["ffrindiau"]
    assert welsh.forms("(?<!droed )cerdded")[1] == "(?<!droed )gerdded"
    # the Welsh terms are part of a type's listing rules
    assert any(f.startswith("ngofalw") for f in vocab.get("carers_support").listing_terms)
