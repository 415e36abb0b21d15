"""One person at a time on Find support: a 'New person' action, and the profile forgotten after a set
idle time (SIGNPOST_IDLE_MINUTES, default 20), saying so.

Everything about the person lives under session keys starting with `fs_` (the form, the results,
the shortlist, the plan); forgetting deletes them all, so the next person's form starts blank.
"""

from __future__ import annotations

import os
import time
from collections.abc import MutableMapping
from typing import Any

IDLE_ENV = "SIGNPOST_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 20.0
PREFIX = "fs_"
_LAST_SEEN = "person_last_seen"
NOTICE = "person_notice"


def idle_minutes() -> float:
    """The idle time after which a profile is forgotten; a bad or non-positive value is the default."""
    try:
        value = float(os.environ.get(IDLE_ENV, "") or DEFAULT_IDLE_MINUTES)
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return value if value > 0 else DEFAULT_IDLE_MINUTES


# Keys whose value (when set) says something about a person; the rest are the form's defaults.
_PERSONAL = ("fs_recs", "fs_shortlist", "fs_goals", "fs_conditions", "fs_place", "fs_lat", "fs_lon", "fs_age",
             "fs_gender", "fs_first_name", "fs_next_step", "fs_keyword")


def holds_a_person(state: MutableMapping[str, Any]) -> bool:
    """Something about a person is held: words, a place, a rated need, results or a shortlist."""
    if any(state.get(k) not in (None, "", {}, []) for k in _PERSONAL):
        return True
    return any(str(k).startswith(PREFIX + "need_") and state.get(k) is not None for k in state.keys())


# The form's widgets as a blank form holds them. They are set (not deleted) when a person is forgotten:
# a browser keeps showing a widget's last value unless the server sends it a new one.
FORM_DEFAULTS: dict[str, Any] = {
    "fs_goals": "", "fs_conditions": "", "fs_languages": ["English"], "fs_age": None, "fs_gender": None,
    "fs_place": "", "fs_lat": None, "fs_lon": None, "fs_km": 5.0, "fs_digital": "online", "fs_cost": "paid",
    "fs_wheelchair": False, "fs_keyword": "", "fs_days": [], "fs_support_types": [],
    "fs_free_only": False, "fs_first_name": "",
    "fs_contact": "", "fs_next_step": "", "fs_show_plan": False, "fs_large_print": False,
}


def form_defaults(domains) -> dict[str, Any]:
    return {**FORM_DEFAULTS, **{f"fs_need_{d}": None for d in domains}}


def init_form(state: MutableMapping[str, Any], domains) -> None:
    """Give every widget of the form its blank value unless it holds one (widgets take no default of their own)."""
    for key, value in form_defaults(domains).items():
        if key not in state:
            state[key] = list(value) if isinstance(value, list) else value


def forget_person(state: MutableMapping[str, Any], notice: str | None = None) -> None:
    """Forget everything about the person (every `fs_` key), the form's widgets set back to blank;
    leave `notice` to be shown once."""
    from directory.records import DOMAINS

    for key in [k for k in state.keys() if str(k).startswith(PREFIX)]:
        del state[key]
    init_form(state, DOMAINS)
    if notice:
        state[NOTICE] = notice
    else:
        state.pop(NOTICE, None)


def new_person(state: MutableMapping[str, Any] | None = None) -> None:
    """The 'New person' button: a blank form, no results, no shortlist, no plan."""
    if state is None:
        import streamlit as st

        state = st.session_state
    forget_person(state, "Ready for a new person: the last person's details, results and plan are cleared.")


def forget_if_idle(state: MutableMapping[str, Any], now: float | None = None,
                   minutes: float | None = None) -> bool:
    """On each run: when the page sat idle longer than the idle time, forget the person and say so.
    True when it forgot."""
    now = time.time() if now is None else now
    limit = (idle_minutes() if minutes is None else minutes) * 60
    last = state.get(_LAST_SEEN)
    state[_LAST_SEEN] = now
    if last is None or now - last <= limit:
        return False
    if not holds_a_person(state):
        forget_person(state)
        return False
    forget_person(state, f"The last person's details were cleared after {limit / 60:g} minutes without use, "
                         "so that the next person never sees them.")
    return True
