"""GP preview: a one-minute look at what exists locally for a few needs, and a note to paste into
a referral to the link worker. Nothing typed here is saved or logged."""

from __future__ import annotations

import streamlit as st

import ui
from directory.records import InputError
from matcher.plan import referral_text

user = ui.require("preview")
ss = st.session_state

st.title("GP preview")
st.caption("What exists locally, in a minute, before you refer to the link worker. Nothing here is saved.")

with st.form("gp"):
    st.text_area("Needs or conditions, in a few words", key="gp_text", height=80,
                 placeholder="e.g. lonely since bereavement, COPD, wants to get out more")
    a, b = st.columns(2)
    a.text_input("Postcode or place", key="gp_place", placeholder="e.g. G51 3AB")
    b.multiselect("Languages", ui.LANGUAGE_OPTIONS, default=["English"], key="gp_languages")
    go = st.form_submit_button("Show local options", type="primary", icon=":material/search:")

if go:
    ss.pop("gp_error", None)
    try:
        ss["gp_recs"] = ui.recommender().preview(ss.get("gp_text") or "", ss.get("gp_place") or None,
                                                 ui.language_codes(ss.get("gp_languages") or []) or None, top_k=5)
    except InputError as err:
        ss.pop("gp_recs", None)
        ss["gp_error"] = "; ".join(f"{i.column or 'input'}: {i.message}" for i in err.issues)

if ss.get("gp_error"):
    st.error(ui.text(ss["gp_error"]))

recs = ss.get("gp_recs")
if recs is not None:
    if not recs.results:
        st.warning("Nothing local matched. The link worker can look wider with the person.")
    for r in recs.results:
        line = "; ".join(x for x in r.reasons[:3])
        org = f" ({ui.text(r.resource.organisation)})" if r.resource.organisation else ""
        st.markdown(f"**{r.rank}. {ui.text(r.name)}**{org}: {ui.text(line)}")
    st.subheader("For the referral")
    st.caption("Copy this into your referral to the link worker (copy button at the top right of the box).")
    st.code(referral_text(recs.results, ss.get("gp_text") or "", ss.get("gp_place") or "",
                          ui.language_codes(ss.get("gp_languages") or [])), language=None, wrap_lines=True)

ui.gp_refer_panel(user, ss.get("gp_recs"), ss.get("gp_text") or "", ss.get("gp_place") or "",
                  ss.get("gp_languages") or [])  # send what the GP saw to the link worker service
