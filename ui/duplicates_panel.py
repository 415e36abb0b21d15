"""The Directory's "Possible duplicates" tab: likely pairs (matcher.duplicates), each to merge (keep one,
retire the other) or dismiss (remembered). Layout only: the actions are in directory.curation."""

from __future__ import annotations

import streamlit as st

import ui
from directory import curation
from directory.accounts import PermissionDenied, User
from directory.store import ConflictError, Store


def _side(col, r) -> None:
    col.markdown(f"**{ui.text(r.name)}** ({ui.text(r.id)})")
    col.caption(ui.text(" · ".join(x for x in (r.organisation, r.postcode, r.phone, r.schedule) if x)))
    col.caption(ui.text(r.description))


def _do(message: str, fn, *args) -> None:
    try:
        fn(*args)
    except (ConflictError, KeyError) as err:
        st.error(ui.text(err))
        return
    except PermissionDenied as err:
        ui.denied(err)
        return
    st.session_state.pop("dup_pairs", None)
    st.session_state["dir_flash"] = message
    st.rerun()


def render(store: Store, user: User) -> None:
    from matcher.duplicates import find_pairs, index_vectors

    ss = st.session_state
    st.write("Two listings of the same service (e.g. from two imports): texts near-identical by the matching "
             "model, and the same phone, postcode or name. Keep one (the other is retired, saying which it "
             "duplicates) or say they are different (never offered again).")
    if st.button("Look for likely duplicates", key="dup_find", icon=":material/difference:"):
        rec = ui.recommender()
        ss["dup_pairs"] = [(p.a.id, p.b.id, p.why) for p in
                           find_pairs(store.resources(), index_vectors(rec), curation.dismissed_pairs(store))]
    pairs = ss.get("dup_pairs")
    if pairs is None:
        return
    if not pairs:
        st.success("No likely duplicates among the active listings.")
        return
    can_edit = user.can("edit")
    for n, (a_id, b_id, why) in enumerate(pairs[:20]):
        try:
            a, b = store.get(a_id), store.get(b_id)
        except KeyError:
            continue
        with st.container(border=True):
            st.caption(ui.text("; ".join(why)))
            left, right = st.columns(2)
            _side(left, a.resource)
            _side(right, b.resource)
            if can_edit:
                with st.container(horizontal=True):
                    if st.button(f"Keep {a_id}, retire {b_id}", key=f"dup_keep_a_{n}"):
                        _do(f"{b_id} retired as a duplicate of {a_id}.", curation.merge_duplicate, store, user,
                            a_id, b_id, b.version)
                    if st.button(f"Keep {b_id}, retire {a_id}", key=f"dup_keep_b_{n}"):
                        _do(f"{a_id} retired as a duplicate of {b_id}.", curation.merge_duplicate, store, user,
                            b_id, a_id, a.version)
                    if st.button("Different services", key=f"dup_dismiss_{n}"):
                        _do(f"{a_id} and {b_id} will not be offered as duplicates again.",
                            curation.dismiss_duplicate, store, user, a_id, b_id)
