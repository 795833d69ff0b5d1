"""Adding feed documents and article pages to a load: entries and main text become articles."""

from __future__ import annotations

from core.ingest.feeds import FeedError, parse_feed, parse_page, with_full_text
from core.ingest.report import FULL_TEXT_LIMIT_ENV, Collector
from core.wording import plural


def load_feed(
    label: str, data: bytes, base_url: str | None, default_source: str, name: str | None,
    collector: Collector, full_text: bool | None = None,
) -> None:  # fmt: skip
    """Add a feed's entries (with linked pages' text in full-text mode), sourced by name or feed title."""
    try:
        feed = parse_feed(data, base_url)
    except FeedError as error:
        collector.issue(label, str(error))
        return
    for warning in feed.warnings:
        collector.issue(label, warning, warning=True)
    entries = feed.entries
    if collector.full_text if full_text is None else full_text:
        limit = collector.full_text_limit
        if len(entries) > limit:
            collector.issue(
                label,
                f"full text for the first {plural(limit, 'entry', 'entries')} of {len(entries)} only; "
                f"the rest keep the feed's summary (raise the limit with --full-text-limit or "
                f"${FULL_TEXT_LIMIT_ENV})",
                warning=True,
            )
        fetched, problems = with_full_text(entries[:limit], collector.fetcher())
        entries = fetched + entries[limit:]
        for index, problem in problems.items():
            message = f"full text unavailable ({problem}); kept the feed summary"
            collector.issue(label, message, f"entry {index + 1}", warning=True)
    source = name or feed.title or default_source
    for number, entry in enumerate(entries, start=1):
        collector.add(
            label, f"entry {number}", source, title=entry.title, text=entry.text,
            date_value=entry.date_value, url=entry.url, given_id=entry.given_id,
        )  # fmt: skip


def load_page(label: str, data: bytes, url: str | None, default_source: str, collector: Collector) -> None:
    """Add an article page's main text, sourced by its site name when it declares one."""
    try:
        page = parse_page(data, url)
    except FeedError as error:
        collector.issue(label, str(error))
        return
    entry = page.entry
    collector.add(
        label, None, page.sitename or default_source, title=entry.title, text=entry.text,
        date_value=entry.date_value, url=entry.url or url,
    )  # fmt: skip
