"""`Analysis`, the analysed corpus as flat frames, and how they are built from per-article result rows.

Results are keyed by content hash (what the cache knows); the frames are keyed by article id
(what the user filters on), so each is an explode of the nested column joined to the articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from core.schema import KEYWORD_STRUCT, MENTION_STRUCT, PAIR_STRUCT


def _exploded(articles: pl.DataFrame, results: pl.DataFrame, column: str, struct: pl.Struct) -> pl.DataFrame:
    ids = articles.select(pl.col("id").alias("article_id"), "content_hash")
    nested = results.select("content_hash", column).explode(column).drop_nulls(column)
    flat = nested.with_columns(pl.col(column).cast(struct)).unnest(column)
    # Rank within the article, in stored order (keywords are stored best first).
    flat = flat.with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("content_hash"))
    return ids.join(flat, on="content_hash", how="inner", maintain_order="left").drop("content_hash")


def keyword_frame(articles: pl.DataFrame, results: pl.DataFrame) -> pl.DataFrame:
    """article_id, phrase, score, rank (1 = best) for every article's keywords."""
    frame = _exploded(articles, results, "keywords", KEYWORD_STRUCT)
    return frame.select("article_id", "rank", "phrase", "score")


def mention_frame(articles: pl.DataFrame, results: pl.DataFrame) -> pl.DataFrame:
    """article_id plus MENTION_STRUCT's fields for every country/person/organisation mention."""
    return _exploded(articles, results, "mentions", MENTION_STRUCT).drop("rank")


def pair_frame(articles: pl.DataFrame, results: pl.DataFrame) -> pl.DataFrame:
    """article_id plus PAIR_STRUCT's fields for every country pair named in one sentence."""
    return _exploded(articles, results, "pairs", PAIR_STRUCT).drop("rank")


@dataclass
class Analysis:
    """The analysed corpus as frames: articles, keywords, mentions and country-pair mentions."""

    articles: pl.DataFrame
    keywords: pl.DataFrame
    mentions: pl.DataFrame
    pairs: pl.DataFrame
    analysed: int = 0
    cached: int = 0
    problems: list[str] = field(default_factory=list)
