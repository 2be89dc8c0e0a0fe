"""The Textual app: the only package that imports textual (in its submodules).

``coder.tui.make_app`` is imported lazily so that ``import coder.tui`` stays cheap.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# Textual paints at most MAX_FPS frames a second, so a key waits up to one frame before it is
# seen. 120 halves that wait; frames are only drawn when something changed.
os.environ.setdefault("TEXTUAL_FPS", "120")

if TYPE_CHECKING:
    from coder.tui.app import CoderApp


def make_app(*args: Any, **kwargs: Any) -> CoderApp:
    """Build the app (see ``coder.tui.app.make_app``)."""
    from coder.tui.app import make_app as _make_app

    return _make_app(*args, **kwargs)
