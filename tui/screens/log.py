"""The load log: every problem the load report and the cache reported, one line each."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.safety import printable


class LogScreen(ModalScreen[None]):
    """Problems found while loading (bad files, damaged cache), or a note that there were none."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,l", "dismiss", "Close log")]
    DEFAULT_CSS = """
    LogScreen { align: center middle; }
    LogScreen > VerticalScroll { width: 90%; height: 80%; border: thick $warning; background: $surface; }
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        body = "\n".join(printable(line, single_line=True) for line in self.lines) or "No problems reported."
        with VerticalScroll():
            yield Static(Text(f"Load log ({len(self.lines)} entries)\n", style="bold"))
            yield Static(Text(body), id="log-body")
