"""What every page shares: the database and the recommender (loaded once per server), who is
signed in and what they may do, and safe ways to show listing text.

Listing text is never HTML: `text()` escapes every Markdown character before it reaches
`st.markdown`, and nothing here passes `unsafe_allow_html`.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from directory import accounts
from directory.accounts import User
from directory.languages import LANGUAGE_NAMES, code_for_name, language_name
from directory.records import DOMAIN_LABELS, DOMAINS
from directory.store import Store, resolve_url

LOCAL_USER = User("local", "admin")
ROLE_WORDS = {"gp": "GP", "link_worker": "link worker", "curator": "directory curator", "admin": "administrator"}
DELIVERY_WORDS = {"in_person": "in person", "phone": "by phone", "online": "online"}
COST_WORDS = {"free": "Free", "low_cost": "Low cost", "paid": "Paid", None: "Cost not stated"}
EXCLUSION_WORDS = {
    "language": "Not held in a language they speak, and no interpreter",
    "age": "Outside the group's age range",
    "gender": "A women-only or men-only group that does not fit (or gender not given)",
    "reach": "Too far to travel, not wheelchair accessible, or needs a phone or internet they don't use",
    "cost": "Costs more than they can afford",
    "inactive": "No longer running (retired listings)",
}
RULE_SHORT = {"language": "Language", "age": "Age", "gender": "Gender", "reach": "Getting there",
              "cost": "Cost", "inactive": "No longer running"}
LANGUAGE_OPTIONS: list[str] = sorted(LANGUAGE_NAMES.values())

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


# ---- safe text ---------------------------------------------------------------------------------------
def text(value: object) -> str:
    """Listing or user text made inert for st.markdown: every Markdown character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def domain_label(key: str) -> str:
    return DOMAIN_LABELS.get(key, key).capitalize()


def language_names(codes: list[str]) -> list[str]:
    return [language_name(c) for c in codes]


def language_codes(names: list[str]) -> list[str]:
    return [code_for_name(n) or n for n in names]


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


def recommender():
    """The recommender for this server's database, brought up to date if a curator changed the directory."""
    rec = _recommender(db_url())
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


def _through_app() -> None:
    """Run every page through app.py's navigation, never on its own.

    Streamlit treats a folder named pages/ as a legacy multipage app until a main script has called
    st.navigation: on a fresh server, the first visit to a deep link (/directory) ran that page
    alone: no sign-out or role-filtered navigation, and every module of pages/ (ui, listing_form...)
    listed as a page. Leaving that mode and running again sends the same URL through app.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    # Only on a session's first run, so that no click or typed value is lost to the extra run.
    if getattr(PagesManager, "uses_pages_directory", False) and not st.session_state.to_dict():
        PagesManager.uses_pages_directory = False
        st.rerun()


def require(action: str) -> User:
    """The signed-in user, if they may do `action`; otherwise the page stops with a message."""
    _through_app()
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


def domain_options() -> list[str]:
    return list(DOMAINS)
