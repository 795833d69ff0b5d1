"""The config file: defaults, precedence, errors that name file/line/key, and edits that keep comments."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polars as pl
import pytest

import core.ingest.load
from core.ingest.load import load_configured_sources
from core.ingest.report import LoadIssue, LoadReport, LoadResult
from core.settings.config import ConfigError, NewsdeskConfig, key_line, load_config
from core.settings.edit import add_feed, add_feeds, remove_feed
from core.settings.feedspec import FeedSpec
from tui.dashboard_config import DashboardConfig

EXAMPLE = """\
refresh_minutes = 15          # how often the dashboard refreshes feeds
full_text = false             # default for feeds without their own setting

[[feeds]]
name = "BBC World"
url = "https://feeds.bbci.co.uk/news/world/rss.xml"
full_text = true

[[feeds]]
url = "https://www.example.org/news.atom"

[watch]
folders = ["~/news/inbox", "clippings"]

[dashboard]
theme = "nord"
"""


@pytest.fixture
def config_file(isolated_config: Path) -> Path:
    isolated_config.mkdir(parents=True, exist_ok=True)
    return isolated_config / "config.toml"


def test_defaults_without_a_file(config_file: Path) -> None:
    assert load_config() == NewsdeskConfig()  # NEWSDESK_CONFIG_DIR points at an empty folder
    assert load_config(config_file, env={}) == NewsdeskConfig([], 30.0, False, [])


def test_full_example(config_file: Path) -> None:
    config_file.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(env={"NEWSDESK_CONFIG_DIR": str(config_file.parent)})
    assert config.refresh_minutes == 15.0 and config.full_text is False
    assert config.feeds == [
        FeedSpec("BBC World", "https://feeds.bbci.co.uk/news/world/rss.xml", True),
        FeedSpec("example.org", "https://www.example.org/news.atom", None),
    ]
    assert config.watch_folders == [Path("~/news/inbox").expanduser(), config_file.parent / "clippings"]
    assert config.sources()[:2] == [feed.url for feed in config.feeds]
    assert DashboardConfig.load().theme == "nord"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('# settings\n\nrefresh_minutes = "soon"\n', "line 3: refresh_minutes must be a number, not 'soon'"),
        ("refresh_minutes = 0.5\n", "line 1: refresh_minutes must be at least 1"),
        ("refresh_minutes = true\n", "line 1: refresh_minutes must be a number"),
        ('full_text = "yes"\n', "line 1: full_text must be true or false"),
        ("refresh_minutes = 5\nrefesh_minutes = 5\n", "line 2: unknown key 'refesh_minutes' (did you mean"),
        ("colour = 1\n", "line 1: unknown key 'colour' (known: refresh_minutes"),
        ('[[feeds]]\nurl = "https://a.example/"\n\n[[feeds]]\nname = "b"\n', "line 4: feed #2 has no url"),
        ('[[feeds]]\nname = "a"\nurl = "ftp://a.example/"\n', "line 3: feed #1: url must start with http://"),
        ('[[feeds]]\nurl = "https:///nohost"\n', "line 2: feed #1: url is not a valid web address"),
        (
            '[[feeds]]\nurl = "https://a.example/"\nfull_txt = true\n',
            "line 3: unknown [feeds] key 'full_txt'",
        ),
        ('[[feeds]]\nurl = "https://a.example/"\nname = ""\n', "line 3: feed #1: name must be a non-empty"),
        (
            '[[feeds]]\nurl = "https://a.example/x"\n[[feeds]]\nurl = "HTTPS://A.example/x"\n',
            "line 4: feed #2: url HTTPS://A.example/x is listed twice (first at line 2)",
        ),
        ('feeds = [{name = "a"}]\n', "line 1: feed #1 has no url"),
        ('feeds = "https://a.example/"\n', "line 1: feeds must be [[feeds]] tables"),
        ('[watch]\nfolders = "inbox"\n', "line 2: [watch] folders must be a list"),
        ('[watch]\nfolder = ["inbox"]\n', "line 2: unknown [watch] key 'folder' (did you mean 'folders'?)"),
        ("refresh_minutes = 30\nfull_text = \n", "line 2, column 13: invalid TOML"),
        ("[dashboard]\n[dashboard]\n", "line 2, column 11: invalid TOML: Cannot declare"),
    ],
)
def test_errors_name_file_line_and_key(config_file: Path, text: str, expected: str) -> None:
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config_file, env={})
    assert str(error.value).startswith(f"{config_file}, line ")
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_dashboard_type_error_names_the_line(config_file: Path) -> None:
    config_file.write_text('refresh_minutes = 5\n\n[dashboard]\ntheme = "nord"\nshow_timeline = "no"\n')
    with pytest.raises(ConfigError, match=r"config.toml, line 5: dashboard.show_timeline must be true or"):
        DashboardConfig.load()


def test_key_line_scans_tables_and_arrays_of_tables() -> None:
    text = 'a = 1\n[[feeds]]\nurl = "x"\n[[feeds]]  # two\n  "url" = "y"\n[watch]\nfolders = []\n'
    assert key_line(text, "a") == 1
    assert key_line(text, "url", "feeds", 0) == 3
    assert key_line(text, "url", "feeds", 1) == 5
    assert key_line(text, "name", "feeds", 1) == 4  # missing key: the table's header
    assert key_line(text, "folders", "watch") == 7
    assert key_line(text, "url") is None  # not a top-level key


def test_precedence_defaults_file_env_flag(config_file: Path) -> None:
    config_file.write_text(
        'refresh_minutes = 10\nfull_text = false\n[[feeds]]\nurl = "https://a.example/"\n'
        '[[feeds]]\nurl = "https://b.example/"\nfull_text = false\n'
    )
    from_file = load_config(config_file, env={})
    assert (from_file.refresh_minutes, from_file.full_text) == (10.0, False)
    env = {"NEWSDESK_REFRESH_MINUTES": "2.5", "NEWSDESK_FULL_TEXT": "Yes"}
    from_env = load_config(config_file, env=env)
    assert (from_env.refresh_minutes, from_env.full_text) == (2.5, True)
    inherits, own = from_env.feeds
    assert from_env.full_text_for(inherits) is True  # env beats the file's default
    assert from_env.full_text_for(own) is False  # the feed's own setting beats env
    assert from_env.full_text_for(own, flag=True) is True  # the flag beats everything
    assert from_env.full_text_for(inherits, flag=False) is False
    # Empty variables count as unset.
    assert load_config(config_file, env=dict.fromkeys(env, "")) == from_file


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NEWSDESK_REFRESH_MINUTES", "soon"),
        ("NEWSDESK_REFRESH_MINUTES", "0"),
        ("NEWSDESK_REFRESH_MINUTES", "nan"),
        ("NEWSDESK_FULL_TEXT", "maybe"),
    ],
)
def test_bad_environment_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{variable}='{value}': must be"):
        load_config(env={variable: value})


def test_add_and_remove_keep_comments_and_other_tables(config_file: Path) -> None:
    original = (
        "# my own notes: keep me\nrefresh_minutes = 20  # twenty\n\n"
        '[[feeds]]\nname = "First"  # the first one\nurl = "https://first.example/rss"\n\n'
        '[dashboard]\ntheme = "nord"  # dark and cold\nshow_timeline = false\n'
    )
    config_file.write_text(original, encoding="utf-8")
    added = add_feed("https://www.second.example/feed?x=1&y=2", full_text=True)
    assert added == FeedSpec("second.example", "https://www.second.example/feed?x=1&y=2", True)
    text = config_file.read_text(encoding="utf-8")
    assert text.startswith(original.split("[dashboard]")[0].rstrip("\n"))
    assert "# the first one" in text and 'theme = "nord"  # dark and cold' in text
    assert load_config(config_file, env={}).feeds == [FeedSpec("First", "https://first.example/rss"), added]
    assert DashboardConfig.load() == DashboardConfig(theme="nord", show_timeline=False)

    assert remove_feed("First") == FeedSpec("First", "https://first.example/rss")
    assert remove_feed("https://WWW.second.example/feed?x=1&y=2") == added
    text = config_file.read_text(encoding="utf-8")
    assert text.startswith("# my own notes: keep me\nrefresh_minutes = 20  # twenty\n")
    assert 'theme = "nord"  # dark and cold' in text
    assert load_config(config_file, env={}).feeds == []


def test_add_creates_the_file_and_appends_to_inline_arrays(config_file: Path) -> None:
    add_feed("https://a.example/rss", name="A")
    assert load_config(config_file, env={}).feeds == [FeedSpec("A", "https://a.example/rss")]
    config_file.write_text('feeds = [{url = "https://a.example/rss"}]  # inline\n')
    add_feed("https://b.example/rss")
    assert [f.url for f in load_config(config_file, env={}).feeds] == [
        "https://a.example/rss",
        "https://b.example/rss",
    ]
    assert "# inline" in config_file.read_text()


def test_edit_errors(config_file: Path) -> None:
    add_feed("https://a.example/one", name="Same")
    add_feed("https://a.example/two", name="Same")
    with pytest.raises(ConfigError, match=re.escape("cannot add https://A.EXAMPLE/one: already configured")):
        add_feed("https://A.EXAMPLE/one")
    with pytest.raises(ConfigError, match="url must start with http:// or https://"):
        add_feed("file:///etc/passwd")
    with pytest.raises(
        ConfigError, match=r"no feed named or with url 'Other' \(configured: 'Same', 'Same'\)"
    ):
        remove_feed("Other")
    with pytest.raises(ConfigError, match="2 feeds are named 'Same'; give the url instead"):
        remove_feed("Same")
    config_file.write_text(config_file.read_text() + "refresh_minutes = 'x'\n")
    with pytest.raises(ConfigError, match=r"invalid TOML|refresh_minutes"):
        add_feed("https://b.example/")


def test_add_feeds_reports_what_it_skipped(config_file: Path) -> None:
    add_feed("https://a.example/")
    added, skipped = add_feeds(
        [FeedSpec("", "https://a.example/"), FeedSpec("b", "https://b.example/"), FeedSpec("c", "feed://c")]
    )
    assert added == [FeedSpec("b", "https://b.example/")]
    assert [(spec.url, why.split(":")[0]) for spec, why in skipped] == [
        ("https://a.example/", "already configured"),
        ("feed://c", "url must start with http"),
    ]


def test_writes_are_atomic(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file.write_text("# keep\n", encoding="utf-8")
    config_file.chmod(0o640)
    add_feed("https://a.example/")
    assert sorted(p.name for p in config_file.parent.iterdir()) == ["config.toml"]
    assert config_file.stat().st_mode & 0o777 == 0o640
    before = config_file.read_text(encoding="utf-8")

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        add_feed("https://b.example/")
    with pytest.raises(OSError, match="No space"):
        DashboardConfig(theme="nord").save()
    assert config_file.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in config_file.parent.iterdir()) == ["config.toml"]


def test_dashboard_save_refuses_a_broken_file(config_file: Path) -> None:
    config_file.write_text("[[feeds]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        DashboardConfig().save()
    assert config_file.read_text(encoding="utf-8") == "[[feeds]\n"


def test_configured_sources_load_in_full_text_groups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[list[str], bool]] = []

    def fake_load(sources: list[str], *, full_text: bool) -> LoadResult:
        calls.append((list(sources), full_text))
        frame = pl.DataFrame({"id": ["shared", f"only-{full_text}"], "title": ["x", "y"]})
        return LoadResult(frame, LoadReport(files_read=1, issues=[LoadIssue(sources[0], "note")]))

    monkeypatch.setattr(core.ingest.load, "load_articles", fake_load)
    config = NewsdeskConfig(
        feeds=[FeedSpec("a", "https://a.example/", True), FeedSpec("b", "https://b.example/")],
        watch_folders=[tmp_path],
    )
    result = load_configured_sources(config)
    # Folders have no linked pages, so they ride along with the first group.
    assert calls == [(["https://a.example/", str(tmp_path)], True), (["https://b.example/"], False)]
    assert result.articles.get_column("id").to_list() == ["shared", "only-True", "only-False"]
    assert result.report.files_read == 2
    assert "1 article came from two feeds" in str(result.report.issues[-1])
    calls.clear()
    load_configured_sources(config, full_text=False)  # the flag puts every feed in one group
    assert calls == [(["https://a.example/", "https://b.example/", str(tmp_path)], False)]
