"""The filter box: one query narrows every pane as you type; a bad query is explained inline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widgets import Input, Static

from tui.scroll_size import set_virtual_size

PLACEHOLDER = (
    '/ to filter: words "phrase" country:IQ pair:IQ-US keyword:"x" entity:x source:x after:2020-01-01 -term'
)


class FilterInput(Input):
    """Textual's Input, but a keystroke does not lay out the whole screen: Input sets its
    `virtual_size` (the text's width) on every change of its value; it is set here first, without
    the layout (tui.scroll_size)."""

    def _watch_value(self, value: str) -> None:
        set_virtual_size(self, Size(self.content_width, 1))
        super()._watch_value(value)  # its own virtual_size assignment is now a no-op


class FilterBar(Horizontal):
    """An Input for the query and, on the same line, why the last query does not parse.

    The error shares the input's line so showing or clearing it never shifts the panes below
    (a layout shift repaints the whole screen, on the keystroke path).
    """

    DEFAULT_CSS = """
    FilterBar { height: 1; }
    FilterBar > Input { border: none; height: 1; padding: 0 1; background: $boost; width: 1fr; }
    FilterBar > Input:focus { border: none; background: $primary 30%; }
    FilterBar > #filter-error {
        height: 1; width: auto; max-width: 50%; color: $text-error; background: $error-muted;
        padding: 0 1; display: none;
    }
    FilterBar.-invalid > #filter-error { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
        yield Static(Text(""), id="filter-error")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def show_error(self, message: str | None, position: int = 0) -> None:
        """Show why the query does not parse (with a caret under the spot), or clear it."""
        self.error = message
        self.set_class(message is not None, "-invalid")
        if message is not None:
            self.query_one("#filter-error", Static).update(
                Text(f"{message} (at {position + 1})", no_wrap=True)
            )

    error: str | None = None

    @staticmethod
    def quote(value: str) -> str:
        """A filter value as one term: quoted when it holds whitespace."""
        return f'"{value}"' if any(c.isspace() for c in value) else value

    def add_term(self, term: str) -> None:
        """Append a term to the query (unless already there); the Input's Changed event refilters."""
        current = self.input.value.strip()
        if term in current.split():
            return
        self.input.value = f"{current} {term}".strip()
        self.input.cursor_position = len(self.input.value)
