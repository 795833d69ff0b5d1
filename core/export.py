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

from core.analysis import Analysis

Format = Literal["jsonl", "json", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "json", "csv", "parquet")


def article_records(analysis: Analysis, top: int = 10, article_ids: pl.Series | None = None) -> pl.DataFrame:
    """id, title, date, source, url and the top keywords [{text, score}] of each article."""
    articles = analysis.articles
    if article_ids is not None:
        articles = articles.filter(pl.col("id").is_in(article_ids.implode()))
    keywords = (
        analysis.keywords.filter(pl.col("rank") <= top)
        .sort("article_id", "rank")
        .group_by("article_id", maintain_order=True)
        .agg(keywords=pl.struct(text=pl.col("phrase"), score=pl.col("score")))
    )
    return (
        articles.select("id", "title", "date", "source", "url")
        .join(keywords, left_on="id", right_on="article_id", how="left", maintain_order="left")
        .with_columns(pl.col("keywords").fill_null(pl.lit([], dtype=keywords.schema["keywords"])))
    )


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
    target = Path(output)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
