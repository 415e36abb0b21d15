"""`signpost user add | remove | list`: local accounts, a few lines each over `directory.accounts`."""

from __future__ import annotations

import argparse
import os

from directory import accounts
from directory.store import Store

from .output import answer, say


class UsageError(Exception):
    """Bad input from the command line: exit 2."""


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="local accounts")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    a = usub.add_parser("add", help="add a user or change a user's password and role")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=accounts.ROLES)
    a.add_argument("--password", help="the password (else $SIGNPOST_PASSWORD, else asked)")
    a.add_argument("--sso", action="store_true",
                   help="signs in only through single sign-on (OpenID Connect): no password; username = e-mail")
    a.set_defaults(func=cmd_user_add)
    a = usub.add_parser("remove", help="remove a user")
    a.add_argument("username")
    a.set_defaults(func=cmd_user_remove)
    a = usub.add_parser("list", help="list users and their roles")
    a.set_defaults(func=cmd_user_list)


def cmd_user_add(args: argparse.Namespace) -> int:
    password = args.password if args.password is not None else os.environ.get("SIGNPOST_PASSWORD")
    if args.sso:
        if password is not None:
            raise UsageError("--sso: this user signs in with single sign-on only; give no password")
    elif password is None:
        import getpass

        password = getpass.getpass(f"password for {args.username}: ")
    with Store(args.db) as store:
        try:
            user = accounts.add_user(store, args.username, password, args.role)
        except ValueError as err:
            raise UsageError(str(err)) from None
    say(f"user {user.username} ({user.role}) saved" + (", single sign-on only" if args.sso else ""))
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        if not accounts.remove_user(store, args.username):
            raise UsageError(f"user: no account named '{args.username}'")
    say(f"user {args.username} removed")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        for user in accounts.list_users(store):
            answer(f"{user.username}\t{user.role}")
    return 0
