"""``coder serve`` over HTTP: every route needs the token (page, websocket, files, downloads)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from serve_runner import Served, serve

pytestmark = pytest.mark.slow

ROUTES = (
    "/",
    "/static/js/textual.js",
    "/static/css/xterm.css",
    "/static/fonts/RobotoMono-VariableFont_wght.ttf",
    "/static/",
    "/download/0123456789abcdef",
    "/favicon.ico",
    "/no/such/page",
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from coder.project.init import init_project

    folder = tmp_path_factory.mktemp("serve") / "p"
    init_project(folder)
    with serve(folder, folder.parent / "xdg") as running:
        yield running


async def _status(url: str, **kwargs: object) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, allow_redirects=False, **kwargs) as response,  # type: ignore[arg-type]
    ):
        return response.status, await response.text(errors="replace")


def _browser_like() -> aiohttp.ClientSession:
    """A session keeping cookies for an IP address, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@pytest.mark.parametrize("route", ROUTES)
async def test_no_token_no_entry(served: Served, route: str) -> None:
    status, body = await _status(served.base + route)
    assert status == 403
    assert "needs the access token" in body
    assert "textual" not in body.lower()


@pytest.mark.parametrize(
    "wrong",
    ["", "x", "0" * 43, "token", "%00"],
    ids=["empty", "short", "same-length", "word", "nul"],
)
async def test_a_wrong_token_or_cookie_is_refused(served: Served, wrong: str) -> None:
    assert wrong != served.token
    status, _ = await _status(f"{served.base}/?token={wrong}")
    assert status == 403
    cookie = {f"coder-serve-{served.base.rsplit(':', 1)[1]}": wrong or "nothing"}
    status, _ = await _status(f"{served.base}/static/js/textual.js", cookies=cookie)
    assert status == 403
    # the real token in a near miss of the parameter name does not count either
    status, _ = await _status(f"{served.base}/?Token={served.token}")
    assert status == 403


async def test_the_token_opens_the_page_and_sets_a_strict_cookie(served: Served) -> None:
    async with _browser_like() as session:
        async with session.get(served.link) as response:
            assert response.status == 200
            page = await response.text()
            cookie = response.cookies[f"coder-serve-{served.base.rsplit(':', 1)[1]}"]
            assert cookie.value == served.token
            assert cookie["httponly"] is True
            assert cookie["samesite"] == "Strict"
            assert response.headers["Cache-Control"] == "no-store"
            csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp
        # everything the page names is relative (same host): no CDN, no web font service
        for url in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page):
            assert url.startswith("static/") or url == "data:,", url
        assert "googleapis" not in page and "https://" not in page
        async with session.get(f"{served.base}/static/js/textual.js") as response:
            assert response.status == 200  # the cookie from the page lets the files in
        async with session.get(f"{served.base}/static/") as response:
            assert response.status in (403, 404)  # never a directory listing


async def test_the_websocket_needs_the_token_and_the_same_origin(served: Served) -> None:
    ws_url = served.base.replace("http://", "ws://") + "/ws?width=80&height=24"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(ws_url)
        assert refused.value.status == 403
    async with _browser_like() as session:
        async with session.get(served.link) as response:  # the page sets the cookie
            assert response.status == 200
        with pytest.raises(aiohttp.WSServerHandshakeError) as hijack:
            await session.ws_connect(ws_url, origin="http://evil.example")
        assert hijack.value.status == 403
        async with session.ws_connect(ws_url, origin=served.base) as websocket:
            message = await websocket.receive(timeout=60)  # the app's first screen
            assert message.type == aiohttp.WSMsgType.BINARY
            assert len(message.data) > 0


def test_the_link_is_printed_with_a_long_random_token(tmp_path: Path) -> None:
    from coder.project.init import init_project

    init_project(tmp_path / "p")
    tokens = set()
    for _ in range(2):
        with serve(tmp_path / "p", tmp_path / "xdg") as running:
            assert running.link.startswith("http://127.0.0.1:")
            assert len(running.token) >= 40
            tokens.add(running.token)
    assert len(tokens) == 2
