"""Person (link worker): one person's record: needs, conditions, the GP's words, notes, referrals on
to listings with their statuses and history, contacts and the next call, ONS4 and the needs
re-rated with a chart of the change, and the letters back to the GP. Reading it is audited."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import referrals
import ui
from directory.accounts import PermissionDenied
from directory.records import DOMAINS
from referrals.records import (
    CLOSED_STATUSES,
    CONTACT_METHODS,
    NEXT_STATUSES,
    ONS4_QUESTIONS,
    OUTCOME_STAGES,
    TASK_STATUSES,
)
from ui.referral_widgets import PERSON_KEY, act, show_flash

user = ui.require("person")
store = ui.store()
ss = st.session_state

st.title("Person")
show_flash()

people = {c.person_id: c.name for c in referrals.caseload(store, user, scope="team")}
if ss.get(PERSON_KEY) is not None and ss[PERSON_KEY] not in people:
    people[ss[PERSON_KEY]] = ss.get("pp_names", {}).get(ss[PERSON_KEY], "(the record you opened)")  # closed
ids = [None, *people]
ss["pp_person"] = ss.get(PERSON_KEY) if ss.get(PERSON_KEY) in people else None
st.selectbox("Whose record", ids, key="pp_person", format_func=lambda p: "choose a person" if p is None
             else people[p], on_change=lambda: ss.__setitem__(PERSON_KEY, ss.get("pp_person")))
pid = ss.get("pp_person")
if pid is None:
    st.info("Choose a person from your or your team's caseload, or open one from **Referrals**.")
    st.stop()
try:
    person = referrals.view_person(store, user, pid)
except (PermissionDenied, KeyError) as err:
    ui.denied(err)
    st.stop()
ss.setdefault("pp_names", {})[pid] = person.name  # this session only: the picker names a closed record

# ---- who -----------------------------------------------------------------------------------------------------
st.header(ui.text(person.name))
facts = [f"NHS number {person.nhs_number}" if person.nhs_number else "no NHS number",
         f"born {person.birth_date}" if person.birth_date else "", f"link worker {person.link_worker or 'none yet'}",
         f"team {person.team}" if person.team else "", f"record {person.status}"]
st.markdown(" · ".join(ui.text(f) for f in facts if f))
if person.consent:
    st.caption(ui.text(f"Saved with their consent, asked by {person.consent.by} on {person.consent.at[:10]}: "
                       f"{person.consent.purpose}"))
needs = {d: v for d, v in (person.needs or {}).items() if d in DOMAINS and isinstance(v, int)}
if needs:
    st.markdown("**Needs** (1 = greatest): " + ui.text(", ".join(
        f"{ui.domain_label(d)} {v}" for d, v in sorted(needs.items(), key=lambda kv: kv[1]))))

# ---- the referrals they came with ------------------------------------------------------------------------
st.subheader("Referral to the service")
for ref in person.referrals:
    with st.container(border=True):
        reason = f" ({ref.status_reason})" if ref.status_reason else ""
        st.markdown(f"**From {ui.text(ref.requester)}** on {ui.text(ref.authored_on[:10])} · status "
                    f"**{ui.text(ref.status + reason)}**")
        ui.gp_request(ref.reasons, ref.note, "Conditions and reasons")
        shown = (ref.preview or {}).get("options") or []
        if shown:
            st.markdown("**Options the GP saw:** " + ui.text(", ".join(o.get("name", "") for o in shown)))
        nxt = [t for t in TASK_STATUSES if t in NEXT_STATUSES.get(ref.status, ())]
        if nxt:
            with st.form(f"pp_status_{ref.id}"):
                a, b = st.columns(2)
                a.selectbox("New status", nxt, index=None, placeholder="choose", key=f"pp_to_{ref.id}")
                b.text_input("Reason (needed for rejected, cancelled, on-hold, failed)", key=f"pp_why_{ref.id}")
                if st.form_submit_button("Change status"):
                    act(lambda ref=ref: referrals.set_status(store, user, ref.id, ss.get(f"pp_to_{ref.id}") or "",
                                                                ss.get(f"pp_why_{ref.id}") or None),
                           "Status changed.", rerun=True)
        kinds = [k for k, shown in (("accepted", ref.status not in ("draft", "requested", "rejected",
                                                                    "entered-in-error")),
                                     ("closed", ref.status in CLOSED_STATUSES)) if shown]
        for kind in kinds:
            st.download_button(f"Letter to the GP: referral {kind} (PDF)",
                               referrals.gp_letter(store, user, ref.id, kind), key=f"pp_letter_{ref.id}_{kind}",
                               file_name=f"referral-{ref.id}-{kind}.pdf", mime="application/pdf",
                               icon=":material/download:", on_click="ignore")

# ---- referrals on to listings --------------------------------------------------------------------------------
st.subheader("Referred to")
if not person.onward:
    st.caption("Not referred to any listing yet: shortlist options in **Find support** and refer from there.")
for o in person.onward:
    with st.container(border=True):
        reason = f" ({o.status_reason})" if o.status_reason else ""
        need = f" for {ui.text(ui.domain_label(o.need).lower())}" if o.need else ""
        first = f" · first contact {o.first_contact_on}" if o.first_contact_on else ""
        st.markdown(f"**{ui.text(o.listing_name)}**{need} · **{ui.text(o.status + reason)}**"
                    f"{' · attended' if o.attended else ''}{first}")
        nxt = [o.status, *sorted(NEXT_STATUSES.get(o.status, ()))]
        if len(nxt) > 1:
            with st.form(f"pp_onward_{o.id}"):
                a, b, c = st.columns(3)
                a.selectbox("Status", nxt, key=f"pp_ost_{o.id}")
                b.text_input("Reason (when needed)", key=f"pp_owhy_{o.id}")
                c.date_input("First contact (optional)", value=None, key=f"pp_ofirst_{o.id}")
                st.checkbox("Attended", value=o.attended, key=f"pp_oatt_{o.id}")
                if st.form_submit_button("Save"):
                    act(lambda o=o: referrals.update_onward(
                            store, user, o.id, status_to=ss[f"pp_ost_{o.id}"], reason=ss.get(f"pp_owhy_{o.id}") or None,
                            attended=bool(ss.get(f"pp_oatt_{o.id}")), first_contact_on=ss.get(f"pp_ofirst_{o.id}")),
                           "Saved.", rerun=True)

# ---- contacts and the next call ------------------------------------------------------------------------------
st.subheader("Contacts")
st.markdown(f"Last contact: **{person.last_contact_on or 'none yet'}** · next call due: "
            f"**{person.next_contact_on or 'none booked'}**")
for c in person.contacts:
    st.markdown(f"- {c.day} · {ui.text(c.method.replace('_', ' '))} · {ui.text(c.by)}")
with st.form("pp_contact"):
    a, b, c = st.columns(3)
    a.date_input("Contact on", value=dt.date.today(), key="pp_cday")
    b.selectbox("How", CONTACT_METHODS, key="pp_cmethod", format_func=lambda m: m.replace("_", " "))
    c.date_input("Next call due (optional)", value=None, key="pp_cnext")
    if st.form_submit_button("Record the contact"):
        act(lambda: referrals.record_contact(store, user, pid, ss["pp_cday"], ss["pp_cmethod"],
                                                ss.get("pp_cnext")), "Contact recorded.", rerun=True)

# ---- outcomes ------------------------------------------------------------------------------------------------
st.subheader("Well-being and needs (ONS4, needs re-rated)")
ui.referral_widgets.outcome_chart(person.outcomes)
with st.form("pp_outcome"):
    a, b = st.columns(2)
    a.selectbox("When", OUTCOME_STAGES, key="pp_stage")
    b.date_input("Day", value=dt.date.today(), key="pp_oday")
    cols = st.columns(4)
    for n, (key, question) in enumerate(ONS4_QUESTIONS.items()):
        cols[n].number_input(question, min_value=0, max_value=10, value=None, step=1, key=f"pp_ons4_{key}")
    st.caption("Needs re-rated with them (1 = greatest need, 10 = none); leave blank what was not asked.")
    cols = st.columns(4)
    for n, d in enumerate(DOMAINS):
        cols[n % 4].number_input(ui.domain_label(d), min_value=1, max_value=10, value=None, step=1,
                                 key=f"pp_need_{d}")
    if st.form_submit_button("Record"):
        ons4 = {k: int(ss[f"pp_ons4_{k}"]) for k in ONS4_QUESTIONS if ss.get(f"pp_ons4_{k}") is not None}
        rerated = {d: int(ss[f"pp_need_{d}"]) for d in DOMAINS if ss.get(f"pp_need_{d}") is not None}
        act(lambda: referrals.record_outcome(store, user, pid, ss["pp_stage"], ss["pp_oday"], ons4=ons4,
                                                needs=rerated), "Recorded.", rerun=True)

# ---- notes and history ---------------------------------------------------------------------------------------
st.subheader("Notes")
st.caption("Only link workers on the case see notes: never GPs or curators, never in a letter.")
for note in person.notes:
    st.markdown(f"**{ui.text(note.author)}**, {ui.text(note.at[:16].replace('T', ' '))}")
    st.text(note.text)
with st.form("pp_note", clear_on_submit=True):
    st.text_area("New note", key="pp_note_text", height=80)
    if st.form_submit_button("Add the note"):
        act(lambda: referrals.add_note(store, user, pid, ss.get("pp_note_text") or ""), "Note added.", rerun=True)

with st.expander(f"History: {len(person.history)} change(s)"):
    st.dataframe([{"When": h.at[:16].replace("T", " "), "Who": h.actor, "What": f"{h.kind} {h.target_id} {h.field}",
                   "From": h.old, "To": h.new, "Why": h.reason} for h in person.history],
                 hide_index=True, width="stretch")
