"""The dataset's analysis tables as frames: their schemas, and lazy scans over a manifest's committed files.

The schemas are those of `core.analysis.frames.Analysis` (what the cache-backed analysis gives a
session), so a dataset read back is the same `Analysis` an in-memory run builds.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from core.analysis.frames import Analysis
from core.analysis.run import merge_analyses
from core.dataset.manifest import DatasetError, Manifest

# The tables this release writes per partition ("index" is the search index, written by its own module).
ANALYSIS_TABLES = ("articles", "keywords", "mentions", "pairs")


@cache
def table_schemas() -> dict[str, dict[str, pl.DataType]]:
    """Column name -> dtype for each analysis table (from an empty analysis, so they cannot drift)."""
    empty = merge_analyses([])
    return {table: dict(frame_of(empty, table).schema) for table in ANALYSIS_TABLES}


def schema_record() -> dict[str, dict[str, str]]:
    """The schemas as the manifest stores them (dtype names)."""
    schemas = table_schemas()
    return {table: {name: str(dtype) for name, dtype in schema.items()} for table, schema in schemas.items()}


def frame_of(analysis: Analysis, table: str) -> pl.DataFrame:
    frame: pl.DataFrame = getattr(analysis, table)
    return frame


def scan_table(manifest: Manifest, table: str) -> pl.LazyFrame:
    """A lazy scan over the table's committed files (never a directory listing: orphans stay unread)."""
    files = manifest.files(table)
    schema = table_schemas()[table]
    if not files:
        return pl.LazyFrame(schema=schema)
    return pl.scan_parquet(files, schema=schema)


def collect(frame: pl.LazyFrame, manifest: Manifest) -> pl.DataFrame:
    """Collect a scan of the dataset; a committed file gone or damaged is a DatasetError naming it."""
    try:
        return frame.collect()
    except (OSError, pl.exceptions.PolarsError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatasetError(f"{manifest.root}: a file the manifest lists cannot be read ({reason})") from error


def read_analysis(manifest: Manifest, tables: tuple[str, ...] = ANALYSIS_TABLES) -> Analysis:
    """The dataset (or the named tables of it; the others empty) as one in-memory `Analysis`."""
    frames = {
        table: collect(scan_table(manifest, table), manifest)
        if table in tables
        else pl.DataFrame(schema=table_schemas()[table])
        for table in ANALYSIS_TABLES
    }
    return Analysis(
        articles=frames["articles"],
        keywords=frames["keywords"],
        mentions=frames["mentions"],
        pairs=frames["pairs"],
    )
