"""Nothing about a person is logged or stored (DESIGN.md, Privacy; issue "Shared deployment").

A needs profile with words no listing holds (goals, a condition, a postcode, a place, coordinates,
the caller's id) goes through every path that matches: the recommender, `signpost match` in a
process of its own, the link worker's Find support (form, results, shortlist, plan) and the GP
preview in Streamlit's AppTest. All the while every logger, the root's and every library's
(Streamlit, transformers, sentence-transformers, SQLAlchemy, ...), is at DEBUG and captured, as
are standard output and error and Python warnings. None of the person's words may appear in any
of it, nor in any file of the database and its index folder afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit.logger

import cli
from directory import accounts
from directory.accounts import SYSTEM
from directory.records import InputError
from directory.store import Store
from matcher.recommender import Recommender

from .app_fixtures import ROOT, app_directory, new_app

GOALS = "zebrafinch quiltmaking with my neighbour Ottoline"
CONDITION = "porphyria"
POSTCODE = "G53 7QX"  # district G53 is in the gazetteer; the full postcode is nowhere in the data
PLACE = "Dalmarnock"
LAT, LON = 55.86173, -4.30861
PROFILE_ID = "person-qx7731"
# Every form each of these might take in a log line or a file.
SECRETS = [GOALS, "zebrafinch", "quiltmaking", "Ottoline", CONDITION, POSTCODE, "G537QX", "55.86173", "4.30861",
           PROFILE_ID]


def profile(**location) -> dict:
    return {"id": PROFILE_ID, "needs": {"social_relationships": 2, "mental_wellbeing": 4}, "goals": GOALS,
            "conditions": [CONDITION, "type 2 diabetes"], "languages": ["en"], "age": 67, "gender": "female",
            "location": location or {"postcode": POSTCODE}, "max_distance_km": 8}


LOCATIONS = [{"postcode": POSTCODE}, {"place": PLACE}, {"latitude": LAT, "longitude": LON}]


class Capture(logging.Handler):
    """Every record, whole: message, arguments, extra fields and traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string must not hide its arguments
            message = f"{record.msg!r} % {record.args!r}"
        self.lines.append(f"{record.name} {record.levelname} {message} {record.__dict__!r} "
                          f"{logging.Formatter().formatException(record.exc_info) if record.exc_info else ''}")


def _loggers() -> dict[str, logging.Logger]:
    return {n: lg for n, lg in logging.Logger.manager.loggerDict.items() if isinstance(lg, logging.Logger)}


@contextmanager
def every_log_at_debug() -> Iterator[Capture]:
    """Root and every library logger at DEBUG, each with the capture handler; restored afterwards."""
    capture = Capture()
    logging.disable(logging.NOTSET)
    streamlit.logger.set_log_level("debug")
    saved = {}
    targets = {"": logging.getLogger(), **_loggers()}
    for name, lg in targets.items():
        saved[name] = (lg.level, lg.disabled)
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        lg.addHandler(capture)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield capture
        capture.lines.extend(f"warning {w.category.__name__} {w.message}" for w in caught)
        # a logger born during the flow that does not pass its records up would have escaped: none may
        for name, lg in _loggers().items():
            if name not in targets and not lg.propagate:
                raise AssertionError(f"logger {name} appeared during the flow and kept its records to itself")
    finally:
        for name, lg in targets.items():
            lg.removeHandler(capture)
            lg.setLevel(saved[name][0])
            lg.disabled = saved[name][1]
        streamlit.logger.set_log_level("info")


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.casefold() in text.casefold()]


def stored_leaks(folder: Path) -> dict[str, list[str]]:
    """Secrets found in the bytes of any file under `folder` (database, WAL, index, caches)."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits = [s for s in SECRETS if s.encode("utf-8") in data or s.encode("utf-16-le") in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


@pytest.fixture(scope="module")
def db_folder(tmp_path_factory) -> Iterator[Path]:
    """The app's directory in a folder of its own: the SQLite file, its WAL and the index beside it.
    One for the module, so that every later test also finds nothing left by the earlier ones."""
    folder = tmp_path_factory.mktemp("private") / "data"
    folder.mkdir()
    db = folder / "signpost.db"
    with Store(db) as s:
        s.import_resources(app_directory(), actor="test")
        accounts.add_user(s, SYSTEM, "lena", "link-worker-password-1", "link_worker")
        accounts.add_user(s, SYSTEM, "gail", "gp-password-1", "gp")
    with Recommender.open(str(db)):  # the index is built and saved before anyone types anything
        pass
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIGNPOST_DB", str(db))
        yield folder


def test_the_secrets_are_not_in_the_directory_to_begin_with(db_folder):
    text = json.dumps([r.content() for r in app_directory()])
    assert not leaks(text)
    assert not stored_leaks(db_folder)


def test_matching_logs_and_stores_nothing_of_the_profile(db_folder, capfd):
    db = str(db_folder / "signpost.db")
    with Recommender.open(db) as rec:
        rec.recommend(profile(), top_k=3)  # warm: every module and logger loaded
        with every_log_at_debug() as capture:
            logging.getLogger("sentence_transformers").debug("capture is live")
            answers = [rec.recommend(profile(**where), top_k=5) for where in LOCATIONS]
            rec.preview(f"{GOALS}, {CONDITION}", POSTCODE, ["en"], top_k=5)
            with pytest.raises(InputError):  # a bad profile: its error must not repeat it either
                rec.recommend(profile(latitude=155.86173, longitude=LON), top_k=3)
    out, err = capfd.readouterr()
    assert any("capture is live" in line for line in capture.lines)
    assert all(a.results for a in answers)
    assert not leaks("\n".join(capture.lines)), leaks("\n".join(capture.lines))
    assert not leaks(out + err)
    assert not stored_leaks(db_folder)


LOGGING_WRAPPER = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s %(args)s")
import cli
from cli import match_cmds, directory_cmds
from matcher import recommender, embedder, index  # every module, every logger
for lg in list(logging.Logger.manager.loggerDict.values()):
    if isinstance(lg, logging.Logger):
        lg.setLevel(logging.DEBUG); lg.disabled = False; lg.propagate = True
logging.getLogger("sentence_transformers").debug("capture is live")
sys.exit(cli.main(sys.argv[1:]))
"""


def test_signpost_match_logs_nothing_of_the_profile(db_folder, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batch = inbox / "people.jsonl"
    batch.write_text("\n".join(json.dumps(profile(**where)) for where in LOCATIONS) + "\n", "utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "debug", "HF_HUB_VERBOSITY": "debug",
           "PYTHONWARNINGS": "always"}
    db = str(db_folder / "signpost.db")
    done = subprocess.run([sys.executable, "-c", LOGGING_WRAPPER, "--db", db, "match", str(batch), "--json"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert "capture is live" in done.stderr
    assert not leaks(done.stderr), leaks(done.stderr)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == 3 and all(a["results"] for a in answers)
    # the answer carries the caller's reference (contract section 5) and nothing else of the person
    assert [a["profile_id"] for a in answers] == [PROFILE_ID] * 3
    assert leaks(done.stdout.replace(PROFILE_ID, "")) == []
    assert not stored_leaks(db_folder)


def test_a_bad_profile_is_reported_without_repeating_it(db_folder, tmp_path, capfd):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**profile(latitude=155.86173, longitude=LON), "age": 755}), "utf-8")
    # signpost match reads and checks every profile before it opens anything: in-process is the same run
    assert cli.main(["--db", str(db_folder / "signpost.db"), "match", str(bad)]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    assert "location" in err and "age" in err  # the fields are named ...
    assert "155.86173" not in err and "755" not in err  # ... their values are not repeated
    assert not leaks(err)


def sign_in(at, username: str, password: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value(username)
    inputs["Password"].set_value(password)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    return at


def find_support(at, place: str | None = None, coordinates: tuple[float, float] | None = None):
    at.text_area(key="fs_goals").set_value(GOALS)
    at.text_input(key="fs_conditions").set_value(f"{CONDITION}, type 2 diabetes")
    at.selectbox(key="fs_need_social_relationships").set_value(2)
    at.number_input(key="fs_age").set_value(67)
    at.slider(key="fs_km").set_value(15.0)  # far enough that something social is in reach from each place
    if place is not None:
        at.text_input(key="fs_place").set_value(place)
    if coordinates is not None:
        at.text_input(key="fs_place").set_value("")
        at.number_input(key="fs_lat").set_value(coordinates[0])
        at.number_input(key="fs_lon").set_value(coordinates[1])
    at.button(key="FormSubmitter:profile-Find support").click().run()
    return at


def test_the_app_logs_and_stores_nothing_of_what_is_typed(db_folder, capfd):
    warm = sign_in(new_app(), "lena", "link-worker-password-1")  # model, index, pages and loggers loaded
    find_support(warm, place="G51")
    gp = sign_in(new_app(), "gail", "gp-password-1")
    gp.text_area(key="gp_text").set_value("lonely")
    gp.button(key="FormSubmitter:gp-Show local options").click().run()
    capfd.readouterr()

    with every_log_at_debug() as capture:
        at = sign_in(new_app(), "lena", "link-worker-password-1")
        assert at.title[0].value == "Find support"
        for where in ({"place": POSTCODE}, {"place": PLACE}, {"coordinates": (LAT, LON)}):
            find_support(at, **where)
            assert not at.exception and not at.error, [e.value for e in at.error]
            assert at.session_state["fs_recs"].results
        first = at.session_state["fs_recs"].results[0].id
        at.button(key=f"fs_pick_{first}").click().run()
        at.text_input(key="fs_first_name").set_value("Ottoline")
        at.text_area(key="fs_next_step").set_value(f"Ask about {CONDITION} at the zebrafinch quiltmaking group")
        at.toggle(key="fs_show_plan").set_value(True).run()
        assert not at.exception

        gp = sign_in(new_app(), "gail", "gp-password-1")
        assert gp.title[0].value == "GP preview"
        gp.text_area(key="gp_text").set_value(f"{GOALS}; {CONDITION}")
        gp.text_input(key="gp_place").set_value(POSTCODE)
        gp.button(key="FormSubmitter:gp-Show local options").click().run()
        assert not gp.exception and gp.code[0].value  # the referral note is on screen, for copying
    out, err = capfd.readouterr()

    assert len(capture.lines) > 10  # Streamlit at DEBUG says plenty: the capture is live
    assert not leaks("\n".join(capture.lines)), leaks("\n".join(capture.lines))
    assert not leaks(out + err), leaks(out + err)
    assert not stored_leaks(db_folder)
