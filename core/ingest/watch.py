"""Folder watching: batches of article files that appeared or changed, as they happen."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from core.ingest.files import ARTICLE_SUFFIXES


def is_article_file(path: str) -> bool:
    """An article file newsdesk can read, not a hidden or temporary one."""
    name = Path(path).name
    return not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES


def watch_article_files(folders: Sequence[Path], stop: threading.Event) -> Iterator[list[Path]]:
    """Yield the article files added or modified under `folders` (recursively) until `stop` is set.

    watchfiles groups bursts within 300 ms (a copy of many files arrives as one batch); deletions
    are not reported: an article once seen stays until the next full reload.
    """
    import watchfiles

    existing = [str(folder) for folder in folders if folder.is_dir()]
    if not existing:
        return
    for changes in watchfiles.watch(
        *existing,
        stop_event=stop,
        watch_filter=lambda change, path: change != watchfiles.Change.deleted and is_article_file(path),
        rust_timeout=500,
        yield_on_timeout=False,
    ):
        yield sorted({Path(path) for _, path in changes})
