"""The listing form shared by "add" and "edit": the contract's columns as labelled widgets.

The form's values become a contract CSV row of strings and are validated by
`directory.curation.validate_fields`, the same rule as an import, so the form never accepts what
an import would refuse. Errors are kept in session state and shown under the field they name.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from directory.languages import language_name
from directory.records import COST_LEVELS, DELIVERY_MODES, DOMAINS
from pages import ui

GENDER_CHOICES = ["", "female", "male"]
GENDER_WORDS = {"": "Anyone", "female": "Women only", "male": "Men only"}
COST_CHOICES = ["", *COST_LEVELS]
COST_LABELS = {"": "Not stated", "free": "Free", "low_cost": "Low cost", "paid": "Paid"}
WHEELCHAIR_CHOICES = ["", "true", "false"]
WHEELCHAIR_WORDS = {"": "Not stated", "true": "Yes", "false": "No"}

LIST_SPLIT = ";"


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(LIST_SPLIT) if p.strip()]


def load(prefix: str, fields: dict[str, str]) -> None:
    """Put a listing's values (its CSV row) into the form's widgets."""
    ss = st.session_state
    for col in ("id", "name", "organisation", "description", "categories", "min_age", "max_age", "address",
                "postcode", "latitude", "longitude", "schedule", "phone", "email", "website", "last_verified"):
        ss[prefix + col] = fields.get(col, "")
    ss[prefix + "categories"] = "; ".join(_split(fields.get("categories", "")))
    ss[prefix + "domains"] = [d for d in _split(fields.get("domains", "")) if d in DOMAINS]
    langs = _split(fields.get("languages", "")) or ["en"]
    ss[prefix + "languages"] = [language_name(c) for c in langs]
    ss[prefix + "delivery"] = [m for m in _split(fields.get("delivery", "")) if m in DELIVERY_MODES]
    ss[prefix + "interpreter_available"] = fields.get("interpreter_available", "") == "true"
    ss[prefix + "gender"] = fields.get("gender", "") if fields.get("gender", "") in GENDER_CHOICES else ""
    ss[prefix + "cost"] = fields.get("cost", "") if fields.get("cost", "") in COST_CHOICES else ""
    wheel = fields.get("wheelchair_accessible", "")
    ss[prefix + "wheelchair_accessible"] = wheel if wheel in WHEELCHAIR_CHOICES else ""
    ss[prefix + "status"] = fields.get("status", "active") or "active"


def read(prefix: str) -> dict[str, str]:
    """The form's values as a contract CSV row (strings; lists joined with ';')."""
    ss = st.session_state
    out: dict[str, str] = {}
    for col in ("id", "name", "organisation", "description", "categories", "min_age", "max_age", "address",
                "postcode", "latitude", "longitude", "schedule", "phone", "email", "website", "last_verified"):
        out[col] = str(ss.get(prefix + col, "") or "")
    out["domains"] = ";".join(ss.get(prefix + "domains", []))
    out["languages"] = ";".join(ui.language_codes(ss.get(prefix + "languages", [])))
    out["delivery"] = ";".join(ss.get(prefix + "delivery", []))
    out["interpreter_available"] = "true" if ss.get(prefix + "interpreter_available") else "false"
    out["gender"] = ss.get(prefix + "gender", "")
    out["cost"] = ss.get(prefix + "cost", "")
    out["wheelchair_accessible"] = ss.get(prefix + "wheelchair_accessible", "")
    out["status"] = ss.get(prefix + "status", "active")
    return out


def _err(errors: dict[str, list[str]], *cols: str) -> None:
    for col in cols:
        for msg in errors.get(col, []):
            st.error(f"{col}: {msg}", icon=":material/error:")


def render(prefix: str, errors: dict[str, list[str]], *, new: bool) -> None:
    """Lay out the widgets (inside the caller's st.form), each followed by its errors."""
    if errors.get(""):
        for msg in errors[""]:
            st.error(msg)
    if new:
        st.text_input("Id (stable, unique: letters, digits, . _ : -)", key=prefix + "id")
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
        c.text_input("Latitude (decimal degrees)", key=prefix + "latitude")
        d.text_input("Longitude (decimal degrees)", key=prefix + "longitude")
        _err(errors, "latitude", "longitude")
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


def issues_by_column(issues: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for issue in issues:
        out.setdefault(issue.column or "", []).append(issue.message)
    return out
