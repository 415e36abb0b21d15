"""Gaps (curator): provision by needs domain × language × area, so a curator sees where people have
nothing to go to. Phone and online listings count as their own area: they reach everyone."""

from __future__ import annotations

import altair as alt
import streamlit as st

import ui
from directory import curation
from directory.records import DOMAINS

user = ui.require("browse")
store = ui.store()

st.title("Gaps in provision")
st.caption("Active listings counted by the need they meet, the language they are held in and the area they "
           "meet in. A zero is a place where a person with that need, speaking that language, has nothing to go to.")


# Matching's own domains of every listing (curator's, or inferred from the text by embeddings or
# keywords): Gaps counts a listing under exactly the needs Find support would offer it for.
cov = curation.coverage(store, domains_of={k: v[0] for k, v in ui.recommender().listing_domains().items()})
if cov.empty:
    st.info("The directory has no active listings yet.")
    st.stop()

areas = sorted(cov["area"].unique())
langs = sorted(cov["language"].unique(), key=ui.language_name)
a, b = st.columns([3, 2])
chosen_areas = a.multiselect("Areas (postcode districts)", areas, default=areas, key="gap_areas")
chosen_langs = b.multiselect("Languages", langs, default=langs, key="gap_langs", format_func=ui.language_name)
view = cov[cov["area"].isin(chosen_areas) & cov["language"].isin(chosen_langs)].copy()
view["need"] = view["domain"].map(lambda d: ui.domain_label(d) if d in DOMAINS else d)
view["language name"] = view["language"].map(ui.language_name)

grid = view.groupby(["need", "language name"], as_index=False)["listings"].sum()
needs_order = [ui.domain_label(d) for d in DOMAINS] + [d for d in grid["need"].unique()
                                                     if d not in {ui.domain_label(x) for x in DOMAINS}]
top = max(int(grid["listings"].max()), 1)
grid["ink"] = ["#c00000" if n == 0 else "#ffffff" if n > top / 2 else "#111111" for n in grid["listings"]]
# Every label shown whole (no dropping of "overlapping" labels, no cut), one band per need tall enough to read.
chart = (
    alt.Chart(grid, height=34 * len(needs_order))
    .mark_rect(stroke="white")
    .encode(
        x=alt.X("language name:N", title="Language",
                axis=alt.Axis(labelAngle=0, labelLimit=160, labelOverlap=False, orient="top")),
        y=alt.Y("need:N", title=None, sort=needs_order,
                axis=alt.Axis(labelLimit=400, labelOverlap=False, labelFontSize=13)),
        color=alt.Color("listings:Q", title="Listings", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(gradientLength=140, tickMinStep=1)),
        tooltip=["need", "language name", "listings"],
    )
)
# Dark text on light cells, white on dark ones, red for a zero: every count readable.
labels = chart.mark_text(fontSize=13, fontWeight="bold").encode(
    text="listings:Q", color=alt.Color("ink:N", scale=None, legend=None))
# The cells' colour is a count, the labels' a fixed ink: two colour scales, not one shared.
st.altair_chart((chart + labels).resolve_scale(color="independent"), width="stretch")

st.subheader("By area")
table = view.pivot_table(index=["area", "need"], columns="language name", values="listings", aggfunc="sum",
                         fill_value=0)
st.dataframe(table, width="stretch")

zeros = grid[grid["listings"] == 0]
st.subheader(f"Nothing to go to: {len(zeros)} need × language combinations in the chosen areas")
if len(zeros):
    st.dataframe(zeros[["need", "language name"]], hide_index=True, width="stretch")

stale = curation.stale_listings(store)
st.caption(f"{len(stale)} active listings have not been verified in 12 months; see Directory → Stale listings.")
