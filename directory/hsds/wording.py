"""What HSDS says in words that Signpost reads as facts: gender, ages, cost, wheelchair access,
"call us", interpreters, status. Each rule is conservative: a word alone never sets a limit
(docs/hsds.md, "How a service becomes listings")."""

from __future__ import annotations

import re
from collections.abc import Iterable

# 5: the edge between "low_cost" and "paid", in GBP (EUR and USD taken as equal). A convention.
LOW_COST_MAX = 5.0

# ---- gender ------------------------------------------------------------------------------------
_FEMALE_TERMS = {"women-only", "female-only", "woman-only", "ladies-only"}
_MALE_TERMS = {"men-only", "male-only", "man-only"}
_FEMALE_TEXT = re.compile(r"\b(?:women|woman|female|ladies)[\s-]+only\b|\bonly\s+(?:for\s+)?(?:women|females|ladies)\b", re.I)
_MALE_TEXT = re.compile(r"\b(?:men|man|male)[\s-]+only\b|\bonly\s+(?:for\s+)?(?:men|males)\b", re.I)


def term_gender(term: str) -> str | None:
    """'female' or 'male' for a taxonomy term such as 'women-only'; else None."""
    key = re.sub(r"[\s_]+", "-", term.strip().lower())
    if key in _FEMALE_TERMS:
        return "female"
    if key in _MALE_TERMS:
        return "male"
    return None


def text_genders(text: str) -> set[str]:
    """The genders eligibility text restricts to ("women only", "only for men")."""
    found = set()
    if _FEMALE_TEXT.search(text):
        found.add("female")
    if _MALE_TEXT.search(text):
        found.add("male")
    return found


# ---- ages ----------------------------------------------------------------------------------------
# [0-9], not \d: other scripts' digits are not read as ages.
_AGE_RANGE = re.compile(r"\b([0-9]{1,3})\s*(?:-|–|to)\s*([0-9]{1,3})\b")
_AGE_MIN = re.compile(r"\b([0-9]{1,3})\s*(?:\+|(?:years?\s*)?(?:and|or)\s*(?:over|older|above|up)\b)", re.I)
_AGE_UNDER = re.compile(r"\b(?:under|below|younger than)\s*([0-9]{1,3})\b", re.I)
_AGE_MAX = re.compile(r"\b([0-9]{1,3})\s*(?:years?\s*)?(?:and|or)\s*(?:under|younger|below)\b", re.I)


def ages_from_text(text: str) -> tuple[int | None, int | None]:
    """Age limits a sentence states with numbers; nothing is read from words alone."""
    ranges = _AGE_RANGE.findall(text)
    if len(ranges) == 1:
        return int(ranges[0][0]), int(ranges[0][1])
    if ranges:
        return None, None
    mins = {int(m) for m in _AGE_MIN.findall(text)}
    maxs = {int(m) - 1 for m in _AGE_UNDER.findall(text)} | {int(m) for m in _AGE_MAX.findall(text)}
    return (mins.pop() if len(mins) == 1 else None), (maxs.pop() if len(maxs) == 1 else None)


# ---- cost ----------------------------------------------------------------------------------------
COST_RANK = {"free": 0, "low_cost": 1, "paid": 2}
EQUIVALENT_CURRENCIES = {"", "gbp", "eur", "usd", "£", "€", "$"}
_FREE_TEXT = re.compile(r"\b(?:free(?: of charge)?|no (?:charges?|costs?|fees?)|costs? nothing|without charge)\b", re.I)
_LOW_TEXT = re.compile(r"\b(?:low[- ]cost|pay[- ]as[- ]you[- ](?:can|feel|wish)|pay what you can|donations?|subsidi[sz]ed)\b", re.I)
_PAID_TEXT = re.compile(r"\b(?:we charge|there is a charge|charges? apply|fees? apply|fees? (?:is|are) payable|you pay|pay for)\b", re.I)
_MONEY = re.compile(r"(?:£|\$|€|\b(?:GBP|USD|EUR)\s?)\s?([0-9]+(?:[.,][0-9]{1,2})?)"
                    r"|\b([0-9]+(?:\.[0-9]{1,2})?)\s?(?:(?P<pence>pence\b|p\b)|pounds?\b|GBP\b|USD\b|EUR\b)", re.I)


def amount_level(amount: float, pence: bool = False) -> str:
    """free (0), low_cost (up to LOW_COST_MAX) or paid."""
    if pence:
        amount /= 100
    if amount == 0:
        return "free"
    return "low_cost" if amount <= LOW_COST_MAX else "paid"


def highest_cost(levels: Iterable[str]) -> str | None:
    """The dearest level found: a person must not be sent to something they cannot pay for as 'free'."""
    return max(levels, key=COST_RANK.__getitem__, default=None)


def text_cost(text: str) -> str | None:
    """The cost level fees text states ("free", "pay as you feel", "£50", "we charge"), else None."""
    levels = []
    for m in _MONEY.finditer(text):
        raw = (m.group(1) or m.group(2)).replace(",", ".")
        levels.append(amount_level(float(raw), pence=bool(m.group("pence"))))
    if _FREE_TEXT.search(text):
        levels.append("free")
    rest = _FREE_TEXT.sub(" ", text)
    if _LOW_TEXT.search(rest):
        levels.append("low_cost")
    if _PAID_TEXT.search(rest):
        levels.append("paid")
    return highest_cost(levels)


# ---- access, phone, interpreters, status ----------------------------------------------------------
_NOT_ACCESSIBLE = re.compile(
    r"\b(?:not|no|isn't|without)\b[^.;]{0,40}?\b(?:wheelchair|step[- ]free|level access|accessible|disabled access)"
    r"|\binaccessible\b|\bsteps only\b|\bunsuitable for wheelchairs?\b", re.I)
_ACCESSIBLE = re.compile(r"\b(?:wheelchairs?|step[- ]free|level access|ramps?|lifts?|elevators?|accessible)\b", re.I)
_SAYS_CALL = re.compile(r"\b(?:call|ring|phone|telephone)\b", re.I)
_NO_INTERPRETER = re.compile(r"^\s*(?:no|none|n/?a|not available|no interpret\w*)\b", re.I)
INACTIVE_STATUSES = {"inactive", "defunct", "temporarily closed", "temporarily_closed", "closed"}


def wheelchair(texts: Iterable[str]) -> bool | None:
    """Wheelchair access from accessibility texts: False when any says no, True when any says yes."""
    texts = [t for t in texts if t]
    if any(_NOT_ACCESSIBLE.search(t) for t in texts):
        return False
    if any(_ACCESSIBLE.search(t) for t in texts):
        return True
    return None


def says_call(text: str) -> bool:
    """Whether text tells people to call, ring or phone."""
    return bool(_SAYS_CALL.search(text))


def offers_interpreter(text: str) -> bool:
    """Whether interpretation_services text offers interpreters (not "no", "none", "n/a")."""
    return bool(text) and not _NO_INTERPRETER.match(text)
