"""The dashboard, driven by key presses through Textual's Pilot; checks widget state, never sleeps."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textual.widgets import Input

from core.corpus.view import Deferred
from tests.helpers import HOSTILE_TITLE, make_app, settle, shown_ids, type_filter
from tui.app import NewsdeskApp
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable
from tui.dashboard_config import DashboardConfig
from tui.screens.evidence import EvidenceScreen
from tui.screens.help import HelpScreen


@pytest.fixture
def app(small_corpus: Path, tmp_path: Path) -> NewsdeskApp:
    return make_app([small_corpus], tmp_path)


async def test_startup_fills_every_pane(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#articles", FrameTable)
        assert table.row_count == 5 and table.border_title == "Articles 5/5"
        # Newest first; the undated seed article last.
        assert shown_ids(app)[0] == "hostile-1" and shown_ids(app)[-1] not in {"kyiv-1", "kyiv-2"}
        assert app.query_one(EntityTable).row_count > 5
        assert app.query_one(PairTable).row_count > 3
        assert app.query_one(KeywordTable).row_count > 0
        assert app.query_one(ArticleView).document.startswith(HOSTILE_TITLE[:10])


async def test_tab_cycles_panes_and_keys_move(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        seen = []
        for _ in range(6):
            await pilot.press("tab")
            seen.append(app.focused.id if app.focused else None)
        assert {"article-scroll", "keywords", "entities", "pairs", "filter-input", "articles"} <= set(seen)
        app.query_one("#articles").focus()
        await pilot.press("j", "j")
        assert app.query_one("#articles", FrameTable).cursor == 2
        await pilot.press("G")
        assert app.query_one("#articles", FrameTable).cursor == 4
        await pilot.press("g", "down")
        assert app.query_one("#articles", FrameTable).cursor == 1
        await settle(app, pilot)
        assert app.dashboard.current_article == shown_ids(app)[1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ukraine", {"kyiv-1", "kyiv-2"}),
        ("ukraine warned", {"kyiv-2"}),
        ('"energy agreement"', {"kyiv-1"}),
        ("country:PL", {"kyiv-1"}),
        ("country:Iraq", {"seed"}),
        ("pair:UA-RU", {"kyiv-2"}),
        ("pair:IQ-US", {"seed"}),
        ("entity:Jaafari", {"seed"}),
        ("source:loc", {"budget-1"}),
        ("after:2022-03-02 before:2022-03-04", {"budget-1", "kyiv-2"}),  # before: is exclusive
        ("-source:wire -country:IQ", {"budget-1", "hostile-1"}),
    ],
)
async def test_each_query_form(app: NewsdeskApp, query: str, expected: set[str]) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.dashboard.corpus is not None
        articles = app.dashboard.corpus.analysis.articles
        seed_id = articles.filter(pl.col("origin").str.ends_with("seed.txt"))["id"][0]
        await type_filter(app, pilot, query)
        got = {"seed" if i == seed_id else i for i in shown_ids(app)}
        assert got == expected
        assert app.query_one("#articles").border_title == f"Articles {len(expected)}/5"


async def test_filter_narrows_every_pane(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        before_pairs = app.query_one(PairTable).row_count
        await type_filter(app, pilot, "country:UA")
        pairs = app.query_one(PairTable).frame
        assert 0 < pairs.height < before_pairs
        assert set(pairs.get_column("code_a")) | set(pairs.get_column("code_b")) <= {"UA", "PL", "RU"}
        entities = set(app.query_one(EntityTable).frame.get_column("entity"))
        assert "Iraq" not in entities and "Ukraine" in entities
        keywords = app.query_one(KeywordTable)
        await pilot.press("tab")  # leave the filter
        keywords.focus()
        await pilot.press("t")
        assert keywords.scope == "corpus"
        assert "Iraq" not in set(keywords.frame.get_column("phrase"))


async def test_corpus_keywords_are_made_by_the_view_worker_only_while_shown(
    app: NewsdeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        keywords = app.query_one(KeywordTable)
        # Whether each view's corpus keywords were already made when they reached the pane: the
        # pane never makes them itself (that would be on the UI thread).
        arrived: list[bool] = []
        hand_over = keywords.set_corpus_keywords

        def recorded(deferred: Deferred) -> None:
            arrived.append(deferred.made)
            hand_over(deferred)

        monkeypatch.setattr(keywords, "set_corpus_keywords", recorded)
        await type_filter(app, pilot, "country:UA")
        assert arrived and not any(arrived)  # the article scope shows: none made
        keywords.focus()
        arrived.clear()
        await pilot.press("t")
        await settle(app, pilot)
        assert keywords.shows_corpus and arrived == [True]  # the view again, made by its worker
        view = app.dashboard.view
        assert view is not None and view.query == "country:UA"
        shown = keywords.frame.get_column("phrase").to_list()
        assert shown == view.keywords.get_column("phrase").to_list() != []
        arrived.clear()
        await type_filter(app, pilot, "country:IQ")
        assert arrived and all(arrived)
        view = app.dashboard.view
        assert view is not None and view.query == "country:IQ"
        assert keywords.frame.get_column("phrase").to_list() == view.keywords.get_column("phrase").to_list()
        assert keywords.frame.get_column("phrase").to_list() != shown
        # Hidden on the filtered set: none made; shown again: made for the view shown.
        await pilot.press("tab", "f2")
        await settle(app, pilot)
        arrived.clear()
        # Straight to the new query: type_filter first clears the box, and the unfiltered view it may
        # post (when the debounce fires before the first key) is cached with keywords made earlier.
        await pilot.press("slash")
        app.query_one(FilterBar).input.value = "country:UA"
        await settle(app, pilot)
        assert not keywords.display and arrived and not any(arrived)
        await pilot.press("tab", "f2")
        await settle(app, pilot)
        view = app.dashboard.view
        assert keywords.shows_corpus and view is not None and view.query == "country:UA"
        assert arrived[-1] and keywords.frame.get_column("phrase").to_list() == shown


async def test_malformed_query_keeps_last_good_result(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "ukraine")
        assert len(shown_ids(app)) == 2
        await pilot.press(*' "unclosed')
        await settle(app, pilot)
        bar = app.query_one(FilterBar)
        assert bar.error is not None and "quote" in bar.error.lower()
        assert len(shown_ids(app)) == 2
        await pilot.press("backspace", *'d"')
        await settle(app, pilot)
        assert bar.error is None


async def test_escape_clears_the_filter(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "budget")
        assert len(shown_ids(app)) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.query_one(FilterBar).input.value == "" and len(shown_ids(app)) == 5


async def test_enter_on_keyword_adds_it_to_the_filter(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        keywords = app.query_one(KeywordTable)
        keywords.focus()
        phrase = keywords.current_row()["phrase"]
        await pilot.press("enter")
        await settle(app, pilot)
        value = app.query_one(FilterBar).input.value
        assert value.startswith("keyword:") and phrase in value
        assert app.dashboard.current_article in shown_ids(app)


async def test_enter_on_country_adds_country_filter(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        entities = app.query_one(EntityTable)
        entities.focus()
        await pilot.press("c")  # countries only
        assert entities.kind == "country"
        code = entities.current_row()["code"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(FilterBar).input.value == f"country:{code}"


async def test_pair_to_evidence_to_article(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pairs = app.query_one(PairTable)
        pairs.focus()
        rows = pairs.frame.get_column("pair").to_list()
        pairs.action_first()
        for _ in range(rows.index("IQ–US Iraq – United States")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        evidence = screen.query_one(FrameTable)
        assert evidence.row_count >= 5
        # Strongest first (acts before words, events read between the two before guesses), and
        # the seed's Iraq-US evidence is mostly conflict.
        scores = [abs(s) for s in evidence.frame.get_column("score").to_list()]
        assert scores == sorted(scores, reverse=True)
        stances = evidence.frame.get_column("stance").to_list()
        assert stances.count("conflict") > stances.count("cooperation") > 0
        chosen = evidence.current_row()
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, EvidenceScreen)
        view = app.query_one(ArticleView)
        assert view._highlight is not None
        start, end = view._highlight
        assert view.document[start:end] == chosen["text"]


async def test_mention_explanations(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "country:IQ")
        await pilot.press("enter")  # leave the filter box
        app.query_one("#article-scroll").focus()
        await pilot.press("n")
        view = app.query_one(ArticleView)
        assert view.explanation.endswith("Washington → United States (US), capital")
        await pilot.press("n")
        assert "Baghdad → Iraq (IQ), capital" in view.explanation


async def test_sort_by_relevance(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "ukraine")
        app.query_one("#articles").focus()
        await pilot.press("s")
        await settle(app, pilot)
        assert app.dashboard.sort == "relevance"
        assert app.query_one("#articles").border_subtitle == "by relevance"
        assert shown_ids(app) == ["kyiv-1", "kyiv-2"]  # kyiv-1 says Ukraine more often


async def test_help_lists_every_binding(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = HelpScreen.text_of(app.screen.groups)
        from tui.keys import key_label

        every_binding = [*app.BINDINGS]
        for widget in (FrameTable, ArticleView, KeywordTable, EntityTable, PairTable, EvidenceScreen):
            every_binding.extend(widget.BINDINGS)
        from tui.components.article_table import ArticleTable

        every_binding.extend(ArticleTable.BINDINGS)
        for binding in every_binding:
            assert f"{key_label(binding.key)} {binding.description}" in text  # type: ignore[union-attr]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_side_panes_toggle_and_persist(app: NewsdeskApp, isolated_config: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        assert not app.query_one(KeywordTable).display
        await pilot.press("f3")
        assert not app.query_one("#side").display
    assert DashboardConfig.load() == DashboardConfig(show_keywords=False, show_relations=False)


async def test_theme_persists(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    assert DashboardConfig.load().theme == "nord"


async def test_export_from_palette(app: NewsdeskApp, tmp_path: Path) -> None:
    target = tmp_path / "out" / "mine"
    target.parent.mkdir()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "ukraine")
        await pilot.press("enter")
        await pilot.press("ctrl+p")
        await pilot.press(*"Export as CSV")
        await pilot.press("enter")
        await pilot.pause()
        name = app.screen.query_one("#export-name", Input)
        name.value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
    articles = pl.read_csv(tmp_path / "out" / "mine-articles.csv")
    assert sorted(articles.get_column("id").to_list()) == ["kyiv-1", "kyiv-2"]
    relations = pl.read_csv(tmp_path / "out" / "mine-relations.csv")
    assert {"code_a", "code_b", "evidence"} <= set(relations.columns)
    assert (tmp_path / "out" / "mine-keywords.csv").exists()


async def test_resize_to_80x24(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        table = app.query_one("#articles", FrameTable)
        assert app.size == (80, 24)
        assert table.size.width > 30 and table.size.height >= 4
        assert app.query_one(ArticleView).size.height >= 4


async def test_keystrokes_repaint_without_laying_out_the_screen(app: NewsdeskApp) -> None:
    """The filter box and the tables size their scrolling without a screen layout (a layout
    repaints every pane): a query longer than the box still scrolls to its cursor, and a table
    given more rows than it shows still scrolls to its last one."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")  # focusing changes the footer's keys: a layout, before counting
        await settle(app, pilot)
        layouts = 0
        refresh = app.screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            layouts += 1
            refresh(*args, **kwargs)  # type: ignore[arg-type]

        app.screen._refresh_layout = counted  # type: ignore[method-assign]
        table = app.query_one("#articles", FrameTable)
        rows = table.frame
        long_query = "zzzz " * 20  # every prefix parses, and matches nothing
        await pilot.press(*long_query)
        await settle(app, pilot)
        box = app.query_one(FilterBar).input
        assert box.value == long_query and box.scroll_x > 0  # scrolled along with the cursor
        assert box.region.x <= box.cursor_screen_offset.x < box.region.right
        assert table.row_count == 0 and app.query_one(PairTable).row_count == 0
        table.set_frame(pl.concat([rows] * 40))
        await pilot.pause()
        assert table.virtual_size.height == 201 and table.show_vertical_scrollbar
        # 100 keystrokes and a table refill: only changes of shape lay out (the timeline's label
        # becoming "no dated articles", the box's text outgrowing it); it was one or more per key.
        assert layouts <= 3
        table.focus()
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor == 199 and table.scroll_y == table.max_scroll_y > 0


async def test_an_untouched_cursor_stays_at_the_top_and_a_chosen_row_is_kept(app: NewsdeskApp) -> None:
    """New rows (the rest of a dataset, a refresh, the next keystroke) keep the row the reader
    moved to; a cursor nobody moved stays on the first row rather than following its article."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#articles", FrameTable)
        rows = table.frame
        table.set_frame(rows.reverse())
        assert table.cursor == 0 and shown_ids(app)[0] == rows.get_column("id")[-1]
        table.focus()
        await pilot.press("down")
        chosen = shown_ids(app)[1]
        table.set_frame(rows)
        await pilot.pause()
        assert shown_ids(app)[table.cursor] == chosen and table.cursor == rows.height - 2


async def test_hostile_text_renders_literally_and_never_acts(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "source:evil")
        await pilot.press("enter")
        screen_text = app.export_screenshot().replace("&#160;", " ")  # the screen as rendered, as SVG
        assert "\x1b" not in screen_text and "\x07" not in screen_text
        assert "[bold red]Markup[/]" in screen_text and "␛[2J" in screen_text
        # Clicking the would-be [@click=app.quit] text in the table and the article does nothing.
        await pilot.click("#articles", offset=(30, 1))
        await pilot.click("#article-body", offset=(20, 0))
        await pilot.pause()
        assert app.is_running


async def test_palette_runs_pane_actions(app: NewsdeskApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Next mention")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(ArticleView).explanation.startswith("1/")


def test_every_action_key_is_in_the_palette(app: NewsdeskApp) -> None:
    """Each binding that does something (not mere movement) has a palette command naming its key."""
    from tui.commands import dashboard_commands
    from tui.components.article_table import ArticleTable
    from tui.keys import key_label

    helps = " ".join(command.help for command in dashboard_commands(app.dashboard, app.action_help)).lower()
    movement = {"cursor", "page", "app.focus_next", "app.focus_previous", "quit"}
    bindings = [*app.BINDINGS]
    for widget in (FrameTable, ArticleTable, ArticleView, KeywordTable, EntityTable, PairTable):
        bindings.extend(widget.BINDINGS)
    for binding in bindings:
        if binding.action.split("(")[0] in movement:  # type: ignore[union-attr]
            continue
        first_key = key_label(binding.key).split(" / ")[0]  # type: ignore[union-attr]
        assert f"({first_key.lower()}" in helps, binding


async def test_load_problems_notify_and_fill_the_log(small_corpus: Path, tmp_path: Path) -> None:
    (small_corpus / "broken.jsonl").write_text(
        '{"title": "fine", "text": "ok"}\n{not json\n', encoding="utf-8"
    )
    app = make_app([small_corpus, tmp_path / "missing.txt"], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.query_one("#articles", FrameTable).row_count == 6  # the good line still loaded
        assert any("load problems" in n.message for n in app._notifications)
        await pilot.press("l")
        from tui.screens.log import LogScreen

        assert isinstance(app.screen, LogScreen)
        assert any("broken.jsonl, line 2: malformed JSON" in line for line in app.screen.lines)
        assert any("missing.txt: no such file or directory" in line for line in app.screen.lines)


ACTION_MARKUP = "[@click=app.quit]L[/]"


def _markup_left(app: NewsdeskApp) -> list[str]:
    """Every border title, subtitle and notification whose styles carry an action or a link."""
    found = []
    for screen in app.screen_stack:
        for widget in screen.walk_children(with_self=True):
            for name in ("_border_title", "_border_subtitle"):
                content = getattr(widget, name, None)
                for span in getattr(content, "spans", []):
                    if "@click" in str(span.style) or "link" in str(span.style):
                        found.append(f"{widget!r}.{name}: {span.style}")
    for notification in app._notifications:
        if notification.markup:
            found.append(f"notification parsed as markup: {notification.message}")
    return found


async def test_markup_in_a_feeds_url_and_source_stays_text(tmp_path: Path) -> None:
    """A feed's link `…/[@click=app.quit]L[/]` once became a clickable quit in the article subtitle."""
    import json

    news = tmp_path / "news.jsonl"
    record = {
        "id": "evil-url",
        "title": "Plain headline",
        "date": "2024-01-02",
        "source": "[b]bold source[/b]",
        "url": f"http://host/x/{ACTION_MARKUP}",
        "text": "Iraq and Iran talked.",
    }
    news.write_text(json.dumps(record) + "\n", encoding="utf-8")
    app = make_app([news], tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.notify(f"Exported {ACTION_MARKUP}")  # file names and URLs reach notifications too
        await pilot.pause()
        view = app.query_one(ArticleView)
        subtitle = view._border_subtitle
        assert subtitle is not None
        assert ACTION_MARKUP in subtitle.plain and "[b]bold source[/b]" in subtitle.plain
        assert _markup_left(app) == []
        # Click where the would-be action sits: the app keeps running.
        await pilot.click(ArticleView, offset=(view.size.width - 6, view.size.height + 1))
        await pilot.pause()
        assert app.is_running
