"""Asks for the file name an export should use; the app writes the files in a worker."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportScreen(ModalScreen[str | None]):
    """A prompt for the base file name; Enter returns it, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 70; height: auto; border: thick $accent; background: $surface; padding: 1;
    }
    """

    def __init__(self, fmt: str, default_name: str) -> None:
        super().__init__()
        self.fmt = fmt
        self.default_name = default_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    f"Export the filtered set as {self.fmt.upper()}: three files, NAME-articles, "
                    f"NAME-keywords and NAME-relations.{self.fmt}"
                )
            )
            yield Input(value=self.default_name, id="export-name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
