"""The `newsdesk` command: a thin layer over core that parses arguments, shows progress, writes output.

`newsdesk [PATH_OR_URL...]` opens the dashboard (on the configured feeds and folders, else the bundled
corpus), `newsdesk summary` prints a short summary, `newsdesk analyze` writes one record per article
for scripts, `newsdesk feeds ...` edits the feed list in the config file. Errors (usage mistakes
included) are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.analysis.run import PARALLEL_THRESHOLD, ProgressCallback, analysis_workers, default_workers
from core.corpus.export import FORMATS, article_records, write_frame
from core.corpus.session import CorpusSession
from core.dataset.read import is_dataset_source
from core.ingest.load import load_articles, load_configured_sources
from core.ingest.report import DEFAULT_FULL_TEXT_LIMIT, FULL_TEXT_LIMIT_ENV, LoadProgress, LoadResult
from core.ingest.source_loads import load_configured_separately
from core.ingest.sources import is_url
from core.keywords.batch import DEFAULT_KEYWORD_ENGINE, KEYWORD_ENGINES
from core.paths import CACHE_DIR_ENV, bundled_corpus
from core.settings.config import FULL_TEXT_ENV, ConfigError
from core.wording import plural
from tui.cli.common import PROG, CliError, CliParser, user_config
from tui.cli.dataset import (
    add_dataset_options,
    dataset_analysis,
    dataset_relations_input,
    dataset_source,
    write_dataset_command,
)
from tui.cli.feeds import feeds_parser, run_feeds
from tui.cli.report import load_progress, report_lines
from tui.cli.signals import (
    INTERRUPTED_STATUS,
    TERMINATED_STATUS,
    Terminated,
    exit_now_if_threads_linger,
    sigterm_unwinds,
)
from tui.safety import printable

if TYPE_CHECKING:
    from tui.app import NewsdeskApp, SeparateLoader

# Runs shorter than this many uncached articles finish before a progress bar is worth drawing.
PROGRESS_MIN_ARTICLES = 50
SOURCES_RULE = (
    "PATH may be a file, a folder, an http(s) feed or page URL, or an .opml subscription list. With no\n"
    "PATH, newsdesk reads the feeds and [watch] folders of the config file; if it lists none, the\n"
    "bundled sample corpus. Config file: $NEWSDESK_CONFIG_DIR/config.toml, else the user config dir."
)


def _add_sources_and_output(parser: argparse.ArgumentParser) -> None:
    """PATH_OR_URL..., --format and --output: what every command that writes records takes."""
    parser.add_argument("paths", nargs="+", metavar="PATH_OR_URL", help="article files, folders or feed URLs")
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default="jsonl", help="output format (default: jsonl)"
    )
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")


def _add_corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--full-text",
        action=argparse.BooleanOptionalAction,
        help="fetch the linked page when a feed entry is only a summary (default: "
        f"${FULL_TEXT_ENV}, else full_text in the config file and for each configured feed, else off)",
    )
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
    parser.add_argument(
        "--engine",
        choices=KEYWORD_ENGINES,
        default=DEFAULT_KEYWORD_ENGINE,
        help="keyword engine: polars (batched, fast) or yake (the yake package, the reference); "
        f"both give the same keywords (default: {DEFAULT_KEYWORD_ENGINE})",
    )
    parser.add_argument(
        "--full-text-limit",
        type=int,
        metavar="N",
        help=f"with --full-text, fetch the linked page for the first N entries of each feed only "
        f"(default: ${FULL_TEXT_LIMIT_ENV}, else {DEFAULT_FULL_TEXT_LIMIT})",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no load warnings")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list every load warning, not one line per kind"
    )


def _parsers() -> dict[str, argparse.ArgumentParser]:
    main = CliParser(
        prog=PROG,
        description="Read and analyse a pile of news: keywords, entities and country relations.",
        epilog="commands:\n"
        "  analyze   write one record per article (see: newsdesk analyze --help)\n"
        "  relations write country-pair summaries with evidence (see: newsdesk relations --help)\n"
        "  summary   print a short summary of a corpus instead of opening the dashboard\n"
        "  feeds     add, list, remove, import and export feeds (see: newsdesk feeds --help)\n\n"
        + SOURCES_RULE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument(
        "paths",
        nargs="*",
        metavar="PATH_OR_URL",
        help="article files or folders (.txt .md .jsonl .json .csv .parquet), feed URLs or .opml lists",
    )
    _add_corpus_options(main)

    analyze = CliParser(
        prog=f"{PROG} analyze",
        description="Analyse articles and write one record per article: id, title, date, source, url, "
        "keywords [{text, score}] (lower score = more relevant), countries [{code, name, mentions}] and "
        "entities [{text, kind, mentions}] (kind: person, organisation, place, other), most mentioned first.",
    )
    _add_sources_and_output(analyze)
    analyze.add_argument(
        "--top", type=int, default=10, metavar="N", help="keywords per article (default: 10)"
    )
    analyze.add_argument(
        "--explain",
        action="store_true",
        help="add each country mention (surface, code, rule: name/alias/demonym/capital/city, offsets) and "
        "each entity mention (text, surface, kind, offsets, the tagger's margin and deciding features)",
    )
    _add_corpus_options(analyze)
    add_dataset_options(analyze)

    relations = CliParser(
        prog=f"{PROG} relations",
        description="Country pairs named in the same sentence: counts of cooperative, conflictual and "
        "neutral sentences and per QuadClass, a net score in [-1, 1], top keywords, and the evidence "
        "sentences, strongest first, each with its CAMEO event (code, name, QuadClass), direction "
        "(source -> target) and the words that decided it.",
    )
    _add_sources_and_output(relations)
    relations.add_argument("--country", metavar="XX", help="only pairs with this country (ISO code or name)")
    relations.add_argument(
        "--min-sentences", type=int, default=1, metavar="N", help="only pairs named together in N+ sentences"
    )
    relations.add_argument(
        "--evidence", type=int, default=10, metavar="N", help="evidence sentences per pair (default: 10)"
    )
    relations.add_argument(
        "--explain",
        action="store_true",
        help="add to each evidence sentence the coder's rule and a one-line reading "
        '("IQ → US · Reject · rejects … bases")',
    )
    _add_corpus_options(relations)

    summary = CliParser(
        prog=f"{PROG} summary",
        description="Print a short summary of a corpus.",
        epilog=SOURCES_RULE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    summary.add_argument(
        "paths",
        nargs="*",
        metavar="PATH_OR_URL",
        help="article files, folders or feed URLs (default: see below)",
    )
    _add_corpus_options(summary)
    return {
        "": main,
        "analyze": analyze,
        "relations": relations,
        "summary": summary,
        "feeds": feeds_parser(),
    }


def _load(args: argparse.Namespace, paths: Sequence[str], hear: LoadProgress | None = None) -> LoadResult:
    """Load `paths` (else the configured sources, else the bundled corpus) with the run's full-text
    rule; `hear` is told the load's progress too."""
    config = user_config()
    if args.full_text_limit is not None and args.full_text_limit < 0:
        raise CliError("--full-text-limit must be 0 or more")
    with load_progress(enabled=not args.quiet) as shown:
        progress = shown if hear is None else _both(shown, hear)
        options: dict[str, Any] = {"progress": progress, "full_text_limit": args.full_text_limit}
        if paths:
            full_text = config.full_text if args.full_text is None else args.full_text
            return load_articles(paths, full_text=full_text, **options)
        if config.sources():
            return load_configured_sources(config, args.full_text, **options)
        return load_articles(bundled_corpus(), full_text=False, **options)


def _both(first: LoadProgress | None, second: LoadProgress) -> LoadProgress:
    def both(what: str, count: int) -> None:
        if first is not None:
            first(what, count)
        second(what, count)

    return both


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


def _workers(args: argparse.Namespace) -> int | None:
    """--workers, checked, and capped at the cores this process may use (with a one-line note)."""
    if args.workers is None:
        return None
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    cores = default_workers()
    if args.workers > cores:
        # More processes than cores only adds start-up cost and memory (62 extra on 2 cores: 12x slower).
        print(
            f"{PROG}: note: --workers {args.workers} is more than the {plural(cores, 'core')} available; "
            f"using {cores}",
            file=sys.stderr,
        )
        return cores
    return int(args.workers)


def _cache(args: argparse.Namespace, *, announce: bool = True) -> ResultCache | None:
    """The run's cache, checked before any work: an unusable one is one warning line, then not written.

    Without `announce` (the dashboard, whose screen would hide the line) the problem stays in the
    cache's report and reaches the app with the first analysed part.
    """
    if args.no_cache:
        return None
    cache = ResultCache(args.cache_dir)
    if (problem := cache.check_writable()) is not None and announce:
        print(printable(f"{PROG}: warning: {problem}", single_line=True), file=sys.stderr)
        cache.report.problems.clear()  # said once, here
    return cache


def _load_and_analyse(args: argparse.Namespace, paths: Sequence[str]) -> Analysis:
    workers = _workers(args)
    cache = _cache(args)
    # A command-line run has nothing else to do meanwhile: this process analyses batches too.
    with analysis_workers(workers, help_here=True, engine=args.engine) as pool:

        def listed(what: str, count: int) -> None:
            # Enough files to share out: the workers warm up while this process reads them.
            if what == "listed" and count >= PARALLEL_THRESHOLD:
                pool.start()

        session = CorpusSession(
            lambda: _load(args, paths, listed), workers=workers, engine=args.engine, help_here=True
        )
        session.pool = pool
        return _analyse_loaded(args, session, cache)


def _analyse_loaded(args: argparse.Namespace, session: CorpusSession, cache: ResultCache | None) -> Analysis:
    result = session.load()
    if not args.quiet:
        for line in report_lines(result.report.issues, PROG, args.verbose):
            print(line, file=sys.stderr)
    if result.articles.is_empty():
        problems = plural(len(result.report.issues), "problem")
        raise CliError(f"no articles could be loaded ({problems} reported)", 1)
    session.cache = cache
    with _progress(args.quiet) as progress:
        analysis = session.analyse_all(progress)
    for problem in analysis.problems:
        print(printable(f"{PROG}: warning: {problem}", single_line=True), file=sys.stderr)
    return analysis


def run_analyze(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise CliError("--top must be 0 or more")
    if args.cluster is not None and args.dataset is None:
        raise CliError("--cluster runs the analysis --dataset writes: give --dataset DIR")
    if args.dataset is not None:  # an analysed dataset (tui.cli.dataset), not records
        with _progress(args.quiet) as progress:
            return write_dataset_command(args, _workers(args), progress)
    _check_output(args)
    root = dataset_source(args.paths)
    analysis = dataset_analysis(root) if root is not None else _load_and_analyse(args, args.paths)
    _write(article_records(analysis, top=args.top, explain=args.explain), args)
    return 0


def _check_output(args: argparse.Namespace) -> None:
    """Refuse before any work what could only fail at the end."""
    if args.format == "parquet" and args.output is None:
        raise CliError("--format parquet writes binary data: give --output FILE")


def _write(frame: pl.DataFrame, args: argparse.Namespace) -> None:
    try:
        write_frame(frame, args.format, args.output)
    except OSError as error:
        raise CliError(f"cannot write {args.output}: {error.strerror or error}") from error
    if args.output is not None and not args.quiet:
        print(f"{PROG}: wrote {plural(frame.height, 'record')} to {args.output.absolute()}", file=sys.stderr)


def run_relations(args: argparse.Namespace) -> int:
    from core.countries.names import CountryNames
    from core.relations.pairs import evidence_without_rules, explained_evidence, summarise_pairs

    _check_output(args)
    if args.min_sentences < 1 or args.evidence < 0:
        raise CliError("--min-sentences must be at least 1 and --evidence at least 0")
    root = dataset_source(args.paths)
    pairs: pl.DataFrame | pl.LazyFrame
    if root is not None:  # lazy scans of the dataset's pairs: fast at a million articles
        pairs, keywords, mentions = dataset_relations_input(root, country_wanted=bool(args.country))
    else:
        analysis = _load_and_analyse(args, args.paths)
        pairs, keywords, mentions = analysis.pairs, analysis.keywords, analysis.mentions
    code = None
    if args.country:
        code = CountryNames.from_mentions(mentions).code(args.country)
        if code is None:
            raise CliError(f"--country {args.country!r} is not a country code or name newsdesk knows")
    summary = summarise_pairs(
        pairs,
        keywords,
        country=code,
        min_sentences=args.min_sentences,
        evidence_limit=args.evidence,
    )
    _write(explained_evidence(summary) if args.explain else evidence_without_rules(summary), args)
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from core.corpus.indexes import corpus_keywords

    sources = args.paths or user_config().sources() or bundled_corpus()
    root = dataset_source(args.paths)
    if root is not None:
        analysis = dataset_analysis(root, summary=True)
    else:
        analysis = _load_and_analyse(args, args.paths)
    articles = analysis.articles
    dates = articles.get_column("date").drop_nulls()
    lines = [f"{plural(articles.height, 'article')} from {', '.join(str(p) for p in sources)}"]
    if not dates.is_empty():
        lines.append("dates: " + str(dates.min()) + " to " + str(dates.max()))
    biggest = articles.group_by("source").len().sort("len", descending=True).head(5)
    lines.append("sources: " + ", ".join(f"{s} ({n})" for s, n in biggest.iter_rows()))
    top = corpus_keywords(analysis.keywords, top=15)
    lines.append("top keywords: " + ", ".join(f"{p} ({n})" for _, p, n, *_ in top.iter_rows()))
    for line in lines:  # sources and keywords come from articles: no escape sequence reaches the terminal
        print(printable(line, single_line=True))
    return 0


def run_dashboard(args: argparse.Namespace) -> int:
    dashboard_app(args).run()
    return 0


def dashboard_app(args: argparse.Namespace) -> NewsdeskApp:
    """The dashboard over the given paths, else the configured feeds and folders, else the bundled corpus."""
    from tui.app import NewsdeskApp
    from tui.dashboard_config import DashboardConfig

    if len(args.paths) == 1 and is_dataset_source(str(args.paths[0])):
        return dataset_app(args, str(args.paths[0]))
    config = user_config()
    configured = not args.paths and bool(config.sources())
    sources = args.paths or config.sources() or [str(p) for p in bundled_corpus()]
    local = [s for s in sources if not is_url(s)]
    missing = [s for s in local if not Path(s).exists()]
    if len(missing) == len(sources):
        raise CliError(f"no such file or directory: {', '.join(missing)}", 1)
    try:
        dashboard = DashboardConfig.load()
    except ConfigError as error:
        raise CliError(str(error)) from error
    workers = _workers(args)
    cache = _cache(args, announce=False)
    full_text = config.full_text if args.full_text is None else args.full_text
    loader = (lambda: load_configured_sources(config, args.full_text)) if configured else None
    # Configured feeds load one at a time too: the watched folders show while the feeds arrive.
    separate_loader: SeparateLoader | None = None
    if configured:
        separate_loader = lambda on_loaded: load_configured_separately(  # noqa: E731
            config, args.full_text, on_loaded
        )
    watch = config.watch_folders if configured else []
    # URLs stay strings: Path("https://x/y") would collapse the "//".
    paths: list[Any] = [s if is_url(s) else Path(s) for s in sources]
    return NewsdeskApp(
        paths,
        cache=cache,
        workers=workers,
        engine=args.engine,
        config=dashboard,
        watch=watch,
        refresh_minutes=config.refresh_minutes,
        full_text=full_text,
        loader=loader,
        separate_loader=separate_loader,
    )


def dataset_app(args: argparse.Namespace, root: str) -> NewsdeskApp:
    """The dashboard over an analysed dataset: already analysed, so no cache, workers or feeds."""
    from core.dataset.session import DatasetSession
    from tui.app import NewsdeskApp
    from tui.dashboard_config import DashboardConfig

    try:
        dashboard = DashboardConfig.load()
    except ConfigError as error:
        raise CliError(str(error)) from error
    return NewsdeskApp([root], config=dashboard, session=DatasetSession(root))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": run_analyze,
    "relations": run_relations,
    "summary": run_summary,
    "feeds": run_feeds,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parsers = _parsers()
    try:
        if arguments and arguments[0] in COMMANDS:
            with sigterm_unwinds():
                return COMMANDS[arguments[0]](parsers[arguments[0]].parse_args(arguments[1:]))
        return run_dashboard(parsers[""].parse_args(arguments))
    except CliError as error:
        print(printable(f"{PROG}: error: {error}", single_line=True), file=sys.stderr)
        return error.status
    except (KeyboardInterrupt, Terminated) as stop:
        interrupted = isinstance(stop, KeyboardInterrupt)
        print(f"{PROG}: {'interrupted' if interrupted else 'terminated'}", file=sys.stderr)
        status = INTERRUPTED_STATUS if interrupted else TERMINATED_STATUS
        if argv is None:  # the real command, not a test calling main(): do not wait on stray fetches
            exit_now_if_threads_linger(status)
        return status
    except BrokenPipeError:
        # `newsdesk analyze ... | head`: the reader left; that is not an error worth a traceback.
        sys.stderr.close()
        return 0
    finally:
        if argv is None:
            # The process ends next. Whatever is alive now lives until then, so the collector's
            # last walks over it (a fifth of a second after an analysis) find nothing to free.
            gc.freeze()
