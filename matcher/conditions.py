"""Long-term conditions as people and listings write them: 'type 2 diabetes' and 'diabetic',
'COPD' and 'chronic obstructive pulmonary disease', 'heart failure' and 'cardiac'.

Used to say where a condition matters ("For people with COPD: you live with COPD"), quoting the
listing's own word for it, never inventing one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# Each family, one a line: words a person may type for the condition  =>  words a listing may use for it.
_FAMILIES = r"""
diabet|blood sugar|pre-?diabet                      => diabet\w*|blood sugar|pre-?diabet\w*
copd|emphysema|bronchitis|chronic obstructive|lung|breath|asthma
                                                    => copd|emphysema|chronic obstructive pulmonary disease|lung conditions?|lung health|breathless\w*|breathing|asthma
heart|cardiac|angina|coronary|heart failure|atrial  => heart\w*|cardiac|angina|coronary
stroke                                              => stroke
arthrit|osteo|joint|back pain|chronic pain|fibromyalg|pain
                                                    => arthritis|joint pain|chronic pain|pain|fibromyalgia
dementia|alzheimer|memory                           => dementia|alzheimer\w*|memory loss|memory
cancer                                              => cancer
parkinson                                           => parkinson\w*
\bms\b|multiple sclerosis                           => multiple sclerosis|\bms\b
depress|anxi|low mood|mental                        => depression|anxiety|low mood|mental health
obes|weight                                         => weight|obesity
kidney|renal                                        => kidney|renal
sight|visual|blind                                  => sight loss|visual impairment|blind\w*|sight
deaf|hearing                                        => deaf\w*|hearing loss|hearing
"""
def _families(table: str) -> list[tuple[str, str]]:
    """The table as (person pattern, listing pattern) pairs; a continued line starts with '=>'."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in table.strip().splitlines():
        line = line.strip()
        if line.startswith("=>"):
            out.append((pending, line[2:].strip()))
            pending = ""
        elif "=>" in line:
            person, listing = line.split("=>", 1)
            out.append((person.strip(), listing.strip()))
        else:
            pending = line
    return out


_COMPILED = [(re.compile(p, re.IGNORECASE), re.compile(rf"\b(?:{w})\b", re.IGNORECASE))
             for p, w in _families(_FAMILIES)]


_CLAUSE = re.compile(r"[^,.!?;:()\n]+")


def condition_clause(condition: str, text: str) -> str | None:
    """The clause of a listing's text that names the person's condition in its own words (the one
    naming it as the person did, when there is one), e.g. 'for people with COPD'; None if none does."""
    for person, listing in _COMPILED:
        if not person.search(condition):
            continue
        hits = list(listing.finditer(text))
        if not hits:
            continue
        best = next((h for h in hits if h.group(0).casefold() in condition.casefold()), hits[0])
        for clause in _CLAUSE.finditer(text):
            if clause.start() <= best.start() < clause.end():
                return clause.group(0).strip()
    return None


def names_a_condition(conditions: list[str], texts: Sequence[str], rows: Sequence[int] | None = None) -> np.ndarray:
    """1.0 where the text names one of the person's conditions (in its own words), else 0: over `texts`,
    or over `texts[r]` for r in `rows` (a column of a large snapshot: only read when a condition is named)."""
    n = len(texts) if rows is None else len(rows)
    wanted = [listing for person, listing in _COMPILED if any(person.search(c) for c in conditions)]
    if not wanted:
        return np.zeros(n)
    chosen = texts if rows is None else (texts[r] for r in rows)
    return np.array([float(any(rx.search(t) for rx in wanted)) for t in chosen])
