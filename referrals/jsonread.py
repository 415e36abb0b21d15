"""Reading untrusted JSON: bounded in size and depth, duplicate keys and NaN refused, every
problem an `InputError` whose issue names the place (`entry[1].resource.subject`) and never
repeats a value from the file."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.records import InputError, ValidationIssue

MAX_BYTES = 10 * 1024 * 1024  # one referral is a few kB; a practice batch of hundreds fits easily
MAX_DEPTH = 40  # FHIR referral bundles nest about 8 deep


@dataclass(frozen=True)
class PathIssue(ValidationIssue):
    """A problem at a JSON path: prints as `entry[1].resource.subject.reference: message`."""

    def __str__(self) -> str:
        return f"{self.row}: {self.message}" if self.row else self.message


def issue(path: str, message: str) -> PathIssue:
    return PathIssue(path or "(the bundle)", None, message)


def fail(path: str, message: str) -> InputError:
    return InputError([issue(path, message)])


MAX_KEY_IN_PATH = 40  # a hostile file's megabyte-long key must not become a megabyte-long message


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = key if len(key) <= MAX_KEY_IN_PATH else key[:MAX_KEY_IN_PATH] + "…"
    return f"{path}.{key}" if path else key


class _Object(dict):
    """A JSON object that remembers which keys it held more than once."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _no_constant(token: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON numbers")


def read_bytes(source: bytes | str | os.PathLike, what: str = "the bundle") -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise fail("", f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB: split it")
            data = path.read_bytes()
        except OSError as err:
            raise fail("", f"{what} cannot be read ({err.strerror or 'unreadable'})") from None
    if len(data) > MAX_BYTES:
        raise fail("", f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB: split it")
    return data


def _walk(value: Any) -> None:
    """Depth and duplicate keys, checked without recursion (a hostile file can nest deeply)."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise fail(path, f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, _Object):
            if node.duplicates:
                raise fail(join(path, node.duplicates[0]), "this key appears more than once in one object")
            stack.extend((v, join(path, k), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, join(path, i), depth + 1) for i, v in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            raise fail(path, "is a number too large to use")


def parse(data: bytes, what: str = "the bundle") -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("", f"{what} is not UTF-8 text (byte {err.start})") from None
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise fail("", f"{what} is not JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise fail("", f"{what} nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # NaN/Infinity, or an integer longer than Python converts
        raise fail("", f"{what} holds a number that is not a usable JSON number") from None
    _walk(value)
    return value
