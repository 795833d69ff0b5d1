"""Where newsdesk's bundled data lives, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The `data/` folder: `core/_bundled_data` in a built wheel, else `data/` beside `core/`."""
    bundled = _HERE / "_bundled_data"
    return bundled if bundled.is_dir() else _HERE.parent / "data"


def bundled_corpus() -> list[Path]:
    """The sample articles newsdesk opens when given no paths (`data/corpus/`)."""
    return [data_dir() / "corpus"]
