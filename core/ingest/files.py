"""Reading article files: plain text, JSON Lines, JSON, CSV, Parquet, and feed or page files.

Every problem (unreadable, binary, malformed line or record, no text column) becomes one issue in the
collector's report naming the file and where in it; the good records still load.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from core.articles import FIELD_ALIASES, split_headline
from core.ingest.documents import load_feed, load_page
from core.ingest.feeds import looks_like_feed
from core.ingest.regular_files import InputFileError, read_regular_file
from core.ingest.report import Collector
from core.ingest.textio import BinaryFileError, decode_bytes

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
STRUCTURED_SUFFIXES = JSONL_SUFFIXES | {".json", ".csv", ".parquet"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | STRUCTURED_SUFFIXES | FEED_SUFFIXES | HTML_SUFFIXES


def load_file(path: Path, collector: Collector, default_source: str) -> None:
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
        load_jsonl_text(path, decoded.text, collector, default_source)
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


def load_jsonl_text(
    path: Path, text: str, collector: Collector, default_source: str, first_line: int = 1
) -> None:
    """Add the records of JSON Lines text; `first_line` numbers its first line (a dataset task reads
    a line range of a big file, and its issues and origins must name the file's own line numbers)."""
    for number, line in enumerate(text.splitlines(), start=first_line):
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
    load_parquet_frame(path, frame, collector, default_source)


def load_parquet_frame(
    path: Path, frame: pl.DataFrame, collector: Collector, default_source: str, first_row: int = 1
) -> None:
    """Add the rows of a Parquet file's frame; `first_row` numbers its first row (a dataset task reads
    a row range of a big file, and its issues and origins must name the file's own row numbers)."""
    columns = [c.lower() for c in frame.columns]
    if not any(alias in columns for alias in FIELD_ALIASES["text"]):
        collector.issue(
            path,
            f"no text column (expected 'text', 'body' or 'content'; found {', '.join(columns) or 'none'})",
        )
        return
    for number, record in enumerate(frame.iter_rows(named=True), start=first_row):
        _add_record(path, f"row {number}", record, collector, default_source)
