"""Loading articles from files, folders, feeds and web pages, with a load report instead of exceptions.

One bad file, URL, line, record or feed entry becomes one `LoadIssue` naming where and what; everything
else loads. The same story reached twice (same normalised URL, or same normalised text) is kept once.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import polars as pl

from core.articles import FIELD_ALIASES, articles_frame, make_article, split_headline
from core.feeds import (
    FeedError,
    looks_like_feed,
    looks_like_html,
    normalize_text,
    normalize_url,
    parse_feed,
    parse_page,
    with_full_text,
)
from core.textio import BinaryFileError, decode_bytes

if TYPE_CHECKING:
    from core.fetch import Fetcher, FetchError, FetchResult

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
STRUCTURED_SUFFIXES = JSONL_SUFFIXES | {".json", ".csv", ".parquet"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | STRUCTURED_SUFFIXES | FEED_SUFFIXES | HTML_SUFFIXES
# Bodies this short ("Read more…") repeat across different stories, so their title joins the text key.
SHORT_TEXT = 200


@dataclass(frozen=True)
class LoadIssue:
    """One problem with the input: which file, where in it, and what is wrong."""

    path: str
    message: str
    location: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}, {self.location}" if self.location else self.path
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class LoadReport:
    """What a load read, what it kept and what went wrong."""

    files_read: int = 0
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity == "warning"]


@dataclass
class LoadResult:
    """The articles frame (see core.articles.ARTICLE_SCHEMA) and the report of how it was built."""

    articles: pl.DataFrame
    report: LoadReport


class _Collector:
    """Accumulates article rows and issues while sources are read; drops repeated ids and stories."""

    def __init__(self, full_text: bool = False, fetcher: Fetcher | None = None) -> None:
        self.rows: list[dict[str, Any]] = []
        self.report = LoadReport()
        self.full_text = full_text
        self._fetcher = fetcher
        self._own_fetcher = False
        self._seen: dict[str, str] = {}
        self._urls: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def fetcher(self) -> Fetcher:
        """The caller's fetcher, else a default one made on first use (closed by `close`)."""
        if self._fetcher is None:
            from core.fetch import Fetcher

            self._fetcher, self._own_fetcher = Fetcher(), True
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def issue(
        self, path: Path | str, message: str, location: str | None = None, *, warning: bool = False
    ) -> None:
        severity: Literal["error", "warning"] = "warning" if warning else "error"
        self.report.issues.append(LoadIssue(str(path), message, location, severity))

    def add(self, path: Path | str, location: str | None, default_source: str, **fields: Any) -> None:
        origin = f"{path}:{location.split()[-1]}" if location else str(path)
        try:
            row, warnings = make_article(origin=origin, default_source=default_source, **fields)
        except ValueError as error:
            self.issue(path, f"{error}; skipped", location)
            return
        for warning in warnings:
            self.issue(path, warning, location, warning=True)
        if row["id"] in self._seen:
            self.issue(
                path,
                f"duplicate article id {row['id']!r} (first seen at {self._seen[row['id']]}); skipped",
                location,
                warning=True,
            )
            return
        text = normalize_text(row["text"])
        keys = [
            ("URL", self._urls, normalize_url(row["url"]) if row["url"] else ""),
            (
                "text",
                self._texts,
                f"{normalize_text(row['title'])}\n{text}" if len(text) < SHORT_TEXT else text,
            ),
        ]
        for kind, seen, key in keys:
            if key and key in seen:
                self.issue(
                    path, f"duplicate story: same {kind} as {seen[key]}; skipped", location, warning=True
                )
                return
        for _kind, seen, key in keys:
            if key:
                seen[key] = origin
        self._seen[row["id"]] = origin
        self.rows.append(row)


def load_articles(
    sources: Iterable[str | os.PathLike[str]], *, full_text: bool = False, fetcher: Fetcher | None = None
) -> LoadResult:
    """Load every article from `sources`: files, folders (recursively, stable order), OPML files and
    http(s) URLs of feeds or article pages; `full_text` replaces feed summaries by the linked pages."""
    collector = _Collector(full_text, fetcher)
    try:
        _load_sources(sources, collector)
    finally:
        collector.close()
    return LoadResult(articles_frame(collector.rows), collector.report)


@dataclass(frozen=True)
class _Feed:
    """A URL to read, with the name and full-text choice an OPML list may give it."""

    url: str
    name: str | None = None
    full_text: bool | None = None


def _expand(sources: Iterable[str | os.PathLike[str]], collector: _Collector) -> list[Path | _Feed]:
    """Sources in order, with each OPML file replaced by the feeds it lists."""
    jobs: list[Path | _Feed] = []
    for given in sources:
        text = os.fspath(given)
        if isinstance(text, str) and text.lower().startswith(("http://", "https://")):
            jobs.append(_Feed(text))
        elif Path(text).suffix.lower() == ".opml" and Path(text).is_file():
            from core.config import default_name
            from core.opml import OpmlError, read_opml

            collector.report.files_read += 1
            try:
                specs = read_opml(Path(text))
            except OpmlError as error:  # its message already names the file
                collector.issue(text, str(error).removeprefix(f"{text}: "))
                continue
            for spec in specs:
                name = spec.name if spec.name != default_name(spec.url) else None
                jobs.append(_Feed(spec.url, name, spec.full_text))
        else:
            jobs.append(Path(text))
    return jobs


def _load_sources(sources: Iterable[str | os.PathLike[str]], collector: _Collector) -> None:
    jobs = _expand(sources, collector)
    urls = list(dict.fromkeys(job.url for job in jobs if isinstance(job, _Feed)))
    # Every URL is fetched up front, in parallel within the fetcher's limit; results are used in order.
    fetched = dict(zip(urls, collector.fetcher().fetch_many(urls), strict=True)) if urls else {}
    for job in jobs:
        if isinstance(job, _Feed):
            _load_url(job, fetched[job.url], collector)
            continue
        path = job
        if not path.exists():
            collector.issue(path, "no such file or directory")
        elif path.is_dir():
            files = sorted(_walk(path), key=lambda p: p.relative_to(path).as_posix())
            if not files:
                collector.issue(
                    path,
                    "folder holds no article files "
                    "(.txt, .md, .jsonl, .json, .csv, .parquet, .rss, .atom, .xml, .html)",
                )
            for file in files:
                _load_file(file, collector, default_source=path.resolve().name)
        else:
            _load_file(path, collector, default_source=path.stem)


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield Path(folder) / name


def _load_file(path: Path, collector: _Collector, default_source: str) -> None:
    collector.report.files_read += 1
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            _load_parquet(path, collector, default_source)
            return
        data = path.read_bytes()
    except OSError as error:
        collector.issue(path, f"cannot read: {error.strerror or error}")
        return
    if not data.strip():
        collector.issue(path, "empty file")
        return
    # Feeds and pages go to their parsers as bytes: they read the encoding the document declares.
    if suffix in FEED_SUFFIXES or (suffix not in STRUCTURED_SUFFIXES and looks_like_feed(data)):
        _load_feed(str(path), data, None, default_source, None, collector)
        return
    if suffix in HTML_SUFFIXES:
        _load_page(str(path), data, None, default_source, collector)
        return
    try:
        decoded = decode_bytes(data)
    except BinaryFileError as error:
        collector.issue(path, str(error))
        return
    if decoded.note:
        collector.issue(path, decoded.note, warning=True)
    if suffix in JSONL_SUFFIXES:
        _load_jsonl(path, decoded.text, collector, default_source)
    elif suffix == ".json":
        _load_json(path, decoded.text, collector, default_source)
    elif suffix == ".csv":
        _load_csv(path, decoded.text, collector, default_source)
    else:
        title, body = split_headline(decoded.text)
        collector.add(path, None, default_source, title=title, text=body)


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """Map a record's columns onto article fields via FIELD_ALIASES (case-insensitive)."""
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    found: dict[str, Any] = {}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in lowered and lowered[alias] not in (None, ""):
                found[name] = lowered[alias]
                break
    if "text" not in found and not any(a in lowered for a in FIELD_ALIASES["text"]):
        raise ValueError("no text field (expected 'text', 'body' or 'content')")
    return {
        "title": found.get("title"),
        "text": found.get("text"),
        "date_value": found.get("date"),
        "url": found.get("url"),
        "source": found.get("source"),
        "given_id": found.get("id"),
    }


def _add_record(path: Path, location: str, record: Any, collector: _Collector, default_source: str) -> None:
    if not isinstance(record, dict):
        collector.issue(path, f"expected an object, found {type(record).__name__}; skipped", location)
        return
    try:
        fields = _fields(record)
    except ValueError as error:
        collector.issue(path, f"{error}; skipped", location)
        return
    collector.add(path, location, default_source, **fields)


def _load_jsonl(path: Path, text: str, collector: _Collector, default_source: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            collector.issue(
                path, f"malformed JSON: {error.msg} at column {error.colno}; skipped", f"line {number}"
            )
            continue
        _add_record(path, f"line {number}", record, collector, default_source)


def _load_json(path: Path, text: str, collector: _Collector, default_source: str) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        collector.issue(path, f"malformed JSON: {error.msg}", f"line {error.lineno}, column {error.colno}")
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    records = document if isinstance(document, list) else [document]
    for number, record in enumerate(records, start=1):
        _add_record(path, f"record {number}", record, collector, default_source)


def _load_csv(path: Path, text: str, collector: _Collector, default_source: str) -> None:
    # Article bodies can exceed csv's 128 KB default field limit.
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if not any(alias in columns for alias in FIELD_ALIASES["text"]):
        collector.issue(
            path,
            f"no text column (expected 'text', 'body' or 'content'; found {', '.join(columns) or 'none'})",
        )
        return
    try:
        for record in reader:
            _add_record(path, f"line {reader.line_num}", record, collector, default_source)
    except csv.Error as error:
        collector.issue(
            path, f"malformed CSV: {error}; the rest of the file is skipped", f"line {reader.line_num}"
        )


def _load_parquet(path: Path, collector: _Collector, default_source: str) -> None:
    try:
        frame = pl.read_parquet(path)
    except Exception as error:  # polars raises several unrelated types for a damaged file
        collector.issue(path, f"unreadable Parquet: {str(error).splitlines()[0]}")
        return
    columns = [c.lower() for c in frame.columns]
    if not any(alias in columns for alias in FIELD_ALIASES["text"]):
        collector.issue(
            path,
            f"no text column (expected 'text', 'body' or 'content'; found {', '.join(columns) or 'none'})",
        )
        return
    for number, record in enumerate(frame.iter_rows(named=True), start=1):
        _add_record(path, f"row {number}", record, collector, default_source)


def _load_url(feed: _Feed, fetched: FetchResult | FetchError, collector: _Collector) -> None:
    """Dispatch a fetched URL by Content-Type and sniffing: a feed, an article page, or an issue."""
    from core.fetch import FetchError

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
        _load_page(feed.url, fetched.body, fetched.final_url, host, collector)
    elif looks_like_feed(fetched.body) or "xml" in kind or "rss" in kind or "atom" in kind:
        full_text = collector.full_text if feed.full_text is None else feed.full_text
        _load_feed(feed.url, fetched.body, fetched.final_url, host, feed.name, collector, full_text)
    elif looks_like_html(fetched.body):  # a page served as text/plain or octet-stream
        _load_page(feed.url, fetched.body, fetched.final_url, host, collector)
    else:
        collector.issue(feed.url, f"content type {kind or 'unknown'!r} is neither a feed nor an HTML page")


def _load_feed(
    label: str, data: bytes, base_url: str | None, default_source: str, name: str | None,
    collector: _Collector, full_text: bool | None = None,
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
        entries, problems = with_full_text(entries, collector.fetcher())
        for index, problem in problems.items():
            message = f"full text unavailable ({problem}); kept the feed summary"
            collector.issue(label, message, f"entry {index + 1}", warning=True)
    source = name or feed.title or default_source
    for number, entry in enumerate(entries, start=1):
        collector.add(
            label, f"entry {number}", source, title=entry.title, text=entry.text,
            date_value=entry.date_value, url=entry.url, given_id=entry.given_id,
        )  # fmt: skip


def _load_page(label: str, data: bytes, url: str | None, default_source: str, collector: _Collector) -> None:
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
