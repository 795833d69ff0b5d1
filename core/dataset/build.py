"""Write analysed frames as a dataset in one process: for tests, benchmarks and small corpora.

The cluster writer (core.dataset.write) is what analyses and writes at scale; this writes frames
already in memory, per the layout of core.dataset.manifest, partition by partition, with the
filter's postings (core.dataset.search_index) beside each partition's articles.
"""

from __future__ import annotations

import fsspec
import polars as pl

from core.analysis.frames import Analysis
from core.dataset.manifest import Manifest, Partition, commit_manifest, new_partition_name, partition_path
from core.dataset.search_index import build_index, write_index
from core.schema import engine_key

# Articles row groups stay small so that opening one article reads a few hundred kB, not a partition.
ARTICLE_ROW_GROUP = 512


def write_partition(root: str, part: Analysis, index: pl.DataFrame | None = None) -> Partition:
    """Write one partition's tables (articles with text, keywords, mentions, pairs, postings).

    `index`: postings already built for `part.articles` (build_index), else built here. Each file
    goes to a temporary name first, then is moved into place; the caller commits the manifest.
    """
    fs, path = fsspec.core.url_to_fs(root)
    name = new_partition_name()
    tables = {
        "articles": part.articles,
        "keywords": part.keywords,
        "mentions": part.mentions,
        "pairs": part.pairs,
        "index": build_index(part.articles) if index is None else index,
    }
    rows: dict[str, int] = {}
    for table, frame in tables.items():
        rows[table] = frame.height
        if not frame.height:
            continue
        fs.makedirs(f"{path.rstrip('/')}/{table}", exist_ok=True)
        final = partition_path(path, table, name)
        temporary = partition_path(path, table, f".{name}.tmp")
        with fs.open(temporary, "wb") as handle:
            if table == "index":
                write_index(frame, handle)
            elif table == "articles":
                frame.write_parquet(handle, row_group_size=ARTICLE_ROW_GROUP)
            else:
                frame.write_parquet(handle)
        fs.mv(temporary, final)
    return Partition(name, rows)


def split_analysis(analysis: Analysis, articles_per_partition: int) -> list[Analysis]:
    """The analysis cut into parts of consecutive articles, each with its own rows of every frame."""
    parts: list[Analysis] = []
    for start in range(0, analysis.articles.height, articles_per_partition):
        articles = analysis.articles.slice(start, articles_per_partition)
        ids = articles.get_column("id").implode()
        parts.append(
            Analysis(
                articles=articles,
                keywords=analysis.keywords.filter(pl.col("article_id").is_in(ids)),
                mentions=analysis.mentions.filter(pl.col("article_id").is_in(ids)),
                pairs=analysis.pairs.filter(pl.col("article_id").is_in(ids)),
            )
        )
    return parts


def frame_schemas(part: Analysis) -> dict[str, dict[str, str]]:
    """The manifest's schema record: each table's column types, as text."""
    frames = {
        "articles": part.articles,
        "keywords": part.keywords,
        "mentions": part.mentions,
        "pairs": part.pairs,
    }
    return {
        table: {name: str(dtype) for name, dtype in frame.schema.items()} for table, frame in frames.items()
    }


def write_analysis(root: str, analysis: Analysis, articles_per_partition: int = 50_000) -> Manifest:
    """Write a whole analysis as a new dataset at `root` (local path or fsspec URL) and commit it."""
    partitions = [write_partition(root, part) for part in split_analysis(analysis, articles_per_partition)]
    manifest = Manifest(
        root=root, engine_version=engine_key(), partitions=partitions, schema=frame_schemas(analysis)
    )
    commit_manifest(manifest)
    return manifest
