"""What every page shares: the database and the recommender (loaded once per server), who is
signed in and what they may do."""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from directory import accounts
from directory.accounts import SignInRefused, User
from directory.store import SchemaError, Store, resolve_url, sqlite_path
from directory.vocabulary import ROLE_WORDS

LOCAL_USER = User("local", "admin")
# Local mode on an address other than loopback (a server in a container, say) only with this set to 1.
LOCAL_MODE_OPT_IN = "SIGNPOST_LOCAL_MODE"


# ---- shared resources (once per server process and database) -------------------------------------------
def db_url() -> str:
    return resolve_url(None)


@st.cache_resource(show_spinner="Opening the directory…")
def _store(url: str) -> Store:
    """The pages' store. A curator's edit or import through it carries the vectors of the texts it
    changes (matcher.shared_vectors.EmbedOnWrite): every server process on this directory then reads
    them, none embeds them again, and the change is searchable everywhere about when it commits."""
    from matcher.shared_vectors import embed_on_write

    s = Store(url)
    embed_on_write(s)
    return s


@st.cache_resource(show_spinner="Loading the matching model and the search index (once per server)…")
def _recommender(url: str):
    from matcher.recommender import Recommender

    return Recommender.open(url)


def store() -> Store:
    """The database; a page stops with a message if it names a file that does not exist (a missing file
    is not an empty directory with no accounts, which would mean local mode as administrator)."""
    url = db_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        st.error(f"There is no directory database file '{path.name}' where this server was told to find it "
                 "(SIGNPOST_DB, or var/signpost.db). Signpost offers nothing until the administrator sets "
                 "SIGNPOST_DB to the right file or creates the directory (`signpost import`).")
        st.stop()
    try:
        return _store(url)
    except SchemaError:  # a newer schema, or two accounts with one identity: the details are the server's
        st.error("This Signpost cannot open its directory database as it is. The administrator can see why "
                 "with `signpost user list` on the server; nothing was changed.")
        st.stop()


def recommender(refresh: bool = True):
    """The recommender for this server's database, brought up to date if a curator changed the directory
    (`refresh=False`: as it is, e.g. to show how far behind the index is)."""
    rec = _recommender(db_url())
    if refresh:
        rec.refresh()
    return rec


# ---- who is signed in --------------------------------------------------------------------------------
def _is_loopback(host: str | None) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _request_hosts() -> list[str | None]:
    """The host names this page was requested under: the HTTP Host header and the browser's URL.
    (AppTest sends neither, and a browser always sends both.)"""
    found = []
    host = st.context.headers.get("host")
    if host:
        found.append(urlsplit(f"//{host}").hostname)
    if st.context.url:
        found.append(urlsplit(st.context.url).hostname)
    return found


def local_mode_allowed() -> bool:
    """Local mode (no sign-in, a local administrator) is for one person at this computer: the server
    listens on loopback and the page was asked for under a loopback name (a page on another name
    that resolves to 127.0.0.1, DNS rebinding, is refused). Elsewhere only with SIGNPOST_LOCAL_MODE=1."""
    if os.environ.get(LOCAL_MODE_OPT_IN) == "1":
        return True
    return _is_loopback(st.get_option("server.address")) and all(_is_loopback(h) for h in _request_hosts())


def local_mode(s: Store) -> bool:
    """One laptop, no accounts: an embedded SQLite file with an empty users table, served to this computer."""
    return s.is_sqlite and not accounts.has_users(s) and local_mode_allowed()


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def _sso_claims() -> dict:
    return {key: st.user.get(key) for key in ("email", "email_verified")}


def current_user() -> User | None:
    """The signed-in user, re-read from the accounts table on every run (a changed role applies at once)."""
    s = store()
    if local_mode(s):
        st.session_state.pop("user", None)
        return LOCAL_USER
    signed = st.session_state.get("user")
    if signed is not None:
        fresh = accounts.find_user(s, signed.username)
        if fresh is None:
            st.session_state.pop("user", None)
            return None
        st.session_state["user"] = fresh
        return fresh
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        found = accounts.sso_user(s, _sso_claims())
        if found is not None:
            st.session_state["user"] = found
            return found
    return None


def client_address() -> str:
    """Who is trying to sign in, for the per-client limit: the address Streamlit reports for the
    connection (`st.context.ip_address`; None, here "loopback", for this computer). Behind a reverse
    proxy every client has the proxy's address, so the per-client limit then counts them together."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "loopback"


def _sso_part() -> None:
    if getattr(st.user, "is_logged_in", False):
        if _sso_claims()["email_verified"] is not True:
            st.error("Your organisation's sign-in did not confirm your e-mail address (email_verified), so "
                     "Signpost cannot give you a role. Ask your IT team, or sign in with a password.")
        else:
            st.error("Your single sign-on account has no Signpost role yet. Ask an administrator to add "
                     "your e-mail address as a user (`signpost user add`).")
        st.button("Sign out", on_click=st.logout)
    else:
        st.button("Sign in with your organisation's account", on_click=st.login, type="primary")
    st.divider()


def sign_in_form() -> None:
    """Username and password (and single sign-on, when configured). Stops the page until signed in."""
    s = store()
    st.title("Signpost")
    st.write("Sign in to find local support, preview options or keep the directory.")
    if not accounts.has_users(s):
        st.warning("This directory has no accounts yet, and local mode (no sign-in) is only for the computer "
                   "the app runs on, with an SQLite file. Add an administrator with "
                   "`signpost user add NAME --role admin`.")
    if _oidc_configured():
        _sso_part()
    with st.form("sign_in"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        ok = st.form_submit_button("Sign in", type="primary")
    if ok:
        try:
            user = accounts.authenticate(s, username, password, client_address())
        except SignInRefused as err:
            st.error(str(err))
        else:
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

