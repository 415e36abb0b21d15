"""`signpost`: a thin skin over the library (contracts/README.md section 5).

Exit status 0 on success, 2 on bad input (a message on stderr naming what is wrong), 1 on other
failure. Progress goes to stderr; stdout carries only the answer.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from directory import accounts, csv_io, hsds, importer  # noqa: E402
from directory.records import InputError  # noqa: E402
from directory.store import ConflictError, Store  # noqa: E402

DEMO_CSV = Path(importer.__file__).resolve().parent / "data" / "demo_directory.csv"


class UsageError(Exception):
    """Bad input from the command line: exit 2."""


def progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def print_issues(err: InputError, source: str) -> None:
    progress(f"{source}: {len(err.issues)} problem(s); nothing was changed.")
    for issue in err.issues:
        progress(f"  {issue}")


# ---- commands ---------------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    resources = importer.load(args.path)  # validates everything before the database is opened
    warnings = resources.warnings
    if not resources:  # a valid file with nothing to import (HSDS taxonomies, metadata...)
        for warning in warnings:
            progress(str(warning))
        progress(f"nothing was imported from {args.path}; the database was not touched.")
        return 0
    if warnings:
        progress(f"{args.path}: {len(warnings)} warning(s); imported all the same:")
        for warning in warnings:
            progress(f"  warning: {warning}")
    with Store(args.db) as store:
        summary = store.import_resources(resources)
    progress(f"imported {args.path}: {summary}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) if not _is_url(args.db) else Store(args.db) as store:
        resources = store.resources()
    if args.format == "csv":
        csv_io.write_csv(resources, args.path)
    else:
        hsds.write_json(resources, args.path)
    progress(f"exported {len(resources)} listings to {args.path} ({args.format})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        if store.count():
            progress(f"the database already holds {store.count()} listings; demo data is loaded only into an empty one")
        else:
            summary = store.import_resources(importer.load(DEMO_CSV), actor="demo")
            progress(f"loaded the demo directory: {summary}")
    index_hook = _index_hook()
    if index_hook is not None:
        return index_hook(args)
    return 0


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
    progress(f"user {user.username} ({user.role}) saved" + (", single sign-on only" if args.sso else ""))
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        if not accounts.remove_user(store, args.username):
            raise UsageError(f"user: no account named '{args.username}'")
    progress(f"user {args.username} removed")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        for user in accounts.list_users(store):
            print(f"{user.username}\t{user.role}")
    return 0


def _is_url(db: str | None) -> bool:
    return db is not None and "://" in db


def _index_hook():
    """`signpost demo` indexes too, when the matcher's index command is available."""
    try:
        from . import commands
    except ImportError:
        return None
    return commands.cmd_index


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="signpost", description="Match people to local community support.")
    parser.add_argument("--db", help="database: a file path (SQLite) or an SQLAlchemy URL; default $SIGNPOST_DB "
                                     "or var/signpost.db")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("import", help="import a directory: contract CSV or Open Referral HSDS (all or nothing)")
    p.add_argument("path")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write the whole directory out")
    p.add_argument("path")
    p.add_argument("--format", choices=("csv", "hsds"), default=None,
                   help="csv (default for .csv) or hsds (HSDS 3.0 JSON; default for .json)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="load the bundled demo directory into an empty database and index it")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.set_defaults(func=cmd_demo)

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

    try:
        from . import commands
    except ImportError:
        commands = None
    if commands is not None:
        commands.add_matcher_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if getattr(args, "format", "unset") is None:
        args.format = "hsds" if str(args.path).lower().endswith(".json") else "csv"
    try:
        return args.func(args)
    except InputError as err:
        print_issues(err, getattr(args, "path", None) or getattr(args, "profile", None) or "input")
        return 2
    except (UsageError, ConflictError, FileNotFoundError) as err:
        progress(f"signpost: {err}")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: a sentence, not a traceback
        progress(f"signpost: failed: {type(err).__name__}: {err}")
        if os.environ.get("SIGNPOST_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
