"""The app's Streamlit settings: nothing about a person leaves the machine by default."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from .conftest import ROOT


def test_usage_statistics_off_and_served_to_this_computer_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    # A named address: no LAN exposure by default, and no external-IP lookup at start.
    assert config["server"]["address"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"  # no tracebacks (with values) shown to users


def test_no_file_watching_and_only_loopback_host_names():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    # It watched .venv and filled the log with "Inotify queue overflowed" (app issue item 16).
    assert config["server"]["fileWatcherType"] == "none"
    # DNS rebinding: a page under another name that resolves to 127.0.0.1 gets no app connection.
    assert config["server"]["allowedHosts"] == ["localhost", "127.0.0.1", "::1"]


def test_streamlit_reads_these_settings_as_its_own():
    """The option names are Streamlit's (a misspelt one would be ignored): `streamlit config show`
    run here reports them as set."""
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120).stdout
    assert '\nfileWatcherType = "none"\n' in shown
    hosts = shown.split("\nallowedHosts = ")[1].split("]")[0] + "]"
    assert [h.strip(' "\n') for h in hosts.strip("[]").split(",") if h.strip()] == ["localhost", "127.0.0.1", "::1"]
