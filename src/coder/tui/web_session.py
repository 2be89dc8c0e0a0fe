"""One browser session of ``coder serve``: ``python -m coder.tui.web_session PROJECT_DIR``.

textual-serve runs this command for every browser connection, with Textual's web driver
selected through the environment. It is the same coding app as in a terminal, in shared mode:
the coder's name is asked each time and never remembered, since many people use one server.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app on the project folder given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m coder.tui.web_session PROJECT_DIR", file=sys.stderr)
        return 2
    from coder.errors import CoderError
    from coder.tui.app import make_app

    try:
        app = make_app(Path(args[0]), shared=True)
    except CoderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
