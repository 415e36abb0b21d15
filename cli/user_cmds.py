"""`signpost user add | remove | unlock | list`: local accounts, a few lines each over `directory.accounts`,
acting as `accounts.SYSTEM` (named "command line" in the accounts audit)."""

from __future__ import annotations

import argparse
import os

from directory.store import Store

from .output import answer, say


class UsageError(Exception):
    """Bad input from the command line: exit 2."""


def _accounts():
    """directory.accounts, imported only when a user command runs: it loads argon2 and zxcvbn, ~0.1 s
    of every other command's start (bench/cold.py)."""
    from directory import accounts

    return accounts


class _Roles:
    """`--role`'s choices, read from directory.accounts only when argparse checks or shows them (with a
    metavar, and the list in the help as %(choices)s, argparse does not read them to build the parser)."""

    def __iter__(self):
        return iter(_accounts().ROLES)

    def __contains__(self, role) -> bool:
        return role in _accounts().ROLES


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="local accounts")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    a = usub.add_parser("add", help="add a user or change a user's password and role")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=_Roles(), metavar="ROLE", help="one of: %(choices)s")
    a.add_argument("--password", help="the password (else $SIGNPOST_PASSWORD, else asked)")
    a.add_argument("--sso", action="store_true",
                   help="signs in only through single sign-on (OpenID Connect): no password; username = e-mail")
    a.set_defaults(func=cmd_user_add)
    for name, helped, func in (("remove", "remove a user", cmd_user_remove),
                               ("unlock", "forget a user's failed sign-ins (unlock the account)", cmd_user_unlock)):
        a = usub.add_parser(name, help=helped)
        a.add_argument("username")
        a.set_defaults(func=func)
    a = usub.add_parser("list", help="list users and their roles (and which are locked)")
    a.set_defaults(func=cmd_user_list)


def _password(args: argparse.Namespace) -> str | None:
    password = args.password if args.password is not None else os.environ.get("SIGNPOST_PASSWORD")
    if password is None and not args.sso:
        import getpass

        password = getpass.getpass(f"password for {args.username}: ")
    return password


def _account_rule(call):
    """A rule of directory.accounts broken (ValueError) is bad input: exit 2 with its sentence."""
    try:
        return call()
    except ValueError as err:
        raise UsageError(str(err)) from None


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _password(args)
    with Store(args.db) as store:
        user = _account_rule(lambda: _accounts().add_user(store, _accounts().SYSTEM, args.username, password, args.role,
                                                      sso=args.sso))
    say(f"user {user.username} ({user.role}) saved" + (", single sign-on only" if args.sso else ""))
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        if not _account_rule(lambda: _accounts().remove_user(store, _accounts().SYSTEM, args.username)):
            raise UsageError(f"user: no account named '{args.username}'")
    say(f"user {args.username} removed")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        if not _accounts().unlock(store, _accounts().SYSTEM, args.username):
            raise UsageError(f"user: no account named '{args.username}'")
    say(f"user {args.username} unlocked")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        locked = set(_accounts().locked(store, _accounts().SYSTEM))
        for user in _accounts().list_users(store, _accounts().SYSTEM):
            answer(f"{user.username}\t{user.role}" + ("\tlocked" if user.username in locked else ""))
    return 0
