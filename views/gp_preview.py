"""GP preview: a one-minute look at what exists locally for a few needs, and a note to paste into
a referral to the link worker. Nothing typed here is saved or logged."""

from __future__ import annotations

import streamlit as st

import ui
from directory.records import InputError
from directory.vocabulary import COST_WORDS, GENDER_WORDS, RULE_SHORT
from matcher.plan import referral_text

user = ui.require("preview")
ss = st.session_state

st.title("GP preview")
st.caption("What exists locally, in a minute, before you refer to the link worker. Nothing here is saved.")

GENDERS = [None, "female", "male", "other"]

with st.form("gp"):
    st.text_area("Needs or conditions, in a few words", key="gp_text", height=80,
                 placeholder="e.g. lonely since bereavement, COPD, wants to get out more")
    a, b, c = st.columns([2, 2, 1.4])
    a.text_input("Postcode or place", key="gp_place", placeholder="e.g. G51 3AB")
    b.multiselect("Languages", ui.LANGUAGE_OPTIONS, default=["English"], key="gp_languages")
    c.selectbox("Gender", GENDERS, key="gp_gender", format_func=GENDER_WORDS.get,
                help="Women-only and men-only groups are offered only when you say.")
    go = st.form_submit_button("Show local options", type="primary", icon=":material/search:")

if go:
    ss.pop("gp_error", None)
    ss.pop("gp_recs", None)
    if not (ss.get("gp_text") or "").strip():
        ss["gp_error"] = "Write a few words about the person's needs or conditions first (e.g. 'lonely, COPD')."
    else:
        try:
            ss["gp_recs"] = ui.recommender().preview(
                ss["gp_text"], ss.get("gp_place") or None, ui.language_codes(ss.get("gp_languages") or []) or None,
                top_k=5, gender=ss.get("gp_gender"))
        except InputError as err:
            ss["gp_error"] = "; ".join(f"{i.column or 'input'}: {i.message}" for i in err.issues)

if ss.get("gp_error"):
    st.warning(ui.text(ss["gp_error"]))

recs = ss.get("gp_recs")
if recs is not None:
    if not recs.results:
        st.warning("Nothing local matched. The link worker can look wider with the person.")
    for r in recs.results:
        res = r.resource
        org = f" ({ui.text(res.organisation)})" if res.organisation else ""
        line = "; ".join(r.reasons[:3])
        with st.container(border=True):
            st.markdown(f"**{r.rank}. {ui.text(r.name)}**{org}: {ui.text(line)}")
            facts = [x for x in (res.schedule, COST_WORDS[res.cost]) if x]
            contacts = [x for x in (res.phone, res.email, res.website) if x]
            st.caption(ui.text(" · ".join(facts)) + ("  \n" + ui.text(" · ".join(contacts)) if contacts else ""))
    if recs.unmet_needs:
        st.info("Nothing local meets: " + ui.text(", ".join(ui.domain_label(d).lower() for d in recs.unmet_needs))
                + ". Say so in the referral: the link worker can look wider.")
    if recs.near_misses:
        st.markdown("Nearly fitted, but one rule leaves them out:")
        for m in recs.near_misses[:3]:
            st.markdown(f"- {ui.text(m.name)}: {ui.text(RULE_SHORT.get(m.broken, m.broken))} "
                        f"({ui.text(m.detail)})")
    st.subheader("For the referral")
    st.caption("Copy this into your referral to the link worker (copy button at the top right of the box).")
    st.code(referral_text(recs.results, ss.get("gp_text") or "", ss.get("gp_place") or "",
                          ui.language_codes(ss.get("gp_languages") or []), needs=recs.needs,
                          unmet=recs.unmet_needs, near_misses=recs.near_misses, gender=ss.get("gp_gender")),
            language=None, wrap_lines=True)

ui.gp_refer_panel(user, ss.get("gp_recs"), ss.get("gp_text") or "", ss.get("gp_place") or "",
                  ss.get("gp_languages") or [])  # send what the GP saw to the link worker service
