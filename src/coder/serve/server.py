"""``CoderServer``: the coding app in a browser, built on textual-serve.

textual-serve runs one command per browser connection (here the same coding app, which asks
for the coder's name as in a terminal) and relays its screen over a websocket. On top of it:
every route behind a ``TokenGate``; a page of our own that loads nothing from any other host
(textual-serve's page fetches a Google font; ours serves the Roboto Mono files that the
installed textual-serve package ships) under a Content-Security-Policy that forbids it; any
port (0 picks a free one) with the real address printed; and a cap on concurrent sessions.
"""

from __future__ import annotations

import asyncio
import secrets
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from coder.serve.access import TokenGate, new_token

TEMPLATES = Path(__file__).resolve().parent / "templates"

CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def session_command(root: Path) -> str:
    """The shell command textual-serve runs for each browser connection."""
    return shlex.join([sys.executable, "-m", "coder.tui.web_session", str(root)])


class CoderServer(Server):
    """Serves one project's coding app; every request needs the token."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        max_sessions: int = 20,
        say: Callable[[str], None] = print,
    ) -> None:
        super().__init__(
            session_command(root), host=host, port=port, title="coder", templates_path=TEMPLATES
        )
        self.root = root
        self.token = token or new_token()
        self.gate = TokenGate(self.token, cookie_name=f"coder-serve-{port}")
        self.max_sessions = max_sessions
        self.sessions: set[asyncio.Task[Any]] = set()
        """The handlers of open browser sessions, ended (and their apps quit) on shutdown."""
        self.say = say
        self.bound_port: int | None = None

    def web_app(self) -> web.Application:
        """The aiohttp application: four routes, all behind the gate."""
        app = web.Application(middlewares=[self.gate.middleware])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_page, name="index"),
                web.get("/ws", self.handle_session, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        return app

    async def handle_page(self, request: web.Request) -> web.StreamResponse:
        """The page: static files by relative URL, so it works behind a proxy's path prefix."""
        nonce = secrets.token_urlsafe(16)
        context: dict[str, Any] = {
            "nonce": nonce,
            "font_size": _font_size(request.query.get("fontsize", "16")),
            "project": self.root.name,
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
        return response

    async def handle_session(self, request: web.Request) -> web.StreamResponse:
        """One browser connection: one app process (textual-serve's handler), up to the cap."""
        if len(self.sessions) >= self.max_sessions:
            return web.Response(
                status=503,
                text=f"503: {self.max_sessions} sessions are open already (coder serve "
                "--max-sessions); close one and reload.\n",
            )
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        try:
            return await self.handle_websocket(request)
        finally:
            self.sessions.discard(task)

    def url(self, host: str, port: int) -> str:
        """The link to print: the page with the token."""
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/?token={self.token}"

    async def run(self, ready: asyncio.Event | None = None) -> None:
        """Serve until SIGINT or SIGTERM; prints the link once the socket is bound."""
        runner = web.AppRunner(self.web_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            addresses = runner.addresses  # the bound sockets: the real port when 0 was asked for
            self.bound_port = int(addresses[0][1]) if addresses else self.port
            self.gate.cookie_name = f"coder-serve-{self.bound_port}"
            self.say(f"Serving {self.root} to the browser (each connection runs the app).")
            self.say(f"Open: {self.url(self.host, self.bound_port)}")
            self.say("Anyone with this link can code in the project. Press Ctrl+C to stop.")
            if ready is not None:
                ready.set()
            await stop.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            await self.end_sessions()
            await runner.cleanup()

    async def end_sessions(self) -> None:
        """Close every browser session; textual-serve then tells each app to quit and waits."""
        open_now = list(self.sessions)
        for task in open_now:
            task.cancel()
        await asyncio.gather(*open_now, return_exceptions=True)

    def serve(self, debug: bool = False) -> None:
        """Run the server in this process until stopped."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self.run())


def _font_size(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        return 16
    return min(max(size, 8), 40)
