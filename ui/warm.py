"""Warm the server before it serves: open the directory, load the model, bring the index up to date
and run one search with no personal data, so that a person's first search is as fast as any other.

`scripts/serve_warm.py` calls `warm()` in the server's own process before Streamlit starts, so the resources it
loads are the ones every page then shares (st.cache_resource is per process).
"""

from __future__ import annotations

import time

# A profile about no one: one need rated, no words, no place.
DUMMY_PROFILE = {"needs": {"social_relationships": 1}}


def warm(url: str | None = None) -> dict[str, float]:
    """Seconds each step took: load (store, model, index update), first search, and the page's imports."""
    from . import session

    started = time.perf_counter()
    rec = session._recommender(url or session.db_url())
    loaded = time.perf_counter()
    rec.refresh()
    rec.recommend(DUMMY_PROFILE, top_k=10)
    searched = time.perf_counter()
    # What the Find support page imports and draws with (Altair, the map's gazetteer, the PDF's fonts).
    from matcher.geo import default_gazetteer
    from matcher.plan_pdf import render_plan_pdf

    from .map import build_map

    gazetteer = default_gazetteer()
    # Altair checks a chart against the Vega-Lite schema; the first check compiles it (seconds).
    somewhere = gazetteer.places[0] if gazetteer.places else None
    if somewhere is not None:
        chart = build_map([], (somewhere.latitude, somewhere.longitude), 2.0).chart
        if chart is not None:
            chart.to_dict()
    render_plan_pdf([])
    return {"load_s": loaded - started, "search_s": searched - loaded, "imports_s": time.perf_counter() - searched}
