"""The dashboard's entries in the command palette (ctrl+p): every key's action, findable by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.widget import Widget

from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


def _on(
    app: NewsdeskApp, widget_type: type[Widget], action: Callable[[Widget], object]
) -> Callable[[], None]:
    """A callback that runs `action` on the dashboard's widget of that type (on the main screen)."""

    def run() -> None:
        action(app.query_one(widget_type))

    return run


def _focused_list(app: NewsdeskApp, action: Callable[[FrameTable], object]) -> Callable[[], None]:
    """A callback acting on the focused list, or the articles list when focus is elsewhere."""

    def run() -> None:
        focused = app.focused
        action(focused if isinstance(focused, FrameTable) else app.query_one("#articles", FrameTable))

    return run


def dashboard_commands(app: NewsdeskApp) -> Iterable[SystemCommand]:
    """Palette commands mirroring the key bindings of the app and its panes."""
    yield SystemCommand("Help: keys", "Show every key binding (? or F1)", app.action_help)
    yield SystemCommand("Filter", "Focus the filter box (/)", app.action_focus_filter)
    yield SystemCommand(
        "Clear filter", "Empty the filter and return to the articles (Esc)", app.action_clear_filter
    )
    yield SystemCommand("Sort articles", "Toggle date / relevance order (s)", app.action_toggle_sort)
    yield SystemCommand("Load log", "Problems found while loading (l)", app.action_show_log)
    yield SystemCommand("Refresh", "Read every source again; new articles slide in (r)", app.action_refresh)
    yield SystemCommand(
        "Unread only", "Show only unread articles, or all again (u)", app.action_toggle_unread
    )
    for pane, key in (("keywords", "F2"), ("relations", "F3"), ("timeline", "F4")):
        yield SystemCommand(
            f"Toggle {pane} pane",
            f"Show or hide the {pane} pane ({key})",
            lambda p=pane: app.action_toggle_pane(p),
        )
    yield SystemCommand(
        "Next mention",
        "Select the next highlighted mention in the article (n)",
        _on(app, ArticleView, lambda v: v.action_next_mention(1)),  # type: ignore[attr-defined]
    )
    yield SystemCommand(
        "Previous mention",
        "Select the previous highlighted mention in the article (p)",
        _on(app, ArticleView, lambda v: v.action_next_mention(-1)),  # type: ignore[attr-defined]
    )
    yield SystemCommand(
        "Keywords: article / corpus",
        "Toggle the keywords pane's scope (t)",
        _on(app, KeywordTable, lambda t: t.action_toggle_scope()),  # type: ignore[attr-defined]
    )
    yield SystemCommand(
        "Entities: next kind",
        "Cycle all / countries / people / organisations / places / other (c)",
        _on(app, EntityTable, lambda t: t.action_cycle_kind()),  # type: ignore[attr-defined]
    )
    yield SystemCommand(
        "Filter by selected pair",
        "Add the selected country pair to the filter (f)",
        _on(app, PairTable, lambda t: t.action_filter_pair()),  # type: ignore[attr-defined]
    )
    yield SystemCommand(
        "Open selected", "Drill into the selected row (Enter)", _focused_list(app, FrameTable.action_select)
    )
    yield SystemCommand(
        "Top of list", "First row of the focused list (g, Home)", _focused_list(app, FrameTable.action_first)
    )
    yield SystemCommand(
        "Bottom of list", "Last row of the focused list (G, End)", _focused_list(app, FrameTable.action_last)
    )
    for fmt in ("csv", "json", "parquet"):
        yield SystemCommand(
            f"Export as {fmt.upper()}",
            "Filtered articles, corpus keywords and relations with evidence",
            lambda f=fmt: app.action_export(f),
        )
