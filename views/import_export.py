"""Import & export (curator): a spreadsheet or HSDS file in (preview, every error, confirm; all or
nothing), the directory out as CSV or HSDS, and the search index brought up to date."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from directory import curation, import_plan
from directory.accounts import PermissionDenied
from directory.records import InputError

user = ui.require("browse")
store = ui.store()
ss = st.session_state

st.title("Import & export")
if ss.get("imp_flash"):
    st.success(ss.pop("imp_flash"))

# ---- import ------------------------------------------------------------------------------------------
st.header("Import listings")
if not user.can("import"):
    st.info("Your role cannot import listings.")
else:
    st.write("A spreadsheet saved as CSV UTF-8 with the directory's columns, an Open Referral HSDS .json "
             "file, or a zipped HSDS datapackage. You will see what would change before anything is saved. "
             "If any row has a problem, nothing is imported.")
    upload = st.file_uploader("File to import", type=["csv", "json", "zip"], key="imp_file")
    if upload is not None and ss.get("imp_seen") != upload.file_id:
        ss["imp_seen"] = upload.file_id  # a file is read once; after import or cancel it is not offered again
        ss["imp_data"] = (upload.getvalue(), upload.name)
    pending = ss.get("imp_data")
    if pending is not None:
        data, name = pending
        try:
            incoming = curation.read_upload(data, name)
        except InputError as err:
            st.error(f"{ui.text(name)}: {len(err.issues)} problem(s). Nothing was imported. Fix them in the file and "
                     "upload it again.")
            st.dataframe(
                [{"row": "" if i.row is None else str(i.row), "column": i.column or "", "problem": i.message}
                 for i in err.issues],
                hide_index=True, width="stretch")
        else:
            # Warnings do not stop the import: what Signpost could not use as the file says it
            # (e.g. a venue without coordinates, imported as inactive), or why there is nothing to import.
            for warning in incoming.warnings:
                st.warning(ui.text(warning))
            plan = curation.import_plan(store, incoming)
            skip_older = True
            if incoming:
                inactive = sum(not r.is_active for r in incoming)
                st.write(f"**{ui.text(name)}**: {len(incoming)} listings, all valid"
                         + (f" ({inactive} inactive)" if inactive else "") + ". Importing would add "
                         f"{len(plan.added)}, update {len(plan.updated)} and leave {len(plan.unchanged)} unchanged.")
                if plan.older:
                    st.warning(f"{len(plan.older)} of the updated listings look older than what the directory holds "
                               "(an earlier export?). Importing them would undo newer work, so they are skipped "
                               "unless you choose otherwise.")
                    st.dataframe([{"listing": f"{r.id} · {r.name}", "why": "; ".join(r.older)}
                                  for r in plan.rows if r.older], hide_index=True, width="stretch")
                    skip_older = not st.checkbox("Import the older rows too (undoes the newer changes)",
                                                 key="imp_override")
                changes = import_plan.change_rows(plan)
                if changes:
                    with st.expander(f"What would change, field by field ({len(changes)} field(s) in "
                                     f"{len(plan.updated)} listing(s))", expanded=len(changes) <= 40):
                        if len(changes) <= 40:  # as lines, readable on a phone; a long list as a table
                            for row in plan.rows:
                                if row.action != "update":
                                    continue
                                flag = " (older than the directory)" if row.older else ""
                                st.markdown(f"**{ui.text(row.id)} · {ui.text(row.name)}**{flag}")
                                st.markdown("\n".join(
                                    f"- {ui.text(c.field)}: {ui.text(import_plan.shown(c.old))} → "
                                    f"{ui.text(import_plan.shown(c.new))}" for c in row.changes))
                        else:
                            st.dataframe(changes, hide_index=True, width="stretch")
                if plan.added:
                    added = [r for r in incoming if r.id in set(plan.added)]
                    with st.expander(f"Listings to add ({len(added)})", expanded=len(added) <= 10):
                        st.dataframe(curation.listing_table(added, dt.date.today()), hide_index=True,
                                     width="stretch")
            c1, c2, _ = st.columns([1.4, 1, 2.6])
            if c1.button("Import these listings", type="primary", key="imp_confirm",
                         disabled=not plan.changed(skip_older)):
                try:
                    summary = curation.import_listings(store, user, incoming, skip_older=skip_older)
                except PermissionDenied as err:
                    ui.denied(err)
                else:
                    ss.pop("imp_data", None)
                    ss["imp_flash"] = f"Imported {ui.text(name)}: {summary}. Bring the search index up to date below."
                    st.rerun()
            if c2.button("Cancel", key="imp_cancel"):
                ss.pop("imp_data", None)
                st.rerun()

# ---- export ------------------------------------------------------------------------------------------
st.header("Export the directory")
if not user.can("export"):
    st.info("Your role cannot export the directory.")
else:
    stamp = dt.date.today().isoformat()
    try:  # one under the other: a label is never cut to fit a column
        st.download_button("Download CSV", curation.export_csv(store, user), file_name=f"signpost-{stamp}.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore")
        st.download_button("Download HSDS (JSON)", curation.export_hsds(store, user),
                           file_name=f"signpost-{stamp}-hsds.json", mime="application/json",
                           icon=":material/download:", on_click="ignore")
    except PermissionDenied as err:
        ui.denied(err)
    st.caption("Cells that a spreadsheet would run as formulas are neutralised in the CSV.")

# ---- index -------------------------------------------------------------------------------------------
st.header("Search index")
if not user.can("index"):
    st.info("Your role cannot update the search index.")
else:
    rec = ui.recommender(refresh=False)
    if st.button("Bring the index up to date", key="idx_update", icon=":material/sync:"):
        bar = st.progress(0.0, text="Embedding changed listings…")

        def progress(done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0, text=f"Embedded {done} of {total} changed listings")

        update = rec.update_index(progress=progress)
        bar.empty()
        st.success(f"Index up to date: {update}.")
    db_version = store.directory_version()  # read after any update above, so the message is never stale
    if rec.directory_version == db_version:
        st.write(f"The search index is up to date with the directory ({store.count()} listings, "
                 f"version {db_version}).")
    else:
        st.warning("The directory has changed since the index was last brought up to date; searches will "
                   "update it on their own, or do it now.")
