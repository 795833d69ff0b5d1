"""The result cache: hits skip analysis, damaged files are rebuilt, a new engine version or an
edited data file misses."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import polars as pl
import pytest

import core.analysis.cache
import core.analysis.pipeline
from core.analysis.cache import STALE_AFTER_DAYS, ResultCache
from core.analysis.file_lock import folder_lock
from core.analysis.run import analyse_corpus
from core.ingest.load import load_articles
from core.paths import data_dir
from core.schema import ENGINE_VERSION, data_fingerprint, engine_key


@pytest.fixture
def articles(tmp_path: Path) -> pl.DataFrame:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(3):
        (corpus / f"{number}.txt").write_text(
            f"Headline {number}\nMinisters met in Paris to sign trade deal {number}."
        )
    return load_articles([corpus]).articles


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every article the engine analyses (in-process: workers=1)."""
    calls: list[str] = []
    real = core.analysis.pipeline.analyse_article

    def counting(content_hash: str, title: str, text: str, keywords: object = None) -> dict[str, object]:
        calls.append(content_hash)
        return real(content_hash, title, text, keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(core.analysis.pipeline, "analyse_article", counting)
    return calls


def test_second_run_is_served_from_cache(articles: pl.DataFrame, tmp_path: Path, counted: list[str]) -> None:
    cache = ResultCache(tmp_path / "c")
    first = analyse_corpus(articles, cache=cache, workers=1)
    assert (first.analysed, first.cached, len(counted)) == (3, 0, 3)
    second = analyse_corpus(articles, cache=ResultCache(tmp_path / "c"), workers=1)
    assert (second.analysed, second.cached, len(counted)) == (0, 3, 3)
    assert second.keywords.sort("article_id", "rank").equals(first.keywords.sort("article_id", "rank"))


def test_only_new_articles_are_analysed(articles: pl.DataFrame, tmp_path: Path, counted: list[str]) -> None:
    cache = ResultCache(tmp_path / "c")
    analyse_corpus(articles.head(2), cache=cache, workers=1)
    result = analyse_corpus(articles, cache=cache, workers=1)
    assert (result.analysed, result.cached) == (1, 2)
    assert len(counted) == 3


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_cache_file_is_reported_and_rebuilt(
    articles: pl.DataFrame, tmp_path: Path, counted: list[str], damage: str
) -> None:
    cache = ResultCache(tmp_path / "c")
    analyse_corpus(articles, cache=cache, workers=1)
    (part,) = cache.folder.glob("part-*.parquet")
    data = part.read_bytes()
    part.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"not parquet at all", "empty": b""}[damage]
    )
    result = analyse_corpus(articles, cache=ResultCache(tmp_path / "c"), workers=1)
    assert result.analysed == 3 and result.cached == 0
    assert len(result.problems) == 1 and str(part) in result.problems[0] and "damaged" in result.problems[0]
    third = analyse_corpus(articles, cache=ResultCache(tmp_path / "c"), workers=1)
    assert (third.analysed, third.cached, third.problems) == (0, 3, [])


def test_new_engine_version_invalidates(articles: pl.DataFrame, tmp_path: Path, counted: list[str]) -> None:
    analyse_corpus(articles, cache=ResultCache(tmp_path / "c", engine_version="1"), workers=1)
    result = analyse_corpus(articles, cache=ResultCache(tmp_path / "c", engine_version="2"), workers=1)
    assert (result.analysed, result.cached) == (3, 0)


def test_an_edited_data_file_is_a_new_engine_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns("corpus"))
    (data / "corpus").mkdir()
    (data / "corpus" / "a.txt").write_text("Headline\nText.")
    before = data_fingerprint(data)
    # The sample corpus and the model cards are not what analysis reads.
    (data / "corpus" / "a.txt").write_text("Another headline\nOther text.")
    (data / "STANCE_MODEL.md").write_text("notes")
    (data / ".event_rules.toml.swp").write_text("an editor's swap file")
    (data / "4913").write_text("an editor's probe file")
    assert data_fingerprint(data) == before
    rules = data / "event_rules.toml"
    rules.write_text(rules.read_text() + "\n# a user's edit\n")
    assert data_fingerprint(data) != before
    # The cache folder is named by the shipped data's key.
    assert ResultCache(tmp_path / "c").folder.name == f"results-v{engine_key()}"
    assert engine_key() == f"{ENGINE_VERSION}-{data_fingerprint()}"


def test_writes_leave_no_temporary_files(articles: pl.DataFrame, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c")
    analyse_corpus(articles, cache=cache, workers=1)
    assert [p.name for p in cache.folder.iterdir() if not p.name.startswith("part-")] == []


def test_many_parts_are_compacted(
    articles: pl.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ResultCache(tmp_path / "c")
    for index in range(3):
        analyse_corpus(articles.slice(index, 1), cache=cache, workers=1)
    assert len(list(cache.folder.glob("part-*.parquet"))) == 3
    monkeypatch.setattr(core.analysis.cache, "COMPACT_AFTER_PARTS", 2)
    assert ResultCache(tmp_path / "c").lookup(articles.get_column("content_hash").to_list()).height == 3
    assert len(list(cache.folder.glob("part-*.parquet"))) == 1


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "env-cache"))
    assert ResultCache().root == tmp_path / "env-cache"


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for number in range(30):
        (corpus / f"{number:02}.txt").write_text(
            f"Story {number}\nThe council in town {number} approved a budget for schools and roads."
        )
    articles = load_articles([corpus]).articles
    progress: list[tuple[int, int]] = []
    parallel = analyse_corpus(articles, workers=2, progress=lambda d, t: progress.append((d, t)))
    serial = analyse_corpus(articles, workers=1)
    assert parallel.analysed == 30
    assert progress[-1] == (30, 30) and [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert parallel.keywords.sort("article_id", "rank").equals(serial.keywords.sort("article_id", "rank"))


def test_other_keys_folders_unused_for_a_month_are_pruned(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c", engine_version="new")
    old, recent, busy = (tmp_path / "c" / f"results-v{name}" for name in ("old", "recent", "busy"))
    for folder in (old, recent, busy):
        folder.mkdir(parents=True)
        (folder / "part-1.parquet").write_bytes(b"results")
    month_ago = time.time() - (STALE_AFTER_DAYS + 1) * 86400
    for folder in (old, busy):
        os.utime(folder, (month_ago, month_ago))
    with folder_lock(busy, exclusive=False):  # another run is reading it
        assert cache.check_writable() is None  # creates this key's folder, then prunes
    assert not old.exists() and not old.with_name(f"{old.name}.lock").exists()
    assert recent.exists() and busy.exists() and cache.folder.exists()
    # A run's own key is never pruned, however old its folder; other keys' old folders are.
    os.utime(cache.folder, (month_ago, month_ago))
    assert cache.prune_stale() == [busy]
    assert cache.folder.exists()
    assert ResultCache(tmp_path / "c", engine_version="other").prune_stale() == [cache.folder]
