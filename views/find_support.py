"""Find support (link worker): a needs profile filled with the person, explained results, a map,
what was left out and why, a shortlist and a printable plan.

The profile lives only in st.session_state: it is never saved, logged or sent anywhere, and
closing the tab forgets it.
"""

from __future__ import annotations

import base64
import math

import pydeck as pdk
import streamlit as st

import ui
from directory.records import DOMAINS, InputError
from matcher.geo import default_gazetteer, haversine_km
from matcher.plan import contact_lines, render_plan_html, where_text
from matcher.profile import profile_from_form
from ui import profile_form as pf

user = ui.require("match")
ss = st.session_state
ss.setdefault("fs_shortlist", {})

st.title("Find support")
st.caption("Fill this in with the person. Nothing you enter is saved or logged; closing the tab forgets it.")

left, right = st.columns([5, 7], gap="large")

# ---- the profile form --------------------------------------------------------------------------------
with left, st.form("profile"):
    st.subheader("What matters to them")
    st.text_area("In their own words: what matters to them, what they would like to do", key="fs_goals",
                 height=90, placeholder="e.g. Since my husband died I hardly go out. I used to sing in a choir.")
    st.text_input("Long-term conditions (separate with commas)", key="fs_conditions",
                  placeholder="e.g. type 2 diabetes, COPD")
    st.markdown("**Needs**: score each area with them, **1 = greatest need**, 10 = no need")
    cols = st.columns(2)
    for i, d in enumerate(DOMAINS):
        cols[i % 2].selectbox(ui.domain_label(d), pf.NEED_CHOICES, key=f"fs_need_{d}", format_func=pf.need_label)
    st.subheader("About them")
    st.multiselect("Languages they can take part in", ui.LANGUAGE_OPTIONS, default=["English"], key="fs_languages")
    a, b = st.columns(2)
    a.number_input("Age (years)", min_value=0, max_value=130, value=None, step=1, key="fs_age",
                   placeholder="not given")
    b.selectbox("Gender", pf.GENDER_CHOICES, key="fs_gender", format_func=lambda g: pf.GENDER_WORDS[g],
                help="When not given, women-only and men-only groups are left out.")
    st.subheader("Getting there")
    st.text_input("Where they live: postcode or place", key="fs_place", placeholder="e.g. G51 3AB or Govan",
                  help="Postcode districts and neighbourhoods of the area are known offline.")
    with st.expander("Or coordinates (latitude, longitude)"):
        c, d = st.columns(2)
        c.number_input("Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.5f", key="fs_lat")
        d.number_input("Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.5f", key="fs_lon")
    st.slider("How far they can travel (km)", min_value=0.5, max_value=30.0, value=5.0, step=0.5, key="fs_km",
              format="%.1f km")
    a, b = st.columns(2)
    a.selectbox("Phone and internet", pf.DIGITAL_CHOICES, key="fs_digital", format_func=pf.DIGITAL_WORDS.get)
    b.selectbox("What they can afford", pf.COST_CHOICES, key="fs_cost", format_func=pf.COST_WORDS.get)
    st.checkbox("Needs wheelchair access", key="fs_wheelchair")
    submitted = st.form_submit_button("Find support", type="primary", icon=":material/search:")


def form_values() -> dict:
    v = {f"need_{d}": ss.get(f"fs_need_{d}") for d in DOMAINS}
    v.update(goals=ss.get("fs_goals"), conditions=ss.get("fs_conditions"), languages=ss.get("fs_languages"),
             age=ss.get("fs_age"), gender=ss.get("fs_gender"), place=ss.get("fs_place"), latitude=ss.get("fs_lat"),
             longitude=ss.get("fs_lon"), max_distance_km=ss.get("fs_km"), digital_access=ss.get("fs_digital"),
             wheelchair=ss.get("fs_wheelchair"), max_cost=ss.get("fs_cost"))
    return v


if submitted:
    ss.pop("fs_errors", None)
    try:
        profile = profile_from_form(form_values())
        # The model loads on the first search, not before: the form is there at once.
        ss["fs_recs"] = ui.recommender().recommend(profile, top_k=10)
        ss["fs_km_used"] = ss.get("fs_km")
    except InputError as err:
        ss.pop("fs_recs", None)
        ss["fs_errors"] = [(pf.field_label(i.column), i.message) for i in err.issues]

with left:
    for label, message in ss.get("fs_errors", []):
        st.error(f"**{label}**: {ui.text(message)}")
    if ss.get("fs_recs") is not None:
        n = len(ss["fs_recs"].results)
        if n:
            st.success(f"{n} options found: they are on the right, best first, with a map.", icon=":material/east:")
        else:
            st.warning("Nothing fits every need and limit: see on the right what was left out and why.")


# ---- results -----------------------------------------------------------------------------------------
def toggle(result) -> None:
    shortlist = ss["fs_shortlist"]
    if result.id in shortlist:
        del shortlist[result.id]
    else:
        shortlist[result.id] = result


MAP_HALF_PX = 140  # half the map's height, less a margin for the markers
# An empty map style, inline: without one Streamlit fetches a basemap from cartocdn.com, off this machine.
NO_BASEMAP = 'data:application/json,{"version":8,"sources":{},"layers":[]}'


def _metres_per_px_at_zoom_0(latitude: float) -> float:
    # deck.gl's tiles are 512 px: at zoom z a pixel is 78271.5 * cos(latitude) / 2**z metres.
    return 78271.52 * math.cos(math.radians(latitude))


def fit_zoom(centre, points, half_px: float = MAP_HALF_PX) -> float:
    """A zoom at which every point lies within `half_px` pixels of the centre (web-mercator scale)."""
    span_m = max([float(haversine_km(centre[0], centre[1], p[0], p[1])) * 1000 for p in points] + [300.0])
    return max(8.0, min(16.0, math.log2(_metres_per_px_at_zoom_0(centre[0]) / (span_m / half_px))))


def view_half_km(centre, zoom: float) -> float:
    """How far from the centre the map shows at `zoom`, in km (the inverse of fit_zoom)."""
    return _metres_per_px_at_zoom_0(centre[0]) / 2 ** zoom * MAP_HALF_PX / 1000


def venue_map(recs) -> None:
    by_place: dict[tuple[float, float], list] = {}
    for r in recs.results:
        if r.resource.latitude is not None and "in_person" in r.delivery:
            by_place.setdefault((r.resource.latitude, r.resource.longitude), []).append(r)
    # options meeting at the same venue share one marker, labelled with all their numbers
    venues = [{"lat": lat, "lon": lon, "label": "·".join(str(r.rank) for r in rs),
               "name": " / ".join(r.name for r in rs)} for (lat, lon), rs in by_place.items()]
    home = recs.location
    if home is None and not venues:
        return
    centre = home or (venues[0]["lat"], venues[0]["lon"])
    layers = []
    if home is not None:
        person = [{"lat": home[0], "lon": home[1], "name": "Where the person lives", "label": ""}]
        layers.append(pdk.Layer("ScatterplotLayer", person, get_position="[lon, lat]", get_radius=40,
                                radius_min_pixels=8, radius_max_pixels=10, get_fill_color=[218, 41, 28, 255],
                                pickable=True))
    layers.append(pdk.Layer("ScatterplotLayer", venues, get_position="[lon, lat]", get_radius=60,
                            radius_min_pixels=12, radius_max_pixels=14, get_fill_color=[0, 94, 184, 235], stroked=True,
                            get_line_color=[255, 255, 255], line_width_min_pixels=2, pickable=True))
    layers.append(pdk.Layer("TextLayer", venues, get_position="[lon, lat]", get_text="label", get_size=15,
                            get_color=[255, 255, 255], font_weight=700))
    points = [(v["lat"], v["lon"]) for v in venues]
    km = ss.get("fs_km_used")
    if home is not None and km:
        # How far they said they can travel: the ring every in-person option lies within.
        layers.insert(0, pdk.Layer("ScatterplotLayer", [{"lat": home[0], "lon": home[1]}], get_position="[lon, lat]",
                                   get_radius=float(km) * 1000, filled=False, stroked=True,
                                   get_line_color=[218, 41, 28, 140], line_width_min_pixels=2))
    zoom = fit_zoom(centre, points)
    # No map tiles offline: the bundled gazetteer's neighbourhood names give the person's bearings.
    names = [{"lat": pl.latitude, "lon": pl.longitude, "name": pl.name}
             for pl in default_gazetteer().neighbourhoods_within(*centre, view_half_km(centre, zoom) * 1.6)]
    layers.insert(0, pdk.Layer("TextLayer", names, get_position="[lon, lat]", get_text="name", get_size=12,
                               get_color=[90, 90, 90, 200]))
    deck = pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom),
                    tooltip={"text": "{label} {name}"},
                    map_style=NO_BASEMAP)
    st.pydeck_chart(deck, height=330)
    st.caption("Red dot: where the person lives; red ring (zoom out to see all of it): how far they can travel. "
               "Blue numbers: the options below. Grey: neighbourhoods. Phone and online options are not on the map.")


def card(r) -> None:
    res = r.resource
    on_list = r.id in ss["fs_shortlist"]
    with st.container(border=True):
        head, action = st.columns([5, 2])
        head.markdown(f"#### {r.rank}. {ui.text(res.name)}")
        if res.organisation:
            head.caption(f"Run by {ui.text(res.organisation)}")
        st.text(res.description)
        action.button("✓ On shortlist (remove)" if on_list else "Add to shortlist", key=f"fs_pick_{r.id}",
                      on_click=toggle, args=(r,), type="secondary" if on_list else "primary",
                      width="stretch")
        why = [x for x in r.reasons if x != res.schedule]
        st.markdown("**Why it fits**\n" + "\n".join(f"- {ui.text(x)}" for x in why))
        facts = []
        if r.domains:
            facts.append(f"**Needs it meets:** {ui.text(', '.join(ui.domain_label(d) for d in r.domains))}")
        how = ", ".join(ui.DELIVERY_WORDS[m] for m in res.delivery)
        if r.distance_km is not None and "in_person" in res.delivery:
            how += f" · {r.distance_km:.1f} km away"
        facts.append(f"**How:** {ui.text(how)}")
        facts.append(f"**When:** {ui.text(res.schedule or 'ask the organisers')}")
        facts.append(f"**Where:** {ui.text(where_text(res))}")
        contacts = contact_lines(res)
        facts.append("**Contact:** " + (" · ".join(ui.text(v) for _, v in contacts) if contacts else "not listed"))
        st.markdown("  \n".join(facts))


def left_out(recs, expanded: bool) -> None:
    total = sum(recs.excluded.values())
    with st.expander(f"Left out and why: {total} listing(s)", expanded=expanded):
        rows = [{"Reason": ui.EXCLUSION_WORDS.get(k, k), "Listings": v} for k, v in recs.excluded.items() if v]
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")
        else:
            st.write("Nothing was left out.")
        if recs.near_misses:
            st.markdown("**Nearly fit** (each breaks just one of the person's limits; decide together "
                        "whether it can bend):")
            for m in recs.near_misses:
                st.markdown(f"- **{ui.text(m.name)}**: {ui.RULE_SHORT.get(m.broken, m.broken)}, {ui.text(m.detail)}")


with right:
    recs = ss.get("fs_recs")
    if recs is None:
        st.info("Results appear here: fill in what you know with the person and press **Find support**. "
                "Only the needs they score are used; everything else is optional.")
    elif not recs.results:
        st.warning("Nothing in the directory fits every one of these needs and limits. "
                   "Here is what was left out and why:")
        left_out(recs, expanded=True)
    else:
        st.subheader(f"{len(recs.results)} options, best first")
        venue_map(recs)
        left_out(recs, expanded=False)
        for r in recs.results:
            card(r)

# ---- shortlist and plan --------------------------------------------------------------------------------
st.divider()
st.header("Shortlist and plan")
shortlist = list(ss["fs_shortlist"].values())
if not shortlist:
    st.write("Add options to the shortlist from the results to build a plan the person can take home.")
else:
    for r in shortlist:
        a, b = st.columns([6, 1])
        a.markdown(f"- **{ui.text(r.name)}** · {ui.text(r.resource.schedule or 'ask the organisers')}")
        b.button("Remove", key=f"fs_drop_{r.id}", on_click=toggle, args=(r,))
    a, b = st.columns(2)
    a.text_input("Their first name (optional, printed on the plan)", key="fs_first_name")
    b.text_input("How to reach you (link worker name, phone)", key="fs_contact")
    st.text_area("The next step you agreed", key="fs_next_step",
                 placeholder="e.g. Phone the lunch club on Monday; I will call you on Friday to see how it went.")
    plan_html = render_plan_html(shortlist, ss.get("fs_first_name"), ss.get("fs_next_step") or "",
                                 ss.get("fs_contact") or "")
    c1, c2, _ = st.columns([1, 2, 2])
    c1.toggle("Show the plan", key="fs_show_plan")
    c2.download_button("Download the plan to print (HTML)", plan_html, file_name="plan.html",
                       mime="text/html", icon=":material/print:")
    if ss.get("fs_show_plan"):
        st.caption("This is the page the person keeps. Download it, open it and print it (Ctrl+P).")
        # A data: URL gives the frame an opaque origin: even a listing that slipped past escaping could not
        # reach the app. The plan itself has no scripts and every piece of text is escaped.
        src = "data:text/html;charset=utf-8;base64," + base64.b64encode(plan_html.encode("utf-8")).decode("ascii")
        st.iframe(src, height=720)

ui.shortlist_referral_panel(user, list(ss["fs_shortlist"].values()))  # record the person, refer them on
