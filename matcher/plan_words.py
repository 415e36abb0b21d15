"""The plan's fixed words (headings, 'When', 'Where', the next step) in the person's language, and
dates in their locale.

The words live in `directory/data/plan_words.csv` (key, language, text, status) so that a curator can
correct a translation without touching code; a status starting "draft" marks a translation no native
speaker has checked yet (the Urdu, Punjabi, Bengali, Chinese, Hindi, Tigrinya and Kurdish ones), and the
app says so beside the plan. A language is offered only when every key is translated and the plan's
fonts hold every letter of it (matcher.plan_fonts); anything missing falls back to English, word by word.
Listing text itself is printed as the listing holds it.

`ku` is Kurdish as the directory holds it: Kurmanji, in Latin letters (Babel's `ku` is Kurmanji too).
Punjabi is written in Gurmukhi, Chinese in simplified characters, Tigrinya as in Eritrea.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date

from .plan_fonts import missing_letters

WORDS_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "plan_words.csv"
RTL = frozenset({"ar", "fa", "ur", "he", "ps"})
# Babel locales for the date line: a language's usual locale in the UK (English: en_GB, '2 March 2026').
# Babel knows every plan language; one it did not know would fall back to English dates.
LOCALES = {"en": "en_GB", "zh": "zh_Hans", "pa": "pa_Guru", "ti": "ti_ER", "ur": "ur_PK", "bn": "bn_BD"}
DRAFT = "draft"


@lru_cache(maxsize=4)
def _read(path: str | None = None) -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    words: dict[str, dict[str, str]] = {}
    drafts: set[str] = set()
    with open(path or WORDS_CSV, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("text") or "").strip()
            if text:
                words.setdefault(row["language"].strip(), {})[row["key"].strip()] = text
                if (row.get("status") or "").strip().lower().startswith(DRAFT):
                    drafts.add(row["language"].strip())
    return words, frozenset(drafts)


def load_words(path: str | None = None) -> dict[str, dict[str, str]]:
    """{language: {key: text}} from the CSV (blank texts skipped: they fall back to English)."""
    return _read(path)[0]


def draft_languages(path: str | None = None) -> frozenset[str]:
    """Languages with at least one word marked as a draft translation."""
    return _read(path)[1]


def plan_languages(words: dict[str, dict[str, str]] | None = None, pdf: bool = True) -> list[str]:
    """Languages whose every key is translated (English first) and, for the PDF, whose every letter
    (the words and a sample date) the plan's fonts hold."""
    words = words if words is not None else load_words()
    keys = set(words.get("en", {}))
    full = sorted(lang for lang, w in words.items() if lang != "en" and keys <= set(w))
    if pdf:
        full = [lang for lang in full if drawable(lang, words)]
    return ["en", *full]


def drawable(language: str, words: dict[str, dict[str, str]] | None = None) -> bool:
    w = PlanWords(language, words)
    sample = [*w.texts(), w.date(dt.date(2026, 9, 30)), w.km(12.5)]
    return not missing_letters(sample, language)


@lru_cache(maxsize=64)
def babel_locale(language: str) -> str:
    """The Babel locale of a plan's dates and numbers; British English for a language Babel does not know."""
    from babel import Locale, UnknownLocaleError

    wanted = LOCALES.get(language, language)
    try:
        Locale.parse(wanted)
    except (ValueError, UnknownLocaleError):
        return LOCALES["en"]
    return wanted


class PlanWords:
    """The words of one plan: `w("when")`, `w("crow", km="0.2")`, `w.date(day)`."""

    def __init__(self, language: str = "en", words: dict[str, dict[str, str]] | None = None):
        table = words if words is not None else load_words()
        self.language = language if language in table else "en"
        self._own = table.get(self.language, {})
        self._en = table.get("en", {})
        self.rtl = self.language in RTL
        self.draft = self.language in draft_languages()

    def texts(self) -> list[str]:
        """Every fixed word of the plan in this language (English where a word is missing)."""
        return [self(key, name="", date="", km="") for key in self._en]

    def __call__(self, key: str, **values: str) -> str:
        template = self._own.get(key) or self._en.get(key) or key
        return template.format(**values)

    @property
    def locale(self) -> str:
        return babel_locale(self.language)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.locale)

    def km(self, value: float) -> str:
        """A distance said as the crow flies, its number in the locale's decimal style."""
        from babel.numbers import format_decimal

        number = format_decimal(round(value, 1), format="0.0", locale=self.locale)
        return self("crow", km=number)


def plan_language_label(code: str) -> str:
    """A plan language as a link worker and the person both read it: 'Urdu · اردو' (Babel's own name)."""
    from babel import Locale, UnknownLocaleError

    from directory.languages import language_name

    english = language_name(code)
    try:
        own = Locale.parse(LOCALES.get(code, code)).language_name
    except (ValueError, UnknownLocaleError):
        own = None
    return f"{english} · {own}" if own and code != "en" and own.casefold() != english.casefold() else english
