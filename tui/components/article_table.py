"""The Articles pane: date, source, headline and top countries of every article the filter keeps."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.components.frame_table import Column, FrameTable


class ArticleTable(FrameTable):
    """Filtered articles, newest first or by relevance; Enter opens the article's text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.toggle_sort", "Sort date/relevance"),
    ]

    def __init__(self) -> None:
        super().__init__(
            [
                Column("date", "Date", width=10),
                Column("source", "Source", ratio=1),
                Column("title", "Headline", ratio=5),
                Column("countries", "Countries", width=9),
            ],
            key_column="id",
            empty_text="no articles match the filter",
            id="articles",
        )
        self.border_title = "Articles"

    def show_counts(self, shown: int, total: int, sort: str) -> None:
        """Border title: how many articles the filter keeps, of how many, and the order."""
        self.border_title = f"Articles {shown:,}/{total:,}"
        self.border_subtitle = f"by {sort}"
