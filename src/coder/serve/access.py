"""``TokenGate``: the served app's access control, a random token in the URL (as Jupyter does).

Every route (page, websocket, static files, downloads, unknown paths) goes through the gate.
A request passes when its ``?token=`` query parameter or its session cookie holds the token;
the page sets the cookie so that the files and the websocket it opens next are let in too. A
websocket must also come from a page of the same origin, so another site open in the same
browser cannot drive the app with the cookie (cross-site websocket hijacking).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import hdrs, web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

REFUSED = (
    "403 Forbidden: coder serve needs the access token.\n"
    "Open the full link (with ?token=...) that `coder serve` printed when it started.\n"
)
CROSS_ORIGIN = "403 Forbidden: the websocket must be opened by the served page itself.\n"


def new_token() -> str:
    """A fresh random token: 32 bytes from the operating system's generator, URL-safe."""
    return secrets.token_urlsafe(32)


class TokenGate:
    """Lets a request in only with the token, in the query string or the session cookie."""

    def __init__(self, token: str, *, cookie_name: str) -> None:
        if len(token) < 16:
            raise ValueError("an access token needs at least 16 characters")
        self.token = token
        self.cookie_name = cookie_name
        """Per port: browsers share one cookie jar across the ports of a host."""

    def _matches(self, candidate: str | None) -> bool:
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8"), self.token.encode("utf-8"))

    def admits(self, request: web.Request) -> bool:
        """Whether the request carries the token (query parameter or cookie)."""
        return self._matches(request.query.get("token")) or self._matches(
            request.cookies.get(self.cookie_name)
        )

    @staticmethod
    def same_origin(request: web.Request) -> bool:
        """A websocket's Origin (when the client sends one) names the host it connects to."""
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is None:
            return True  # not a browser: the token (checked first) is what counts
        forwarded = request.headers.get("X-Forwarded-Host")
        hosts = {request.host} | ({forwarded} if forwarded else set())
        return urlsplit(origin).netloc in hosts

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """aiohttp middleware: refuse with 403, or hand on and set the cookie."""
        if not self.admits(request):
            return web.Response(status=403, text=REFUSED, headers=self.headers())
        if request.headers.get(hdrs.UPGRADE, "").lower() == "websocket" and not (
            self.same_origin(request)
        ):
            return web.Response(status=403, text=CROSS_ORIGIN, headers=self.headers())
        response = await handler(request)
        if self._matches(request.query.get("token")) and not response.prepared:
            response.set_cookie(
                self.cookie_name,
                self.token,
                httponly=True,
                samesite="Strict",
                path="/",
                secure=request.secure,
            )
        for name, value in self.headers().items():
            if not response.prepared:
                response.headers.setdefault(name, value)
        return response

    @staticmethod
    def headers() -> dict[str, str]:
        """Headers on every answer: no caching of the tokened page, no framing, no referrer."""
        return {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
        }
