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

from directory.accounts import PermissionDenied  # noqa: E402
from directory.errors import InputError  # noqa: E402
from directory.store import ConflictError, NotFoundError  # noqa: E402

from . import directory_cmds, match_cmds, referral_cmds, user_cmds  # noqa: E402
from .output import report_issues, say  # noqa: E402
from .user_cmds import UsageError  # noqa: E402

__all__ = ["main", "build_parser", "UsageError"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="signpost", description="Match people to local community support.")
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
        report_issues(err, getattr(args, "path", None) or getattr(args, "profile", None) or "input")
        return 2
    except (UsageError, ConflictError, FileNotFoundError, PermissionDenied, NotFoundError) as err:
        say(f"signpost: {err}")  # NotFoundError: e.g. no record has this NHS number (never repeated)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: a sentence, not a traceback
        say(f"signpost: failed: {type(err).__name__}: {err}")
        if os.environ.get("SIGNPOST_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
