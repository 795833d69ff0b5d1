"""A CorpusSession over an analysed dataset: nothing to analyse, the held frames read in two parts.

The dashboard drives it like any session (load, analyse, add, corpus): `load` opens the dataset and
reads the articles' ids, headlines, dates and sources; `analyse` reads the held frames of the first
partitions (about FIRST_PART_ARTICLES articles), so the panes fill at once, then of all the others
as one more part. Its corpus is a DatasetCorpus, whose filter searches the stored postings.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from core.analysis.frames import Analysis
from core.analysis.run import ProgressCallback
from core.corpus.session import CorpusSession, Reload
from core.corpus.view import Corpus
from core.dataset.corpus import DatasetCorpus
from core.dataset.read import HELD_ARTICLE_COLUMNS, ArticleFile, Dataset, open_dataset
from core.ingest.report import LoadReport, LoadResult

# Articles in the first part the dashboard shows; the rest follow as a second part.
FIRST_PART_ARTICLES = 50_000


class DatasetSession(CorpusSession):
    """The session of `newsdesk DIR` when DIR is a dataset (see core.dataset.manifest.is_dataset)."""

    def __init__(self, root: str, first_part_articles: int = FIRST_PART_ARTICLES) -> None:
        super().__init__(self._read_articles)
        self.root = root
        self.first_part_articles = first_part_articles
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = open_dataset(self.root)
        return self._dataset

    def _read_articles(self) -> LoadResult:
        dataset = self.dataset
        articles = dataset.scan("articles").select(HELD_ARTICLE_COLUMNS).collect()
        return LoadResult(articles, LoadReport(files_read=len(dataset.article_files)))

    def _groups(self) -> list[list[ArticleFile]]:
        """Partitions of the first part, then all the others (either may be empty)."""
        first: list[ArticleFile] = []
        files = self.dataset.article_files
        for file in files:
            if sum(f.rows for f in first) >= self.first_part_articles:
                break
            first.append(file)
        return [group for group in (first, files[len(first) :]) if group]

    def analyse(self, articles: pl.DataFrame, progress: ProgressCallback | None = None) -> Iterator[Analysis]:
        """The dataset's held frames in two parts; `articles` must be what `load` returned."""
        total = articles.height
        done = 0
        for group in self._groups():
            rows = sum(f.rows for f in group)
            frames = self.dataset.held_frames([f.partition for f in group])
            frames.articles = articles.slice(group[0].offset, rows)
            frames.cached = rows
            done += rows
            if progress is not None:
                progress(done, total)
            yield frames

    def reload(self) -> Reload:
        """A dataset does not change under an open dashboard: nothing new, nothing removed."""
        articles = self.articles if self.articles is not None else self.load().articles
        return Reload(articles, articles.clear(), pl.Series("id", [], dtype=pl.String), LoadReport())

    def _build_corpus(self, analysis: Analysis) -> Corpus:
        return DatasetCorpus(self.dataset, analysis)
