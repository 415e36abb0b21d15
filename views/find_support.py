"""Find support (link worker): a needs profile filled with the person, honest words about what nothing
local meets, an offline map, what was left out and why, a compact list with details on demand, a
shortlist and a plan to print (PDF, in the person's language, large print on request).

The profile lives only in st.session_state: it is never saved, logged or sent anywhere. 'New person'
clears it, and it is forgotten after SIGNPOST_IDLE_MINUTES without use (ui.person).
"""

from __future__ import annotations

import base64

import streamlit as st

import ui
from directory import support_types
from directory.records import DOMAINS, InputError
from directory.support_types import SUPPORT_TYPE_KEYS
from directory.vocabulary import COST_WORDS, REACH_WORDS
from matcher.constraints import REACH_PARTS
from matcher.contacts import mailto_href, tel_href
from matcher.filters import DAY_WORDS, DAYS
from matcher.plan import contact_lines, render_plan_html, where_text
from matcher.plan_pdf import render_plan_pdf
from matcher.plan_words import PlanWords, plan_language_label, plan_languages
from matcher.profile import profile_from_form
from matcher.summary import (
    Narrowing,
    narrowing_words,
    results_heading,
    summary_lines,
    true_unmet,
    unmet_lines,
)
from ui import person
from ui import profile_form as pf
from ui.map import build_map

TOP_K = 10
user = ui.require("match")
ss = st.session_state
person.forget_if_idle(ss)
person.init_form(ss, DOMAINS)
ss.setdefault("fs_shortlist", {})

head, new = st.columns([5, 1], vertical_alignment="bottom")
head.title("Find support")
new.button("New person", icon=":material/person_add:", on_click=person.new_person, width="stretch",
           help="Clear the form, the results, the shortlist and the plan for the next person.")
st.caption("Fill this in with the person. Nothing you enter is saved or logged; it is cleared by **New person**, "
           f"after {person.idle_minutes():g} minutes without use, or when the tab closes.")
if ss.get(person.NOTICE):
    st.info(ss.pop(person.NOTICE), icon=":material/restart_alt:")

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
        cols[i % 2].selectbox(ui.domain_label(d), pf.NEED_CHOICES, key=f"fs_need_{d}", format_func=pf.need_label,
                              placeholder=pf.need_label(None))
    st.subheader("About them")
    st.multiselect("Languages they can take part in", ui.LANGUAGE_OPTIONS, key="fs_languages")
    a, b = st.columns(2)
    a.number_input("Age (years)", min_value=0, max_value=130, value=None, step=1, key="fs_age",
                   placeholder="not given")
    b.selectbox("Gender", pf.GENDER_CHOICES, key="fs_gender", format_func=lambda g: pf.GENDER_WORDS[g],
                placeholder=pf.GENDER_WORDS[None],
                help="When not given, women-only and men-only groups are left out.")
    st.subheader("Getting there")
    st.text_input("Where they live: postcode or place", key="fs_place", placeholder="e.g. G51 3AB or Govan",
                  help="Postcode districts and neighbourhoods of the area are known offline.")
    with st.expander("Or coordinates (latitude, longitude)"):
        c, d = st.columns(2)
        c.number_input("Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.5f", key="fs_lat")
        d.number_input("Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.5f", key="fs_lon")
    st.slider("How far they can travel (km, as the crow flies)", min_value=0.5, max_value=30.0, step=0.5,
              key="fs_km", format="%.1f km")
    # One a line: side by side in the form's column their values were cut ("Phone and inte").
    st.selectbox("Phone and internet", pf.DIGITAL_CHOICES, key="fs_digital", format_func=pf.DIGITAL_WORDS.get)
    st.selectbox("What they can afford", pf.COST_CHOICES, key="fs_cost", format_func=pf.COST_WORDS.get)
    st.checkbox("Needs wheelchair access", key="fs_wheelchair")
    st.subheader("Narrow the search (optional)")
    st.text_input("Keyword", key="fs_keyword", placeholder="e.g. choir, walking, cooking",
                  help="Only options whose name, organisation, tags or description hold every word.")
    st.multiselect("Days they can go", list(range(7)), key="fs_days", format_func=lambda i: DAY_WORDS[DAYS[i]],
                   placeholder="any day", help="Only options whose times name one of these days.")
    st.multiselect("Kind of support", list(SUPPORT_TYPE_KEYS), key="fs_support_types", format_func=support_types.label,
                   placeholder="any kind", help="Only options that give one of these kinds of support (the curator's "
                   "tags, else what the listing's words say).")
    st.checkbox("Free only", key="fs_free_only", help="The same as 'What they can afford: Free only'.")
    submitted = st.form_submit_button("Find support", type="primary", icon=":material/search:")


def form_values() -> dict:
    v = {f"need_{d}": ss.get(f"fs_need_{d}") for d in DOMAINS}
    v.update(goals=ss.get("fs_goals"), conditions=ss.get("fs_conditions"), languages=ss.get("fs_languages"),
             age=ss.get("fs_age"), gender=ss.get("fs_gender"), place=ss.get("fs_place"), latitude=ss.get("fs_lat"),
             longitude=ss.get("fs_lon"), max_distance_km=ss.get("fs_km"), digital_access=ss.get("fs_digital"),
             wheelchair=ss.get("fs_wheelchair"),
             max_cost="free" if ss.get("fs_free_only") else ss.get("fs_cost"))
    return v


def use_suggestion(name: str) -> None:
    ss["fs_place"] = name
    ss["fs_search_again"] = True


if submitted or ss.pop("fs_search_again", False):
    ss.pop("fs_errors", None)
    ss.pop("fs_suggest", None)
    try:
        profile = profile_from_form(form_values())
        options = dict(keyword=ss.get("fs_keyword"), days=ss.get("fs_days"),
                       support_types=list(ss.get("fs_support_types") or []))
        # "Free only" narrows only when what they can afford is more than free.
        free_only = bool(ss.get("fs_free_only")) and ss.get("fs_cost") != "free"
        ss["fs_recs"] = ui.recommender().recommend(profile, top_k=TOP_K, **options)
        ss["fs_km_used"] = ss.get("fs_km")
        words = narrowing_words(options["keyword"], options["days"] or (), options["support_types"], free_only)
        without = None
        if words and len(ss["fs_recs"].results) < TOP_K:
            # A short list under narrowing options: what the same person gets without them, so the page can
            # say whether the options or a lack of services make it short.
            broad = profile_from_form(form_values() | {"max_cost": ss.get("fs_cost")})
            without = ui.recommender().recommend(broad, top_k=TOP_K)
        ss["fs_narrowing"] = Narrowing(words, without)
    except InputError as err:
        ss.pop("fs_recs", None)
        ss.pop("fs_narrowing", None)
        ss["fs_errors"] = [(pf.field_label(i.column), i.message) for i in err.issues]
        ss["fs_suggest"] = getattr(err, "suggestion", None)

with left:
    for label, message in ss.get("fs_errors", []):
        st.error(f"**{label}**: {ui.text(message)}")
    if ss.get("fs_suggest"):
        st.button(f"Use {ss['fs_suggest']}", key="fs_use_suggestion", on_click=use_suggestion,
                  args=(ss["fs_suggest"],), icon=":material/location_on:")


# ---- results -----------------------------------------------------------------------------------------
def toggle(result) -> None:
    shortlist = ss["fs_shortlist"]
    if result.id in shortlist:
        del shortlist[result.id]
    else:
        shortlist[result.id] = result


def venue_map(recs) -> None:
    plan = build_map(recs.results, recs.location, ss.get("fs_km_used"))
    if plan.chart is not None:
        st.altair_chart(plan.chart, width="content", theme=None)  # our own colours and frame
        st.caption(plan.caption)
    if plan.off_map:
        st.markdown("**Not on the map:** " + "; ".join(f"{rank}. {ui.text(name)} ({ui.text(why)})"
                                                        for rank, name, why in plan.off_map))


def summary_line(r) -> str:
    res = r.resource
    bits = []
    if r.distance_km is not None and "in_person" in res.delivery:
        bits.append(f"{r.distance_km:.1f} km")
    else:
        bits.append(", ".join(ui.DELIVERY_WORDS[m] for m in res.delivery))
    bits.append(res.schedule or "ask when")
    bits.append(COST_WORDS.get(res.cost, COST_WORDS[None]))
    return " · ".join(ui.text(b) for b in bits)


def contact_buttons(res) -> None:
    links = [("Call " + ui.text(res.phone), tel_href(res.phone), ":material/call:"),
             ("E-mail " + ui.text(res.email), mailto_href(res.email), ":material/mail:")]
    links = [(label, href, icon) for label, href, icon in links if href]
    for col, (label, href, icon) in zip(st.columns(max(len(links), 1)), links, strict=False):
        col.link_button(label, href, icon=icon, width="stretch")


def details(r) -> None:
    res = r.resource
    if res.organisation:
        st.caption(f"Run by {ui.text(res.organisation)}")
    st.text(res.description)
    why = [x for x in r.reasons if x != res.schedule]
    st.markdown("**Why it fits**\n" + "\n".join(f"- {ui.text(x)}" for x in why))
    facts = []
    if r.domains:
        facts.append(f"**Needs it meets:** {ui.text(', '.join(ui.domain_label(d) for d in r.domains))}")
    how = ", ".join(ui.DELIVERY_WORDS[m] for m in res.delivery)
    if r.distance_km is not None and "in_person" in res.delivery:
        how += f" · {r.distance_km:.1f} km away, as the crow flies"
    facts.append(f"**How:** {ui.text(how)}")
    facts.append(f"**When:** {ui.text(res.schedule or 'ask the organisers')}")
    facts.append(f"**Where:** {ui.text(where_text(res))}")
    contacts = contact_lines(res)
    facts.append("**Contact:** " + (" · ".join(ui.text(v) for _, v in contacts) if contacts else "not listed"))
    st.markdown("  \n".join(facts))
    contact_buttons(res)


def row(r) -> None:
    on_list = r.id in ss["fs_shortlist"]
    with st.container(border=True):
        name, action = st.columns([4, 1], vertical_alignment="center")
        name.markdown(f"**{r.rank}\\. {ui.text(r.name)}**  \n{summary_line(r)}")
        action.button("✓ Shortlisted" if on_list else "Shortlist", key=f"fs_pick_{r.id}", on_click=toggle,
                      args=(r,), type="secondary" if on_list else "primary", width="stretch",
                      help="Remove from the shortlist" if on_list else "Add to the shortlist for the plan")
        with st.expander("Details, why it fits, contact"):
            details(r)


def left_out(recs, expanded: bool) -> None:
    total = sum(recs.excluded.values())
    with st.expander(f"Left out and why: {total} listing(s)", expanded=expanded):
        lines = []
        for key, count in recs.excluded.items():
            if not count:
                continue
            if key == "reach" and recs.reach_detail:
                lines.extend(f"- **{n}** · {REACH_WORDS[p]}" for p in REACH_PARTS
                             if (n := recs.reach_detail.get(p)))
            else:
                lines.append(f"- **{count}** · {ui.EXCLUSION_WORDS.get(key, key)}")
        st.markdown("\n".join(lines) if lines else "Nothing was left out.")
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
    else:
        st.subheader(results_heading(len(recs.results)))
        for line in summary_lines(recs, TOP_K, ss.get("fs_narrowing")):
            st.warning(ui.text(line), icon=":material/info:")
        if recs.results:
            venue_map(recs)
        left_out(recs, expanded=not recs.results)
        for r in recs.results:
            row(r)

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
    langs = plan_languages()
    spoken = [c for c in ui.language_codes(ss.get("fs_languages") or []) if c in langs]
    a, b = st.columns(2)
    a.selectbox("Language of the plan's headings", langs, key="fs_plan_lang", index=langs.index(spoken[0]) if spoken
                else 0, format_func=plan_language_label,
                help="Headings, 'When', 'Where' and the date; the listings' own words stay as they are held.")
    b.checkbox("Large print", key="fs_large_print")
    plan_lang = ss.get("fs_plan_lang") or "en"
    plan_words = PlanWords(plan_lang)
    if plan_words.all_draft:
        a.caption(f"The {ui.language_name(plan_lang)} headings are a draft translation, not yet checked by a "
                  "native speaker: read them through with the person.")
    elif plan_words.draft:
        drafts = plan_words.draft_words()
        a.caption(f"Some {ui.language_name(plan_lang)} words on the plan are a draft translation, not yet checked "
                  f"by a native speaker ({ui.text(', '.join(drafts[:4]))}{', …' if len(drafts) > 4 else ''}): "
                  "read them through with the person.")
    recs = ss.get("fs_recs")
    # The plan tells the person only what nothing local meets, never what the link worker's options hid.
    not_found = unmet_lines(true_unmet(recs, ss.get("fs_narrowing")), recs.near_misses) if recs is not None else []
    args = (shortlist, ss.get("fs_first_name"), ss.get("fs_next_step") or "", ss.get("fs_contact") or "")
    # Drawn again only when what it shows changed (a plan in Chinese takes a second or two to draw); kept in
    # the session with the rest of the person, so "New person" forgets it too.
    options = dict(language=plan_lang, large_print=bool(ss.get("fs_large_print")), not_found=tuple(not_found))
    drawn_for = (tuple(r.id for r in shortlist), *args[1:], tuple(sorted(options.items())))
    if ss.get("fs_pdf_drawn", (None,))[0] != drawn_for:
        ss["fs_pdf_drawn"] = (drawn_for, render_plan_pdf(*args, **options))
    pdf = ss["fs_pdf_drawn"][1]
    c1, c2, c3 = st.columns([2, 1, 2])
    c1.download_button("Download the plan (PDF, ready to print)", pdf, file_name="plan.pdf", mime="application/pdf",
                       icon=":material/print:", type="primary", key="fs_pdf", on_click="ignore")
    c2.toggle("Show the plan", key="fs_show_plan")
    plan_html = render_plan_html(*args, not_found=not_found, language=plan_lang)
    c3.download_button("Or as a web page (HTML)", plan_html, file_name="plan.html", mime="text/html",
                       icon=":material/description:", key="fs_html", on_click="ignore")
    if ss.get("fs_show_plan"):
        st.caption("A preview of the plan. The PDF above is the one to print or e-mail.")
        # A data: URL gives the frame an opaque origin: even a listing that slipped past escaping could not
        # reach the app. The plan itself has no scripts and every piece of text is escaped.
        src = "data:text/html;charset=utf-8;base64," + base64.b64encode(plan_html.encode("utf-8")).decode("ascii")
        st.iframe(src, height=720)

ui.shortlist_referral_panel(user, list(ss["fs_shortlist"].values()))  # record the person, refer them on
