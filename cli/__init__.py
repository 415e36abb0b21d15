"""`signpost`: the command line, a thin skin over the library (contracts/README.md section 5).

    signpost [--db URL_OR_PATH] COMMAND ...

Each command lives in a small module beside this one (`directory_cmds`, `match_cmds`, `user_cmds`,
`referral_cmds`)
and is a few lines over a library function that tests also call. Exit status 0 on success, 2 on bad
input (a message on stderr naming what is wrong), 1 on other failure. Progress goes to stderr;
stdout carries only the answer.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from directory import db_errors  # noqa: E402
from directory.errors import InputError  # noqa: E402
from directory.store import BusyError, ConflictError, NotFoundError, SchemaError, resolve_url  # noqa: E402

from . import directory_cmds, match_cmds, referral_cmds, user_cmds  # noqa: E402
from .output import SafeArgumentParser, report_issues, say  # noqa: E402
from .user_cmds import UsageError  # noqa: E402

__all__ = ["main", "build_parser", "UsageError"]


def build_parser() -> argparse.ArgumentParser:
    parser = SafeArgumentParser(prog="signpost", description="Match people to local community support.")
    parser.add_argument("--db", help="database: a file path (SQLite) or an SQLAlchemy URL; default $SIGNPOST_DB "
                                     "or var/signpost.db")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (directory_cmds, match_cmds, user_cmds, referral_cmds):
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return args.func(args)
    except InputError as err:
        source = getattr(args, "path", None) or getattr(args, "profile", None) or "input"
        report_issues(err, "standard input" if source == "-" else source)
        return 2
    except (UsageError, ConflictError, FileNotFoundError, IsADirectoryError, NotADirectoryError, *_account_errors(),
            NotFoundError) as err:
        say(f"signpost: {err}")  # NotFoundError: e.g. no record has this NHS number (never repeated)
        return 2
    except (BusyError, SchemaError) as err:
        say(f"signpost: {err}")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: a sentence, not a traceback, SQL or data
        if os.environ.get("SIGNPOST_DEBUG"):
            raise
        return _failed(err, args)


def _account_errors() -> tuple[type[Exception], ...]:
    """accounts.PermissionDenied when directory.accounts is loaded (only a command that loaded it can
    raise it): not imported for every command, since it loads argon2 and zxcvbn (bench/cold.py)."""
    accounts = sys.modules.get("directory.accounts")
    return (accounts.PermissionDenied,) if accounts is not None else ()


def _failed(err: Exception, args: argparse.Namespace) -> int:
    """A failure no command handled, as one line: a database that cannot be used is named with what
    is wrong with it (exit 2 when --db is at fault); anything else by its class alone, since its
    message may quote SQL, a listing or a profile."""
    problem = db_errors.explain(err, resolve_url(getattr(args, "db", None)))
    if problem is not None:
        say(f"signpost: {problem}")
        return 2 if problem.bad_input else 1
    if isinstance(err, OSError) and err.strerror:
        say(f"signpost: failed: {err.strerror}" + (f" ({err.filename})" if err.filename else ""))
    else:
        say(f"signpost: failed ({type(err).__name__}); set SIGNPOST_DEBUG=1 to see the details")
    return 1

if __name__ == "__main__":
    sys.exit(main())
