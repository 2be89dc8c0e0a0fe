"""``serve_project``: what ``coder serve`` does, as a plain function (host rules, warning, run).

Loopback is the default. Any other address is refused unless ``allow_remote`` is given, and
then a warning is printed: the link is plain HTTP, so the token and the interview text cross
the network unencrypted, and the token is the only lock (no per-person login).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

from coder.errors import CoderError

REMOTE_WARNING = (
    "WARNING: serving on {host}, reachable from other machines. The connection is plain HTTP: "
    "the access token and the interview text travel UNENCRYPTED, and the token is the only "
    "lock (anyone who has the link can code, under any name). Put it behind TLS and a login "
    "(a reverse proxy), or keep the default 127.0.0.1 and reach it through an SSH tunnel; "
    "see the README, 'coder serve'."
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def check_host(host: str, *, allow_remote: bool) -> str | None:
    """The warning to print for ``host``, or None; CoderError when it needs ``--allow-remote``."""
    if not host.strip():
        raise CoderError("--host is empty: give an address such as 127.0.0.1")
    if is_loopback(host):
        return None
    if not allow_remote:
        raise CoderError(
            f"--host {host} would let other machines reach the app over unencrypted HTTP; "
            "add --allow-remote if that is what you want (read the README's 'coder serve' "
            "first), or keep the default 127.0.0.1 and use an SSH tunnel"
        )
    return REMOTE_WARNING.format(host=host)


def check_port(port: int) -> int:
    """A TCP port, 0 (any free port) to 65535."""
    if not 0 <= port <= 65535:
        raise CoderError(f"--port {port} is not a TCP port: use 0 (any free port) to 65535")
    return port


def serve_project(
    root: Path | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_remote: bool = False,
    max_sessions: int = 20,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> None:
    """Check the project and the address, then serve until Ctrl+C."""
    from coder.project.project import Project

    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # an IPv6 address as written in a URL
    warning = check_host(host, allow_remote=allow_remote)
    check_port(port)
    if max_sessions < 1:
        raise CoderError(f"--max-sessions {max_sessions}: allow at least 1 session")
    with Project.open(root) as project:  # a broken project fails here, not in each browser
        folder = project.root.resolve()
    if warning:
        warn(warning)
    from coder.serve.server import CoderServer

    server = CoderServer(folder, host=host, port=port, max_sessions=max_sessions, say=say)
    try:
        server.serve()
    except OSError as exc:
        raise CoderError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
