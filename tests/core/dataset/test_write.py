"""Writing a dataset in this process: the same analysis as a plain run, resume, dedup, faults, errors."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import pytest

from core.analysis.run import analyse_corpus
from core.dataset.manifest import DatasetError, Manifest, commit_manifest, load_manifest
from core.dataset.slices import list_input_files, load_slice, plan_slices, with_first_lines
from core.dataset.tables import read_analysis
from core.dataset.write import ProcessPoolRunner, analyse_slice, open_for_writing, write_dataset
from core.ingest.load import load_articles
from core.schema import ENGINE_VERSION, engine_key
from tests.core.dataset.conftest import SLICE_BYTES, assert_same_tables, wikinews_rows, write_jsonl

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_process() -> ProcessPoolRunner:
    return ProcessPoolRunner(1)  # one worker: the pool runs the tasks here, in order (fast to test)


def test_dataset_holds_what_a_plain_run_computes(small_corpus: Path, tmp_path: Path) -> None:
    root = str(tmp_path / "ds")
    result = write_dataset([str(small_corpus)], root, in_process(), slice_bytes=SLICE_BYTES)
    assert result.slices >= 5  # both JSONL files were cut into line ranges
    loaded = load_articles([str(small_corpus)])
    expected = analyse_corpus(loaded.articles, workers=1)
    assert_same_tables(read_analysis(load_manifest(root)), expected)  # origins name each file's real lines
    assert result.added == result.analysed == 30 and result.duplicates == 1
    messages = [str(issue) for issue in result.issues]
    assert any("b.jsonl, line 7: malformed JSON" in m for m in messages), messages
    manifest = load_manifest(root)
    assert manifest.count("articles") == 30 and len(manifest.partitions) == result.partitions
    assert manifest.counts()["index"] > 0  # every partition carries its search postings


def test_rerun_skips_everything_and_new_files_append(small_corpus: Path, tmp_path: Path) -> None:
    root = str(tmp_path / "ds")
    write_dataset([str(small_corpus)], root, in_process(), slice_bytes=SLICE_BYTES)
    before = load_manifest(root)
    again = write_dataset([str(small_corpus)], root, in_process(), slice_bytes=SLICE_BYTES)
    assert (again.analysed, again.added, again.already) == (0, 0, 30)
    assert load_manifest(root).partitions == before.partitions
    # A new day: one new file, and an old story arriving again in it.
    old, new = wikinews_rows(30)[3], wikinews_rows(33)[30:]
    write_jsonl(small_corpus / "c.jsonl", [*new, old])
    day_two = write_dataset([str(small_corpus)], root, in_process(), slice_bytes=SLICE_BYTES)
    assert (day_two.analysed, day_two.added, day_two.already) == (3, 3, 30)
    ids = read_analysis(load_manifest(root)).articles.get_column("id")
    assert ids.len() == ids.n_unique() == 33


def test_a_copy_in_a_later_slice_is_skipped_and_ids_stay_unique(tmp_path: Path) -> None:
    rows = wikinews_rows(4)
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "1.jsonl", rows[:2])
    # The same content under another id, then another content under a taken id.
    # The same content under another id; another content under a taken id; the same story with its
    # whitespace changed and no id (another content hash: the loader's story rule still says repeat).
    respaced = {"title": rows[1]["title"], "text": "  " + str(rows[1]["text"]).replace(" ", "  ")}
    write_jsonl(
        folder / "2.jsonl",
        [{**rows[0], "id": "other"}, {**rows[2], "id": rows[1]["id"]}, respaced, rows[3]],
    )
    root = str(tmp_path / "ds")
    result = write_dataset([str(folder)], root, in_process(), slice_bytes=1)  # one slice per file
    articles = read_analysis(load_manifest(root)).articles
    assert sorted(articles.get_column("id").to_list()) == sorted(str(rows[i]["id"]) for i in (0, 1, 3))
    kept = articles.filter(pl.col("id") == rows[1]["id"]).get_column("title").item()
    assert kept == rows[1]["title"]  # the first article with the id, not the later one
    assert result.duplicates == 3 and result.added == 3
    # What one `newsdesk analyze` run over the folder keeps.
    plain = load_articles([str(folder)]).articles
    assert sorted(plain.get_column("id").to_list()) == sorted(articles.get_column("id").to_list())


class StopAfter:
    """A runner that is stopped (as by Ctrl+C) after `after` analysis results."""

    def __init__(self, after: int) -> None:
        self.workers = 1
        self.scans_here = False
        self.after = after

    def map_unordered(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
        for number, item in enumerate(items):
            if function is analyse_slice and number == self.after:
                raise KeyboardInterrupt
            yield function(item)


def test_an_interrupted_run_keeps_what_finished_and_resumes(small_corpus: Path, tmp_path: Path) -> None:
    root = str(tmp_path / "ds")
    with pytest.raises(KeyboardInterrupt):
        write_dataset([str(small_corpus)], root, StopAfter(2), slice_bytes=SLICE_BYTES, commit_seconds=3600)
    kept = load_manifest(root)  # committed on the way out, although the commit interval had not passed
    assert len(kept.partitions) == 2
    first = kept.count("articles")
    resumed = write_dataset([str(small_corpus)], root, in_process(), slice_bytes=SLICE_BYTES)
    assert resumed.already == first and resumed.analysed == 30 - first
    ids = read_analysis(load_manifest(root)).articles.get_column("id")
    assert ids.len() == ids.n_unique() == 30


class TwiceRunner:
    """Runs every task twice and reports one result: a task re-run after its worker was lost."""

    workers = 1
    scans_here = False

    def map_unordered(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
        for item in items:
            function(item)
            yield function(item)


def test_a_task_run_twice_leaves_an_orphan_that_nobody_reads(small_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "ds"
    write_dataset([str(small_corpus)], str(root), TwiceRunner(), slice_bytes=SLICE_BYTES)
    manifest = load_manifest(str(root))
    on_disk = list((root / "articles").glob("*.parquet"))
    assert len(on_disk) == 2 * len(manifest.partitions)  # every partition was written twice...
    ids = read_analysis(manifest).articles.get_column("id")
    assert ids.len() == ids.n_unique() == 30  # ...and each article is read once


def test_line_ranges_cover_the_file_and_keep_its_line_numbers(small_corpus: Path) -> None:
    files, issues = list_input_files([str(small_corpus / "b.jsonl")])
    assert not issues
    slices = plan_slices(files, 3000)
    assert len(slices) > 3 and all(piece.is_range for piece in slices)
    data = (small_corpus / "b.jsonl").read_bytes()
    assert slices[0].start == 0 and slices[-1].end == len(data)
    for earlier, later in itertools.pairwise(slices):
        assert earlier.end == later.start and data[later.start - 1 : later.start] == b"\n"
    counts = {piece.index: load_slice(piece)[1] for piece in slices}
    numbered = with_first_lines(slices, counts)
    origins = [o for piece in numbered for o in load_slice(piece)[0].articles.get_column("origin").to_list()]
    whole = load_articles([str(small_corpus / "b.jsonl")]).articles.get_column("origin").to_list()
    assert origins == whole


def test_row_ranges_of_a_big_parquet_file_keep_its_rows_and_its_analysis(tmp_path: Path) -> None:
    rows = wikinews_rows(24)
    rows.insert(9, {"id": "bad", "title": "", "text": " ", "date": "someday"})  # reported once, by its row
    path = tmp_path / "news.parquet"
    pl.DataFrame(rows).write_parquet(path, row_group_size=4)
    files, issues = list_input_files([str(path)])
    assert not issues
    slices = plan_slices(files, path.stat().st_size // 5)
    assert len(slices) >= 4 and all(piece.is_range and piece.rows for piece in slices)
    assert slices[0].start == 0 and slices[-1].end == 25
    assert all(a.end == b.start for a, b in itertools.pairwise(slices))
    loaded = [load_slice(piece)[0] for piece in slices]
    origins = [o for result in loaded for o in result.articles.get_column("origin").to_list()]
    whole = load_articles([str(path)])
    assert origins == whole.articles.get_column("origin").to_list()
    assert [str(i) for r in loaded for i in r.report.issues] == [str(i) for i in whole.report.issues]
    assert any("news.parquet, row 10" in str(i) for i in whole.report.issues)
    root = str(tmp_path / "ds")
    result = write_dataset([str(path)], root, in_process(), slice_bytes=path.stat().st_size // 5)
    assert result.slices == len(slices) and result.added == 24
    assert_same_tables(read_analysis(load_manifest(root)), analyse_corpus(whole.articles, workers=1))


def test_a_parquet_file_without_a_text_column_stays_one_slice_and_one_issue(tmp_path: Path) -> None:
    path = tmp_path / "notes.parquet"
    pl.DataFrame({"title": [f"note {i}" for i in range(50)]}).write_parquet(path, row_group_size=5)
    files, _ = list_input_files([str(path)])
    (piece,) = plan_slices(files, 64)
    assert not piece.is_range
    messages = [str(issue) for issue in load_slice(piece)[0].report.issues]
    assert len(messages) == 1 and "no text column" in messages[0]


def test_another_engine_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    root = str(tmp_path / "ds")
    commit_manifest(Manifest(root=root, engine_version="0"))
    with pytest.raises(DatasetError, match=r"engine version 0, this release is .*new dataset directory"):
        open_for_writing(root)


def test_a_dataset_analysed_with_other_data_files_is_refused(tmp_path: Path) -> None:
    # Same engine version, another digest of the data files (a user edited event_rules.toml since).
    root = str(tmp_path / "ds")
    commit_manifest(Manifest(root=root, engine_version=f"{ENGINE_VERSION}-0123456789abcdef"))
    with pytest.raises(
        DatasetError, match=rf"{ENGINE_VERSION}-0123456789abcdef, this release is {engine_key()}"
    ):
        open_for_writing(root)
    # A dataset of this install's key is extended.
    commit_manifest(Manifest(root=root, engine_version=engine_key()))
    assert open_for_writing(root).engine_version == engine_key()


def test_a_damaged_manifest_or_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "manifest.json").write_text('{"format": "newsdesk-dataset", "format_version": 1}')
    with pytest.raises(DatasetError, match="malformed manifest"):
        open_for_writing(str(tmp_path / "ds"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(DatasetError, match="is a file, not a dataset directory"):
        open_for_writing(str(tmp_path / "file"))


def test_a_job_with_nothing_left_writes_nothing(small_corpus: Path, tmp_path: Path) -> None:
    from core.dataset.write import SliceJob

    files, _ = list_input_files([str(small_corpus / "texts")])
    (piece,) = plan_slices(files, 10**9)
    ids = frozenset(load_slice(piece)[0].articles.get_column("id").to_list())
    status = analyse_slice(SliceJob(piece, ids, str(tmp_path / "ds"), "polars"))
    assert status.partition is None and status.analysed == 0
    assert not (tmp_path / "ds").exists()


def _records(text: str) -> list[dict[str, Any]]:
    return sorted((json.loads(line) for line in text.splitlines()), key=lambda r: r["id"])


def test_the_command_line_writes_and_reads_a_dataset(
    small_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli.main import main

    root = str(tmp_path / "ds")
    assert main(["analyze", str(small_corpus), "--dataset", root, "--workers", "1"]) == 0
    assert "30 articles in" in capsys.readouterr().err
    assert main(["relations", str(small_corpus), "--no-cache", "--workers", "1", "-q"]) == 0
    plain = capsys.readouterr().out
    assert main(["relations", root]) == 0
    assert capsys.readouterr().out == plain and plain
    assert main(["analyze", root, "--top", "3"]) == 0
    records = _records(capsys.readouterr().out)
    assert len(records) == 30 and all(len(r["keywords"]) <= 3 for r in records)
    assert main(["summary", root]) == 0
    assert capsys.readouterr().out.startswith(f"30 articles from {root}")
    # Rerun: nothing analysed; --cluster alone is a usage error; a broken dataset is one line.
    assert main(["analyze", str(small_corpus), "--dataset", root, "--workers", "1"]) == 0
    assert "analysed 0; 30 already in the dataset" in capsys.readouterr().err
    assert main(["analyze", str(small_corpus), "--cluster", "local"]) == 2
    assert "give --dataset DIR" in capsys.readouterr().err
    damaged = next((tmp_path / "ds" / "pairs").glob("*.parquet"))
    damaged.write_bytes(b"not parquet")
    assert main(["relations", root]) == 2
    assert "a file the manifest lists cannot be read" in capsys.readouterr().err
    (tmp_path / "ds" / "manifest.json").write_text("{broken")
    assert main(["relations", root]) == 2
    assert "manifest.json: not valid JSON" in capsys.readouterr().err
    pl.read_parquet(next((tmp_path / "ds" / "articles").glob("*.parquet")))  # the files stay readable
