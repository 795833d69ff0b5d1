"""A small corpus shaped to exercise slicing: JSON Lines files cut into line ranges, a folder of text
files grouped into one slice, and one story repeated in a later file (the loader keeps the first)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from core.paths import data_dir

# Small enough that slices of this many bytes cut each JSONL file into several line ranges.
SLICE_BYTES = 4_000


def wikinews_rows(count: int) -> list[dict[str, object]]:
    lines = (data_dir() / "corpus" / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    # The shorter articles: the tests analyse every one of them several times.
    rows.sort(key=lambda row: (len(str(row["text"])), str(row["id"])))
    return rows[:count]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return build_small_corpus(tmp_path)


def build_small_corpus(folder: Path) -> Path:
    """30 distinct articles in news/: a.jsonl, b.jsonl (with a bad line and a repeat), texts/*.txt."""
    rows = wikinews_rows(30)
    news = folder / "news"
    (news / "texts").mkdir(parents=True)
    write_jsonl(news / "a.jsonl", rows[:14])
    # A malformed line, and the first story again (same id and text): both reported, neither kept.
    with (news / "b.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows[14:20]:
            handle.write(json.dumps(row) + "\n")
        handle.write("{not json\n")
        handle.write(json.dumps(rows[0]) + "\n")
        for row in rows[20:26]:
            handle.write(json.dumps(row) + "\n")
    for row in rows[26:30]:
        text = f"{row['title']}\n\n{row['text']}\n"
        (news / "texts" / f"{row['id']}.txt").write_text(text, encoding="utf-8")
    return news


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def sorted_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows by article, each article's rows in the order the engine wrote them (partition order aside)."""
    key = "id" if "id" in frame.columns else "article_id"
    return frame.sort(key, maintain_order=True)


def assert_same_tables(left: object, right: object) -> None:
    for table in ("articles", "keywords", "mentions", "pairs"):
        a, b = sorted_table(getattr(left, table)), sorted_table(getattr(right, table))
        assert a.height == b.height, table
        assert a.equals(b), table
