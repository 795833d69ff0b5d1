"""Analyse a corpus: cached results first, the rest across worker processes, then one set of frames.

The per-article work (`analyse_article`) is pure and picklable; `analyse_corpus` adds the cache,
the process pool and the progress callback, and returns `Analysis`, the frames every view reads.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from core.cache import ResultCache
from core.frames import keyword_frame, mention_frame, pair_frame
from core.keywords import extract_keywords
from core.schema import RESULT_SCHEMA

ProgressCallback = Callable[[int, int], None]
"""Called as (articles done, articles to analyse) after each finished batch."""

# Below this many uncached articles, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24
# Rows written to the cache per part file: small enough that an interrupted run keeps most work.
CACHE_FLUSH_ROWS = 512


def analyse_article(content_hash: str, title: str, text: str) -> dict[str, Any]:
    """Everything newsdesk computes for one article, as one cache row (see RESULT_SCHEMA)."""
    keywords = [{"phrase": p, "score": s} for p, s in extract_keywords(title, text)]
    return {"content_hash": content_hash, "keywords": keywords, "mentions": [], "pairs": []}


def _analyse_batch(batch: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [analyse_article(*item) for item in batch]


@dataclass
class Analysis:
    """The analysed corpus as frames: articles, keywords, mentions and country-pair mentions."""

    articles: pl.DataFrame
    keywords: pl.DataFrame
    mentions: pl.DataFrame
    pairs: pl.DataFrame
    analysed: int = 0
    cached: int = 0
    problems: list[str] = field(default_factory=list)


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _batches(items: list[tuple[str, str, str]], workers: int) -> list[list[tuple[str, str, str]]]:
    # Several batches per worker keeps cores busy to the end and progress moving; capped so a
    # batch of long articles cannot stall the progress bar for long.
    size = max(1, min(32, len(items) // (workers * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _compute(
    items: list[tuple[str, str, str]],
    workers: int,
    progress: ProgressCallback | None,
    flush: Callable[[list[dict[str, Any]]], None],
) -> None:
    total = len(items)
    done = 0
    pending_rows: list[dict[str, Any]] = []

    def finished(rows: list[dict[str, Any]]) -> None:
        nonlocal done
        done += len(rows)
        pending_rows.extend(rows)
        if len(pending_rows) >= CACHE_FLUSH_ROWS:
            flush(pending_rows[:])
            pending_rows.clear()
        if progress is not None:
            progress(done, total)

    if workers <= 1 or total < PARALLEL_THRESHOLD:
        for batch in _batches(items, 1):
            finished(_analyse_batch(batch))
    else:
        # spawn, not fork: the caller may be a threaded app (Textual workers) and Polars' thread
        # pool does not survive fork().
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures: set[Future[list[dict[str, Any]]]] = {
                pool.submit(_analyse_batch, batch) for batch in _batches(items, workers)
            }
            while futures:
                completed, futures = wait(futures, return_when=FIRST_COMPLETED)
                for future in completed:
                    finished(future.result())
    flush(pending_rows)


def analyse_corpus(
    articles: pl.DataFrame,
    *,
    cache: ResultCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> Analysis:
    """Analyse every article of an articles frame, reusing cached results by content hash."""
    wanted = articles.select("content_hash", "title", "text").unique("content_hash", maintain_order=True)
    problems: list[str] = []
    if cache is not None:
        cached = cache.lookup(wanted.get_column("content_hash").to_list())
        problems.extend(cache.report.problems)
        cache.report.problems.clear()
    else:
        cached = pl.DataFrame(schema=RESULT_SCHEMA)
    missing = wanted.join(cached.select("content_hash"), on="content_hash", how="anti")
    computed: list[pl.DataFrame] = []

    def flush(rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        frame = pl.DataFrame(rows, schema=RESULT_SCHEMA)
        computed.append(frame)
        if cache is not None:
            cache.store(frame)

    items = list(missing.iter_rows())
    if items:
        _compute(items, workers or default_workers(), progress, flush)
    results = pl.concat([cached, *computed], how="vertical")
    return Analysis(
        articles=articles,
        keywords=keyword_frame(articles, results),
        mentions=mention_frame(articles, results),
        pairs=pair_frame(articles, results),
        analysed=len(items),
        cached=cached.height,
        problems=problems,
    )
