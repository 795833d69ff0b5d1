"""What the dashboard holds of a dataset, coded as integers one partition at a time.

At a million articles the dashboard cannot hold every keyword and mention as strings (tens of
millions of rows) nor afford sorting them to code them. Each partition is therefore reduced on
its own, as it is read, to the integer frames the panes and the filter aggregate over: article
rows (global positions) and 64-bit hashes of keyword phrases and entity keys, with the distinct
strings kept once in small dictionaries. A 64-bit hash over a million distinct strings collides
with odds of about 1 in 30 million; a collision would merge two phrases in the counts.

The frames mirror what core.corpus.indexes and core.corpus.query build from in-memory frames:
- keywords: art, key_id, rank (KeywordIndex.rows without inverse_rank); key_id hashes the lower-cased phrase
- phrases: key_id, phrase, uses (how often each casing occurs: the shown phrase is the most frequent)
- entities: art, entity_id, mentions (EntityIndex.rows); entity_id hashes (entity, kind, code)
- entity_names: entity_id, kind, entity, code
- entity_keys: row, key_id, mentions: the filter's `entity:` rows; key_id hashes "entity\\x1fsurface"
- key_names: key_id, key
- countries: row, code, mentions, first: country mentions per article (filter and articles table)
- country_names: kind, entity, surface, how, code, uses (for core.countries.names)
- pairs: the held pair mentions (core.dataset.read.HELD_PAIR_COLUMNS) and their article's art
- table_rows: art, keywords, mentions: each article's rows in those tables, so that opening an
  article reads its rows by position (Dataset.read_rows) instead of searching a partition
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import polars as pl

from core.dataset.read import HELD_MENTION_COLUMNS, HELD_PAIR_COLUMNS, ArticleFile, Dataset

# Separates an entity from its surface in the filter's entity key (as core.corpus.query does).
_SEP = "\x1f"


@dataclass
class HeldPart:
    """One or more partitions' integer-coded frames (see the module docstring)."""

    keywords: pl.DataFrame
    phrases: pl.DataFrame
    entities: pl.DataFrame
    entity_names: pl.DataFrame
    entity_keys: pl.DataFrame
    key_names: pl.DataFrame
    countries: pl.DataFrame
    country_names: pl.DataFrame
    pairs: pl.DataFrame
    table_rows: pl.DataFrame


def _rows(file: ArticleFile, ids: pl.Series, start: int) -> pl.LazyFrame:
    """article_id → art (the article's global row) for these articles of one partition."""
    first = file.offset + start
    return pl.LazyFrame(
        {"article_id": ids, "art": pl.int_range(first, first + ids.len(), dtype=pl.UInt32, eager=True)}
    )


def _rows_per_article(table: pl.DataFrame, name: str) -> pl.LazyFrame:
    return table.lazy().group_by("art").agg(pl.len().cast(pl.UInt32).alias(name))


def read_part(dataset: Dataset, file: ArticleFile, ids: pl.Series, start: int = 0) -> HeldPart:
    """One partition's held frames, or those of a run of its articles: `ids` are the articles' ids
    in file order from row `start` of the file (rows of other articles are left out).

    Strings are hashed once per row and every group-by runs on integers: grouping tens of millions
    of rows by strings is what made holding a million articles slow.
    """
    rows = _rows(file, ids, start)
    names = [file.partition]
    keywords, mentions, pairs = pl.collect_all(
        [
            dataset.scan("keywords", names)
            .join(rows, on="article_id", how="inner")
            .select("art", "rank", "phrase", key_id=pl.col("phrase").str.to_lowercase().hash()),
            dataset.scan("mentions", names)
            .select(HELD_MENTION_COLUMNS)
            .join(rows, on="article_id", how="inner")
            .drop("article_id")
            .with_columns(
                entity_id=pl.struct("entity", "kind", "code").hash(),
                key=pl.concat_str(
                    [pl.col("entity").fill_null(""), pl.col("surface").fill_null("")], separator=_SEP
                ).str.to_lowercase(),
            )
            .with_columns(key_id=pl.col("key").hash()),
            dataset.scan("pairs", names).select(HELD_PAIR_COLUMNS).join(rows, on="article_id", how="inner"),
        ]
    )
    countries = mentions.lazy().filter(pl.col("kind") == "country", pl.col("code").is_not_null())
    frames = pl.collect_all(
        [
            # No 1/rank column: the keyword sums weigh ranks through integer tables
            # (core.dataset.aggregate), and 8 bytes a row is 160 MB at a million articles.
            keywords.lazy().select("art", "key_id", "rank"),
            keywords.lazy().group_by("key_id", "phrase").agg(uses=pl.len().cast(pl.UInt32)),
            mentions.lazy().group_by("art", "entity_id").agg(mentions=pl.len().cast(pl.Int32)),
            mentions.lazy().select("entity_id", "kind", "entity", "code").unique("entity_id"),
            mentions.lazy()
            .group_by(pl.col("art").alias("row"), "key_id")
            .agg(mentions=pl.len().cast(pl.Int32)),
            mentions.lazy().select("key_id", "key").unique("key_id"),
            countries.group_by(pl.col("art").alias("row"), "code").agg(
                mentions=pl.len().cast(pl.Int32), first=pl.col("start").min()
            ),
            countries.group_by("kind", "entity", "surface", "how", "code").agg(uses=pl.len().cast(pl.UInt32)),
            rows.select("art")
            .join(_rows_per_article(keywords, "keywords"), on="art", how="left")
            .join(_rows_per_article(mentions, "mentions"), on="art", how="left")
            .fill_null(0),
        ]
    )
    return HeldPart(*frames[:8], pairs=pairs, table_rows=frames[8])  # type: ignore[misc]


def merge_parts(parts: Sequence[HeldPart]) -> HeldPart:
    """The parts' frames as one, each dictionary holding every distinct key once."""
    if len(parts) == 1:
        return parts[0]
    merged = {
        f.name: pl.concat([getattr(p, f.name) for p in parts], how="vertical") for f in fields(HeldPart)
    }
    merged["phrases"] = merged["phrases"].group_by("key_id", "phrase").agg(pl.col("uses").sum())
    merged["entity_names"] = merged["entity_names"].unique("entity_id")
    merged["key_names"] = merged["key_names"].unique("key_id")
    merged["country_names"] = (
        merged["country_names"].group_by("kind", "entity", "surface", "how", "code").agg(pl.col("uses").sum())
    )
    return HeldPart(**merged)
