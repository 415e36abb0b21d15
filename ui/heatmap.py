"""A grid of counts a curator can read: every row label whole (a long one on two lines), every count in an
ink that stands out from its cell (dark on light, white on dark, red for a zero), the colour scale starting
at zero, and cells that keep their width on a phone (the chart scrolls sideways in its own box)."""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

ZERO_INK, LIGHT_INK, DARK_INK = "#c00000", "#ffffff", "#111111"
CELL_WIDTH = 34  # px: a three-digit count in bold 13 px type, with room either side
LABEL_CHARS = 24  # a longer row label goes on two lines, so the labels leave a phone room for some columns
LINE_HEIGHT = 15  # px, of a two-line label


def _two_lines(label: str) -> list[str]:
    """A label on at most two lines (a row is 40 px high then), the first at most LABEL_CHARS long where it can be."""
    width = LABEL_CHARS
    while len(lines := textwrap.wrap(label, width)) > 2:
        width += 2
    return lines


def _wrapped_labels(labels: list[str]) -> tuple[str, str]:
    """Vega expressions giving each long row label as its lines, and the offset that centres those lines on
    their row (Vega centres a label's first line). A label is text, never code: it is JSON-quoted."""
    lines = {x: _two_lines(x) for x in labels if len(x) > LABEL_CHARS}
    if not lines:
        return "datum.label", "0"
    table = json.dumps(lines, ensure_ascii=False)
    return f"({table})[datum.label] || datum.label", f"({table})[datum.label] ? {-LINE_HEIGHT / 2} : 0"


def count_heatmap(grid: pd.DataFrame, row: str, column: str, rows_order: list[str], *, count: str = "listings",
                  text: str | None = None, tooltip: list[str] | None = None, row_title: str | None = None,
                  column_title: str = "Language") -> alt.LayerChart:
    """`grid`: one line per cell (`row`, `column`, `count`, and optionally a `text` to print instead of the count)."""
    grid = grid.copy()
    slant = grid[column].nunique() > 6
    top = max(int(grid[count].max()) if len(grid) else 0, 1)
    # Blues past the middle of the scale are dark enough that only white text reads on them.
    grid["ink"] = [ZERO_INK if n == 0 else LIGHT_INK if n > top / 2 else DARK_INK for n in grid[count]]
    label_lines, label_offset = _wrapped_labels(rows_order)
    row_height = 34 if label_lines == "datum.label" else 40  # two-line labels need room between them
    cells = (
        # Each column its own fixed width, wide enough for a count: squeezed into a phone's width a dozen
        # languages would print their counts over each other (the page scrolls the chart sideways instead).
        alt.Chart(grid, height=max(row_height * len(rows_order), 60), width=alt.Step(CELL_WIDTH))
        .mark_rect(stroke="white")
        .encode(
            # Slanted column labels: a dozen languages side by side do not fit level without running together.
            x=alt.X(f"{column}:N", title=column_title,
                    axis=alt.Axis(labelAngle=-40 if slant else 0, labelAlign="left" if slant else "center",
                                  labelLimit=160, labelOverlap=False, orient="top", labelFontSize=12)),
            y=alt.Y(f"{row}:N", title=row_title, sort=rows_order,
                    axis=alt.Axis(labelLimit=420, labelOverlap=False, labelFontSize=13, labelExpr=label_lines,
                                  labelBaseline="middle", labelLineHeight=LINE_HEIGHT,
                                  labelOffset={"expr": label_offset})),
            color=alt.Color(f"{count}:Q", title="Listings", scale=alt.Scale(scheme="blues", domainMin=0),
                            legend=alt.Legend(gradientLength=140, tickMinStep=1)),
            tooltip=tooltip or [row, column, count],
        )
    )
    labels = cells.mark_text(fontSize=13, fontWeight="bold").encode(
        text=f"{text or count}:{'N' if text else 'Q'}", color=alt.Color("ink:N", scale=None, legend=None))
    # The cells' colour is a count, the labels' a fixed ink: two colour scales, not one shared.
    return (cells + labels).resolve_scale(color="independent")


def show(chart: alt.LayerChart, key: str) -> None:
    """Draw a heatmap at its own width in a box that scrolls sideways when the screen is narrower (a phone):
    its cells keep room for their counts, and the page itself never scrolls sideways."""
    # Signpost's own fixed rule, no listing or user text: a style-only st.html takes no room on the page.
    st.html(f"<style>.st-key-{key} {{ overflow-x: auto; }}</style>")
    with st.container(key=key):
        st.altair_chart(chart, width="content")
