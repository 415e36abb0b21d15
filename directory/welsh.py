"""Welsh words for the keyword rules of needs domains and support types (directory/data/welsh_terms.json).

Welsh is an official language of Wales, where a listing is often bilingual or in Welsh only, and the
English embedding model cannot read it: without these words a Welsh-only listing ("Llinell ffôn ... am
eich iechyd meddwl, straen neu unigrwydd") serves no need its text names. The words are data beside
the English rules, read by matcher/domains.py and matcher/support_types.py.

A Welsh word changes its first sound after certain words (initial mutation: "gofalwyr" carers, "i
ofalwyr" for carers, "fy ngofalwyr" my carers), so each term is also matched in its soft, nasal and
aspirate forms, and with the h- a vowel takes ("ei hiechyd" her health): `forms`. A term written
with a leading "=" is taken as written, for a form that would also be an English word or name.

Plain data: no model, no numpy. Terms are regular-expression fragments in lower case, matched from a
word start like the English ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

WELSH_JSON = Path(__file__).resolve().parent / "data" / "welsh_terms.json"

# The initial mutations of Welsh (two-letter radicals first: "ll", "rh" are one sound).
_SOFT = {"ll": "l", "rh": "r", "p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f"}
_NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
_ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}
# Radicals that never mutate: their first letters are already a mutated sound or a fixed one.
_FIXED = ("ch", "ph", "th", "dd", "ff", "ng")
_VOWELS = "aeiouwyâêîôûŵŷ"
_GUARD = re.compile(r"(?:\(\?<!(?:[^()]|\([^()]*\))*\))+")


def forms(term: str) -> list[str]:
    """The term and its mutated forms, each once, the radical first ("cerdded": "cerdded", "gerdded",
    "ngherdded", "cherdded"); a term starting "=" or with no letter to mutate is only itself. A
    leading negative look-behind ("(?<!droed )cerdded") stays in front of every form."""
    if term.startswith("="):
        return [term[1:]]
    guard = _GUARD.match(term)
    lead, word = (guard.group(0), term[guard.end():]) if guard else ("", term)
    if not word or not word[0].isalpha() or word.startswith(_FIXED):
        return [term]
    out = [word]
    if word[0] in _VOWELS:
        out.append("h" + word)
    head = word[:2] if word[:2] in _SOFT else word[0]
    rest = word[len(head):]
    for table in (_SOFT, _NASAL, _ASPIRATE):
        if head in table and (table[head] + rest)[:1].isalpha():
            out.append(table[head] + rest)
    return [lead + f for f in dict.fromkeys(out)]


def _expand(terms: list[str]) -> tuple[str, ...]:
    return tuple(f for t in terms for f in forms(t))


def _load(path: Path = WELSH_JSON) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


_DATA = _load()
# domain -> fragments (every form); support-type key -> fragments
DOMAIN_TERMS: dict[str, tuple[str, ...]] = {d: _expand(ts) for d, ts in _DATA["domains"].items()}
TYPE_TERMS: dict[str, tuple[str, ...]] = {k: _expand(ts) for k, ts in _DATA["support_types"].items()}
# Words around an audience term that only welcome people or give them a concession (matcher/support_types.py).
MENTION_BEFORE: tuple[str, ...] = tuple(_DATA["mention_before"])
MENTION_AFTER: tuple[str, ...] = tuple(_DATA["mention_after"])

# A text is mostly Welsh when its Welsh function words ("yn", "gyda", "eich" ...) are at least
# MOSTLY_WELSH_MIN and more than twice its English ones ("the", "and", "for" ...): then the English
# embedding model cannot read it (matcher/domains.py trusts only its words). Measured on the Swansea
# directory: Welsh-only listings have 4 to 14 Welsh and 0 to 2 English; bilingual ones fewer Welsh
# than English.
MOSTLY_WELSH_MIN = 3
_WELSH_WORDS = frozenset(_DATA["function_words"]["welsh"])
_ENGLISH_WORDS = frozenset(_DATA["function_words"]["english"]) - _WELSH_WORDS
_TOKEN = re.compile(r"[\w'’]+")


# Cheap first look: a text with none of these common words is not Welsh (most texts stop here).
_ANY_WELSH = re.compile(r"\b(?:yn|yr|gyda|eich|neu|mae|ddim|bob|croeso|sy'n)\b", re.IGNORECASE)


def mostly_welsh(text: str) -> bool:
    """True for a text written mostly in Welsh (see MOSTLY_WELSH_MIN)."""
    if _ANY_WELSH.search(text) is None:
        return False
    tokens = [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]
    welsh = sum(t in _WELSH_WORDS for t in tokens)
    english = sum(t in _ENGLISH_WORDS for t in tokens)
    return welsh >= MOSTLY_WELSH_MIN and welsh > 2 * english
