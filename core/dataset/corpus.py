"""The dashboard's Corpus over a dataset: the same panes and filter, texts left on disk.

`DatasetCorpus` is a `Corpus` whose indexes are built from the integer-coded frames of
core.dataset.held rather than from string frames; the filter's word and phrase terms go to the
dataset's postings (core.dataset.search_index) instead of a regex over texts, and opening an
article or a pair's evidence reads its text, mention details and sentences from disk.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
import numpy.typing as npt
import polars as pl

from core.analysis.frames import Analysis
from core.articles import article_document
from core.corpus.indexes import EntityIndex, KeywordIndex
from core.corpus.picked_rows import PickedRows
from core.corpus.query import TITLE_WEIGHT, FilterIndex, Query, Term, _pattern, parse_query
from core.corpus.view import (
    TOP_COUNTRIES_PER_ARTICLE,
    ArticleDetails,
    Corpus,
    CorpusView,
    Deferred,
    SortOrder,
    StopCheck,
    check,
)
from core.countries.names import CountryNames, corpus_country_names
from core.dataset.aggregate import (
    STANCES,
    CodedRows,
    DayAggregates,
    EntityAggregates,
    KeywordAggregates,
    PairAggregates,
)
from core.dataset.held import HeldPart
from core.dataset.read import TABLE_SCHEMAS, Dataset
from core.dataset.search_index import TOKEN, PostingsSearch, query_runs
from core.relations.pairs import EVIDENCE_STRUCT, PAIR_SUMMARY_SCHEMA, QUAD_COLUMNS, summarise_pairs

# One thread for the panes a view computes beside its own (DatasetCorpus.view): views run one at
# a time in the dashboard, so one is enough, and its tasks queue behind a stale view's.
_SIDE_PANES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-panes")
# An article whose rows in a table were not counted while held (see DatasetCorpus._at).
_UNCOUNTED = -1


class DatasetFilterIndex(FilterIndex):
    """FilterIndex over held integer frames: word terms from postings, keyword and entity terms
    through small dictionaries of distinct keys."""

    def __init__(
        self, articles: pl.DataFrame, held: HeldPart, search: PostingsSearch, keywords: HeldKeywordIndex
    ) -> None:
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
        self._keyword_keys = keywords.phrases.select(
            "key_id", "code", key=pl.col("phrase").str.to_lowercase()
        )
        self._keyword_coded = CodedRows(keywords.aggregates_art, keywords.aggregates_codes, articles.height)
        self._entity_rows = held.entity_keys
        self._entity_keys = held.key_names.with_row_index("code")
        entity_codes = held.entity_keys.join(
            self._entity_keys.select("key_id", "code"), on="key_id", how="left", maintain_order="left"
        )
        self._entity_coded = CodedRows(
            entity_codes.get_column("row"), entity_codes.get_column("code"), articles.height
        )

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
        if term.field in ("keyword", "entity"):
            keys, coded = (
                (self._keyword_keys, self._keyword_coded)
                if term.field == "keyword"
                else (self._entity_keys, self._entity_coded)
            )
            codes = keys.filter(pl.col("key").str.contains(_pattern(term.value))).get_column("code")
            return pl.Series(coded.articles_with(codes.to_numpy()))
        return super()._match(term)

    def _text_mask(self, value: str) -> pl.Series:
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[self._held(self.search.rows(value, distinct=False)).to_numpy()] = True
        return pl.Series(mask)

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


def _top_order(*keys: npt.NDArray[np.generic]) -> npt.NDArray[np.int64]:
    """Positions sorted by the keys, the first key most significant (np.lexsort takes them last first)."""
    return np.lexsort(tuple(reversed(keys)))


class HeldKeywordIndex(KeywordIndex):
    """KeywordIndex over held rows whose key ids are hashes: ties break by the folded phrase's
    alphabetical order (`order`), as the in-memory index's alphabetical ids make them break.

    Each keystroke's top phrases are array sums over the smaller side of the mask
    (core.dataset.aggregate), then a partial selection of the best `top`."""

    def __init__(self, article_ids: pl.Series, held: HeldPart) -> None:
        self.article_ids = article_ids.rename("article_id")
        # The shown phrase is each key's most frequent casing (ties: alphabetically first); its
        # code is its place in alphabetical order of the folded phrase.
        self.phrases = (
            held.phrases.sort(["key_id", "uses", "phrase"], descending=[False, True, False])
            .unique("key_id", keep="first")
            .with_columns(order=pl.col("phrase").str.to_lowercase().rank("dense").cast(pl.UInt32))
            .sort("order", "key_id")
            .with_row_index("code")
            .select("key_id", "phrase", "order", "code")
        )
        codes = held.keywords.select("art", "rank", "key_id").join(
            self.phrases.select("key_id", "code"), on="key_id", how="left", maintain_order="left"
        )
        self._order = self.phrases.get_column("order").to_numpy()
        # The filter's keyword terms match these rows' codes (DatasetFilterIndex).
        self.aggregates_art, self.aggregates_codes = codes.get_column("art"), codes.get_column("code")
        self.aggregates = KeywordAggregates(
            codes.get_column("art"),
            codes.get_column("code"),
            codes.get_column("rank"),
            self.phrases.height,
            article_ids.len(),
        )

    def top(self, mask: pl.Series | None = None, top: int | None = 100) -> pl.DataFrame:
        return self.top_of(None if mask is None else mask.to_numpy(), top)

    def top_of(self, mask: npt.NDArray[np.bool_] | None, top: int | None = 100) -> pl.DataFrame:
        """KeywordIndex.top for a NumPy mask over the articles."""
        articles, ranks, exact = self.aggregates.sums(mask)
        weight = exact / self.aggregates.scale
        present = np.flatnonzero(articles > 0)
        if top is not None and present.size > top:
            # Every phrase at least as heavy as the top-th heaviest (ties included), then sort those.
            bar = np.partition(exact[present], present.size - top)[present.size - top]
            present = present[exact[present] >= bar]
        chosen = present[_top_order(-exact[present], -articles[present], self._order[present])]
        if top is not None:
            chosen = chosen[:top]
        counts = articles[chosen]
        return pl.DataFrame(
            {
                "rank": pl.int_range(1, chosen.size + 1, dtype=pl.Int32, eager=True),
                "phrase": self.phrases.get_column("phrase").gather(chosen),
                "articles": pl.Series(counts, dtype=pl.Int32),
                "mean_rank": pl.Series(ranks[chosen] / counts, dtype=pl.Float64),
                "weight": pl.Series(weight[chosen], dtype=pl.Float64),
            }
        )


class HeldEntityIndex(EntityIndex):
    """EntityIndex over held rows with hashed entity ids; ties break alphabetically, as in memory."""

    def __init__(self, article_ids: pl.Series, held: HeldPart) -> None:
        self.article_ids = article_ids.rename("article_id")
        self.entities = (
            held.entity_names.with_columns(
                order=pl.struct("entity", "kind", "code").rank("dense").cast(pl.UInt32)
            )
            .sort("order", "entity_id")
            .with_row_index("code_id")
        )
        codes = held.entities.join(
            self.entities.select("entity_id", "code_id"), on="entity_id", how="left", maintain_order="left"
        )
        self._order = self.entities.get_column("order").to_numpy()
        self._names = self.entities.select("kind", "entity", "code")
        self.aggregates = EntityAggregates(
            codes.get_column("art"),
            codes.get_column("code_id"),
            codes.get_column("mentions"),
            self.entities.height,
            article_ids.len(),
        )

    def counts(self, mask: pl.Series | None = None, kind: str | None = None) -> pl.DataFrame:
        return self.counts_of(None if mask is None else mask.to_numpy(), kind)

    def counts_of(self, mask: npt.NDArray[np.bool_] | None, kind: str | None = None) -> pl.DataFrame:
        """EntityIndex.counts for a NumPy mask over the articles."""
        mentions, articles = self.aggregates.sums(mask)
        present = np.flatnonzero(articles > 0)
        chosen = present[_top_order(-mentions[present], -articles[present], self._order[present])]
        counted = self._names[chosen].with_columns(
            mentions=pl.Series(mentions[chosen], dtype=pl.Int32),
            articles=pl.Series(articles[chosen], dtype=pl.Int32),
        )
        if kind is not None:
            counted = counted.filter(pl.col("kind") == kind)
        return counted


class HeldPairs:
    """The pairs pane's counts (summarise_pairs without evidence) for a mask, from array sums."""

    def __init__(self, pairs: pl.DataFrame, articles: int) -> None:
        # Pair mentions in article order (ties: as held), each pair coded by its first appearance.
        ordered = pairs.with_row_index("_at").sort("art", "_at")
        names = ordered.group_by("code_a", "code_b", maintain_order=True).agg(
            name_a=pl.col("name_a").first(),
            name_b=pl.col("name_b").first(),
            varied=(pl.col("name_a").n_unique() > 1) | (pl.col("name_b").n_unique() > 1),
        )
        # summarise_pairs names a pair after its first kept mention: one code per pair gives that
        # only when every mention names it alike; otherwise the view falls back to summarise_pairs.
        self.uniform = not bool(names.get_column("varied").any())
        self.names = names.drop("varied").with_row_index("pair")
        coded = ordered.join(
            self.names.select("code_a", "code_b", "pair"),
            on=["code_a", "code_b"],
            how="left",
            maintain_order="left",
        )
        quads = ["neutral", *QUAD_COLUMNS]
        self.quads = quads
        self.aggregates = PairAggregates(
            coded.get_column("art"),
            coded.get_column("pair"),
            coded.get_column("stance").replace_strict(
                {name: i for i, name in enumerate(STANCES)}, default=len(STANCES), return_dtype=pl.Int64
            ),
            coded.get_column("quad").replace_strict(
                {name: i for i, name in enumerate(quads)}, default=len(quads), return_dtype=pl.Int64
            ),
            coded.get_column("weight").fill_null(0.0),
            self.names.height,
            len(quads) + 1,
            articles,
        )

    def summary(self, mask: npt.NDArray[np.bool_] | None) -> pl.DataFrame:
        grid, articles = self.aggregates.sums(mask)
        sentences = grid.sum(axis=(1, 2, 3))
        present = np.flatnonzero(sentences > 0)
        grid = grid[present]
        by_stance = grid.sum(axis=(2, 3))
        by_quad = grid.sum(axis=(1, 3))
        # Weighted sums from counts per weight value: sum over values of value × count.
        values = self.aggregates.weights
        weighted = grid.sum(axis=2) @ values if values.size else np.zeros((present.size, by_stance.shape[1]))
        total = weighted.sum(axis=1)
        net = np.divide(weighted[:, 0] - weighted[:, 1], total, out=np.zeros(present.size), where=total > 0)
        counts = {
            "sentences": sentences[present],
            "articles": articles[present],
            **{name: by_stance[:, i] for i, name in enumerate(STANCES)},
            **{name: by_quad[:, self.quads.index(name)] for name in QUAD_COLUMNS},
        }
        frame = self.names[present].with_columns(
            **{name: pl.Series(column, dtype=pl.UInt32) for name, column in counts.items()},
            net=pl.Series(net, dtype=pl.Float64),
            keywords=pl.lit([], dtype=pl.List(pl.String())),
            evidence=pl.lit([], dtype=pl.List(EVIDENCE_STRUCT)),
        )
        return frame.select([pl.col(name).cast(dtype) for name, dtype in PAIR_SUMMARY_SCHEMA.items()]).sort(
            ["sentences", "code_a", "code_b"], descending=[True, False, False]
        )


class DatasetCorpus(Corpus):
    """A Corpus over what a dataset's dashboard holds; texts, mention details and evidence are read
    from the dataset when an article or a pair is opened."""

    index: DatasetFilterIndex
    keywords: HeldKeywordIndex
    entities: HeldEntityIndex

    def __init__(self, dataset: Dataset, articles: pl.DataFrame, held: HeldPart) -> None:
        self.dataset = dataset
        empty = {t: pl.DataFrame(schema=TABLE_SCHEMAS[t]) for t in ("keywords", "mentions")}
        self.analysis = Analysis(articles, empty["keywords"], empty["mentions"], held.pairs)
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
        # The articles table by date, newest first (ties in dataset order), as Corpus.view sorts it;
        # a filter picks its rows by number (see PickedRows) rather than copying them.
        by_date = (
            self.rows.with_row_index("row")
            .sort("date", descending=True, nulls_last=True, maintain_order=True)
            .with_columns(relevance=pl.lit(0.0))
        )
        self._date_order = by_date.get_column("row").to_numpy()
        self._by_date = by_date.drop("row")
        self.keywords = HeldKeywordIndex(ids, held)
        self.entities = HeldEntityIndex(ids, held)
        self.index = DatasetFilterIndex(articles, held, dataset.search, self.keywords)
        self._pairs = HeldPairs(held.pairs, articles.height)
        # Each article's rows in the keywords and mentions tables, to read them by position;
        # _UNCOUNTED for an article whose rows were not counted (then it is searched for).
        self._table_rows: dict[str, npt.NDArray[np.int64]] = {}
        arts = held.table_rows.get_column("art").to_numpy()
        for table in ("keywords", "mentions"):
            counts = np.full(articles.height, _UNCOUNTED, dtype=np.int64)
            counts[arts] = held.table_rows.get_column(table).to_numpy()
            self._table_rows[table] = counts
        self._days = DayAggregates(articles.get_column("date"))
        self._unfiltered = {}

    def view(
        self,
        query: str = "",
        sort: SortOrder = "date",
        hide: pl.Series | None = None,
        stop: StopCheck | None = None,
        keywords_now: bool = False,
    ) -> CorpusView:
        """As Corpus.view, computed on boolean masks over article rows rather than on id lists: at a
        million articles, joins and membership tests on ids cost more than all the panes together.
        Relevance is computed only when sorting by it (by date, the column is 0). `stop` is asked
        after the filter and after each pane (on both threads): a stale keystroke's view then
        stops early rather than taking the CPU from the next one's."""
        parsed = parse_query(query)
        unfiltered = not parsed.terms and hide is None
        if unfiltered and sort in self._unfiltered:
            return self._kept_view(sort, query, keywords_now)
        mask = self.index.matching_mask(parsed)
        check(stop)
        if hide is not None:
            keep = ~self._ids.is_in(hide.implode())
            mask = keep if mask is None else mask & keep
        flags = None if mask is None else mask.to_numpy()

        # The entity pane on a second core meanwhile: NumPy's counting and gathers and Polars'
        # filters let go of the interpreter lock, so it overlaps the articles and timeline panes
        # computed here. The pairs pane goes to whichever side has less to do: the second core's
        # when this one makes the corpus keywords too (each side then about as long), else here.
        def side_panes() -> list[pl.DataFrame]:
            panes = [self.entities.counts_of(flags)]
            if keywords_now:
                check(stop)
                panes.append(self._pair_summary(mask, flags))
            return panes

        side = _SIDE_PANES.submit(side_panes)
        pairs_here: list[pl.DataFrame] = []
        try:
            if sort == "relevance":
                ids = self._ids if mask is None else self._ids.filter(mask)
                relevance = self.index.relevance(parsed, ids)
                articles = PickedRows(
                    self.rows.join(relevance, on="id", how="inner", maintain_order="left").sort(
                        ["relevance", "date"], descending=True, nulls_last=True, maintain_order=True
                    )
                )
            elif flags is None:
                articles = PickedRows(self._by_date)
            else:
                articles = PickedRows(self._by_date, np.flatnonzero(flags[self._date_order]), ascending=True)
            check(stop)
            timeline = self._days.counts(flags)
            keywords_of = Deferred(lambda: self.keywords.top_of(flags, top=200))
            check(stop)
            if keywords_now:
                keywords_of()
            else:
                pairs_here.append(self._pair_summary(mask, flags))
        except BaseException:
            # Waited for even when this view stops: a stale view's half never outlives it. Its
            # own outcome is dropped, so that a stop (or an error) here is what the caller sees.
            wait([side])
            raise
        entities, pairs = [*side.result(), *pairs_here]  # the pairs came from one side or the other
        view = CorpusView(
            query=query,
            sort=sort,
            total=self.total,
            articles=articles,
            keywords_of=keywords_of,
            entities=entities,
            pairs=pairs,
            timeline=timeline,
            filtered=not unfiltered,
        )
        if unfiltered:
            self._unfiltered[sort] = view
        return view

    def _pair_summary(self, mask: pl.Series | None, flags: npt.NDArray[np.bool_] | None) -> pl.DataFrame:
        """The pairs pane: array sums, or summarise_pairs when a pair's mentions name it differently."""
        if self._pairs.uniform and self._pairs.aggregates.usable:
            return self._pairs.summary(flags)
        pairs = self.analysis.pairs
        if mask is not None:
            pairs = pairs.filter(mask.gather(pairs.get_column("art")))
        return summarise_pairs(pairs, None, None, evidence_limit=0)

    def _row(self, article_id: str) -> int | None:
        rows = self.analysis.articles.get_column("id").eq(article_id).arg_true()
        return int(rows[0]) if rows.len() else None

    def _at(self, table: str, row: int) -> tuple[int, int] | None:
        """Where article `row`'s rows of `table` are in its partition's file: after those of the
        partition's earlier articles (see Dataset.read_rows); None when one of those is uncounted."""
        counts = self._table_rows[table][self.dataset.partition_start(row) : row + 1]
        if counts.size == 0 or (counts == _UNCOUNTED).any():
            return None
        return int(counts[:-1].sum()), int(counts[-1])

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
        keywords = self.dataset.read_rows("keywords", row, article_id, self._at("keywords", row)).sort("rank")
        mentions = self.dataset.read_rows("mentions", row, article_id, self._at("mentions", row))
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
