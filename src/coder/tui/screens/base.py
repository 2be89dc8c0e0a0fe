"""``CoderScreen``: the base of every coder screen, typed access to the running ``CoderApp``."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from coder.tui.app import CoderApp

ResultT = TypeVar("ResultT")


class CoderScreen(Screen[ResultT]):
    """A screen of the coder app: ``coder_app`` is the app with its project and coder."""

    @property
    def coder_app(self) -> CoderApp:
        """The running app (a screen of this package is only ever pushed by ``CoderApp``)."""
        return cast("CoderApp", self.app)


class CoderModalScreen(ModalScreen[ResultT], CoderScreen[ResultT]):
    """A dialog of the coder app (keys go to it first; the screen below is dimmed).

    ``ModalScreen`` comes first: textual inherits CSS along the first base only.
    """
