"""The listing form shared by "add" and "edit": the contract's columns as labelled widgets.

The form's values become a contract CSV row of strings and are validated by
`directory.curation.validate_fields`, the same rule as an import, so the form never accepts what
an import would refuse. Errors are kept in session state and shown under the field they name.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import ui
from directory.languages import language_name
from directory.records import COST_LEVELS, DELIVERY_MODES, DOMAINS
from directory.support_types import SUPPORT_TYPE_KEYS
from directory.support_types import label as support_label
from directory.vocabulary import LISTING_COST_WORDS, OPEN_TO_WORDS, YES_NO_WORDS

GENDER_CHOICES = ["", "female", "male"]
GENDER_WORDS = OPEN_TO_WORDS
COST_CHOICES = ["", *COST_LEVELS]
COST_LABELS = LISTING_COST_WORDS
WHEELCHAIR_CHOICES = ["", "true", "false"]
WHEELCHAIR_WORDS = YES_NO_WORDS

LIST_SPLIT = ";"


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(LIST_SPLIT) if p.strip()]


TEXT_COLUMNS = ("id", "name", "organisation", "description", "categories", "min_age", "max_age", "address",
                "postcode", "latitude", "longitude", "schedule", "phone", "email", "website", "last_verified")
WIDGET_COLUMNS = (*TEXT_COLUMNS, "domains", "support_types", "languages", "delivery", "interpreter_available", "gender", "cost",
                  "wheelchair_accessible", "status")


def widget_values(fields: dict[str, str]) -> dict[str, Any]:
    """A listing's values (its CSV row) as the form's widgets hold them, by column."""
    out: dict[str, Any] = {col: fields.get(col, "") for col in TEXT_COLUMNS}
    out["categories"] = "; ".join(_split(fields.get("categories", "")))
    out["domains"] = [d for d in _split(fields.get("domains", "")) if d in DOMAINS]
    out["support_types"] = [k for k in _split(fields.get("support_types", "")) if k in SUPPORT_TYPE_KEYS]
    langs = _split(fields.get("languages", "")) or ["en"]
    out["languages"] = [language_name(c) for c in langs]
    out["delivery"] = [m for m in _split(fields.get("delivery", "")) if m in DELIVERY_MODES]
    out["interpreter_available"] = fields.get("interpreter_available", "") == "true"
    out["gender"] = fields.get("gender", "") if fields.get("gender", "") in GENDER_CHOICES else ""
    out["cost"] = fields.get("cost", "") if fields.get("cost", "") in COST_CHOICES else ""
    wheel = fields.get("wheelchair_accessible", "")
    out["wheelchair_accessible"] = wheel if wheel in WHEELCHAIR_CHOICES else ""
    out["status"] = fields.get("status", "active") or "active"
    return out


def row_of(values: dict[str, Any]) -> dict[str, str]:
    """Widget values (by column) as a contract CSV row (strings; lists joined with ';')."""
    out: dict[str, str] = {col: str(values.get(col, "") or "") for col in TEXT_COLUMNS}
    out["domains"] = ";".join(values.get("domains", []))
    out["support_types"] = ";".join(values.get("support_types", []))
    out["languages"] = ";".join(ui.language_codes(values.get("languages", [])))
    out["delivery"] = ";".join(values.get("delivery", []))
    out["interpreter_available"] = "true" if values.get("interpreter_available") else "false"
    out["gender"] = values.get("gender", "")
    out["cost"] = values.get("cost", "")
    out["wheelchair_accessible"] = values.get("wheelchair_accessible", "")
    out["status"] = values.get("status", "active")
    return out


def as_form(fields: dict[str, str]) -> dict[str, str]:
    """A listing's values exactly as `read` would return them once loaded: comparable with an edit."""
    return row_of(widget_values(fields))


def load(prefix: str, fields: dict[str, str]) -> None:
    """Put a listing's values (its CSV row) into the form's widgets."""
    for col, value in widget_values(fields).items():
        st.session_state[prefix + col] = value


def read(prefix: str) -> dict[str, str]:
    """The form's values as a contract CSV row (strings; lists joined with ';')."""
    ss = st.session_state
    return row_of({col: ss[prefix + col] for col in WIDGET_COLUMNS if prefix + col in ss})


def _err(errors: dict[str, list[str]], *cols: str) -> None:
    for col in cols:
        for msg in errors.get(col, []):
            st.error(f"{col}: {ui.text(msg)}", icon=":material/error:")


def render(prefix: str, errors: dict[str, list[str]], *, new: bool) -> None:
    """Lay out the widgets (inside the caller's st.form), each followed by its errors."""
    if errors.get(""):
        for msg in errors[""]:
            st.error(ui.text(msg))
    if new:
        st.text_input("Id (leave blank to make one from the name)", key=prefix + "id",
                      help="Stable and unique: letters, digits, . _ : -")
        _err(errors, "id")
    st.text_input("Name of the activity or service", key=prefix + "name")
    _err(errors, "name")
    st.text_input("Organisation that runs it", key=prefix + "organisation")
    _err(errors, "organisation")
    st.text_area("Description: what happens, who it is for, how to join", key=prefix + "description", height=110)
    _err(errors, "description")
    a, b = st.columns(2)
    with a:
        st.multiselect("Needs domains it meets (blank: inferred from the text)", DOMAINS, key=prefix + "domains",
                       format_func=ui.domain_label)
        _err(errors, "domains")
        st.multiselect("Kinds of support it gives (blank: inferred from the text)", SUPPORT_TYPE_KEYS,
                       key=prefix + "support_types", format_func=support_label,
                       help="From Signpost's vocabulary of support types (docs/support-types.md). Left blank, "
                            "matching reads them from the name and description.")
        _err(errors, "support_types")
        st.multiselect("Languages it is held in", ui.LANGUAGE_OPTIONS, key=prefix + "languages")
        _err(errors, "languages")
        st.checkbox("Interpreter available", key=prefix + "interpreter_available")
        st.text_input("Curator tags (separate with ;)", key=prefix + "categories")
        _err(errors, "categories")
    with b:
        st.multiselect("How it is delivered", DELIVERY_MODES, key=prefix + "delivery",
                       format_func=lambda m: ui.DELIVERY_WORDS[m].capitalize())
        _err(errors, "delivery")
        st.selectbox("Cost", COST_CHOICES, key=prefix + "cost", format_func=COST_LABELS.get)
        _err(errors, "cost")
        st.selectbox("Open to", GENDER_CHOICES, key=prefix + "gender", format_func=GENDER_WORDS.get)
        _err(errors, "gender")
        c, d = st.columns(2)
        c.text_input("Minimum age (years)", key=prefix + "min_age")
        d.text_input("Maximum age (years)", key=prefix + "max_age")
        _err(errors, "min_age", "max_age")
    a, b = st.columns(2)
    with a:
        st.text_input("Address where it meets", key=prefix + "address")
        st.text_input("Postcode", key=prefix + "postcode")
        _err(errors, "address", "postcode")
        c, d = st.columns(2)
        c.text_input("Latitude", key=prefix + "latitude", help="Decimal degrees; found from the postcode or "
                     "address if left blank, and yours to correct")
        d.text_input("Longitude", key=prefix + "longitude", help="Decimal degrees, negative west of Greenwich")
        _err(errors, "latitude", "longitude")
        st.form_submit_button("Find the place from the postcode or address", icon=":material/pin_drop:",
                              on_click=place_from_postcode, args=(prefix,))
        if st.session_state.get(prefix + "placed"):
            st.caption(ui.text(st.session_state[prefix + "placed"]))
        st.selectbox("Wheelchair accessible", WHEELCHAIR_CHOICES, key=prefix + "wheelchair_accessible",
                     format_func=WHEELCHAIR_WORDS.get)
        _err(errors, "wheelchair_accessible")
    with b:
        st.text_input("When it meets (e.g. Tuesdays 10:00-12:00)", key=prefix + "schedule")
        st.text_input("Phone", key=prefix + "phone")
        st.text_input("E-mail", key=prefix + "email")
        st.text_input("Website", key=prefix + "website")
        _err(errors, "schedule", "phone", "email", "website")
        c, d = st.columns(2)
        c.text_input("Last verified (YYYY-MM-DD)", key=prefix + "last_verified")
        _err(errors, "last_verified")
        d.selectbox("Status", ["active", "inactive"], key=prefix + "status")
        _err(errors, "status")


def place_from_postcode(prefix: str) -> None:
    """Fill the coordinates from the postcode or the address (the offline gazetteer): run as a callback,
    before the widgets are drawn, so they show the values."""
    from matcher.placing import place_listing

    ss = st.session_state
    found = place_listing(ss.get(prefix + "postcode", ""), ss.get(prefix + "address", ""))
    if found is None:
        ss[prefix + "placed"] = "No place found for that postcode or address: type the coordinates."
        return
    ss[prefix + "latitude"], ss[prefix + "longitude"] = str(found[0]), str(found[1])
    ss[prefix + "placed"] = f"Placed from the {found[2]}: check it and correct it if needed."


def fill_place(fields: dict[str, str]) -> dict[str, str]:
    """A listing meeting in person with blank coordinates, placed from its postcode or address."""
    from matcher.placing import place_listing

    if "in_person" not in fields.get("delivery", "") or fields.get("latitude") or fields.get("longitude"):
        return fields
    found = place_listing(fields.get("postcode", ""), fields.get("address", ""))
    return fields if found is None else {**fields, "latitude": str(found[0]), "longitude": str(found[1])}


def issues_by_column(issues: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for issue in issues:
        out.setdefault(issue.column or "", []).append(issue.message)
    return out
