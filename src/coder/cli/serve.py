"""``coder serve``: the coding app in a browser on this machine, behind a token in the link."""

from __future__ import annotations

import argparse
from typing import Any

from coder.cli.common import add_command, err, out


def cmd_serve(args: argparse.Namespace) -> None:
    """Serve the project's coding app to browsers until Ctrl+C."""
    from coder.serve.launch import serve_project

    serve_project(
        args.project,
        host=args.host,
        port=args.port,
        allow_remote=args.allow_remote,
        max_sessions=args.max_sessions,
        say=out,
        warn=err,
    )


def register(commands: Any) -> None:
    """Add ``coder serve`` to the command tree."""
    sub = add_command(
        commands,
        "serve",
        cmd_serve,
        "serve the coding app to a browser (loopback only unless --allow-remote)",
    )
    sub.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine)",
    )
    sub.add_argument(
        "--port", type=int, default=8000, help="TCP port (default: 8000; 0 picks a free one)"
    )
    sub.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (plain HTTP: read the README first)",
    )
    sub.add_argument(
        "--max-sessions",
        type=int,
        default=20,
        help="browser sessions open at once, each one app process (default: 20)",
    )
