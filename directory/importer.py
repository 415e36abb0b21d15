"""One entry point for every import format: `load(path)` returns validated listings or raises
`InputError` with every problem found. Nothing here touches the database, so a file with errors
cannot change it."""

from __future__ import annotations

import os
from pathlib import Path

from . import csv_io, hsds
from .records import InputError, Resource, ValidationIssue

# An upload bigger than this is refused before it is read (a directory of 100k listings is ~60 MB).
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def detect_format(path: Path) -> str:
    """'csv', 'hsds-json' or 'hsds-datapackage', from what the path holds."""
    if path.is_dir():
        if (path / "datapackage.json").exists() or (path / "services.csv").exists():
            return "hsds-datapackage"
        raise InputError([ValidationIssue(None, None, f"{path} is a folder without datapackage.json or services.csv: "
                                                      "not an Open Referral HSDS datapackage")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        if path.name == "datapackage.json":
            return "hsds-datapackage"
        return "hsds-json"
    raise InputError([ValidationIssue(None, None, f"{path.name}: cannot tell the format; use a .csv spreadsheet, "
                                                  "an HSDS .json file or an HSDS datapackage folder")])


def _check_size(path: Path) -> None:
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise InputError([ValidationIssue(None, None, f"{path.name} is {size / 1e6:.0f} MB; the limit is "
                                                      f"{MAX_IMPORT_BYTES / 1e6:.0f} MB. Split it into smaller files.")])


def load(path: str | os.PathLike) -> list[Resource]:
    path = Path(path)
    if not path.exists():
        raise InputError([ValidationIssue(None, None, f"{path} does not exist")])
    _check_size(path)
    fmt = detect_format(path)
    if fmt == "csv":
        return csv_io.read_csv(path)
    if fmt == "hsds-json":
        return hsds.read_json(path)
    return hsds.read_datapackage(path.parent if path.is_file() else path)


def load_bytes(data: bytes, filename: str) -> list[Resource]:
    """The same, for an upload held in memory (the app). Datapackages are uploaded as a .zip."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError([ValidationIssue(None, None, f"{filename} is {len(data) / 1e6:.0f} MB; the limit is "
                                                      f"{MAX_IMPORT_BYTES / 1e6:.0f} MB")])
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return csv_io.parse_csv(csv_io.decode(data), source=filename)
    if suffix == ".json":
        return hsds.parse_json_bytes(data, source=filename)
    if suffix == ".zip":
        return hsds.read_zip_bytes(data, source=filename)
    raise InputError([ValidationIssue(None, None, f"{filename}: use a .csv spreadsheet, an HSDS .json file or a "
                                                  "zipped HSDS datapackage")])
