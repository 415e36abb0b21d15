"""Showing things safely: listing and user text made inert for Markdown, languages by name.

Listing text is never HTML: `text()` escapes every Markdown character before it reaches
`st.markdown`, and nothing in the app passes `unsafe_allow_html`.
"""

from __future__ import annotations

import re

from directory.inputs import clean_text
from directory.languages import LANGUAGE_NAMES, code_for_name, language_name
from directory.vocabulary import domain_label

__all__ = ["text", "domain_label", "language_name", "language_names", "language_codes", "LANGUAGE_OPTIONS"]

LANGUAGE_OPTIONS: list[str] = sorted(LANGUAGE_NAMES.values())

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=@])")
# Streamlit turns ':name:' and ':material/name:' into icons and bare 'www.x' / 'https://x' / 'a@b.c' into
# links after Markdown's escapes are read, so an escape alone does not keep them text: a word joiner
# (U+2060, invisible, not a space) after each ':' that a letter or '/' follows (':material/…', 'https://';
# never a time such as 12:00), after each '@' that touches a word, and inside 'www', breaks every
# pattern while the text reads (and prints) the same.
_JOIN_AFTER = re.compile(r"(\\:)(?=[^\W\d_]|/)|(\\@)(?=\S)")
_WWW = re.compile(r"(?i)\b(w)(ww)")
WORD_JOINER = "\u2060"


def text(value: object) -> str:
    """Listing or user text made inert for st.markdown: every Markdown character escaped, and no
    link, icon or emoji made of it."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(clean_text(str(value)).split()))
    joined = _JOIN_AFTER.sub(lambda m: (m.group(1) or m.group(2)) + WORD_JOINER, escaped)
    return _WWW.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), joined)


def language_names(codes: list[str]) -> list[str]:
    return [language_name(c) for c in codes]


def language_codes(names: list[str]) -> list[str]:
    return [code_for_name(n) or n for n in names]
