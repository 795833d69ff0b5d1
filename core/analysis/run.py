"""Analyse a corpus: cached results first, the rest across worker processes, then one set of frames.

The per-article work (`analyse_article`) is pure and picklable; `analyse_corpus` adds the cache,
the process pool and the progress callback, and returns `Analysis`, the frames every view reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial

import polars as pl

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis, keyword_frame, mention_frame, pair_frame
from core.analysis.parallel import WorkerPool, run_batches
from core.analysis.pipeline import analyse_batch, warm_up
from core.articles import articles_frame
from core.keywords.batch import DEFAULT_KEYWORD_ENGINE, KEYWORD_ENGINES
from core.schema import RESULT_SCHEMA

ProgressCallback = Callable[[int, int], None]
"""Called as (articles done, articles to analyse) after each finished batch."""

# Below this many uncached articles, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24
# Rows written to the cache per part file: small enough that an interrupted run keeps most work.
CACHE_FLUSH_ROWS = 512
# Upper bound on articles per batch, so short-article corpora still report progress often. The
# Polars keyword engine pays a fixed cost per batch (query set-up), so it gets bigger batches.
MAX_BATCH_ARTICLES = {"yake": 32, "polars": 256}
# Batches per worker: more report progress more often, fewer cost less fixed overhead.
BATCHES_PER_WORKER = {"yake": 8, "polars": 8}


def prepare_worker_processes() -> None:
    """Start multiprocessing's resource tracker now, while stderr is still a real file.

    The tracker is started lazily by the first process pool and hands it our stderr's file
    descriptor; inside a full-screen app stderr is captured (fileno -1) and spawning then fails.
    Call this from the main thread before such an app starts.
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _batches(
    items: list[tuple[str, str, str]], workers: int, engine: str
) -> list[list[tuple[str, str, str]]]:
    """Longest articles first, cut into batches of similar text volume.

    Analysis time grows with length, so starting the long ones first keeps every worker busy to
    the end instead of one finishing a 100 KB interview alone; several batches per worker keep
    progress moving.
    """
    ordered = sorted(items, key=lambda item: len(item[1]) + len(item[2]), reverse=True)
    volume = sum(len(item[1]) + len(item[2]) for item in ordered)
    budget = max(1, volume // (workers * BATCHES_PER_WORKER[engine]))
    batches: list[list[tuple[str, str, str]]] = []
    current: list[tuple[str, str, str]] = []
    filled = 0
    for item in ordered:
        current.append(item)
        filled += len(item[1]) + len(item[2])
        if filled >= budget or len(current) >= MAX_BATCH_ARTICLES[engine]:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def analysis_workers(
    workers: int | None = None, *, help_here: bool, engine: str = DEFAULT_KEYWORD_ENGINE
) -> WorkerPool:
    """Analysis worker processes to `start()` ahead of the work: each then imports and reads its
    tables and models while the caller reads the articles. Pass it to `iter_analysis` or
    `analyse_corpus`, and close it after."""
    return WorkerPool(workers or default_workers(), help_here=help_here, warm_up=partial(warm_up, engine))


def _compute(
    items: list[tuple[str, str, str]],
    workers: int,
    progress: ProgressCallback | None,
    engine: str,
    help_here: bool,
    pool: WorkerPool | None,
) -> Iterator[pl.DataFrame]:
    """Yield result rows in frames of about CACHE_FLUSH_ROWS as batches finish (in any order)."""
    total = len(items)
    done = 0
    pending: list[pl.DataFrame] = []
    if total < PARALLEL_THRESHOLD:
        workers, pool = 1, None
    elif pool is not None:
        workers = pool.workers
    analyse = partial(analyse_batch, engine=engine)
    batches = _batches(items, workers, engine)
    if pool is not None:
        runs = pool.run(analyse, batches)
    else:
        runs = run_batches(analyse, batches, workers, help_here=help_here)
    for frame in runs:
        done += frame.height
        pending.append(frame)
        if progress is not None:
            progress(done, total)
        if sum(f.height for f in pending) >= CACHE_FLUSH_ROWS or done == total:
            yield pl.concat(pending, how="vertical")
            pending = []


def iter_analysis(
    articles: pl.DataFrame,
    *,
    cache: ResultCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    engine: str = DEFAULT_KEYWORD_ENGINE,
    help_here: bool = False,
    pool: WorkerPool | None = None,
) -> Iterator[Analysis]:
    """Analyse a corpus in parts: first everything the cache holds, then each computed batch.

    Each part covers a disjoint set of the articles; a dashboard shows them as they come and
    `merge_analyses` joins them. Computed rows are written to the cache as they arrive.
    `engine` computes keywords ("polars" or "yake"); both give the same results, so the cache
    serves either. `help_here`: this process analyses batches too (see core.analysis.parallel); for
    command-line runs, not for an app whose process must stay responsive. `pool`: workers already
    started (`analysis_workers`), used instead of `workers` and `help_here`; left open.
    """
    if engine not in KEYWORD_ENGINES:
        raise ValueError(f"unknown keyword engine {engine!r}; expected one of {', '.join(KEYWORD_ENGINES)}")
    wanted = articles.select("content_hash", "title", "text").unique("content_hash", maintain_order=True)
    problems: list[str] = []
    if cache is not None:
        cached = cache.lookup(wanted.get_column("content_hash").to_list())
        problems.extend(cache.report.problems)
        cache.report.problems.clear()
    else:
        cached = pl.DataFrame(schema=RESULT_SCHEMA)
    if cached.height or problems:
        yield _part(articles, cached, analysed=0, problems=problems)
    missing = wanted.join(cached.select("content_hash"), on="content_hash", how="anti")
    items = list(missing.iter_rows())
    if not items:
        return
    for frame in _compute(items, workers or default_workers(), progress, engine, help_here, pool):
        stored_problems: list[str] = []
        if cache is not None:
            cache.store(frame)  # never raises: a full disk or lost folder becomes one problem line
            stored_problems = list(cache.report.problems)
            cache.report.problems.clear()
        yield _part(articles, frame, analysed=frame.height, problems=stored_problems)


def _part(
    articles: pl.DataFrame, results: pl.DataFrame, analysed: int, problems: list[str] | None = None
) -> Analysis:
    covered = articles.join(results.select("content_hash"), on="content_hash", how="semi")
    return Analysis(
        articles=covered,
        keywords=keyword_frame(covered, results),
        mentions=mention_frame(covered, results),
        pairs=pair_frame(covered, results),
        analysed=analysed,
        cached=results.height - analysed,
        problems=problems or [],
    )


def merge_analyses(parts: list[Analysis], articles: pl.DataFrame | None = None) -> Analysis:
    """One Analysis from parts; with `articles`, rows follow that frame's order."""
    if not parts:
        empty = articles if articles is not None else articles_frame([])
        return _part(empty.clear(), pl.DataFrame(schema=RESULT_SCHEMA), 0)
    merged = Analysis(
        articles=pl.concat([p.articles for p in parts], how="vertical"),
        keywords=pl.concat([p.keywords for p in parts], how="vertical"),
        mentions=pl.concat([p.mentions for p in parts], how="vertical"),
        pairs=pl.concat([p.pairs for p in parts], how="vertical"),
        analysed=sum(p.analysed for p in parts),
        cached=sum(p.cached for p in parts),
        problems=[problem for p in parts for problem in p.problems],
    )
    if articles is not None:
        merged.articles = articles.join(
            merged.articles.select("id"), on="id", how="semi", maintain_order="left"
        )
    return merged


def drop_articles(analysis: Analysis, article_ids: pl.Series) -> Analysis:
    """The same analysis without these articles (a file changed or vanished since it was read)."""
    keep = ~pl.col("article_id").is_in(article_ids.implode())
    return Analysis(
        articles=analysis.articles.filter(~pl.col("id").is_in(article_ids.implode())),
        keywords=analysis.keywords.filter(keep),
        mentions=analysis.mentions.filter(keep),
        pairs=analysis.pairs.filter(keep),
        analysed=analysis.analysed,
        cached=analysis.cached,
        problems=analysis.problems,
    )


def analyse_corpus(
    articles: pl.DataFrame,
    *,
    cache: ResultCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    engine: str = DEFAULT_KEYWORD_ENGINE,
    help_here: bool = False,
    pool: WorkerPool | None = None,
) -> Analysis:
    """Analyse every article of an articles frame, reusing cached results by content hash."""
    parts = list(
        iter_analysis(
            articles,
            cache=cache,
            workers=workers,
            progress=progress,
            engine=engine,
            help_here=help_here,
            pool=pool,
        )
    )
    return merge_analyses(parts, articles)
