"""Corpus-level aggregates for any subset of articles: keywords and entity counts.

Each is one filter plus one group-by over a flat frame, so the dashboard can recompute them on
every keystroke of its filter.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

ArticleIds = Collection[str] | pl.Series | None


def _subset(frame: pl.DataFrame, article_ids: ArticleIds) -> pl.LazyFrame:
    lazy = frame.lazy()
    if article_ids is None:
        return lazy
    ids = article_ids if isinstance(article_ids, pl.Series) else pl.Series(list(article_ids), dtype=pl.String)
    return lazy.filter(pl.col("article_id").is_in(ids.implode()))


def corpus_keywords(
    keywords: pl.DataFrame, article_ids: ArticleIds = None, top: int | None = 100
) -> pl.DataFrame:
    """Per phrase (case-folded): articles carrying it, its mean rank there, and a corpus rank.

    The corpus rank orders phrases by the sum of 1/rank over the articles that carry them: a phrase
    that many articles put near the top beats one article's first keyword.
    """
    ranked = (
        _subset(keywords, article_ids)
        .with_columns(key=pl.col("phrase").str.to_lowercase())
        .group_by("key")
        .agg(
            phrase=pl.col("phrase").mode().sort().first(),
            articles=pl.col("article_id").n_unique().cast(pl.Int32),
            mean_rank=pl.col("rank").mean(),
            weight=(1.0 / pl.col("rank")).sum(),
        )
        .sort(["weight", "articles", "key"], descending=[True, True, False])
        .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32))
        .select("rank", "phrase", "articles", "mean_rank", "weight")
    )
    if top is not None:
        ranked = ranked.head(top)
    return ranked.collect()


def article_entity_counts(mentions: pl.DataFrame, article_ids: ArticleIds = None) -> pl.DataFrame:
    """Per article and entity: mentions, most mentioned first within each article."""
    return (
        _subset(mentions, article_ids)
        .group_by("article_id", "kind", "entity", "code")
        .agg(mentions=pl.len().cast(pl.Int32), first=pl.col("start").min())
        .sort(["article_id", "mentions", "first"], descending=[False, True, False])
        .drop("first")
        .collect()
    )


def entity_counts(
    mentions: pl.DataFrame, article_ids: ArticleIds = None, kind: str | None = None
) -> pl.DataFrame:
    """Per entity over the subset: mentions and distinct articles, most mentioned first."""
    lazy = _subset(mentions, article_ids)
    if kind is not None:
        lazy = lazy.filter(pl.col("kind") == kind)
    return (
        lazy.group_by("kind", "entity", "code")
        .agg(mentions=pl.len().cast(pl.Int32), articles=pl.col("article_id").n_unique().cast(pl.Int32))
        .sort(["mentions", "articles", "entity"], descending=[True, True, False])
        .collect()
    )
