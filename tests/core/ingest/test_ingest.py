"""Ingest: every input format, the id/date/source rules, and each kind of bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl

from core.articles import MAX_ARTICLE_CHARS, content_hash
from core.ingest.load import load_articles


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_text_file_headline_and_body(seed_path: Path) -> None:
    result = load_articles([seed_path])
    assert result.report.issues == []
    row = result.articles.row(0, named=True)
    assert row["title"] == "Washington worried over Baghdad growing ties with Moscow"
    assert row["text"].startswith("In a major setback to Washington")
    assert row["id"] == content_hash(row["title"], row["text"])
    assert row["source"] == "000_6733e1b3650de0b5"


def test_headline_is_first_non_empty_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.md", "\n\n  Headline here \n\nBody one.\nBody two.\n")
    row = load_articles([path]).articles.row(0, named=True)
    assert (row["title"], row["text"]) == ("Headline here", "Body one.\nBody two.")


def test_directory_is_recursive_stable_and_sourced_by_folder(tmp_path: Path) -> None:
    root = tmp_path / "bbc"
    _write(root / "tech" / "002.txt", "B\nbody b")
    _write(root / "business" / "001.txt", "A\nbody a")
    _write(root / "tech" / "001.txt", "C\nbody c")
    _write(root / ".hidden" / "x.txt", "H\nhidden")
    _write(root / "notes.pdf", "not an article")
    result = load_articles([root])
    assert result.articles.get_column("title").to_list() == ["A", "C", "B"]
    assert set(result.articles.get_column("source")) == {"bbc"}
    again = load_articles([root])
    assert again.articles.get_column("id").to_list() == result.articles.get_column("id").to_list()


def test_jsonl_fields_aliases_and_given_values(tmp_path: Path) -> None:
    lines = [
        {"id": 7, "title": "T1", "body": "b1", "date": "2004-11-13", "url": "http://x/1", "source": "wire"},
        {"headline": "T2", "content": "b2", "published": "Fri, 04 Jan 2019 10:00:00 GMT"},
        {"title": "T3", "text": "b3", "date": "2019-01-04T10:00:00Z"},
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(x) for x in lines))
    frame = load_articles([path]).articles
    assert frame.get_column("id").to_list()[0] == "7"
    assert frame.get_column("text").to_list() == ["b1", "b2", "b3"]
    assert frame.get_column("title").to_list() == ["T1", "T2", "T3"]
    assert frame.get_column("date").to_list() == [date(2004, 11, 13), date(2019, 1, 4), date(2019, 1, 4)]
    assert frame.get_column("source").to_list() == ["wire", "feed", "feed"]
    assert frame.get_column("url").to_list() == ["http://x/1", None, None]


def test_json_array_csv_and_parquet(tmp_path: Path) -> None:
    records = [{"title": "A", "text": "alpha"}, {"title": "B", "text": "beta"}]
    json_path = _write(tmp_path / "a.json", json.dumps(records))
    csv_path = _write(tmp_path / "b.csv", 'title,body,date\nC,"gamma, with comma",2020-02-02\n')
    parquet_path = tmp_path / "c.parquet"
    pl.DataFrame({"title": ["D"], "content": ["delta"]}).write_parquet(parquet_path)
    frame = load_articles([json_path, csv_path, parquet_path]).articles
    assert frame.get_column("text").to_list() == ["alpha", "beta", "gamma, with comma", "delta"]
    assert frame.get_column("date").to_list()[2] == date(2020, 2, 2)


def test_unreadable_date_is_a_warning_and_the_article_loads(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", json.dumps({"title": "T", "text": "x", "date": "someday"}))
    result = load_articles([path])
    assert result.articles.height == 1
    assert result.articles.get_column("date").to_list() == [None]
    (issue,) = result.report.issues
    assert issue.severity == "warning" and issue.location == "line 1" and "unreadable date" in issue.message


def test_malformed_json_line_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        '{"title": "ok", "text": "one"}\n{"title": broken\n[1, 2]\n'
        '{"title": "no text here"}\n{"title": "ok2", "text": "two"}\n',
    )
    result = load_articles([path])
    assert result.articles.get_column("text").to_list() == ["one", "two"]
    messages = {(i.location, i.message.split(";")[0].split(":")[0]) for i in result.report.errors}
    assert messages == {
        ("line 2", "malformed JSON"),
        ("line 3", "expected an object, found list"),
        ("line 4", "no text field (expected 'text', 'body' or 'content')"),
    }


def test_csv_without_text_column(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.csv", "title,author\nA,B\n")
    good = _write(tmp_path / "good.txt", "Headline\nBody")
    result = load_articles([bad, good])
    assert result.articles.height == 1
    (issue,) = result.report.issues
    assert issue.path == str(bad) and "no text column" in issue.message and "title, author" in issue.message


def test_empty_binary_and_missing(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", "   \n")
    binary = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "nope.txt"
    good = _write(tmp_path / "good.txt", "Headline\nBody")
    result = load_articles([empty, binary, missing, good])
    assert result.articles.height == 1
    by_path = {i.path: i.message for i in result.report.errors}
    assert by_path[str(empty)] == "empty file"
    assert "binary" in by_path[str(binary)]
    assert by_path[str(missing)] == "no such file or directory"


def test_encodings_utf16_bom_and_latin1_fallback(tmp_path: Path) -> None:
    utf16 = _write(tmp_path / "u16.txt", "Café headline\nbody ünïcode".encode("utf-16"))
    utf8_bom = _write(tmp_path / "bom.txt", "\ufeffBOM headline\nbody".encode())
    latin1 = _write(tmp_path / "latin.txt", "Na\xefve headline\ncost \xa3100".encode("latin-1"))
    result = load_articles([utf16, utf8_bom, latin1])
    assert result.articles.get_column("title").to_list() == [
        "Café headline",
        "BOM headline",
        "Naïve headline",
    ]
    assert result.articles.get_column("text").to_list()[2] == "cost £100"
    (issue,) = result.report.issues
    assert issue.severity == "warning" and issue.path == str(latin1) and "cp1252" in issue.message


def test_huge_article_is_truncated_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "huge.txt", "Huge\n" + "word " * (50 * 1024 * 1024 // 5))
    result = load_articles([path])
    assert len(result.articles.get_column("text")[0]) == MAX_ARTICLE_CHARS
    (issue,) = result.report.issues
    assert issue.severity == "warning" and "truncated" in issue.message


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", '{"id": "x", "text": "one"}\n{"id": "x", "text": "two"}\n')
    result = load_articles([path])
    assert result.articles.get_column("text").to_list() == ["one"]
    assert "duplicate article id 'x'" in result.report.warnings[0].message


def test_content_hash_id_is_stable_across_formats(tmp_path: Path) -> None:
    txt = _write(tmp_path / "a.txt", "Same headline\nSame body")
    jsonl = _write(tmp_path / "b.jsonl", json.dumps({"title": "Same headline", "text": "Same body"}))
    first = load_articles([txt]).articles.get_column("id")[0]
    second = load_articles([jsonl]).articles.get_column("id")[0]
    assert first == second == content_hash("Same headline", "Same body")


def test_csv_quote_never_closed_is_a_warning_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", 'title,text\nA,fine text\nB,"starts quoted\nC,swallowed\nD,too\n')
    result = load_articles([path])
    assert result.articles.get_column("title").to_list() == ["A", "B"]
    [issue] = result.report.issues
    assert (issue.severity, issue.location) == ("warning", "line 3")
    assert issue.message == (
        "a quoted field in the record starting here is never closed, "
        "so lines 3-5 were read as that one record"
    )


def test_csv_quoted_line_breaks_that_close_are_fine(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", 'title,text\nA,"two\nlines"\nB,"also\ntwo"\n')
    result = load_articles([path])
    assert result.report.issues == [] and result.articles.height == 2
