"""Directory (curator): browse and search listings (click a row to open it; tick rows to verify them
together), the stale listings and what to do about them, add a listing. Layout only: the rules are
in directory.curation, one listing's panel in ui.listing_panel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from directory import curation, outreach, support_types
from directory.accounts import PermissionDenied
from directory.records import DOMAINS, InputError
from ui import duplicates_panel, listing_form
from ui.listing_panel import open_listing

user = ui.require("browse")
store = ui.store()
ss = st.session_state
today = dt.date.today()

st.title("Directory")
if ss.get("dir_flash"):
    st.success(ss.pop("dir_flash"))

items = store.list()
# Domains and kinds of support as matching reads them (a curator's tags, else inferred from the text): the one
# answer Find support and Gaps use, so the table, the filters and the listing's panel say what they say.
rec = ui.recommender()
domains_of, types_of = rec.listing_domains(), rec.listing_support_types()
stale = curation.stale_listings(items, today)
tab_browse, tab_stale, tab_dups, tab_add = st.tabs(
    ["Browse and edit", f"Stale listings ({len(stale)})", "Possible duplicates", "Add a listing"])


# The table's widths: a listing's name and what it offers read whole, the rest as they fit.
COLUMNS = {"id": st.column_config.TextColumn(width="small"), "name": st.column_config.TextColumn(width="medium"),
           "kinds of support": st.column_config.TextColumn(width="large"),
           "domains": st.column_config.TextColumn(width="medium")}


def bulk_verify(chosen, key: str) -> None:
    """Verify the chosen listings at once (each at the version shown), if the role may edit."""
    if not chosen or not user.can("edit"):
        return
    if st.button(f"Mark the {len(chosen)} chosen verified today", key=key, icon=":material/done_all:"):
        try:
            done, conflicts = curation.verify_listings(store, user, {s.id: s.version for s in chosen}, today)
        except PermissionDenied as err:
            ui.denied(err)
            return
        ss["dir_table_gen"] = ss.get("dir_table_gen", 0) + 1  # fresh tables: no ticks left over from the action
        ss["dir_flash"] = f"Marked {len(done)} listings verified today." + (
            f" {len(conflicts)} changed meanwhile and were left as they are: open them to check." if conflicts else "")
        st.rerun()


def chosen_rows(key: str, shown: list) -> list:
    event = ss.get(key)
    rows = (event.get("selection") or {}).get("rows", []) if event else []  # the browser's state is a dict too
    return [shown[i] for i in rows if i < len(shown)]


with tab_browse:
    areas = sorted({curation.area_of(s.resource) for s in items})
    langs = sorted({c for s in items for c in s.resource.languages}, key=lambda c: ui.language_name(c))
    c1, c2, c3, c4 = st.columns([3, 1.3, 2, 2])
    query = c1.text_input("Search names, descriptions, postcodes", key="dir_q", placeholder="e.g. walking, G51")
    status = c2.selectbox("Status", ["any", "active", "inactive"], key="dir_status")
    domain = c3.selectbox("Needs domain", ["any", *DOMAINS], key="dir_domain",
                          format_func=lambda d: "any" if d == "any" else ui.domain_label(d))
    kind = c4.selectbox("Kind of support", ["any", *support_types.SUPPORT_TYPE_KEYS], key="dir_kind",
                        format_func=lambda k: "any" if k == "any" else support_types.label(k),
                        help="As matching reads it: the curator's tags, else inferred from the listing's words.")
    c5, c6, _ = st.columns([2, 2, 3])
    language = c5.selectbox("Language", ["any", *langs], key="dir_lang",
                            format_func=lambda c: "any" if c == "any" else ui.language_name(c))
    area = c6.selectbox("Area", ["any", *areas], key="dir_area")
    found = curation.filter_listings(
        items, text=query, status=None if status == "any" else status, domain=None if domain == "any" else domain,
        language=None if language == "any" else language, area=None if area == "any" else area, today=today,
        support_type=None if kind == "any" else kind, domains_of=domains_of, types_of=types_of)
    st.caption(f"{len(found)} of {len(items)} listings shown · click a row to open it, tick several to verify "
               f"them together · {len(stale)} active listings not verified in 12 months (see Stale listings) · "
               "domains and kinds of support marked “inferred:” were read from the listing's words: tag them to be sure")
    st.dataframe(curation.listing_table(found, today, domains_of=domains_of, types_of=types_of), hide_index=True,
                 width="stretch", height=280, column_config=COLUMNS, on_select="rerun", selection_mode="multi-row",
                 key=f"dir_table_{ss.get('dir_table_gen', 0)}")
    ticked = chosen_rows(f"dir_table_{ss.get('dir_table_gen', 0)}", found)
    bulk_verify(ticked if len(ticked) > 1 else [], "dir_bulk_verify")
    names = {s.id: s.resource.name for s in found}
    choice = st.selectbox("Or open a listing by name", list(names), index=None,
                          key="dir_open", format_func=lambda i: f"{i} · {names.get(i, '')}",
                          placeholder="Choose a listing")
    opened = ticked[0].id if len(ticked) == 1 else choice
    if opened:
        open_listing(store, user, opened, today, domains_of=domains_of, types_of=types_of)

with tab_stale:
    if not stale:
        st.success("Every active listing has been verified in the last 12 months.")
    else:
        st.write(f"{len(stale)} active listings have not been verified in 12 months, longest first. Check each "
                 "with its provider, then mark it verified, or retire it if it no longer runs (open it from "
                 "Browse and edit). Tick rows to verify several at once.")
        stale_table = curation.listing_table(stale, today, domains_of=domains_of, types_of=types_of)
        st.dataframe(stale_table.drop(columns=["stale"]), hide_index=True, column_config=COLUMNS,
                     width="stretch", on_select="rerun", selection_mode="multi-row",
                     key=f"stale_table_{ss.get('dir_table_gen', 0)}")
        bulk_verify(chosen_rows(f"stale_table_{ss.get('dir_table_gen', 0)}", stale), "stale_bulk_verify")
        st.subheader("Ask the providers")
        st.download_button("Download their contacts (CSV)", outreach.contacts_csv(stale),
                           file_name=f"signpost-stale-contacts-{today.isoformat()}.csv", mime="text/csv",
                           icon=":material/download:", key="stale_contacts", on_click="ignore")
        links = [(s, outreach.update_request(s)) for s in stale]
        with st.expander(f"E-mail each provider ({sum(1 for _, u in links if u)} with an e-mail address)"):
            for s, url in links:
                if url:
                    st.link_button(f"E-mail about {s.resource.name}", url, icon=":material/mail:")
                else:
                    st.caption(f"{ui.text(s.resource.name)}: no e-mail address; phone "
                               f"{ui.text(s.resource.phone or 'not given')}")

with tab_dups:
    duplicates_panel.render(store, user)

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
                created = curation.add_listing(store, user, listing_form.fill_place(listing_form.read("add_")))
            except InputError as err:
                ss["add_errors"] = listing_form.issues_by_column(err.issues)
                st.rerun()
            except PermissionDenied as err:
                ui.denied(err)
            else:
                ss["add_errors"] = {}
                ss.pop("add_loaded", None)
                ss.pop("add_placed", None)
                ss["dir_flash"] = f"Added {ui.text(created.resource.name)} ({created.id})."
                st.rerun()
