"""Drilling down from the panes: article text, filter terms from keywords and entities, pair evidence.

A mixin for NewsdeskApp; its handlers react to the lists' Selected/Highlighted messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from textual import work

from core.articles import article_document
from core.view import Corpus
from tui.components.article_table import ArticleTable
from tui.components.article_view import ArticleView
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.messages import PairEvidenceLoaded
from tui.screens.evidence import EvidenceScreen

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


def _quote(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) else value


class DrillDown:
    """Enter on a row: open the article, add a keyword/entity to the filter, or open a pair's evidence.

    Handlers are named (`on_frame_table_*`) and dispatch on the list's id: Textual's `@on` selectors
    are only collected from classes its metaclass builds, which a plain mixin is not.
    """

    def on_frame_table_highlighted(self: NewsdeskApp, event: FrameTable.Highlighted) -> None:
        if event.table.id == "articles":
            self.article_highlighted(event)

    def on_frame_table_selected(self: NewsdeskApp, event: FrameTable.Selected) -> None:
        handler = {
            "articles": self.article_selected,
            "keywords": self.keyword_selected,
            "entities": self.entity_selected,
            "pairs": self.pair_selected,
        }.get(event.table.id or "")
        if handler is not None:
            handler(event)

    def article_highlighted(self: NewsdeskApp, event: FrameTable.Highlighted) -> None:
        if event.row is None:
            self.current_article = None
            return
        if event.row["id"] != self.current_article:
            self.show_article(event.row["id"])

    def show_article(self: NewsdeskApp, article_id: str, highlight: tuple[int, int] | None = None) -> None:
        """Fill the article and keyword panes for one article."""
        if self.corpus is None:
            return
        analysis = self.corpus.analysis
        found = analysis.articles.filter(pl.col("id") == article_id)
        if found.is_empty():
            return
        self.current_article = article_id
        self.mark_read(article_id)
        article = found.row(0, named=True)
        keywords = analysis.keywords.filter(pl.col("article_id") == article_id).sort("rank")
        mentions = analysis.mentions.filter(pl.col("article_id") == article_id).to_dicts()
        meta = " · ".join(str(v) for v in (article["date"], article["source"], article["url"]) if v)

        self.query_one(ArticleView).show(
            article["title"],
            article_document(article["title"], article["text"]),
            meta,
            keywords.get_column("phrase").head(10).to_list(),
            mentions,
            highlight,
        )
        self.query_one(KeywordTable).set_article_keywords(keywords.select("rank", "phrase", "score"))

    def article_selected(self: NewsdeskApp, event: FrameTable.Selected) -> None:
        self.query_one("#article-scroll").focus()

    def keyword_selected(self: NewsdeskApp, event: FrameTable.Selected) -> None:
        self.query_one(FilterBar).add_term(f"keyword:{_quote(event.row['phrase'])}")

    def entity_selected(self: NewsdeskApp, event: FrameTable.Selected) -> None:
        row = event.row
        term = f"country:{row['code']}" if row.get("code") else f"entity:{_quote(row['entity'])}"
        self.query_one(FilterBar).add_term(term)

    def pair_selected(self: NewsdeskApp, event: FrameTable.Selected) -> None:
        if self.corpus is not None and self.view is not None:
            self.load_pair_evidence(self.corpus, event.row["code_a"], event.row["code_b"], self.view.subset)

    @work(thread=True, exclusive=True, group="evidence")
    def load_pair_evidence(
        self: NewsdeskApp, corpus: Corpus, code_a: str, code_b: str, subset: pl.Series | None
    ) -> None:
        """The pair's evidence sentences (computed only when a pair is opened) and their headlines."""
        details = corpus.pair_details(code_a, code_b, subset)
        if details.is_empty():
            return
        row = details.row(0, named=True)
        evidence_ids = list({e["article_id"] for e in row["evidence"]})
        titles = dict(
            corpus.analysis.articles.filter(pl.col("id").is_in(evidence_ids))
            .select("id", "title")
            .iter_rows()
        )
        self.post_message(PairEvidenceLoaded(row, titles))

    def on_pair_evidence_loaded(self: NewsdeskApp, message: PairEvidenceLoaded) -> None:
        self.push_screen(EvidenceScreen(message.pair, message.titles), self._evidence_chosen)

    def _evidence_chosen(self: NewsdeskApp, row: dict[str, Any] | None) -> None:
        if row is None or self.corpus is None:
            return
        pairs = self.corpus.analysis.pairs
        match = pairs.filter(
            (pl.col("article_id") == row["article_id"]) & (pl.col("sentence") == row["sentence"])
        )
        span = (int(match["start"][0]), int(match["end"][0])) if match.height else None
        table = self.query_one(ArticleTable)
        if self.view is not None and row["article_id"] not in set(self.view.articles.get_column("id")):
            self.notify("That article is outside the current filter; showing it anyway.")
        else:
            table.set_frame(table.frame, keep_key=row["article_id"])
        self.show_article(row["article_id"], highlight=span)
        self.query_one("#article-scroll").focus()
