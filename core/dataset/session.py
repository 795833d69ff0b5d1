"""A CorpusSession over an analysed dataset: nothing to analyse, the held frames read in two parts.

The dashboard drives it like any session (load, analyse, add, corpus): `load` opens the dataset and
reads the articles' ids, headlines, dates and sources; `analyse` reads the held frames of the first
FIRST_PART_ARTICLES articles (a partition, or part of one), so the panes fill at once, then of all
the others as one more part. Its corpus is a DatasetCorpus, whose filter searches the stored postings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from core.analysis.frames import Analysis
from core.analysis.run import ProgressCallback
from core.corpus.export import Format, article_records, write_outputs
from core.corpus.session import CorpusSession, Reload
from core.corpus.view import Corpus, CorpusView
from core.dataset.corpus import DatasetCorpus
from core.dataset.held import HeldPart, merge_parts, read_part
from core.dataset.manifest import DatasetError
from core.dataset.read import HELD_ARTICLE_COLUMNS, TABLE_SCHEMAS, ArticleFile, Dataset, open_dataset
from core.ingest.report import LoadReport, LoadResult

# Articles in the first part the dashboard shows; the rest follow as a second part.
FIRST_PART_ARTICLES = 25_000


class DatasetSession(CorpusSession):
    """The session of `newsdesk DIR` when DIR is a dataset (see core.dataset.manifest.is_dataset)."""

    # The dashboard builds the first part's corpus before asking `analyse` for the next part, so
    # that reading the rest does not compete with the first paint for the CPU.
    paint_first_part_first = True

    def __init__(self, root: str, first_part_articles: int = FIRST_PART_ARTICLES) -> None:
        super().__init__(self._read_articles)
        self.root = root
        self.first_part_articles = first_part_articles
        self._dataset: Dataset | None = None
        # Integer-coded frames of each part `analyse` yielded, in the same order as `parts`.
        self._held: list[HeldPart] = []
        self._held_lock = threading.Lock()
        # Articles (global rows) `analyse` has read: the rest, then a reload's new partitions, follow.
        self._rows_read = 0

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = open_dataset(self.root)
        return self._dataset

    def _read_articles(self) -> LoadResult:
        dataset = self.dataset
        articles = dataset.scan("articles").select(HELD_ARTICLE_COLUMNS).collect()
        return LoadResult(articles, LoadReport(files_read=len(dataset.article_files)))

    def _groups(self) -> list[list[tuple[ArticleFile, int, int]]]:
        """Articles not read yet, as runs of rows (file, first row in the file, rows): the first
        `first_part_articles` of them (cutting a partition if need be: at a million articles one
        partition is ~48,000, twice what the first paint needs), then all the others; either
        group may be empty and is then left out."""
        runs: list[tuple[ArticleFile, int, int]] = []
        for file in self.dataset.article_files:
            start = max(0, self._rows_read - file.offset)
            if start < file.rows:
                runs.append((file, start, file.rows - start))
        first: list[tuple[ArticleFile, int, int]] = []
        wanted = self.first_part_articles
        while runs and wanted > 0:
            file, start, rows = runs.pop(0)
            if rows > wanted:
                runs.insert(0, (file, start + wanted, rows - wanted))
                rows = wanted
            first.append((file, start, rows))
            wanted -= rows
        return [group for group in (first, runs) if group]

    def analyse(self, articles: pl.DataFrame, progress: ProgressCallback | None = None) -> Iterator[Analysis]:
        """The held frames of the articles not read yet, in two parts; `articles` must be what
        `load` returned, or a reload's `added` (the articles of the partitions appended since).

        Each part reaches the dashboard as an Analysis holding its articles and pair mentions; its
        integer-coded frames (core.dataset.held) wait in the session for the corpus build.
        """
        total = articles.height
        done = 0
        groups = self._groups()
        # The global row of `articles`' first row.
        base = groups[0][0][0].offset + groups[0][0][1] if groups else 0
        for group in groups:
            held = []
            first = group[0][0].offset + group[0][1]
            for file, start, rows in group:
                ids = articles.get_column("id").slice(file.offset + start - base, rows)
                held.append(read_part(self.dataset, file, ids, start))
                done += rows
                if progress is not None:
                    progress(done, total)
            merged = merge_parts(held)
            rows = sum(run[2] for run in group)
            empty = {t: pl.DataFrame(schema=TABLE_SCHEMAS[t]) for t in ("keywords", "mentions")}
            part = Analysis(
                articles.slice(first - base, rows),
                empty["keywords"],
                empty["mentions"],
                merged.pairs,
                cached=rows,
            )
            with self._held_lock:
                self._held.append(merged)
                self._rows_read = first + rows
            yield part

    def reload(self) -> Reload:
        """The partitions another `analyze --dataset` run appended since the dataset was opened (a
        new day's articles); a dataset only grows, so nothing is ever removed."""
        loaded = self.articles if self.articles is not None else self.load().articles
        opened = [f.partition for f in self.dataset.article_files]
        current = open_dataset(self.root)
        if [f.partition for f in current.article_files[: len(opened)]] != opened:
            raise DatasetError(f"{self.root}: the dataset was rebuilt since it was opened; open it again")
        appended = [f.partition for f in current.article_files[len(opened) :]]
        nothing = pl.Series("id", [], dtype=pl.String)
        if not appended:
            return Reload(loaded, loaded.clear(), nothing, LoadReport())
        added = current.scan("articles", appended).select(HELD_ARTICLE_COLUMNS).collect()
        self._dataset = current  # its search postings and article files cover the new rows too
        return Reload(pl.concat([loaded, added]), added, nothing, LoadReport(files_read=len(appended)))

    def _build_corpus(self, analysis: Analysis) -> Corpus:
        """A DatasetCorpus over the held parts the merged analysis covers (the first rows, in order)."""
        with self._held_lock:
            parts = list(self._held)
        covered: list[HeldPart] = []
        rows = 0
        for part, held in zip(self.parts, parts, strict=False):
            if rows >= analysis.articles.height:
                break
            covered.append(held)
            rows += part.articles.height
        return DatasetCorpus(self.dataset, analysis.articles, merge_parts(covered))

    def export(self, view: CorpusView, base: Path, fmt: Format) -> list[Path]:
        """As CorpusSession.export, with the keywords and mentions of the view's articles read from disk."""
        ids = view.articles.column("id")
        corpus = self.corpus()[0]
        analysis = Analysis(
            corpus.analysis.articles,
            self.dataset.read_for_articles("keywords", ids),
            self.dataset.read_for_articles("mentions", ids),
            corpus.analysis.pairs,
        )
        outputs = {
            "articles": article_records(analysis, top=10, article_ids=ids),
            "keywords": view.keywords,
            "relations": corpus.relations(view.subset),
        }
        return write_outputs(outputs, base, fmt)
