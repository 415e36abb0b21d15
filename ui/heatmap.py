"""A grid of counts a curator can read: every row label whole, every count in an ink that stands out from
its cell (dark on light, white on dark, red for a zero), the colour scale starting at zero."""

from __future__ import annotations

import altair as alt
import pandas as pd

ZERO_INK, LIGHT_INK, DARK_INK = "#c00000", "#ffffff", "#111111"


def count_heatmap(grid: pd.DataFrame, row: str, column: str, rows_order: list[str], *, count: str = "listings",
                  text: str | None = None, tooltip: list[str] | None = None, row_title: str | None = None,
                  column_title: str = "Language") -> alt.LayerChart:
    """`grid`: one line per cell (`row`, `column`, `count`, and optionally a `text` to print instead of the count)."""
    grid = grid.copy()
    slant = grid[column].nunique() > 6
    top = max(int(grid[count].max()) if len(grid) else 0, 1)
    # Blues past the middle of the scale are dark enough that only white text reads on them.
    grid["ink"] = [ZERO_INK if n == 0 else LIGHT_INK if n > top / 2 else DARK_INK for n in grid[count]]
    cells = (
        alt.Chart(grid, height=max(34 * len(rows_order), 60))
        .mark_rect(stroke="white")
        .encode(
            # Slanted column labels: a dozen languages side by side do not fit level without running together.
            x=alt.X(f"{column}:N", title=column_title,
                    axis=alt.Axis(labelAngle=-40 if slant else 0, labelAlign="left" if slant else "center",
                                  labelLimit=160, labelOverlap=False, orient="top", labelFontSize=12)),
            y=alt.Y(f"{row}:N", title=row_title, sort=rows_order,
                    axis=alt.Axis(labelLimit=420, labelOverlap=False, labelFontSize=13)),
            color=alt.Color(f"{count}:Q", title="Listings", scale=alt.Scale(scheme="blues", domainMin=0),
                            legend=alt.Legend(gradientLength=140, tickMinStep=1)),
            tooltip=tooltip or [row, column, count],
        )
    )
    labels = cells.mark_text(fontSize=13, fontWeight="bold").encode(
        text=f"{text or count}:{'N' if text else 'Q'}", color=alt.Color("ink:N", scale=None, legend=None))
    # The cells' colour is a count, the labels' a fixed ink: two colour scales, not one shared.
    return (cells + labels).resolve_scale(color="independent")
