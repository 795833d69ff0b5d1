"""The dashboard says what is going on (issue 15): read state, empty panes, refresh, pane keys, columns."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from core.analysis.cache import ResultCache
from core.ingest.load import load_articles
from core.ingest.report import LoadResult
from tests.helpers import make_app, settle, shown_ids
from tui.app import NewsdeskApp
from tui.components.entity_table import EntityTable
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable
from tui.dashboard_config import DashboardConfig


def _notifications(app: NewsdeskApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_moving_the_cursor_does_not_mark_read_and_opening_does(
    small_corpus: Path, tmp_path: Path
) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.dashboard.current_article == shown_ids(app)[0]  # the top row is shown...
        app.query_one("#articles").focus()
        await pilot.press("j", "j")
        await settle(app, pilot)
        assert app.read_state.ids == set()  # ...and passing over rows reads none of them
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.read_state.ids == {shown_ids(app)[2]}


async def test_panes_say_loading_then_nothing_loaded(tmp_path: Path) -> None:
    release = threading.Event()

    def slow_empty_load() -> LoadResult:
        release.wait(30)
        return load_articles([tmp_path / "missing.txt"])

    app = NewsdeskApp(
        [tmp_path / "missing.txt"], cache=ResultCache(tmp_path / "c"), workers=1,
        config=DashboardConfig(), loader=slow_empty_load,
    )  # fmt: skip
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            if app.dashboard.started:
                break
            await pilot.pause()
        tables = list(app.query(FrameTable))
        assert {table.status_text for table in tables} == {"loading…"}
        release.set()
        await settle(app, pilot)
        assert {table.status_text for table in tables} == {"nothing loaded"}


async def test_refresh_with_nothing_new_says_so(small_corpus: Path, tmp_path: Path) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert "nothing new in the sources" in _notifications(app)


async def test_keyword_and_entity_keys_work_from_any_pane(small_corpus: Path, tmp_path: Path) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.query_one("#articles").focus()
        await pilot.press("t", "c")
        assert app.query_one(KeywordTable).scope == "corpus"
        assert app.query_one(EntityTable).kind != "all"
        await pilot.press("f2")  # hide the keywords: `t` says how to get them back
        await pilot.press("t")
        assert "the Keywords pane is hidden: F2 shows it" in _notifications(app)


async def test_pair_and_corpus_keyword_columns_read_at_80_by_24(small_corpus: Path, tmp_path: Path) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pairs = app.query_one(PairTable).frame
        assert pairs.height > 0
        # Each cell starts with both countries' codes, whatever width the pane cuts it to.
        assert all(
            cell.startswith(f"{a}–{b} ")
            for cell, a, b in pairs.select("pair", "code_a", "code_b").iter_rows()
        )
        keywords = app.query_one(KeywordTable)
        keywords.focus()
        await pilot.press("t")
        shown = keywords.frame
        assert [column.label for column in keywords.columns][-1] == "Weight"
        weights = shown.get_column("weight").to_list()
        assert shown.height > 1 and weights == sorted(weights, reverse=True)


async def test_local_files_show_while_a_slow_feed_loads_and_quitting_does_not_wait(
    small_corpus: Path, tmp_path: Path
) -> None:
    from tests.webserver import Reply, Seen, serve

    release = threading.Event()
    rss = (
        '<rss version="2.0"><channel><title>Slow wire</title><item><title>Slow story</title>'
        "<description>Iraq and Turkey met in Ankara about water.</description></item></channel></rss>"
    )

    def slow(_: Seen) -> Reply:
        release.wait(60)  # until the test says so (the app's fetch deadline is 30 s)
        return Reply(rss, content_type="application/rss+xml")

    with serve({"/slow": slow}) as server:
        app = NewsdeskApp(
            [small_corpus, server.url("/slow")], cache=ResultCache(tmp_path / "c"), workers=1,
            config=DashboardConfig(),
        )  # fmt: skip
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)  # every worker done: the feed is on a daemon thread
            assert len(shown_ids(app)) == 5 and not release.is_set()
            assert "1 feed loading" in str(app.sub_title)
            release.set()
            for _ in range(2000):  # the feed's message arrives from its thread
                if len(shown_ids(app)) == 6:
                    break
                await pilot.pause()
                await settle(app, pilot)
            assert "Slow story" in set(app.query_one("#articles", FrameTable).frame.get_column("title"))

        release.clear()
        quitting = NewsdeskApp(
            [small_corpus, server.url("/slow")], cache=ResultCache(tmp_path / "c"), workers=1,
            config=DashboardConfig(),
        )  # fmt: skip
        async with quitting.run_test(size=(120, 36)) as pilot:
            await settle(quitting, pilot)
            await pilot.press("q")
        # The app is gone while its feed is still being answered: nothing waited for the network.
        assert not release.is_set() and any(
            t.name.startswith("newsdesk-feed") and t.is_alive() for t in threading.enumerate()
        )
        release.set()


def _non_daemon_threads_inside(function: Callable[..., object]) -> list[str]:
    """Names of non-daemon threads (the ones the interpreter joins at exit) running `function`."""
    frames = sys._current_frames()
    found = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or -1)
        while frame is not None and not thread.daemon:
            if frame.f_code is function.__code__:
                found.append(thread.name)
                break
            frame = frame.f_back
    return found


async def test_quitting_during_a_stalled_refresh_does_not_wait_for_it(
    small_corpus: Path, tmp_path: Path
) -> None:
    """`r` re-reads every source; a feed that stalls must not hold `q` until its deadline."""
    release = threading.Event()
    calls: list[str] = []
    returned = threading.Event()

    def loader() -> LoadResult:
        calls.append("load")
        if len(calls) > 1:  # the refresh: stalls like a slow feed, until the test ends
            release.wait(20)
            returned.set()
        return load_articles([small_corpus])

    app = NewsdeskApp(
        [small_corpus], cache=ResultCache(tmp_path / "c"), workers=1, config=DashboardConfig(), loader=loader
    )
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            await pilot.press("r")
            for _ in range(200):  # until the refresh has started reading
                if len(calls) == 2:
                    break
                await pilot.pause()
            assert len(calls) == 2
            await pilot.press("q")
        # The app has closed while the stalled read is still going. The interpreter joins every
        # non-daemon thread at exit (a Textual thread worker is one), so none may be left blocked.
        assert not returned.is_set()
        assert _non_daemon_threads_inside(loader) == []
    finally:
        release.set()


async def test_configured_folders_show_while_a_configured_feed_is_slow(
    small_corpus: Path, tmp_path: Path, isolated_config: Path
) -> None:
    """With no PATH the dashboard reads the config file's feeds and watched folders: the folders
    show at once and the slow feed joins later, as for sources named on the command line."""
    import json

    from tests.webserver import Reply, Seen, serve
    from tui.cli.main import _parsers, dashboard_app

    release = threading.Event()
    rss = (
        '<rss version="2.0"><channel><title>Slow wire</title><item><title>Slow story</title>'
        "<description>Iraq and Turkey met in Ankara about water.</description></item></channel></rss>"
    )

    def slow(_: Seen) -> Reply:
        release.wait(60)  # until the test says so
        return Reply(rss, content_type="application/rss+xml")

    with serve({"/slow": slow}) as server:
        isolated_config.mkdir(parents=True, exist_ok=True)
        (isolated_config / "config.toml").write_text(
            f"[[feeds]]\nurl = {json.dumps(server.url('/slow'))}\n\n"
            f"[watch]\nfolders = [{json.dumps(str(small_corpus))}]\n",
            encoding="utf-8",
        )
        args = _parsers()[""].parse_args(["--cache-dir", str(tmp_path / "c"), "--workers", "1"])
        app = dashboard_app(args)
        try:
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(app, pilot)  # every worker done: the feed is on a daemon thread
                assert len(shown_ids(app)) == 5 and not release.is_set()
                assert "1 feed loading" in str(app.sub_title)
        finally:
            release.set()


def test_keyword_scores_line_up_at_three_decimals() -> None:
    from tui.components.keyword_table import keyword_score

    cells = [keyword_score(value, {}).plain for value in (-0.0630, 0.0860, 0.22591, 1.0, None)]
    assert cells == ["-0.063", "0.086", "0.226", "1.000", ""]


async def test_entity_kinds_are_shortened_as_drawn_and_kept_whole_in_the_frame(
    small_corpus: Path, tmp_path: Path
) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one(EntityTable)
        kinds = table.frame.get_column("kind").to_list()
        assert "organisation" in kinds and "org" not in kinds
        table.kind = "organisation"  # the kind filter compares the frame's whole kind names
        table._show()
        await pilot.pause()
        assert table.row_count and set(table.frame.get_column("kind")) == {"organisation"}
        assert table.render_line(1).text.startswith("org ")  # the first row, drawn short


async def test_the_timeline_counts_days_without_articles_as_zero(small_corpus: Path, tmp_path: Path) -> None:
    from datetime import date

    import polars as pl
    from textual.widgets import Sparkline

    from tui.components.timeline import Timeline

    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        timeline = app.query_one(Timeline)
        per_day = pl.DataFrame(
            {"date": [date(1969, 12, 31), date(1970, 1, 3)], "articles": [2, 5]},
            schema={"date": pl.Date(), "articles": pl.Int32()},
        )
        timeline.set_counts(per_day, total=1_000)
        assert list(timeline.query_one(Sparkline).data or []) == [2, 0, 0, 5] and timeline.days == 4
