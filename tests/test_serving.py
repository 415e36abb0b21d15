"""How the app is served (security issue item 3, item 7; app issue item 16): only the expected host
names are answered, the app cannot be framed, local mode (no accounts: a local administrator) only
on loopback under a loopback name or by explicit opt-in, and a missing database offers nothing.

The host checks run against a real `streamlit run` on a free loopback port; every request goes to
127.0.0.1 and only its Host header names another machine."""

from __future__ import annotations

import base64
import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from .app_fixtures import APP, ROOT, TIMEOUT


def only_the_sign_in_form(at) -> bool:
    return at.title[0].value == "Signpost" and not at.sidebar.info and not at.sidebar.button


def app_under(url: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if url:
        at.context = {"url": url}  # the browser's address, as the app is told it
    return at.run()


def test_local_mode_under_a_loopback_name(app_db):
    for url in (None, "http://localhost:8501/", "http://127.0.0.1:8501/", "http://[::1]:8501/"):
        at = app_under(url)
        assert not at.exception and any("Local mode" in i.value for i in at.sidebar.info), url


@pytest.mark.parametrize("url", ["http://rebind.example:8501/", "http://127.0.0.1.nip.example:8501/",
                                 "http://192.168.1.20:8501/", "http://localhost.example/"])
def test_no_local_administrator_under_another_host_name(app_db, url, monkeypatch):
    at = app_under(url)
    assert not at.exception and only_the_sign_in_form(at)
    assert "local mode (no sign-in) is only for the computer" in at.warning[0].value
    monkeypatch.setenv("SIGNPOST_LOCAL_MODE", "1")  # the explicit opt-in
    assert any("Local mode" in i.value for i in app_under(url).sidebar.info)


def test_a_missing_database_file_offers_nothing(tmp_path, monkeypatch):
    missing = tmp_path / "not-there.db"
    monkeypatch.setenv("SIGNPOST_DB", str(missing))
    at = app_under(None)
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("There is no directory database file 'not-there.db'")
    assert not at.sidebar.info and not at.title and not at.text_input and not missing.exists()


def test_a_database_with_two_names_for_one_account_offers_nothing_and_names_no_one(tmp_path, monkeypatch):
    from .test_account_identity import _as_schema_2

    db = str(tmp_path / "clash.db")
    _as_schema_2(db, ["Ada", "ada"])
    monkeypatch.setenv("SIGNPOST_DB", db)
    at = app_under(None)
    assert not at.exception and [e.value for e in at.error] == [
        "This Signpost cannot open its directory database as it is. The administrator can see why with "
        "`signpost user list` on the server; nothing was changed."]
    assert not at.sidebar.info and not at.text_input


def _local_mode_under(config: str, db: str, cwd) -> str:
    """Run the app in AppTest in a process whose Streamlit config is `config` (read from the working
    directory, as Streamlit does): LOCAL, or the title shown."""
    (cwd / ".streamlit").mkdir()
    (cwd / ".streamlit" / "config.toml").write_text(config, "utf-8")
    code = ("from streamlit.testing.v1 import AppTest\n"
            f"at = AppTest.from_file({APP!r}, default_timeout=300).run()\n"
            "print('LOCAL' if any('Local mode' in i.value for i in at.sidebar.info) else at.title[0].value)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SIGNPOST_DB": db, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("address", "local"), [("localhost", True), ("127.0.0.1", True), ("0.0.0.0", False),
                                                ("", False), ("192.168.1.20", False)])
def test_no_local_mode_when_the_server_listens_beyond_loopback(app_db, tmp_path, address, local):
    answer = _local_mode_under(f'[server]\naddress = "{address}"\n', app_db, tmp_path)
    assert answer == ("LOCAL" if local else "Signpost")


# ---- a real server -------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, host: str, path: str = "/", websocket: bool = False) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"{host}:{port}"}
    if websocket:
        headers |= {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                    "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read() if not websocket else b""
    conn.close()
    return response


@pytest.fixture
def serve(app_db):
    started = []

    def start(script: str) -> int:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)], cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "SIGNPOST_DB": app_db, "HF_HUB_OFFLINE": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(proc)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if request(port, "localhost", "/_stcore/health").status == 200:
                    return port
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"streamlit run {script} did not start")

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=30)


FOREIGN = ["rebind.example", "localhost.rebind.example", "127.0.0.1.rebind.example"]


def test_streamlit_run_app_refuses_the_app_connection_under_a_foreign_host(serve):
    port = serve("app.py")
    assert request(port, "localhost", "/_stcore/stream", websocket=True).status == 101
    assert request(port, "127.0.0.1", "/_stcore/stream", websocket=True).status == 101
    for host in FOREIGN:
        assert request(port, host, "/_stcore/stream", websocket=True).status == 403, host


def test_serve_py_refuses_foreign_hosts_and_cannot_be_framed(serve):
    port = serve("serve.py")
    page = request(port, "localhost")
    assert page.status == 200 and b"<html" in page.body.lower()
    assert page.getheader("X-Frame-Options") == "DENY"
    assert page.getheader("Content-Security-Policy") == "frame-ancestors 'none'"
    assert request(port, "localhost", "/_stcore/stream", websocket=True).status == 101
    for host in FOREIGN:
        assert request(port, host).status == 400, host
        assert request(port, host, "/_stcore/stream", websocket=True).status == 403, host


def test_in_a_browser_a_rebinding_name_gets_no_app_and_no_page_can_frame_it(serve, tmp_path):
    """DNS rebinding as a browser meets it: Chromium resolves a foreign name to this machine (as a
    rebinding attacker's DNS would) and opens the app under it; and a page of another origin frames it."""
    from playwright.sync_api import sync_playwright

    from .test_e2e_browser import ARGS, CHROMIUM

    port, bare = serve("serve.py"), serve("app.py")

    def framing(target: int) -> str:
        page = tmp_path / f"framing-{target}.html"
        page.write_text(f'<iframe id="f" src="http://localhost:{target}/" width="800" height="600"></iframe>', "utf-8")
        return page.as_uri()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=[*ARGS, "--host-resolver-rules=MAP rebind.example 127.0.0.1"])
        page = browser.new_page()
        seen = page.goto(f"http://rebind.example:{port}/", wait_until="load")
        assert seen.status == 400 and "not served here" in page.content()
        page.goto(f"http://localhost:{port}/", wait_until="load")  # the same app under its own name works
        page.get_by_role("heading", name="Find support").wait_for(timeout=90_000)
        # the control: app.py served bare can be framed, so a framed page does show the app...
        page.goto(framing(bare), wait_until="load")
        page.frame_locator("#f").get_by_role("heading", name="Find support").wait_for(timeout=90_000)
        # ... and serve.py's is refused by X-Frame-Options / frame-ancestors
        page.goto(framing(port), wait_until="load")
        page.wait_for_timeout(5000)
        assert page.frame_locator("#f").get_by_role("heading", name="Find support").count() == 0
        browser.close()
