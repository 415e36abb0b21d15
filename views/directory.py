"""Directory (curator): browse and search listings, add and edit them, verify, retire, see history."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from directory import curation
from directory.accounts import PermissionDenied
from directory.records import DOMAINS, InputError
from directory.store import ConflictError, NotFoundError
from ui import listing_form

user = ui.require("browse")
store = ui.store()
ss = st.session_state
today = dt.date.today()

st.title("Directory")
if ss.get("dir_flash"):
    st.success(ss.pop("dir_flash"))

items = store.list()
tab_browse, tab_add = st.tabs(["Browse and edit", "Add a listing"])


def open_listing(rid: str) -> None:
    try:
        stored = store.get(rid)
    except NotFoundError:
        st.warning("That listing no longer exists.")
        return
    if ss.get("ed_id") != rid:
        fields = curation.listing_fields(stored.resource)
        listing_form.load("ed_", fields)
        ss["ed_base"] = listing_form.as_form(fields)  # what she started from, to re-apply her changes
        ss["ed_id"] = rid
        ss["ed_version"] = stored.version
        ss["ed_errors"] = {}
        ss.pop("ed_conflict", None)
        ss.pop("ed_reapplied", None)
    r = stored.resource
    verified = r.last_verified.isoformat() if r.last_verified else "never"
    stale = r.is_active and curation.is_stale(r, today)
    st.subheader(f"{ui.text(r.name)}")
    st.caption(f"{ui.text(r.id)} · version {stored.version} · {r.status} · last verified {verified}"
               + (" · **not verified in 12 months**" if stale else ""))

    can_edit = user.can("edit")
    if can_edit:
        a, b, _ = st.columns([1, 1, 3])
        if a.button("Mark verified today", key="ed_verify", icon=":material/verified:"):
            act(curation.verify_listing, rid, stored.version, f"{ui.text(r.name)} marked verified today.")
        if r.is_active:
            if b.button("Retire (mark inactive)", key="ed_retire", icon=":material/archive:",
                        help="Retired listings stay in the directory and its history but are never recommended."):
                act(curation.retire_listing, rid, stored.version, f"{ui.text(r.name)} retired: it will not be recommended.")
        elif b.button("Reactivate", key="ed_reactivate"):
            act(curation.reactivate_listing, rid, stored.version, f"{ui.text(r.name)} is active again.")

    conflict = ss.get("ed_conflict")
    if conflict:
        st.error(ui.text(conflict))
        st.write("Your changes are still in the form below. Re-apply them to the latest version (the other "
                 "changes saved meanwhile are kept), or discard them and load the latest version.")
        latest = listing_form.as_form(curation.listing_fields(r))
        base = ss.get("ed_base", latest)
        mine = listing_form.read("ed_")
        c1, c2, _ = st.columns([1.4, 1, 1.6])
        if c1.button("Re-apply my changes to the latest version", key="ed_rebase", type="primary"):
            merged, clashes = curation.reapply_edit(base, mine, latest)
            listing_form.load("ed_", merged)
            ss["ed_base"] = latest
            ss["ed_version"] = stored.version
            ss["ed_reapplied"] = {"version": stored.version, "clashes": clashes}
            ss.pop("ed_conflict", None)
            st.rerun()
        if c2.button("Discard my changes", key="ed_discard"):
            ss["ed_id"] = None
            st.rerun()
        diffs = [{"field": k, "when you opened it": base.get(k, ""), "your edit": mine.get(k, ""),
                  "saved now": latest.get(k, "")}
                 for k in mine if mine.get(k, "") != base.get(k, "") or latest.get(k, "") != base.get(k, "")]
        if diffs:
            st.dataframe(diffs, hide_index=True, width="stretch")

    reapplied = ss.get("ed_reapplied")
    if reapplied and not conflict:
        st.info(f"Your changes are now applied to version {reapplied['version']}, keeping the changes saved "
                "meanwhile. Check the form, then save.")
        if reapplied["clashes"]:
            st.warning("You and the other curator both changed " + ", ".join(reapplied["clashes"])
                       + ": the form holds your value.")

    if can_edit:
        with st.form("edit_form"):
            listing_form.render("ed_", ss.get("ed_errors", {}), new=False)
            save = st.form_submit_button("Save changes", type="primary")
        if save:
            try:
                new = curation.edit_listing(store, user, rid, listing_form.read("ed_"), ss["ed_version"])
            except InputError as err:
                ss["ed_errors"] = listing_form.issues_by_column(err.issues)
                st.rerun()
            except ConflictError as err:
                ss["ed_conflict"] = str(err)
                ss["ed_errors"] = {}
                ss.pop("ed_reapplied", None)
                st.rerun()
            except PermissionDenied as err:
                ui.denied(err)
            else:
                ss["dir_flash"] = f"Saved {ui.text(new.resource.name)} (version {new.version})."
                ss["ed_id"] = None
                ss.pop("ed_reapplied", None)
                st.rerun()

    with st.expander("Change history", expanded=False):
        rows = curation.history_rows(store, rid)
        st.dataframe(rows, hide_index=True, width="stretch",
                     column_config={"changes": st.column_config.TextColumn(width="large")})


def act(fn, rid: str, version: int, message: str) -> None:
    try:
        fn(store, user, rid, version)
    except ConflictError as err:
        st.error(ui.text(err))
        return
    except InputError as err:  # e.g. reactivating an in-person listing that has no coordinates yet
        for issue in err.issues:
            st.error(ui.text(issue.message))
        return
    except PermissionDenied as err:
        ui.denied(err)
        return
    ss["dir_flash"] = message
    ss["ed_id"] = None
    st.rerun()


with tab_browse:
    areas = sorted({curation.area_of(s.resource) for s in items})
    langs = sorted({c for s in items for c in s.resource.languages}, key=lambda c: ui.language_name(c))
    c1, c2, c3, c4, c5, c6 = st.columns([3, 1.3, 2, 1.6, 1.4, 1.4])
    query = c1.text_input("Search names, descriptions, postcodes", key="dir_q", placeholder="e.g. walking, G51")
    status = c2.selectbox("Status", ["any", "active", "inactive"], key="dir_status")
    domain = c3.selectbox("Needs domain", ["any", *DOMAINS], key="dir_domain",
                          format_func=lambda d: "any" if d == "any" else ui.domain_label(d))
    language = c4.selectbox("Language", ["any", *langs], key="dir_lang",
                            format_func=lambda c: "any" if c == "any" else ui.language_name(c))
    area = c5.selectbox("Area", ["any", *areas], key="dir_area")
    c6.write("")
    stale_only = c6.checkbox("Stale only", key="dir_stale", help="Active listings not verified in 12 months")
    found = curation.filter_listings(
        items, text=query, status=None if status == "any" else status, domain=None if domain == "any" else domain,
        language=None if language == "any" else language, area=None if area == "any" else area,
        stale=stale_only, today=today)
    n_stale = len(curation.stale_listings(items, today))
    st.caption(f"{len(found)} of {len(items)} listings shown · {n_stale} active listings not verified in 12 months")
    st.dataframe(curation.listing_table(found, today), hide_index=True, width="stretch", height=280)
    names = {s.id: s.resource.name for s in found}
    choice = st.selectbox("Open a listing to see, edit, verify or retire it", list(names), index=None,
                          key="dir_open", format_func=lambda i: f"{i} · {names.get(i, '')}",
                          placeholder="Choose a listing")
    if choice:
        open_listing(choice)

with tab_add:
    if not user.can("edit"):
        st.info("Your role can browse the directory but not change it.")
    else:
        if "add_loaded" not in ss:
            listing_form.load("add_", {"languages": "en", "status": "active", "last_verified": today.isoformat(),
                                       "delivery": "in_person"})
            ss["add_loaded"] = True
        with st.form("add_form"):
            listing_form.render("add_", ss.get("add_errors", {}), new=True)
            add = st.form_submit_button("Add listing", type="primary")
        if add:
            try:
                created = curation.add_listing(store, user, listing_form.read("add_"))
            except InputError as err:
                ss["add_errors"] = listing_form.issues_by_column(err.issues)
                st.rerun()
            except PermissionDenied as err:
                ui.denied(err)
            else:
                ss["add_errors"] = {}
                ss.pop("add_loaded", None)
                ss["dir_flash"] = f"Added {ui.text(created.resource.name)} ({created.id})."
                st.rerun()
