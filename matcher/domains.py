"""Which needs domains (contract section 1) a listing serves, when its curator left them blank.

Three signals, any suffices: the listing's embedding is close to a short description of the
domain (the same descriptions serve as per-need queries), a keyword rule fires on its text, or one
of its support types serves the domain (`domains_of_types`; Recommender._infer adds these).
A listing gets at least its MIN_INFERRED closest domains, so nothing is left unreachable by need,
unless its text is mostly Welsh, which the English model cannot read: then only its words count.
"""

from __future__ import annotations

import re

import numpy as np

from directory.records import DOMAINS
from directory.support_types import SUPPORT_TYPES
from directory.welsh import DOMAIN_TERMS as WELSH_TERMS
from directory.welsh import mostly_welsh

# What each domain covers, in the words listings and people use (contract section 1, widened).
DOMAIN_DESCRIPTIONS: dict[str, str] = {
    "lifestyle": "Physical activity and healthy living: walking groups, exercise classes, sport, dance, "
                 "cooking and healthy eating, losing weight, stopping smoking, cutting down alcohol.",
    "self_care": "Looking after yourself and your health: self-management courses, getting to and through "
                 "GP and hospital appointments, medication, health checks, help with forms and paperwork.",
    "managing_symptoms": "Living with a long-term condition: breathlessness, COPD, diabetes and blood sugar, "
                         "chronic pain, arthritis, fatigue, heart and lung health, mobility, rehabilitation.",
    "work_volunteering": "Work, skills and volunteering: employability support, training, courses, "
                         "learning new skills, volunteering opportunities, purposeful activity.",
    "money": "Money and benefits: welfare rights advice, benefit checks, debt advice, food banks, "
             "fuel poverty, energy bills, grants, budgeting, cost of living help.",
    "living_conditions": "Housing and the home: housing advice, repairs, safety at home, homelessness, "
                         "home adaptations, getting around, transport, community transport.",
    "social_relationships": "Company and belonging: loneliness and isolation, befriending, lunch clubs, "
                            "social groups, making friends, community, family, carers, choir and clubs.",
    "mental_wellbeing": "Mental wellbeing: low mood, depression, anxiety, stress, grief and bereavement, "
                        "confidence, mindfulness, talking therapy, counselling, feeling positive.",
}

# Words that by themselves say a listing serves a domain.
KEYWORDS: dict[str, str] = {
    "lifestyle": r"walk|exercise|fitness|more active|physical activity|sport|swim|dance|dancing|yoga|tai chi|cycling|cook|"
                 r"healthy eating|"
                 r"weight|smok|alcohol|football|gym(?:s|nasium|nastics)?\b|garden",  # not Welsh "Gymraeg"
    "self_care": r"self[- ]management|appointment|medication|health check|paperwork|forms?\b|prescription|"
                 r"look(?:ing)? after yourself",
    "managing_symptoms": r"breath|copd|lung|diabet|blood sugar|pain|arthritis|fatigue|mobility|"
                         r"heart|stroke|rehab|long[- ]term condition|chronic",
    "work_volunteering": r"volunteer|employ|job|jobs|work skills|training|course|cv\b|skills",
    "money": r"benefit|debt|money|welfare|food ?bank|fuel|energy bill|grant|budget|income|cost of living",
    "living_conditions": r"housing|home repair|tenan|homeless|adaptation|transport|safety at home|landlord",
    "social_relationships": r"lonel|isolat|befriend|lunch club|friends|social group|community|company|"
                            r"choir|coffee morning|a chat|blether|carers?\b|get together",
    "mental_wellbeing": r"mental|mood|depress|anxi|stress|grief|bereave|confidence|mindful|counsel|"
                        r"wellbeing|well-being|talking therap",
}
# With the Welsh words for each domain (directory/data/welsh_terms.json, every mutated form): the English
# model cannot read a Welsh-only listing, so its words are the only evidence of what it serves.
_KEYWORD_RES = {d: re.compile(rf"\b(?:{'|'.join((p, *WELSH_TERMS.get(d, ())))})", re.IGNORECASE)
                for d, p in KEYWORDS.items()}

# Cosine similarity to a domain description above which the domain is inferred. 0.40: best F1
# (0.700; precision 0.675, recall 0.728) of inferred against curator domains over the 261
# curator-labelled listings of the demo directory, domains hidden; bench/quality.py --domains.
SIMILARITY_THRESHOLD = 0.40
# Every listing without curator domains gets at least its MIN_INFERRED closest domains. 2: LODO on
# bench/quality.py --lodo (chosen with the blend in every fold; 1 left social clubs described by
# their activity, "line dancing, Korean lunch", serving no need but lifestyle), see bench/README.md.
# The 0.40 threshold above was kept by the same runs (0.30 and 0.35 no better in any fold).
MIN_INFERRED = 2


def keyword_domains(texts: list[str]) -> np.ndarray:
    """bool (len(texts), 8): keyword rules that fire on each text."""
    out = np.zeros((len(texts), len(DOMAINS)), dtype=bool)
    for j, d in enumerate(DOMAINS):
        rx = _KEYWORD_RES[d]
        out[:, j] = [rx.search(t) is not None for t in texts]
    return out


def infer_domains(vectors: np.ndarray, texts: list[str], domain_vectors: np.ndarray,
                  threshold: float | None = None, known: np.ndarray | None = None) -> np.ndarray:
    """bool (n, 8): domains each listing (its unit vector and its text) serves (threshold: default
    SIMILARITY_THRESHOLD, read at call time so that bench/quality.py --lodo can vary it).

    A text written mostly in Welsh (directory.welsh.mostly_welsh) is one the English model cannot
    read: its similarities are noise, so it serves only what its words name, or `known` (bool (n, 8):
    domains its support types serve), and no closest domain is added: a listing is not offered for a
    need nothing in its text supports (one whose words name none is offered only when no need is rated)."""
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    if len(texts) == 0:
        return np.zeros((0, len(DOMAINS)), dtype=bool)
    sims = vectors @ domain_vectors.T
    words = keyword_domains(texts)
    out = (sims >= threshold) | words
    closest = np.argsort(-sims, axis=1, kind="stable")[:, :MIN_INFERRED]
    out[np.arange(len(texts))[:, None], closest] = True
    welsh = np.array([mostly_welsh(t) for t in texts], dtype=bool)
    if welsh.any():
        out[welsh] = words[welsh] | (known[welsh] if known is not None else False)
    return out


# bool (T, 8): the domains each support type serves (directory/data/support_types.json, `domains`).
TYPE_DOMAINS = np.array([[d in t.domains for d in DOMAINS] for t in SUPPORT_TYPES], dtype=bool)


def domains_of_types(types: np.ndarray) -> np.ndarray:
    """bool (n, 8): every domain served by one of each row's support types (bool (n, T)). A listing
    that runs a carers' group serves what carers' support serves, whatever its text's embedding is
    closest to: the type is read from the listing's own words (or a curator's tag), the mapping is
    the vocabulary's, so this holds in any directory."""
    return (types.astype(np.int32) @ TYPE_DOMAINS.astype(np.int32)) > 0


def needs_from_text(text: str, vector: np.ndarray, domain_vectors: np.ndarray,
                    threshold: float | None = None) -> dict[str, int]:
    """Need readings guessed from a GP's free text: the closest domain 2, others that match 4."""
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    if not text.strip():
        return {}
    sims = domain_vectors @ vector
    hits = (sims >= threshold) | keyword_domains([text])[0]
    best = int(np.argmax(sims))
    needs = {d: 4 for j, d in enumerate(DOMAINS) if hits[j]}
    needs[DOMAINS[best]] = 2
    return needs
