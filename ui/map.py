"""The offline map of Find support, drawn as Vega-Lite layers (Altair): the travel ring, where the
person lives, neighbourhood names from the bundled gazetteer and one marker per venue.

No basemap, no tiles, no style sheet, no font from anywhere: every mark comes from the data here, so
the browser asks nothing of any other server. The maths (projection, fit, grouping, label
placement) is `matcher.mapping`; this module only turns its answers into layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from matcher import mapping
from matcher.geo import default_gazetteer

SIZE_PX = 340  # fits a 390 px phone beside Streamlit's margins; square, so the ring stays round
BLUE, RED, INK, GREY = "#005eb8", "#c8102e", "#212b32", "#6b7780"


@dataclass
class MapPlan:
    """What the map shows and what it leaves to the list beside it."""

    chart: alt.LayerChart | None
    caption: str
    off_map: list[tuple[int, str, str]]  # (rank, name, why it is not on the map)


def _venues(results, centre) -> tuple[list[tuple[float, float, int, str]], list[tuple[int, str, str]]]:
    venues, off = [], []
    for r in results:
        res = r.resource
        if "in_person" in r.delivery and res.latitude is not None:
            venues.append((*mapping.project(centre, res.latitude, res.longitude), r.rank, r.name))
        elif "in_person" in r.delivery:
            off.append((r.rank, r.name, "no address on the listing"))
        else:
            off.append((r.rank, r.name, " or ".join(m.replace("_", " ") for m in r.delivery if m != "in_person")))
    return venues, off


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def _axes(view: mapping.View) -> dict:
    domain = [-view.half_km, view.half_km]
    return {"x": alt.X("x:Q", scale=alt.Scale(domain=domain), axis=None),
            "y": alt.Y("y:Q", scale=alt.Scale(domain=domain), axis=None)}


def build_map(results, home: tuple[float, float] | None, ring_km: float | None) -> MapPlan:
    """The map for a set of results; `home` is the person's resolved location (None when not given)."""
    centre = home
    if centre is None:
        placed = [(r.resource.latitude, r.resource.longitude) for r in results
                  if "in_person" in r.delivery and r.resource.latitude is not None]
        if not placed:
            return MapPlan(None, "", _venues(results, (0.0, 0.0))[1])
        centre = (sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed))
    venues, off = _venues(results, centre)
    view = mapping.fit_view(centre, ring_km if home is not None else None, [(v[0], v[1]) for v in venues], SIZE_PX)
    outside = [(v[2], v[3], "beyond what the map shows") for v in venues if not view.contains(v[0], v[1])]
    markers = mapping.group_markers(venues, view)
    avoid = [(m.x, m.y) for m in markers] + ([(0.0, 0.0)] if home is not None else [])
    hoods = default_gazetteer().neighbourhoods_within(*centre, view.half_km * 1.5)
    names = [(p.name, *mapping.project(centre, p.latitude, p.longitude)) for p in hoods]
    labels = mapping.place_labels(names, view, avoid)
    axes = _axes(view)
    layers = [alt.Chart(_frame([{"x": lb.x, "y": lb.y, "name": lb.text} for lb in labels] or [{"x": 0, "y": 0,
                                                                                             "name": ""}]))
              .mark_text(fontSize=11, color=GREY, font="sans-serif").encode(**axes, text="name:N")]
    if home is not None and ring_km:
        ring = [{"x": x, "y": y, "k": k} for k, (x, y) in enumerate(mapping.ring(float(ring_km)))]
        layers.insert(0, alt.Chart(_frame(ring)).mark_line(color=RED, strokeDash=[6, 4], strokeWidth=2, clip=True)
                      .encode(**axes, order="k:Q"))
    if markers:
        # a circle wide enough for its numbers ('1,2,3'): Vega's size is the area in px²
        rows = [{"x": m.x, "y": m.y, "label": m.label, "names": " / ".join(m.names),
                 "size": max(26.0, 7.5 * len(m.label) + 10) ** 2} for m in markers]
        layers.append(alt.Chart(_frame(rows)).mark_circle(color=BLUE, opacity=1, stroke="white", strokeWidth=2)
                      .encode(**axes, size=alt.Size("size:Q", scale=None, legend=None), tooltip=[alt.Tooltip("label:N", title="Options"),
                                               alt.Tooltip("names:N", title="Name")]))
        layers.append(alt.Chart(_frame(rows)).mark_text(color="white", fontSize=12, fontWeight="bold",
                                                        font="sans-serif").encode(**axes, text="label:N"))
    if home is not None:
        # Drawn last, small and solid with a white edge: seen even when a venue marker sits on home.
        layers.append(alt.Chart(_frame([{"x": 0.0, "y": 0.0, "what": "Where they live"}]))
                      .mark_point(shape="diamond", size=160, filled=True, color=INK, stroke="white", strokeWidth=1.5,
                                  opacity=1)
                      .encode(**axes, tooltip=alt.Tooltip("what:N", title="")))
    chart = (alt.layer(*layers).properties(width=SIZE_PX, height=SIZE_PX)
             .configure_view(stroke="#d8dde0", fill="#f7f9fa").configure(background="white"))
    return MapPlan(chart, caption(home is not None, ring_km, bool(markers), view.ring_whole), off + outside)


def caption(has_home: bool, ring_km: float | None, has_markers: bool, ring_whole: bool = True) -> str:
    """The map's key, saying only what is drawn (no 'red dot' when no place was given)."""
    parts = []
    if has_home:
        parts.append("black diamond: where they live")
        if ring_km:
            edge = "" if ring_whole else " (closed in on the options, so the ring runs off the edges)"
            parts.append(f"dashed red ring: {ring_km:g} km, how far they can travel (as the crow flies){edge}")
    else:
        parts.append("No place was given, so no distances: the map shows where the options meet")
    if has_markers:
        parts.append("blue circles: the options' numbers (one circle for options at the same venue)")
    parts.append("grey: neighbourhoods")
    return "; ".join(parts) + "."
