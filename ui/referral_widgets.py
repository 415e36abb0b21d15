"""Referral panels that sit at the foot of pages other modules own: Find support's shortlist
("Save for this person (with their consent)", "Refer to ...") and the GP preview ("Refer to the
link worker service"). Layout only: every action is a `referrals` function that checks the role
and scope again. The person a link worker is working with is `st.session_state["ref_person"]`,
shared with the Referrals and Person pages."""

from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

import referrals
from directory.accounts import PermissionDenied, User
from directory.records import DOMAINS, InputError
from referrals import access
from referrals.letters import ONS4_SHORT

from .display import domain_label, language_codes, text
from .session import denied, store

PERSON_KEY = "ref_person"
DEFAULT_PURPOSE = "Social prescribing: finding local support with them and following up"


def show_issues(err: InputError) -> None:
    for issue in err.issues:
        st.error(f"**{text(issue.column or 'input')}**: {text(issue.message)}")


def act(call, done: str, rerun: bool = False) -> bool:
    """Run a referrals action; say `done` (after the page is run again, with `rerun`), or why not
    (a rule broken, or not allowed)."""
    try:
        call()
    except InputError as err:
        show_issues(err)
        return False
    except (PermissionDenied, KeyError) as err:
        denied(err)
        return False
    if rerun:
        st.session_state["rw_flash"] = done
        st.rerun()
    st.success(done)
    return True


def show_flash() -> None:
    """The message of the last action, when the page was run again to show its effect."""
    done = st.session_state.pop("rw_flash", None)
    if done:
        st.success(done)


def needs_from_preview(needs: list[str]) -> dict[str, int]:
    """The preview's needs, greatest first, as ratings: the first 2, the others 4 (as the preview read them)."""
    return {d: 2 if n == 0 else 4 for n, d in enumerate(needs) if d in DOMAINS}


def need_for(result, person_needs: dict) -> str | None:
    """The need a referral to this listing is for: the person's greatest need it meets, else its first domain."""
    for d in list(getattr(result, "needs_met", []) or []) + [d for d in person_needs if d in result.domains]:
        if d in DOMAINS:
            return d
    return next((d for d in result.domains if d in DOMAINS), None)


def form_needs() -> dict[str, int]:
    """The needs scored on Find support's form (if it is still shaped that way; else none)."""
    values = {d: st.session_state.get(f"fs_need_{d}") for d in DOMAINS}
    return {d: v for d, v in values.items() if isinstance(v, int) and 1 <= v <= 10}


# ---- Find support -----------------------------------------------------------------------------------------
def _consent_form(user: User) -> None:
    with st.form("rw_consent"):
        st.markdown("**Save a record for this person, with their consent**")
        st.caption("Ask them first: Signpost keeps their record only if they agree, and records who asked, "
                   "when and what for. Their needs scored above are saved with it.")
        a, b = st.columns(2)
        a.text_input("Their name", key="rw_name")
        b.date_input("Date of birth (optional)", value=None, min_value=dt.date(1900, 1, 1), key="rw_birth")
        a.text_input("NHS number (optional)", key="rw_nhs")
        b.text_input("Postcode (optional)", key="rw_postcode")
        a.text_input("Phone (optional)", key="rw_phone")
        st.text_input("What they agreed their record is kept for", value=DEFAULT_PURPOSE, key="rw_purpose")
        agreed = st.checkbox("They agreed to Signpost keeping their record for this", key="rw_agreed")
        saved = st.form_submit_button("Save their record", type="primary")
    if not saved:
        return
    if not agreed:
        st.error("Tick that they agreed: without their consent nothing is saved.")
        return
    ss = st.session_state
    try:
        demographics = referrals.demographics_from_form(ss.get("rw_name") or "", ss.get("rw_birth"),
                                                       postcode=ss.get("rw_postcode"), phone=ss.get("rw_phone"),
                                                       languages=language_codes(ss.get("fs_languages") or []))
        pid = referrals.record_person(store(), user, demographics=demographics, purpose=ss.get("rw_purpose") or "",
                                      nhs_number=(ss.get("rw_nhs") or "").replace(" ", "") or None,
                                      needs=form_needs())
    except InputError as err:
        show_issues(err)
        return
    ss[PERSON_KEY] = pid
    ss["rw_consent_open"] = False
    st.success("Their record is saved, and they are on your caseload. Refer them to the options below.")


def _person_picker(user: User) -> int | None:
    ss = st.session_state
    people = {c.person_id: c.name for c in referrals.caseload(store(), user, scope="team")}
    ids = [None, *people]
    chosen = ss.get(PERSON_KEY)
    ss["rw_person"] = chosen if chosen in people else None
    st.selectbox("Working with", ids, key="rw_person", format_func=lambda p: "nobody chosen" if p is None
                 else people[p], on_change=lambda: ss.__setitem__(PERSON_KEY, ss.get("rw_person")))
    return ss.get("rw_person")


def shortlist_referral_panel(user: User, shortlist: list) -> None:
    """Under Find support's shortlist: record the person (with consent) and refer them to each option."""
    if not access.allowed(user, "record_person"):
        return
    ss = st.session_state
    st.subheader("Refer them")
    pid = _person_picker(user)
    st.button("Save for this person (with their consent)", key="rw_save_person", icon=":material/person_add:",
              on_click=lambda: ss.__setitem__("rw_consent_open", True))
    if ss.get("rw_consent_open"):
        _consent_form(user)
        pid = ss.get(PERSON_KEY)
    if pid is None:
        st.caption("Choose the person from your caseload, or save a record for them, to refer them on.")
        return
    if not shortlist:
        st.caption("Add options to the shortlist to refer them.")
    needs = form_needs()
    for r in shortlist:
        need = need_for(r, needs)
        label = f"Refer to {r.name}" + (f" (for {domain_label(need).lower()})" if need else "")
        if st.button(label, key=f"rw_refer_{r.id}", icon=":material/send:"):
            act(lambda r=r, need=need: referrals.refer_to_listing(store(), user, pid, r.id, need),
                f"Referred to {text(r.name)}: follow it up on the Person page.")


# ---- GP preview ---------------------------------------------------------------------------------------------
def gp_refer_panel(user: User, recs, words: str, place: str, languages: list[str]) -> None:
    """Under the GP preview's options: send what the GP saw to the link worker service."""
    if recs is None or not access.allowed(user, "refer_from_preview"):
        return
    needs = needs_from_preview(list(recs.needs))
    st.subheader("Refer to the link worker service")
    st.caption("Sends what you saw here (the needs read from your words, the options shown and your words) "
               "to the link worker service's inbox, instead of a letter.")
    with st.form("gp_refer"):
        a, b = st.columns(2)
        a.text_input("NHS number", key="gpr_nhs")
        b.text_input("Their name", key="gpr_name")
        a.date_input("Date of birth", value=None, min_value=dt.date(1900, 1, 1), key="gpr_birth")
        b.text_input("Postcode (optional)", key="gpr_postcode")
        st.text_input("Conditions (separate with commas)", key="gpr_conditions")
        st.text_area("Anything else for the link worker (optional)", key="gpr_extra", height=70)
        if needs:
            st.caption("Needs sent: " + text(", ".join(domain_label(d) for d in needs)))
        sent = st.form_submit_button("Refer to the link worker service", type="primary", icon=":material/send:")
    if not sent:
        return
    ss = st.session_state
    seen = f"Preview for: {place.strip() or 'no place given'}; languages: {', '.join(languages) or 'any'}"
    said = "\n".join(x for x in (words.strip(), (ss.get("gpr_extra") or "").strip(), seen) if x)
    options = [{"listing_id": r.id, "name": r.name} for r in recs.results]
    conditions = [c.strip() for c in (ss.get("gpr_conditions") or "").split(",") if c.strip()]
    birth = ss.get("gpr_birth")
    act(lambda: referrals.refer_from_preview(
        store(), user, nhs_number=(ss.get("gpr_nhs") or "").replace(" ", ""), name=ss.get("gpr_name") or "",
        birth_date=birth.isoformat() if birth else "", needs=needs, conditions=conditions, options=options,
        words=said, postcode=ss.get("gpr_postcode") or None),
        "Referred: it is in the link worker service's inbox. You can follow it on **Our referrals**.")


# ---- per-listing figures ------------------------------------------------------------------------------------
def listing_outcomes_table(user: User) -> None:
    """What happened to the people referred to each listing (no person in it): link workers, curators."""
    rows = []
    for o in referrals.listing_outcomes(store(), user):
        try:
            name = store().get(o.listing_id).resource.name
        except KeyError:
            name = "(no longer listed)"
        rows.append({"Listing": name, "Id": o.listing_id, "Referred": o.referred, "Taken on": o.accepted,
                     "Attended": o.attended, "Completed": o.completed,
                     "Typical days to first contact": o.median_days_to_first_contact})
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.write("Nobody has been referred to a listing yet.")


# ---- the person's change ------------------------------------------------------------------------------------
def outcome_rows(outcomes) -> tuple[list[dict], list[dict]]:
    """ONS4 answers and needs re-rated as (when, measure, score) rows, in the order recorded."""
    ons4, needs = [], []
    for n, o in enumerate(outcomes):
        when = f"{n + 1}. {o.stage}, {o.day:%d %b}" if len(outcomes) < 4 else f"{n + 1}. {o.stage}"
        ons4 += [{"when": when, "measure": ONS4_SHORT[k], "score": v} for k, v in o.ons4.items()]
        needs += [{"when": when, "measure": domain_label(k), "score": v} for k, v in o.needs.items()]
    return ons4, needs


def outcome_chart(outcomes) -> None:
    """Two small line charts of the change: ONS4 (0-10, higher better except anxiety) and needs (1 = greatest)."""
    ons4, needs = outcome_rows(outcomes)
    if not ons4 and not needs:
        st.caption("Nothing recorded yet: record ONS4 and the needs re-rated at the start, then at discharge.")
        return
    charts = [(rows, title, low) for rows, title, low in ((ons4, "ONS4 well-being (0-10; anxiety: lower is better)", 0),
                                                          (needs, "Needs re-rated (1 = greatest need)", 1)) if rows]
    for column, (rows, title, low) in zip(st.columns(len(charts)), charts, strict=True):
        chart = alt.Chart(alt.Data(values=rows), title=title).mark_line(point=True).encode(
            x=alt.X("when:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=220)),
            y=alt.Y("score:Q", title=None, scale=alt.Scale(domain=[low, 10])),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
            tooltip=["when:O", "measure:N", "score:Q"])
        column.altair_chart(chart, width="stretch", height=320)


def gp_request(reasons: list[str], note: str, label: str = "Why") -> None:
    """What the GP asked for: the reasons in one line, then the GP's own words as plain text."""
    if reasons:
        st.markdown(f"**{label}:** " + text("; ".join(reasons)))
    if note:
        st.markdown("**The GP's words:**")
        st.text(note)
