"""The Articles pane: date, source, headline and top countries of every article the filter keeps."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.components.frame_table import Column, FrameTable


class ArticleTable(FrameTable):
    """Filtered articles, newest first or by relevance; Enter opens the article's text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "screen.toggle_sort", "Sort date/relevance"),
        Binding("u", "screen.toggle_unread", "Unread only"),
    ]

    @dataclass
    class ArticleHighlighted(Message):
        """The cursor is on this article now (None: the list is empty)."""

        article_id: str | None

    @dataclass
    class ArticleOpened(Message):
        """Enter or a click on an article: read its text."""

        article_id: str | None

    def __init__(self, read: Container[str] = frozenset()) -> None:
        def unread_marker(_: Any, row: dict[str, Any]) -> Text:
            return Text("•", style="bold") if row["id"] not in read else Text(" ")

        super().__init__(
            [
                Column("id", " ", width=1, render=unread_marker),
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

    def show_counts(self, shown: int, total: int, sort: str, unread_only: bool = False) -> None:
        """Border title: how many articles the filter keeps, of how many, and the order."""
        self.border_title = f"Articles {shown:,}/{total:,}" + (" unread" if unread_only else "")
        self.border_subtitle = f"by {sort}"

    @on(FrameTable.Highlighted)
    def _article_highlighted(self, event: FrameTable.Highlighted) -> None:
        event.stop()
        self.post_message(self.ArticleHighlighted(event.row["id"] if event.row is not None else None))

    @on(FrameTable.Selected)
    def _article_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        self.post_message(self.ArticleOpened(event.row.get("id")))
