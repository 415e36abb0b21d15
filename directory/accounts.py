"""Local accounts and roles for the embedded deployment. Passwords are hashed with argon2id
(argon2-cffi); a deployment with single sign-on uses Streamlit's OpenID Connect instead and maps
the signed-in e-mail to a role here (see README, "Sign-in")."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .store import Store, now_iso, users

ROLES: tuple[str, ...] = ("gp", "link_worker", "curator", "admin")

# What each role may do. The UI shows only what a role may do, and every action checks again.
PERMISSIONS: dict[str, frozenset[str]] = {
    "gp": frozenset({"preview"}),
    "link_worker": frozenset({"preview", "match"}),
    "curator": frozenset({"preview", "match", "browse", "edit", "import", "export", "index"}),
    "admin": frozenset({"preview", "match", "browse", "edit", "import", "export", "index", "accounts"}),
}

_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")
_hasher = PasswordHasher()


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


# Stored instead of a hash for people who sign in only through single sign-on: no password matches it.
SSO_ONLY = "!sso-only"


def add_user(store: Store, username: str, password: str | None, role: str) -> User:
    """Add a user or change their password and role. `password=None`: single sign-on only."""
    if not _USERNAME.match(username):
        raise ValueError("a username is 2-100 letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not one of {', '.join(ROLES)}")
    if password is not None and len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    with store.engine.begin() as conn:
        exists = conn.execute(sa.select(users.c.username).where(users.c.username == username)).first()
        values = dict(password_hash=SSO_ONLY if password is None else _hasher.hash(password), role=role)
        if exists:
            conn.execute(users.update().where(users.c.username == username).values(**values))
        else:
            conn.execute(users.insert().values(username=username, created_at=now_iso(), **values))
    return User(username, role)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user, if the password is right; None otherwise (same answer for unknown users)."""
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None:
        _hasher.hash(password)  # spend the same time as a real check
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return User(row.username, row.role)


def remove_user(store: Store, username: str) -> bool:
    """Remove an account; True if there was one."""
    with store.engine.begin() as conn:
        return conn.execute(users.delete().where(users.c.username == username)).rowcount > 0


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.role).order_by(users.c.username)).all()
    return [User(r.username, r.role) for r in rows]


def has_users(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() > 0
