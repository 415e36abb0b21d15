"""The plan's fixed words (headings, 'When', 'Where', the next step) in the person's language, and
dates in their locale.

The words live in `directory/data/plan_words.csv` (key, language, text) so that a curator can
correct a translation without touching code. A language is offered only when every key is
translated and the plan's font can draw it; anything missing falls back to English, word by word.
Listing text itself is printed as the listing holds it.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date

WORDS_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "plan_words.csv"
RTL = frozenset({"ar", "fa", "ur", "he", "ps"})
# Babel locales for the date line: a language's usual locale in the UK (English: en_GB, '2 March 2026').
LOCALES = {"en": "en_GB"}


@lru_cache(maxsize=4)
def load_words(path: str | None = None) -> dict[str, dict[str, str]]:
    """{language: {key: text}} from the CSV (blank texts skipped: they fall back to English)."""
    out: dict[str, dict[str, str]] = {}
    with open(path or WORDS_CSV, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("text") or "").strip()
            if text:
                out.setdefault(row["language"].strip(), {})[row["key"].strip()] = text
    return out


def plan_languages(words: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Languages whose every key is translated (English first)."""
    words = words if words is not None else load_words()
    keys = set(words.get("en", {}))
    return ["en", *sorted(lang for lang, w in words.items() if lang != "en" and keys <= set(w))]


class PlanWords:
    """The words of one plan: `w("when")`, `w("crow", km="0.2")`, `w.date(day)`."""

    def __init__(self, language: str = "en", words: dict[str, dict[str, str]] | None = None):
        table = words if words is not None else load_words()
        self.language = language if language in table else "en"
        self._own = table.get(self.language, {})
        self._en = table.get("en", {})
        self.rtl = self.language in RTL

    def __call__(self, key: str, **values: str) -> str:
        template = self._own.get(key) or self._en.get(key) or key
        return template.format(**values)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=LOCALES.get(self.language, self.language))

    def km(self, value: float) -> str:
        """A distance said as the crow flies, its number in the locale's decimal style."""
        from babel.numbers import format_decimal

        number = format_decimal(round(value, 1), format="0.0", locale=LOCALES.get(self.language, self.language))
        return self("crow", km=number)
