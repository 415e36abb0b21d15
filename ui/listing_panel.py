"""One listing opened in the Directory: verify, retire with a reason (after a confirmation),
reactivate, edit (with conflicts re-applied), and its whole change history. Layout only: the rules
are in directory.curation."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from directory import curation, matched_tags
from directory.accounts import PermissionDenied, User
from directory.records import InputError
from directory.store import ConflictError, NotFoundError, Store, StoredResource
from ui import listing_form


def _actions(store: Store, user: User, stored: StoredResource) -> None:
    ss = st.session_state
    r, rid = stored.resource, stored.id
    with st.container(horizontal=True):
        if st.button("Mark verified today", key="ed_verify", icon=":material/verified:"):
            act(store, user, curation.verify_listing, rid, stored.version, f"{ui.text(r.name)} marked verified today.")
        if r.is_active:
            if st.button("Retire…", key="ed_retire", icon=":material/archive:",
                         help="Mark it inactive: it stays in the directory and its history but is never recommended."):
                ss["ed_retiring"] = rid
        elif st.button("Reactivate", key="ed_reactivate"):
            act(store, user, curation.reactivate_listing, rid, stored.version, f"{ui.text(r.name)} is active again.")
    if r.is_active and ss.get("ed_retiring") == rid:
        with st.container(border=True):
            st.markdown(f"Retire **{ui.text(r.name)}**? It will no longer be recommended to anyone.")
            reason = st.text_input("Why (kept in the change history)", key="ed_retire_reason",
                                   placeholder="e.g. the group stopped meeting in March")
            with st.container(horizontal=True):
                if st.button("Retire it", key="ed_retire_yes", type="primary", disabled=not reason.strip()):
                    ss.pop("ed_retiring", None)
                    act(store, user, curation.retire_listing, rid, stored.version,
                        f"{ui.text(r.name)} retired: it will not be recommended.", reason=reason)
                if st.button("Keep it", key="ed_retire_no"):
                    ss.pop("ed_retiring", None)
                    st.rerun()


def open_listing(store: Store, user: User, rid: str, today: dt.date, *, domains_of: matched_tags.Tags | None = None,
                 types_of: matched_tags.Tags | None = None) -> None:
    """One listing: its facts, its domains and kinds of support as matching reads them (`domains_of` /
    `types_of`: the recommender's answers), verify / retire (with a reason) / reactivate, the edit form,
    its history."""
    ss = st.session_state
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
    for what, seen in (("Kinds of support", matched_tags.seen_support_types(r, types_of)),
                       ("Needs domains", matched_tags.seen_domains(r, domains_of))):
        line = ui.text(matched_tags.sentence(what, seen, can_edit))
        if seen.inferred:  # a guess from the words: set apart, so that a curator sees what a tag would settle
            st.info(line, icon=":material/auto_awesome:")
        else:
            st.caption(line)
    if can_edit:
        _actions(store, user, stored)

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
        for row in curation.history_rows(store, rid):  # whole entries, never cut to a table cell
            st.markdown(f"**{ui.text(row['when'])}** · {ui.text(row['who'])} · {ui.text(row['what'])} "
                        f"(version {row['version']})")
            st.caption("  \n".join(ui.text(line) for line in row["changes"].splitlines()))


def act(store: Store, user: User, fn, rid: str, version: int, message: str, **kwargs) -> None:
    ss = st.session_state
    try:
        fn(store, user, rid, version, **kwargs)
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


