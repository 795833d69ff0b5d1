"""The help screen, generated from the live bindings so it can never fall out of date."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Every key of the app and of each pane, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: thick $accent; background: $surface; }
    """

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for group, rows in self.groups:
            table.add_row(Text(group, style="bold underline"), "")
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        with VerticalScroll(id="help-body"):
            yield Static(Text("newsdesk keys  (also in the command palette: ctrl+p)\n", style="bold"))
            yield Static(table, id="help-table")

    @staticmethod
    def text_of(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
        """The help content as plain text (what tests compare against the bindings)."""
        return "\n".join(f"{keys} {description}" for _, rows in groups for keys, description in rows)
