"""Validation against the HSDS 3.0 JSON schemas packaged in directory/data/hsds-3.0-schema (copied
unchanged from Open Referral; $SIGNPOST_HSDS_SCHEMA names another folder)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

SCHEMA_DIR_ENV = "SIGNPOST_HSDS_SCHEMA"
PACKAGED_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0-schema"


def is_uri(text: str) -> bool:
    """What the schema's `uri` format accepts: a scheme, a colon and no spaces."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$", text or ""))


def is_email(text: str) -> bool:
    """What the schema's `email` format accepts: one @ between text without spaces."""
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+", text or ""))


def default_schema_dir() -> Path:
    """Where the HSDS 3.0 JSON schemas are: $SIGNPOST_HSDS_SCHEMA when set, else the copy packaged
    with Signpost (directory/data/hsds-3.0-schema: service.json and every schema it refers to)."""
    candidate = Path(os.environ.get(SCHEMA_DIR_ENV) or PACKAGED_SCHEMA_DIR)
    if (candidate / "service.json").is_file():
        return candidate
    raise FileNotFoundError(f"the HSDS 3.0 schemas were not found in {candidate}; set {SCHEMA_DIR_ENV} to their folder")


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value.upper()


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _format_checker(strict_ids: bool) -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("email")(lambda value: not isinstance(value, str) or is_email(value))
    checker.checks("uri")(lambda value: not isinstance(value, str) or is_uri(value))
    checker.checks("date-time")(_is_datetime)
    if strict_ids:
        checker.checks("uuid")(_is_uuid)
    return checker


@functools.lru_cache(maxsize=8)
def _validator(schema_dir: str, strict_ids: bool) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing import Resource as SchemaResource
    from referencing.jsonschema import DRAFT202012

    pairs = [(f.name, SchemaResource.from_contents(json.loads(f.read_text("utf-8")), default_specification=DRAFT202012))
             for f in sorted(Path(schema_dir).glob("*.json"))]
    registry = Registry().with_resources(pairs)
    return Draft202012Validator({"$ref": "service.json"}, registry=registry, format_checker=_format_checker(strict_ids))


def validate_hsds(objects: dict | list[dict], *, schema_dir: str | os.PathLike | None = None,
                  strict_ids: bool = False) -> list[str]:
    """Problems of HSDS 3.0 service objects against the schemas (with formats of emails, URIs and
    date-times; of UUIDs too with strict_ids), one sentence each; [] when they are valid."""
    validator = _validator(str(schema_dir or default_schema_dir()), strict_ids)
    if isinstance(objects, dict):
        objects = [objects]
    problems = []
    for i, obj in enumerate(objects):
        for err in sorted(validator.iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path]):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
            problems.append(f"services[{i}]{where}: {err.message}")
    return problems
