"""`signpost index` and `signpost match` (contract section 5), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re

import jsonschema
import pytest

from cli import main
from directory.store import Store

from .conftest import SHARED
from .matcher_fixtures import HOME, small_directory

DOMAIN_KEYS = ["lifestyle", "self_care", "managing_symptoms", "work_volunteering", "money", "living_conditions",
               "social_relationships", "mental_wellbeing"]
RESULT = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "rank", "score", "name", "distance_km", "domains", "needs_met", "delivery", "reasons"],
    "properties": {
        "id": {"type": "string"}, "rank": {"type": "integer", "minimum": 1}, "score": {"type": "number"},
        "name": {"type": "string"}, "distance_km": {"type": ["number", "null"], "minimum": 0},
        "domains": {"type": "array", "items": {"enum": ["lifestyle", "self_care", "managing_symptoms",
                                                        "work_volunteering", "money", "living_conditions",
                                                        "social_relationships", "mental_wellbeing"]}},
        "needs_met": {"type": "array", "items": {"enum": DOMAIN_KEYS}},
        "delivery": {"type": "array", "minItems": 1, "items": {"enum": ["in_person", "phone", "online"]}},
        "reasons": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
}
ANSWER_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["profile_id", "results", "unmet_needs", "excluded", "near_misses"],
    "properties": {
        "profile_id": {"type": ["string", "null"]},
        "results": {"type": "array", "items": RESULT},
        "unmet_needs": {"type": "array", "items": {"enum": DOMAIN_KEYS}},
        "excluded": {
            "type": "object", "additionalProperties": False,
            "required": ["language", "age", "gender", "reach", "cost", "inactive"],
            "properties": {k: {"type": "integer", "minimum": 0}
                           for k in ("language", "age", "gender", "reach", "cost", "inactive")},
        },
        "near_misses": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "name", "broken", "detail"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                           "broken": {"enum": ["language", "age", "gender", "reach", "cost"]},
                           "detail": {"type": "string", "minLength": 1}}}},
    },
}

PROFILE = {"id": "P1", "needs": {"social_relationships": 2, "money": 3},
           "goals": "My private words about my late husband", "languages": ["en"], "age": 67,
           "gender": "male", "location": {"latitude": HOME[0], "longitude": HOME[1]}, "max_cost": "free",
           "digital_access": "phone"}


@pytest.fixture
def db(db_url, tmp_path, monkeypatch, embedder):
    monkeypatch.setenv("SIGNPOST_INDEX_DIR", str(tmp_path / "index"))
    with Store(db_url) as store:
        store.import_resources(small_directory())
    return db_url


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_reembeds_exactly_the_one_changed_listing(db, capsys):
    code, out, err = run(capsys, "--db", db, "index")
    assert code == 0 and out == "" and re.search(r"\b11 embedded\b", err)
    code, _, err = run(capsys, "--db", db, "index")
    assert code == 0 and re.search(r"\b0 embedded\b", err)
    with Store(db) as store:
        old = store.get("L04")
        store.update(old.resource.model_copy(update={"description": "Polish conversation and cake."}), old.version)
    code, _, err = run(capsys, "--db", db, "index")
    assert code == 0 and re.search(r"\b1 embedded\b", err) and re.search(r"\b1 changed\b", err)


def test_match_json_validates_against_the_contract(db, tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROFILE))
    code, out, err = run(capsys, "--db", db, "match", str(path), "--top", "3", "--json")
    assert code == 0
    answer = json.loads(out)
    jsonschema.validate(answer, ANSWER_SCHEMA)
    assert answer["profile_id"] == "P1" and 1 <= len(answer["results"]) <= 3
    assert "late husband" not in err  # profiles are never echoed outside the answer


def test_contract_example_profile(db, capsys):
    code, out, _ = run(capsys, "--db", db, "match", str(SHARED / "contracts" / "example-profile.json"), "--json")
    assert code == 0
    jsonschema.validate(json.loads(out), ANSWER_SCHEMA)


def test_jsonl_batch_answers_in_order(db, tmp_path, capsys):
    lines = [dict(PROFILE, id=f"B{i}", needs={"money": 1 + i}) for i in range(4)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    code, out, _ = run(capsys, "--db", db, "match", str(path), "--json")
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["profile_id"] for a in answers] == ["B0", "B1", "B2", "B3"]
    for a in answers:
        jsonschema.validate(a, ANSWER_SCHEMA)


def test_stdin_and_table(db, capsys, monkeypatch):
    code, out, _ = run(capsys, "--db", db, "match", "-", stdin=json.dumps(PROFILE), monkeypatch=monkeypatch)
    assert code == 0 and "Profile P1" in out and "Left out:" in out


@pytest.mark.parametrize("bad, field", [({"age": 300}, "age"), ({"needs": {"money": 0}}, "needs.money"),
                                        ({"shoe_size": 9}, "shoe_size"), ({"location": {"place": "Atlantis"}}, "location")])
def test_bad_profile_exits_2_naming_the_field(db, tmp_path, capsys, bad, field):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(PROFILE) + "\n" + json.dumps(dict(PROFILE, **bad)) + "\n")
    code, out, err = run(capsys, "--db", db, "match", str(path), "--json")
    assert code == 2 and out == ""
    assert f"'{field}'" in err and "row 2" in err


def test_not_json_exits_2(db, tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    code, out, err = run(capsys, "--db", db, "match", str(path))
    assert code == 2 and out == "" and "not valid JSON" in err


def test_match_options_narrow_the_offer_like_the_app(db, tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(dict(PROFILE, max_distance_km=20, max_cost="paid")))
    code, out, _ = run(capsys, "--db", db, "match", str(path), "--json", "--support-type", "debt_advice")
    assert code == 0 and [r["id"] for r in json.loads(out)["results"]] == ["L02"]
    code, out, _ = run(capsys, "--db", db, "match", str(path), "--json", "--keyword", "choir")
    assert code == 0 and [r["name"] for r in json.loads(out)["results"]] == ["Far Away Choir"]
    code, out, _ = run(capsys, "--db", db, "match", str(path), "--json", "--day", "Saturday", "--day", "sun")
    assert code == 0 and json.loads(out)["results"] == []  # no schedule names a weekend day
    code, out, _ = run(capsys, "--db", db, "match", str(path), "--json", "--day", "Fri")
    assert code == 0 and "L02" in [r["id"] for r in json.loads(out)["results"]]  # Mon-Fri


@pytest.mark.parametrize("option, value, said", [("--support-type", "walking_on_water", "is not a support type"),
                                                 ("--day", "someday", "must be a day of the week")])
def test_a_bad_match_option_exits_2_naming_it(db, tmp_path, capsys, option, value, said):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROFILE))
    code, out, err = run(capsys, "--db", db, "match", str(path), option, value)
    assert code == 2 and out == "" and option in err and said in err and f"'{value}'" in err


def test_support_types_lists_every_key(capsys):
    from directory.support_types import SUPPORT_TYPE_KEYS

    code, out, _ = run(capsys, "support-types", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["key"] for r in rows] == list(SUPPORT_TYPE_KEYS)
    assert all(r["label"] and r["domains"] for r in rows)
