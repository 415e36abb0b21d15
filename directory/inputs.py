"""How anything from outside is read: bounded bytes, UTF-8 text, numbers as written, clean text.

Every file, upload and profile enters through these functions, so one rule holds everywhere:
- a read stops at its limit while reading (a link to /dev/zero, a FIFO or a growing file cannot
  fill memory), and only regular files are read;
- text is UTF-8 (a byte-order mark is dropped) or an `InputError` naming the file and byte;
- numbers are ASCII digits as written: Python's `int('1_8')` and `int('١٨')` are 18, ours are errors;
- control characters and Unicode direction overrides never reach storage, a terminal or a page.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
import sys
from pathlib import Path

from .errors import InputError, ValidationIssue

MB = 1024 * 1024

# C0 and C1 controls (tab and newline are kept where text may have lines), DEL, and the Unicode
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make a
# name display as something else ("Trojan Source"). Zero-width joiners stay: scripts need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]")
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


# ---- bytes ---------------------------------------------------------------------------------------
def read_bounded(path: str | os.PathLike, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file, refusing anything else and anything over `limit` while reading."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError.one(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError.one(f"{path} is a folder, not a {what}") from None
    except PermissionError:
        raise InputError.one(f"{path} cannot be read (permission denied)") from None
    except OSError as err:
        raise InputError.one(f"{path} cannot be read ({err.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise InputError.one(f"{path} is a folder, not a {what}")
        if not stat.S_ISREG(mode):
            raise InputError.one(f"{path} is not a regular file (a device, pipe or socket), so it is not read")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large(path.name, limit, what)
    return data


def read_stream_bounded(stream, limit: int, name: str = "standard input") -> bytes:
    """Standard input (or any binary stream), stopping at `limit`."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, limit, "input")
    return data


def too_large(name: str, limit: int, what: str = "file") -> InputError:
    return InputError.one(f"{name} is more than the {limit / MB:g} MB a {what} may be. Split it into smaller files.")


def stdin_bytes(limit: int) -> bytes:
    """Standard input as bytes, bounded (a replaced text stream, as tests use, is encoded as UTF-8)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is not None:
        return read_stream_bounded(stream, limit)
    text = sys.stdin.read(limit + 1)
    if len(text) > limit:
        raise too_large("standard input", limit, "input")
    return text.encode("utf-8")


# ---- text ----------------------------------------------------------------------------------------
def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or an InputError on the line (`row`) of the first bad
    byte, naming the byte so that it can be found in an editor."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        line = body[: err.start].count(b"\n") + 1
        raise InputError([ValidationIssue(line, None, f"{name} is not UTF-8 text (byte 0x{body[err.start]:02x} on "
                                                      f"line {line}); save it as UTF-8 (a spreadsheet's "
                                                      "'CSV UTF-8') and try again")]) from None


def clean_text(value: str, multiline: bool = False) -> str:
    """Text without control characters or direction overrides (newlines kept when `multiline`)."""
    if multiline:
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL_ONE_LINE.sub(" ", value).replace("  ", " ") if _CONTROL_ONE_LINE.search(value) else value


def for_terminal(value: object) -> str:
    """One line safe to print: every control character, escape and direction override made visible."""
    out = []
    for ch in str(value):
        if ch != "\t" and _CONTROL_ONE_LINE.match(ch):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


# ---- numbers and dates ---------------------------------------------------------------------------
def strict_int(text: str) -> int:
    """An integer written in ASCII digits (an optional sign); ValueError otherwise."""
    s = text.strip()
    if not _INT.fullmatch(s):
        raise ValueError(f"'{for_terminal(s)}' is not a whole number")
    return int(s)


def strict_float(text: str) -> float:
    """A finite decimal number written in ASCII (digits, one point, optional exponent); ValueError otherwise."""
    s = text.strip()
    if not _FLOAT.fullmatch(s):
        raise ValueError(f"'{for_terminal(s)}' is not a number")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(f"'{for_terminal(s)}' is too large a number")
    return value


def not_in_future(day: dt.date | None, today: dt.date | None = None) -> dt.date | None:
    """A date of something that happened: today or earlier (a day's grace for time zones)."""
    if day is not None and day > (today or dt.date.today()) + dt.timedelta(days=1):
        raise ValueError(f"{day.isoformat()} is in the future")
    return day
