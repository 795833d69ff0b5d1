"""The dashboard's entries in the command palette (ctrl+p): every key's action, findable by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from textual.app import SystemCommand
from textual.widget import Widget

from core.corpus.export import Format
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable

if TYPE_CHECKING:
    from tui.screens.dashboard import DashboardScreen

EXPORT_FORMATS: tuple[Format, ...] = ("csv", "json", "parquet")
W = TypeVar("W", bound=Widget)


def _on(
    dashboard: DashboardScreen, widget_type: type[W], action: Callable[[W], object]
) -> Callable[[], None]:
    """A callback that runs `action` on the dashboard's widget of that type."""

    def run() -> None:
        action(dashboard.query_one(widget_type))

    return run


def _focused_list(dashboard: DashboardScreen, action: Callable[[FrameTable], object]) -> Callable[[], None]:
    """A callback acting on the focused list, or the articles list when focus is elsewhere."""

    def run() -> None:
        action(dashboard.focused_list())

    return run


def dashboard_commands(dashboard: DashboardScreen, show_help: Callable[[], None]) -> Iterable[SystemCommand]:
    """Palette commands mirroring the key bindings of the dashboard and its panes."""
    yield SystemCommand("Help: keys", "Show every key binding (? or F1)", show_help)
    yield SystemCommand("Filter", "Focus the filter box (/)", dashboard.action_focus_filter)
    yield SystemCommand(
        "Clear filter", "Empty the filter and return to the articles (Esc)", dashboard.action_clear_filter
    )
    yield SystemCommand("Sort articles", "Toggle date / relevance order (s)", dashboard.action_toggle_sort)
    yield SystemCommand("Load log", "Problems found while loading (l)", dashboard.action_show_log)
    yield SystemCommand(
        "Refresh", "Read every source again; new articles slide in (r)", dashboard.request_refresh
    )
    yield SystemCommand(
        "Unread only", "Show only unread articles, or all again (u)", dashboard.action_toggle_unread
    )
    for pane, key in (("keywords", "F2"), ("relations", "F3"), ("timeline", "F4")):
        yield SystemCommand(
            f"Toggle {pane} pane",
            f"Show or hide the {pane} pane ({key})",
            lambda p=pane: dashboard.action_toggle_pane(p),
        )
    yield SystemCommand(
        "Next mention",
        "Select the next highlighted mention in the article (n)",
        _on(dashboard, ArticleView, lambda v: v.action_next_mention(1)),
    )
    yield SystemCommand(
        "Previous mention",
        "Select the previous highlighted mention in the article (p)",
        _on(dashboard, ArticleView, lambda v: v.action_next_mention(-1)),
    )
    yield SystemCommand(
        "Keywords: article / corpus",
        "Toggle the keywords pane's scope (t)",
        _on(dashboard, KeywordTable, lambda t: t.action_toggle_scope()),
    )
    yield SystemCommand(
        "Entities: next kind",
        "Cycle all / countries / people / organisations (c)",
        _on(dashboard, EntityTable, lambda t: t.action_cycle_kind()),
    )
    yield SystemCommand(
        "Filter by selected pair",
        "Add the selected country pair to the filter (f)",
        _on(dashboard, PairTable, lambda t: t.action_filter_pair()),
    )
    yield SystemCommand(
        "Open selected",
        "Drill into the selected row (Enter)",
        _focused_list(dashboard, FrameTable.action_select),
    )
    yield SystemCommand(
        "Top of list",
        "First row of the focused list (g, Home)",
        _focused_list(dashboard, FrameTable.action_first),
    )
    yield SystemCommand(
        "Bottom of list",
        "Last row of the focused list (G, End)",
        _focused_list(dashboard, FrameTable.action_last),
    )
    for fmt in EXPORT_FORMATS:
        yield SystemCommand(
            f"Export as {fmt.upper()}",
            "Filtered articles, corpus keywords and relations with evidence",
            lambda f=fmt: dashboard.action_export(f),
        )
