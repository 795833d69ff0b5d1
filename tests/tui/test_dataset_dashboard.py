"""`newsdesk DIR` on an analysed dataset: the filter over stored postings, texts read on open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.analysis.run import ProgressCallback, analyse_corpus
from core.corpus.view import Corpus
from core.dataset.build import write_analysis
from core.dataset.corpus import DatasetCorpus
from core.dataset.read import open_dataset
from core.dataset.session import DatasetSession
from core.ingest.load import load_articles
from tests.helpers import HOSTILE_TITLE, settle, shown_ids, type_filter
from tui.app import NewsdeskApp
from tui.components.article_view import ArticleView
from tui.components.entity_table import EntityTable
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.components.pair_table import PairTable
from tui.dashboard_config import DashboardConfig
from tui.screens import dashboard as dashboard_module
from tui.screens.evidence import EvidenceScreen


@pytest.fixture
def dataset(small_corpus: Path, tmp_path: Path) -> tuple[str, Corpus]:
    """The small corpus analysed and written as a dataset of two partitions; its in-memory Corpus."""
    articles = load_articles([small_corpus]).articles
    analysis = analyse_corpus(articles, cache=ResultCache(tmp_path / "cache"), workers=1)
    root = str(tmp_path / "dataset")
    write_analysis(root, analysis, articles_per_partition=3)
    return root, Corpus(analysis)


def dataset_app(root: str) -> NewsdeskApp:
    return NewsdeskApp([root], config=DashboardConfig(), session=DatasetSession(root, first_part_articles=1))


async def test_dashboard_opens_a_dataset_and_filters_it(dataset: tuple[str, Corpus]) -> None:
    root, memory = dataset
    app = dataset_app(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#articles", FrameTable)
        assert table.border_title == "Articles 5/5"
        assert isinstance(app.dashboard.corpus, DatasetCorpus)
        assert shown_ids(app) == memory.view("").articles.column("id").to_list()
        assert app.query_one(EntityTable).row_count > 5 and app.query_one(PairTable).row_count > 3
        # The first part is shown first; a cursor nobody moved stays at the top as the rest
        # arrives, on the newest article: previewed there, its text is read from the dataset and
        # shown literally, through a message and a worker of their own.
        assert table.cursor == 0
        view = app.query_one(ArticleView)
        for _ in range(20):
            if view.document.startswith(HOSTILE_TITLE[:10]):
                break
            await settle(app, pilot)
        assert view.document.startswith(HOSTILE_TITLE[:10])
        for query in ("ukraine", '"energy deal"', "country:IQ -russia", "kyi"):
            await type_filter(app, pilot, query)
            assert shown_ids(app) == memory.view(query).articles.column("id").to_list(), query


async def test_opening_a_pair_reads_its_evidence(dataset: tuple[str, Corpus]) -> None:
    root, _ = dataset
    app = dataset_app(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "pair:IQ-US")
        pairs = app.query_one(PairTable)
        pairs.focus()
        while pairs.current_row()["code_a"] != "IQ" or pairs.current_row()["code_b"] != "US":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EvidenceScreen)
        evidence = app.screen.query_one(FrameTable)
        assert evidence.row_count >= 5 and all(evidence.frame.get_column("text").str.len_chars() > 0)


def test_the_command_line_opens_a_dataset_as_one(dataset: tuple[str, Corpus]) -> None:
    from tui.cli.main import _parsers, dashboard_app

    root, _ = dataset
    app = dashboard_app(_parsers()[""].parse_args([root]))
    assert isinstance(app.session, DatasetSession) and app.session.root == root


async def test_r_shows_what_a_later_run_appended(small_corpus: Path, tmp_path: Path) -> None:
    from core.dataset.write import ProcessPoolRunner, write_dataset

    # Day one holds the seed only; the other four articles arrive while the dashboard is open.
    later = tmp_path / "later.jsonl"
    (small_corpus / "more.jsonl").rename(later)
    root = str(tmp_path / "dataset")
    write_dataset([str(small_corpus)], root, ProcessPoolRunner(1))
    app = dataset_app(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#articles", FrameTable)
        assert table.border_title == "Articles 1/1"
        later.rename(small_corpus / "more.jsonl")
        write_dataset([str(small_corpus)], root, ProcessPoolRunner(1))
        await pilot.press("r")
        await settle(app, pilot)
        assert table.border_title == "Articles 5/5"
        assert "5 articles" in str(app.sub_title)
        await type_filter(app, pilot, "ukraine")
        reopened = Corpus(open_dataset(root).analysis())
        assert shown_ids(app) == reopened.view("ukraine").articles.column("id").to_list() != []


async def test_typing_cancels_a_preview_still_waiting_to_read(
    dataset: tuple[str, Corpus], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview pending when the filter changes would read an article the new view replaces,
    beside the panes' work: it is cancelled, and the new top row is previewed once shown."""
    root, memory = dataset
    monkeypatch.setattr(dashboard_module, "PREVIEW_DELAY", 2.0)  # still waiting when the key comes
    app = dataset_app(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.query_one("#articles", FrameTable).cursor == 0  # the top, as the rest arrived
        dashboard = app.dashboard
        oldest = memory.view("").articles.column("id")[-1]
        dashboard.show_article(oldest, opened=False)
        preview = dashboard._preview
        assert preview is not None and not preview.is_finished
        app.query_one(FilterBar).input.value = "ukraine"
        # The Changed handler, run now: the preview is cancelled at the key, before the view comes
        # (whose new top row's preview would otherwise replace it only after the panes' work).
        dashboard.filter_changed()
        assert preview.is_cancelled
        await settle(app, pilot)
        top = shown_ids(app)[0]
        assert top != oldest
        for _ in range(40):
            if dashboard.current_article == top:
                break
            await settle(app, pilot)
        assert dashboard.current_article == top


class _RecordingSession(DatasetSession):
    """A DatasetSession noting when each corpus is built and when `analyse` is asked for more."""

    def __init__(self, root: str) -> None:
        super().__init__(root, first_part_articles=2)
        self.events: list[tuple[str, int]] = []

    def analyse(self, articles: pl.DataFrame, progress: ProgressCallback | None = None) -> Iterator[Analysis]:
        for part in super().analyse(articles, progress):
            self.events.append(("yielded", part.articles.height))
            yield part
            self.events.append(("resumed", part.articles.height))

    def _build_corpus(self, analysis: Analysis) -> Corpus:
        self.events.append(("built", analysis.articles.height))
        return super()._build_corpus(analysis)


async def test_the_rest_is_read_after_the_first_part_is_built(dataset: tuple[str, Corpus]) -> None:
    root, memory = dataset
    session = _RecordingSession(root)
    app = NewsdeskApp([root], config=DashboardConfig(), session=session)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        total = memory.view("").total
        # The first part (2 of the 5 articles) was built into a corpus before the session was
        # asked for the rest; then the rest was read and all of it shown.
        assert session.events[:3] == [("yielded", 2), ("built", 2), ("resumed", 2)]
        assert ("built", total) in session.events and app.dashboard.view is not None
        assert app.dashboard.view.total == total
        assert shown_ids(app) == memory.view("").articles.column("id").to_list()
