"""Build a large analysed dataset by replicating analysed BBC frames (for benchmarks/million_dataset.py).

BBC (from ../shared) is analysed once (results cached in the user cache, so a rerun does no
analysis), its postings are built once, and every copy gets distinct ids ("<id>-<copy>"), dates
(spread over ten years in copy order) and sources ("bbc-00".."bbc-49"). A partition holds whole
copies, so its postings are the BBC postings with rows shifted per copy: no text is tokenised again.
Files follow core.dataset.manifest's layout and the manifest is committed last.
Run alone: uv run python benchmarks/replicated_dataset.py DIR [--articles N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl

from benchmarks._shared import corpus_dir
from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.analysis.run import analyse_corpus
from core.dataset.build import frame_schemas, write_partition
from core.dataset.manifest import Manifest, commit_manifest
from core.dataset.search_index import build_index
from core.ingest.load import load_articles
from core.schema import engine_key

ARTICLES_PER_PARTITION = 50_000
SOURCES = 50
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3653


def analysed_bbc() -> Analysis:
    """The BBC corpus analysed once (cached afterwards); exits 0 when ../shared is absent."""
    articles = load_articles([corpus_dir("bbc")]).articles
    started = time.perf_counter()
    analysis = analyse_corpus(articles, cache=ResultCache())
    print(
        f"BBC: {articles.height:,} articles analysed (or read from the cache) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return analysis


def _copy(base: Analysis, copy: int, total: int, count: int) -> Analysis:
    """Copy number `copy` of the first `count` base articles, with distinct ids, dates and sources."""
    n = base.articles.height
    suffix = f"-{copy}"
    articles = base.articles.head(count).with_columns(
        id=pl.col("id") + suffix,
        date=pl.lit(FIRST_DAY)
        + pl.duration(days=((pl.int_range(pl.len()) + copy * n) * DAYS // total).cast(pl.Int64)),
        source=pl.lit(f"bbc-{copy % SOURCES:02d}"),
    )
    kept = base.articles.head(count).get_column("id").implode()

    def renamed(frame: pl.DataFrame) -> pl.DataFrame:
        if count < n:
            frame = frame.filter(pl.col("article_id").is_in(kept))
        return frame.with_columns(article_id=pl.col("article_id") + suffix)

    return Analysis(articles, renamed(base.keywords), renamed(base.mentions), renamed(base.pairs))


def build(root: str, articles: int, per_partition: int = ARTICLES_PER_PARTITION) -> Manifest:
    """Write a dataset of `articles` replicated BBC articles at `root` and commit its manifest."""
    base = analysed_bbc()
    n = base.articles.height
    base_index = build_index(base.articles)
    copies_per_partition = max(1, per_partition // n)
    copies = -(-articles // n)
    started = time.perf_counter()
    partitions = []
    for first in range(0, copies, copies_per_partition):
        members = range(first, min(first + copies_per_partition, copies))
        counts = [min(n, articles - copy * n) for copy in members]
        parts = [_copy(base, copy, articles, count) for copy, count in zip(members, counts, strict=True)]
        part = Analysis(
            *(
                pl.concat([getattr(p, t) for p in parts])
                for t in ("articles", "keywords", "mentions", "pairs")
            )
        )
        # Postings of whole copies: the base postings with each copy's rows shifted (still sorted by term).
        offsets = [i * n for i in range(len(parts))]
        index = (
            base_index.with_columns(offset=pl.lit(offsets, dtype=pl.List(pl.UInt32)))
            .explode("offset")
            .with_columns(row=pl.col("row") + pl.col("offset"))
            .drop("offset")
        )
        if counts[-1] < n:  # a last, partial copy: keep the postings of the articles it has
            limit = offsets[-1] + counts[-1]
            index = index.filter(pl.col("row") < limit)
        partitions.append(write_partition(root, part, index))
        done = sum(p.rows["articles"] for p in partitions)
        print(f"  {done:,} articles written ({time.perf_counter() - started:.0f} s)", flush=True)
    manifest = Manifest(
        root=root, engine_version=engine_key(), partitions=partitions, schema=frame_schemas(base)
    )
    commit_manifest(manifest)
    print(
        f"dataset of {manifest.count('articles'):,} articles at {root} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="where to write the dataset (must not exist yet)")
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()
    if Path(args.root).exists():
        raise SystemExit(f"{args.root} exists: give a new folder")
    build(args.root, args.articles)


if __name__ == "__main__":
    main()
