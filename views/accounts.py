"""Accounts (admin): who may sign in and with which role. Layout only: every rule and permission
check is in directory/accounts.py, which refuses with a sentence shown here."""

from __future__ import annotations

import streamlit as st

import ui
from directory import accounts
from directory.accounts import PERMISSIONS, ROLES, PermissionDenied

user = ui.require("accounts")
store = ui.store()


def attempt(call, done) -> None:
    """Run one account change; show the rule it broke, or `done(result)`."""
    try:
        result = call()
    except (ValueError, PermissionDenied) as err:
        st.error(str(err))
    else:
        if result is False:
            st.warning("Nothing changed: there is no such account any more.")
        else:
            st.success(done(result))


st.title("Accounts")
if ui.local_mode(store):
    st.info("There are no accounts yet, so the app runs in local mode without sign-in. "
            "As soon as you add one, everyone must sign in: add yourself as an admin first.")

users = accounts.list_users(store, user)
locked = set(accounts.locked(store, user))
st.dataframe([{"username": u.username, "role": ui.ROLE_WORDS.get(u.role, u.role),
               "may": ", ".join(sorted(PERMISSIONS[u.role])), "locked": u.username in locked} for u in users],
             hide_index=True, width="stretch")

st.subheader("Add a user or change a password or role")
with st.form("add_user"):
    a, b = st.columns(2)
    username = a.text_input("Username (or e-mail for single sign-on)", key="acc_username")
    role = b.selectbox("Role", ROLES, index=1, key="acc_role", format_func=lambda r: ui.ROLE_WORDS[r])
    password = st.text_input("Password (at least 10 characters, not easy to guess)", type="password",
                             key="acc_password")
    sso = st.checkbox("Signs in with single sign-on only (no password)", key="acc_sso")
    ok = st.form_submit_button("Save user", type="primary")
if ok:
    attempt(lambda: accounts.add_user(store, user, username, password, role, sso=sso),
            lambda added: f"Saved {added.username} as {ui.ROLE_WORDS[added.role]}.")

if users:
    st.subheader("Remove a user")
    with st.form("remove_user"):
        gone = st.selectbox("User", [u.username for u in users], key="acc_remove")
        sure = st.checkbox("Yes, remove this account", key="acc_remove_sure")
        remove = st.form_submit_button("Remove user")
    if remove and not sure:
        st.warning("Tick the box to confirm.")
    elif remove:
        attempt(lambda: accounts.remove_user(store, user, gone), lambda _: f"Removed {gone}.")

if locked:
    st.subheader("Unlock a user")
    with st.form("unlock_user"):
        which = st.selectbox("Locked after too many failed sign-ins", sorted(locked), key="acc_unlock")
        unlock = st.form_submit_button("Unlock")
    if unlock:
        attempt(lambda: accounts.unlock(store, user, which), lambda _: f"Unlocked {which}.")

with st.expander("Single sign-on (OpenID Connect)"):
    st.markdown(
        "Signpost can use your organisation's single sign-on through Streamlit's OpenID Connect support. "
        "Put an `[auth]` section in `.streamlit/secrets.toml` (`redirect_uri`, `cookie_secret`, "
        "`client_id`, `client_secret`, `server_metadata_url`), then add each person here with their "
        "e-mail address as the username, a role and *single sign-on only* (no password). "
        "People whose e-mail is not listed here, or whose provider does not confirm the address "
        "(`email_verified`), can sign in but see nothing.")
