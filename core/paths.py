"""Where newsdesk's files live: its bundled data (checkout or installed wheel) and the user cache dir."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent
CACHE_DIR_ENV = "NEWSDESK_CACHE_DIR"


def data_dir() -> Path:
    """The `data/` folder: `core/_bundled_data` in a built wheel, else `data/` beside `core/`."""
    bundled = _HERE / "_bundled_data"
    return bundled if bundled.is_dir() else _HERE.parent / "data"


def bundled_corpus() -> list[Path]:
    """The sample articles newsdesk opens when given no paths (`data/corpus/`)."""
    return [data_dir() / "corpus"]


def default_cache_dir() -> Path:
    """`$NEWSDESK_CACHE_DIR`, else the platform's user cache dir (XDG on Linux) plus `newsdesk`."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only needed when no directory is given

    return Path(platformdirs.user_cache_dir("newsdesk", appauthor=False))
