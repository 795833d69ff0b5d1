"""Records for scripts and files: one row per article, and writers for JSONL, JSON, CSV and Parquet.

Shared by the CLI and the dashboard's export so both write exactly the same shapes.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Literal

import polars as pl

from core.analysis.frames import Analysis
from core.atomic import write_bytes_atomically

Format = Literal["jsonl", "json", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "json", "csv", "parquet")


KEYWORD_ITEM = pl.Struct({"text": pl.String(), "score": pl.Float64()})
COUNTRY_ITEM = pl.Struct({"code": pl.String(), "name": pl.String(), "mentions": pl.Int32()})
ENTITY_ITEM = pl.Struct({"text": pl.String(), "kind": pl.String(), "mentions": pl.Int32()})
EXPLAIN_ITEM = pl.Struct(
    {
        "surface": pl.String(),
        "code": pl.String(),
        "how": pl.String(),
        "locative": pl.Boolean(),
        "sentence": pl.Int32(),
        "start": pl.Int32(),
        "end": pl.Int32(),
    }
)


def _nested(
    frame: pl.DataFrame, name: str, item: pl.Struct, by: list[str], descending: list[bool]
) -> pl.DataFrame:
    """Group rows per article into one list-of-structs column, in the given order."""
    return (
        frame.sort(["article_id", *by], descending=[False, *descending])
        .group_by("article_id", maintain_order=True)
        .agg(pl.struct([pl.col(f).cast(t) for f, t in item.to_schema().items()]).alias(name))
    )


def article_records(
    analysis: Analysis, top: int = 10, article_ids: pl.Series | None = None, explain: bool = False
) -> pl.DataFrame:
    """One row per article: id, title, date, source, url, keywords, countries, entities (and mentions).

    keywords: [{text, score}] best first; countries: [{code, name, mentions}] most mentioned first;
    entities: [{text, kind, mentions}] (people, organisations, other); with `explain`, mentions:
    every country mention [{surface, code, how, locative, sentence, start, end}] in text order.
    """
    articles = analysis.articles
    if article_ids is not None:
        articles = articles.filter(pl.col("id").is_in(article_ids.implode()))
    keywords = _nested(
        analysis.keywords.filter(pl.col("rank") <= top).rename({"phrase": "text"}),
        "keywords",
        KEYWORD_ITEM,
        ["rank"],
        [False],
    )
    mentions = analysis.mentions
    counted = mentions.group_by("article_id", "kind", "entity", "code").agg(
        mentions=pl.len().cast(pl.Int32), first=pl.col("start").min()
    )
    countries = _nested(
        counted.filter(pl.col("kind") == "country").rename({"entity": "name"}),
        "countries",
        COUNTRY_ITEM,
        ["mentions", "first"],
        [True, False],
    )
    entities = _nested(
        counted.filter(pl.col("kind") != "country").rename({"entity": "text"}),
        "entities",
        ENTITY_ITEM,
        ["mentions", "first"],
        [True, False],
    )
    parts = [
        (keywords, "keywords", KEYWORD_ITEM),
        (countries, "countries", COUNTRY_ITEM),
        (entities, "entities", ENTITY_ITEM),
    ]
    if explain:
        explained = _nested(
            mentions.filter(pl.col("kind") == "country"), "mentions", EXPLAIN_ITEM, ["start"], [False]
        )
        parts.append((explained, "mentions", EXPLAIN_ITEM))
    records = articles.select("id", "title", "date", "source", "url")
    for frame, name, item in parts:
        records = records.join(frame, left_on="id", right_on="article_id", how="left", maintain_order="left")
        records = records.with_columns(pl.col(name).fill_null(pl.lit([], dtype=pl.List(item))))
    return records


def _flatten_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV has no nested values: lists and structs become JSON text in their cell."""
    nested = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.List, pl.Struct))]
    return frame.with_columns(
        pl.Series(
            name,
            [json.dumps(v, ensure_ascii=False, default=str) for v in frame[name].to_list()],
            dtype=pl.String,
        )
        for name in nested
    )


def write_frame(frame: pl.DataFrame, fmt: Format, output: str | os.PathLike[str] | None = None) -> None:
    """Write `frame` as `fmt` to `output`, or to stdout when None (Parquet needs a file)."""
    if fmt == "parquet" and output is None:
        raise ValueError("Parquet is binary: give --output FILE")
    buffer = io.BytesIO()
    if fmt == "jsonl":
        frame.write_ndjson(buffer)
    elif fmt == "json":
        frame.write_json(buffer)
    elif fmt == "csv":
        _flatten_for_csv(frame).write_csv(buffer)
    else:
        frame.write_parquet(buffer)
    data = buffer.getvalue()
    if fmt == "json" and not data.endswith(b"\n"):
        data += b"\n"
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_bytes_atomically(Path(output), data, create_parents=False)
