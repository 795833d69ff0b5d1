"""The article record: its frame schema and the rules for ids, sources, dates and sizes.

Every loader (text files, JSON, CSV, Parquet, later feeds) funnels raw fields through
`make_article`, so the id/date/source rules hold whatever the input format.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import polars as pl

# An article longer than this is truncated (with a warning): analysis cost grows with length and
# nothing a person reads in a pane needs more than a million characters.
MAX_ARTICLE_CHARS = 1_000_000

ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "title": pl.String(),
    "text": pl.String(),
    "date": pl.Date(),
    "url": pl.String(),
    "source": pl.String(),
    "origin": pl.String(),
    "content_hash": pl.String(),
}

# Accepted column names, first match wins. Lower-cased before lookup.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "date": ("date", "published", "published_at", "pubdate"),
    "url": ("url", "link"),
    "source": ("source",),
    "id": ("id",),
}

_MONTH_NAME_DATE = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


def content_hash(title: str, text: str) -> str:
    """Stable digest of what analysis reads: same title and text, same hash, same cached results."""
    digest = hashlib.blake2b(digest_size=10)
    digest.update(title.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def parse_date(value: Any) -> date | None:
    """Parse ISO dates and datetimes, RFC 2822 (feeds) and 'January 4, 2019'; None for empty.

    Raises ValueError with the offending value when it is present but unreadable.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    iso = raw[:-1] + "+00:00" if raw.endswith("Z") else raw
    try:
        return datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _MONTH_NAME_DATE:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {raw[:40]!r}")


_BLANK = re.compile(r"\s+")
_NEWLINES = re.compile(r"\r\n?")


def split_headline(text: str) -> tuple[str, str]:
    """A text file's first non-empty line is its headline; the rest is the body."""
    stripped = text.lstrip("\ufeff").strip("\n\r\t ")
    headline, _, body = stripped.partition("\n")
    return headline.strip(), body.strip()


def make_article(
    *,
    title: Any,
    text: Any,
    origin: str,
    default_source: str,
    date_value: Any = None,
    url: Any = None,
    source: Any = None,
    given_id: Any = None,
) -> tuple[dict[str, Any], list[str]]:
    """Build one article row; returns it with warnings (truncation, bad date) to report.

    Raises ValueError when there is no usable text: the caller reports it and moves on.
    """
    warnings: list[str] = []
    title_str = _BLANK.sub(" ", str(title or "")).strip()
    if text is not None and not isinstance(text, str):
        raise ValueError(f"field 'text' is a {type(text).__name__}, not a string")
    text_str = _NEWLINES.sub("\n", text or "").strip()
    if not text_str and not title_str:
        raise ValueError("no text and no title")
    if len(text_str) > MAX_ARTICLE_CHARS:
        warnings.append(f"text truncated from {len(text_str):,} to {MAX_ARTICLE_CHARS:,} characters")
        text_str = text_str[:MAX_ARTICLE_CHARS]
    try:
        parsed_date = parse_date(date_value)
    except ValueError as error:
        warnings.append(f"{error}; date left empty")
        parsed_date = None
    digest = content_hash(title_str, text_str)
    article_id = str(given_id).strip() if given_id not in (None, "") else digest
    row = {
        "id": article_id,
        "title": title_str,
        "text": text_str,
        "date": parsed_date,
        "url": str(url).strip() if url else None,
        "source": str(source).strip() if source else default_source,
        "origin": origin,
        "content_hash": digest,
    }
    return row, warnings


def articles_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The articles frame, one row per article, with the fixed schema (empty is fine)."""
    return (
        pl.DataFrame(rows, schema=ARTICLE_SCHEMA, orient="row")
        if rows
        else pl.DataFrame(schema=ARTICLE_SCHEMA)
    )


def article_document(title: str, text: str) -> str:
    """The string every analysis runs on and every offset points into: headline, blank line, body."""
    return f"{title}\n\n{text}" if title else text
