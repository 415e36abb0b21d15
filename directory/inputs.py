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
import io
import math
import os
import re
import stat
import sys
from pathlib import Path

from .errors import InputError, ValidationIssue

MB = 1024 * 1024
# The most any one import may be, in all its files together (Streamlit's server.maxUploadSize = 200
# is this same limit in MiB; a directory of 100k listings is ~60 MB).
MAX_IMPORT_BYTES = 200 * MB

# C0 and C1 controls (tab and newline are kept where text may have lines), DEL, and the Unicode
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make a
# name display as something else ("Trojan Source"). Zero-width joiners stay: scripts need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]")
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


# ---- bytes ---------------------------------------------------------------------------------------
class BoundedReader(io.RawIOBase):
    """A regular file opened for reading that raises `InputError` (too large) as soon as more than
    `limit` bytes have been read from it, whatever its size said when it was opened."""

    def __init__(self, fh, limit: int, name: str, what: str):
        super().__init__()
        self._fh, self._limit, self._name, self._what, self.read_so_far = fh, limit, name, what, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(memoryview(buffer)[: max(0, min(len(buffer), self._limit + 1 - self.read_so_far))])
        self.read_so_far += n
        if self.read_so_far > self._limit:
            raise too_large(self._name, self._limit, self._what)
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def open_bounded(path: str | os.PathLike, limit: int, what: str = "file") -> io.BufferedReader:
    """A regular file for reading in pieces, refusing anything else (a folder, a device such as
    /dev/zero, a FIFO, a socket) and any read past `limit` bytes (InputError)."""
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
    info = os.fstat(fd)
    mode = info.st_mode
    if stat.S_ISREG(mode) and info.st_size > limit:  # said at once; the limit still holds while reading
        os.close(fd)
        raise too_large(path.name, limit, what, info.st_size)
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError.one(f"{path} is a folder, not a {what}")
        raise InputError.one(f"{path} is not a regular file (a device, pipe or socket), so it is not read")
    fh = os.fdopen(fd, "rb", buffering=0)
    return io.BufferedReader(BoundedReader(fh, limit, path.name, what), buffer_size=1024 * 1024)


def read_bounded(path: str | os.PathLike, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file, refusing anything else and anything over `limit` while reading."""
    with open_bounded(path, limit, what) as fh:
        return fh.read()


def read_stream_bounded(stream, limit: int, name: str = "standard input") -> bytes:
    """Standard input (or any binary stream), stopping at `limit`."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, limit, "input")
    return data


def too_large(name: str, limit: int, what: str = "file", size: int | None = None) -> InputError:
    """'big.csv is 200.1 MB: more than the 200 MB an import may be' (the size rounded up, so a file just
    over the limit never reads as being the limit)."""
    whose = "an import" if limit == MAX_IMPORT_BYTES else ("an " if what[:1].lower() in "aeiou" else "a ") + what
    said = f"is {math.ceil(size / MB * 10) / 10:.1f} MB: more" if size is not None else "is more"
    return InputError.one(f"{name} {said} than the {limit / MB:g} MB {whose} may be. Split it into smaller files.")


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
