"""The command line: ``main`` builds the parser, one module per command group.

- ``main``: the parser (``build_parser``), ``run(argv)`` and the console-script ``main``;
- ``common``: output, ``open_project``, ``add_command`` / ``add_group`` (shared by all groups);
- ``project`` (init, demo, open, excerpts, status), ``codebook``, ``imports`` (transcripts,
  cases, ratings, codings), ``agreement``, ``export``, ``refi``, ``report``, ``suggest``,
  ``serve`` (the app in a browser): each command a thin wrapper that parses its arguments,
  calls one plain function of the library and prints the result.

Every module here imports only the standard library at module level, so `coder --help` stays
within its start-up budget (benchmarks/startup.py).
"""

from __future__ import annotations

from coder.cli.main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
