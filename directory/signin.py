"""Signing in with a password: argon2id hashes (argon2-cffi), back-off and lockout after failed
attempts, and the strength check on every password set (zxcvbn).

Failed attempts are rows in `sign_in_failures`, one per wrong password, under two subjects: the
account ("account:" + identity key, for an unknown name as for a known one, so the answers and the
time taken are the same) and the client ("client:" + the address the app reports). A subject with
failures waits before its next attempt is checked (exponential back-off), and is locked after too
many within the window; an administrator can unlock an account (`signpost user unlock NAME`, or
the Accounts page). An attempt refused for waiting is not checked and not counted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from .identity import identity_key
from .store import Store, sign_in_failures, users


# ---- settings -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limit:
    free: int  # failures that cost no waiting (a mistyped password or two is normal)
    max_wait_s: float  # after the k-th failure beyond `free`, the next attempt waits 2**(k-1) s, at most this
    lock_failures: int  # this many failures within the window: locked (an administrator can unlock)
    window_s: float  # failures older than this are forgotten


# An account: 3 free tries, then 1, 2, 4 ... s (ten guesses take over four minutes; a person who
# mistypes barely notices); locked after 10 within a day: at most 10 guesses a day against anyone.
ACCOUNT = Limit(free=3, max_wait_s=15 * 60, lock_failures=10, window_s=24 * 3600)
# A client trying many accounts (password spraying): 10 free, waits of at most a minute, locked for the
# rest of the hour after 50. Gentler than an account's, because behind a reverse proxy every client
# may share the proxy's address and one person's typing must not stop everyone.
CLIENT = Limit(free=10, max_wait_s=60, lock_failures=50, window_s=3600)
LIMITS = {"account": ACCOUNT, "client": CLIENT}
FREE_FAILURES = ACCOUNT.free
ACCOUNT_LOCK_FAILURES = ACCOUNT.lock_failures
CLIENT_LOCK_FAILURES = CLIENT.lock_failures
CLIENT_WINDOW_S = CLIENT.window_s
# zxcvbn's score runs 0-4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_SCORE = 3
MIN_LENGTH = 10
MAX_LENGTH = 200  # zxcvbn is slow on very long input, and no one types more

# Stored instead of a hash for people who sign in only through single sign-on: no password matches it.
SSO_ONLY = "!sso-only"

_hasher = PasswordHasher()
_now = time.time  # the clock, one place (tests move it forward)


class SignInRefused(Exception):
    """Too many failed attempts: the password was not checked. `retry_after` seconds, or None when locked."""

    def __init__(self, retry_after: float | None):
        self.retry_after = retry_after
        if retry_after is None:
            msg = ("Too many failed sign-ins for this account or from this computer: it is locked. "
                   "Ask an administrator to unlock it, or try again tomorrow.")
        else:
            msg = f"Too many failed sign-ins: wait {max(1, round(retry_after))} seconds and try again."
        super().__init__(msg)


def check_strength(password: str, username: str = "") -> None:
    """Refuse (ValueError, with zxcvbn's advice) a password that is short or easy to guess."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password has at most {MAX_LENGTH} characters")
    result = zxcvbn(password, user_inputs=[username, *username.replace("@", ".").split(".")] if username else [])
    if result["score"] < MIN_SCORE:
        advice = [result["feedback"].get("warning") or "", *result["feedback"].get("suggestions", [])]
        raise ValueError(" ".join(["this password is too easy to guess.", *[a for a in advice if a]]))


def hash_password(password: str | None) -> str:
    return SSO_ONLY if password is None else _hasher.hash(password)


def _subjects(username: str, client: str | None) -> dict[str, str]:
    found = {"account": f"account:{identity_key(username)}"[:450]}
    if client:
        found["client"] = f"client:{client}"[:450]
    return found


def _wait(store: Store, kind: str, subject: str, now: float) -> float | None:
    """Seconds this subject must still wait (0: may try now); None when it is locked."""
    limit = LIMITS[kind]
    with store.engine.connect() as conn:
        times = conn.execute(sa.select(sign_in_failures.c.at).where(
            sign_in_failures.c.subject == subject, sign_in_failures.c.at > now - limit.window_s)).scalars().all()
    if len(times) >= limit.lock_failures:
        return None
    beyond = len(times) - limit.free
    if beyond <= 0:
        return 0.0
    return max(0.0, max(times) + min(limit.max_wait_s, 2.0 ** (beyond - 1)) - now)


def authenticate(store: Store, username: str, password: str, client: str | None = None):
    """The account's (username, role) if the password is right; None otherwise, the same answer and
    time for unknown users. SignInRefused while the account or the client must wait or is locked."""
    now = _now()
    subjects = _subjects(username, client)
    waits = [_wait(store, kind, subject, now) for kind, subject in subjects.items()]
    if None in waits:
        raise SignInRefused(None)
    if max(waits) > 0:
        raise SignInRefused(max(waits))
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users.c.username, users.c.role, users.c.password_hash)
                           .where(users.c.identity_key == identity_key(username))).first()
    try:
        if row is None or row.password_hash == SSO_ONLY:
            _hasher.hash(password)  # spend the time of a real check: no one learns which names exist
            raise VerifyMismatchError
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        with store.engine.begin() as conn:
            conn.execute(sign_in_failures.insert(), [dict(subject=s, at=now) for s in subjects.values()])
        return None
    clear(store, subjects["account"])
    return row.username, row.role


def clear(store: Store, subject: str) -> int:
    """Forget a subject's failures (an unlock, or a right password); how many there were."""
    with store.engine.begin() as conn:
        return conn.execute(sign_in_failures.delete().where(sign_in_failures.c.subject == subject)).rowcount


def account_subject(username: str) -> str:
    return _subjects(username, None)["account"]


def locked_accounts(store: Store) -> set[str]:
    """The identity keys of accounts locked now."""
    now = _now()
    limit = LIMITS["account"]
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(sign_in_failures.c.subject, sa.func.count())
            .where(sign_in_failures.c.subject.like("account:%"), sign_in_failures.c.at > now - limit.window_s)
            .group_by(sign_in_failures.c.subject)).all()
    return {subject.removeprefix("account:") for subject, n in rows if n >= limit.lock_failures}
