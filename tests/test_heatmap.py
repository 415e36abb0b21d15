"""The Gaps heatmap's layout rules (ui/heatmap.py): cells keep a width for their counts, long row labels
go on two lines centred on their row, and a label is data in the chart's expression, never code."""

from __future__ import annotations

import json

import pandas as pd

from ui.heatmap import CELL_WIDTH, LINE_HEIGHT, count_heatmap

LONG = "Health checks, appointments and medicines"
ODD = 'A "quoted" \\ label that is long enough to wrap'


def spec(rows: list[str]) -> dict:
    grid = pd.DataFrame({"kind": rows, "language": ["Urdu"] * len(rows), "listings": range(len(rows))})
    return count_heatmap(grid, "kind", "language", rows).to_dict()


def test_cells_keep_their_width_and_long_labels_go_on_two_centred_lines():
    s = spec(["Befriending", LONG, ODD])
    assert s["width"] == {"step": CELL_WIDTH} and s["height"] == 3 * 40
    axis = s["layer"][0]["encoding"]["y"]["axis"]
    table = json.loads(axis["labelExpr"].split(")[datum.label]")[0][1:])  # the labels' lines, as JSON
    assert table == {LONG: ["Health checks,", "appointments and medicines"],
                     ODD: ['A "quoted" \\ label that', "is long enough to wrap"]}
    assert "Befriending" not in table
    assert axis["labelOffset"]["expr"].endswith(f"? {-LINE_HEIGHT / 2} : 0") and axis["labelBaseline"] == "middle"


def test_short_labels_are_left_alone():
    axis = spec(["Befriending", "Money"])["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelExpr"] == "datum.label" and axis["labelOffset"] == {"expr": "0"}
    assert spec(["Befriending"])["height"] == 60  # at least 60 px, one row of 34
