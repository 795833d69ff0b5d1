"""What a load produced: the articles frame, and one issue per problem instead of an exception.

`Collector` accumulates rows while sources are read and drops the same story reached twice (same
normalised URL, or same normalised text) and repeated ids, each drop a warning in the report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from core.articles import make_article
from core.ingest.feeds import normalize_text, normalize_url
from core.ingest.fetch import Fetcher

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


def story_keys(row: dict[str, Any]) -> tuple[str, str]:
    """What makes two article rows the same story: the normalised URL ("" without one) and text."""
    text = normalize_text(row["text"])
    url_key = normalize_url(row["url"]) if row["url"] else ""
    return url_key, f"{normalize_text(row['title'])}\n{text}" if len(text) < SHORT_TEXT else text


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
        url_key, text_key = story_keys(row)
        keys = [("URL", self._urls, url_key), ("text", self._texts, text_key)]
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
