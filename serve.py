"""Serve Signpost (app.py) with headers that forbid framing: `streamlit run serve.py`.

Streamlit has no setting for response headers, so this uses its public ASGI entry point `st.App`
(https://docs.streamlit.io/develop/api-reference/server/st.app; `streamlit run` finds the `app`
below and serves it with uvicorn) with one small middleware that
- sends `X-Frame-Options: DENY` and `Content-Security-Policy: frame-ancestors 'none'` on every
  response, so no other site can show Signpost inside a frame and trick a click (clickjacking);
- refuses (400) any HTTP or WebSocket request whose Host is not in `server.allowedHosts`, so a page
  under a rebinding name gets not even the app's HTML (Streamlit itself checks only the WebSocket).
All other settings (address, port, allowed hosts) come from .streamlit/config.toml and the command
line as for `streamlit run app.py`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse

FRAME_HEADERS = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'")]


def host_allowed(host: str, allowed: list[str]) -> bool:
    """`Host` (port ignored) against the allow-list, as Streamlit reads it: exact names, `*.suffix`, `*`."""
    try:
        parts = urlsplit(f"//{host}")
        name, _ = parts.hostname, parts.port  # .port checks that a port is a number
    except ValueError:
        return False
    if not name or parts.username or parts.password or parts.path:
        return False
    name = name.rstrip(".")
    for pattern in (p.strip().lower().rstrip(".") for p in allowed):
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


class FrameGuard:
    """Pure ASGI middleware (it must not buffer Streamlit's WebSocket or streamed responses)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        allowed = st.get_option("server.allowedHosts") or ["*"]
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if not host_allowed(host, allowed):
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await PlainTextResponse("This host name is not served here.", 400)(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *FRAME_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


app = st.App("app.py", middleware=[Middleware(FrameGuard)])
