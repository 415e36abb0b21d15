"""Local accounts and roles, and every rule about them, in one place.

Each change takes the acting `User` and checks `actor.require("accounts")` first (as curation does),
then the rules: one account per identity key (directory/identity.py), a single-sign-on account has
no password, no one removes their own account, the last administrator is neither removed nor
demoted, every password set passes the strength check (directory/signin.py). Each change is written
with its `account_audit` row in one transaction. The command line acts as `SYSTEM`; the app as the
signed-in user. A deployment with single sign-on maps a verified e-mail to an account here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import signin
from .identity import identity_key, normalised_name
from .signin import SSO_ONLY, SignInRefused, check_strength
from .store import Store, account_audit, now_iso, users

__all__ = ["ROLES", "PERMISSIONS", "PermissionDenied", "User", "SYSTEM", "SSO_ONLY", "SignInRefused",
           "AccountEvent", "add_user", "remove_user", "unlock", "list_users", "find_user", "authenticate",
           "sso_user", "has_users", "locked", "history", "check_strength", "identity_key"]

ROLES: tuple[str, ...] = ("gp", "link_worker", "curator", "admin")

# What each role may do. The UI shows only what a role may do, and every action checks again.
# The referral pages follow referrals.access: "referrals" (inbox, worklist, handover) and "person" (a
# record) for link workers, "practice" (the referrals a practice made) for GPs, "outcomes" (per-listing
# figures, no person) for link workers, curators and admins.
PERMISSIONS: dict[str, frozenset[str]] = {
    "gp": frozenset({"preview", "practice"}),
    "link_worker": frozenset({"preview", "match", "referrals", "person", "outcomes"}),
    "curator": frozenset({"preview", "match", "browse", "edit", "import", "export", "index", "outcomes"}),
    "admin": frozenset({"preview", "match", "browse", "edit", "import", "export", "index", "accounts", "outcomes"}),
}

# Checked on the NFKC form, so fullwidth "Ａｄａ" is stored as "Ada" (and is the account "ada").
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")


class PermissionDenied(Exception):
    pass


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(f"{self.username} ({self.role}) may not {action}")


# Who the command line acts as: someone at the server's terminal, who can already read the database.
# The space keeps the name apart from every account (a username has none).
SYSTEM = User("command line", "admin")


@dataclass(frozen=True)
class AccountEvent:
    seq: int
    at: str
    actor: str
    action: str
    username: str
    detail: dict[str, Any]


def _audit(conn, actor: User, action: str, username: str, **detail) -> None:
    conn.execute(account_audit.insert().values(at=now_iso(), actor=actor.username, action=action,
                                               username=username, detail=json.dumps(detail, sort_keys=True)))


def _row(conn, name: str):
    return conn.execute(sa.select(users.c.username, users.c.role, users.c.password_hash)
                        .where(users.c.identity_key == identity_key(name))).first()


def _admins(conn) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(users).where(users.c.role == "admin")).scalar_one()


def _valid(username: str, password: str | None, role: str, sso: bool) -> str:
    name = normalised_name(username)
    if sso and password:
        raise ValueError("Leave the password empty for someone who signs in with single sign-on only (--sso).")
    if not _USERNAME.match(name):
        raise ValueError("a username is 2-100 letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not one of {', '.join(ROLES)}")
    if not sso:
        check_strength(password or "", name)
    return name


def add_user(store: Store, actor: User, username: str, password: str | None, role: str, *,
             sso: bool = False) -> User:
    """Add an account, or change an existing one's password and role (named exactly as it is stored).
    `sso=True` (or `password=None`): single sign-on only, no password. ValueError names the rule broken."""
    actor.require("accounts")
    sso = sso or password is None
    name = _valid(username, password, role, sso)
    password = None if sso else password
    try:
        with store.engine.begin() as conn:
            old = _row(conn, name)
            if old is not None and old.username != username:  # as typed: " ada " or "ＡＤＡ" is not "ada"
                raise ValueError(f"there is already an account '{old.username}', and '{name}' is the same name "
                                 "to Signpost (case and character forms do not count); to change that account "
                                 f"use its name '{old.username}'")
            if old is not None and old.role == "admin" and role != "admin" and _admins(conn) == 1:
                raise ValueError(f"{name} is the last administrator: make someone else an administrator first")
            values = dict(password_hash=signin.hash_password(password), role=role)
            if old is None:
                conn.execute(users.insert().values(username=name, identity_key=identity_key(name),
                                                   created_at=now_iso(), **values))
            else:
                conn.execute(users.update().where(users.c.username == name).values(**values))
            _audit(conn, actor, "add" if old is None else "change", name, role=role, sso=password is None,
                   **({} if old is None else {"was": old.role}))
    except sa.exc.IntegrityError as err:  # another session added the same identity at the same moment
        raise ValueError(f"an account named '{name}' (or the same name in another form) already exists") from err
    return User(name, role)


def remove_user(store: Store, actor: User, username: str) -> bool:
    """Remove an account; False if there is none by that name. Not one's own, not the last administrator."""
    actor.require("accounts")
    if identity_key(username) == identity_key(actor.username):
        raise ValueError("you cannot remove your own account while signed in with it")
    with store.engine.begin() as conn:
        old = _row(conn, username)
        if old is None:
            return False
        if old.role == "admin" and _admins(conn) == 1:
            raise ValueError(f"{old.username} is the last administrator: make someone else an administrator first")
        conn.execute(users.delete().where(users.c.username == old.username))
        _audit(conn, actor, "remove", old.username, role=old.role)
    signin.clear(store, signin.account_subject(old.username))
    return True


def unlock(store: Store, actor: User, username: str) -> bool:
    """Forget an account's failed sign-ins (so it is not locked or waiting); False if there is no such account."""
    actor.require("accounts")
    with store.engine.begin() as conn:
        old = _row(conn, username)
        if old is None:
            return False
        _audit(conn, actor, "unlock", old.username)
    signin.clear(store, signin.account_subject(old.username))
    return True


def list_users(store: Store, actor: User) -> list[User]:
    actor.require("accounts")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.role).order_by(users.c.username)).all()
    return [User(r.username, r.role) for r in rows]


def locked(store: Store, actor: User) -> list[str]:
    """The names of the accounts locked now by failed sign-ins."""
    keys = signin.locked_accounts(store)
    return [u.username for u in list_users(store, actor) if identity_key(u.username) in keys]


def history(store: Store, actor: User) -> list[AccountEvent]:
    actor.require("accounts")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(account_audit).order_by(account_audit.c.seq)).all()
    return [AccountEvent(r.seq, r.at, r.actor, r.action, r.username, json.loads(r.detail)) for r in rows]


def find_user(store: Store, username: str) -> User | None:
    """The account a name means (the identity rule), for the app's look-up of who is signed in."""
    with store.engine.connect() as conn:
        row = _row(conn, username)
    return None if row is None else User(row.username, row.role)


def authenticate(store: Store, username: str, password: str, client: str | None = None) -> User | None:
    """The user if the password is right, else None (the same for unknown users); SignInRefused while
    the account or the client must wait or is locked (see directory/signin.py)."""
    found = signin.authenticate(store, username, password, client)
    return None if found is None else User(*found)


def sso_user(store: Store, claims: Mapping[str, Any]) -> User | None:
    """The account a single-sign-on identity maps to: its e-mail, only if the provider says it is verified
    (`email_verified` true; otherwise anyone could claim an address at a provider that does not check)."""
    email = str(claims.get("email") or "")
    if not email or claims.get("email_verified") is not True:
        return None
    return find_user(store, email)


def has_users(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() > 0
