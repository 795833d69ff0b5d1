"""The newsdesk app: a small shell around the dashboard screen and the corpus session it shows.

The app owns what outlives any one screen: the session (articles, analysis, corpus), the dashboard
settings (theme, panes), the read state, the key bindings shown in the footer and help, and the one
safe path for notifications. `DashboardScreen` holds the panes and drives loading and filtering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from core.analysis.cache import ResultCache
from core.analysis.run import prepare_worker_processes
from core.corpus.session import CorpusSession
from core.ingest.load import load_articles
from core.ingest.report import LoadResult
from core.ingest.source_loads import SourceLoaded, load_sources_separately
from core.keywords.batch import DEFAULT_KEYWORD_ENGINE
from core.readstate import ReadState
from core.settings.config import ConfigError
from tui.commands import dashboard_commands
from tui.components.article_table import ArticleTable
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable
from tui.dashboard_config import DashboardConfig
from tui.keys import describe_bindings
from tui.safety import printable
from tui.screens.dashboard import DashboardScreen
from tui.screens.evidence import EvidenceScreen
from tui.screens.help import HelpScreen

# Starts the first load one source at a time, calling back (from any thread) as each arrives.
SeparateLoader = Callable[[Callable[[SourceLoaded], None]], int]


class NewsdeskApp(App[None]):
    """Articles, article text, keywords, entities and country relations of a corpus."""

    TITLE = "newsdesk"
    # Absolute, so subclasses defined elsewhere (benchmarks, tests) still find it.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    # Declared here, in this order, whatever screen acts on them: the footer and the help screen
    # list them so. `screen.*` actions belong to the dashboard; the rest work from every screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "screen.focus_filter", "Filter"),
        Binding("escape", "screen.clear_filter", "Back/clear", show=False),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("f2", "screen.toggle_pane('keywords')", "Keywords pane"),
        Binding("f3", "screen.toggle_pane('relations')", "Relations pane"),
        Binding("f4", "screen.toggle_pane('timeline')", "Timeline"),
        Binding("l", "show_log", "Load log", show=False),
        Binding("r", "refresh", "Refresh sources"),
        # The Keywords and Entities panes' own keys, from anywhere: without focus they did nothing.
        Binding("t", "screen.keyword_scope", "Keywords: article/corpus", show=False),
        Binding("c", "screen.entity_kind", "Entities: next kind", show=False),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    ]

    def __init__(
        self,
        paths: Sequence[Path | str],
        *,
        cache: ResultCache | None = None,
        workers: int | None = None,
        engine: str = DEFAULT_KEYWORD_ENGINE,
        config: DashboardConfig | None = None,
        watch: Sequence[Path] = (),
        refresh_minutes: float = 0,
        read_state: ReadState | None = None,
        full_text: bool = False,
        loader: Callable[[], LoadResult] | None = None,
        separate_loader: SeparateLoader | None = None,
        session: CorpusSession | None = None,
    ) -> None:
        """`paths` are files, folders and URLs; `loader` replaces the default way of reading them
        (`load_articles(paths, full_text=...)`), e.g. for configured feeds with per-feed settings,
        and `separate_loader` the first load's way of reading them one source at a time."""
        super().__init__()
        prepare_worker_processes()
        self.paths = list(paths)
        # `session`: one already set up, e.g. over an analysed dataset (core.dataset.session).
        self.session = session or CorpusSession(
            loader or (lambda: load_articles(self.paths, full_text=full_text)),
            cache=cache,
            workers=workers,
            engine=engine,
        )
        # The first load shows local files at once and each feed as it arrives.
        if session is None and separate_loader is not None:
            self.session.separate_loader = separate_loader
        elif session is None and loader is None:
            self.session.separate_loader = lambda on_loaded: load_sources_separately(
                self.paths, on_loaded, full_text=full_text
            )
        self.config = config or DashboardConfig.load()
        self.read_state = read_state or ReadState()
        self.dashboard = self.make_dashboard(watch, refresh_minutes)
        self._started = False

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification's one path: never parsed as markup, control characters made visible.

        Messages carry file names, URLs and errors from feeds; a `[@click=app.quit]` in them must
        stay text. Widgets' and screens' `notify` end here too, so `markup` is ignored on purpose.
        """
        super().notify(
            printable(message),
            title=printable(title, single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- screens --------------------------------------------------------------------------------

    def make_dashboard(self, watch: Sequence[Path], refresh_minutes: float) -> DashboardScreen:
        """The dashboard screen (benchmarks override this to time it)."""
        return DashboardScreen(
            self.session,
            config=self.config,
            save_config=self.save_config,
            read_state=self.read_state,
            sources=self.paths,
            watch_folders=watch,
            refresh_minutes=refresh_minutes,
        )

    def get_default_screen(self) -> Screen[Any]:
        # The dashboard is the bottom of the screen stack: help, log, evidence and export go on top.
        return self.dashboard

    def on_mount(self) -> None:
        self.theme = self.config.theme if self.config.theme in self.available_themes else "textual-dark"
        # Theme changes from here on are the user's and get saved (App.is_mounted is not a flag).
        self._started = True

    # -- settings -------------------------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        if self._started and theme != self.config.theme:
            self.config.theme = theme
            self.save_config()

    def save_config(self) -> None:
        """Persist theme and panes; a config file the user broke meanwhile is reported, not clobbered."""
        try:
            self.config.save()
        except ConfigError as error:
            self.notify(str(error), title="Settings not saved", severity="error", timeout=10)

    # -- actions that work on every screen ------------------------------------------------------

    def help_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding of the app and of each pane and screen, grouped for the help screen."""
        groups = [("Everywhere", describe_bindings(self.BINDINGS))]
        for title, widget_class in (
            ("Lists (articles, keywords, entities, relations)", FrameTable),
            ("Articles", ArticleTable),
            ("Article text", ArticleView),
            ("Keywords", KeywordTable),
            ("Entities", EntityTable),
            ("Country relations", PairTable),
            ("Evidence", EvidenceScreen),
        ):
            groups.append((title, describe_bindings(list(widget_class.BINDINGS))))
        groups.append(("Command palette", [("ctrl+p", "all commands: export, themes, panes, help")]))
        return groups

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    def action_show_log(self) -> None:
        self.dashboard.action_show_log()

    def action_refresh(self) -> None:
        self.dashboard.request_refresh()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from dashboard_commands(self.dashboard, self.action_help)
