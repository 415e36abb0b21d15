"""Contract section 2: the curator's spreadsheet, read with every error located, all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from directory import csv_io, importer
from directory.records import CSV_COLUMNS, InputError
from directory.store import Store

from .conftest import SHARED, make_resource

EXAMPLE = SHARED / "contracts" / "example-directory.csv"


def header(cols=CSV_COLUMNS) -> str:
    return ",".join(cols) + "\r\n"


def row(**cells) -> str:
    base = {
        "id": "T1", "name": "Lunch club", "description": "Hot lunch and company.", "delivery": "in_person",
        "latitude": "55.86", "longitude": "-4.25",
    }
    base.update(cells)
    return ",".join(f'"{base.get(c, "")}"' for c in CSV_COLUMNS) + "\r\n"


def issues_of(text: str) -> list:
    with pytest.raises(InputError) as err:
        csv_io.parse_csv(text)
    return err.value.issues


def test_example_directory_reads_every_field():
    res = {r.id: r for r in csv_io.read_csv(EXAMPLE)}
    assert sorted(res) == ["EX01", "EX02", "EX03", "EX04", "EX05"]
    money = res["EX02"]
    assert money.languages == ["en", "ur", "pa"] and money.interpreter_available is True
    assert money.min_age == 16 and money.max_age is None
    assert money.delivery == ["phone"] and money.latitude is None
    shed = res["EX03"]
    assert shed.gender == "male" and shed.cost == "low_cost" and shed.wheelchair_accessible is False
    assert (shed.latitude, shed.longitude) == (55.8710, -4.3060)
    assert res["EX05"].gender == "female" and res["EX05"].languages == ["en", "ar"]
    assert res["EX01"].domains == ["managing_symptoms", "social_relationships"]
    assert str(res["EX04"].last_verified) == "2026-09-30"


def test_blank_cells_take_the_contract_defaults():
    text = header() + row(languages="", cost="", wheelchair_accessible="", interpreter_available="", status="")
    (r,) = csv_io.parse_csv(text)
    assert r.languages == ["en"] and r.cost is None and r.wheelchair_accessible is None
    assert r.interpreter_available is False and r.status == "active"


def test_unknown_columns_are_kept_and_exported_back():
    cols = (*CSV_COLUMNS, "funder")
    text = ",".join(cols) + "\r\n" + row().rstrip("\r\n") + ',"Lottery"\r\n'
    (r,) = csv_io.parse_csv(text)
    assert r.extra == {"funder": "Lottery"}
    assert "funder" in csv_io.to_csv_text([r]).splitlines()[0]


def test_column_order_is_free():
    cols = list(reversed(CSV_COLUMNS))
    line = ",".join('"T9"' if c == "id" else '"x"' if c in ("name", "description") else
                    '"online"' if c == "delivery" else '""' for c in cols)
    (r,) = csv_io.parse_csv(",".join(cols) + "\r\n" + line + "\r\n")
    assert r.id == "T9" and r.delivery == ["online"]


@pytest.mark.parametrize(
    "text, where",
    [
        (header([c for c in CSV_COLUMNS if c != "description"]) + "T1,x,in_person\r\n", (1, "description")),
        (header() + row(id="A") + row(id="A"), (3, "id")),
        (header() + row(min_age="70", max_age="60"), (2, "min_age")),
        (header() + row(latitude="", longitude=""), (2, "latitude")),
        (header() + row(latitude="123"), (2, "latitude")),
        (header() + row(domains="happiness"), (2, "domains")),
        (header() + row(delivery="carrier_pigeon"), (2, "delivery")),
        (header() + row(cost="cheap"), (2, "cost")),
        (header() + row(min_age="ten"), (2, "min_age")),
        (header() + row(languages="English"), (2, "languages")),
        (header() + row(last_verified="yesterday"), (2, "last_verified")),
    ],
    ids=["missing-column", "duplicate-id", "ages", "in-person-no-coords", "latitude-123", "unknown-domain",
         "delivery", "cost", "age-text", "language-name", "date"],
)
def test_bad_input_names_row_and_column(text, where):
    issues = issues_of(text)
    assert (issues[0].row, issues[0].column) == where, issues
    assert issues[0].message


def test_every_problem_in_the_file_is_reported_not_just_the_first():
    text = header() + row(id="A", latitude="123") + row(id="B", domains="x") + row(id="C")
    issues = issues_of(text)
    assert {(i.row, i.column) for i in issues} == {(2, "latitude"), (3, "domains")}


def test_row_numbers_count_records_not_physical_lines():
    text = header() + row(id="A", description="line one\nline two") + row(id="B", latitude="99")
    assert [(i.row, i.column) for i in issues_of(text)] == [(3, "latitude")]


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        importer.load(empty)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes((header() + row(name="Caf\u00e9 club")).encode("latin-1"))
    with pytest.raises(InputError) as err:
        importer.load(latin)
    assert "UTF-8" in str(err.value) and err.value.issues[0].row == 2


def test_formula_cells_are_neutralised_and_numbers_are_not():
    r = make_resource("F1", name="=HYPERLINK(\"http://x\")", phone="+44 141 000 0000", organisation="@org")
    text = csv_io.to_csv_text([r])
    assert "'=HYPERLINK" in text and "'+44 141" in text and "'@org" in text
    assert ",-4.2518," in text  # a negative longitude stays a number
    (back,) = csv_io.parse_csv(text)
    assert back == r
    assert csv_io.to_csv_text([back]) == text


def test_export_import_export_is_byte_identical(tmp_path):
    first = tmp_path / "a.csv"
    csv_io.write_csv(csv_io.read_csv(EXAMPLE), first)
    second = tmp_path / "b.csv"
    csv_io.write_csv(csv_io.read_csv(first), second)
    assert first.read_bytes() == second.read_bytes()


def test_demo_directory_is_valid_and_rich():
    demo = csv_io.read_csv(Path(importer.__file__).parent / "data" / "demo_directory.csv")
    assert len(demo) >= 250
    langs = {lang for r in demo for lang in r.languages}
    assert {"ur", "pa", "ar", "pl", "zh", "ro"} <= langs
    assert sum(r.gender == "female" for r in demo) >= 10 and sum(r.gender == "male" for r in demo) >= 5
    assert sum(r.delivery == ["phone"] for r in demo) >= 10 and sum(r.delivery == ["online"] for r in demo) >= 10
    assert {r.cost for r in demo} >= {"free", "low_cost", "paid"}
    assert any(r.status == "inactive" for r in demo)
    assert any(r.min_age or r.max_age for r in demo)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.parent.glob(path.name + "*")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def test_reimport_is_a_no_op_and_a_changed_row_updates_by_id(tmp_path, db_url):
    with Store(db_url) as store:
        first = store.import_resources(csv_io.read_csv(EXAMPLE))
        version = store.directory_version()
        assert len(first.added) == 5
        again = store.import_resources(csv_io.read_csv(EXAMPLE))
        assert again.added == again.updated == [] and len(again.unchanged) == 5
        assert store.directory_version() == version
        changed = EXAMPLE.read_text().replace("Just turn up.", "Just turn up, no need to book.")
        path = tmp_path / "changed.csv"
        path.write_text(changed)
        summary = store.import_resources(csv_io.read_csv(path))
        assert summary.updated == ["EX01"] and store.get("EX01").version == 2
        (entry,) = [h for h in store.history("EX01") if h.action == "import" and h.version == 2]
        assert list(entry.changes) == ["description"]
