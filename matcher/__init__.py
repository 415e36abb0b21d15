"""The matcher: a needs profile in, a short, explained, safe list of local support out.

    from matcher import Recommender
    with Recommender.open(db) as rec:
        recs = rec.recommend(profile, top_k=10)

Names are loaded on first use (PEP 562), so importing one small module of the package (`matcher.geo`)
does not load the model's libraries.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "Recommender": "recommender", "Recommendations": "recommender", "Result": "recommender",
    "NearMiss": "recommender", "NeedsProfile": "profile", "parse_profile": "profile", "read_profiles": "profile",
}
__all__ = list(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
