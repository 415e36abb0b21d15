"""The link worker's profile form, turned into a needs profile (contract section 3).

Plain functions over the form's values, so tests reach them without a browser. The values live in
st.session_state only; nothing here logs, prints or stores them.
"""

from __future__ import annotations

from typing import Any

from directory.languages import code_for_name
from directory.records import DOMAINS
from matcher.geo import postcode_district

NEED_CHOICES: list[int | None] = [None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
GENDER_CHOICES: list[str | None] = [None, "female", "male", "other"]
GENDER_WORDS = {None: "Not given", "female": "Woman", "male": "Man", "other": "Other / prefer to self-describe"}
DIGITAL_CHOICES = ["online", "phone", "none"]
DIGITAL_WORDS = {"online": "Phone + internet", "phone": "Phone only", "none": "Neither"}
COST_CHOICES = ["paid", "low_cost", "free"]
COST_WORDS = {"paid": "Can pay", "low_cost": "Low cost or free", "free": "Free only"}

# Which widget a profile field's error belongs next to.
FIELD_LABELS = {
    "needs": "Needs", "goals": "What matters to them", "conditions": "Conditions", "languages": "Languages",
    "age": "Age", "gender": "Gender", "location": "Where they live", "max_distance_km": "How far they can travel",
    "digital_access": "Phone and internet", "needs_wheelchair_access": "Wheelchair access",
    "max_cost": "What they can afford",
}


def need_label(value: int | None) -> str:
    if value is None:
        return "Not a need"
    if value == 1:
        return "1 greatest"
    if value == 10:
        return "10 none"
    return str(value)


def location_of(place: str, latitude: float | None, longitude: float | None) -> dict[str, Any] | None:
    """A postcode, a place name or coordinates, in that order of preference; None when nothing was given."""
    place = (place or "").strip()
    if place:
        return {"postcode": place} if postcode_district(place) else {"place": place}
    if latitude is not None or longitude is not None:
        return {"latitude": latitude, "longitude": longitude}
    return None


def profile_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values (keys: need_<domain>, goals, conditions, languages (names), age, gender,
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
    loc = location_of(values.get("place") or "", values.get("latitude"), values.get("longitude"))
    if loc is not None:
        data["location"] = loc
    return data


def field_label(column: str | None) -> str:
    if not column:
        return "Profile"
    head = column.split(".")[0]
    if head == "needs" and "." in column:
        return f"Need: {column.split('.', 1)[1].replace('_', ' ')}"
    return FIELD_LABELS.get(head, column)
