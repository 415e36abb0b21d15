"""No one becomes someone else (security issue item 1) and every account rule lives in
directory/accounts.py (layout issue): one identity key for every path, enforced by the database,
migrated into an older database (which is refused if it holds two names with one key); the rules
and permission checks inside the library, with an accounts audit; the CLI acting as SYSTEM."""

from __future__ import annotations

import ast

import pytest
import sqlalchemy as sa

from directory import accounts
from directory.accounts import SYSTEM, PermissionDenied, User
from directory.identity import identity_key
from directory.store import SCHEMA_VERSION, AccountClashError, Store, state, users

from .app_fixtures import ROOT, new_app
from .test_cli_directory import signpost

ADMIN_PW = "admin-password-is-long-7"
GP_PW = "gp-other-password-is-9"

# Other members of the class: each is the account "ada" (or "kate", "fiona") to Signpost.
SAME_AS = [("Ada", "ada"), ("Ada", "ADA"), ("ada", "Ａｄａ"), ("ada", " ada "), ("kate", "\u212aate"),
           ("fiona", "\ufb01ona"), ("gp@practice.example.org", "GP@Practice.Example.ORG")]


@pytest.mark.parametrize(("first", "second"), SAME_AS)
def test_one_identity_key_for_names_that_differ_only_in_case_or_form(first, second):
    assert identity_key(first) == identity_key(second)
    assert identity_key("ada") != identity_key("adam") and identity_key("Straße") == identity_key("STRASSE")


@pytest.mark.parametrize(("first", "second"), SAME_AS)
def test_a_second_account_with_the_same_identity_is_refused_on_the_command_line(tmp_path, first, second):
    db = str(tmp_path / "s.db")
    assert signpost("--db", db, "user", "add", first, "--role", "admin", "--password", ADMIN_PW).returncode == 0
    done = signpost("--db", db, "user", "add", second, "--role", "gp", "--password", GP_PW)
    assert done.returncode == 2 and "already an account" in done.stderr and f"'{first.strip()}'" in done.stderr
    assert signpost("--db", db, "user", "list").stdout == f"{first}\tadmin\n"
    with Store(db) as s:  # the other form signs in to the one account, with its own password only
        assert accounts.authenticate(s, second, ADMIN_PW) == User(first, "admin")
        assert accounts.authenticate(s, second, GP_PW) is None


def test_the_gp_cannot_become_the_administrator_in_the_app(app_db):
    assert signpost("--db", app_db, "user", "add", "Ada", "--role", "admin", "--password", ADMIN_PW).returncode == 0
    assert signpost("--db", app_db, "user", "add", "ada", "--role", "gp", "--password", GP_PW).returncode == 2
    at = new_app()
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value("ada")
    inputs["Password"].set_value(GP_PW)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert [e.value for e in at.error] == ["That username and password do not match an account."]
    assert not at.sidebar.markdown
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value("ＡＤＡ")
    inputs["Password"].set_value(ADMIN_PW)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert "Signed in as **Ada** (administrator)" in at.sidebar.markdown[0].value


def test_the_database_refuses_two_rows_with_one_key(store):
    accounts.add_user(store, SYSTEM, "Ada", ADMIN_PW, "admin")
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(users.insert().values(username="ada", identity_key="ada", password_hash="x", role="gp",
                                           created_at="2026-01-01"))


def test_every_path_finds_the_account_by_its_key(store):
    accounts.add_user(store, SYSTEM, "Ada", ADMIN_PW, "admin")
    accounts.add_user(store, SYSTEM, "gp@practice.example.org", None, "gp")
    assert accounts.find_user(store, "ａｄａ") == User("Ada", "admin")
    verified = {"email": "GP@Practice.Example.org", "email_verified": True}
    assert accounts.sso_user(store, verified) == User("gp@practice.example.org", "gp")
    # changing an account takes its stored name; another form is refused, not a second account
    with pytest.raises(ValueError, match="use its name 'Ada'"):
        accounts.add_user(store, SYSTEM, "ADA", "another-long-password-3", "gp")
    assert accounts.remove_user(store, SYSTEM, "GP@PRACTICE.EXAMPLE.ORG") is True
    assert accounts.list_users(store, SYSTEM) == [User("Ada", "admin")]


def _as_schema_2(db: str, names: list[str]) -> None:
    """The database a Signpost of schema 2 left: users without identity keys, names as typed."""
    with Store(db) as s, s.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE users"))
        conn.execute(sa.text("CREATE TABLE users (username VARCHAR(100) PRIMARY KEY, password_hash VARCHAR(300) "
                             "NOT NULL, role VARCHAR(20) NOT NULL, created_at VARCHAR(32) NOT NULL)"))
        for name in names:
            conn.execute(sa.text("INSERT INTO users VALUES (:n, 'x', 'gp', '2026-01-01')"), {"n": name})
        conn.execute(state.update().where(state.c.key == "schema_version").values(value=2))


def _schema(db: str) -> tuple[int, set[str]]:
    engine = sa.create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT value FROM directory_state WHERE key = 'schema_version'")).scalar()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("users")}
    engine.dispose()
    return version, columns


def test_an_older_database_gets_identity_keys(db_url):
    _as_schema_2(db_url, ["Ada", "bob"])
    with Store(db_url) as s:
        assert _schema(db_url) == (SCHEMA_VERSION, {"username", "identity_key", "password_hash", "role",
                                                    "created_at"})
        assert accounts.find_user(s, "ADA") == User("Ada", "gp")
        with pytest.raises(ValueError, match="already an account 'bob'"):
            accounts.add_user(s, SYSTEM, "BOB", ADMIN_PW, "admin")
        with pytest.raises(sa.exc.IntegrityError), s.engine.begin() as conn:  # the constraint, not only the code
            conn.execute(users.insert().values(username="ada", identity_key="ada", password_hash="x", role="gp",
                                               created_at="2026-01-01"))


def test_an_older_database_with_two_names_for_one_account_is_refused_and_left_alone(db_url):
    _as_schema_2(db_url, ["Ada", "ada", "Ｂob", "bob", "cora"])
    with pytest.raises(AccountClashError) as refused:
        Store(db_url)
    message = str(refused.value)
    assert "'Ada' and 'ada'" in message and "'bob' and 'Ｂob'" in message and "cora" not in message
    assert "nothing in the database was changed" in message
    assert _schema(db_url) == (2, {"username", "password_hash", "role", "created_at"})
    done = signpost("--db", db_url, "user", "list")
    assert done.returncode != 0 and "'Ada' and 'ada'" in done.stderr and not done.stdout


# ---- the rules, in the library --------------------------------------------------------------------------
def test_only_an_administrator_may_change_accounts_and_nothing_is_written_otherwise(store):
    accounts.add_user(store, SYSTEM, "ada", ADMIN_PW, "admin")
    before = (accounts.list_users(store, SYSTEM), accounts.history(store, SYSTEM))
    for role in ("gp", "link_worker", "curator", "Admin", ""):
        eve = User("eve", role)
        for call in (lambda u: accounts.add_user(store, u, "eve", ADMIN_PW, "admin"),
                     lambda u: accounts.remove_user(store, u, "ada"), lambda u: accounts.unlock(store, u, "ada"),
                     lambda u: accounts.list_users(store, u), lambda u: accounts.history(store, u)):
            with pytest.raises(PermissionDenied):
                call(eve)
    assert (accounts.list_users(store, SYSTEM), accounts.history(store, SYSTEM)) == before


def test_the_account_rules(store):
    ada = accounts.add_user(store, SYSTEM, "ada", ADMIN_PW, "admin")
    with pytest.raises(ValueError, match="cannot remove your own account"):
        accounts.remove_user(store, User("ADA", "admin"), "ada")
    with pytest.raises(ValueError, match="last administrator"):
        accounts.remove_user(store, SYSTEM, "ada")
    with pytest.raises(ValueError, match="last administrator"):
        accounts.add_user(store, SYSTEM, "ada", ADMIN_PW, "curator")
    with pytest.raises(ValueError, match="single sign-on only"):
        accounts.add_user(store, SYSTEM, "gp@practice.example.org", "a-password-for-sso-9", "gp", sso=True)
    accounts.add_user(store, ada, "ben", "ben-is-an-admin-too-4", "admin")
    accounts.add_user(store, ada, "ben", "ben-is-an-admin-too-4", "curator")  # not the last one now
    accounts.remove_user(store, ada, "ben")
    assert [(e.actor, e.action, e.username, e.detail.get("role")) for e in accounts.history(store, SYSTEM)] == [
        ("command line", "add", "ada", "admin"), ("ada", "add", "ben", "admin"),
        ("ada", "change", "ben", "curator"), ("ada", "remove", "ben", "curator")]
    assert not any("password" in str(e.detail).lower() for e in accounts.history(store, SYSTEM))


def test_the_accounts_page_shows_the_librarys_rules(app_db):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "ada", ADMIN_PW, "admin")
    at = new_app()
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value("ada")
    inputs["Password"].set_value(ADMIN_PW)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    at.switch_page("views/accounts.py").run()
    at.selectbox(key="acc_remove").set_value("ada")
    at.checkbox(key="acc_remove_sure").check()
    at.button(key="FormSubmitter:remove_user-Remove user").click().run()
    assert [e.value for e in at.error] == ["you cannot remove your own account while signed in with it"]
    at.text_input(key="acc_username").set_value("ADA")
    at.selectbox(key="acc_role").set_value("gp")
    at.text_input(key="acc_password").set_value(GP_PW)
    at.button(key="FormSubmitter:add_user-Save user").click().run()
    assert "already an account 'ada'" in at.error[0].value
    with Store(app_db) as s:
        assert accounts.list_users(s, SYSTEM) == [User("ada", "admin")]


def test_the_page_holds_no_rule_and_the_cli_commands_are_short():
    page = (ROOT / "views" / "accounts.py").read_text("utf-8")
    assert ".can(" not in page and "username ==" not in page and "== user" not in page
    tree = ast.parse((ROOT / "cli" / "user_cmds.py").read_text("utf-8"))
    commands = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name.startswith("cmd_")]
    assert {f.name for f in commands} == {"cmd_user_add", "cmd_user_remove", "cmd_user_unlock", "cmd_user_list"}
    for f in commands:
        assert 3 <= f.end_lineno - f.lineno <= 10, f.name
