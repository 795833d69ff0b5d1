"""The command line's side of analysed datasets: `analyze --dataset DIR [--cluster ...]` writes one,
and `analyze DIR` / `relations DIR` read one back through lazy scans of its committed files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from core.analysis.run import ProgressCallback, default_workers
from core.ingest.sources import is_url
from core.wording import plural
from tui.cli.common import PROG, CliError
from tui.cli.report import report_lines
from tui.safety import printable

# core.dataset (and fsspec under it) is imported when a command meets a dataset: the dashboard's
# start-up does not pay for it.
if TYPE_CHECKING:
    from core.analysis.frames import Analysis
    from core.dataset.manifest import Manifest


def add_dataset_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset",
        metavar="DIR",
        help="write an analysed dataset (Parquet partitions + manifest) to DIR, a path or an fsspec URL "
        "(s3://, gs://, file://), instead of records; a rerun skips articles already in it",
    )
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="with --dataset: run the tasks on Dask: 'local' starts a local cluster, tcp://host:8786 uses "
        "a running scheduler (default: worker processes on this machine)",
    )


def dataset_source(paths: Sequence[str]) -> str | None:
    """The dataset among the sources, when the one source is a dataset; None when none is."""
    found = [p for p in paths if not is_url(p) and _is_dataset(p)]
    if not found:
        return None
    if len(paths) > 1:
        raise CliError(f"{found[0]} is an analysed dataset: read it on its own, not with other sources")
    return found[0]


def _is_dataset(path: str) -> bool:
    from core.dataset.manifest import is_dataset

    try:
        return is_dataset(path)
    except (OSError, ValueError):
        return False


def open_dataset(root: str) -> Manifest:
    from core.dataset.manifest import DatasetError, load_manifest

    try:
        return load_manifest(root)
    except DatasetError as error:
        raise CliError(str(error)) from error


def dataset_analysis(root: str, summary: bool = False) -> Analysis:
    """Every table of the dataset, for `analyze DIR` (which writes every article's record); with
    `summary`, only the articles and keywords `summary DIR` counts."""
    from core.dataset.manifest import DatasetError
    from core.dataset.tables import read_analysis

    manifest = open_dataset(root)
    try:
        return read_analysis(manifest, ("articles", "keywords")) if summary else read_analysis(manifest)
    except DatasetError as error:
        raise CliError(str(error)) from error


def dataset_relations_input(
    root: str, country_wanted: bool
) -> tuple[pl.LazyFrame, pl.DataFrame, pl.DataFrame]:
    """What `relations DIR` needs, and no more: the pairs as a lazy scan, the keywords of articles that
    name a pair, and (for --country by name) the country mentions."""
    from core.dataset.manifest import DatasetError
    from core.dataset.tables import collect, scan_table

    manifest = open_dataset(root)
    pairs = scan_table(manifest, "pairs")
    # Reading the keywords reads every pairs file too, so a missing or damaged one is reported here.
    with_pairs = pairs.select("article_id").unique()
    keywords = scan_table(manifest, "keywords").join(with_pairs, on="article_id", how="semi")
    mentions = scan_table(manifest, "mentions")
    countries = mentions.filter(pl.col("kind") == "country") if country_wanted else mentions.head(0)
    try:
        return pairs, collect(keywords, manifest), collect(countries, manifest)
    except DatasetError as error:
        raise CliError(str(error)) from error


def write_dataset_command(
    args: argparse.Namespace, workers: int | None, progress: ProgressCallback | None
) -> int:
    """`newsdesk analyze SOURCES --dataset DIR [--cluster ADDRESS]`: write, then one summary line."""
    from core.dataset.cluster import ClusterError, open_runner
    from core.dataset.manifest import DatasetError
    from core.dataset.write import write_dataset

    if dataset_source(args.paths) is not None:
        raise CliError("the sources include a dataset; --dataset writes a dataset from article files")
    try:
        with open_runner(args.cluster, workers or default_workers()) as runner:
            result = write_dataset(args.paths, args.dataset, runner, engine=args.engine, progress=progress)
    except (DatasetError, ClusterError) as error:
        raise CliError(str(error)) from error
    if not args.quiet:
        for line in report_lines(result.issues, PROG, args.verbose):
            print(line, file=sys.stderr)
    total = result.manifest.count("articles")
    if total == 0 and result.issues:
        raise CliError(f"no articles could be loaded ({plural(len(result.issues), 'problem')} reported)", 1)
    if not args.quiet:
        parts = [f"analysed {result.analysed:,}", f"{result.already:,} already in the dataset"]
        if result.duplicates:
            parts.append(f"{plural(result.duplicates, 'repeated article')} kept once")
        line = (
            f"{PROG}: {result.manifest.root}: {plural(total, 'article')} in "
            f"{plural(len(result.manifest.partitions), 'partition')} ({'; '.join(parts)})"
        )
        print(printable(line, single_line=True), file=sys.stderr)
    return 0
