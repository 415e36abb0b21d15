"""JSON read strictly: UTF-8 through the project's one decoder, no NaN or Infinity, and no object
that names a key twice (Python's json keeps the last silently; a publisher meant one of them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import csv_io
from ..records import InputError, ValidationIssue

Parts = tuple[str | int, ...]  # a place in a document: keys and list positions from its root


class DuplicateKeys(InputError):
    """JSON in which an object gives a key twice."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _pairs_recorder(duplicates: dict[int, list[str]]) -> Callable[[list[tuple[str, Any]]], dict]:
    """An object_pairs_hook that builds each object and notes the keys it was given twice."""
    def build(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            twice = [k for k, _ in pairs if k in seen or seen.add(k)]
            duplicates[id(obj)] = list(dict.fromkeys(twice))
        return obj
    return build


def _places_of(doc: Any, duplicates: dict[int, list[str]]) -> list[tuple[Parts, str]]:
    """(where, key) of every key given twice, in document order (iterative: any depth)."""
    found: list[tuple[Parts, str]] = []
    stack: list[tuple[Any, Parts]] = [(doc, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            found.extend((parts, key) for key in duplicates.get(id(node), ()))
            stack.extend((v, (*parts, k)) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, (*parts, i)) for i, v in reversed(list(enumerate(node))))
    return found


def path_text(parts: Parts, root: str = "") -> str:
    """`services[0].location`-style text of a place."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def loads(text: str, source: str, where: Callable[[Any, Parts], str] = lambda doc, parts: path_text(parts)) -> Any:
    """The document a JSON text holds, or InputError: a syntax error names its line and column,
    a key given twice names the object (`where(doc, parts)`) and the key."""
    duplicates: dict[int, list[str]] = {}
    try:
        doc = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs_recorder(duplicates))
    except json.JSONDecodeError as err:
        cut = " (the file ends too early: it may have been cut short)" if err.pos >= len(text.rstrip()) else ""
        raise InputError([ValidationIssue(err.lineno, None, f"{source} is not valid JSON: {err.msg} at line "
                                                            f"{err.lineno}, column {err.colno}{cut}")]) from None
    except ValueError as err:
        raise InputError([ValidationIssue(None, None, f"{source} is not valid JSON: {err}")]) from None
    except RecursionError:
        raise InputError([ValidationIssue(None, None, f"{source} is nested too deeply to be HSDS")]) from None
    if duplicates:
        raise DuplicateKeys([ValidationIssue(where(doc, parts) or source, key,
                                             f"duplicate key '{key}': an object may give each field once")
                             for parts, key in _places_of(doc, duplicates)])
    return doc


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (csv_io.decode, itself inputs.decode_utf8), the first bad byte located by line."""
    return csv_io.decode(data, source)
