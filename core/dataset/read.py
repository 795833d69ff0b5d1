"""Reading an analysed dataset: lazy scans of its tables, one article's text on demand, and the
compact frames the dashboard holds.

Articles are addressed by their global row: partitions in manifest order, rows in file order. The
dashboard holds ids, headlines, dates, sources, keywords, mentions (without offsets it does not
filter on) and pair mentions without their sentence text; texts, mention details and evidence
sentences stay on disk and are read when an article or a pair is opened.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import polars as pl

from core.analysis.frames import Analysis
from core.articles import ARTICLE_SCHEMA
from core.dataset.manifest import TABLES, DatasetError, Manifest, is_dataset, load_manifest, partition_path
from core.dataset.search_index import INDEX_SCHEMA, IndexFile, PostingsSearch, haystack
from core.schema import MENTION_STRUCT, PAIR_STRUCT


def _schema(struct: pl.Struct) -> dict[str, pl.DataType]:
    """A struct's fields as a frame schema."""
    return {field.name: cast(pl.DataType, field.dtype) for field in struct.fields}


# Each table's schema when a dataset has no file for it (e.g. no pair in any partition).
TABLE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "articles": ARTICLE_SCHEMA,
    "keywords": {"article_id": pl.String(), "rank": pl.Int32(), "phrase": pl.String(), "score": pl.Float64()},
    "mentions": {"article_id": pl.String(), **_schema(MENTION_STRUCT)},
    "pairs": {"article_id": pl.String(), **_schema(PAIR_STRUCT)},
    "index": INDEX_SCHEMA,
}

# What the dashboard holds of each table (see the module docstring).
HELD_ARTICLE_COLUMNS = ["id", "title", "date", "url", "source"]
HELD_MENTION_COLUMNS = ["article_id", "entity", "surface", "kind", "code", "how", "start"]
# Pair mentions without their sentence text, rule and cue lists: read when a pair is opened.
HELD_PAIR_COLUMNS = [
    "article_id",
    "sentence",
    "start",
    "end",
    "code_a",
    "code_b",
    "name_a",
    "name_b",
    "stance",
    "score",
    "weight",
    "event",
    "event_name",
    "quad",
    "source",
    "target",
    "venue",
]


@dataclass(frozen=True)
class ArticleFile:
    """One partition's articles file and its first global row."""

    partition: str
    path: str
    offset: int
    rows: int


class Dataset:
    """An opened dataset: its manifest, lazy scans of its tables and reads of single articles."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.root = manifest.root
        files: list[ArticleFile] = []
        offset = 0
        for part in manifest.partitions:
            rows = part.rows.get("articles", 0)
            if rows:
                files.append(
                    ArticleFile(part.name, partition_path(self.root, "articles", part.name), offset, rows)
                )
                offset += rows
        self.article_files = files
        self._starts = [f.offset for f in files]
        self.search = PostingsSearch(
            [
                IndexFile(partition_path(self.root, "index", f.partition), f.offset)
                for f in files
                if next(p for p in manifest.partitions if p.name == f.partition).rows.get("index")
            ],
            self.read_texts,
        )

    @staticmethod
    def empty(table: str) -> pl.DataFrame:
        """An empty frame with the table's schema."""
        return pl.DataFrame(schema=TABLE_SCHEMAS[table])

    @property
    def size(self) -> int:
        """Number of articles."""
        return sum(f.rows for f in self.article_files)

    def scan(self, table: str, partitions: Sequence[str] | None = None) -> pl.LazyFrame:
        """The table's committed partitions (or these of them) as one lazy frame, in partition order."""
        if table not in TABLES:
            raise DatasetError(f"{self.root}: no table {table!r} in a dataset (tables: {', '.join(TABLES)})")
        files = self.manifest.files(table)
        if partitions is not None:
            wanted = {partition_path(self.root, table, name) for name in partitions}
            files = [f for f in files if f in wanted]
        if not files:
            return pl.LazyFrame(schema=TABLE_SCHEMAS[table])
        return pl.scan_parquet(files)

    def _locate(self, row: int) -> tuple[ArticleFile, int]:
        if not 0 <= row < self.size:
            raise IndexError(f"article row {row} outside 0..{self.size - 1}")
        file = self.article_files[bisect.bisect_right(self._starts, row) - 1]
        return file, row - file.offset

    def read_article(self, row: int) -> dict[str, Any]:
        """The articles table's whole row (with text) at a global row; reads that row's row group only."""
        file, local = self._locate(row)
        return pl.scan_parquet(file.path).slice(local, 1).collect().row(0, named=True)

    def partition_start(self, row: int) -> int:
        """The global row of the first article in the partition holding article `row`."""
        file, _ = self._locate(row)
        return file.offset

    def read_rows(
        self, table: str, row: int, article_id: str, at: tuple[int, int] | None = None
    ) -> pl.DataFrame:
        """One article's rows of `table` (keywords, mentions, pairs), from its partition's file only.

        `at` (start, count): where they are in that file, when the caller knows (the writer keeps
        each article's rows together, in article order). Only those rows are then read, which
        skips decoding the partition's other row groups; if they turn out not to be the article's,
        the file is searched as without `at`.
        """
        file, _ = self._locate(row)
        scan = self.scan(table, [file.partition])
        if at is not None:
            start, count = at
            rows = scan.slice(start, count).collect()
            if rows.height == count and (rows.get_column("article_id") == article_id).all():
                return rows
        return scan.filter(pl.col("article_id") == article_id).collect()

    def read_for_articles(self, table: str, article_ids: pl.Series) -> pl.DataFrame:
        """Every row of `table` belonging to these articles (for an export or a pair's keywords)."""
        return self.scan(table).filter(pl.col("article_id").is_in(article_ids.implode())).collect()

    def read_texts(self, rows: pl.Series | None) -> pl.DataFrame:
        """row, hay (the filter's lower-cased headline and text) of these global rows, or of all."""
        frames: list[pl.DataFrame] = []
        for file in self.article_files:
            scan = pl.scan_parquet(file.path).with_row_index("row", offset=file.offset)
            if rows is not None:
                wanted = rows.filter((rows >= file.offset) & (rows < file.offset + file.rows))
                if wanted.is_empty():
                    continue
                scan = scan.filter(pl.col("row").is_in(wanted.cast(pl.UInt32).implode()))
            frames.append(scan.select(pl.col("row").cast(pl.UInt32), hay=haystack(scan)).collect())
        if not frames:
            return pl.DataFrame(schema={"row": pl.UInt32(), "hay": pl.String()})
        return pl.concat(frames, how="vertical")

    def analysis(self, partitions: Sequence[str] | None = None) -> Analysis:
        """Every table of the dataset (or of these partitions) in memory, as the cache's frames are:
        for small datasets and exports, not for the dashboard at scale (see core.dataset.held)."""
        frames = [self.scan(table, partitions) for table in ("articles", "keywords", "mentions", "pairs")]
        articles, keywords, mentions, pairs = pl.collect_all(frames)
        return Analysis(articles, keywords, mentions, pairs)


def is_dataset_source(source: str) -> bool:
    """Whether a command-line source is a dataset (a folder or fsspec URL holding a manifest).

    Web addresses are feeds or pages, never probed; a URL whose filesystem is not installed or
    not reachable is not a dataset (loading it then reports why).
    """
    if source.startswith(("http://", "https://")):
        return False
    try:
        return is_dataset(source)
    except (ImportError, ValueError, OSError):
        return False


def open_dataset(root: str) -> Dataset:
    """The dataset at a local path or fsspec URL; DatasetError when it is not one."""
    return Dataset(load_manifest(root))
