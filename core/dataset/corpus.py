"""The dashboard's Corpus over a dataset: the same panes and filter, texts left on disk.

`DatasetCorpus` is a `Corpus` whose indexes are built from the integer-coded frames of
core.dataset.held rather than from string frames; the filter's word and phrase terms go to the
dataset's postings (core.dataset.search_index) instead of a regex over texts, and opening an
article or a pair's evidence reads its text, mention details and sentences from disk.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from core.analysis.frames import Analysis
from core.articles import article_document
from core.corpus.indexes import EntityIndex, KeywordIndex
from core.corpus.query import TITLE_WEIGHT, FilterIndex, Query, Term, _pattern, parse_query
from core.corpus.view import (
    TOP_COUNTRIES_PER_ARTICLE,
    ArticleDetails,
    Corpus,
    CorpusView,
    SortOrder,
    timeline_of,
)
from core.countries.names import CountryNames, corpus_country_names
from core.dataset.held import HeldPart
from core.dataset.read import TABLE_SCHEMAS, Dataset
from core.dataset.search_index import TOKEN, PostingsSearch, query_runs
from core.relations.pairs import summarise_pairs


class DatasetFilterIndex(FilterIndex):
    """FilterIndex over held integer frames: word terms from postings, keyword and entity terms
    through small dictionaries of distinct keys."""

    def __init__(self, articles: pl.DataFrame, held: HeldPart, search: PostingsSearch) -> None:
        frame = articles.select(
            "id",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            pl.col("title").fill_null("").str.to_lowercase(),
            pl.col("source").fill_null("").str.to_lowercase(),
            "date",
        )
        pairs = held.pairs.group_by(pl.col("art").alias("row"), "code_a", "code_b").agg(
            mentions=pl.len().cast(pl.Int32)
        )
        codes = held.countries.get_column("code").unique().to_list()
        names = CountryNames(corpus_country_names(held.country_names), codes)
        # Country terms use the base class's (row, code, mentions) frame as they are.
        super().__init__(frame, held.countries, pairs, pl.DataFrame(), names)
        self.search = search
        self._keyword_rows = held.keywords.select(pl.col("art").alias("row"), "key_id")
        self._keyword_keys = held.phrases.select("key_id", key=pl.col("phrase").str.to_lowercase()).unique(
            "key_id"
        )
        self._entity_rows = held.entity_keys
        self._entity_keys = held.key_names

    def matching_mask(self, query: Query) -> pl.Series | None:
        """Boolean mask over articles of those matching every term (None: no term, all match)."""
        mask: pl.Series | None = None
        for term in query.terms:
            term_mask = self._mask(term)
            mask = term_mask if mask is None else mask & term_mask
        return mask

    def _keyword_hits(self, value: str) -> pl.DataFrame:
        keys = self._keyword_keys.filter(pl.col("key").str.contains(_pattern(value))).get_column("key_id")
        return self._keyword_rows.filter(pl.col("key_id").is_in(keys.implode()))

    def _entity_hits(self, value: str) -> pl.DataFrame:
        keys = self._entity_keys.filter(pl.col("key").str.contains(_pattern(value))).get_column("key_id")
        return self._entity_rows.filter(pl.col("key_id").is_in(keys.implode()))

    def _match(self, term: Term) -> pl.Series:
        if term.field == "keyword":
            return self._rows_mask(self._keyword_hits(term.value).get_column("row"))
        if term.field == "entity":
            return self._rows_mask(self._entity_hits(term.value).get_column("row"))
        return super()._match(term)

    def _text_mask(self, value: str) -> pl.Series:
        return self._rows_mask(self._held(self.search.rows(value)))

    def _held(self, rows: pl.Series) -> pl.Series:
        # While only the first partitions are held, postings of later ones fall outside.
        return rows.filter(rows < self.size)

    def _term_counts(self, term: Term) -> pl.DataFrame:
        if term.field == "keyword":  # distinct matching keywords, as the in-memory index counts them
            hits = self._keyword_hits(term.value)
            return hits.group_by("row").agg(n=pl.col("key_id").n_unique().cast(pl.Int64))
        if term.field == "entity":
            hits = self._entity_hits(term.value)
            return hits.group_by("row").agg(n=pl.col("mentions").sum().cast(pl.Int64))
        if term.field is not None:
            return super()._term_counts(term)
        return self._text_counts(term.value)

    def _text_counts(self, value: str) -> pl.DataFrame:
        """Occurrences in headline and text, a headline hit counting TITLE_WEIGHT times."""
        runs, plain = query_runs(value)
        if not plain:  # punctuation: count on the matching texts with the filter's own regex
            pattern = _pattern(value)
            return (
                self.search.read_texts(self._held(self.search.rows(value)))
                .join(self._articles.select("row", "title"), on="row", how="left")
                .select(
                    "row",
                    n=(
                        pl.col("hay").str.count_matches(pattern)
                        + (TITLE_WEIGHT - 1) * pl.col("title").str.count_matches(pattern)
                    ).cast(pl.Int64),
                )
            )
        found = self.search.occurrences(value).filter(pl.col("row") < self.size)
        titles = (
            found.select(pl.col("row").unique())
            .join(self._articles.select("row", "title"), on="row", how="left")
            .select("row", title_tokens=pl.col("title").str.count_matches(TOKEN))
        )
        in_title = (pl.col("start") + (len(runs) - 1)) < pl.col("title_tokens")
        return (
            found.join(titles, on="row", how="left")
            .group_by("row")
            .agg(n=(pl.len() + (TITLE_WEIGHT - 1) * in_title.sum()).cast(pl.Int64))
        )


class HeldKeywordIndex(KeywordIndex):
    """KeywordIndex over held rows whose key ids are hashes: ties break by the folded phrase's
    alphabetical order (`order`), as the in-memory index's alphabetical ids make them break."""

    def __init__(self, article_ids: pl.Series, held: HeldPart) -> None:
        self.article_ids = article_ids.rename("article_id")
        # The shown phrase is each key's most frequent casing (ties: alphabetically first).
        self.phrases = (
            held.phrases.sort(["key_id", "uses", "phrase"], descending=[False, True, False])
            .unique("key_id", keep="first")
            .with_columns(order=pl.col("phrase").str.to_lowercase().rank("dense").cast(pl.UInt32))
            .select("key_id", "phrase", "order")
        )
        self.rows = held.keywords

    def top(self, mask: pl.Series | None = None, top: int | None = 100) -> pl.DataFrame:
        ranked = (
            self._select(self.rows, mask)
            .group_by("key_id")
            .agg(
                articles=pl.len().cast(pl.Int32),
                mean_rank=pl.col("rank").mean(),
                weight=pl.col("inverse_rank").sum(),
            )
            .join(self.phrases, on="key_id", how="left")
            .sort(["weight", "articles", "order"], descending=[True, True, False])
        )
        if top is not None:
            ranked = ranked.head(top)
        return ranked.with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32)).select(
            "rank", "phrase", "articles", "mean_rank", "weight"
        )


class HeldEntityIndex(EntityIndex):
    """EntityIndex over held rows with hashed entity ids; ties break alphabetically, as in memory."""

    def __init__(self, article_ids: pl.Series, held: HeldPart) -> None:
        self.article_ids = article_ids.rename("article_id")
        self.entities = held.entity_names.with_columns(
            order=pl.struct("entity", "kind", "code").rank("dense").cast(pl.UInt32)
        )
        self.rows = held.entities

    def counts(self, mask: pl.Series | None = None, kind: str | None = None) -> pl.DataFrame:
        counted = (
            self._select(self.rows, mask)
            .group_by("entity_id")
            .agg(mentions=pl.col("mentions").sum().cast(pl.Int32), articles=pl.len().cast(pl.Int32))
            .join(self.entities, on="entity_id", how="left")
        )
        if kind is not None:
            counted = counted.filter(pl.col("kind") == kind)
        return counted.sort(["mentions", "articles", "order"], descending=[True, True, False]).select(
            "kind", "entity", "code", "mentions", "articles"
        )


class DatasetCorpus(Corpus):
    """A Corpus over what a dataset's dashboard holds; texts, mention details and evidence are read
    from the dataset when an article or a pair is opened."""

    index: DatasetFilterIndex

    def __init__(self, dataset: Dataset, articles: pl.DataFrame, held: HeldPart) -> None:
        self.dataset = dataset
        empty = {t: pl.DataFrame(schema=TABLE_SCHEMAS[t]) for t in ("keywords", "mentions")}
        self.analysis = Analysis(articles, empty["keywords"], empty["mentions"], held.pairs)
        self.index = DatasetFilterIndex(articles, held, dataset.search)
        countries = (
            held.countries.sort(["row", "mentions", "first"], descending=[False, True, False])
            .group_by("row", maintain_order=True)
            .agg(countries=pl.col("code").head(TOP_COUNTRIES_PER_ARTICLE).str.join(" "))
        )
        self.rows = (
            articles.select("id", "date", "source", "title")
            .with_row_index("row")
            .join(countries, on="row", how="left", maintain_order="left")
            .with_columns(pl.col("countries").fill_null(""))
            .drop("row")
        )
        ids = articles.get_column("id")
        self._ids = ids
        # The articles table by date, newest first (ties in dataset order), as Corpus.view sorts it.
        self._by_date = (
            self.rows.with_row_index("row")
            .sort("date", descending=True, nulls_last=True, maintain_order=True)
            .with_columns(relevance=pl.lit(0.0))
        )
        self.keywords = HeldKeywordIndex(ids, held)
        self.entities = HeldEntityIndex(ids, held)
        self._unfiltered = {}

    def view(self, query: str = "", sort: SortOrder = "date", hide: pl.Series | None = None) -> CorpusView:
        """As Corpus.view, computed on boolean masks over article rows rather than on id lists: at a
        million articles, joins and membership tests on ids cost more than all the panes together.
        Relevance is computed only when sorting by it (by date, the column is 0)."""
        parsed = parse_query(query)
        unfiltered = not parsed.terms and hide is None
        if unfiltered and sort in self._unfiltered:
            return replace(self._unfiltered[sort], query=query)
        mask = self.index.matching_mask(parsed)
        if hide is not None:
            keep = ~self._ids.is_in(hide.implode())
            mask = keep if mask is None else mask & keep
        ids = self._ids if mask is None else self._ids.filter(mask)
        if sort == "relevance":
            relevance = self.index.relevance(parsed, ids)
            articles = self.rows.join(relevance, on="id", how="inner", maintain_order="left").sort(
                ["relevance", "date"], descending=True, nulls_last=True, maintain_order=True
            )
        else:
            by_date = self._by_date
            articles = (
                by_date if mask is None else by_date.filter(mask.gather(by_date.get_column("row")))
            ).drop("row")
        pairs = self.analysis.pairs
        if mask is not None:
            pairs = pairs.filter(mask.gather(pairs.get_column("art")))
        timeline = timeline_of(articles)
        view = CorpusView(
            query=query,
            sort=sort,
            total=self.total,
            articles=articles,
            keywords=self.keywords.top(mask, top=200),
            entities=self.entities.counts(mask),
            pairs=summarise_pairs(pairs, None, None, evidence_limit=0),
            timeline=timeline,
            subset=None if unfiltered else ids,
        )
        if unfiltered:
            self._unfiltered[sort] = view
        return view

    def _row(self, article_id: str) -> int | None:
        rows = self.analysis.articles.get_column("id").eq(article_id).arg_true()
        return int(rows[0]) if rows.len() else None

    def _within_held(self, subset: pl.Series | None) -> pl.Series | None:
        """`subset`, or the held articles while later partitions are still being read."""
        if subset is None and self.total < self.dataset.size:
            return self.analysis.articles.get_column("id")
        return subset

    def article(self, article_id: str) -> ArticleDetails | None:
        """The article with its text, keywords and every mention field, read from the dataset now."""
        row = self._row(article_id)
        if row is None:
            return None
        article = self.dataset.read_article(row)
        keywords = self.dataset.read_rows("keywords", row, article_id).sort("rank")
        mentions = self.dataset.read_rows("mentions", row, article_id)
        return ArticleDetails(
            article=article,
            document=article_document(article["title"], article["text"]),
            keywords=keywords.select("rank", "phrase", "score"),
            mentions=mentions.to_dicts(),
        )

    def _pairs_with_keywords(
        self, subset: pl.Series | None, pair: tuple[str, str] | None, evidence: int
    ) -> pl.DataFrame:
        """Pair summaries with evidence and keywords, read from the dataset for the pairs' articles."""
        subset = self._within_held(subset)
        held = self.analysis.pairs
        if pair is not None:
            a, b = sorted(code.upper() for code in pair)
            held = held.filter(pl.col("code_a") == a, pl.col("code_b") == b)
        if subset is not None:
            held = held.filter(pl.col("article_id").is_in(subset.implode()))
        ids = held.get_column("article_id").unique()
        keywords = self.dataset.read_for_articles("keywords", ids) if ids.len() else None
        pairs = self.dataset.scan("pairs").filter(pl.col("article_id").is_in(ids.implode()))
        return summarise_pairs(pairs, keywords, None, evidence_limit=evidence, pair=pair)

    def pair_details(
        self, code_a: str, code_b: str, subset: pl.Series | None, evidence: int = 50
    ) -> pl.DataFrame:
        """One pair's summary with evidence sentences and keywords read from the dataset."""
        return self._pairs_with_keywords(subset, (code_a, code_b), evidence)

    def relations(self, subset: pl.Series | None, evidence: int = 10) -> pl.DataFrame:
        """Every pair's summary with evidence and keywords (for export), read from the dataset."""
        return self._pairs_with_keywords(subset, None, evidence)
