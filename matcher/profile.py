"""The needs profile: what a person needs, can reach and can afford (contracts/README.md section 3).

A profile enters as JSON (a file, a form, a line of a batch) and leaves this module as a validated
`NeedsProfile`; every problem becomes an `InputError` whose issues name the field
("needs.lifestyle", "age", "location"), so the CLI can exit 2 and the app can point at the widget.
Inner code trusts a `NeedsProfile`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from directory.inputs import MB, decode_utf8, for_terminal, read_bounded, stdin_bytes
from directory.languages import LANGUAGE_NAMES, code_for_name
from directory.records import DOMAINS, InputError, ValidationIssue

from .geo import location_query, resolve_location

DIGITAL_ACCESS: tuple[str, ...] = ("none", "phone", "online")
COSTS: tuple[str, ...] = ("free", "low_cost", "paid")

Reading = Annotated[StrictInt, Field(ge=1, le=10)]


class Location(BaseModel):
    """Where the person is: coordinates, or a postcode, or a place name (exactly one form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    latitude: StrictFloat | None = None  # JSON numbers only: "55.86" or true is not a latitude
    longitude: StrictFloat | None = None
    postcode: str | None = None
    place: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Location:
        has_coords = self.latitude is not None or self.longitude is not None
        forms = sum([has_coords, self.postcode is not None, self.place is not None])
        if forms != 1:
            raise ValueError('give exactly one of {"latitude", "longitude"}, {"postcode"} or {"place"}')
        if has_coords:
            if self.latitude is None or self.longitude is None:
                raise ValueError("latitude and longitude must be given together")
            # The value is not repeated: where a person lives is theirs (see _message).
            if not (math.isfinite(self.latitude) and -90 <= self.latitude <= 90):
                raise ValueError("latitude is not between -90 and 90")
            if not (math.isfinite(self.longitude) and -180 <= self.longitude <= 180):
                raise ValueError("longitude is not between -180 and 180")
        for name in ("postcode", "place"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ValueError(f"{name} is empty")
        return self

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class NeedsProfile(BaseModel):
    """Contract section 3, field for field, with its defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    needs: dict[str, Reading] = Field(default_factory=dict)
    goals: str = ""
    conditions: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["en"])
    age: Annotated[StrictInt, Field(ge=0, le=130)] | None = None
    gender: Literal["female", "male", "other"] | None = None
    location: Location | None = None
    max_distance_km: Annotated[StrictFloat, Field(gt=0, allow_inf_nan=False)] = 5.0
    digital_access: Literal["none", "phone", "online"] = "online"
    needs_wheelchair_access: StrictBool = False
    max_cost: Literal["free", "low_cost", "paid"] = "paid"

    @field_validator("needs", mode="before")
    @classmethod
    def _needs_keys(cls, v: Any) -> Any:
        if isinstance(v, dict):
            bad = [k for k in v if k not in DOMAINS]
            if bad:
                raise ValueError(f"unknown needs domain {', '.join(repr(b) for b in bad)}; use {', '.join(DOMAINS)}")
        return v

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, v: Any) -> Any:
        if isinstance(v, list):
            codes = [x.strip().lower() if isinstance(x, str) else x for x in v]
            bad = [x for x in codes if not (isinstance(x, str) and x in LANGUAGE_NAMES)]
            if bad:
                raise ValueError(f"{len(bad)} of the languages given is not an ISO 639-1 code (two letters, e.g. en, ur, pl)")
            if not codes:
                raise ValueError("give at least one language the person can take part in")
            return list(dict.fromkeys(codes))
        return v

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, v: list[str]) -> list[str]:
        return [c.strip() for c in v if c.strip()]

    # ---- derived views -------------------------------------------------------------------------
    def need_weights(self) -> dict[str, float]:
        """Domain → weight in [0, 1]: a reading of 1 (greatest need) weighs 1, a reading of 10 (no need) 0."""
        return {d: (10 - r) / 9 for d, r in self.needs.items()}

    def needs_by_priority(self) -> list[tuple[str, int]]:
        """Needs, greatest first (lowest reading), ties in the contract's domain order."""
        return sorted(self.needs.items(), key=lambda kv: (kv[1], DOMAINS.index(kv[0])))


def _field_of(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) or '""' for p in loc]  # a key may be empty: it is still named
    if not parts:
        return None
    if parts[0] == "needs" and len(parts) > 1:
        return f"needs.{parts[1]}"
    if parts[0] == "location" and len(parts) > 1 and parts[1] in Location.model_fields:
        return f"location.{parts[1]}"
    if parts[0] in ("location", "languages", "conditions"):
        return parts[0]
    return parts[0]


_KINDS = {"string_type": "text (in quotes)", "list_type": "a list ([...])", "dict_type": "an object ({...})",
          "model_type": "an object ({...})"}


def _message(e: dict[str, Any]) -> str:
    """The problem in words. Values the person gave are not repeated: a profile is health information."""
    etype = e.get("type", "")
    msg = str(e.get("msg", "is invalid")).removeprefix("Value error, ")
    if etype == "extra_forbidden":
        loc = e.get("loc", ())
        if loc and loc[0] == "location":
            return f"'{loc[-1]}' is not part of a location; use latitude and longitude, postcode or place"
        return "is not a field of a needs profile"
    if etype == "literal_error":
        return f"is not allowed: {msg.removeprefix('Input should be ')}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if etype in ("float_type", "float_parsing"):
        return "must be a number (written without quotes)"
    if etype in ("bool_type", "bool_parsing"):
        return "must be true or false (without quotes)"
    if etype in ("string_type", "list_type", "dict_type", "model_type"):
        return f"must be {_KINDS[etype]}"
    if etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"is out of range: it should be {msg.removeprefix('Input should be ')}"
    if etype == "missing":
        return "is required"
    return msg


def parse_profile(data: Any) -> NeedsProfile:
    """Validate a profile given as a JSON object; raise InputError naming every bad field."""
    if isinstance(data, NeedsProfile):
        return data
    if not isinstance(data, dict):
        raise InputError([ValidationIssue(None, None, "a needs profile must be a JSON object")])
    issues: list[ValidationIssue] = []
    needs = data.get("needs")
    if isinstance(needs, dict):
        unknown = [k for k in needs if k not in DOMAINS]
        for key in unknown:
            issues.append(ValidationIssue(None, f"needs.{key}", f"is not a needs domain; use {', '.join(DOMAINS)}"))
        if unknown:
            data = {**data, "needs": {k: v for k, v in needs.items() if k in DOMAINS}}
    try:
        profile = NeedsProfile.model_validate(data)
    except ValidationError as err:
        for e in err.errors():
            issues.append(ValidationIssue(None, _field_of(e.get("loc", ())), _message(e)))
        raise InputError(issues) from None
    if issues:
        raise InputError(issues)
    return profile


def profile_from_form(values: dict[str, Any]) -> dict[str, Any]:
    """A form's values (keys: need_<domain>, goals, conditions, languages (names), age, gender,
    place, latitude, longitude, max_distance_km, digital_access, wheelchair, max_cost) → profile JSON."""
    needs = {d: int(values[f"need_{d}"]) for d in DOMAINS if values.get(f"need_{d}") is not None}
    conditions = [c.strip() for c in str(values.get("conditions") or "").replace(";", ",").split(",") if c.strip()]
    names = values.get("languages") or ["English"]
    languages = [code_for_name(n) or n for n in names]
    data: dict[str, Any] = {
        "needs": needs,
        "goals": str(values.get("goals") or "").strip(),
        "conditions": conditions,
        "languages": languages,
        "max_distance_km": float(values.get("max_distance_km") or 5),
        "digital_access": values.get("digital_access") or "online",
        "needs_wheelchair_access": bool(values.get("wheelchair")),
        "max_cost": values.get("max_cost") or "paid",
    }
    if values.get("age") is not None:
        data["age"] = int(values["age"])
    if values.get("gender"):
        data["gender"] = values["gender"]
    loc = location_query(values.get("place"), values.get("latitude"), values.get("longitude"))
    if loc is not None:
        data["location"] = loc
    return data


# A batch of profiles is small text: 10,000 profiles of 2 KB each.
MAX_PROFILE_BYTES = 20 * MB


def read_profiles(source: str) -> list[NeedsProfile]:
    """Every profile of a .json file, a .jsonl file or stdin ('-'), validated, the file read through a
    bounded reader; InputError names line and field."""
    if source == "-":
        text = decode_utf8(stdin_bytes(MAX_PROFILE_BYTES), "standard input")
        name = "standard input"
    else:
        text = decode_utf8(read_bounded(source, MAX_PROFILE_BYTES, "profile file"), Path(source).name)
        name = Path(source).name
    batch = source.lower().endswith(".jsonl")
    if source == "-" and _json_or_none(text) is None:
        batch = True  # not one JSON document: read it as one profile a line
    if not batch:
        return [_parse_one(text, None, name)]
    profiles: list[NeedsProfile] = []
    issues: list[ValidationIssue] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            profiles.append(_parse_one(line, lineno, name))
        except InputError as err:
            issues.extend(err.issues)
    if issues:
        raise InputError(issues)
    if not profiles:
        raise InputError.one(f"{name} holds no profiles")
    return profiles


def _json_or_none(text: str) -> Any:
    try:
        return load_json(text, "input")
    except InputError:
        return None


def load_json(text: str, name: str, row: int | None = None) -> Any:
    """JSON text → value, refusing what is not one plain JSON document: nesting that exhausts the
    parser, duplicate keys."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise InputError.one(f"duplicate key '{for_terminal(key)}' in {name}", row, key)
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise InputError.one(f"{name} is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})",
                             row) from None
    except ValueError:  # a number of more digits than Python converts (4,300): no profile holds one
        raise InputError.one(f"{name} holds a number too long to be read: not a profile", row) from None
    except RecursionError:
        raise InputError.one(f"{name} is nested too deeply: not a profile", row) from None


def _parse_one(text: str, lineno: int | None, name: str) -> NeedsProfile:
    data = load_json(text, name, lineno)
    try:
        profile = parse_profile(data)
        resolve_location(profile.location)  # an unknown place is bad input, found before any answer
    except InputError as err:
        raise InputError([ValidationIssue(lineno, i.column, i.message) for i in err.issues]) from None
    return profile
