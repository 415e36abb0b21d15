"""Every error a user meets, in one place.

Bad input is always an `InputError` carrying `ValidationIssue(row, column, message)`s: the CLI prints
them and exits 2, the app shows them beside the field. A message names where the problem is and
what is wrong, and never repeats a person's personal values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationIssue:
    """One problem with the input, located so that a person can find and fix it.

    `row` is the 1-based data row of a spreadsheet (the header is row 1, so the first listing is
    row 2), a line of a file, or a path into a JSON document; `column` is the field name.
    """

    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputError(Exception):
    """Bad input: carries every issue found, never a traceback for the user."""

    def __init__(self, issues: list[ValidationIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def one(cls, message: str, row: int | str | None = None, column: str | None = None) -> InputError:
        return cls([ValidationIssue(row, column, message)])
