"""Local accounts (directory/accounts.py, `signpost user ...`, the Accounts page): argon2 hashes,
sign-in, single-sign-on-only users, removal; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from directory import accounts
from directory.accounts import SYSTEM
from directory.store import Store, users

from . import app_fixtures
from .app_fixtures import new_app
from .test_cli_directory import signpost


def stored_hash(store: Store, username: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(users.c.password_hash).where(users.c.username == username)).scalar_one()


def test_passwords_are_stored_as_argon2_hashes_and_checked(store):
    accounts.add_user(store, SYSTEM, "lena", "link-worker-pass", "link_worker")
    h = stored_hash(store, "lena")
    assert h.startswith("$argon2id$") and "link-worker-pass" not in h
    assert accounts.authenticate(store, "lena", "link-worker-pass") == accounts.User("lena", "link_worker")
    assert accounts.authenticate(store, "lena", "link-worker-pasS") is None
    assert accounts.authenticate(store, "nobody", "link-worker-pass") is None
    # Changing the password and role replaces both; the old password no longer works.
    accounts.add_user(store, SYSTEM, "lena", "a-new-password", "curator")
    assert accounts.authenticate(store, "lena", "link-worker-pass") is None
    assert accounts.authenticate(store, "lena", "a-new-password").role == "curator"


def test_single_sign_on_users_have_no_password_that_works(store):
    accounts.add_user(store, SYSTEM, "gp@practice.example.org", None, "gp")
    assert stored_hash(store, "gp@practice.example.org") == accounts.SSO_ONLY
    for guess in ("", accounts.SSO_ONLY, "!sso-only", "anything-at-all"):
        assert accounts.authenticate(store, "gp@practice.example.org", guess) is None
    assert accounts.list_users(store, SYSTEM) == [accounts.User("gp@practice.example.org", "gp")]


def test_bad_accounts_are_refused(store):
    for username, password, role, words in [
        ("x", "long-enough-1", "gp", "username"),
        ("bad name", "long-enough-1", "gp", "username"),
        ("ok.name", "short", "gp", "10 characters"),
        ("ok.name", "long-enough-1", "superuser", "role"),
    ]:
        try:
            accounts.add_user(store, SYSTEM, username, password, role)
        except ValueError as err:
            assert words in str(err)
        else:
            raise AssertionError(f"{username!r}/{role!r} was accepted")
    assert not accounts.has_users(store)


def test_remove_user(store):
    accounts.add_user(store, SYSTEM, "cora", "curator-password-1", "curator")
    assert accounts.remove_user(store, SYSTEM, "cora") is True
    assert accounts.remove_user(store, SYSTEM, "cora") is False
    assert accounts.authenticate(store, "cora", "curator-password-1") is None


def test_user_commands(tmp_path):
    db = str(tmp_path / "s.db")
    done = signpost("--db", db, "user", "add", "cora", "--role", "curator", "--password", "curator-password-1")
    assert done.returncode == 0 and "cora (curator) saved" in done.stderr
    done = signpost("--db", db, "user", "add", "gp@practice.example.org", "--role", "gp", "--sso")
    assert done.returncode == 0 and "single sign-on only" in done.stderr
    done = signpost("--db", db, "user", "add", "gp2@practice.example.org", "--role", "gp", "--sso",
                    "--password", "some-password-1")
    assert done.returncode == 2 and "--sso" in done.stderr
    done = signpost("--db", db, "user", "add", "lena", "--role", "link_worker", "--password", "short")
    assert done.returncode == 2 and "10 characters" in done.stderr
    listed = signpost("--db", db, "user", "list")
    assert listed.stdout.splitlines() == ["cora\tcurator", "gp@practice.example.org\tgp"]
    assert signpost("--db", db, "user", "remove", "cora").returncode == 0
    done = signpost("--db", db, "user", "remove", "cora")
    assert done.returncode == 2 and "no account named 'cora'" in done.stderr
    assert signpost("--db", db, "user", "list").stdout == "gp@practice.example.org\tgp\n"


def test_accounts_page_adds_a_single_sign_on_user(app_db):
    at = new_app("views/accounts.py")  # local mode: the local administrator
    at.text_input(key="acc_username").set_value("gp@practice.example.org")
    at.selectbox(key="acc_role").set_value("gp")
    at.text_input(key="acc_password").set_value("should-not-be-here")
    at.checkbox(key="acc_sso").check()
    at.button(key="FormSubmitter:add_user-Save user").click().run()
    assert at.error[0].value.startswith("Leave the password empty")
    assert not accounts.has_users(Store(app_db))

    at.text_input(key="acc_password").set_value("")
    at.button(key="FormSubmitter:add_user-Save user").click().run()
    assert not at.exception and at.success[0].value == "Saved gp@practice.example.org as GP."
    with Store(app_db) as s:
        assert stored_hash(s, "gp@practice.example.org") == accounts.SSO_ONLY


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
        "client_id": "signpost", "client_secret": "not-a-secret",
        "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration"}


def sso_app(user: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(app_fixtures.APP, default_timeout=app_fixtures.TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = user
    return at.run()


def test_single_sign_on_maps_the_e_mail_to_a_role(app_db):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "gp@practice.example.org", None, "gp")
    at = sso_app({"is_logged_in": False})
    assert at.title[0].value == "Signpost"
    assert [b.label for b in at.button] == ["Sign in with your organisation's account", "Sign in"]

    at = sso_app({"is_logged_in": True, "email": "stranger@example.org", "email_verified": True})
    assert "no Signpost role" in at.error[0].value and not at.selectbox

    at = sso_app({"is_logged_in": True, "email": "gp@practice.example.org", "email_verified": True})
    assert not at.exception and at.title[0].value == "GP preview"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/directory.py")
