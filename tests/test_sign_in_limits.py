"""Sign-in (security issue item 2): back-off and lockout per account and per client, recorded in the
database; the same answer for unknown users; an administrator unlocks (CLI and Accounts page); a
strength check (zxcvbn) on every password set; single sign-on needs a verified e-mail."""

from __future__ import annotations

import statistics
import time

import pytest

from directory import accounts, signin
from directory.accounts import SYSTEM, SignInRefused, User
from directory.store import Store

from .app_fixtures import new_app
from .test_accounts import sso_app
from .test_cli_directory import signpost

PW = "ada-the-administrator-7"


class Clock:
    """The sign-in clock, moved by the test (the back-off waits are real seconds otherwise)."""

    def __init__(self):
        self.t = 1_900_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(signin, "_now", c)
    return c


def attempt(store, name, password, client=None):
    """What a sign-in gives: a User, None (wrong) or the refusal's sentence."""
    try:
        return accounts.authenticate(store, name, password, client)
    except SignInRefused as err:
        return str(err)


def test_thirty_wrong_passwords_then_the_right_one_is_not_signed_in(store, clock):
    accounts.add_user(store, SYSTEM, "ada", PW, "admin")
    answers = []
    for n in range(30):
        answers.append(attempt(store, "ada", f"wrong-guess-{n}"))
        clock.t += 1000  # longer than any back-off: only the lockout stops these
    assert answers[:10] == [None] * 10 and all("locked" in a for a in answers[10:])
    assert "locked" in attempt(store, "ada", PW)
    assert accounts.locked(store, SYSTEM) == ["ada"]
    assert accounts.unlock(store, SYSTEM, "ADA") is True
    assert attempt(store, "ada", PW) == User("ada", "admin")
    assert accounts.history(store, SYSTEM)[-1].action == "unlock"


def test_back_off_grows_and_an_attempt_while_waiting_is_not_checked(store, clock):
    accounts.add_user(store, SYSTEM, "ada", PW, "admin")
    for n in range(signin.FREE_FAILURES):
        assert attempt(store, "ada", f"wrong-{n}") is None  # no waiting for the first few
    waits = []
    for n in range(4):
        assert attempt(store, "ada", f"wrong-again-{n}") is None
        refused = attempt(store, "ada", PW)  # at once: refused without looking at the password
        assert refused.startswith("Too many failed sign-ins: wait")
        waits.append(int(refused.split("wait ")[1].split(" ")[0]))
        clock.t += waits[-1]
    assert waits == [1, 2, 4, 8]
    assert attempt(store, "ada", PW) == User("ada", "admin")  # after the wait, and a success forgets them
    assert attempt(store, "ada", "wrong-once-more") is None and attempt(store, "ada", "wrong-twice") is None


def test_an_unknown_name_gets_the_same_answers_and_takes_as_long(store, clock):
    accounts.add_user(store, SYSTEM, "ada", PW, "admin")
    accounts.add_user(store, SYSTEM, "gp@practice.example.org", None, "gp")  # no password: single sign-on
    names = ("ada", "nobody", "gp@practice.example.org")
    answers: dict[str, list] = {name: [] for name in names}
    for n in range(12):
        for name in names:
            started = time.perf_counter()
            answers[name].append((attempt(store, name, f"wrong-{n}"), time.perf_counter() - started))
        clock.t += 1000
    assert [a for a, _ in answers["ada"]] == [a for a, _ in answers["nobody"]] == [
        a for a, _ in answers["gp@practice.example.org"]]
    checked = [n for n, (a, _) in enumerate(answers["ada"]) if a is None]
    known = statistics.median(answers["ada"][n][1] for n in checked)
    for other in names[1:]:
        ratio = statistics.median(answers[other][n][1] for n in checked) / known
        assert 0.5 < ratio < 2, (other, ratio)  # each pays for one argon2 hash


def test_one_client_trying_many_accounts_is_locked_but_others_are_not(store, clock):
    accounts.add_user(store, SYSTEM, "ada", PW, "admin")
    for n in range(signin.CLIENT_LOCK_FAILURES):
        assert attempt(store, f"user{n}", "password-spray-1", client="203.0.113.9") is None
        clock.t += signin.CLIENT.max_wait_s + 1  # past the client's back-off, within its window
    assert "locked" in attempt(store, "ada", PW, client="203.0.113.9")
    assert attempt(store, "ada", PW, client="198.51.100.4") == User("ada", "admin")
    clock.t += signin.CLIENT_WINDOW_S
    assert attempt(store, "ada", PW, client="203.0.113.9") == User("ada", "admin")


def test_a_locked_account_in_the_app_then_unlocked_on_the_command_line_and_on_the_page(app_db, clock):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "ada", PW, "admin")
        accounts.add_user(s, SYSTEM, "cora", "cora-keeps-the-directory-3", "curator")

    def sign_in(at, name, password):
        inputs = {t.label: t for t in at.text_input}
        inputs["Username"].set_value(name)
        inputs["Password"].set_value(password)
        at.button(key="FormSubmitter:sign_in-Sign in").click().run()
        return at

    at = new_app()
    for n in range(signin.ACCOUNT_LOCK_FAILURES):
        assert sign_in(at, "ada", f"wrong-{n}").error[0].value == "That username and password do not match an account."
        clock.t += 1000
    sign_in(at, "ada", PW)
    assert "locked" in at.error[0].value and not at.sidebar.markdown
    done = signpost("--db", app_db, "user", "list")
    assert done.stdout.splitlines() == ["ada\tadmin\tlocked", "cora\tcurator"]
    assert signpost("--db", app_db, "user", "unlock", "ada").returncode == 0
    assert "Signed in as **ada**" in sign_in(new_app(), "ada", PW).sidebar.markdown[0].value

    for n in range(signin.ACCOUNT_LOCK_FAILURES):
        sign_in(new_app(), "cora", f"wrong-{n}")
        clock.t += 1000
    admin = sign_in(new_app(), "ada", PW)
    admin.switch_page("views/accounts.py").run()
    admin.selectbox(key="acc_unlock").set_value("cora")
    admin.button(key="FormSubmitter:unlock_user-Unlock").click().run()
    assert admin.success[0].value == "Unlocked cora."
    assert "Signed in as **cora**" in sign_in(new_app(), "cora", "cora-keeps-the-directory-3").sidebar.markdown[0].value
    with Store(app_db) as s:
        assert [(e.actor, e.action, e.username) for e in accounts.history(s, SYSTEM)][-2:] == [
            ("command line", "unlock", "ada"), ("ada", "unlock", "cora")]


# ---- strength of every password set -----------------------------------------------------------------------
WEAK = ["aaaaaaaaaa", " " * 10, "password123", "qwertyuiop", "1234567890", "ada-ada-ada"]


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_password_is_refused_on_the_command_line_with_advice(tmp_path, weak):
    db = str(tmp_path / "s.db")
    done = signpost("--db", db, "user", "add", "ada", "--role", "admin", "--password", weak)
    assert done.returncode == 2 and "too easy to guess" in done.stderr, done.stderr
    assert len(done.stderr.split("too easy to guess.")[1].strip()) > 10  # zxcvbn's advice follows
    assert signpost("--db", db, "user", "list").stdout == ""


def test_a_weak_password_is_refused_on_the_accounts_page_with_advice(app_db):
    at = new_app("views/accounts.py")  # local mode: the local administrator
    at.text_input(key="acc_username").set_value("ada")
    at.selectbox(key="acc_role").set_value("admin")
    at.text_input(key="acc_password").set_value("aaaaaaaaaa")
    at.button(key="FormSubmitter:add_user-Save user").click().run()
    assert at.error[0].value.startswith("this password is too easy to guess.") and "Repeats" in at.error[0].value
    at.text_input(key="acc_password").set_value(PW)
    at.button(key="FormSubmitter:add_user-Save user").click().run()
    assert at.success[0].value == "Saved ada as administrator."


# ---- single sign-on -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("verified", [None, False, "false", "true", 1])
def test_single_sign_on_without_a_verified_e_mail_gets_no_role(app_db, verified):
    with Store(app_db) as s:
        accounts.add_user(s, SYSTEM, "gp@practice.example.org", None, "gp")
    user = {"is_logged_in": True, "email": "gp@practice.example.org"}
    if verified is not None:
        user["email_verified"] = verified
    at = sso_app(user)
    assert "did not confirm your e-mail address" in at.error[0].value and not at.sidebar.markdown
    at = sso_app({**user, "email_verified": True, "email": "GP@Practice.Example.org"})
    assert not at.exception and at.title[0].value == "GP preview"
