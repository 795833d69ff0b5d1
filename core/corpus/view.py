"""What every dashboard pane shows for one filter: computed in one pass, off the UI thread.

`Corpus` holds an analysed corpus plus what makes filtering cheap (built once per data change);
`Corpus.view(query)` returns a `CorpusView` — the matching articles and, over exactly those, corpus
keywords, entity counts, country-pair summaries and the per-day timeline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

import polars as pl

from core.analysis.frames import Analysis
from core.articles import article_document
from core.corpus.indexes import EntityIndex, KeywordIndex
from core.corpus.picked_rows import PickedRows
from core.corpus.query import FilterIndex, parse_query
from core.relations.pairs import summarise_pairs

SortOrder = Literal["date", "relevance"]
# Countries shown per article in the articles table.
TOP_COUNTRIES_PER_ARTICLE = 3
# Asked between the panes of a view: True when nobody waits for it any more (a newer keystroke).
StopCheck = Callable[[], bool]


class Deferred:
    """A frame made by `make` on the first call, then kept. Copies of a view (dataclasses.replace)
    share it; `made` tells a UI whether asking would compute it (then it asks from a worker)."""

    def __init__(self, make: Callable[[], pl.DataFrame]) -> None:
        self._make = make
        self._frame: pl.DataFrame | None = None
        self._lock = threading.Lock()  # a stale keystroke's worker and an export may ask together

    @property
    def made(self) -> bool:
        return self._frame is not None

    def __call__(self) -> pl.DataFrame:
        with self._lock:
            if self._frame is None:
                self._frame = self._make()
            return self._frame


class ViewStopped(Exception):
    """A view given up half-way because its StopCheck said so."""


def check(stop: StopCheck | None) -> None:
    """Raise ViewStopped when `stop` says the view is no longer wanted."""
    if stop is not None and stop():
        raise ViewStopped


@dataclass(frozen=True)
class CorpusView:
    """One filter's result for every pane."""

    query: str
    sort: SortOrder
    total: int
    # id, date, source, title, countries, relevance: in display order (picked, see PickedRows)
    articles: PickedRows
    entities: pl.DataFrame  # core.corpus.indexes.entity_counts over the matching articles
    pairs: pl.DataFrame  # core.relations.pairs.summarise_pairs counts (no evidence) over those articles
    timeline: pl.DataFrame  # date, articles: one row per day that has articles
    filtered: bool  # False when the filter keeps everything
    # The corpus keywords of the matching articles, made on first use: only the Keywords pane's
    # corpus scope and exports show them, and at a million articles they cost a keystroke as much
    # as the articles pane.
    keywords_of: Deferred = field(repr=False, compare=False)

    @property
    def keywords(self) -> pl.DataFrame:
        """rank, phrase, articles, mean_rank, weight: the top corpus keywords of the matching articles."""
        return self.keywords_of()

    @property
    def shown(self) -> int:
        return self.articles.height

    @cached_property
    def subset(self) -> pl.Series | None:
        """The matching article ids (display order; gathered once, on first use); None when the
        filter keeps everything."""
        return self.articles.column("id") if self.filtered else None


def timeline_of(articles: pl.DataFrame) -> pl.DataFrame:
    """Articles per date (the timeline strip), undated articles left out."""
    dated = articles.get_column("date").drop_nulls()
    if not dated.len():
        return pl.DataFrame(schema={"date": pl.Date(), "articles": pl.Int32()})
    return dated.to_frame().group_by("date").agg(articles=pl.len().cast(pl.Int32)).sort("date")


def _article_rows(analysis: Analysis) -> pl.DataFrame:
    """The articles table's rows, with each article's most-mentioned countries as 'IQ US RU'."""
    countries = (
        analysis.mentions.lazy()
        .filter(pl.col("kind") == "country")
        .group_by("article_id", "code")
        .agg(n=pl.len(), first=pl.col("start").min())
        .sort(["article_id", "n", "first"], descending=[False, True, False])
        .group_by("article_id", maintain_order=True)
        .agg(countries=pl.col("code").head(TOP_COUNTRIES_PER_ARTICLE).str.join(" "))
        .collect()
    )
    return (
        analysis.articles.select("id", "date", "source", "title")
        .join(countries, left_on="id", right_on="article_id", how="left", maintain_order="left")
        .with_columns(pl.col("countries").fill_null(""))
    )


@dataclass(frozen=True)
class ArticleDetails:
    """One article as the article pane shows it: its fields, text, keywords and mentions."""

    article: dict[str, Any]  # the articles frame's row: id, title, text, date, source, url, …
    document: str  # headline, blank line, text: what mention offsets point into
    keywords: pl.DataFrame  # rank, phrase, score: best first
    mentions: list[dict[str, Any]]  # MENTION_STRUCT's fields, in text order

    @property
    def meta(self) -> str:
        """Date · source · URL, whichever the article has."""
        fields = (self.article["date"], self.article["source"], self.article["url"])
        return " · ".join(str(v) for v in fields if v)


class Corpus:
    """An analysed corpus, indexed for filtering; rebuild it when articles are added."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.index = self._filter_index(analysis)
        self.rows = _article_rows(analysis)
        article_ids = analysis.articles.get_column("id")
        self.keywords = KeywordIndex(analysis.keywords, article_ids)
        self.entities = EntityIndex(analysis.mentions, article_ids)
        # The unfiltered view is asked for often (startup, Esc) and never changes for this corpus.
        self._unfiltered: dict[SortOrder, CorpusView] = {}

    def _filter_index(self, analysis: Analysis) -> FilterIndex:
        """The filter's index (a dataset's corpus searches its stored postings instead of texts)."""
        return FilterIndex.build(analysis)

    @property
    def total(self) -> int:
        return self.analysis.articles.height

    def _kept_view(self, sort: SortOrder, query: str, keywords_now: bool) -> CorpusView:
        """The unfiltered view kept for `sort`, under this filter text; its keywords made now if asked."""
        view = replace(self._unfiltered[sort], query=query)
        if keywords_now:
            view.keywords_of()
        return view

    def view(
        self,
        query: str = "",
        sort: SortOrder = "date",
        hide: pl.Series | None = None,
        stop: StopCheck | None = None,
        keywords_now: bool = False,
    ) -> CorpusView:
        """The view for filter text `query`, without the articles in `hide` (e.g. those already read).

        Raises core.corpus.query.QueryError when the query does not parse, and ViewStopped when
        `stop` turns True before the view is done (a dataset's corpus asks between its panes).
        The corpus keywords are made when first asked for (CorpusView.keywords), or here with
        `keywords_now` (a dataset's corpus then makes them while its second thread counts).
        """
        parsed = parse_query(query)
        unfiltered = not parsed.terms and hide is None
        if unfiltered and sort in self._unfiltered:
            return self._kept_view(sort, query, keywords_now)
        ids = self.index.matching_ids(parsed)
        if hide is not None:
            ids = ids.filter(~ids.is_in(hide.implode()))
        relevance = self.index.relevance(parsed, ids)
        articles = self.rows.join(relevance, on="id", how="inner", maintain_order="left")
        if sort == "relevance":
            articles = articles.sort(
                ["relevance", "date"], descending=True, nulls_last=True, maintain_order=True
            )
        else:
            articles = articles.sort("date", descending=True, nulls_last=True, maintain_order=True)
        subset = None if unfiltered else ids
        mask = self.keywords.mask(subset)
        timeline = timeline_of(articles)
        keywords_of = Deferred(lambda: self.keywords.top(mask, top=200))
        if keywords_now:
            keywords_of()
        view = CorpusView(
            query=query,
            sort=sort,
            total=self.total,
            articles=PickedRows(articles),
            keywords_of=keywords_of,
            entities=self.entities.counts(mask),
            pairs=summarise_pairs(self.analysis.pairs, None, subset, evidence_limit=0),
            timeline=timeline,
            filtered=subset is not None,
        )
        if subset is None:
            self._unfiltered[sort] = view
        return view

    def pair_details(
        self, code_a: str, code_b: str, subset: pl.Series | None, evidence: int = 50
    ) -> pl.DataFrame:
        """One pair's summary with its evidence sentences and keywords, within `subset`."""
        return summarise_pairs(
            self.analysis.pairs,
            self.analysis.keywords,
            subset,
            evidence_limit=evidence,
            pair=(code_a, code_b),
        )

    def relations(self, subset: pl.Series | None, evidence: int = 10) -> pl.DataFrame:
        """Every pair's summary with evidence and keywords, within `subset` (for export)."""
        return summarise_pairs(self.analysis.pairs, self.analysis.keywords, subset, evidence_limit=evidence)

    def article(self, article_id: str) -> ArticleDetails | None:
        """One article with its keywords and mentions, or None when the corpus has no such article."""
        analysis = self.analysis
        found = analysis.articles.filter(pl.col("id") == article_id)
        if found.is_empty():
            return None
        row = found.row(0, named=True)
        keywords = analysis.keywords.filter(pl.col("article_id") == article_id).sort("rank")
        mentions = analysis.mentions.filter(pl.col("article_id") == article_id).to_dicts()
        return ArticleDetails(
            article=row,
            document=article_document(row["title"], row["text"]),
            keywords=keywords.select("rank", "phrase", "score"),
            mentions=mentions,
        )

    def titles(self, article_ids: list[str]) -> dict[str, str]:
        """Headline of each of these articles (those the corpus has)."""
        found = self.analysis.articles.filter(pl.col("id").is_in(article_ids))
        return dict(found.select("id", "title").iter_rows())

    def sentence_span(self, article_id: str, sentence: int) -> tuple[int, int] | None:
        """(start, end) of an evidence sentence in its article's document, if a pair mention has it."""
        pairs = self.analysis.pairs
        match = pairs.filter((pl.col("article_id") == article_id) & (pl.col("sentence") == sentence))
        return (int(match["start"][0]), int(match["end"][0])) if match.height else None
