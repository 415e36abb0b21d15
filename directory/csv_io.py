"""The curator's spreadsheet (contracts/README.md section 2): read with every error located, write
safely for spreadsheets (formula injection neutralised) and byte-stable (export → import → export)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .inputs import decode_utf8
from .records import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    InputError,
    Resource,
    ValidationIssue,
    resource_from_row,
    resource_to_row,
)

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


def parse_csv(text: str, *, source: str = "") -> list[Resource]:
    """Every listing of a contract CSV, or an InputError carrying every problem found."""
    if not text.strip():
        raise InputError([ValidationIssue(None, None, f"{source or 'the file'} is empty: no header, no listings")])
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [unneutralise(name) for name in reader.fieldnames or []]
    except csv.Error as err:
        raise InputError([ValidationIssue(1, None, f"the header cannot be read as CSV: {err}")]) from None
    reader.fieldnames = header  # a publisher's column named like a formula was written neutralised
    issues: list[ValidationIssue] = []
    seen_cols: set[str] = set()
    for name in header:
        if name in seen_cols:
            issues.append(ValidationIssue(1, name, "appears twice in the header"))
        seen_cols.add(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for col in missing:
        issues.append(ValidationIssue(1, col, "required column is missing from the header"))
    if issues:
        raise InputError(issues)

    out: list[Resource] = []
    first_row: dict[str, int] = {}
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
            issues.extend(row_issues)
            if resource is not None:
                if resource.id in first_row:
                    issues.append(
                        ValidationIssue(record, "id", f"duplicate id '{resource.id}' (first used on row {first_row[resource.id]})")
                    )
                else:
                    first_row[resource.id] = record
                    out.append(resource)
    except csv.Error as err:
        issues.append(ValidationIssue(record + 1, None, f"the row cannot be read as CSV: {err}"))
    if issues:
        raise InputError(issues)
    if not out:
        raise InputError([ValidationIssue(None, None, f"{source or 'the file'} has a header but no listings")])
    return out


def read_csv(path: str | os.PathLike) -> list[Resource]:
    path = Path(path)
    return parse_csv(decode(path.read_bytes(), path.name), source=path.name)


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
