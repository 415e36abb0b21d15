"""Signals of the learned ranker that say whether a listing is made for the person's own group: held
in a language they speak, or only for their gender or age group (matcher/learned.py, docs/ranking.md).
They read the snapshot's columns and the profile, nothing else."""

from __future__ import annotations

import numpy as np

from .profile import NeedsProfile
from .snapshot import Snapshot

# Age limits that make a listing one for a group (`for_group`): older people's services start at 50 to
# 65, young people's end at 18 to 25; a limit of 18+ or 16+ is only an adult service.
OLDER_FROM, YOUNG_TO = 50, 25


def own_language(snap: Snapshot, profile: NeedsProfile, rows: np.ndarray) -> np.ndarray:
    """1 when the listing is held in a language the person speaks other than English, the
    directories' common language (contract section 4 only asks for one shared language)."""
    cols = snap.language_columns([c for c in profile.languages if c != "en"])
    if len(cols) == 0:
        return np.zeros(len(rows))
    return snap.language_matrix[rows][:, cols].any(axis=1).astype(float)


def for_group(snap: Snapshot, profile: NeedsProfile, rows: np.ndarray) -> np.ndarray:
    """1 when the listing is only for the person's gender, or only for older (50+) or young
    (25 and under) people and the person's age is known: the hard rules let only people of that
    group reach it, so it is made for them (an older people's befriending scheme for a widow of 71)."""
    group = snap.gender[rows] != 0
    if profile.age is not None:
        group |= (snap.min_age[rows] >= OLDER_FROM) | (snap.max_age[rows] <= YOUNG_TO)
    return group.astype(float)
