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

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def text(value: object) -> str:
    """Listing or user text made inert for st.markdown: every Markdown character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean_text(str(value)).split()))


def language_names(codes: list[str]) -> list[str]:
    return [language_name(c) for c in codes]


def language_codes(names: list[str]) -> list[str]:
    return [code_for_name(n) or n for n in names]
