"""Gaps (curator): provision by needs domain × language × area, so a curator sees where people have
nothing to go to. Phone and online listings count as their own area: they reach everyone."""

from __future__ import annotations

import altair as alt
import streamlit as st

import ui
from directory import curation
from directory.records import DOMAINS
from matcher.domains import keyword_domains

user = ui.require("browse")
store = ui.store()

st.title("Gaps in provision")
st.caption("Active listings counted by the need they meet, the language they are held in and the area they "
           "meet in. A zero is a place where a person with that need, speaking that language, has nothing to go to.")


def infer(resources):
    """Listings without curator domains are counted under the domains their text suggests."""
    hits = keyword_domains([" ".join([r.name, r.description, " ".join(r.categories)]) for r in resources])
    return [[d for j, d in enumerate(DOMAINS) if row[j]] for row in hits]


cov = curation.coverage(store, infer=infer)
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
chart = (
    alt.Chart(grid)
    .mark_rect(stroke="white")
    .encode(
        x=alt.X("language name:N", title="Language"),
        y=alt.Y("need:N", title="Need", sort=[ui.domain_label(d) for d in DOMAINS]),
        color=alt.Color("listings:Q", title="Listings", scale=alt.Scale(scheme="blues", domainMin=0)),
        tooltip=["need", "language name", "listings"],
    )
)
labels = chart.mark_text(fontSize=13).encode(
    text="listings:Q", color=alt.condition("datum.listings == 0", alt.value("#c00000"), alt.value("#111")))
st.altair_chart(chart + labels, width="stretch")

st.subheader("By area")
table = view.pivot_table(index=["area", "need"], columns="language name", values="listings", aggfunc="sum",
                         fill_value=0)
st.dataframe(table, width="stretch")

zeros = grid[grid["listings"] == 0]
st.subheader(f"Nothing to go to: {len(zeros)} need × language combinations in the chosen areas")
if len(zeros):
    st.dataframe(zeros[["need", "language name"]], hide_index=True, width="stretch")

stale = curation.stale_listings(store)
st.caption(f"{len(stale)} active listings have not been verified in 12 months; see Directory → Stale only.")
