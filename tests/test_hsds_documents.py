"""Kinds of HSDS JSON document (directory/hsds/documents.py): valid HSDS without services, JSON that is
not HSDS, and bad input located by path and field, every problem at once."""

from __future__ import annotations

import pytest

from directory import hsds

from .hsds_helpers import (
    V3,
    issues_of,
    located,
    parse,
    parse_issues,
    service,
    venue,
)


# ---- valid HSDS without services: nothing to import ---------------------------------------------
@pytest.mark.parametrize("doc, holds", [
    ([], "an empty list"),
    ({"total_items": 0, "contents": []}, "an empty page"),
    ({"id": "O1", "name": "Org", "description": "d", "services": []}, "an HSDS organization"),
    ([{"id": "T1", "name": "Needs", "version": "1"}, {"id": "T2", "name": "Places", "uri": "https://x.org"}],
     "HSDS taxonomies"),
    ([{"id": "L1", "location_type": "physical"}, {"id": "T", "code": "x", "name": "X"}],
     "an HSDS location and an HSDS taxonomy term"),
    ({"taxonomies.csv": [{"id": "T1", "name": "Needs"}]}, "HSDS tables (taxonomies.csv)"),
])
def test_valid_hsds_without_services_gives_nothing_to_import(doc, holds):
    got = parse(doc)
    assert got == [] and [w.message for w in got.warnings] == [f"test.json holds {holds} and no services: nothing to import"]


@pytest.mark.parametrize("doc, message", [
    ({"foo": 1}, "test.json is not HSDS data: it holds an object that is no HSDS object Signpost knows; "),
    (42, "test.json holds a JSON int, not HSDS objects"),
])
def test_json_that_is_not_hsds_remains_an_error(doc, message):
    issues = parse_issues(doc)
    assert len(issues) == 1 and issues[0].message.startswith(message)


def test_a_list_of_services_with_something_else_among_them_is_an_error():
    issues = parse_issues([service(url="https://x.org"), {"id": "T", "code": "x", "name": "X"}, {"foo": 1}])
    assert sorted((i.row, i.message) for i in issues) == [
        ("items[1]", "is an HSDS taxonomy term, not a service, organization or service_at_location"),
        ("items[2]", "is an object that is no HSDS object Signpost knows, not HSDS data")]


# ---- bad input: located by path and field, every problem at once --------------------------------
def test_truncated_json_names_line_and_column():
    text = (V3 / "service_full.json").read_bytes()
    cut = text[:4000]
    issues = issues_of(hsds.parse_json_bytes, cut, "service_full.json")
    line = cut.count(b"\n") + 1
    assert len(issues) == 1 and issues[0].row == line
    assert "is not valid JSON: " in issues[0].message and f"at line {line}, column" in issues[0].message
    assert "cut short" in issues[0].message


def test_syntax_error_in_the_middle_names_its_line():
    issues = issues_of(hsds.parse_json_bytes, b'[\n  {"id": "S1",\n   "name": "A" "status": "active"}\n]\n', "x.json")
    assert issues[0].row == 3 and "line 3, column 16" in issues[0].message and "cut short" not in issues[0].message


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file_is_an_issue(data, tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(data)
    issues = issues_of(hsds.read_json, path)
    assert [i.message for i in issues] == ["empty.json is empty: no services"]


def test_non_utf8_bytes_name_the_line():
    data = b'[\n  {"id": "S1",\n   "name": "Caf\xe9 club", "url": "https://example.org"}\n]\n'
    issues = issues_of(hsds.parse_json_bytes, data, "latin1.json")
    assert issues[0].row == 3 and "byte 0xe9 on line 3" in issues[0].message


def test_every_problem_of_the_file_is_reported_with_path_and_field():
    doc = {"contents": [
        service(id="S1", url="https://example.org"),
        service(id="S2", name="", url="https://example.org"),
        service(id="S3", minimum_age=65, maximum_age=18, url="https://example.org"),
        service(id="S4", service_at_locations=[venue(lat="north")]),
        service(id="S5", minimum_age="twelve", url="https://example.org"),
        service(id="S1", url="https://example.org"),
    ]}
    issues = parse_issues(doc)
    assert located(issues) == {
        ("contents[1]", "name"),
        ("contents[2]", "minimum_age"),
        ("contents[3].service_at_locations[0].location", "latitude"),
        ("contents[4]", "minimum_age"),
        ("contents[5]", "id"),
    }
    by_row = {i.row: i.message for i in issues}
    assert by_row["contents[1]"] == "is required"
    assert by_row["contents[2]"] == "min_age 65 is greater than max_age 18"
    assert by_row["contents[3].service_at_locations[0].location"] == "'north' is not a number"
    assert by_row["contents[4]"] == "'twelve' is not a number"
    assert by_row["contents[5]"] == "duplicate id 'S1' (first used at contents[0])"


def test_list_paths_read_services():
    issues = parse_issues([service(url="https://example.org"), service(id="S2", name=None, url="https://x.org")])
    assert located(issues) == {("services[1]", "name")}
