"""One entry point for every import format: `load(path)` returns validated listings or raises
`InputError` with every problem found. Nothing here touches the database, so a file with errors
cannot change it.

The listings come as a `records.Loaded` list whose `warnings` a person should see before the import
is confirmed: what the file says that Signpost could not use as it is (an HSDS venue without
usable coordinates, imported as inactive) and, for a valid file without listings, why there is
nothing to import. Warnings never stop an import; errors always do."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

from . import csv_io, hsds
from .records import InputError, Loaded, ValidationIssue

# An upload bigger than this is refused before it is read (a directory of 100k listings is ~60 MB).
MAX_IMPORT_BYTES = 200 * 1024 * 1024
_MB = 1024 * 1024  # megabytes as Streamlit counts them: server.maxUploadSize = 200 is this same limit


def _too_large(name: str, size: int) -> InputError:
    # Rounded up, so that a file just over the limit never reads as "200 MB; the limit is 200 MB".
    return InputError([ValidationIssue(None, None, f"{name} is {math.ceil(size / _MB * 10) / 10:.1f} MB: more than "
                                                   f"the {MAX_IMPORT_BYTES // _MB} MB an import may be. Split it "
                                                   "into smaller files.")])


def detect_format(path: Path) -> str:
    """'csv', 'hsds-json', 'hsds-datapackage' or 'zip', from what the path holds."""
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
    if suffix == ".zip":
        return "zip"
    raise InputError([ValidationIssue(None, None, f"{path.name}: cannot tell the format; use a .csv spreadsheet, "
                                                  "an HSDS .json file, an HSDS datapackage folder or a zipped one")])


def _datapackage_table(path: Path) -> bool:
    """A CSV that is one table of an HSDS datapackage (beside its datapackage.json or services.csv)
    rather than a Signpost spreadsheet (which has a delivery column)."""
    folder = path.parent
    if not ((folder / "datapackage.json").is_file() or (folder / "services.csv").is_file()):
        return False
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            header = next(csv.reader(f), [])
    except OSError:
        return False
    return "delivery" not in {h.strip() for h in header}


def _check_size(path: Path) -> None:
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise _too_large(path.name, size)


def load(path: str | os.PathLike) -> Loaded:
    path = Path(path)
    if not path.exists():
        raise InputError([ValidationIssue(None, None, f"{path} does not exist")])
    _check_size(path)
    fmt = detect_format(path)
    if fmt == "csv":
        if _datapackage_table(path):
            raise InputError([ValidationIssue(None, None, f"{path.name} is one table of the HSDS datapackage in "
                                                          f"{path.parent}, not a Signpost spreadsheet: import the "
                                                          "folder (or its datapackage.json) instead")])
        return Loaded(csv_io.read_csv(path))
    if fmt == "hsds-json":
        return hsds.read_json(path)
    if fmt == "zip":
        return hsds.read_zip_bytes(path.read_bytes(), path.name)
    return hsds.read_datapackage(path.parent if path.is_file() else path)


def load_bytes(data: bytes, filename: str) -> Loaded:
    """The same, for an upload held in memory (the app). Datapackages are uploaded as a .zip."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(filename, len(data))
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return Loaded(csv_io.parse_csv(csv_io.decode(data), source=filename))
    if suffix == ".json":
        return hsds.parse_json_bytes(data, source=filename)
    if suffix == ".zip":
        return hsds.read_zip_bytes(data, source=filename)
    raise InputError([ValidationIssue(None, None, f"{filename}: use a .csv spreadsheet, an HSDS .json file or a "
                                                  "zipped HSDS datapackage")])
