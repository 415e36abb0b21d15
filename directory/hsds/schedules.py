"""HSDS schedules (3.0 `schedules`, 1.1 `regular_schedules`) as the short text of a listing's
`schedule`: "Mon-Wed 09:00-17:00", "Fortnightly Tue 10:00-12:00", "1st Mon 18:00-20:00"."""

from __future__ import annotations

import re
from typing import Any

from .values import Issues, number, scalar_text

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_BY_NAME = {name.lower(): code for name, code in zip(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), _DAY_CODES, strict=True)}


def weekday_code(value: str) -> str:
    """The RRULE day code of an HSDS 1.1 weekday: 1-7 (1 = Monday, HSDS 1.1.1) or a day's name."""
    value = value.strip()
    if re.fullmatch(r"[1-7]", value):
        return _DAY_CODES[int(value) - 1]
    key = value.lower()
    for name, code in _DAY_BY_NAME.items():
        if key and (key == name or key == name[:3] or key == code.lower()):
            return code
    return ""


def _hhmm(value: Any) -> str:
    raw = scalar_text(value)
    m = re.match(r"^([0-9]{1,2}):([0-9]{2})", raw)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else raw


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _days_text(days: list[tuple[int | None, int]]) -> str:
    plain = sorted({d for o, d in days if o is None})
    runs: list[list[int]] = []
    for d in plain:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_DAY_SHORT[run[0]]}-{_DAY_SHORT[run[-1]]}")
        else:
            parts.extend(_DAY_SHORT[d] for d in run)
    parts.extend(f"{_ordinal(o)} {_DAY_SHORT[d]}" for o, d in days if o is not None)
    return ", ".join(dict.fromkeys(parts))


def _days(byday: Any) -> list[tuple[int | None, int]]:
    """(ordinal or None, weekday index) of an RRULE BYDAY list ("MO,TU", "1MO", "-1FR")."""
    days: list[tuple[int | None, int]] = []
    for token in re.split(r"[,\s]+", scalar_text(byday).upper()):
        m = re.fullmatch(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)", token)
        if m:
            days.append((int(m.group(1)) if m.group(1) else None, _DAY_CODES.index(m.group(2))))
    return days


def _times(sch: dict) -> str:
    opens, closes = _hhmm(sch.get("opens_at")), _hhmm(sch.get("closes_at"))
    if opens and closes:
        return f"{opens}-{closes}"
    return f"from {opens}" if opens else f"until {closes}" if closes else ""


def _every(sch: dict, where: str, issues: Issues) -> str:
    """'Fortnightly', 'Every 3 weeks' or '' for a weekly interval (an issue when it is not a number)."""
    interval = number(sch.get("interval"), where, "interval", issues)
    weeks = int(interval) if interval is not None else 1
    if scalar_text(sch.get("freq")).upper() == "WEEKLY" and weeks >= 2:
        return "Fortnightly" if weeks == 2 else f"Every {weeks} weeks"
    return ""


def schedule_text(schedules: list[tuple[dict, str]], issues: Issues) -> str:
    """The schedule of a listing, entries with the same times and frequency put together."""
    groups: dict[tuple[str, str], list[tuple[int | None, int]]] = {}
    loose: list[str] = []
    for sch, where in schedules:
        days, times = _days(sch.get("byday")), _times(sch)
        if not days and not times:
            if scalar_text(sch.get("description")):
                loose.append(scalar_text(sch.get("description")))
            continue
        groups.setdefault((_every(sch, where, issues), times), []).extend(days)
    pieces = [" ".join(p for p in (prefix, _days_text(days), times) if p) for (prefix, times), days in groups.items()]
    return "; ".join(dict.fromkeys(pieces + loose))

