"""Long-term conditions as people and listings write them: 'type 2 diabetes' and 'diabetic',
'COPD' and 'chronic obstructive pulmonary disease', 'heart failure' and 'cardiac'.

Used to say where a condition matters ("For people with COPD: you live with COPD"), quoting the
listing's own word for it, never inventing one.
"""

from __future__ import annotations

import re

import numpy as np

# Each family: words a person may type for the condition → words a listing may use for it.
_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"diabet|blood sugar|pre-?diabet", r"diabet\w*|blood sugar|pre-?diabet\w*"),
    (r"copd|emphysema|bronchitis|chronic obstructive|lung|breath|asthma",
     r"copd|emphysema|chronic obstructive pulmonary disease|lung conditions?|lung health|breathless\w*|"
     r"breathing|asthma"),
    (r"heart|cardiac|angina|coronary|heart failure|atrial", r"heart\w*|cardiac|angina|coronary"),
    (r"stroke", r"stroke"),
    (r"arthrit|osteo|joint|back pain|chronic pain|fibromyalg|pain", r"arthritis|joint pain|chronic pain|pain|fibromyalgia"),
    (r"dementia|alzheimer|memory", r"dementia|alzheimer\w*|memory loss|memory"),
    (r"cancer", r"cancer"),
    (r"parkinson", r"parkinson\w*"),
    (r"\bms\b|multiple sclerosis", r"multiple sclerosis|\bms\b"),
    (r"depress|anxi|low mood|mental", r"depression|anxiety|low mood|mental health"),
    (r"obes|weight", r"weight|obesity"),
    (r"kidney|renal", r"kidney|renal"),
    (r"sight|visual|blind", r"sight loss|visual impairment|blind\w*|sight"),
    (r"deaf|hearing", r"deaf\w*|hearing loss|hearing"),
)
_COMPILED = [(re.compile(p, re.IGNORECASE), re.compile(rf"\b(?:{w})\b", re.IGNORECASE)) for p, w in _FAMILIES]


def condition_in_text(condition: str, text: str) -> str | None:
    """The listing's own words for the person's condition, if the listing names it; else None."""
    for person, listing in _COMPILED:
        if person.search(condition):
            hit = listing.search(text)
            if hit:
                return hit.group(0)
    return None


def names_a_condition(conditions: list[str], texts: list[str]) -> np.ndarray:
    """(len(texts),) 1.0 where the text names one of the person's conditions (in its own words), else 0."""
    wanted = [listing for person, listing in _COMPILED if any(person.search(c) for c in conditions)]
    if not wanted:
        return np.zeros(len(texts))
    return np.array([float(any(rx.search(t) for rx in wanted)) for t in texts])
