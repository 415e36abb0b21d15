"""Gaps (curator): provision by needs domain × language × area, and by kind of support × language × area,
so a curator sees where people have nothing to go to. Phone and online listings count as their own area:
they reach everyone. The counting is in directory.curation and matcher.gaps; this page draws it."""

from __future__ import annotations

import streamlit as st

import ui
from directory import curation, support_types
from directory.records import DOMAINS
from matcher import gaps
from ui.heatmap import count_heatmap

user = ui.require("browse")
store = ui.store()

st.title("Gaps in provision")
st.caption("Active listings counted by what they offer, the language they are held in and the area they meet in. "
           "A zero is a place where a person with that need, speaking that language, has nothing to go to.")
listings = store.list()
rec = ui.recommender()
by_need, by_type = st.tabs(["By need", "By kind of support"])

with by_need:
    # Matching's own domains of every listing (curator's, or inferred from the text by embeddings or
    # keywords): Gaps counts a listing under exactly the needs Find support would offer it for.
    cov = curation.coverage(listings, domains_of={k: v[0] for k, v in rec.listing_domains().items()})
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
    labels = {ui.domain_label(x) for x in DOMAINS}
    needs_order = [ui.domain_label(d) for d in DOMAINS] + [d for d in grid["need"].unique() if d not in labels]
    st.altair_chart(count_heatmap(grid, "need", "language name", needs_order, tooltip=["need", "language name",
                                                                                        "listings"]),
                    width="stretch")
    st.subheader("By area")
    table = view.pivot_table(index=["area", "need"], columns="language name", values="listings", aggfunc="sum",
                             fill_value=0)
    st.dataframe(table, width="stretch")
    zeros = grid[grid["listings"] == 0]
    st.subheader(f"Nothing to go to: {len(zeros)} need × language combinations in the chosen areas")
    if len(zeros):
        st.dataframe(zeros[["need", "language name"]], hide_index=True, width="stretch")

with by_type:
    st.caption("Each listing under the kinds of support matching gives it: the curator's tags, else the kinds "
               "**inferred** from its words (tag those listings to be sure).")
    a, b, c = st.columns([2, 3, 3])
    by = a.radio("Areas by", [gaps.BY_DISTRICT, gaps.BY_NEIGHBOURHOOD], key="gap_type_by",
                 format_func={gaps.BY_DISTRICT: "Postcode district",
                              gaps.BY_NEIGHBOURHOOD: "Neighbourhood nearest the venue"}.get)
    tcov = gaps.support_type_coverage(listings, rec.listing_support_types(), by=by, gazetteer=rec.gazetteer)
    t_areas = gaps.remote_last(tcov["area"].unique())
    t_langs = sorted(tcov["language"].unique(), key=ui.language_name)
    chosen_t_areas = b.multiselect("Areas", t_areas, default=t_areas, key=f"gap_type_areas_{by}")
    chosen_t_langs = c.multiselect("Languages", t_langs, default=t_langs, key="gap_type_langs",
                                   format_func=ui.language_name)
    tview = tcov[tcov["area"].isin(chosen_t_areas) & tcov["language"].isin(chosen_t_langs)].copy()
    tview["kind of support"] = tview["support_type"].map(support_types.label)
    tview["language name"] = tview["language"].map(ui.language_name)
    tgrid = tview.groupby(["kind of support", "language name"], as_index=False)[["listings", "inferred"]].sum()
    with_inferred = st.toggle("Count kinds inferred from the listings' words", value=True, key="gap_type_inferred")
    st.caption(f"Of the {int(tgrid['listings'].sum())} listings counted below (a listing once per kind and "
               f"language), {int(tgrid['inferred'].sum())} have inferred kinds"
               + ("." if with_inferred else "; the chart leaves them out."))
    tgrid["counted"] = tgrid["listings"] if with_inferred else tgrid["listings"] - tgrid["inferred"]
    type_order = [t.label for t in support_types.SUPPORT_TYPES]
    st.altair_chart(count_heatmap(tgrid, "kind of support", "language name", type_order, count="counted",
                                  tooltip=["kind of support", "language name", "listings", "inferred"]),
                    width="stretch")
    st.subheader("Counts")
    st.dataframe(tgrid[["kind of support", "language name", "listings", "inferred"]], hide_index=True,
                 width="stretch")
    st.subheader("By area")
    st.dataframe(tview.pivot_table(index=["area", "kind of support"], columns="language name", values="listings",
                                   aggfunc="sum", fill_value=0), width="stretch")
    tzeros = tgrid[tgrid["counted"] == 0]
    st.subheader(f"Nothing to go to: {len(tzeros)} kind of support × language combinations in the chosen areas")

stale = curation.stale_listings(listings)
st.caption(f"{len(stale)} active listings have not been verified in 12 months; see Directory → Stale listings.")
