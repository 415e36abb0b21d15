"""The app's Streamlit settings: nothing about a person leaves the machine by default."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_usage_statistics_off_and_served_to_this_computer_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    # A named address: no LAN exposure by default, and no external-IP lookup at start.
    assert config["server"]["address"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"  # no tracebacks (with values) shown to users
