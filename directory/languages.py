"""Language names for ISO 639-1 codes (shown to people) and the codes for names people type.

The table is data, `directory/data/languages.csv` (code, English name, other names people type for
it: "Farsi", "Mandarin"), so a curator can correct a name without touching code.

`ku` is Kurmanji (Latin letters), as the directory's Kurdish groups hold it; Sorani (Arabic letters,
ISO 639-3 `ckb`) has no two-letter code and is deliberately not mapped to it.
"""

from __future__ import annotations

import csv
from pathlib import Path

LANGUAGES_CSV = Path(__file__).resolve().parent / "data" / "languages.csv"


def _load() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    with LANGUAGES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names[row["code"]] = row["name"]
            by_name[row["name"].casefold()] = row["code"]
            for other in filter(None, row["other_names"].split(";")):
                by_name[other.casefold()] = row["code"]
    return names, by_name


LANGUAGE_NAMES, _BY_NAME = _load()


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code ('sm' → 'Samoan'); the code itself if unknown."""
    return LANGUAGE_NAMES.get(code.strip().lower(), code)


def code_for_name(name: str) -> str | None:
    """The ISO 639-1 code for a language name or a code ('Urdu', 'urdu', 'ur' → 'ur'); None if unknown."""
    key = " ".join(name.split()).casefold()
    if key in LANGUAGE_NAMES:
        return key
    return _BY_NAME.get(key)
