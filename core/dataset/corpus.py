"""The dashboard's Corpus over a dataset: the same panes and filter, texts left on disk.

`DatasetCorpus` is a `Corpus` built from the compact frames `Dataset.held_frames` reads; the filter's
word and phrase terms go to the dataset's postings (core.dataset.search_index) instead of a regex
over texts, and opening an article, a pair's evidence or an export reads what it needs from disk.
"""

from __future__ import annotations

import polars as pl

from core.analysis.frames import Analysis
from core.articles import article_document
from core.corpus.query import TITLE_WEIGHT, FilterIndex, Term, _pattern
from core.corpus.view import ArticleDetails, Corpus
from core.dataset.read import Dataset
from core.dataset.search_index import TOKEN, PostingsSearch, query_runs
from core.relations.pairs import summarise_pairs


class DatasetFilterIndex(FilterIndex):
    """FilterIndex whose word and phrase terms are answered by stored postings, not held texts."""

    search: PostingsSearch

    @staticmethod
    def _article_frame(analysis: Analysis) -> pl.DataFrame:
        return analysis.articles.select(
            "id",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            pl.col("title").fill_null("").str.to_lowercase(),
            pl.col("source").fill_null("").str.to_lowercase(),
            "date",
        )

    @classmethod
    def over(cls, analysis: Analysis, search: PostingsSearch) -> DatasetFilterIndex:
        """Index the held frames; `analysis.articles` must be the dataset's first rows, in order."""
        index = cls(*cls._indexed_frames(analysis, cls._article_frame(analysis)))
        index.search = search
        return index

    def _held(self, rows: pl.Series) -> pl.Series:
        # While only the first partitions are held, postings of later ones fall outside.
        return rows.filter(rows < self.size)

    def _text_mask(self, value: str) -> pl.Series:
        return self._rows_mask(self._held(self.search.rows(value)))

    def _term_counts(self, term: Term) -> pl.DataFrame:
        """For word terms: occurrences in headline and text, a headline hit counting TITLE_WEIGHT."""
        if term.field is not None:
            return super()._term_counts(term)
        runs, plain = query_runs(term.value)
        if not plain:  # punctuation: count on the matching texts with the filter's own regex
            return self._counted_on_texts(term.value)
        found = self.search.occurrences(term.value).filter(pl.col("row") < self.size)
        last_token = len(runs) - 1
        titles = (
            found.select(pl.col("row").unique())
            .join(self._articles.select("row", "title"), on="row", how="left")
            .select("row", title_tokens=pl.col("title").str.count_matches(TOKEN))
        )
        in_title = (pl.col("start") + last_token) < pl.col("title_tokens")
        return (
            found.join(titles, on="row", how="left")
            .group_by("row")
            .agg(n=(pl.len() + (TITLE_WEIGHT - 1) * in_title.sum()).cast(pl.Int64))
        )


    def _counted_on_texts(self, value: str) -> pl.DataFrame:
        pattern = _pattern(value)
        rows = self._held(self.search.rows(value))
        return (
            self.search.read_texts(rows)
            .join(self._articles.select("row", "title"), on="row", how="left")
            .select(
                "row",
                n=(
                    pl.col("hay").str.count_matches(pattern)
                    + (TITLE_WEIGHT - 1) * pl.col("title").str.count_matches(pattern)
                ).cast(pl.Int64),
            )
        )


class DatasetCorpus(Corpus):
    """A Corpus over the frames a dataset's dashboard holds; texts and evidence are read on demand."""

    def __init__(self, dataset: Dataset, analysis: Analysis) -> None:
        self.dataset = dataset
        super().__init__(analysis)

    def _filter_index(self, analysis: Analysis) -> FilterIndex:
        return DatasetFilterIndex.over(analysis, self.dataset.search)

    def _row(self, article_id: str) -> int | None:
        rows = self.analysis.articles.get_column("id").eq(article_id).arg_true()
        return int(rows[0]) if rows.len() else None

    def _within_held(self, subset: pl.Series | None) -> pl.Series | None:
        """`subset`, or the held articles while later partitions are still being read."""
        if subset is None and self.total < self.dataset.size:
            return self.analysis.articles.get_column("id")
        return subset

    def article(self, article_id: str) -> ArticleDetails | None:
        """The article with its text and every mention field, read from the dataset now."""
        row = self._row(article_id)
        if row is None:
            return None
        article = self.dataset.read_article(row)
        keywords = self.analysis.keywords.filter(pl.col("article_id") == article_id).sort("rank")
        mentions = self.dataset.read_mentions(row, article_id).to_dicts()
        return ArticleDetails(
            article=article,
            document=article_document(article["title"], article["text"]),
            keywords=keywords.select("rank", "phrase", "score"),
            mentions=mentions,
        )

    def pair_details(
        self, code_a: str, code_b: str, subset: pl.Series | None, evidence: int = 50
    ) -> pl.DataFrame:
        """One pair's summary with evidence sentences read from the dataset's pairs table."""
        return summarise_pairs(
            self.dataset.scan("pairs"),
            self.analysis.keywords,
            self._within_held(subset),
            evidence_limit=evidence,
            pair=(code_a, code_b),
        )

    def relations(self, subset: pl.Series | None, evidence: int = 10) -> pl.DataFrame:
        """Every pair's summary with evidence (for export), read from the dataset's pairs table."""
        return summarise_pairs(
            self.dataset.scan("pairs"), self.analysis.keywords, self._within_held(subset), evidence_limit=evidence
        )
