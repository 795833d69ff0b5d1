"""Shared fixtures: the seed article and an isolated cache directory for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.paths import data_dir
from tests.helpers import HOSTILE_TITLE

SEED = data_dir() / "corpus" / "000_6733e1b3650de0b5.txt"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's dashboard config."""
    config = tmp_path / "config"
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(config))
    return config


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's read-article list."""
    data = tmp_path / "data-dir"
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(data))
    return data


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article (`data/corpus/000_…txt`): every test that reads it gets its path here."""
    return SEED


SMALL_CORPUS = [
    {
        "id": "kyiv-1",
        "title": "Ukraine and Poland sign energy deal",
        "date": "2022-03-01",
        "source": "wire",
        "text": "Ukraine and Poland signed an energy agreement in Warsaw on Tuesday. Polish officials said "
        "Ukraine would receive gas supplies. The deal was welcomed in Kyiv.",
    },
    {
        "id": "kyiv-2",
        "title": "Russia warns Ukraine over border",
        "date": "2022-03-03",
        "source": "wire",
        "text": "Russia warned Ukraine on Thursday and threatened new sanctions. Moscow accused Kyiv of "
        "provocations along the border.",
    },
    {
        "id": "budget-1",
        "title": "Parliament passes school budget",
        "date": "2022-03-02",
        "source": "local",
        "text": "The parliament passed a budget for schools and roads after a long debate.",
    },
    {
        "id": "hostile-1",
        "title": HOSTILE_TITLE,
        "date": "2022-03-04",
        "source": "\x1b[31mevil",
        "text": "Body with [link=http://evil.example]a link[/link] and \x1b[31mred\x1b[0m text "
        "and a bell \x07.",
    },
]


@pytest.fixture
def small_corpus(tmp_path: Path, seed_path: Path) -> Path:
    """The seed article plus four dated JSONL articles, one of them full of markup and escapes."""
    import json

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "seed.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "more.jsonl").write_text(
        "\n".join(json.dumps(record) for record in SMALL_CORPUS) + "\n", encoding="utf-8"
    )
    return folder
