"""Reading typed values out of HSDS objects: text, lists of objects, numbers, dates, languages.

Every reader takes the place (`where`) and the field (`key`) so that a problem is reported as an
issue naming both; numbers given as text are ASCII digits as written (`inputs.strict_float`), so
``1_8`` and ``١٨`` are errors, never 18.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from ..inputs import for_terminal, not_in_future, strict_float
from ..languages import LANGUAGE_NAMES, code_for_name
from ..records import ValidationIssue

Issues = list[ValidationIssue]


class Row(dict):
    """A table row (or tabular.json item) turned into an HSDS object; remembers where it came from."""

    __slots__ = ("where",)

    def __init__(self, data: dict, where: str):
        super().__init__(data)
        self.where = where


def where_of(obj: Any, path: str) -> str:
    """Where an object is: its table row when it came from one, else its path in the document."""
    return obj.where if isinstance(obj, Row) else path


def scalar_text(value: Any) -> str:
    """The text of a scalar ('' for None and for lists/objects)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text(obj: dict, key: str, where: str, issues: Issues) -> str:
    """A text field; a list or an object there is an issue."""
    value = obj.get(key)
    if isinstance(value, (dict, list)):
        issues.append(ValidationIssue(where, key, "must be text, not a list or an object"))
        return ""
    return scalar_text(value)


def items(obj: dict, key: str, where: str, issues: Issues) -> list[tuple[dict, str]]:
    """The objects of a list field, each with its path."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        issues.append(ValidationIssue(where, key, "must be a list"))
        return []
    out = []
    for i, item in enumerate(value):
        path = where_of(item, f"{where}.{key}[{i}]")
        if isinstance(item, dict):
            out.append((item, path))
        else:
            issues.append(ValidationIssue(path, None, "is not an object"))
    return out


def _number_from_text(value: str, where: str, key: str, issues: Issues) -> float | None:
    try:
        return strict_float(value)
    except ValueError:
        shown = for_terminal(value.strip())
        if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", value.strip()):  # as written, but beyond a float
            problem = "is not a usable number (far too large)"
        elif any(c.isdigit() for c in value):  # digits, but not as written in ASCII ('1_8', '١٨', '5_5.86')
            problem = "is not a number written in digits 0-9"
        else:  # 'north', 'twelve', 'inf'
            problem = "is not a number"
        issues.append(ValidationIssue(where, key, f"'{shown}' {problem}"))
        return None


def number(value: Any, where: str, key: str, issues: Issues) -> float | None:
    """A JSON number, or a number written as text in ASCII digits; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        issues.append(ValidationIssue(where, key, f"{json.dumps(value)} is not a number"))
        return None
    if isinstance(value, str):
        return _number_from_text(value, where, key, issues)
    try:
        result = float(value)
    except OverflowError:  # a whole number beyond any float, e.g. 10**400
        issues.append(ValidationIssue(where, key, f"{scalar_text(value)[:20]}… is not a usable number (far too large)"))
        return None
    if not math.isfinite(result):
        issues.append(ValidationIssue(where, key, f"'{value}' is not a number"))
        return None
    return result


def whole(value: Any, where: str, key: str, issues: Issues) -> int | None:
    """A whole number of years (an age)."""
    result = number(value, where, key, issues)
    if result is None:
        return None
    if not result.is_integer():
        issues.append(ValidationIssue(where, key, f"{scalar_text(value)} is not a whole number of years"))
        return None
    return int(result)


def date(value: str) -> dt.date | None:
    """The day a date or date-time starts with (YYYY-MM-DD in ASCII digits), else None."""
    m = re.match(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})", value.strip())
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None


def past_date(value: str, where: str, key: str, issues: Issues) -> dt.date | None:
    """A date something happened (verified, modified): a date, and not in the future."""
    day = date(value)
    if day is None:
        issues.append(ValidationIssue(where, key, f"'{for_terminal(value)}' is not a date (use YYYY-MM-DD)"))
        return None
    try:
        return not_in_future(day)
    except ValueError as err:
        issues.append(ValidationIssue(where, key, f"{err}: the day something was checked cannot be later "
                                                  "than today"))
        return None


# ---- languages ---------------------------------------------------------------------------------
# ISO 639-2 codes that publishers use for the languages most often met in UK directories.
_ISO639_2 = {
    "eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "urd": "ur",
    "pol": "pl", "pan": "pa", "ara": "ar", "ben": "bn", "zho": "zh", "chi": "zh", "cym": "cy",
    "wel": "cy", "gla": "gd", "gle": "ga", "ita": "it", "por": "pt", "rus": "ru", "tur": "tr",
    "som": "so", "fas": "fa", "per": "fa", "hin": "hi", "guj": "gu", "tam": "ta", "ron": "ro",
    "rum": "ro", "slk": "sk", "slo": "sk", "ces": "cs", "cze": "cs", "lit": "lt", "lav": "lv",
    "ukr": "uk", "kur": "ku", "pus": "ps", "tir": "ti", "amh": "am", "vie": "vi", "yor": "yo",
    "ibo": "ig", "hun": "hu", "bul": "bg", "ell": "el", "gre": "el", "heb": "he", "jpn": "ja",
    "kor": "ko", "tha": "th", "swa": "sw", "nld": "nl", "dut": "nl", "smo": "sm", "tgl": "tl",
}


def language_code(raw: str) -> str | None:
    """ISO 639-1 of a code ('en-GB', 'pol') or a name ('Polish'); None when unknown."""
    value = raw.strip()
    if not value:
        return None
    base = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    if len(base) == 2 and base in LANGUAGE_NAMES:
        return base
    if len(base) == 3 and base in _ISO639_2:
        return _ISO639_2[base]
    return code_for_name(value)


def languages_of(obj: dict, where: str, issues: Issues) -> list[str]:
    """Codes of an object's `languages` list (3.0 code/name, 1.1 `language`)."""
    codes: list[str] = []
    for lang, path in items(obj, "languages", where, issues):
        for key in ("code", "name", "language"):
            raw = scalar_text(lang.get(key))
            if not raw:
                continue
            parts = [p for p in re.split(r"[,;]", raw) if p.strip()] if key == "language" else [raw]
            for part in parts:
                code = language_code(part)
                if code is None:
                    issues.append(ValidationIssue(path, key, f"'{part.strip()}' is not a language Signpost knows: "
                                                             "use an ISO 639-1 code such as 'en' or 'pl'"))
                elif code not in codes:
                    codes.append(code)
            break
    return codes
