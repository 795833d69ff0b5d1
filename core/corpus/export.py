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
from core.analysis.pipeline import explain_entities
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

# --explain detail of people, organisations, places and other names: the span, where it is, and
# `how` the tagger decided its kind (margin over the runner-up tag, the features that weighed most).
EXPLAIN_ENTITY_ITEM = pl.Struct(
    {
        "text": pl.String(),
        "surface": pl.String(),
        "kind": pl.String(),
        "how": pl.String(),
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


def _with_explanations(entity_mentions: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Entity mentions whose `how` also names the features that decided the kind (recomputed here,
    per explained article, because the analysis leaves them out to stay fast)."""
    if entity_mentions.is_empty():
        return entity_mentions
    wanted = articles.filter(pl.col("id").is_in(entity_mentions.get_column("article_id").unique().implode()))
    rows = [
        (article_id, start, end, how)
        for article_id, title, text in wanted.select("id", "title", "text").iter_rows()
        for (start, end), how in explain_entities(title or "", text or "").items()
    ]
    detail = pl.DataFrame(
        rows,
        schema={"article_id": pl.String, "start": pl.Int32, "end": pl.Int32, "detail": pl.String},
        orient="row",
    )
    joined = entity_mentions.join(
        detail.with_columns(pl.col("start", "end").cast(entity_mentions.schema["start"])),
        on=["article_id", "start", "end"],
        how="left",
    )
    return joined.with_columns(pl.coalesce("detail", "how").alias("how")).drop("detail")


def article_records(
    analysis: Analysis, top: int = 10, article_ids: pl.Series | None = None, explain: bool = False
) -> pl.DataFrame:
    """One row per article: id, title, date, source, url, keywords, countries, entities (and mentions).

    keywords: [{text, score}] best first; countries: [{code, name, mentions}] most mentioned first;
    entities: [{text, kind, mentions}] (people, organisations, places, other); with `explain`, mentions:
    every country mention [{surface, code, how, locative, sentence, start, end}] in text order, and
    entity_mentions: every other name's mention [{text, surface, kind, how, sentence, start, end}].
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
        named = _nested(
            _with_explanations(mentions.filter(pl.col("kind") != "country"), articles).rename(
                {"entity": "text"}
            ),
            "entity_mentions",
            EXPLAIN_ENTITY_ITEM,
            ["start"],
            [False],
        )
        parts.append((named, "entity_mentions", EXPLAIN_ENTITY_ITEM))
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


def write_outputs(outputs: dict[str, pl.DataFrame], base: Path, fmt: Format) -> list[Path]:
    """Each frame to BASE-LABEL.FMT beside `base`; the paths written, in order."""
    written: list[Path] = []
    for label, frame in outputs.items():
        path = base.with_name(f"{base.name}-{label}.{fmt}")
        write_frame(frame, fmt, path)
        written.append(path)
    return written
