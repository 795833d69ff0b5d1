"""Loading articles: the entry points that read sources into an articles frame plus a load report.

`load_articles` reads files, folders, OPML lists and URLs in the order given; `load_configured_sources`
reads what the settings file lists, with each feed's own full-text choice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import polars as pl

from core.articles import articles_frame
from core.ingest.fetch import Fetcher
from core.ingest.report import Collector, LoadIssue, LoadProgress, LoadReport, LoadResult
from core.ingest.sources import load_sources
from core.settings.config import NewsdeskConfig
from core.wording import plural


def load_articles(
    sources: Iterable[str | os.PathLike[str]],
    *,
    full_text: bool = False,
    fetcher: Fetcher | None = None,
    progress: LoadProgress | None = None,
    full_text_limit: int | None = None,
) -> LoadResult:
    """Load every article from `sources`: files, folders (recursively, stable order), OPML files and
    http(s) URLs of feeds or article pages; `full_text` replaces feed summaries by the linked pages
    (for at most `full_text_limit` entries per feed, default `default_full_text_limit()`).
    `progress` hears how many files were listed and read so far."""
    collector = Collector(full_text, fetcher, progress=progress, full_text_limit=full_text_limit)
    try:
        load_sources(sources, collector)
    finally:
        collector.close()
    return LoadResult(articles_frame(collector.rows), collector.report)


def load_configured_sources(
    config: NewsdeskConfig, full_text: bool | None = None, **load_options: Any
) -> LoadResult:
    """Load every configured feed and watch folder, fetching full text per feed as configured.

    `load_articles` takes one full-text switch per call, so feeds are loaded in (at most) two groups
    and the results merged; an article reached through both groups is kept once. `load_options`
    (progress, full_text_limit) go to every `load_articles` call.
    """
    groups: dict[bool, list[str]] = {}
    for feed in config.feeds:
        groups.setdefault(config.full_text_for(feed, full_text), []).append(feed.url)
    # Local files have no linked page to fetch, so folders ride along with whichever group exists.
    folders = [str(folder) for folder in config.watch_folders]
    groups.setdefault(next(iter(groups), False), []).extend(folders)
    results = [
        load_articles(sources, full_text=flag, **load_options) for flag, sources in groups.items() if sources
    ]
    if len(results) == 1:
        return results[0]
    frame = pl.concat([result.articles for result in results])
    report = LoadReport(
        files_read=sum(r.report.files_read for r in results),
        issues=[issue for r in results for issue in r.report.issues],
    )
    unique = frame.unique(subset="id", keep="first", maintain_order=True)
    if dropped := frame.height - unique.height:
        message = f"{plural(dropped, 'article')} came from two feeds; kept once"
        issue = LoadIssue("feeds", message, severity="warning")
        report.issues.append(issue)
    return LoadResult(unique, report)
