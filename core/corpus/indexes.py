"""Corpus-level aggregates for any subset of articles: keywords and entity counts.

Strings are coded as integers once per corpus (`KeywordIndex`, `EntityIndex`); a subset is then a
boolean mask over the corpus's articles, and each aggregate is one small integer group-by. That is
what lets the dashboard recompute them on every keystroke of its filter with 10,000 articles.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import polars as pl

ArticleIds = Collection[str] | pl.Series | None


def _codes(article_ids: pl.Series) -> pl.DataFrame:
    """article_id → art, its position in the corpus (the index into every mask)."""
    return pl.DataFrame(
        {
            "article_id": article_ids.cast(pl.String),
            "art": pl.int_range(article_ids.len(), dtype=pl.UInt32, eager=True),
        }
    )


class _Index:
    """The article universe shared by an index and the masks it accepts."""

    def __init__(self, rows: pl.DataFrame, article_ids: pl.Series | None) -> None:
        """`article_ids` fixes the universe (and mask order); by default, the articles `rows` name."""
        universe = (
            article_ids
            if article_ids is not None
            else rows.get_column("article_id").unique(maintain_order=True)
        )
        self.article_ids = universe.rename("article_id")

    def _coded(self, rows: pl.DataFrame) -> pl.DataFrame:
        """`rows` with `art`, each article's position in the universe, for the masks to gather by."""
        return rows.join(_codes(self.article_ids), on="article_id", how="inner")

    def mask(self, article_ids: ArticleIds) -> pl.Series | None:
        """Boolean Series over this index's articles (None = every article)."""
        if article_ids is None:
            return None
        wanted = (
            article_ids
            if isinstance(article_ids, pl.Series)
            else pl.Series(list(article_ids), dtype=pl.String)
        )
        return self.article_ids.is_in(wanted.cast(pl.String).implode())

    @staticmethod
    def _select(rows: pl.DataFrame, mask: pl.Series | None) -> pl.DataFrame:
        return rows if mask is None else rows.filter(mask.gather(rows.get_column("art")))


class KeywordIndex(_Index):
    """Every article's keywords as (article, phrase id, rank), phrases case-folded."""

    def __init__(self, keywords: pl.DataFrame, article_ids: pl.Series | None = None) -> None:
        super().__init__(keywords, article_ids)
        coded = (
            self._coded(keywords)
            .with_columns(key=pl.col("phrase").str.to_lowercase())
            # Dense rank of the folded phrase: an integer id whose order is alphabetical (for ties).
            .with_columns(key_id=pl.col("key").rank("dense").cast(pl.UInt32))
        )
        self.phrases = coded.group_by("key_id").agg(phrase=pl.col("phrase").mode().sort().first())
        # The weight (sum of 1/rank) as the integer sum of L/rank, L the least common multiple of
        # the ranks, as the dataset's KeywordAggregates sums it: equal weights (1/3 + 1/4 and
        # 1/2 + 1/12) then tie exactly and break by articles and alphabet on both paths, where
        # float sums could differ in the last bit and order them either way. Float sums only when
        # the largest possible total would not fit a double's integers.
        ranks = coded.get_column("rank").to_numpy()
        top = int(ranks.max()) if ranks.size else 1
        exact = ranks.size == 0 or int(ranks.min()) >= 1
        self.scale = math.lcm(*range(1, top + 1)) if exact else 1
        if exact and self.scale * max(ranks.size, 1) < 2**53:
            inverse = (self.scale // pl.col("rank").cast(pl.Int64)).cast(pl.Float64)
        else:
            self.scale = 1
            inverse = 1.0 / pl.col("rank")
        self.rows = coded.select("art", "key_id", "rank", inverse_rank=inverse)

    def top(self, mask: pl.Series | None = None, top: int | None = 100) -> pl.DataFrame:
        """rank, phrase, articles, mean_rank, weight for the masked articles, best first.

        The corpus rank orders phrases by the sum of 1/rank over the articles that carry them: a
        phrase that many articles put near the top beats one article's first keyword.
        """
        ranked = (
            self._select(self.rows, mask)
            .group_by("key_id")
            .agg(
                articles=pl.len().cast(pl.Int32),
                mean_rank=pl.col("rank").mean(),
                weight=pl.col("inverse_rank").sum(),
            )
            .sort(["weight", "articles", "key_id"], descending=[True, True, False])
            .with_columns(weight=pl.col("weight") / self.scale)
        )
        if top is not None:
            ranked = ranked.head(top)
        return (
            ranked.join(self.phrases, on="key_id", how="left", maintain_order="left")
            .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32))
            .select("rank", "phrase", "articles", "mean_rank", "weight")
        )


class EntityIndex(_Index):
    """Mentions counted once per (article, entity), entities coded as integers."""

    def __init__(self, mentions: pl.DataFrame, article_ids: pl.Series | None = None) -> None:
        super().__init__(mentions, article_ids)
        counted = (
            self._coded(mentions)
            .group_by("art", "kind", "entity", "code")
            .agg(mentions=pl.len().cast(pl.Int32))
            # Dense rank over (entity, kind, code): an integer id that sorts alphabetically by name.
            .with_columns(entity_id=pl.struct("entity", "kind", "code").rank("dense").cast(pl.UInt32))
        )
        self.entities = counted.select("entity_id", "kind", "entity", "code").unique("entity_id")
        self.rows = counted.select("art", "entity_id", "mentions")

    def counts(self, mask: pl.Series | None = None, kind: str | None = None) -> pl.DataFrame:
        """kind, entity, code, mentions, articles for the masked articles, most mentioned first."""
        counted = (
            self._select(self.rows, mask)
            .group_by("entity_id")
            .agg(mentions=pl.col("mentions").sum().cast(pl.Int32), articles=pl.len().cast(pl.Int32))
            .join(self.entities, on="entity_id", how="left")
        )
        if kind is not None:
            counted = counted.filter(pl.col("kind") == kind)
        return counted.sort(["mentions", "articles", "entity_id"], descending=[True, True, False]).select(
            "kind", "entity", "code", "mentions", "articles"
        )


def corpus_keywords(
    keywords: pl.DataFrame, article_ids: ArticleIds = None, top: int | None = 100
) -> pl.DataFrame:
    """Corpus keywords of a subset (see KeywordIndex.top); builds the index, so not for hot loops."""
    index = KeywordIndex(keywords)
    return index.top(index.mask(article_ids), top)


def entity_counts(
    mentions: pl.DataFrame, article_ids: ArticleIds = None, kind: str | None = None
) -> pl.DataFrame:
    """Entity counts of a subset (see EntityIndex.counts); builds the index, so not for hot loops."""
    index = EntityIndex(mentions)
    return index.counts(index.mask(article_ids), kind)
