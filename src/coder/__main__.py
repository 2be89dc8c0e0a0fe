"""`python -m coder` runs the command line."""

from __future__ import annotations

from coder.cli import main

if __name__ == "__main__":
    main()
