"""The curator's spreadsheet (contracts/README.md section 2): read with every error located, write
safely for spreadsheets (formula injection neutralised) and byte-stable (export → import → export)."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .inputs import MAX_IMPORT_BYTES, decode_utf8, open_bounded
from .records import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    InputError,
    Resource,
    ValidationIssue,
    resource_from_row,
    resource_to_row,
)

# The largest spreadsheet read (a directory of 100k listings is ~60 MB); the app's upload limit too.
MAX_CSV_BYTES = MAX_IMPORT_BYTES

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula (numbers stay numbers)."""
    if cell.startswith(_FORMULA_START) and not _is_number(cell):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` on import, so that export → import → export is stable."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) and not _is_number(cell[1:]):
        return cell[1:]
    return cell


def decode(data: bytes, name: str = "the file") -> str:
    """UTF-8 (with or without BOM): `inputs.decode_utf8`, the project's one decoder."""
    return decode_utf8(data, name)


def _not_utf8(line: int, byte: int, name: str) -> InputError:
    """The same words as `inputs.decode_utf8`, for a file decoded a line at a time."""
    return InputError([ValidationIssue(line, None, f"{name} is not UTF-8 text (byte 0x{byte:02x} on line {line}); "
                                                   "save it as UTF-8 (a spreadsheet's 'CSV UTF-8') and try again")])


# Problems listed one by one; past this many a file is reported with a count of the rest, so that a
# million bad rows cannot fill memory (or a terminal) with messages.
MAX_REPORTED_ISSUES = 1000


def _text_lines(stream: BinaryIO, name: str = "the file") -> Iterator[str]:
    """The lines of a UTF-8 byte stream as text, decoded line by line (a bad byte is an InputError
    naming its line). CR-only line ends are split as `newline=""` text mode would."""
    for lineno, raw in enumerate(stream, start=1):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _not_utf8(lineno, raw[err.start], name) from None
        if "\r" in line.rstrip("\r\n"):
            yield from io.StringIO(line, newline="")
        else:
            yield line


class CsvListings:
    """The listings of a contract CSV read from a byte stream, one at a time, for importing a
    file of any size in constant memory. Iterating yields each valid listing; problems are
    collected meanwhile (`issues`, at most MAX_REPORTED_ISSUES, `issue_count` all of them) and
    `check()` afterwards raises them as one InputError. Header problems raise at once."""

    def __init__(self, stream: BinaryIO, source: str = ""):
        self.source = source or "the file"
        self._lines = _text_lines(stream, self.source)
        self.issues: list[ValidationIssue] = []
        self.issue_count = 0
        self.count = 0  # valid listings yielded
        self._first_row: dict[str, int] = {}

    def _issue(self, issue: ValidationIssue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_REPORTED_ISSUES:
            self.issues.append(issue)

    def _reader(self) -> csv.DictReader:
        first = next(self._lines, "")
        if not first.strip():  # a blank first line is an empty header (csv reads it as no columns)
            if not any(line.strip() for line in self._lines):
                raise InputError([ValidationIssue(None, None, f"{self.source} is empty: no header, no listings")])
            first = "\r\n"
        reader = csv.DictReader(itertools.chain([first], self._lines), strict=True)
        try:
            header = [unneutralise(name) for name in reader.fieldnames or []]
        except csv.Error as err:
            raise InputError([ValidationIssue(1, None, f"the header cannot be read as CSV: {err}")]) from None
        reader.fieldnames = header  # a publisher's column named like a formula was written neutralised
        issues = [ValidationIssue(1, name, "appears twice in the header")
                  for i, name in enumerate(header) if name in header[:i]]
        issues += [ValidationIssue(1, col, "required column is missing from the header")
                   for col in REQUIRED_COLUMNS if col not in header]
        if issues:
            raise InputError(issues)
        return reader

    def __iter__(self) -> Iterator[Resource]:
        reader = self._reader()
        # A listing's row number is its record number + 1 (the header is row 1), as a spreadsheet
        # program shows it; csv's line_num would count physical lines of multi-line cells instead.
        record = 1
        try:
            for row in reader:
                record += 1
                if all((v or "").strip() == "" for k, v in row.items() if k is not None) and None not in row:
                    continue  # blank line
                cleaned = {k: (unneutralise(v) if isinstance(v, str) else v) for k, v in row.items()}
                resource, row_issues = resource_from_row(cleaned, record)
                for issue in row_issues:
                    self._issue(issue)
                if resource is None:
                    continue
                if resource.id in self._first_row:
                    self._issue(ValidationIssue(record, "id", f"duplicate id '{resource.id}' (first used on row "
                                                              f"{self._first_row[resource.id]})"))
                    continue
                self._first_row[resource.id] = record
                if not self.issue_count:  # nothing is written once the file is known to be bad
                    self.count += 1
                    yield resource
        except csv.Error as err:
            self._issue(ValidationIssue(record + 1, None, f"the row cannot be read as CSV: {err}"))

    def check(self) -> None:
        """Raise every problem found by the iteration (InputError); a file of no listings is one."""
        if self.issue_count:
            more = self.issue_count - len(self.issues)
            tail = [ValidationIssue(None, None, f"... and {more} more problem(s) not listed")] if more else []
            raise InputError(self.issues + tail)
        if not self.count:
            raise InputError([ValidationIssue(None, None, f"{self.source} has a header but no listings")])


def parse_stream(stream: BinaryIO, *, source: str = "") -> list[Resource]:
    """Every listing of a contract CSV byte stream in a list, or an InputError carrying every problem."""
    listings = CsvListings(stream, source)
    out = list(listings)
    listings.check()
    return out


def parse_csv(text: str, *, source: str = "") -> list[Resource]:
    """Every listing of a contract CSV given as text, or an InputError carrying every problem found."""
    return parse_stream(io.BytesIO(text.encode("utf-8", errors="surrogatepass")), source=source)


def read_csv(path: str | os.PathLike) -> list[Resource]:
    path = Path(path)
    with open_bounded(path, MAX_CSV_BYTES, "spreadsheet") as stream:
        return parse_stream(stream, source=path.name)


def to_csv_text(resources: Iterable[Resource]) -> str:
    resources = sorted(resources, key=lambda r: r.id)
    extra_cols = sorted({k for r in resources for k in r.extra if k not in CSV_COLUMNS})
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=[*CSV_COLUMNS, *extra_cols], lineterminator="\r\n")
    # A publisher's extra column may be named like a formula: the header row is neutralised too.
    writer.writerow({name: neutralise(name) for name in writer.fieldnames})
    for r in resources:
        writer.writerow({k: neutralise(v) for k, v in resource_to_row(r).items()})
    return buf.getvalue()


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write aside, then rename: a crash leaves the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(resources: Iterable[Resource], path: str | os.PathLike) -> None:
    atomic_write(path, to_csv_text(resources).encode("utf-8"))
