"""The Keywords pane: the selected article's keywords, or the corpus keywords of the filtered set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message

from core.corpus.view import Deferred
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

    @dataclass
    class CorpusKeywordsWanted(Message):
        """The corpus scope shows, and the view shown has not made its keywords: make them off
        the UI thread (at a million articles they take as long as a keystroke's other panes)."""

    def __init__(self) -> None:
        super().__init__(ARTICLE_COLUMNS, key_column="phrase", empty_text="no keywords", id="keywords")
        self.scope: Literal["article", "corpus"] = "article"
        self._article = pl.DataFrame()
        # The shown view's corpus keywords (CorpusView.keywords_of), and the last one asked for.
        self._corpus: Deferred | None = None
        self._wanted: Deferred | None = None
        self._update_title()

    def _update_title(self) -> None:
        self.border_title = "Keywords: " + ("this article" if self.scope == "article" else "filtered set")

    def show_scope(self) -> None:
        """Show the scope's keywords; the corpus keywords only once made (never made here)."""
        if self.scope == "article":
            self.columns = ARTICLE_COLUMNS
            self.set_frame(
                self._article.with_columns(pl.col("score").round(4))
                if self._article.height
                else self._article
            )
            return
        self.columns = CORPUS_COLUMNS
        corpus = self._corpus
        if corpus is not None and corpus.made:
            frame = corpus()
            self.set_frame(frame.with_columns(pl.col("weight").round(1)) if frame.height else frame)
            self.status_text = None
        else:
            self.set_frame(pl.DataFrame())
            self.status_text = "counting…"
            if self.shows_corpus and corpus is not None and corpus is not self._wanted:
                self._wanted = corpus
                self.post_message(self.CorpusKeywordsWanted())

    def set_article_keywords(self, frame: pl.DataFrame) -> None:
        self._article = frame
        if self.scope == "article":
            self.show_scope()

    @property
    def shows_corpus(self) -> bool:
        """Whether the pane shows the filtered set's keywords, so each view should make them."""
        return self.display and self.scope == "corpus"

    def set_corpus_keywords(self, keywords: Deferred) -> None:
        """The filtered set's keywords, made by the view's worker while the corpus scope shows."""
        self._corpus = keywords
        if self.scope == "corpus":
            self.show_scope()

    def action_toggle_scope(self) -> None:
        self.scope = "corpus" if self.scope == "article" else "article"
        self._update_title()
        self.show_scope()

    @on(FrameTable.Selected)
    def _keyword_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        if not event.row:  # a click on an empty list
            return
        self.post_message(self.FilterRequested(f"keyword:{FilterBar.quote(event.row['phrase'])}"))
