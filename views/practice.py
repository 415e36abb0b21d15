"""Our referrals (GP): the referrals this GP's practice made and how far each has got, with the
link worker service's letters. Never notes, never another practice's referrals."""

from __future__ import annotations

import streamlit as st

import referrals
import ui
from directory.records import InputError
from referrals.records import CLOSED_STATUSES

user = ui.require("practice")
store = ui.store()

st.title("Our referrals")
st.caption("Referrals your practice made to the link worker service and their status. Link workers' notes "
           "stay with the link worker service.")

made = referrals.practice_referrals(store, user)
if not made:
    st.write("Your practice has made no referrals yet (or your account is not linked to a practice: ask an "
             "administrator).")
for ref in made:
    with st.container(border=True):
        number = f" · NHS number {ui.text(ref.nhs_number)}" if ref.nhs_number else ""
        st.markdown(f"**{ui.text(ref.name)}**{number} · referred {ui.text(ref.authored_on[:10])}")
        reason = f" ({ref.status_reason})" if ref.status_reason else ""
        st.markdown(f"**Status:** {ui.text(ref.status + reason)}")
        for listing, status in ref.onward:
            st.markdown(f"- {ui.text(listing)}: {ui.text(status)}")
        kind = "closed" if ref.status in CLOSED_STATUSES else (
            None if ref.status in ("draft", "requested") else "accepted")
        if kind:
            try:
                pdf = referrals.gp_letter(store, user, ref.referral_id, kind)
            except InputError:
                continue
            st.download_button(f"Letter: referral {kind} (PDF)", pdf, file_name=f"referral-{ref.referral_id}-{kind}.pdf",
                               mime="application/pdf", key=f"pr_letter_{ref.referral_id}", icon=":material/download:",
                               on_click="ignore")
