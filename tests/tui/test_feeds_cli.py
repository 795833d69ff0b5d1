"""`newsdesk feeds ...` end to end, one-line errors, and runs without PATH reading the configured sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tui.app
import tui.cli.main
from core.articles import articles_frame
from core.ingest.opml import read_opml, write_opml
from core.ingest.report import LoadReport, LoadResult
from core.settings.config import load_config
from core.settings.feedspec import FeedSpec
from tui.cli.main import main

OPML = """<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="News">
    <outline text="Alpha &amp; Co" xmlUrl="https://alpha.example/rss"/>
    <outline text="Beta" xmlUrl="https://beta.example/atom"/>
  </outline>
  <outline text="Local" xmlUrl="file:///tmp/feed.xml"/>
</body></opml>
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_add_list_remove(isolated_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        ["feeds", "add", "https://feeds.bbci.co.uk/news/world/rss.xml", "--name", "BBC"], capsys
    )
    assert status == 0 and "added 'BBC'" in out
    assert _run(["feeds", "add", "https://www.example.org/rss", "--full-text"], capsys)[0] == 0
    status, out, _ = _run(["feeds", "list"], capsys)
    assert out.splitlines() == [
        "BBC          https://feeds.bbci.co.uk/news/world/rss.xml",
        "example.org  https://www.example.org/rss  (full text)",
    ]
    status, out, _ = _run(["feeds", "list", "--format", "jsonl"], capsys)
    assert [json.loads(line) for line in out.splitlines()] == [
        {"name": "BBC", "url": "https://feeds.bbci.co.uk/news/world/rss.xml", "full_text": None},
        {"name": "example.org", "url": "https://www.example.org/rss", "full_text": True},
    ]
    assert _run(["feeds", "remove", "BBC"], capsys)[0] == 0
    assert [f.name for f in load_config().feeds] == ["example.org"]
    assert (isolated_config / "config.toml").exists()


def test_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["feeds", "add", "https://beta.example/atom"], capsys)[0] == 0
    source = tmp_path / "subs.opml"
    source.write_text(OPML, encoding="utf-8")
    status, out, err = _run(["feeds", "import", str(source)], capsys)
    assert status == 0 and out.strip() == "added 1 feed, skipped 2"
    assert err.splitlines() == [
        "newsdesk: skipped https://beta.example/atom: already configured",
        "newsdesk: skipped file:///tmp/feed.xml: url must start with http:// or https://, not "
        "'file:///tmp/feed.xml'",
    ]
    expected = [
        FeedSpec("beta.example", "https://beta.example/atom"),
        FeedSpec("Alpha & Co", "https://alpha.example/rss"),
    ]
    assert load_config().feeds == expected

    status, out, _ = _run(["feeds", "export"], capsys)
    assert status == 0 and out == write_opml(expected, None)
    target = tmp_path / "out" / "mine.opml"
    status, out, _ = _run(["feeds", "export", str(target)], capsys)
    assert status == 0 and f"wrote 2 feeds to {target}" in out
    assert read_opml(target) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["feeds", "add", "ftp://x.example/"], "url must start with http:// or https://"),
        (["feeds", "remove", "nothing"], "no feed named or with url 'nothing'"),
        (["feeds", "import", "missing.opml"], "missing.opml: cannot read"),
        (["feeds", "frob"], "invalid choice: 'frob'"),
        (["feeds"], "the following arguments are required: COMMAND"),
        (["feeds", "list", "--format", "xml"], "(see: newsdesk feeds list --help)"),
        (["analyze"], "the following arguments are required: PATH_OR_URL"),
    ],
)
def test_errors_are_one_line_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(argv, capsys)
    assert status == 2
    assert err.startswith("newsdesk: error: ") and err.count("\n") == 1 and expected in err


def test_bad_config_file_is_one_line(isolated_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    isolated_config.mkdir()
    (isolated_config / "config.toml").write_text('# mine\nrefresh_minutes = "soon"\n', encoding="utf-8")
    for argv in (["feeds", "list"], ["feeds", "add", "https://a.example/"], ["summary"]):
        status, _, err = _run(argv, capsys)
        assert status == 2
        assert (
            err == f"newsdesk: error: {isolated_config / 'config.toml'}, line 2: refresh_minutes must be a "
            "number, not 'soon'\n"
        )


def test_bad_environment_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDESK_FULL_TEXT", "perhaps")
    status, _, err = _run(["summary"], capsys)
    assert (
        status == 2
        and err.startswith("newsdesk: error: NEWSDESK_FULL_TEXT='perhaps'")
        and err.count("\n") == 1
    )


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, options in (
        (["feeds", "--help"], ["add", "list", "remove", "import", "export", "config file:"]),
        (["feeds", "add", "--help"], ["URL", "--name", "--full-text", "--no-full-text"]),
        (["feeds", "list", "--help"], ["--format", "text", "jsonl"]),
        (["feeds", "remove", "--help"], ["NAME_OR_URL"]),
        (["feeds", "import", "--help"], ["FILE.opml"]),
        (["feeds", "export", "--help"], ["FILE", "stdout"]),
        (["--help"], ["--full-text", "feeds", "With no", "PATH", "bundled"]),
        (["summary", "--help"], ["--full-text", "[watch] folders"]),
        (["analyze", "--help"], ["--full-text"]),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert all(option in out for option in options), (argv, out)


def test_summary_without_path_reads_watch_folders(
    isolated_config: Path, tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    isolated_config.mkdir()
    (isolated_config / "config.toml").write_text(f"[watch]\nfolders = [{json.dumps(str(inbox))}]\n")
    status, out, err = _run(["summary", "--quiet"], capsys)
    assert status == 0, err
    assert out.startswith(f"1 article from {inbox}\n")


def _capture_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    calls: list[tuple[list[str], bool]] = []

    def fake(sources: Any, *, full_text: bool, **_options: Any) -> LoadResult:
        calls.append(([str(s) for s in sources], full_text))
        return LoadResult(articles_frame([]), LoadReport())

    monkeypatch.setattr(tui.cli.main, "load_articles", fake)
    monkeypatch.setattr("core.ingest.load.load_articles", fake)
    return calls


def test_full_text_precedence(
    isolated_config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _capture_loads(monkeypatch)
    isolated_config.mkdir()
    (isolated_config / "config.toml").write_text("full_text = true\n")
    url = "https://a.example/rss"
    main(["analyze", url])  # config file: on
    monkeypatch.setenv("NEWSDESK_FULL_TEXT", "off")
    main(["analyze", url])  # environment beats the file
    main(["analyze", url, "--full-text"])  # the flag beats the environment
    main(["relations", url, "--no-full-text"])
    assert [flag for _, flag in calls] == [True, False, True, False]
    assert all(sources == [url] for sources, _ in calls)
    assert "no articles could be loaded" in capsys.readouterr().err


def test_dashboard_takes_urls_and_configured_sources(
    isolated_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[list[Any], dict[str, Any]]] = []

    class FakeApp:
        def __init__(
            self,
            paths: list[Any],
            *,
            cache: object = None,
            workers: int | None = None,
            engine: str = "polars",
            config: object = None,
            full_text: bool = False,
            watch: list[Path] | tuple[()] = (),
            refresh_minutes: float = 0.0,
            loader: object = None,
            separate_loader: object = None,
        ) -> None:
            opened.append(
                (
                    paths,
                    {
                        "full_text": full_text,
                        "watch": list(watch),
                        "refresh": refresh_minutes,
                        "configured": loader is not None and separate_loader is not None,
                        "engine": engine,
                    },
                )
            )

        def run(self) -> None:
            pass

    monkeypatch.setattr(tui.app, "NewsdeskApp", FakeApp)
    assert main(["https://a.example/rss", "--no-cache"]) == 0
    assert opened[-1] == (
        ["https://a.example/rss"],
        {"full_text": False, "watch": [], "refresh": 30.0, "configured": False, "engine": "polars"},
    )

    isolated_config.mkdir()
    (isolated_config / "config.toml").write_text(
        f'refresh_minutes = 5\n[[feeds]]\nurl = "https://b.example/"\n[watch]\nfolders = ["{tmp_path}"]\n'
    )
    assert main(["--no-cache", "--full-text", "--engine", "yake"]) == 0
    assert opened[-1] == (
        ["https://b.example/", tmp_path],
        {"full_text": True, "watch": [tmp_path], "refresh": 5.0, "configured": True, "engine": "yake"},
    )
    assert main(["--no-cache", "/definitely/missing"]) == 1
