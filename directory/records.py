"""The resource record: one validated listing of the directory (contracts/README.md section 2).

Everything that enters the directory (a CSV row, an HSDS service, a curator's form) becomes a
`Resource` here, and every problem becomes a `ValidationIssue(row, column, message)` that a person
can act on. Inner code trusts a `Resource`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import support_types as support_vocab
from .errors import InputError, ValidationIssue
from .inputs import clean_text, for_terminal, not_in_future, strict_float, strict_int
from .vocabulary import DOMAIN_LABELS

__all__ = ["InputError", "ValidationIssue", "Resource", "Loaded", "DOMAINS", "DOMAIN_LABELS"]

# Contract section 1: the eight needs domains, keys fixed.
DOMAINS: tuple[str, ...] = (
    "lifestyle",
    "self_care",
    "managing_symptoms",
    "work_volunteering",
    "money",
    "living_conditions",
    "social_relationships",
    "mental_wellbeing",
)
DELIVERY_MODES: tuple[str, ...] = ("in_person", "phone", "online")
COST_LEVELS: tuple[str, ...] = ("free", "low_cost", "paid")

# Column order of the contract CSV (section 2). Export writes these, in this order.
CSV_COLUMNS: tuple[str, ...] = (
    "id", "name", "organisation", "description", "categories", "domains", "support_types", "languages",
    "interpreter_available", "min_age", "max_age", "gender", "delivery", "cost", "address",
    "postcode", "latitude", "longitude", "wheelchair_accessible", "schedule", "phone", "email",
    "website", "last_verified", "status",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "name", "description", "delivery")

_LANG_RE = re.compile(r"^[a-z]{2}$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")


class Loaded(list):
    """Listings read from a file (a plain list of `Resource`), with the warnings a person should
    see before importing them: things the file says that Signpost could not use as they are
    (e.g. a venue without usable coordinates, imported as inactive), and why a valid file gives
    nothing to import. Warnings never stop an import; errors (`InputError`) always do."""

    def __init__(self, resources: Iterable[Resource] = (), warnings: Iterable[ValidationIssue] = ()):
        super().__init__(resources)
        self.warnings: list[ValidationIssue] = list(dict.fromkeys(warnings))


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(";") if p.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _choices(value: Any, allowed: tuple[str, ...], what: str) -> list[str]:
    """A `;`-list (or list) of keys, lower-cased, each once; an unknown one is named with the allowed."""
    items = _dedupe([x.lower() for x in _split(value)])
    bad = [x for x in items if x not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {', '.join(repr(b) for b in bad)}; use {', '.join(allowed)}")
    return items


def _as_written(value: Any, parse, not_a: str) -> Any:
    """A number given as text is read as written (ASCII digits); True/False is not a number."""
    if isinstance(value, bool):
        raise ValueError(not_a)
    if isinstance(value, str):
        return parse(value) if value.strip() else None
    return value


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


class Resource(BaseModel):
    """A listing: an activity or service, exactly the columns of contract section 2."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)

    id: str
    name: str
    organisation: str = ""
    description: str
    categories: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    # Support-type keys (directory/support_types.py) a curator set; blank: inferred from the text.
    support_types: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["en"])
    interpreter_available: bool = False
    min_age: int | None = None
    max_age: int | None = None
    gender: Literal["female", "male"] | None = None
    delivery: list[str]
    cost: Literal["free", "low_cost", "paid"] | None = None
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    wheelchair_accessible: bool | None = None
    schedule: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    last_verified: dt.date | None = None
    status: Literal["active", "inactive"] = "active"
    # Columns a publisher sent that the contract does not name: kept, exported back, never lost.
    extra: dict[str, str] = Field(default_factory=dict)

    # ---- field rules -------------------------------------------------------------------------
    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("is required")
        if not _ID_RE.match(v):
            raise ValueError(
                f"'{v}' is not a usable id: use letters, digits, '.', '_', ':' or '-' (at most 128)"
            )
        return v

    @field_validator("name", "description")
    @classmethod
    def _required_text(cls, v: str, info) -> str:
        v = clean_text(v, multiline=info.field_name == "description").strip()
        if not v:
            raise ValueError("is required")
        return v

    @field_validator("organisation", "address", "postcode", "schedule", "phone", "email", "website")
    @classmethod
    def _text(cls, v: str) -> str:
        return clean_text(v or "").strip()

    @field_validator("categories", mode="before")
    @classmethod
    def _categories(cls, v: Any) -> list[str]:
        return _dedupe([clean_text(c).strip() for c in _split(v)])

    @field_validator("domains", mode="before")
    @classmethod
    def _domains(cls, v: Any) -> list[str]:
        return _choices(v, DOMAINS, "domain")

    @field_validator("support_types", mode="before")
    @classmethod
    def _support_types(cls, v: Any) -> list[str]:
        keys = support_vocab.parse_keys(v)
        bad = support_vocab.unknown_keys(keys)
        if bad:
            raise ValueError(support_vocab.unknown_message(bad))
        return keys

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, v: Any) -> list[str]:
        items = _dedupe([x.lower() for x in _split(v)])
        if not items:
            return ["en"]  # contract: blank means en
        bad = [x for x in items if not _LANG_RE.match(x)]
        if bad:
            raise ValueError(f"{', '.join(repr(b) for b in bad)} is not a two-letter ISO 639-1 language code")
        return items

    @field_validator("delivery", mode="before")
    @classmethod
    def _delivery(cls, v: Any) -> list[str]:
        items = _choices(v, DELIVERY_MODES, "delivery")
        if not items:
            raise ValueError("is required: one or more of in_person, phone, online")
        return [m for m in DELIVERY_MODES if m in items]

    @field_validator("min_age", "max_age", mode="before")
    @classmethod
    def _age_as_written(cls, v: Any) -> Any:
        return _as_written(v, strict_int, "is not a whole number of years")

    @field_validator("latitude", "longitude", mode="before")
    @classmethod
    def _coordinate_as_written(cls, v: Any) -> Any:
        return _as_written(v, strict_float, "is not a number")

    @field_validator("last_verified")
    @classmethod
    def _verified_past(cls, v: dt.date | None) -> dt.date | None:
        return not_in_future(v)

    @field_validator("extra")
    @classmethod
    def _extra(cls, v: dict[str, str]) -> dict[str, str]:
        return {clean_text(str(k)): clean_text(str(x), multiline=True) for k, x in v.items()}

    @field_validator("min_age", "max_age")
    @classmethod
    def _age(cls, v: int | None) -> int | None:
        if v is not None and not 0 <= v <= 130:
            raise ValueError(f"{v} is not an age in years (0-130)")
        return v

    @field_validator("latitude", "longitude")
    @classmethod
    def _coordinate(cls, v: float | None, info) -> float | None:
        limit = 90 if info.field_name == "latitude" else 180
        if v is not None and not (math.isfinite(v) and -limit <= v <= limit):
            raise ValueError(f"{v} is not a {info.field_name} (-{limit} to {limit})")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Resource:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"min_age {self.min_age} is greater than max_age {self.max_age}")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude must be given together")
        if "in_person" in self.delivery and self.latitude is None and self.status == "active":
            # An inactive listing is never offered (contract section 4, rule 1), so it may wait,
            # unplaced, for a curator to set where it meets; it cannot be made active before that.
            raise ValueError("an in_person listing needs latitude and longitude of where it meets, "
                             "unless it is inactive")
        return self

    # ---- helpers -------------------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def content(self) -> dict[str, Any]:
        """The listing's own facts, without storage metadata, JSON-friendly."""
        return self.model_dump(mode="json")


# Which model error belongs to which column, for cross-field rules.
_MODEL_RULE_COLUMN = (
    ("min_age", "min_age"),
    ("latitude and longitude", "latitude"),
    ("in_person listing", "latitude"),
)


def issues_from_error(err: ValidationError, row: int | str | None) -> list[ValidationIssue]:
    """Turn pydantic's error into issues that name the row, the column and the problem."""
    out: list[ValidationIssue] = []
    for e in err.errors():
        loc = [str(p) for p in e.get("loc", ()) if not isinstance(p, int)]
        column = loc[0] if loc else None
        msg = e.get("msg", "is invalid")
        msg = msg.removeprefix("Value error, ")
        if column is None:
            for needle, col in _MODEL_RULE_COLUMN:
                if needle in msg:
                    column = col
                    break
        etype = e.get("type", "")
        value = e.get("input")
        if etype == "missing":
            msg = "is required"
        elif etype.startswith(("int_", "float_")):
            msg = f"'{value}' is not a number" if etype.endswith("parsing") else msg
        elif etype == "literal_error":
            msg = f"'{value}' is not allowed: {msg.removeprefix('Input should be ')}"
        elif etype.startswith("bool"):
            msg = f"'{value}' is not true or false"
        elif etype.startswith("date"):
            msg = f"'{value}' is not a date (use YYYY-MM-DD)"
        elif etype == "extra_forbidden":
            msg = "is not a field of a listing"
        out.append(ValidationIssue(row, column, msg))
    return out


def _parse_bool(value: str) -> bool | None | str:
    v = value.strip().lower()
    if v == "":
        return None
    if v in ("true", "yes", "y", "1"):
        return True
    if v in ("false", "no", "n", "0"):
        return False
    return value  # let validation report it


def resource_from_row(row: dict[str, str], rownum: int | str | None = None) -> tuple[Resource | None, list[ValidationIssue]]:
    """Build a Resource from a contract CSV row (all strings). Unknown columns go to `extra`."""
    data: dict[str, Any] = {}
    extra: dict[str, str] = {}
    issues: list[ValidationIssue] = []
    for key, raw in row.items():
        if key is None:
            issues.append(ValidationIssue(rownum, None, "has more cells than the header has columns"))
            continue
        value = "" if raw is None else str(raw)
        if key not in CSV_COLUMNS:
            if value != "":
                extra[key] = value
            continue
        stripped = value.strip()
        if key in ("min_age", "max_age"):
            if stripped:
                try:
                    data[key] = strict_int(stripped)
                except ValueError:
                    issues.append(ValidationIssue(rownum, key, f"'{for_terminal(stripped)}' is not a whole number "
                                                               "of years"))
        elif key in ("latitude", "longitude"):
            if stripped:
                try:
                    data[key] = strict_float(stripped)
                except ValueError as err:
                    issues.append(ValidationIssue(rownum, key, str(err)))
        elif key in ("interpreter_available", "wheelchair_accessible"):
            b = _parse_bool(stripped)
            if b is None:
                data[key] = False if key == "interpreter_available" else None
            else:
                data[key] = b
        elif key in ("gender", "cost"):
            data[key] = stripped.lower() or None
        elif key == "status":
            data[key] = stripped.lower() or "active"
        elif key == "last_verified":
            data[key] = stripped or None
        else:
            data[key] = value
    if extra:
        data["extra"] = extra
    for col in REQUIRED_COLUMNS:
        data.setdefault(col, "")
    try:
        resource = Resource.model_validate(data)
    except ValidationError as err:
        skip = {i.column for i in issues}
        issues.extend(i for i in issues_from_error(err, rownum) if i.column not in skip or i.column is None)
        return None, issues
    if issues:
        return None, issues
    return resource, []


def _fmt_float(v: float | None) -> str:
    # repr is the shortest text that reads back as the same float: export → import is exact.
    return "" if v is None else repr(float(v))


def resource_to_row(r: Resource) -> dict[str, str]:
    """The contract CSV row for a listing (strings only; the inverse of `resource_from_row`)."""

    def b(v: bool | None) -> str:
        return "" if v is None else ("true" if v else "false")

    row = {
        "id": r.id,
        "name": r.name,
        "organisation": r.organisation,
        "description": r.description,
        "categories": ";".join(r.categories),
        "domains": ";".join(r.domains),
        "support_types": ";".join(r.support_types),
        "languages": ";".join(r.languages),
        "interpreter_available": b(r.interpreter_available),
        "min_age": "" if r.min_age is None else str(r.min_age),
        "max_age": "" if r.max_age is None else str(r.max_age),
        "gender": r.gender or "",
        "delivery": ";".join(r.delivery),
        "cost": r.cost or "",
        "address": r.address,
        "postcode": r.postcode,
        "latitude": _fmt_float(r.latitude),
        "longitude": _fmt_float(r.longitude),
        "wheelchair_accessible": b(r.wheelchair_accessible),
        "schedule": r.schedule,
        "phone": r.phone,
        "email": r.email,
        "website": r.website,
        "last_verified": r.last_verified.isoformat() if r.last_verified else "",
        "status": r.status,
    }
    row.update(r.extra)
    return row


def validate_resource(data: dict[str, Any], row: int | str | None = None) -> tuple[Resource | None, list[ValidationIssue]]:
    """Validate a listing given as typed values (a form, an HSDS mapping)."""
    try:
        return Resource.model_validate(data), []
    except ValidationError as err:
        return None, issues_from_error(err, row)


def reactivated(resource: Resource) -> Resource:
    """The listing made active again, validated as any active listing is: an in-person listing
    still waiting for its coordinates cannot be offered to anyone, so it is refused (InputError
    naming latitude) until a curator sets where it meets."""
    data = resource.model_dump()
    data["status"] = "active"
    active, issues = validate_resource(data)
    if active is None:
        raise InputError([
            ValidationIssue(None, i.column, f"listing {resource.id} cannot be reactivated: it meets in person but has "
                                            "no latitude and longitude; set where it meets first")
            if i.column == "latitude" else
            ValidationIssue(None, i.column, f"listing {resource.id} cannot be reactivated: {i.message}")
            for i in issues])
    return active
