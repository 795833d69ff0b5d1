"""Live updates: refresh, watched folders and read state, keeping the user's filter and selection."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from core.readstate import ReadState
from tests.helpers import make_app, settle, shown_ids, type_filter
from tui.app import NewsdeskApp
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")
    return path


async def wait_until(app: NewsdeskApp, pilot: Pilot[None], condition: object, rounds: int = 3000) -> None:
    """Let the app process events until `condition()` holds (a watcher event has no worker to await)."""
    for _ in range(rounds):
        await pilot.pause()
        if condition():  # type: ignore[operator]
            await settle(app, pilot)
            return
    raise AssertionError("the condition never held")


async def test_refresh_adds_new_articles_and_keeps_filter_and_selection(
    small_corpus: Path, tmp_path: Path
) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "ukraine")
        await pilot.press("enter")
        table = app.query_one("#articles", FrameTable)
        await pilot.press("down")
        selected = table.current_row()["id"]
        write_article(small_corpus, "new.txt", "Ukraine reopens Kyiv airport", "Ukraine said flights resume.")
        write_article(small_corpus, "other.txt", "Budget vote delayed", "Parliament delayed the vote.")
        await pilot.press("r")
        await settle(app, pilot)
        assert app.query_one(FilterBar).input.value == "ukraine"
        assert len(shown_ids(app)) == 3 and table.border_title == "Articles 3/7"
        assert table.current_row()["id"] == selected
        assert any("2 new articles" in n.message for n in app._notifications)


async def test_changed_file_replaces_its_article(small_corpus: Path, tmp_path: Path) -> None:
    path = write_article(small_corpus, "draft.txt", "Draft headline", "First version of the story.")
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        titles = set(app.query_one("#articles", FrameTable).frame.get_column("title"))
        assert "Draft headline" in titles
        write_article(small_corpus, path.name, "Final headline", "Second version of the story.")
        await pilot.press("r")
        await settle(app, pilot)
        titles = set(app.query_one("#articles", FrameTable).frame.get_column("title"))
        assert "Final headline" in titles and "Draft headline" not in titles
        assert app.query_one("#articles").border_title == "Articles 6/6"


async def test_watched_folder_adds_a_dropped_file(small_corpus: Path, tmp_path: Path) -> None:
    app = make_app([small_corpus], tmp_path, watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "country:PL")
        assert len(shown_ids(app)) == 1
        write_article(small_corpus, "dropped.txt", "Poland hosts summit", "Poland hosted leaders in Warsaw.")
        await wait_until(app, pilot, lambda: len(shown_ids(app)) == 2)
        assert app.query_one(FilterBar).input.value == "country:PL"
        assert "Poland hosts summit" in set(app.query_one("#articles", FrameTable).frame.get_column("title"))


async def test_read_state_persists_and_unread_filter(small_corpus: Path, tmp_path: Path) -> None:
    app = make_app([small_corpus], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        first = app.dashboard.current_article
        assert first is not None
        app.query_one("#articles").focus()
        await pilot.press("enter")  # read means opened (issue 15), not shown under the cursor
        app.query_one("#articles").focus()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        second = app.dashboard.current_article
    assert {first, second} <= ReadState().ids

    again = make_app([small_corpus], tmp_path)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        await pilot.press("u")
        await settle(again, pilot)
        shown = shown_ids(again)
        # Of 5 articles 2 are read: the second is hidden, the first stays because it is open again.
        assert second not in shown and first in shown and len(shown) == 4
        assert again.query_one("#articles").border_title.endswith("unread")
        await pilot.press("u")
        await settle(again, pilot)
        assert len(shown_ids(again)) == 5
