"""Turning binding declarations into help text: one place, used by the help screen and its test."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def key_label(keys: str) -> str:
    """'down,j' -> 'down / j'; Textual key names made readable."""
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "plus": "+", "shift+tab": "shift+tab"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def describe_bindings(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for each binding, in declaration order."""
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            rows.append((key_label(binding.key), binding.description or binding.action))
        else:
            keys, action, *rest = binding
            rows.append((key_label(keys), rest[0] if rest else action))
    return rows
