"""The newsdesk dashboard: panes over one analysed corpus, all narrowed live by one filter.

Workers call core (load, analyse, filter, export) off the UI thread and post messages; only the
handlers here touch widgets. A newer keystroke cancels the previous filter computation.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar
from textual.worker import get_current_worker

from core.analysis import Analysis, iter_analysis, merge_analyses, prepare_worker_processes
from core.cache import ResultCache
from core.ingest import LoadResult, load_articles
from core.keywords_batch import DEFAULT_KEYWORD_ENGINE
from core.query import QueryError, preload_country_names
from core.readstate import ReadState
from core.view import Corpus, CorpusView, SortOrder
from tui.commands import dashboard_commands
from tui.components.article_table import ArticleTable
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable
from tui.components.timeline import Timeline
from tui.config import ConfigError, DashboardConfig
from tui.drilldown import DrillDown
from tui.exporting import Exporting
from tui.keys import describe_bindings
from tui.live import LiveUpdates
from tui.messages import (
    AnalysisFinished,
    AnalysisProgressed,
    ArticlesLoaded,
    BatchAnalysed,
    FilterTermRequested,
    LoadFailed,
    QueryRejected,
    ViewComputed,
)
from tui.safety import printable
from tui.screens.evidence import EvidenceScreen
from tui.screens.help import HelpScreen
from tui.screens.log import LogScreen


class NewsdeskApp(LiveUpdates, DrillDown, Exporting, App[None]):
    """Articles, article text, keywords, entities and country relations of a corpus."""

    TITLE = "newsdesk"
    # Absolute, so subclasses defined elsewhere (benchmarks, tests) still find it.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("escape", "clear_filter", "Back/clear", show=False),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("f2", "toggle_pane('keywords')", "Keywords pane"),
        Binding("f3", "toggle_pane('relations')", "Relations pane"),
        Binding("f4", "toggle_pane('timeline')", "Timeline"),
        Binding("l", "show_log", "Load log", show=False),
        Binding("r", "refresh", "Refresh sources"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
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
    ) -> None:
        """`paths` are files, folders and URLs; `loader` replaces the default way of reading them
        (`load_articles(paths, full_text=...)`), e.g. for configured feeds with per-feed settings."""
        super().__init__()
        prepare_worker_processes()
        self.paths = list(paths)
        self.loader = loader or (lambda: load_articles(self.paths, full_text=full_text))
        self.cache = cache
        self.analysis_workers = workers
        self.keyword_engine = engine
        self.config = config or DashboardConfig.load()
        self.parts: list[Analysis] = []
        self.articles_frame: pl.DataFrame | None = None
        self.corpus: Corpus | None = None
        self.view: CorpusView | None = None
        self.sort: SortOrder = "date"
        self.log_lines: list[str] = []
        self.loading = True
        self.current_article: str | None = None
        self.watch_folders = list(watch)
        self.refresh_minutes = refresh_minutes
        self.read_state = read_state or ReadState()
        self.unread_only = False
        # Bumped whenever the analysed articles change; the filter index is rebuilt when it moves.
        self.generation = 0
        self._corpus_generation = -1
        self._refresh_pending = False
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
            printable(message), title=printable(title, single_line=True), severity=severity,
            timeout=timeout, markup=False,
        )

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter")
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ArticleTable(self.read_state)
                yield ArticleView()
            with Vertical(id="side"):
                yield KeywordTable()
                with Vertical(id="relations"):
                    yield EntityTable()
                    yield PairTable()
        yield Timeline(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = self.config.theme if self.config.theme in self.available_themes else "textual-dark"
        self._apply_layout()
        self.query_one(ArticleTable).focus()
        self.sub_title = "loading…"
        # Theme changes from here on are the user's and get saved (App.is_mounted is not a flag).
        self._started = True
        self.load_corpus()
        self.start_live_updates()

    def on_unmount(self) -> None:
        self.stop_live_updates()

    def _apply_layout(self) -> None:
        self.query_one(KeywordTable).display = self.config.show_keywords
        self.query_one("#relations").display = self.config.show_relations
        self.query_one("#side").display = self.config.show_keywords or self.config.show_relations
        self.query_one(Timeline).display = self.config.show_timeline

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

    # -- loading (worker) -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        """Load and analyse off the UI thread; post each analysed part as it completes."""
        try:
            loaded = self.loader()
            self.post_message(ArticlesLoaded(loaded.articles.height, loaded.report))
            self.articles_frame = loaded.articles
            problems: list[str] = []

            def progress(done: int, total: int) -> None:
                self.post_message(AnalysisProgressed(done, total))

            for part in iter_analysis(
                loaded.articles,
                cache=self.cache,
                workers=self.analysis_workers,
                progress=progress,
                engine=self.keyword_engine,
            ):
                if get_current_worker().is_cancelled:
                    return
                problems.extend(part.problems)
                self.post_message(BatchAnalysed(part))
            self.post_message(AnalysisFinished(problems))
        except Exception as error:  # reported in the UI: a dashboard must not die on one bad corpus
            self.post_message(LoadFailed(f"{type(error).__name__}: {error}"))

    def on_articles_loaded(self, message: ArticlesLoaded) -> None:
        for issue in message.report.issues:
            self.log_lines.append(str(issue))
        errors = len(message.report.errors)
        if message.report.issues:
            self.notify(
                f"{len(message.report.issues)} load problems ({errors} errors); press l for the log",
                severity="warning" if errors else "information",
            )
        if not message.count:
            self.loading = False
            self.sub_title = "no articles"
            self.notify("No articles could be loaded.", severity="error", timeout=10)
            self.query_one(ProgressBar).display = False
        else:
            self.sub_title = f"{message.count:,} articles · analysing…"

    def on_analysis_progressed(self, message: AnalysisProgressed) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_batch_analysed(self, message: BatchAnalysed) -> None:
        self.parts.append(message.part)
        self.generation += 1
        self.refresh_view()

    def on_analysis_finished(self, message: AnalysisFinished) -> None:
        # The corpus is now long-lived: move it out of the collector's sight so full garbage
        # collections (which would otherwise walk it) stop adding pauses to keystrokes.
        gc.freeze()
        self.preload()
        self.loading = False
        self.query_one(ProgressBar).display = False
        for problem in message.problems:
            self.log_lines.append(f"warning: {problem}")
            self.notify(problem, severity="warning")
        total = sum(p.articles.height for p in self.parts)
        self.sub_title = f"{total:,} articles"
        if self._refresh_pending:
            self._refresh_pending = False
            self.action_refresh()

    @work(thread=True, group="preload")
    def preload(self) -> None:
        """Build lookup tables the first keystrokes may need, after the first paint rather than before it."""
        preload_country_names()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.loading = False
        self.log_lines.append(f"error: {message.error}")
        self.notify(message.error, title="Loading failed", severity="error", timeout=15)

    # -- filtering (worker) ---------------------------------------------------------------------

    def current_analysis(self) -> Analysis:
        return merge_analyses(self.parts, self.articles_frame)

    def refresh_view(self) -> None:
        """Recompute every pane for the current filter text, off the UI thread."""
        if not self.parts:
            return
        stale = self.corpus is None or self._corpus_generation != self.generation
        analysis = self.current_analysis() if stale else None
        query = self.query_one(FilterBar).input.value
        self.compute_view(self.corpus, analysis, self.generation, query, self.sort, self.hidden_articles())

    @work(thread=True, exclusive=True, group="view")
    def compute_view(
        self,
        corpus: Corpus | None,
        analysis: Analysis | None,
        generation: int,
        query: str,
        sort: SortOrder,
        hide: pl.Series | None,
    ) -> None:
        """Build the filter index when the data changed, then every pane's frame for `query`."""
        worker = get_current_worker()
        if analysis is not None:
            corpus = Corpus(analysis)
        assert corpus is not None
        try:
            view = corpus.view(query, sort, hide)
        except QueryError as error:
            if not worker.is_cancelled:
                self.post_message(QueryRejected(query, error.message, error.position))
            if analysis is not None and not worker.is_cancelled:
                # Keep the fresh index even though this query was bad.
                self.post_message(ViewComputed(corpus.view("", sort, hide), corpus, generation))
            return
        if not worker.is_cancelled:
            self.post_message(ViewComputed(view, corpus, generation))

    def on_view_computed(self, message: ViewComputed) -> None:
        self.corpus = message.corpus
        self._corpus_generation = message.generation
        self.view = view = message.view
        self.query_one(FilterBar).show_error(None)
        table = self.query_one(ArticleTable)
        table.show_counts(view.shown, view.total, view.sort, self.unread_only)
        table.set_frame(view.articles)
        self.query_one(KeywordTable).set_corpus_keywords(view.keywords)
        self.query_one(EntityTable).set_counts(view.entities)
        self.query_one(PairTable).set_pairs(view.pairs)
        self.query_one(Timeline).set_counts(view.timeline)

    def on_query_rejected(self, message: QueryRejected) -> None:
        self.query_one(FilterBar).show_error(message.message, message.position)

    @on(Input.Changed, "#filter-input")
    def filter_changed(self) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#filter-input")
    def filter_submitted(self) -> None:
        self.query_one(ArticleTable).focus()

    def on_filter_term_requested(self, message: FilterTermRequested) -> None:
        self.query_one(FilterBar).add_term(message.term)

    # -- actions --------------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).input.focus()

    def action_clear_filter(self) -> None:
        """Esc: in the filter box, clear it and return to the articles; elsewhere, clear the filter."""
        filter_input = self.query_one(FilterBar).input
        if filter_input.value:
            filter_input.value = ""
        self.query_one(ArticleTable).focus()

    def action_toggle_sort(self) -> None:
        self.sort = "relevance" if self.sort == "date" else "date"
        self.refresh_view()

    def action_toggle_pane(self, pane: str) -> None:
        setting = f"show_{pane}"
        setattr(self.config, setting, not getattr(self.config, setting))
        self._apply_layout()
        self.save_config()

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
        self.push_screen(LogScreen(self.log_lines))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from dashboard_commands(self)
