"""One run's corpus, without any UI: load, analyse in parts, reload, look up, export.

`CorpusSession` owns the analysed parts, a generation counter that moves whenever they change, and
the `Corpus` built from them (rebuilt only when the generation moved). The dashboard and the command
line both drive it: `load()` (or `reload()`), then `analyse(...)` and `add(part)` for each part.

Threads: the dashboard calls `load`, `reload`, `analyse`, `corpus`, `article` and `export` from
worker threads, and `add` and `apply` from its UI thread; a lock keeps the parts, the generation
and the built corpus consistent between them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.analysis.parallel import WorkerPool
from core.analysis.run import ProgressCallback, drop_articles, iter_analysis, merge_analyses
from core.corpus.export import Format, article_records, write_outputs
from core.corpus.view import ArticleDetails, Corpus, CorpusView
from core.ingest.report import LoadReport, LoadResult
from core.ingest.source_loads import SourceLoaded
from core.keywords.batch import DEFAULT_KEYWORD_ENGINE

# An article is the same article only if both its id and its content are: a changed file keeps its id.
_IDENTITY = ["id", "content_hash"]


@dataclass(frozen=True)
class Reload:
    """What reading the sources again found, compared with the articles the session holds."""

    articles: pl.DataFrame  # every article now, in load order
    added: pl.DataFrame  # new or changed articles: the ones to analyse
    removed: pl.Series  # ids of articles that vanished or changed: their analysis is dropped
    report: LoadReport


class CorpusSession:
    """The articles of one run, their analysis (in parts as they finish) and the filterable Corpus."""

    # Whether a dashboard should build the first part's corpus before asking `analyse` for the
    # next part (a dataset's session: see DatasetSession); here parts are analysed on at once.
    paint_first_part_first = False

    def __init__(
        self,
        loader: Callable[[], LoadResult],
        *,
        cache: ResultCache | None = None,
        workers: int | None = None,
        engine: str = DEFAULT_KEYWORD_ENGINE,
        help_here: bool = False,
    ) -> None:
        """`loader` reads every source (e.g. `lambda: load_articles(paths)`); `help_here`: this
        process analyses batches too (the command line), not an app that must stay responsive."""
        self.loader = loader
        # Loads each source on its own, calling back as each is done (see core.ingest.source_loads);
        # None: the first load uses `loader` like every reload.
        self.separate_loader: Callable[[Callable[[SourceLoaded], None]], int] | None = None
        self.cache = cache
        self.workers = workers
        self.engine = engine
        self.help_here = help_here
        # Worker processes started ahead of the work (core.analysis.run.analysis_workers); the
        # caller owns them. None: each analysis starts its own.
        self.pool: WorkerPool | None = None
        self.articles: pl.DataFrame | None = None
        self.parts: list[Analysis] = []
        # Bumped whenever the analysed articles change; the Corpus is rebuilt when it moves.
        self.generation = 0
        self._corpus: tuple[Corpus, int] | None = None
        self._lock = threading.Lock()  # parts, generation, articles, the built corpus
        self._build_lock = threading.Lock()  # one Corpus build at a time

    # -- loading ------------------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Read every source; its articles become the session's (analyse them with `analyse`)."""
        loaded = self.loader()
        self.articles = loaded.articles
        return loaded

    def extend(self, loaded: LoadResult) -> pl.DataFrame:
        """Add the articles of one more source (see core.ingest.source_loads) to the session's;
        returns those not held yet, to analyse. Sources that arrive separately were already
        de-duplicated against each other; an id seen before is skipped here all the same."""
        with self._lock:
            held = self.articles
            new = (
                loaded.articles
                if held is None
                else loaded.articles.join(held.select("id"), on="id", how="anti", maintain_order="left")
            )
            self.articles = new if held is None else pl.concat([held, new], how="vertical")
        return new

    def reload(self) -> Reload:
        """Read every source again and compare with the articles held; `apply` the result to adopt it."""
        loaded = self.loader()
        previous = self.articles if self.articles is not None else loaded.articles.clear()
        added = loaded.articles.join(previous.select(_IDENTITY), on=_IDENTITY, how="anti")
        removed = previous.join(loaded.articles.select(_IDENTITY), on=_IDENTITY, how="anti").get_column("id")
        return Reload(loaded.articles, added, removed, loaded.report)

    def apply(self, change: Reload) -> None:
        """Adopt a reload's articles and drop the analysis of those that vanished or changed."""
        with self._lock:
            self.articles = change.articles
            if change.removed.len():
                self.parts = [drop_articles(part, change.removed) for part in self.parts]
                self.generation += 1

    # -- analysis -----------------------------------------------------------------------------------

    def analyse(self, articles: pl.DataFrame, progress: ProgressCallback | None = None) -> Iterator[Analysis]:
        """Analyse `articles` in parts (cached results first, then each computed batch); pass each
        part to `add` (at once, or after showing it). Computed rows go to the cache as they arrive."""
        return iter_analysis(
            articles,
            cache=self.cache,
            workers=self.workers,
            progress=progress,
            engine=self.engine,
            help_here=self.help_here,
            pool=self.pool,
        )

    def add(self, part: Analysis) -> None:
        """Include an analysed part in the corpus."""
        with self._lock:
            self.parts.append(part)
            self.generation += 1

    def analyse_all(self, progress: ProgressCallback | None = None) -> Analysis:
        """Analyse every loaded article and return the whole analysis, rows in load order."""
        if self.articles is None:
            raise RuntimeError("nothing loaded: call load() first")
        for part in self.analyse(self.articles, progress):
            self.add(part)
        return self.analysis()

    @property
    def analysed_articles(self) -> int:
        """How many articles the added parts cover."""
        return sum(part.articles.height for part in self.parts)

    def analysis(self) -> Analysis:
        """Every added part as one Analysis, rows in the order the sources were read."""
        with self._lock:
            parts = list(self.parts)
        return merge_analyses(parts, self.articles)

    def corpus(self) -> tuple[Corpus, int]:
        """The filterable Corpus of every added part and the generation it was built at.

        Built (about 0.1 s per 10k articles) only when parts changed since the last call; call it
        off a UI thread. Concurrent callers wait for one build rather than each doing it, while
        `add` and `apply` never wait for a build.
        """
        with self._build_lock:
            with self._lock:
                if self._corpus is not None and self._corpus[1] == self.generation:
                    return self._corpus
                generation, parts, articles = self.generation, list(self.parts), self.articles
            built = (self._build_corpus(merge_analyses(parts, articles)), generation)
            with self._lock:
                self._corpus = built
            return built

    def _build_corpus(self, analysis: Analysis) -> Corpus:
        """The filterable Corpus of the merged parts (a dataset's session builds its own kind)."""
        return Corpus(analysis)

    # -- looking up and exporting ---------------------------------------------------------------

    def article(self, article_id: str) -> ArticleDetails | None:
        """One article with its keywords and mentions (see Corpus.article)."""
        return self.corpus()[0].article(article_id)

    def export(self, view: CorpusView, base: Path, fmt: Format) -> list[Path]:
        """Write a view's articles, corpus keywords and relations (with evidence) as BASE-articles.FMT,
        BASE-keywords.FMT and BASE-relations.FMT; returns the paths written."""
        corpus = self.corpus()[0]
        outputs = {
            "articles": article_records(corpus.analysis, top=10, article_ids=view.articles.column("id")),
            "keywords": view.keywords,
            "relations": corpus.relations(view.subset),
        }
        return write_outputs(outputs, base, fmt)
