"""What the command line tells the user: capped workers and full text, the grouped load report, the
load progress line, OPML and CSV problems, plurals, where an export went and with which mode."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

import tui.cli.main
from core.ingest.fetch import Fetcher, FetchOptions
from core.ingest.load import load_articles
from core.ingest.report import FULL_TEXT_LIMIT_ENV
from tests.webserver import Reply, serve
from tui.cli.main import main
from tui.cli.report import LIST_EACH_UP_TO, load_progress


def _story(folder: Path, name: str, title: str = "Iraq and Turkey sign a water deal") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\nIraq and Turkey signed an agreement on water in Ankara.", encoding="utf-8")
    return path


def test_more_workers_than_cores_are_capped_with_a_one_line_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _story(tmp_path / "in", "a.txt")
    asked: list[Any] = []
    real = tui.cli.main.CorpusSession

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(tui.cli.main, "default_workers", lambda: 2)
    monkeypatch.setattr(tui.cli.main, "CorpusSession", spy)
    assert main(["analyze", str(tmp_path / "in"), "--no-cache", "--workers", "64"]) == 0
    assert asked == [2]
    notes = [line for line in capsys.readouterr().err.splitlines() if "--workers" in line]
    assert notes == ["newsdesk: note: --workers 64 is more than the 2 cores available; using 2"]


def _teaser_feed(base: str, items: int) -> str:
    entries = "".join(
        f"<item><title>Story {n}</title><link>{base}/story/{n}</link>"
        f"<description>Teaser {n}.</description></item>"
        for n in range(items)
    )
    return f'<rss version="2.0"><channel><title>Teasers</title>{entries}</channel></rss>'


@pytest.mark.parametrize("from_env", [False, True])
def test_full_text_fetches_a_limited_number_of_pages_per_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_env: bool
) -> None:
    options = FetchOptions(retries=0, cache_dir=tmp_path / "http")
    with serve() as server, Fetcher(options) as fetcher:
        server.routes["/feed"] = Reply(_teaser_feed(server.base, 12), content_type="application/rss+xml")
        if from_env:
            monkeypatch.setenv(FULL_TEXT_LIMIT_ENV, "3")
            result = load_articles([server.url("/feed")], full_text=True, fetcher=fetcher)
        else:
            result = load_articles([server.url("/feed")], full_text=True, fetcher=fetcher, full_text_limit=3)
        pages = [seen.path for seen in server.requests if seen.path.startswith("/story/")]
    assert sorted(pages) == ["/story/0", "/story/1", "/story/2"]
    assert result.articles.height == 12
    [note] = [issue for issue in result.report.issues if "first" in issue.message]
    assert note.severity == "warning"
    assert note.message.startswith("full text for the first 3 entries of 12 only; the rest keep")


def test_opml_error_says_the_file_and_the_place_once(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text('<opml><body><outline xmlUrl="http://a.example/"/>\n<bad</body></opml>')
    [issue] = load_articles([opml]).report.issues
    assert str(issue) == f"error: {opml}, line 2, column 5: malformed XML: not well-formed (invalid token)"


def test_one_article_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(_story(tmp_path, "one.txt")), "--no-cache"]) == 0
    assert capsys.readouterr().out.startswith("1 article from")
    assert main(["summary", str(tmp_path / "missing.txt"), "--no-cache"]) == 1
    assert capsys.readouterr().err.endswith("no articles could be loaded (1 problem reported)\n")


def test_many_warnings_are_one_line_per_kind_unless_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    for number in range(LIST_EACH_UP_TO + 5):  # the same article in every file: duplicates after the first
        _story(folder, f"{number:03}.txt")
    (folder / "broken.jsonl").write_text("{oops\n", encoding="utf-8")
    assert main(["summary", str(folder), "--no-cache"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"newsdesk: warning: duplicate article id: {LIST_EACH_UP_TO + 4} files or records "
        f"(first: {folder / '001.txt'}); --verbose lists each",
        f"newsdesk: error: {folder / 'broken.jsonl'}, line 1: malformed JSON: "
        "Expecting property name enclosed in double quotes at column 2; skipped",
    ]
    assert main(["summary", str(folder), "--no-cache", "--verbose"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == LIST_EACH_UP_TO + 5


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_load_progress_and_a_pipe_does_not(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for number in range(3):
        _story(folder, f"{number}.txt", title=f"Story {number}")
    terminal = _Terminal()
    with load_progress(terminal) as progress:
        assert progress is not None
        load_articles([folder], progress=progress)
    shown = terminal.getvalue()
    assert "loading: " in shown and "files listed" in shown
    assert shown.endswith("\r\x1b[K")  # erased once the load is done
    with load_progress(io.StringIO()) as progress:
        assert progress is None


def test_export_gets_the_umask_mode_and_says_where_it_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _story(tmp_path / "in", "a.txt")
    monkeypatch.chdir(tmp_path)
    previous = os.umask(0o022)
    try:
        assert main(["analyze", "in", "--no-cache", "-o", "records.jsonl"]) == 0
    finally:
        os.umask(previous)
    written = tmp_path / "records.jsonl"
    assert written.stat().st_mode & 0o777 == 0o644
    assert json.loads(written.read_text(encoding="utf-8"))["title"] == "Iraq and Turkey sign a water deal"
    assert capsys.readouterr().err == f"newsdesk: wrote 1 record to {written}\n"
