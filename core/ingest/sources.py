"""Reading URLs, feeds, HTML pages, OPML lists and folders into a load's collector, in the order given."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from core.ingest.documents import load_feed, load_page
from core.ingest.feeds import looks_like_feed, looks_like_html
from core.ingest.fetch import FetchError, FetchResult
from core.ingest.files import ARTICLE_SUFFIXES, load_file
from core.ingest.opml import OpmlError, read_opml
from core.ingest.report import Collector
from core.settings.feedspec import default_name


@dataclass(frozen=True)
class _Feed:
    """A URL to read, with the name and full-text choice an OPML list may give it."""

    url: str
    name: str | None = None
    full_text: bool | None = None


# A URL to load: given, or listed by an OPML file with its name and full-text choice.
FeedJob = _Feed


def is_url(source: str | os.PathLike[str]) -> bool:
    """An http(s) URL (fetched) rather than a path (read from disk)."""
    text = os.fspath(source)
    return isinstance(text, str) and text.lower().startswith(("http://", "https://"))


def _expand(sources: Iterable[str | os.PathLike[str]], collector: Collector) -> list[Path | _Feed]:
    """Sources in order, with each OPML file replaced by the feeds it lists."""
    jobs: list[Path | _Feed] = []
    for given in sources:
        text = os.fspath(given)
        if is_url(text):
            jobs.append(_Feed(text))
        elif Path(text).suffix.lower() == ".opml" and Path(text).is_file():
            collector.report.files_read += 1
            try:
                specs = read_opml(Path(text))
            except OpmlError as error:
                collector.issue(text, error.reason, error.location)
                continue
            for spec in specs:
                name = spec.name if spec.name != default_name(spec.url) else None
                jobs.append(_Feed(spec.url, name, spec.full_text))
        else:
            jobs.append(Path(text))
    return jobs


def load_sources(sources: Iterable[str | os.PathLike[str]], collector: Collector) -> None:
    jobs = _expand(sources, collector)
    urls = list(dict.fromkeys(job.url for job in jobs if isinstance(job, _Feed)))
    # Every URL is fetched up front, in parallel within the fetcher's limit; results are used in order.
    fetched = dict(zip(urls, collector.fetcher().fetch_many(urls), strict=True)) if urls else {}
    for job in jobs:
        if isinstance(job, _Feed):
            _load_url(job, fetched[job.url], collector)
        else:
            load_path(job, collector)


def split_sources(
    sources: Iterable[str | os.PathLike[str]], collector: Collector
) -> tuple[list[Path], list[FeedJob]]:
    """Local paths and feeds (URLs given, and those OPML files list), in order; see core.source_loads."""
    jobs = _expand(sources, collector)
    return [job for job in jobs if isinstance(job, Path)], [job for job in jobs if isinstance(job, _Feed)]


def load_feed_job(job: FeedJob, collector: Collector) -> None:
    """Fetch one feed or page URL and add what it holds (or its one-line problem) to `collector`."""
    try:
        fetched: FetchResult | FetchError = collector.fetcher().fetch(job.url)
    except FetchError as error:
        fetched = error
    _load_url(job, fetched, collector)


def load_path(path: Path, collector: Collector) -> None:
    """Add the articles of one file or folder (recursively) to `collector`."""
    if not path.exists():
        collector.issue(path, "no such file or directory")
    elif path.is_dir():
        files = sorted(_walk(path, collector), key=lambda p: p.relative_to(path).as_posix())
        if not files:
            collector.issue(
                path,
                "folder holds no article files "
                "(.txt, .md, .jsonl, .json, .csv, .parquet, .rss, .atom, .xml, .html)",
            )
        for file in files:
            load_file(file, collector, default_source=path.resolve().name)
    else:
        load_file(path, collector, default_source=path.stem)


def _walk(root: Path, collector: Collector) -> Iterator[Path]:
    found = 0
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                found += 1
                yield Path(folder) / name
        if collector.progress is not None:
            collector.progress("listed", found)


def _load_url(feed: _Feed, fetched: FetchResult | FetchError, collector: Collector) -> None:
    """Dispatch a fetched URL by Content-Type and sniffing: a feed, an article page, or an issue."""
    if isinstance(fetched, FetchError):
        collector.issue(feed.url, fetched.message)
        return
    collector.report.files_read += 1
    for warning in fetched.warnings:
        collector.issue(feed.url, warning, warning=True)
    host = urlsplit(fetched.final_url).hostname or feed.url
    kind = fetched.content_type.split(";")[0].strip().lower()
    if not fetched.body.strip():
        collector.issue(feed.url, f"empty response (HTTP {fetched.status})")
    elif kind in ("text/html", "application/xhtml+xml") and not looks_like_feed(fetched.body):
        load_page(feed.url, fetched.body, fetched.final_url, host, collector)
    elif looks_like_feed(fetched.body) or "xml" in kind or "rss" in kind or "atom" in kind:
        full_text = collector.full_text if feed.full_text is None else feed.full_text
        load_feed(feed.url, fetched.body, fetched.final_url, host, feed.name, collector, full_text)
    elif looks_like_html(fetched.body):  # a page served as text/plain or octet-stream
        load_page(feed.url, fetched.body, fetched.final_url, host, collector)
    else:
        collector.issue(feed.url, f"content type {kind or 'unknown'!r} is neither a feed nor an HTML page")
