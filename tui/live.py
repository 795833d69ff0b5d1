"""Keeping the dashboard current: reloading sources, watching folders, refreshing feeds, read state.

A mixin for NewsdeskApp so app.py stays about layout and panes. Reloads run in workers; only the
message handlers touch the app's state, and the user's filter, selection and scroll survive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from core.analysis import drop_articles, iter_analysis
from core.ingest import LoadReport
from core.sources import is_url
from core.watch import watch_article_files
from tui.messages import AnalysisFinished, AnalysisProgressed, BatchAnalysed, LoadFailed

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


@dataclass
class SourcesReloaded(Message):
    """A reload read the sources again: the full article frame, what vanished or changed, what is new."""

    articles: pl.DataFrame
    removed: pl.Series
    added: int
    report: LoadReport


@dataclass
class FilesChanged(Message):
    """Article files appeared or changed in a watched folder."""

    paths: list[Path]


class LiveUpdates:
    """Reload on `r`, on a timer (feeds) and when watched folders change; track read articles."""

    def start_live_updates(self: NewsdeskApp) -> None:
        """Begin watching folders and, when any source is a URL, refreshing on the configured interval."""
        self._watch_stop = threading.Event()
        if self.watch_folders:
            self.watch_folders_worker()
        if self.refresh_minutes and any(is_url(s) for s in self.paths):
            self.set_interval(self.refresh_minutes * 60, self.action_refresh)

    def stop_live_updates(self: NewsdeskApp) -> None:
        stop = getattr(self, "_watch_stop", None)
        if stop is not None:
            stop.set()

    @work(thread=True, group="watch")
    def watch_folders_worker(self: NewsdeskApp) -> None:
        """Runs until the app closes; each batch of changed article files asks for a reload."""
        for paths in watch_article_files(self.watch_folders, self._watch_stop):
            if get_current_worker().is_cancelled:
                return
            self.post_message(FilesChanged(paths))

    def on_files_changed(self: NewsdeskApp, message: FilesChanged) -> None:
        self.log_lines.append(f"info: {len(message.paths)} changed file(s) in watched folders")
        self.action_refresh()

    def action_refresh(self: NewsdeskApp) -> None:
        """Read every source again; only new or changed articles are analysed (the cache has the rest)."""
        if self.articles_frame is None or self.loading:
            self._refresh_pending = True
            return
        self.loading = True
        self.reload_sources(self.articles_frame)

    @work(thread=True, exclusive=True, group="load")
    def reload_sources(self: NewsdeskApp, previous: pl.DataFrame) -> None:
        try:
            loaded = self.loader()
            key = ["id", "content_hash"]
            added = loaded.articles.join(previous.select(key), on=key, how="anti")
            removed = previous.join(loaded.articles.select(key), on=key, how="anti").get_column("id")
            self.post_message(SourcesReloaded(loaded.articles, removed, added.height, loaded.report))

            def progress(done: int, total: int) -> None:
                self.post_message(AnalysisProgressed(done, total))

            problems: list[str] = []
            for part in iter_analysis(
                added,
                cache=self.cache,
                workers=self.analysis_workers,
                progress=progress,
                engine=self.keyword_engine,
            ):
                problems.extend(part.problems)
                self.post_message(BatchAnalysed(part))
            self.post_message(AnalysisFinished(problems))
        except Exception as error:  # shown in the UI; the dashboard keeps what it had
            self.post_message(LoadFailed(f"refresh failed: {type(error).__name__}: {error}"))

    def on_sources_reloaded(self: NewsdeskApp, message: SourcesReloaded) -> None:
        self.articles_frame = message.articles
        if message.removed.len():
            self.parts = [drop_articles(part, message.removed) for part in self.parts]
            self.generation += 1
        new_issues = [str(issue) for issue in message.report.issues if str(issue) not in self.log_lines]
        self.log_lines.extend(new_issues)
        if message.added:
            self.notify(f"{message.added} new article{'s' * (message.added != 1)}", title="Refreshed")
        if new_issues:
            self.notify(f"{len(new_issues)} new load problems; press l for the log", severity="warning")
        self.refresh_view()

    # -- read state -----------------------------------------------------------------------------

    def mark_read(self: NewsdeskApp, article_id: str) -> None:
        if self.read_state.mark([article_id]):
            self.query_one("#articles").refresh()

    def action_toggle_unread(self: NewsdeskApp) -> None:
        """Show only unread articles (and everything else computed over them), or all again."""
        self.unread_only = not self.unread_only
        self.refresh_view()

    def hidden_articles(self: NewsdeskApp) -> pl.Series | None:
        if not self.unread_only:
            return None
        # Keep the open article visible even though opening it marked it read.
        read = self.read_state.ids - {self.current_article}
        return pl.Series(sorted(read), dtype=pl.String)
