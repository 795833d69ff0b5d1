"""Writing an analysed dataset: tasks read, analyse and write their own slices; the client commits.

The run has two passes over the same slices (see core.dataset.slices), each a task per slice:

1. scan: the task loads its slice and returns only its articles' ids and content hashes (and, for a
   line range, its line count). The client then decides, in input order, which slice keeps each
   article: one already in the dataset (same content hash) is skipped, so a rerun does no analysis
   and a new day's files append; a copy seen in an earlier slice is skipped, as the loader would.
2. analyse: the task loads its slice again, drops the articles it was told to skip, analyses the
   rest with the ordinary engine (core.analysis.run, one process), writes the partition's files
   under temporary names, renames them, and returns a small status record.

The client appends each returned partition to the manifest and commits it (at most every
`commit_seconds`, and at the end, also when stopped): a partition is visible only once committed.
A task that runs twice (a worker lost after writing) leaves an orphan partition that no manifest
names; readers never list directories, so it is never read. No article is lost or doubled: every
kept article belongs to exactly one slice, and each slice's one returned status is committed once.

The same two functions run in the process pool (no cluster), on a local Dask cluster or on a remote
scheduler's workers, so the tables are the same whichever runs them (partition names aside).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import fsspec
import polars as pl

from core.analysis.frames import Analysis
from core.analysis.parallel import WorkerPool
from core.analysis.run import ProgressCallback, analyse_corpus
from core.dataset.build import ARTICLE_ROW_GROUP
from core.dataset.manifest import (
    TABLES,
    DatasetError,
    Manifest,
    Partition,
    commit_manifest,
    is_dataset,
    load_manifest,
    new_partition_name,
)
from core.dataset.search_index import build_index, write_index
from core.dataset.slices import (
    InputSlice,
    list_input_files,
    load_slice,
    plan_slices,
    slice_budget,
    with_first_lines,
)
from core.dataset.tables import ANALYSIS_TABLES, collect, frame_of, scan_table, schema_record
from core.ingest.report import LoadIssue, story_keys
from core.keywords.batch import DEFAULT_KEYWORD_ENGINE
from core.schema import engine_key

Item = TypeVar("Item")
Result = TypeVar("Result")

# Rewriting the manifest after every partition would cost O(partitions²) bytes on a long run; a
# stopped run loses at most this many seconds of committed work (its files become orphans).
COMMIT_SECONDS = 5.0


class Runner(Protocol):
    """Runs a picklable function over items somewhere (processes, a Dask cluster), results as they finish."""

    workers: int
    # Pass 1 (reading ids and hashes) in this process: where this process is one of the workers'
    # machine anyway, it saves starting the workers twice; a cluster's client never reads input.
    scans_here: bool

    def map_unordered(
        self, function: Callable[[Item], Result], items: Sequence[Item]
    ) -> Iterator[Result]: ...


@dataclass(frozen=True)
class SliceScan:
    """What the scan pass returns per slice: small, whatever the slice's size."""

    index: int
    ids: list[str]
    hashes: list[str]
    # Digests of each article's story keys (normalised URL, "" without one; normalised text): the
    # loader's rule for "the same story", applied across slices by the client.
    url_keys: list[str]
    text_keys: list[str]
    lines: int


@dataclass(frozen=True)
class SliceJob:
    """What the analysis pass sends per slice: the slice, which of its article ids to skip, where to write."""

    piece: InputSlice
    skip_ids: frozenset[str]
    root: str
    engine: str


@dataclass(frozen=True)
class PartitionStatus:
    """What a task returns: the partition it wrote (None when nothing was left), work done, problems."""

    index: int
    partition: Partition | None
    analysed: int
    issues: list[LoadIssue]
    engine_version: str


@dataclass
class WriteResult:
    """What a run did: the committed manifest and its counts."""

    manifest: Manifest
    added: int = 0  # articles this run committed
    analysed: int = 0  # articles this run analysed (equals `added`: nothing kept is analysed twice)
    already: int = 0  # articles skipped because the dataset had them
    duplicates: int = 0  # articles skipped because an earlier slice of this run had them
    partitions: int = 0
    slices: int = 0
    scan_seconds: float = 0.0  # pass 1 (tasks load their slices, return ids and hashes)
    analyse_seconds: float = 0.0  # pass 2 (tasks load, analyse, write), commits included
    issues: list[LoadIssue] = field(default_factory=list)


def dataset_root(target: str) -> str:
    """An fsspec URL as given; a local path made absolute (workers may run in other directories)."""
    return target if "://" in target else os.path.abspath(target)


def open_for_writing(root: str) -> Manifest:
    """The dataset's manifest to extend, or a new one; DatasetError if it cannot take this release's rows.

    A dataset analysed by another engine version, or with other data files (an edited
    event_rules.toml: `core.schema.engine_key`), is refused rather than mixed: its rows would differ
    from what this install computes, and a dataset is one analysis. Write to a new directory instead.
    """
    if is_dataset(root):
        manifest = load_manifest(root)
        key = engine_key()
        if manifest.engine_version != key:
            raise DatasetError(
                f"{root}: analysed by engine version {manifest.engine_version}, this release is {key} "
                "(engine version - digest of the data files); write the analysis to a new dataset "
                "directory (or remove this one)"
            )
        expected = schema_record()
        found = {table: manifest.schema.get(table) for table in expected}
        if manifest.partitions and found != expected:
            raise DatasetError(f"{root}: its tables' columns differ from this release's; use a new directory")
        manifest.schema = {**manifest.schema, **expected}
        return manifest
    fs, path = fsspec.core.url_to_fs(root)
    if fs.exists(path) and not fs.isdir(path):
        raise DatasetError(f"{root}: is a file, not a dataset directory")
    return Manifest(root=root, engine_version=engine_key(), schema=schema_record())


def scan_slice(piece: InputSlice) -> SliceScan:
    """Pass 1 task: the slice's article ids and content hashes, in input order."""
    result, lines = load_slice(piece)
    frame = result.articles
    keys = [story_keys(row) for row in frame.select("title", "text", "url").iter_rows(named=True)]
    return SliceScan(
        piece.index,
        frame.get_column("id").to_list(),
        frame.get_column("content_hash").to_list(),
        [_digest(url) for url, _ in keys],
        [_digest(text) for _, text in keys],
        lines,
    )


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest() if key else ""


def analyse_slice(job: SliceJob) -> PartitionStatus:
    """Pass 2 task: load the slice, analyse what is not skipped, write the partition; return its status."""
    result, _ = load_slice(job.piece)
    articles = result.articles
    if job.skip_ids:
        skip = pl.Series("id", sorted(job.skip_ids), dtype=pl.String)
        articles = articles.filter(~pl.col("id").is_in(skip.implode()))
    issues = list(result.report.issues)
    if articles.is_empty():
        return PartitionStatus(job.piece.index, None, 0, issues, engine_key())
    analysis = analyse_corpus(articles, cache=None, workers=1, engine=job.engine)
    partition = write_partition(job.root, analysis)
    return PartitionStatus(job.piece.index, partition, analysis.analysed, issues, engine_key())


def write_partition(root: str, analysis: Analysis) -> Partition:
    """Write one partition's tables under temporary names, then rename each into place."""
    name = new_partition_name()
    tables = {table: frame_of(analysis, table) for table in ANALYSIS_TABLES}
    # The filter's word postings, so the dashboard searches a large dataset without reading texts.
    tables["index"] = build_index(analysis.articles)
    fs, path = fsspec.core.url_to_fs(root)
    token = secrets.token_hex(4)
    staged: list[tuple[str, str]] = []
    try:
        for table, frame in tables.items():
            if frame.is_empty():
                continue
            folder = posixpath.join(path, table)
            fs.makedirs(folder, exist_ok=True)
            temporary = posixpath.join(folder, f".{name}.{token}.tmp")
            staged.append((temporary, posixpath.join(folder, f"{name}.parquet")))
            with fs.open(temporary, "wb") as handle:
                if table == "index":
                    write_index(frame, handle)
                elif table == "articles":  # small row groups: opening one article reads little
                    frame.write_parquet(handle, row_group_size=ARTICLE_ROW_GROUP)
                else:
                    frame.write_parquet(handle)
        for temporary, final in staged:
            fs.mv(temporary, final)
    except BaseException:
        for temporary, _ in staged:
            if fs.exists(temporary):
                fs.rm(temporary)
        raise
    return Partition(name, {table: tables[table].height if table in tables else 0 for table in TABLES})


def existing_articles(manifest: Manifest) -> tuple[set[str], set[str]]:
    """The ids and content hashes the dataset already holds (two columns, read lazily)."""
    frame = collect(scan_table(manifest, "articles").select("id", "content_hash"), manifest)
    return set(frame.get_column("id").to_list()), set(frame.get_column("content_hash").to_list())


def decide_skips(
    scans: list[SliceScan], dataset_ids: set[str], dataset_hashes: set[str], result: WriteResult
) -> dict[int, frozenset[str]]:
    """Per slice, the ids of articles it must not analyse: in the dataset already, or in an earlier slice.

    Slices are taken in input order, so the first copy of a repeated article is the one kept (as a
    single `newsdesk analyze` run keeps it). An article counts as in the dataset when its content
    hash is there (whatever its id), as the cache decides; a new article under an id the dataset
    already uses for other content is skipped with a warning, so ids stay unique.
    """
    skips: dict[int, frozenset[str]] = {}
    run_ids: set[str] = set()
    run_hashes: set[str] = set()
    run_urls: set[str] = set()
    run_texts: set[str] = set()
    for scan in sorted(scans, key=lambda s: s.index):
        skipped: set[str] = set()
        rows = zip(scan.ids, scan.hashes, scan.url_keys, scan.text_keys, strict=True)
        for article_id, digest, url_key, text_key in rows:
            repeated = (url_key and url_key in run_urls) or (text_key and text_key in run_texts)
            if digest in run_hashes or article_id in run_ids or repeated:
                result.duplicates += 1
                skipped.add(article_id)
                continue
            if digest in dataset_hashes:
                result.already += 1
                skipped.add(article_id)
            elif article_id in dataset_ids:
                result.issues.append(
                    LoadIssue(
                        "dataset",
                        f"article id {article_id!r} is already taken by an article with other content; "
                        "skipped (a dataset holds one article per id)",
                        severity="warning",
                    )
                )
                skipped.add(article_id)
                continue
            # Kept, or already in the dataset: either way a later copy in this run is a repeat.
            run_ids.add(article_id)
            run_hashes.add(digest)
            if url_key:
                run_urls.add(url_key)
            if text_key:
                run_texts.add(text_key)
        skips[scan.index] = frozenset(skipped)
    return skips


def write_dataset(
    sources: Sequence[str],
    target: str,
    runner: Runner,
    *,
    engine: str = DEFAULT_KEYWORD_ENGINE,
    slice_bytes: int | None = None,
    progress: ProgressCallback | None = None,
    commit_seconds: float = COMMIT_SECONDS,
    on_commit: Callable[[Manifest], None] | None = None,
) -> WriteResult:
    """Analyse `sources` into the dataset at `target` (created, resumed or appended to)."""
    root = dataset_root(target)
    manifest = open_for_writing(root)
    result = WriteResult(manifest)
    files, issues = list_input_files([str(s) for s in sources])
    result.issues.extend(issues)
    slices = plan_slices(files, slice_budget(files, runner.workers, slice_bytes))
    result.slices = len(slices)
    if not slices:
        return result
    with ExitStack() as stack:
        if len(slices) > 1 and isinstance(runner, ProcessPoolRunner):
            stack.enter_context(runner.started(engine))  # its workers warm up during the scan
        started = time.perf_counter()
        scanned = map(scan_slice, slices) if runner.scans_here else runner.map_unordered(scan_slice, slices)
        scans = list(scanned)
        result.scan_seconds = time.perf_counter() - started
        slices = with_first_lines(slices, {scan.index: scan.lines for scan in scans if scan.lines})
        ids, hashes = existing_articles(manifest)
        skips = decide_skips(scans, ids, hashes, result)
        kept = {scan.index: len(scan.ids) - len(skips[scan.index]) for scan in scans}
        jobs = [SliceJob(piece, skips[piece.index], root, engine) for piece in slices if kept[piece.index]]
        total = sum(kept.values())
        done = 0
        last_commit = time.monotonic()
        committed = len(manifest.partitions)
        started = time.perf_counter()
        try:
            for status in runner.map_unordered(analyse_slice, jobs):
                if status.engine_version != manifest.engine_version:
                    raise DatasetError(
                        f"a worker runs engine version {status.engine_version}, this client "
                        f"{manifest.engine_version} (engine version - digest of the data files): "
                        "install the same newsdesk release and data files on every worker"
                    )
                result.issues.extend(status.issues)
                result.analysed += status.analysed
                done += kept[status.index]
                if status.partition is not None:
                    manifest.partitions.append(status.partition)
                    result.added += status.partition.rows.get("articles", 0)
                    result.partitions += 1
                if progress is not None:
                    progress(done, total)
                if time.monotonic() - last_commit >= commit_seconds:
                    _commit(manifest, on_commit)
                    committed, last_commit = len(manifest.partitions), time.monotonic()
        finally:
            # Also when stopped or failed: what finished is kept, so a rerun resumes from there.
            if len(manifest.partitions) != committed or not is_dataset(root):
                _commit(manifest, on_commit)
            result.analyse_seconds = time.perf_counter() - started
        return result


def _commit(manifest: Manifest, on_commit: Callable[[Manifest], None] | None) -> None:
    commit_manifest(manifest)
    if on_commit is not None:
        on_commit(manifest)


# ---- runners ---------------------------------------------------------------------------------------


class ProcessPoolRunner:
    """Today's process pool (core.analysis.parallel), this process working too.

    Within `started`, the workers start ahead of the tasks (they read their tables while this
    process scans the slices); otherwise each `map_unordered` starts its own.
    """

    scans_here = True

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: WorkerPool | None = None

    @contextmanager
    def started(self, engine: str = DEFAULT_KEYWORD_ENGINE) -> Iterator[None]:
        """The workers started now (they warm up meanwhile), used by map_unordered, then closed."""
        from core.analysis.run import analysis_workers

        with analysis_workers(self.workers, help_here=True, engine=engine) as pool:
            pool.start()
            self._pool = pool
            try:
                yield
            finally:
                self._pool = None

    def map_unordered(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
        from core.analysis.parallel import run_batches

        if self._pool is not None:
            yield from self._pool.run(function, items)
        else:
            yield from run_batches(function, items, self.workers, help_here=True)


class DaskRunner:
    """Tasks on a Dask cluster's workers; a task whose worker is lost is run again elsewhere."""

    def __init__(
        self, client: Any, retries: int = 2, workers: int | None = None, scans_here: bool = False
    ) -> None:
        """`workers`: how many will run (default: those connected now); `scans_here`: the client
        shares the workers' machine and files (a local cluster), so it reads the ids itself."""
        self.client = client
        self.retries = retries
        if workers is None:
            workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        self.workers = max(1, workers)
        self.scans_here = scans_here

    def map_unordered(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
        from distributed import as_completed

        if not items:
            return
        # pure=False: a rerun must run again, not be served a result the scheduler remembers.
        futures = self.client.map(function, list(items), retries=self.retries, pure=False)
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                result: Result = future.result()
                future.release()
                yield result
        finally:
            self.client.cancel(futures)
