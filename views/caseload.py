"""Referrals (link worker): the inbox of new referrals (accept, or reject with a reason), the
worklist (due today, overdue, not contacted in two weeks, waiting on a provider), handing a
caseload over, and what happened at each listing. Every action is a `referrals` function."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import referrals
import ui
from ui.referral_widgets import PERSON_KEY, act, show_flash

user = ui.require("referrals")
store = ui.store()
ss = st.session_state

st.title("Referrals")
show_flash()


def open_person(person_id: int) -> None:
    ss[PERSON_KEY] = person_id
    st.switch_page("views/person.py")


# ---- the inbox ---------------------------------------------------------------------------------------------
st.header("Inbox: new referrals")
items = referrals.inbox(store, user)
if not items:
    st.write("No new referrals.")
for item in items:
    with st.container(border=True):
        st.markdown(f"**{ui.text(item.name)}** · received {ui.text(item.received_at[:10])} · "
                    f"from {ui.text(item.requester)}")
        ui.gp_request(item.reasons, item.note)
        a, b = st.columns([1, 3])
        if a.button("Accept", key=f"cl_accept_{item.referral_id}", type="primary"):
            if act(lambda item=item: referrals.accept_referral(store, user, item.referral_id,
                                                               next_contact_on=dt.date.today()),
                   "Accepted: they are on your caseload, with a first call due today."):
                open_person(item.person_id)
        with b.form(f"cl_reject_{item.referral_id}"):
            st.text_input("Reason for rejecting", key=f"cl_reason_{item.referral_id}")
            st.checkbox("The person declined social prescribing", key=f"cl_declined_{item.referral_id}")
            if st.form_submit_button("Reject"):
                act(lambda item=item: referrals.reject_referral(
                    store, user, item.referral_id, ss.get(f"cl_reason_{item.referral_id}") or "",
                    declined=bool(ss.get(f"cl_declined_{item.referral_id}"))), "Rejected, with the reason.",
                    rerun=True)

# ---- the worklist ------------------------------------------------------------------------------------------
st.header("Worklist")
scope = st.radio("Whose", ["mine", "team"], horizontal=True, key="cl_scope",
                 format_func={"mine": "My caseload", "team": "My team's caseload"}.get)
work = referrals.worklist(store, user, scope=scope)
SECTIONS = (("Due a call today", work.due_today), ("Overdue", work.overdue),
            ("Not contacted in 2 weeks", work.not_contacted), ("Waiting on a provider", work.waiting_on_provider))
for n, (title, cases) in enumerate(SECTIONS):
    st.subheader(f"{title} ({len(cases)})")
    if not cases:
        st.caption("Nobody.")
    for case in cases:
        a, b = st.columns([5, 1])
        due = f"call due {case.next_contact_on}" if case.next_contact_on else "no call booked"
        last = f"last contact {case.last_contact_on}" if case.last_contact_on else "not contacted yet"
        waiting = f" · {case.waiting_on_provider} waiting on a provider" if case.waiting_on_provider else ""
        a.markdown(f"**{ui.text(case.name)}** · {due} · {last}{waiting} · {ui.text(case.link_worker or '')}")
        if b.button("Open", key=f"cl_open_{n}_{case.person_id}"):
            open_person(case.person_id)

# ---- handover ----------------------------------------------------------------------------------------------
st.header("Hand a caseload over")
with st.form("cl_handover"):
    a, b = st.columns(2)
    a.text_input("From (username)", value=user.username, key="cl_from")
    b.text_input("To (username of a link worker in your team)", key="cl_to")
    if st.form_submit_button("Hand over every record"):
        moved = []
        act(lambda: moved.append(referrals.handover(store, user, (ss.get("cl_from") or "").strip(),
                                                    (ss.get("cl_to") or "").strip())), "Handed over.")
        if moved:
            st.write(f"{moved[0]} record(s) moved.")

# ---- listing outcomes --------------------------------------------------------------------------------------
st.header("What happened at each listing")
ui.referral_widgets.listing_outcomes_table(user)
