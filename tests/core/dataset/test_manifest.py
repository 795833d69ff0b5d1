"""The manifest is the dataset's commit record: round trip, atomic replace, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.dataset.manifest import (
    DatasetError,
    Manifest,
    Partition,
    commit_manifest,
    is_dataset,
    load_manifest,
)


def test_round_trip_lists_only_committed_partitions(tmp_path: Path) -> None:
    root = str(tmp_path / "ds")
    partitions = [Partition("part-a", {"articles": 3, "pairs": 0})]
    manifest = Manifest(root=root, engine_version="4", partitions=partitions)
    commit_manifest(manifest)
    assert is_dataset(root)
    loaded = load_manifest(root)
    assert loaded.partitions == manifest.partitions
    assert loaded.files("articles") == [f"{root}/articles/part-a.parquet"]
    assert loaded.files("pairs") == []  # a table with no rows in a partition has no file to read
    assert loaded.count("articles") == 3
    assert not list((tmp_path / "ds").glob(".*.tmp"))


def test_not_a_dataset_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a newsdesk dataset"):
        load_manifest(str(tmp_path))
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(DatasetError, match=r"manifest\.json: not valid JSON"):
        load_manifest(str(tmp_path))
    (tmp_path / "manifest.json").write_text('{"format": "newsdesk-dataset", "format_version": 99}')
    with pytest.raises(DatasetError, match="this release reads 1"):
        load_manifest(str(tmp_path))
