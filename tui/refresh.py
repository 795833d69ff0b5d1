"""Keeping the dashboard current: a service that asks for a reload on a timer and when files change.

`LiveRefresh` is started when the dashboard mounts and closed when it unmounts. It refreshes every
`refresh_minutes` when any source is a URL (feeds change; files are watched instead), and watches
folders for article files appearing or changing. It only asks: the dashboard's `request_refresh`
decides when a reload runs (not while one is running) and keeps the user's filter and selection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from core.ingest.sources import is_url
from core.ingest.watch import watch_article_files


@dataclass
class FilesChanged(Message):
    """Article files appeared or changed in a watched folder."""

    paths: list[Path]


class LiveRefresh:
    """Refresh on a timer (feeds) and watch folders (files), for as long as the dashboard is open."""

    def __init__(
        self,
        screen: Screen[Any],
        request_refresh: Callable[[], None],
        *,
        sources: Sequence[str | Path],
        watch_folders: Sequence[Path],
        refresh_minutes: float,
    ) -> None:
        self._screen = screen
        self._request_refresh = request_refresh
        self._sources = list(sources)
        self._folders = list(watch_folders)
        self._minutes = refresh_minutes
        self._stop = threading.Event()
        self._timer: Timer | None = None

    def start(self) -> None:
        """Begin watching folders and, when any source is a URL, refreshing on the configured interval."""
        if self._folders:
            self._screen.run_worker(self._watch, thread=True, group="watch", name="watch folders")
        if self._minutes and any(is_url(source) for source in self._sources):
            self._timer = self._screen.set_interval(self._minutes * 60, self._request_refresh)

    def close(self) -> None:
        """Stop the watcher thread and the timer."""
        self._stop.set()
        if self._timer is not None:
            self._timer.stop()

    def _watch(self) -> None:
        """Runs until closed; each batch of changed article files is posted to the dashboard."""
        for paths in watch_article_files(self._folders, self._stop):
            if get_current_worker().is_cancelled:
                return
            self._screen.post_message(FilesChanged(paths))
