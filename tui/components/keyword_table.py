"""The Keywords pane: the selected article's keywords, or the corpus keywords of the filtered set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from tui.components.filter_bar import FilterBar
from tui.components.frame_table import Column, FrameTable
from tui.messages import FilterTermRequested


def keyword_score(value: Any, _: dict[str, Any]) -> Text:
    """Three decimals, so a column of scores lines up (lower is better; the best can be below 0)."""
    return Text("" if value is None else f"{float(value):.3f}")


ARTICLE_COLUMNS = [
    Column("rank", "#", width=3, align="right"),
    Column("phrase", "Keyword", ratio=3),
    Column("score", "Score", width=7, align="right", render=keyword_score),
]
CORPUS_COLUMNS = [
    Column("rank", "#", width=4, align="right"),
    Column("phrase", "Keyword", ratio=3),
    Column("articles", "Arts", width=5, align="right"),
    # The order is by weight (the sum of 1/rank over the articles holding the keyword); a mean rank
    # column read as unsorted. Weight falls down the list like the ordinal in "#".
    Column("weight", "Weight", width=6, align="right"),
]


class KeywordTable(FrameTable):
    """Keywords; `t` toggles article/corpus scope, Enter adds the keyword to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_scope", "Article/corpus"),
        Binding("enter", "select", "Filter by keyword"),
    ]

    @dataclass
    class FilterRequested(FilterTermRequested):
        """Enter on a keyword: add `keyword:"…"` to the filter."""

    def __init__(self) -> None:
        super().__init__(ARTICLE_COLUMNS, key_column="phrase", empty_text="no keywords", id="keywords")
        self.scope: Literal["article", "corpus"] = "article"
        self._article = pl.DataFrame()
        # Made when the corpus scope shows (CorpusView.keywords_of: made once, then kept).
        self._corpus: Callable[[], pl.DataFrame] = pl.DataFrame
        self._update_title()

    def _update_title(self) -> None:
        self.border_title = "Keywords: " + ("this article" if self.scope == "article" else "filtered set")

    def _show(self) -> None:
        if self.scope == "article":
            self.columns = ARTICLE_COLUMNS
            self.set_frame(
                self._article.with_columns(pl.col("score").round(4))
                if self._article.height
                else self._article
            )
        else:
            self.columns = CORPUS_COLUMNS
            corpus = self._corpus()
            self.set_frame(corpus.with_columns(pl.col("weight").round(1)) if corpus.height else corpus)

    def set_article_keywords(self, frame: pl.DataFrame) -> None:
        self._article = frame
        if self.scope == "article":
            self._show()

    @property
    def shows_corpus(self) -> bool:
        """Whether the pane shows the filtered set's keywords, so each view should make them."""
        return self.display and self.scope == "corpus"

    def set_corpus_keywords(self, keywords: Callable[[], pl.DataFrame]) -> None:
        """The filtered set's keywords, asked for only while (or once) the corpus scope shows."""
        self._corpus = keywords
        if self.scope == "corpus":
            self._show()

    def action_toggle_scope(self) -> None:
        self.scope = "corpus" if self.scope == "article" else "article"
        self._update_title()
        self._show()

    @on(FrameTable.Selected)
    def _keyword_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        if not event.row:  # a click on an empty list
            return
        self.post_message(self.FilterRequested(f"keyword:{FilterBar.quote(event.row['phrase'])}"))
