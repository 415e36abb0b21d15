"""Support types: what kind of help a listing gives, finer than the eight needs domains.

A carers' group and a job club can both serve "social relationships"; a support type tells them
apart. The vocabulary is Signpost's own wording of published terms (Open Eligibility's human
services and situations, OpenActive's activity list; `docs/support-types.md` says which and why),
each mapped to the contract section-1 domains it serves, first the main one.

Plain data: no model, no numpy. `listing_terms` and `person_terms` are regular-expression
fragments, matched case-insensitively from a word start: words that by themselves mean the type,
in a listing's text and in a person's own words or conditions. A person fragment anchored with
`^...$` matches a whole condition (e.g. "dementia" as the person's own diagnosis) and never a
sentence about somebody else.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import welsh

# The HSDS taxonomy these keys are the codes of (`taxonomy_term.taxonomy`), after `signpost_domains`.
SUPPORT_TYPE_TAXONOMY = "signpost_support_types"
SUPPORT_TYPE_TAXONOMY_VERSION = "1"
_NS = uuid.UUID("6f1d0c0e-3b2a-5c7e-9a41-5e1f2b7c8d90")

# CURIEs of the published vocabularies a `source` names (Open Referral UK's register of prefixes).
SOURCE_PREFIXES = {
    "openEligibility": "Open Eligibility taxonomy 2.0 (auntbertha/openeligibility)",
    "openActiveActivity": "OpenActive Activity List (https://openactive.io/activity-list)",
    "signpost": "Signpost's own term, where neither vocabulary has one that fits",
}


@dataclass(frozen=True)
class SupportType:
    key: str
    label: str
    description: str
    domains: tuple[str, ...]
    source: str
    listing_terms: tuple[str, ...]
    person_terms: tuple[str, ...]

    @property
    def main_domain(self) -> str:
        return self.domains[0]


# Who a person may look after or lose, in their words (also read by matcher/support_types.py).
RELATIONS = (r"(?:mum|mother|mam|maw|dad|father|husband|wife|partner|son|daughter|brother|sister|gran|granny|"
        r"grandad|grandpa|grandma|grandmother|grandfather|nan|nana|aunt|auntie|uncle|friend|neighbour|"
        r"parents?|child|children|kids?|wean|boy|girl|fiancée?|other half)")
# The vocabulary itself is data a curator can read and correct: directory/data/support_types.json, one
# object a type ("{RELATIONS}" in a pattern stands for the pattern above). A type's listing terms are its
# English ones and then its Welsh ones (directory/data/welsh_terms.json, with their mutated forms).
VOCABULARY_JSON = Path(__file__).resolve().parent / "data" / "support_types.json"


def _load(path: Path = VOCABULARY_JSON) -> tuple[SupportType, ...]:
    def terms(items: list[str]) -> tuple[str, ...]:
        return tuple(x.replace("{RELATIONS}", RELATIONS) for x in items)

    return tuple(SupportType(t["key"], t["label"], t["description"], tuple(t["domains"]), t["source"],
                             terms(t["listing_terms"]) + welsh.TYPE_TERMS.get(t["key"], ()), terms(t["person_terms"]))
                 for t in json.loads(path.read_text(encoding="utf-8")))


SUPPORT_TYPES: tuple[SupportType, ...] = _load()

NOT_SUPPORT_TERMS: tuple[str, ...] = (
    r"(?:workers?|staff|carers?|volunteers?|drivers?) (?:wanted|needed)", r"we are recruiting", r"recruitment (?:day|event)",
    r"become a foster carer", r"foster carers?", r"(?:research|clinical) (?:study|trial)", r"study visits",
    r"spirometry", r"lung function test", r"diagnostics", r"not a (?:respiratory|lung|support) (?:service|group)",
    r"debt (?:collection|recovery)", r"collection agency", r"private clinic", r"consultations from",
    r"for (?:aged care|care|disability|health|social care) (?:and disability )?workers", r"professional development",
    r"masterclass", r"private fees",
)
KEPT_WHEN_NOT_SUPPORT: tuple[str, ...] = ("employability", "adult_learning", "volunteering")

# A term of a type for a particular group (carers, women, refugees, people with a condition) names the
# listing's audience only when it defines who the listing is for ("a group for carers", "if you care
# for someone"), not when it only welcomes them or gives them a concession ("carers ride free",
# "partners and carers welcome too", "free for asylum seekers", "dementia-friendly", "no alcohol
# needed"): matcher/support_types.py drops such a match. MENTION_AFTER is matched right after the
# term, after any "and" list it ends ("carers and partners welcome"); MENTION_BEFORE right before it.
MENTION_AFTER: tuple[str, ...] = (
    r"(?:\s+(?:folk|people|members|friends|too|also))?\s+(?:are\s+|is\s+)?"
    r"(?:(?:also|very|always|most|more than|especially|warmly|all|equally|more)\s+)*welcome\b"
    r"(?![\s-]+(?:drop-in|centre|center|cafe|café|hub|group|project|service|pack|network|point|space|club|lunch|"
    r"meal|team|event|day|evening|morning)s?\b)",  # "Refugee Welcome Drop-in" is a name
    r"\s+(?:can\s+|may\s+)?(?:ride|go|travel|get\s+in|come|swim|attend|enter|eat|play|stay|join|are\s+admitted)"
    r"\s+(?:for\s+)?(?:free|half[- ]price|at\s+half\s+price)\b",
    r"[\s-]+(?:free(?:\s+of\s+charge)?|half[- ]price)\b(?!\s*(?:support|advice|help|group|sessions?|service|course|"
    r"counselling|training|breaks?|line|information|checks?|drop-in|cafe|café|club)\b)",
    r"\s+(?:can\s+|may\s+|are\s+welcome\s+to\s+|are\s+invited\s+to\s+|are\s+able\s+to\s+)?"
    r"(?:come|join(?:\s+in)?|attend|stay|take\s+part|go)\s+(?:too|along\s+too|as\s+well)\b",
    r"\s+(?:can|may)\s+(?:also\s+)?accompany\b",
    r"\s+accompanying\b",
    r"[\s-]+friendly\b",
) + welsh.MENTION_AFTER
MENTION_BEFORE: tuple[str, ...] = (
    r"\b(?:bring|brings|bringing)\s+(?:along\s+)?(?:your|a|an|their|his|her)\s+(?:own\s+|personal\s+)?$",
    r"\baccompanied\s+by\s+(?:a|an|your|their|his|her)\s+$",
    r"\b(?:accompanying|escorting|essential)\s+$",
    r"\b(?:free|no\s+charge|discounts?|concessions?|half[- ]price|reduced\s+(?:price|rate|fee)s?|"
    r"free\s+(?:entry|admission|places?|tickets?|travel|rides?|parking))\s+(?:for|to)\s+"
    r"(?:an?\s+|one\s+|accompanying\s+|essential\s+|all\s+)?$",
    r"\b(?:no|without|free\s+from)\s+(?:[\w-]+\s+(?:or|and)\s+)?$",
    r"\b(?:all|everyone|everybody)\s+(?:is\s+|are\s+)?welcome,?\s+(?:including|incl\.?|and|as\s+are)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:(?:and|&|or)\s+)?$",
) + welsh.MENTION_BEFORE

SUPPORT_TYPE_KEYS: tuple[str, ...] = tuple(t.key for t in SUPPORT_TYPES)
_BY_KEY: dict[str, SupportType] = {t.key: t for t in SUPPORT_TYPES}
_BY_SOURCE: dict[str, list[str]] = {}
for _st in SUPPORT_TYPES:
    _BY_SOURCE.setdefault(_st.source, []).append(_st.key)


def get(key: str) -> SupportType:
    """The support type of a key; KeyError naming it when the vocabulary has none."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no support type '{key}'") from None


def label(key: str) -> str:
    return get(key).label


def types_of_domain(domain: str, main_only: bool = False) -> list[str]:
    """Keys of the types that serve a domain (or have it as their main domain), vocabulary order."""
    return [t.key for t in SUPPORT_TYPES if (t.main_domain == domain if main_only else domain in t.domains)]


def domains_of(keys: Iterable[str]) -> list[str]:
    """Every domain the given types serve, each once, in the order first met."""
    return list(dict.fromkeys(d for k in keys for d in get(k).domains))


def unknown_keys(keys: Iterable[str]) -> list[str]:
    return [k for k in keys if k not in _BY_KEY]


def parse_keys(value: Any) -> list[str]:
    """A `;`-separated cell or a list of keys, lower-cased, stripped and de-duplicated (not checked)."""
    if value is None:
        return []
    items = value.split(";") if isinstance(value, str) else [str(v) for v in value]
    return list(dict.fromkeys(i.strip().lower() for i in items if i.strip()))


def validate_keys(value: Any, row: int | str | None = None, column: str = "support_types") -> list[str]:
    """The keys of `value` in a stable form; an InputError naming every unknown key otherwise."""
    from .records import InputError, ValidationIssue  # records validates with this module: import late

    keys = parse_keys(value)
    bad = unknown_keys(keys)
    if bad:
        raise InputError([ValidationIssue(row, column, unknown_message(bad))])
    return keys


def unknown_message(bad: list[str]) -> str:
    names = ", ".join(repr(b) for b in bad)
    return (f"unknown support type {names}; use keys of the support-type vocabulary "
            f"(docs/support-types.md), e.g. carers_support, bereavement, debt_advice")


# ---- HSDS 3.0 taxonomy terms -------------------------------------------------------------------
def _taxonomy_detail() -> dict[str, str]:
    return {
        "id": str(uuid.uuid5(_NS, SUPPORT_TYPE_TAXONOMY)),
        "name": SUPPORT_TYPE_TAXONOMY,
        "description": "Signpost's support types: what kind of help a listing gives (docs/support-types.md).",
        "version": SUPPORT_TYPE_TAXONOMY_VERSION,
    }


def to_hsds_terms(keys: Iterable[str]) -> list[dict[str, Any]]:
    """HSDS 3.0 `taxonomy_term` objects for the keys (unknown keys: InputError), in the given order."""
    detail = _taxonomy_detail()
    out = []
    for key in validate_keys(list(keys)):
        st = _BY_KEY[key]
        out.append({
            "id": str(uuid.uuid5(_NS, f"{SUPPORT_TYPE_TAXONOMY}\x1f{key}")),
            "code": key,
            "name": st.label,
            "description": st.description,
            "taxonomy": SUPPORT_TYPE_TAXONOMY,
            "taxonomy_id": detail["id"],
            "taxonomy_detail": dict(detail),
            "language": "en",
        })
    return out


def _term_taxonomy(term: Mapping[str, Any]) -> str:
    detail = term.get("taxonomy_detail")
    name = term.get("taxonomy") or (detail.get("name") if isinstance(detail, Mapping) else "") or ""
    return str(name).strip()


def _published_code(taxonomy: str, code: str) -> str | None:
    """`openEligibility:1314` for a term of Open Eligibility (by name or CURIE), else None."""
    t = taxonomy.lower().replace(" ", "").replace("_", "").replace("-", "")
    if code.count(":") == 1 and code.split(":")[0] in SOURCE_PREFIXES:
        return code
    if "openeligibility" in t:
        return f"openEligibility:{code}"
    if "openactive" in t:
        return f"openActiveActivity:{code.rsplit('#', 1)[-1]}"
    return None


def from_hsds_terms(terms: Iterable[Mapping[str, Any]], where: str | None = None) -> list[str]:
    """Support-type keys read from HSDS taxonomy terms: terms of Signpost's vocabulary by their code,
    and Open Eligibility or OpenActive terms that a support type derives from. Other terms are not
    support types and are skipped; an unknown code in Signpost's vocabulary is an InputError."""
    keys: list[str] = []
    bad: list[str] = []
    for term in terms:
        if not isinstance(term, Mapping):
            continue
        taxonomy = _term_taxonomy(term)
        code = str(term.get("code") or "").strip()
        if taxonomy.lower() == SUPPORT_TYPE_TAXONOMY:
            code = code.lower() or str(term.get("name") or "").strip().lower()
            (keys if code in _BY_KEY else bad).append(code)
        elif code:
            published = _published_code(taxonomy, code)
            derived = _BY_SOURCE.get(published or "", [])
            if len(derived) == 1:  # a broad published term several types narrow is not one of them
                keys.extend(derived)
    if bad:
        from .records import InputError, ValidationIssue

        raise InputError([ValidationIssue(where, "taxonomy_term.code", unknown_message(bad))])
    return list(dict.fromkeys(keys))
