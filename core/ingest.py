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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from core.articles import FIELD_ALIASES, articles_frame, make_article, split_headline
from core.feeds import looks_like_feed, normalize_text, normalize_url
from core.regular_files import InputFileError, read_regular_file
from core.textio import BinaryFileError, decode_bytes

if TYPE_CHECKING:
    from core.fetch import Fetcher

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


LoadProgress = Callable[[str, int], None]
"""Called as (what, how many so far) while a load runs: ("listed", files found), ("read", files read)."""

FULL_TEXT_LIMIT_ENV = "NEWSDESK_FULL_TEXT_LIMIT"
# Full text costs one page fetch per entry: a 10,000-item feed must not mean 10,000 fetches by default.
DEFAULT_FULL_TEXT_LIMIT = 100


def default_full_text_limit() -> int:
    """Entries per feed that get their linked page: $NEWSDESK_FULL_TEXT_LIMIT if a number >= 0, else 100."""
    value = os.environ.get(FULL_TEXT_LIMIT_ENV, "").strip()
    return int(value) if value.isdigit() else DEFAULT_FULL_TEXT_LIMIT


class Collector:
    """Accumulates article rows and issues while sources are read; drops repeated ids and stories."""

    def __init__(
        self,
        full_text: bool = False,
        fetcher: Fetcher | None = None,
        *,
        progress: LoadProgress | None = None,
        full_text_limit: int | None = None,
    ) -> None:
        self.rows: list[dict[str, Any]] = []
        self.report = LoadReport()
        self.full_text = full_text
        self.progress = progress
        self.full_text_limit = default_full_text_limit() if full_text_limit is None else full_text_limit
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
    from core.sources import load_sources  # core.sources reads files through this module

    collector = Collector(full_text, fetcher, progress=progress, full_text_limit=full_text_limit)
    try:
        load_sources(sources, collector)
    finally:
        collector.close()
    return LoadResult(articles_frame(collector.rows), collector.report)


def load_file(path: Path, collector: Collector, default_source: str) -> None:
    from core.sources import load_feed, load_page  # core.sources imports this module

    collector.report.files_read += 1
    if collector.progress is not None:
        collector.progress("read", collector.report.files_read)
    suffix = path.suffix.lower()
    try:
        # Only regular files, under the size cap: a FIFO or device would block, a huge file swamp memory.
        data = read_regular_file(path)
    except InputFileError as error:
        collector.issue(path, str(error))
        return
    if suffix == ".parquet":
        _load_parquet(path, data, collector, default_source)
        return
    if not data.strip():
        collector.issue(path, "empty file")
        return
    # Feeds and pages go to their parsers as bytes: they read the encoding the document declares.
    if suffix in FEED_SUFFIXES or (suffix not in STRUCTURED_SUFFIXES and looks_like_feed(data)):
        load_feed(str(path), data, None, default_source, None, collector)
        return
    if suffix in HTML_SUFFIXES:
        load_page(str(path), data, None, default_source, collector)
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


def _add_record(path: Path, location: str, record: Any, collector: Collector, default_source: str) -> None:
    if not isinstance(record, dict):
        collector.issue(path, f"expected an object, found {type(record).__name__}; skipped", location)
        return
    try:
        fields = _fields(record)
    except ValueError as error:
        collector.issue(path, f"{error}; skipped", location)
        return
    collector.add(path, location, default_source, **fields)


def _load_jsonl(path: Path, text: str, collector: Collector, default_source: str) -> None:
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


def _load_json(path: Path, text: str, collector: Collector, default_source: str) -> None:
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


def _load_csv(path: Path, text: str, collector: Collector, default_source: str) -> None:
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
    next_start = last_start = reader.line_num + 1
    try:
        for record in reader:
            last_start = next_start
            _add_record(path, f"line {reader.line_num}", record, collector, default_source)
            next_start = reader.line_num + 1
    except csv.Error as error:
        collector.issue(
            path, f"malformed CSV: {error}; the rest of the file is skipped", f"line {reader.line_num}"
        )
        return
    _check_final_quote(path, text, last_start, reader.line_num, collector)


def _check_final_quote(path: Path, text: str, start: int, end: int, collector: Collector) -> None:
    """Warn when the last record holds a quote that never closes: it swallowed the rest of the file.

    Python's csv reader (non-strict, so stray quotes inside fields still load) accepts a quoted
    field that runs to the end of the file; only a strict re-read of that last record tells.
    """
    if end <= start:  # the last record is on one line: nothing was swallowed
        return
    lines = io.StringIO(text, newline="").readlines()  # the lines the csv reader counted
    try:
        for _ in csv.reader(io.StringIO("".join(lines[start - 1 : end]), newline=""), strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            collector.issue(
                path,
                f"a quoted field in the record starting here is never closed, so lines {start}-{end} "
                "were read as that one record",
                f"line {start}",
                warning=True,
            )


def _load_parquet(path: Path, data: bytes, collector: Collector, default_source: str) -> None:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
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
