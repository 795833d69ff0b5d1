"""Shared fixtures: the seed article and an isolated cache directory for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.paths import data_dir

SEED = data_dir() / "corpus" / "000_6733e1b3650de0b5.txt"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def seed_path() -> Path:
    return SEED
