"""What the command line writes: progress and errors to stderr, answers to stdout, and never a raw
control character from a listing, a file or a profile (a name holding ESC[2J cannot clear the
terminal of the person reading it)."""

from __future__ import annotations

import argparse
import sys

from directory.errors import InputError
from directory.inputs import for_terminal


def say(message: object) -> None:
    """One line of progress or error for the person at the terminal (stderr)."""
    print(for_terminal(message), file=sys.stderr, flush=True)


def answer(text: str) -> None:
    """The command's answer (stdout), line by line made safe for a terminal."""
    print("\n".join(for_terminal(line) for line in text.split("\n")), flush=True)


def report_issues(err: InputError, source: object) -> None:
    say(f"{source}: {len(err.issues)} problem(s); nothing was changed.")
    for issue in err.issues:
        say(f"  {issue}")


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse quotes what was typed ("invalid int value: '...'"), and a file name or argument can
    hold escapes: its messages reach the terminal through `for_terminal` like everything else."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            file = file or sys.stderr
            file.write("\n".join(for_terminal(line) for line in message.split("\n")))
