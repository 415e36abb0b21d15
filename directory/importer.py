"""One entry point for every import format: `load(path)` returns validated listings or raises
`InputError` with every problem found. Nothing here touches the database, so a file with errors
cannot change it.

The listings come as a `records.Loaded` list whose `warnings` a person should see before the import
is confirmed: what the file says that Signpost could not use as it is (an HSDS venue without
usable coordinates, imported as inactive) and, for a valid file without listings, why there is
nothing to import. Warnings never stop an import; errors always do."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from . import csv_io, hsds
from .inputs import MAX_IMPORT_BYTES, open_bounded, read_bounded, too_large
from .records import InputError, Loaded, Resource, ValidationIssue

# The largest import (a directory of 100k listings is ~60 MB): a file, a folder's files together, an
# upload. Every file is read through `inputs.open_bounded`, which stops at this while reading: a size
# reported by the file system is not trusted (a link to /dev/zero reports 0 bytes).


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
    with open_bounded(path, MAX_IMPORT_BYTES, "spreadsheet") as f:
        first = f.readline(64 * 1024).decode("utf-8-sig", errors="replace")
    header = next(csv.reader([first]), [])
    return "delivery" not in {h.strip() for h in header}


def open_listings(path: str | os.PathLike) -> Loaded | csv_io.CsvListings:
    """What `signpost import` writes: for a contract CSV, the listings streamed from the file (checked
    in full first, then read again while they are written, so memory does not grow with the file);
    for HSDS, the `load`ed list. Either way every problem is an InputError before anything is written."""
    path = Path(path)
    if detect_format(path) != "csv" or _datapackage_table(path):
        return load(path)
    return StreamedCsv(path)


class StreamedCsv:
    """A contract CSV validated in one pass (no listing kept), iterated again for writing."""

    def __init__(self, path: Path):
        self.path = path
        self.warnings: list[ValidationIssue] = []
        with open_bounded(path, MAX_IMPORT_BYTES, "spreadsheet") as stream:
            checking = csv_io.CsvListings(stream, path.name)
            for _ in checking:
                pass
        checking.check()
        self.count = checking.count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Resource]:
        # The file is read again: should it have changed since the check, its problems stop the
        # import at the end (the caller's transaction is rolled back), so nothing half-read is kept.
        with open_bounded(self.path, MAX_IMPORT_BYTES, "spreadsheet") as stream:
            listings = csv_io.CsvListings(stream, self.path.name)
            yield from listings
        listings.check()


def load(path: str | os.PathLike) -> Loaded:
    """Every listing of a file or datapackage folder, validated, in a list (InputError otherwise)."""
    path = Path(path)
    if not path.exists():
        raise InputError([ValidationIssue(None, None, f"{path} does not exist")])
    fmt = detect_format(path)
    name = path.name or str(path)
    if fmt == "csv":
        if _datapackage_table(path):
            raise InputError([ValidationIssue(None, None, f"{path.name} is one table of the HSDS datapackage in "
                                                          f"{path.parent}, not a Signpost spreadsheet: import the "
                                                          "folder (or its datapackage.json) instead")])
        return Loaded(csv_io.read_csv(path))
    if fmt == "hsds-json":
        return hsds.parse_json_bytes(read_bounded(path, MAX_IMPORT_BYTES, "HSDS file"), name)
    if fmt == "zip":
        return hsds.read_zip_bytes(read_bounded(path, MAX_IMPORT_BYTES, "zip file"), name)
    folder = path.parent if path.is_file() else path
    return hsds.read_datapackage(folder)


def load_bytes(data: bytes, filename: str) -> Loaded:
    """The same, for an upload held in memory (the app). Datapackages are uploaded as a .zip."""
    if len(data) > MAX_IMPORT_BYTES:
        raise too_large(filename, MAX_IMPORT_BYTES, "import", len(data))
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return Loaded(csv_io.parse_stream(io.BytesIO(data), source=filename))
    if suffix == ".json":
        return hsds.parse_json_bytes(data, source=filename)
    if suffix == ".zip":
        return hsds.read_zip_bytes(data, source=filename)
    raise InputError([ValidationIssue(None, None, f"{filename}: use a .csv spreadsheet, an HSDS .json file or a "
                                                  "zipped HSDS datapackage")])
