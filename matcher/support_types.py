"""Which support types (directory/support_types.py) a listing offers and a person needs, and the words
that show it, so that a reason can quote both sides: "For carers of someone with dementia: you said
you look after your mum, who has dementia".

A listing offers a type when a keyword rule of the type fires on its text, or when its embedding is
close to the type's description (the curator's own tags, when set, replace both: see `listing_types`).
A person needs a type when one of its person terms occurs in their own words or conditions; the
evidence is the exact span of what they said. Vectorised like matcher/domains.py: one regex pass per
type over all texts, one matrix product for the similarities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from directory.languages import language_name
from directory.support_types import (
    KEPT_WHEN_NOT_SUPPORT,
    MENTION_AFTER,
    MENTION_BEFORE,
    NOT_SUPPORT_TERMS,
    RELATIONS,
    SUPPORT_TYPE_KEYS,
    SUPPORT_TYPES,
    SupportType,
    get,
)
from directory.welsh import mostly_welsh

# Cosine similarity to a type's description above which a listing is taken to offer the type, besides
# its keyword rules. 0.55: best F1 of keywords-or-similarity on the Bradford dev directory and on the
# demo read without curator categories (0.50 is best on Western Sydney by 0.005); similarity alone is
# 0.92-0.98 precise there. bench/support_types.py; figures in docs/support-types.md.
SIMILARITY_THRESHOLD = 0.55
# Longest listing evidence quoted in a reason, in characters.
MAX_EVIDENCE_CHARS = 120

_FLAGS = re.IGNORECASE

# Types offered to a particular group of people: a condition, a circumstance (caring, bereavement,
# recovery, seeking asylum, military service), a gender, an identity, a culture or a language to learn. A careful link
# worker sends a person to one only when they belong to it ("a COPD group for someone without COPD"
# is a hard negative in every labelled directory's instructions), whatever words it shares with them;
# so such a type is read only from words that define the audience (`is_mention`).
AUDIENCE_TYPES = frozenset({
    "mens_groups", "womens_groups", "cultural_groups", "lgbt_groups", "parent_groups", "carers_support",
    "bereavement", "recovery_support", "esol", "refugee_support", "lung_health", "heart_health",
    "stroke_support", "diabetes_support", "pain_support", "cancer_support", "dementia_memory", "condition_groups",
    "veterans",
})
# Characters read on each side of an audience term for the words that make it a mere mention.
MENTION_WINDOW = 80


def _compile(fragments: Sequence[str], flags: int = _FLAGS) -> re.Pattern[str]:
    # Each fragment starts at a word start; anchored fragments (^...$) keep their anchors.
    parts = [f if f.startswith("^") else rf"\b(?:{f})" for f in fragments]
    return re.compile("|".join(f"(?:{p})" for p in parts), flags)


class _Patterns(dict):
    """Each type's rule compiled on first use: compiling all three sets took ~75 ms of a cold
    `signpost match`, which reads only the person's side (a prepared snapshot holds the listings'
    types). An unknown key is a KeyError, as from a plain dict."""

    def __init__(self, terms: dict[str, Sequence[str]], flags: int = _FLAGS):
        super().__init__()
        self._terms, self._flags = terms, flags

    def __missing__(self, key: str) -> re.Pattern[str]:
        pattern = self[key] = _compile(self._terms[key], self._flags)
        return pattern


_LISTING_RES: dict[str, re.Pattern[str]] = _Patterns({t.key: t.listing_terms for t in SUPPORT_TYPES})
_PERSON_RES: dict[str, re.Pattern[str]] = _Patterns({t.key: t.person_terms for t in SUPPORT_TYPES})
# The same listing rules without IGNORECASE, for lower-cased texts: half the time over a directory
# (7.4 s → 4.1 s for 10k listings on one core); the fragments are written in lower case (tested).
_LISTING_RES_LOWER: dict[str, re.Pattern[str]] = _Patterns({t.key: t.listing_terms for t in SUPPORT_TYPES}, 0)
_NOT_SUPPORT: dict[str, re.Pattern[str]] = _Patterns({"": NOT_SUPPORT_TERMS})
# After an audience term: the rest of its word ("LGBTQ+"), any "and" list it ends ("carers and partners",
# "trans and non-binary folk"; not a comma: "in Mandarin, English speakers welcome" welcomes others),
# then a welcome or a concession (directory.support_types.MENTION_AFTER).
_LIST = (r"[\w+'’]*(?:\s*(?:&|/|\band\b|\bor\b)\s*(?:their\s+|your\s+|other\s+)?[\w'’-]+"
         r"(?:\s+(?!welcome\b|free\b)[\w'’-]+)?)*")
_MENTION_AFTER = re.compile(_LIST + "(?:" + "|".join(f"(?:{f})" for f in MENTION_AFTER) + ")", _FLAGS)
_MENTION_BEFORE = re.compile("(?:" + "|".join(f"(?:{f})" for f in MENTION_BEFORE) + ")", _FLAGS)


def is_mention(text: str, match: re.Match[str]) -> bool:
    """True when an audience term (`match` in `text`) only welcomes its group or gives it a concession
    ("Carers ride free", "Partners & carers welcome too", "free for asylum seekers"): a listing that
    says so is open to that group, not made for it."""
    after = text[match.end():match.end() + MENTION_WINDOW]
    before = text[max(0, match.start() - MENTION_WINDOW):match.start()]
    return _MENTION_AFTER.match(after) is not None or _MENTION_BEFORE.search(before) is not None


def defining_matches(key: str, text: str, pattern: re.Pattern[str] | None = None) -> list[re.Match[str]]:
    """The matches of a type's listing rule (`pattern`, default its case-blind one) in `text` that
    show the listing offers the type: all of them, less the mere mentions for an audience type."""
    found = list((pattern or _LISTING_RES[key]).finditer(text))
    return [m for m in found if not is_mention(text, m)] if key in AUDIENCE_TYPES and found else found
_DROPPED_WHEN_NOT_SUPPORT = np.array([k not in KEPT_WHEN_NOT_SUPPORT for k in SUPPORT_TYPE_KEYS])


def not_support(texts: Sequence[str]) -> np.ndarray:
    """bool (len(texts),): listings whose text says they are no support for the public (a job
    advert, a clinical test or trial, a commercial or professional service)."""
    rx = _NOT_SUPPORT[""]
    return np.array([rx.search(t) is not None for t in texts], dtype=bool)


def type_descriptions(types: Sequence[SupportType] = SUPPORT_TYPES) -> list[str]:
    """What to embed for each type (the query a listing is compared with), in vocabulary order."""
    return [t.description for t in types]


def keyword_listing_types(texts: Sequence[str]) -> np.ndarray:
    """bool (len(texts), T): the keyword rules of each type that fire on each listing text."""
    distinct = {t: i for i, t in enumerate(dict.fromkeys(t.lower() for t in texts))}
    lowered = list(distinct)
    rows = np.zeros((len(lowered), len(SUPPORT_TYPE_KEYS)), dtype=bool)
    for j, key in enumerate(SUPPORT_TYPE_KEYS):
        rx = _LISTING_RES_LOWER[key]
        if key in AUDIENCE_TYPES:  # the mention check runs only on texts the rule fires on
            rows[:, j] = [rx.search(t) is not None and bool(defining_matches(key, t, rx)) for t in lowered]
        else:
            rows[:, j] = [rx.search(t) is not None for t in lowered]
    return rows[[distinct[t.lower()] for t in texts]] if len(texts) else rows


def infer_listing_types(vectors: np.ndarray, texts: Sequence[str], type_vectors: np.ndarray,
                        threshold: float = SIMILARITY_THRESHOLD) -> np.ndarray:
    """bool (n, T): the types each listing (its unit vector and its text) offers, by keywords or
    by similarity of its vector to the type descriptions' vectors (`type_vectors`, T x dim)."""
    if len(texts) == 0:
        return np.zeros((0, len(SUPPORT_TYPE_KEYS)), dtype=bool)
    sims = np.asarray(vectors, dtype=np.float32) @ np.asarray(type_vectors, dtype=np.float32).T
    # a text mostly in Welsh is read by its words only: the English model's similarities are noise there
    sims[[mostly_welsh(t) for t in texts]] = -1.0
    out = (sims >= threshold) | keyword_listing_types(texts)
    out[np.ix_(not_support(texts), _DROPPED_WHEN_NOT_SUPPORT)] = False
    return out


def listing_types(curated: Sequence[Sequence[str]], inferred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(types, was_inferred): a curator's tags where a listing has any, else the inferred row; the
    second array (n,) says which rows are inferred, so that a reason can say so."""
    out = np.array(inferred, dtype=bool, copy=True)
    was_inferred = np.ones(len(curated), dtype=bool)
    index = {k: j for j, k in enumerate(SUPPORT_TYPE_KEYS)}
    for i, keys in enumerate(curated):
        if keys:
            out[i] = False
            out[i, [index[k] for k in keys]] = True
            was_inferred[i] = False
    return out, was_inferred


def keys_of(row: np.ndarray) -> list[str]:
    return [SUPPORT_TYPE_KEYS[j] for j in np.flatnonzero(row)]


# ---- the person's side -------------------------------------------------------------------------
@dataclass(frozen=True)
class Evidence:
    """Why a person is taken to need a type: the exact words (`quote`) of their goals, of one of
    their conditions, or the languages they gave, that triggered it. Health data: never logged."""

    key: str
    quote: str
    source: str  # "goals", "conditions" or "languages"


def _span(text: str, match: re.Match[str]) -> str:
    """The match widened to whole words ("anxi" of "anxiety" quotes "anxiety")."""
    start, end = match.start(), match.start() + len(match.group(0).rstrip(" ,;:-"))
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and (text[end].isalnum() or (text[end] in "'-" and text[end + 1:end + 2].isalnum())):
        end += 1
    return text[start:end].strip(" ,;:-")


# A condition named in a sentence about someone else ("my mum who has MS", "after his stroke") is not
# the person's own: it makes them a carer, not a member of a group for that condition.
_CONDITION_TYPES = frozenset(t.key for t in SUPPORT_TYPES
                             if t.main_domain == "managing_symptoms" or t.key == "self_management")
_SOMEONE_ELSES = re.compile(rf"(?:\b(?:my|our|the) {RELATIONS}\b[^.;!?]*|\b(?:his|her|their|he|she)\b[^.;!?]*)$",
                            _FLAGS)
_SENTENCE_START = re.compile(r"[.;!?]\s*")


def _own_match(key: str, text: str) -> re.Match[str] | None:
    """The first match of the type's person terms that is about the person themself."""
    for m in _PERSON_RES[key].finditer(text):
        if key not in _CONDITION_TYPES:
            return m
        starts = [x.end() for x in _SENTENCE_START.finditer(text, 0, m.start())]
        if not _SOMEONE_ELSES.search(text[starts[-1] if starts else 0:m.start()]):
            return m
    return None


def types_from_person(goals: str, conditions: Iterable[str] = ()) -> dict[str, Evidence]:
    """Type key → evidence, in vocabulary order, from the person's own words and their conditions.

    The goals are read before the conditions: "I look after my mum, who has dementia" is better
    evidence than the bare condition. A condition named in the goals about someone else is not the
    person's own, and whole-condition terms (`^...$`) only match a condition.
    """
    conditions = [c.strip() for c in conditions if c and c.strip()]
    goals = goals or ""
    out: dict[str, Evidence] = {}
    for key in SUPPORT_TYPE_KEYS:
        rx = _PERSON_RES[key]
        m = _own_match(key, goals) if goals.strip() else None
        if m is not None and _span(goals, m):
            out[key] = Evidence(key, _span(goals, m), "goals")
            continue
        for condition in conditions:
            m = rx.search(condition)
            if m is not None:
                out[key] = Evidence(key, condition, "conditions")
                break
    return out


def types_from_profile(profile) -> dict[str, Evidence]:
    """`types_from_person` of a NeedsProfile, plus English classes (ESOL) when English is not among
    the languages the person can take part in: they need not have said so in English words."""
    found = types_from_person(profile.goals, profile.conditions)
    if "en" not in profile.languages and "esol" not in found:
        found["esol"] = Evidence("esol", ", ".join(language_name(c) for c in profile.languages), "languages")
    return {k: found[k] for k in SUPPORT_TYPE_KEYS if k in found}


# ---- ranking: a type for a particular group fits only its members --------------------------------
_AUDIENCE = np.array([k in AUDIENCE_TYPES for k in SUPPORT_TYPE_KEYS])


def member_of(wanted: np.ndarray, profile) -> np.ndarray:
    """The groups (bool T) a person belongs to for `audience_mismatch`: the types read from their
    words, and the gender group their profile gives (a women's group is for her whether or not she
    asked for one; whether she wants one is still only what she said)."""
    member = np.array(wanted, dtype=bool, copy=True)
    group = {"female": "womens_groups", "male": "mens_groups"}.get(getattr(profile, "gender", None) or "")
    if group is not None:
        member[SUPPORT_TYPE_KEYS.index(group)] = True
    return member


def audience_mismatch(offered: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """bool (n,): listings (rows of `offered`, bool n x T) for a particular group (AUDIENCE_TYPES)
    of which the person (`wanted`, bool T: their types) is in none."""
    audience = offered & _AUDIENCE
    return audience.any(axis=1) & ~(audience & wanted).any(axis=1)


# ---- the listing's side of a reason ------------------------------------------------------------
_SENTENCE = re.compile(r"[^.!?;:\n]+")
_CLAUSE = re.compile(r"[^,.!?;:\n]+")


def _around(text: str, pattern: re.Pattern[str], at: int) -> tuple[int, int]:
    for piece in pattern.finditer(text):
        if piece.start() <= at < piece.end():
            return piece.start(), piece.end()
    return at, len(text)


def listing_evidence(type_key: str, listing_text: str) -> str | None:
    """The short span of a listing's text that shows it offers the type: the sentence holding the
    first keyword of the type, narrowed to its clause when long; None when no keyword occurs (or, for
    an audience type, only mere mentions: `is_mention`)."""
    get(type_key)  # an unknown key is the caller's mistake: KeyError naming it
    text = listing_text or ""
    matches = defining_matches(type_key, text)
    if not matches:
        return None
    # a keyword in a sentence of its own (the description) says more than one in the name or tags
    m = next((x for x in matches if len(text[slice(*_around(text, _SENTENCE, x.start()))].split()) >= 4),
             matches[0])
    lo, hi = _around(text, _SENTENCE, m.start())
    if hi - lo > MAX_EVIDENCE_CHARS:
        lo, hi = _around(text, _CLAUSE, m.start())
    if hi - lo > MAX_EVIDENCE_CHARS:  # one long clause: the words around the keyword
        lo = max(lo, m.start() - MAX_EVIDENCE_CHARS // 3)
        hi = min(hi, lo + MAX_EVIDENCE_CHARS)
        lo = text.find(" ", lo, m.start()) + 1 if lo > 0 and text[lo - 1] != " " else lo
        hi = text.rfind(" ", m.end(), hi) if hi < len(text) and text.rfind(" ", m.end(), hi) > 0 else hi
    return text[lo:hi].strip(" ,;:-\"'") or None
