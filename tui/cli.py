"""The `newsdesk` command: a thin layer over core that parses arguments, shows progress, writes output.

`newsdesk [PATH...]` summarises a corpus (the bundled one by default); `newsdesk analyze` writes one
record per article for scripts. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from core.analysis import Analysis, ProgressCallback, analyse_corpus
from core.cache import CACHE_DIR_ENV, ResultCache
from core.export import FORMATS, article_records, write_frame
from core.ingest import load_articles
from core.paths import bundled_corpus

PROG = "newsdesk"
# Runs shorter than this many uncached articles finish before a progress bar is worth drawing.
PROGRESS_MIN_ARTICLES = 50


class CliError(Exception):
    """An unusable request or input: reported as one line, exit status 2 (or 1 for no articles)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _add_corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"where analysis results are cached (default: ${CACHE_DIR_ENV}, else the user cache dir)",
    )
    parser.add_argument("--no-cache", action="store_true", help="analyse everything afresh and store nothing")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="worker processes for analysis (default: all cores)"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no load warnings")


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    main = argparse.ArgumentParser(
        prog=PROG,
        description="Read and analyse a pile of news: keywords, entities and country relations.",
        epilog="commands:\n  analyze   write one record per article (see: newsdesk analyze --help)\n\n"
        "With no PATH, newsdesk uses the bundled sample corpus.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files or folders (.txt .md .jsonl .json .csv .parquet)",
    )
    _add_corpus_options(main)

    analyze = argparse.ArgumentParser(
        prog=f"{PROG} analyze",
        description="Analyse articles and write one record per article: "
        "id, title, date, source, url, keywords [{text, score}] (lower score = more relevant).",
    )
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    analyze.add_argument(
        "--format", "-f", choices=FORMATS, default="jsonl", help="output format (default: jsonl)"
    )
    analyze.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")
    analyze.add_argument(
        "--top", type=int, default=10, metavar="N", help="keywords per article (default: 10)"
    )
    _add_corpus_options(analyze)
    return main, analyze


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr when it is a terminal; nothing when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=None,
        transient=True,
        redirect_stdout=False,
    ) as bar:
        task = bar.add_task("analyse", total=None)

        def update(done: int, total: int) -> None:
            if total >= PROGRESS_MIN_ARTICLES:
                bar.update(task, completed=done, total=total)

        yield update


def _load_and_analyse(args: argparse.Namespace, paths: Sequence[Path]) -> Analysis:
    result = load_articles(paths)
    if not args.quiet:
        for issue in result.report.issues:
            print(f"{PROG}: {issue}", file=sys.stderr)
    if result.articles.is_empty():
        problems = len(result.report.issues)
        raise CliError(f"no articles could be loaded ({problems} problem{'s' * (problems != 1)} reported)", 1)
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1")
    cache = None if args.no_cache else ResultCache(args.cache_dir)
    with _progress(args.quiet) as progress:
        analysis = analyse_corpus(result.articles, cache=cache, workers=args.workers, progress=progress)
    for problem in analysis.problems:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)
    return analysis


def run_analyze(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise CliError("--top must be 0 or more")
    if args.format == "parquet" and args.output is None:
        raise CliError("--format parquet writes binary data: give --output FILE")
    analysis = _load_and_analyse(args, args.paths)
    records = article_records(analysis, top=args.top)
    try:
        write_frame(records, args.format, args.output)
    except OSError as error:
        raise CliError(f"cannot write {args.output}: {error.strerror or error}") from error
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from core.corpus import corpus_keywords

    paths = args.paths or bundled_corpus()
    analysis = _load_and_analyse(args, paths)
    articles = analysis.articles
    dates = articles.get_column("date").drop_nulls()
    print(f"{articles.height} articles from {', '.join(str(p) for p in paths)}")
    if not dates.is_empty():
        print(f"dates: {dates.min()} to {dates.max()}")
    sources = articles.group_by("source").len().sort("len", descending=True).head(5)
    print("sources: " + ", ".join(f"{s} ({n})" for s, n in sources.iter_rows()))
    top = corpus_keywords(analysis.keywords, top=15)
    print("top keywords: " + ", ".join(f"{p} ({n})" for _, p, n, *_ in top.iter_rows()))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"analyze": run_analyze}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    main_parser, analyze_parser = _parsers()
    try:
        if arguments and arguments[0] in COMMANDS:
            args = analyze_parser.parse_args(arguments[1:])
            return COMMANDS[arguments[0]](args)
        return run_summary(main_parser.parse_args(arguments))
    except CliError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `newsdesk analyze ... | head`: the reader left; that is not an error worth a traceback.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
