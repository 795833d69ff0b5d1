"""Which articles the user has read, kept between runs as one article id per line.

A plain text file (under the user data dir, or `$NEWSDESK_DATA_DIR`) so it is easy to inspect,
back up or clear; rewritten atomically so a crash cannot leave half a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from core.atomic import write_atomically

DATA_DIR_ENV = "NEWSDESK_DATA_DIR"


def default_data_dir() -> Path:
    """`$NEWSDESK_DATA_DIR`, else the platform's user data dir (XDG on Linux) plus `newsdesk`."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("newsdesk", appauthor=False))


class ReadState:
    """The set of read article ids, loaded once and saved after each change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_data_dir() / "read.txt"
        self.ids: set[str] = set()
        if self.path.exists():
            self.ids = {line for line in self.path.read_text(encoding="utf-8").splitlines() if line}

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.ids

    def mark(self, article_ids: Iterable[str]) -> bool:
        """Mark articles read; returns whether anything changed (and was saved)."""
        new = set(article_ids) - self.ids
        if not new:
            return False
        self.ids |= new
        self.save()
        return True

    def save(self) -> None:
        write_atomically(self.path, "".join(f"{i}\n" for i in sorted(self.ids)))
