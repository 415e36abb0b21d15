"""HSDS CSV datapackages, folders and zipped (directory/hsds/datapackage.py, archive.py)."""

from __future__ import annotations

import io
import zipfile

from directory import hsds, importer

from .hsds_helpers import (
    ORG_1_1,
    V1,
    issues_of,
    located,
    write_package,
    zipped,
)


def test_datapackages_without_services(tmp_path):
    empty = write_package(tmp_path / "empty", {"services.csv": "id,name,description\n", "datapackage.json": "{}"})
    got = hsds.read_datapackage(empty)
    assert got == [] and got.warnings[0].message == "empty: services.csv has no rows, so no services: nothing to import"
    terms = write_package(tmp_path / "terms", {"taxonomy_terms.csv": "id,code,name\nT1,x,X\n", "datapackage.json": "{}"})
    got = importer.load(terms)
    assert got == [] and got.warnings[0].message == ("terms holds HSDS tables (taxonomy_terms.csv) and no services: "
                                                     "nothing to import")
    stray = write_package(tmp_path / "stray", {"notes.csv": "a\n1\n", "datapackage.json": "{}"})
    assert "has no services.csv: not an HSDS datapackage" in issues_of(hsds.read_datapackage, stray)[0].message


def test_bad_rows_of_a_datapackage_name_file_row_and_column(tmp_path):
    folder = write_package(tmp_path / "pkg", {
        "organizations.csv": ORG_1_1, "locations.csv": "id,name,latitude,longitude\nL1,Hall,55.86,east\n",
        "services.csv": "id,organization_id,name,description,status,minimum_age,maximum_age\n"
                        "A,O1,Tea dance,Dancing,active,twelve,\nB,O9,Choir,Singing,open,,\n",
        "service_at_location.csv": "id,service_id,location_id\nX1,A,L1\nX2,B,L2\n",
        "phones.csv": "id,service_id,number\nP1,B,0141 1\n",
    })
    issues = issues_of(hsds.read_datapackage, folder)
    assert located(issues) == {
        ("locations.csv row 2", "longitude"),
        ("service_at_location.csv row 3", "location_id"),
        ("services.csv row 2", "minimum_age"),
        ("services.csv row 3", "organization_id"),
        ("services.csv row 3", "status"),
    }


def test_non_utf8_table_names_the_file_and_line(tmp_path):
    folder = write_package(tmp_path / "pkg", {"services.csv": "id,name,description\n"})
    (folder / "services.csv").write_bytes(b"id,name,description,url\nA,Caf\xe9,Coffee,https://x.org\n")
    issues = issues_of(hsds.read_datapackage, folder)
    assert issues[0].row == 2 and "services.csv is not UTF-8 text" in issues[0].message


# ---- zipped datapackages ------------------------------------------------------------------------
def test_zipped_datapackage_reads_like_the_folder(tmp_path):
    folder = V1 / "all_resources"
    from_folder = hsds.read_datapackage(folder)
    for got in (hsds.read_zip_bytes(zipped(folder, "sample/"), "sample.zip"),
                importer.load_bytes(zipped(folder), "sample.zip")):
        assert got == from_folder and got.warnings == from_folder.warnings


def test_zip_with_path_traversal_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("services.csv", "id,name,description,url\nA,B,C,https://x.org\n")
        z.writestr("../../etc/evil.csv", "x")
    issues = issues_of(hsds.read_zip_bytes, buf.getvalue(), "evil.zip")
    assert located(issues) == {("../../etc/evil.csv", None)} and "not a safe file name" in issues[0].message


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("services.csv", b"id,name\n" + b"0" * (8 * 1024 * 1024))
    assert len(buf.getvalue()) < 100_000
    issues = issues_of(hsds.read_zip_bytes, buf.getvalue(), "bomb.zip")
    assert "too large or too compressed" in issues[0].message


def test_not_a_zip():
    issues = issues_of(hsds.read_zip_bytes, b"PK\x03\x04 not really", "broken.zip")
    assert issues[0].message == "broken.zip is not a readable zip file"
