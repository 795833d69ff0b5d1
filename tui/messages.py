"""Messages that workers post to the dashboard: small dataclasses named for what happened.

Workers run core functions off the UI thread and report through these; only the dashboard's message
handlers touch widgets. Panes post their own messages, nested in their classes
(`KeywordTable.FilterRequested`, …); the ones they share a shape through are defined here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from core.analysis.frames import Analysis
from core.corpus.session import Reload
from core.corpus.view import ArticleDetails, Corpus, CorpusView
from core.ingest.report import LoadReport
from core.ingest.source_loads import SourceLoaded


@dataclass
class ArticlesLoaded(Message):
    """Ingest finished: how many articles, and the load report (bad files become notifications)."""

    count: int
    report: LoadReport


@dataclass
class SourceArrived(Message):
    """One source loaded on its own (local files first, then each feed when it arrives or fails)."""

    loaded: SourceLoaded


@dataclass
class AnalysisProgressed(Message):
    """Another batch of articles was analysed."""

    done: int
    total: int


@dataclass
class BatchAnalysed(Message):
    """A part of the corpus is analysed (cached results first, then each computed batch)."""

    part: Analysis


@dataclass
class AnalysisFinished(Message):
    """Every article is analysed; `problems` are cache repairs worth telling the user about."""

    problems: list[str]


@dataclass
class LoadFailed(Message):
    """Loading or analysis raised: the message says what, the app stays usable."""

    error: str


@dataclass
class ViewComputed(Message):
    """A filter (or new data) produced a fresh view of the corpus for every pane."""

    view: CorpusView
    corpus: Corpus
    generation: int


@dataclass
class QueryRejected(Message):
    """The filter text does not parse: show why, keep the last good view."""

    query: str
    message: str
    position: int


@dataclass
class ExportWritten(Message):
    """Export finished: the files written."""

    paths: list[str]


@dataclass
class FilterTermRequested(Message):
    """A pane asks for a term (`keyword:"x"`, `country:IQ`, `pair:IQ-US`) to be added to the filter.

    The base of each pane's own `FilterRequested`; handlers name the pane's class.
    """

    term: str


@dataclass
class SourcesReloaded(Message):
    """A refresh read the sources again: every article now, what is new or changed, what went."""

    change: Reload


@dataclass
class ArticleLoaded(Message):
    """An article's text, keywords and mentions were looked up; `highlight` marks a sentence."""

    details: ArticleDetails
    highlight: tuple[int, int] | None


@dataclass
class PairEvidenceLoaded(Message):
    """A country pair's summary row with its evidence, and the headlines of the evidence articles."""

    pair: dict[str, Any]
    titles: dict[str, str]
