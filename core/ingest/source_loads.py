"""Loading sources independently: local files at once, each feed when it arrives or fails.

`load_articles` returns when the slowest source is done; a dashboard would show nothing until a
slow feed's 30 s deadline. Here the local paths (files, folders, OPML lists read for their feeds)
are loaded first, on the caller's thread, and each feed URL on a daemon thread of its own (at most
the fetcher's `max_parallel` fetching at once, which the fetcher enforces): every source's articles
and issues arrive as one `SourceLoaded` as soon as that source is done. Nothing here is ever
joined, so a caller that stops listening (an app quitting) waits for no network.

The duplicate rules of `load_articles` hold across sources (same id, URL or text is kept once);
which copy is kept follows arrival order, local files first.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.articles import articles_frame
from core.ingest.report import Collector, LoadProgress, LoadReport, LoadResult
from core.ingest.sources import FeedJob, load_feed_job, load_path, split_sources

if TYPE_CHECKING:
    from core.ingest.fetch import Fetcher
    from core.settings.config import NewsdeskConfig

LOCAL_SOURCES = "local files"


@dataclass(frozen=True)
class SourceLoaded:
    """One source done: what it is (a URL, or LOCAL_SOURCES for every path), its articles and issues."""

    source: str
    result: LoadResult
    remaining: int  # sources still loading after this one


class _SharedCollector(Collector):
    """A collector for one source whose duplicate checks span every source of the load."""

    def __init__(self, shared: Collector, lock: threading.Lock, **options: Any) -> None:
        super().__init__(shared.full_text, shared.fetcher(), **options)
        self._seen, self._urls, self._texts = shared._seen, shared._urls, shared._texts
        self._lock = lock

    def add(self, path: Any, location: str | None, default_source: str, **fields: Any) -> None:
        with self._lock:
            super().add(path, location, default_source, **fields)


def load_sources_separately(
    sources: Iterable[str | os.PathLike[str] | FeedJob],
    on_loaded: Callable[[SourceLoaded], None],
    *,
    full_text: bool = False,
    fetcher: Fetcher | None = None,
    progress: LoadProgress | None = None,
    full_text_limit: int | None = None,
) -> int:
    """Load local paths now (one `on_loaded` call), then start one daemon thread per feed URL, each
    calling `on_loaded` from its thread when done. Returns how many feeds are still loading.

    `on_loaded` must be thread-safe (Textual's `post_message` is). Local paths are reported even
    when there are none, so a caller always hears once before the feeds.
    """
    shared = Collector(full_text, fetcher, full_text_limit=full_text_limit)
    lock = threading.Lock()
    options: dict[str, Any] = {"full_text_limit": shared.full_text_limit}
    local = _SharedCollector(shared, lock, progress=progress, **options)
    given = list(sources)
    paths, feeds = split_sources([s for s in given if not isinstance(s, FeedJob)], local)
    feeds = [s for s in given if isinstance(s, FeedJob)] + feeds
    for path in paths:
        load_path(path, local)
    remaining = len(feeds)
    remaining_lock = threading.Lock()
    on_loaded(SourceLoaded(LOCAL_SOURCES, _result(local), remaining))

    def load_one(job: FeedJob) -> None:
        nonlocal remaining
        collector = _SharedCollector(shared, lock, **options)
        try:
            load_feed_job(job, collector)
        except Exception as error:  # one feed's unexpected failure is its own line, not everyone's
            collector.issue(job.url, f"could not be loaded: {type(error).__name__}: {error}")
        with remaining_lock:
            remaining -= 1
            left = remaining
        on_loaded(SourceLoaded(job.url, _result(collector), left))

    for number, job in enumerate(feeds):
        threading.Thread(target=load_one, args=(job,), name=f"newsdesk-feed-{number}", daemon=True).start()
    return len(feeds)


def load_configured_separately(
    config: NewsdeskConfig,
    full_text: bool | None,
    on_loaded: Callable[[SourceLoaded], None],
    **options: Any,
) -> int:
    """`load_sources_separately` over the configured feeds (each with its own full-text choice, as
    in `core.ingest.load.load_configured_sources`) and watch folders."""
    jobs: list[str | os.PathLike[str] | FeedJob] = [str(folder) for folder in config.watch_folders]
    jobs += [FeedJob(feed.url, None, config.full_text_for(feed, full_text)) for feed in config.feeds]
    return load_sources_separately(jobs, on_loaded, **options)


def iter_sources_separately(
    sources: Iterable[str | os.PathLike[str] | FeedJob], **options: Any
) -> Generator[SourceLoaded, None, None]:
    """`load_sources_separately` as an iterator: local files first, then each feed as it is done.

    Stopping the iteration early leaves the remaining feeds to finish (or not) on their daemon threads.
    """
    arrived: queue.SimpleQueue[SourceLoaded] = queue.SimpleQueue()
    feeds = load_sources_separately(sources, arrived.put, **options)
    for _ in range(feeds + 1):
        yield arrived.get()


def _result(collector: Collector) -> LoadResult:
    report = LoadReport(files_read=collector.report.files_read, issues=list(collector.report.issues))
    return LoadResult(articles_frame(collector.rows), report)
