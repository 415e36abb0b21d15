"""What every page shares: the database and the recommender (loaded once per server), who is
signed in and what they may do."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from directory import accounts
from directory.accounts import User
from directory.store import Store, resolve_url
from directory.vocabulary import ROLE_WORDS

LOCAL_USER = User("local", "admin")


# ---- shared resources (once per server process and database) -------------------------------------------
def db_url() -> str:
    return resolve_url(None)


@st.cache_resource(show_spinner="Opening the directory…")
def _store(url: str) -> Store:
    return Store(url)


@st.cache_resource(show_spinner="Loading the matching model and the search index (once per server)…")
def _recommender(url: str):
    from matcher.recommender import Recommender

    return Recommender.open(url)


def store() -> Store:
    return _store(db_url())


def recommender(refresh: bool = True):
    """The recommender for this server's database, brought up to date if a curator changed the directory
    (`refresh=False`: as it is, e.g. to show how far behind the index is)."""
    rec = _recommender(db_url())
    if refresh:
        rec.refresh()
    return rec


# ---- who is signed in --------------------------------------------------------------------------------
def local_mode(s: Store) -> bool:
    """One laptop, no accounts: an embedded SQLite file with an empty users table."""
    return s.is_sqlite and not accounts.has_users(s)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def _known_user(s: Store, username: str) -> User | None:
    for u in accounts.list_users(s):
        if u.username.casefold() == username.casefold():
            return u
    return None


def current_user() -> User | None:
    """The signed-in user, re-read from the accounts table on every run (a changed role applies at once)."""
    s = store()
    if local_mode(s):
        st.session_state.pop("user", None)
        return LOCAL_USER
    signed = st.session_state.get("user")
    if signed is not None:
        fresh = _known_user(s, signed.username)
        if fresh is None:
            st.session_state.pop("user", None)
            return None
        st.session_state["user"] = fresh
        return fresh
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        email = str(st.user.get("email") or "")
        found = _known_user(s, email) if email else None
        if found is not None:
            st.session_state["user"] = found
            return found
    return None


def sign_in_form() -> None:
    """Username and password (and single sign-on, when configured). Stops the page until signed in."""
    s = store()
    st.title("Signpost")
    st.write("Sign in to find local support, preview options or keep the directory.")
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            st.error("Your single sign-on account has no Signpost role yet. Ask an administrator to add "
                     "your e-mail address as a user (`signpost user add`).")
            st.button("Sign out", on_click=st.logout)
        else:
            st.button("Sign in with your organisation's account", on_click=st.login, type="primary")
        st.divider()
    with st.form("sign_in"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        ok = st.form_submit_button("Sign in", type="primary")
    if ok:
        user = accounts.authenticate(s, username.strip(), password)
        if user is None:
            st.error("That username and password do not match an account.")
        else:
            st.session_state["user"] = user
            st.rerun()
    st.stop()


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def require(action: str) -> User:
    """The signed-in user, if they may do `action`; otherwise the page stops with a message."""
    user = current_user()
    if user is None:
        sign_in_form()
        st.stop()
    if not user.can(action):
        st.error(f"Your role ({ROLE_WORDS.get(user.role, user.role)}) cannot use this page.")
        st.stop()
    return user


def denied(err: Exception) -> None:
    st.error(f"Not allowed: {err}")

