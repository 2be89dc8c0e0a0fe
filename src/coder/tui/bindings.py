"""Textual ``Binding`` objects built from the keymap specs."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from coder.domain.keys import KeySpec


def bindings(specs: tuple[KeySpec, ...]) -> list[BindingType]:
    """One Binding per spec, carrying its id so ``[keymap]`` can remap it."""
    return [
        Binding(spec.keys, spec.action, spec.description, show=spec.show, id=spec.id)
        for spec in specs
    ]
