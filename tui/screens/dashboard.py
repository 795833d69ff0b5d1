"""The dashboard: panes over one analysed corpus, all narrowed live by one filter.

Workers call the session (load, analyse, filter, look up, export) off the UI thread and post
messages; only the handlers here touch widgets. A newer keystroke cancels the previous filter
computation. Panes say what the user asked for with their own messages (`KeywordTable.FilterRequested`,
`PairTable.EvidenceRequested`, …), handled here with `@on`.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar
from textual.worker import Worker, get_current_worker

from core.corpus.export import Format
from core.corpus.query import QueryError
from core.corpus.session import CorpusSession
from core.corpus.view import Corpus, CorpusView, SortOrder, ViewStopped
from core.countries.names import preload_country_names
from core.ingest.background import call_on_daemon_thread
from core.ingest.source_loads import SourceLoaded
from core.readstate import ReadState
from core.wording import plural
from tui.components.article_table import ArticleTable
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.components.keyword_table import KeywordTable
from tui.components.pair_table import PairTable
from tui.components.timeline import Timeline
from tui.dashboard_config import DashboardConfig
from tui.messages import (
    AnalysisFinished,
    AnalysisProgressed,
    ArticleLoaded,
    ArticlesLoaded,
    BatchAnalysed,
    ExportWritten,
    LoadFailed,
    PairEvidenceLoaded,
    QueryRejected,
    SourceArrived,
    SourcesReloaded,
    ViewComputed,
)
from tui.refresh import FilesChanged, LiveRefresh
from tui.screens.evidence import EvidenceScreen
from tui.screens.export import ExportScreen
from tui.screens.log import LogScreen

# Seconds a preview (the cursor passing over an article) waits before reading it: a dataset's
# article is read from disk, and the next keystroke of the filter cancels a preview still waiting.
PREVIEW_DELAY = 0.15


class DashboardScreen(Screen[None]):
    """Articles, article text, keywords, entities and country relations of the session's corpus."""

    def __init__(
        self,
        session: CorpusSession,
        *,
        config: DashboardConfig,
        save_config: Callable[[], None],
        read_state: ReadState,
        sources: Sequence[str | Path] = (),
        watch_folders: Sequence[Path] = (),
        refresh_minutes: float = 0,
    ) -> None:
        """`sources` decide whether feeds are refreshed on a timer; `save_config` persists `config`."""
        super().__init__()
        self.session = session
        self.config = config
        self.save_config = save_config
        self.read_state = read_state
        self.live = LiveRefresh(
            self,
            self.request_refresh,
            sources=sources,
            watch_folders=watch_folders,
            refresh_minutes=refresh_minutes,
        )
        self.corpus: Corpus | None = None  # the corpus the panes show (see ViewComputed)
        self.view: CorpusView | None = None
        self.sort: SortOrder = "date"
        self.log_lines: list[str] = []
        # Not `loading`: on a widget that reactive covers it with a spinner.
        self.reading_sources = True
        self.current_article: str | None = None
        self._preview: Worker[None] | None = None  # the last preview's worker (see cancel_preview)
        self.unread_only = False
        self._shown_generation = -1
        self.started = False
        self._refresh_pending = False
        self._sources_pending = 0  # feeds of the first load still on their way
        self._analyses_running = 0  # arrived sources being analysed
        self._part_added = threading.Event()  # set when on_batch_analysed has added a part

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

    def set_pane_status(self, text: str | None) -> None:
        """What every list says while it has nothing to show for another reason than the filter."""
        for table in self.query(FrameTable):
            if table.status_text != text:  # on every view, so no repaint when nothing changes
                table.status_text = text
                table.refresh()

    def on_mount(self) -> None:
        """Lay out the panes, then load and analyse the sources and keep them current."""
        self.set_pane_status("loading…")
        self.apply_layout()
        self.query_one(ArticleTable).focus()
        self.app.sub_title = "loading…"
        self.load_sources(first=True)
        self.live.start()
        # The screen mounts after the app reports ready: tests wait for this before waiting on workers.
        self.started = True

    def on_unmount(self) -> None:
        self.live.close()

    def apply_layout(self) -> None:
        """Show or hide the side panes and the timeline as the settings say."""
        self.query_one(KeywordTable).display = self.config.show_keywords
        self.query_one("#relations").display = self.config.show_relations
        self.query_one("#side").display = self.config.show_keywords or self.config.show_relations
        self.query_one(Timeline).display = self.config.show_timeline

    # -- loading and reloading (one worker for both) --------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_sources(self, first: bool) -> None:
        """Read the sources (all of them, or again for a refresh) and analyse what is new, posting
        each analysed part as it completes. A refresh analyses only new or changed articles."""
        try:
            if first and self.session.separate_loader is not None:
                # Local files now, on this worker; each feed later, from its own daemon thread:
                # this worker ends at once, so quitting never waits for the network.
                def arrived(loaded: SourceLoaded) -> None:
                    self.post_message(SourceArrived(loaded))

                self.session.separate_loader(arrived)
                return
            if first:
                loaded = self.session.load()
                self.post_message(ArticlesLoaded(loaded.articles.height, loaded.report))
                articles = loaded.articles
            else:
                # On a daemon thread: this worker is joined when the app closes, and a refresh
                # stalled on a slow feed must not hold `q` until its deadline.
                worker = get_current_worker()
                change = call_on_daemon_thread(self.session.reload, lambda: worker.is_cancelled)
                if change is None:
                    return
                self.post_message(SourcesReloaded(change))
                articles = change.added
            self._analyse_and_post(articles)
        except Exception as error:  # reported in the UI: a dashboard must not die on one bad corpus
            prefix = "" if first else "refresh failed: "
            self.post_message(LoadFailed(f"{prefix}{type(error).__name__}: {error}"))

    def on_articles_loaded(self, message: ArticlesLoaded) -> None:
        for issue in message.report.issues:
            self.log_lines.append(str(issue))
        errors = len(message.report.errors)
        if message.report.issues:
            self.notify(
                f"{plural(len(message.report.issues), 'load problem')} ({plural(errors, 'error')}); "
                "press l for the log",
                severity="warning" if errors else "information",
            )
        if not message.count:
            self.reading_sources = False
            self.set_pane_status("nothing loaded")
            self.app.sub_title = "no articles"
            self.notify("No articles could be loaded.", severity="error", timeout=10)
            self.query_one(ProgressBar).display = False
        else:
            self.app.sub_title = f"{message.count:,} articles · analysing…"

    def on_source_arrived(self, message: SourceArrived) -> None:
        """One more source: its report to the log, its new articles to analysis."""
        loaded = message.loaded
        self._sources_pending = loaded.remaining
        articles = self.session.extend(loaded.result)
        report = loaded.result.report
        self.log_lines.extend(str(issue) for issue in report.issues)
        if report.issues:
            errors = len(report.errors)
            self.notify(
                f"{loaded.source}: {plural(len(report.issues), 'load problem')} "
                f"({plural(errors, 'error')}); press l for the log",
                severity="warning" if errors else "information",
            )
        if articles.height:
            self._analyses_running += 1
            self.analyse_articles(articles)
        self._show_loading_state()

    def _show_loading_state(self) -> None:
        held = self.session.articles.height if self.session.articles is not None else 0
        waiting = f" · {plural(self._sources_pending, 'feed')} loading" if self._sources_pending else ""
        if self._analyses_running or self._sources_pending:
            self.app.sub_title = f"{held:,} articles · analysing…{waiting}"
            return
        if not held:  # every source is done and none gave an article
            self.reading_sources = False
            self.set_pane_status("nothing loaded")
            self.app.sub_title = "no articles"
            self.notify("No articles could be loaded.", severity="error", timeout=10)
            self.query_one(ProgressBar).display = False

    @work(thread=True, group="analyse")
    def analyse_articles(self, articles: pl.DataFrame) -> None:
        """Analyse one arrived source's articles, posting each part as it completes."""
        try:
            self._analyse_and_post(articles)
        except Exception as error:  # reported in the UI: a dashboard must not die on one bad source
            self.post_message(LoadFailed(f"{type(error).__name__}: {error}"))

    def _analyse_and_post(self, articles: pl.DataFrame) -> None:
        """The one analyse → post loop, run on a worker thread: each part as it completes, then the end."""

        def progress(done: int, total: int) -> None:
            self.post_message(AnalysisProgressed(done, total))

        problems: list[str] = []
        # A dataset's session reads the rest of the dataset once the first part is shown (see
        # _await_first_corpus); other sessions analyse on without waiting.
        wait_first = self.session.paint_first_part_first
        for part in self.session.analyse(articles, progress):
            if get_current_worker().is_cancelled:
                return
            problems.extend(part.problems)
            self._part_added.clear()
            self.post_message(BatchAnalysed(part))
            if wait_first:
                wait_first = False
                if not self._await_first_corpus():
                    return
        self.post_message(AnalysisFinished(problems))

    def _await_first_corpus(self) -> bool:
        """Wait (on the load worker) until the part just posted is added, then build its corpus here
        before the session reads on: on two cores, reading the rest of a million-article dataset
        beside the first corpus build doubled the first paint. The view's worker finds the corpus
        built (or waits for this build rather than making its own). False when cancelled."""
        worker = get_current_worker()
        while not self._part_added.wait(0.05):
            if worker.is_cancelled:
                return False
        self.session.corpus()
        return not worker.is_cancelled

    def on_sources_reloaded(self, message: SourcesReloaded) -> None:
        change = message.change
        self.session.apply(change)
        new_issues = [str(issue) for issue in change.report.issues if str(issue) not in self.log_lines]
        self.log_lines.extend(new_issues)
        added = change.added.height
        if added:
            self.notify(plural(added, "new article"), title="Refreshed")
        elif not change.removed.len():
            self.notify("nothing new in the sources", title="Refreshed")
        if new_issues:
            self.notify(
                f"{plural(len(new_issues), 'new load problem')}; press l for the log", severity="warning"
            )
        self.refresh_view()

    def on_analysis_progressed(self, message: AnalysisProgressed) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_batch_analysed(self, message: BatchAnalysed) -> None:
        self.session.add(message.part)
        self._part_added.set()
        self.refresh_view()

    def on_analysis_finished(self, message: AnalysisFinished) -> None:
        self._analyses_running = max(0, self._analyses_running - 1)
        if self._analyses_running or self._sources_pending:  # more sources on their way
            for problem in message.problems:
                self.log_lines.append(f"warning: {problem}")
                self.notify(problem, severity="warning")
            self._show_loading_state()
            return
        # The corpus is now long-lived: move it out of the collector's sight so full garbage
        # collections (which would otherwise walk it) stop adding pauses to keystrokes.
        gc.freeze()
        self.preload()
        self.reading_sources = False
        self.query_one(ProgressBar).display = False
        for problem in message.problems:
            self.log_lines.append(f"warning: {problem}")
            self.notify(problem, severity="warning")
        self.app.sub_title = f"{self.session.analysed_articles:,} articles"
        if self._refresh_pending:
            self._refresh_pending = False
            self.request_refresh()

    @work(thread=True, group="preload")
    def preload(self) -> None:
        """Build lookup tables the first keystrokes may need, after the first paint rather than before it."""
        preload_country_names()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.reading_sources = False
        if self.corpus is None:
            self.set_pane_status("nothing loaded")
        self.log_lines.append(f"error: {message.error}")
        self.notify(message.error, title="Loading failed", severity="error", timeout=15)

    # -- live updates ---------------------------------------------------------------------------

    def request_refresh(self) -> None:
        """Read every source again now, or as soon as the running load or reload finishes."""
        if self.session.articles is None or self.reading_sources:
            self._refresh_pending = True
            return
        self.notify("reading the sources again…", title="Refresh", timeout=3)
        self.reading_sources = True
        self.load_sources(first=False)

    def on_files_changed(self, message: FilesChanged) -> None:
        self.log_lines.append(f"info: {len(message.paths)} changed file(s) in watched folders")
        self.request_refresh()

    # -- filtering (worker) ---------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Recompute every pane for the current filter text, off the UI thread."""
        if not self.session.parts:
            return
        query = self.query_one(FilterBar).input.value
        keywords_now = self.query_one(KeywordTable).shows_corpus
        self.compute_view(query, self.sort, self.hidden_articles(), keywords_now)

    @work(thread=True, exclusive=True, group="view")
    def compute_view(self, query: str, sort: SortOrder, hide: pl.Series | None, keywords_now: bool) -> None:
        """Every pane's frame for `query`; the session rebuilds its filter index first if data changed.
        The corpus keywords are made here only when the Keywords pane shows them (else on demand)."""
        worker = get_current_worker()
        corpus, generation = self.session.corpus()
        try:
            view = corpus.view(query, sort, hide, stop=lambda: worker.is_cancelled, keywords_now=keywords_now)
        except ViewStopped:
            return  # a newer keystroke's view is on its way
        except QueryError as error:
            if not worker.is_cancelled:
                self.post_message(QueryRejected(query, error.message, error.position))
            if generation != self._shown_generation and not worker.is_cancelled:
                # New data arrived with a bad query: show it unfiltered rather than not at all.
                fallback = corpus.view("", sort, hide, keywords_now=keywords_now)
                self.post_message(ViewComputed(fallback, corpus, generation))
            return
        if not worker.is_cancelled:
            self.post_message(ViewComputed(view, corpus, generation))

    def on_view_computed(self, message: ViewComputed) -> None:
        self.set_pane_status(None)  # from now on an empty list means the filter keeps nothing
        self.corpus = message.corpus
        self._shown_generation = message.generation
        self.view = view = message.view
        self.query_one(FilterBar).show_error(None)
        table = self.query_one(ArticleTable)
        table.show_counts(view.shown, view.total, view.sort, self.unread_only)
        table.set_frame(view.articles)
        self.query_one(KeywordTable).set_corpus_keywords(view.keywords_of)
        self.query_one(EntityTable).set_counts(view.entities)
        self.query_one(PairTable).set_pairs(view.pairs)
        self.query_one(Timeline).set_counts(view.timeline, view.total)

    def on_query_rejected(self, message: QueryRejected) -> None:
        self.query_one(FilterBar).show_error(message.message, message.position)

    @on(Input.Changed, "#filter-input")
    def filter_changed(self) -> None:
        self.cancel_preview()
        self.refresh_view()

    def cancel_preview(self) -> None:
        """Drop a preview still on its way: the filter is about to move the top row, and reading
        the article would take the CPU from the panes (the new top row's preview follows them)."""
        preview, self._preview = self._preview, None
        if preview is not None and not preview.is_finished:
            preview.cancel()
            self.current_article = None  # so that the new top row is previewed even if it is this one

    @on(Input.Submitted, "#filter-input")
    def filter_submitted(self) -> None:
        self.query_one(ArticleTable).focus()

    @on(KeywordTable.FilterRequested)
    @on(EntityTable.FilterRequested)
    @on(PairTable.FilterRequested)
    def add_filter_term(self, message: KeywordTable.FilterRequested) -> None:
        self.query_one(FilterBar).add_term(message.term)

    # -- drilling down --------------------------------------------------------------------------

    @on(KeywordTable.CorpusKeywordsWanted)
    def make_corpus_keywords(self) -> None:
        """The Keywords pane turned to the filtered set: the view again, its keywords made this time."""
        self.refresh_view()

    @on(ArticleTable.ArticleHighlighted)
    def article_highlighted(self, message: ArticleTable.ArticleHighlighted) -> None:
        # A preview: the cursor passing over an article (or a filter's new top row) is not reading it.
        if message.article_id is None:
            self.current_article = None
        elif message.article_id != self.current_article:
            self.show_article(message.article_id, opened=False)

    @on(ArticleTable.ArticleOpened)
    def article_opened(self, message: ArticleTable.ArticleOpened) -> None:
        if message.article_id is not None:
            self.mark_read(message.article_id)  # read means opened (Enter or a click)
        self.query_one("#article-scroll").focus()

    def show_article(self, article_id: str, sentence: int | None = None, *, opened: bool = True) -> None:
        """Fill the article and keyword panes for one article (looked up off the UI thread);
        `sentence`: an evidence sentence's index, to mark and scroll to; `opened`: the user opened
        it (marked read), rather than the cursor passing over it."""
        if self.corpus is None:
            return
        self.current_article = article_id
        if opened:
            self.mark_read(article_id)
        worker = self.load_article(self.corpus, article_id, sentence, 0.0 if opened else PREVIEW_DELAY)
        self._preview = None if opened else worker

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, corpus: Corpus, article_id: str, sentence: int | None, delay: float = 0.0) -> None:
        """The article's details; a preview waits `delay` first, so that while the filter is being
        typed (each keystroke moving the top article) the reads do not compete with the panes."""
        worker = get_current_worker()
        if delay:
            time.sleep(delay)
            if worker.is_cancelled:
                return
        details = corpus.article(article_id)
        span = corpus.sentence_span(article_id, sentence) if sentence is not None else None
        if details is not None and not worker.is_cancelled:
            self.post_message(ArticleLoaded(details, span))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        details = message.details
        if details.article["id"] != self.current_article:
            return  # the cursor moved on meanwhile
        self.query_one(ArticleView).show(
            details.article["title"],
            details.document,
            details.meta,
            details.keywords.get_column("phrase").head(10).to_list(),
            details.mentions,
            message.highlight,
        )
        self.query_one(KeywordTable).set_article_keywords(details.keywords)

    @on(PairTable.EvidenceRequested)
    def pair_evidence_requested(self, message: PairTable.EvidenceRequested) -> None:
        if self.corpus is not None and self.view is not None:
            self.load_pair_evidence(self.corpus, message.code_a, message.code_b, self.view.subset)

    @work(thread=True, exclusive=True, group="evidence")
    def load_pair_evidence(self, corpus: Corpus, code_a: str, code_b: str, subset: pl.Series | None) -> None:
        """The pair's evidence sentences (computed only when a pair is opened) and their headlines."""
        details = corpus.pair_details(code_a, code_b, subset)
        if details.is_empty():
            return
        row = details.row(0, named=True)
        titles = corpus.titles(list({e["article_id"] for e in row["evidence"]}))
        self.post_message(PairEvidenceLoaded(row, titles))

    def on_pair_evidence_loaded(self, message: PairEvidenceLoaded) -> None:
        self.app.push_screen(EvidenceScreen(message.pair, message.titles), self._evidence_chosen)

    def _evidence_chosen(self, row: dict[str, Any] | None) -> None:
        if row is None or self.corpus is None:
            return
        table = self.query_one(ArticleTable)
        if self.view is not None and self.view.articles.position_of("id", row["article_id"]) is None:
            self.notify("That article is outside the current filter; showing it anyway.")
        else:
            table.set_frame(table.rows, keep_key=row["article_id"])
        self.show_article(row["article_id"], sentence=row["sentence"])
        self.query_one("#article-scroll").focus()

    # -- read state -----------------------------------------------------------------------------

    def mark_read(self, article_id: str) -> None:
        if self.read_state.mark([article_id]):
            self.query_one("#articles").refresh()

    def hidden_articles(self) -> pl.Series | None:
        if not self.unread_only:
            return None
        # Keep the open article visible even though opening it marked it read.
        read = self.read_state.ids - {self.current_article}
        return pl.Series(sorted(read), dtype=pl.String)

    # -- exporting ------------------------------------------------------------------------------

    def action_export(self, fmt: Format) -> None:
        """NAME-articles, NAME-keywords and NAME-relations of the filtered set in CSV, JSON or Parquet."""
        default = f"newsdesk-{date.today().isoformat()}"
        self.app.push_screen(ExportScreen(fmt, default), lambda name: self._export_named(name, fmt))

    def _export_named(self, name: str | None, fmt: Format) -> None:
        if name and self.view is not None:
            self.export_view(self.view, Path(name), fmt)

    @work(thread=True, group="export")
    def export_view(self, view: CorpusView, base: Path, fmt: Format) -> None:
        try:
            written = self.session.export(view, base, fmt)
            # Absolute: a bare name lands in whatever folder newsdesk was started from.
            self.post_message(ExportWritten([str(path.absolute()) for path in written]))
        except (OSError, ValueError) as error:
            self.post_message(LoadFailed(f"export failed: {error}"))

    def on_export_written(self, message: ExportWritten) -> None:
        self.notify("Exported " + ", ".join(message.paths), timeout=8)

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

    def action_toggle_unread(self) -> None:
        """Show only unread articles (and everything else computed over them), or all again."""
        self.unread_only = not self.unread_only
        self.refresh_view()

    def action_toggle_pane(self, pane: str) -> None:
        setting = f"show_{pane}"
        setattr(self.config, setting, not getattr(self.config, setting))
        self.apply_layout()
        self.save_config()
        if pane == "keywords":  # shown again on the filtered set: its keywords may not be made
            self.query_one(KeywordTable).show_scope()

    def action_keyword_scope(self) -> None:
        """`t` anywhere: the keyword pane switches between this article and the filtered set."""
        keywords = self.query_one(KeywordTable)
        if not keywords.display:
            self.notify("the Keywords pane is hidden: F2 shows it", timeout=4)
            return
        keywords.action_toggle_scope()

    def action_entity_kind(self) -> None:
        """`c` anywhere: the entity pane cycles the kind of entity it lists."""
        if not self.query_one("#relations").display:
            self.notify("the Entities pane is hidden: F3 shows it", timeout=4)
            return
        self.query_one(EntityTable).action_cycle_kind()

    def action_show_log(self) -> None:
        self.app.push_screen(LogScreen(self.log_lines))

    def action_refresh(self) -> None:
        """Read every source again; only new or changed articles are analysed (the cache has the rest)."""
        self.request_refresh()

    def focused_list(self) -> FrameTable:
        """The focused list, or the articles list when focus is elsewhere."""
        focused = self.focused
        return focused if isinstance(focused, FrameTable) else self.query_one(ArticleTable)
