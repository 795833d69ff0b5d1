"""Cutting the input into slices a task reads by itself: a group of files, a byte range of one big
JSONL file, or a row range of one big Parquet file.

The client only lists files and reads their sizes (plus a few bytes at each cut of a big JSONL file,
to move the cut to a line end, and a big Parquet file's footer, for its row count and columns);
every article is read by the task that owns its slice. Slices are
numbered in input order (the order `newsdesk analyze` reads its sources), which decides which copy of
a repeated article is kept.
"""

from __future__ import annotations

import itertools
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from core.articles import FIELD_ALIASES, articles_frame
from core.ingest.files import ARTICLE_SUFFIXES, JSONL_SUFFIXES, load_file, load_jsonl_text, load_parquet_frame
from core.ingest.report import Collector, LoadIssue, LoadResult
from core.ingest.sources import is_url
from core.ingest.textio import BinaryFileError, decode_bytes

# Input bytes per slice when the caller does not choose: about 1,500-4,000 news articles, 3-8 s of
# one core's analysis. Big enough that Dask's per-task cost (a few ms) is noise, small enough that a
# lost worker costs seconds and a progress bar moves. `plan_slices` shrinks it for small inputs so
# every worker gets several slices.
DEFAULT_SLICE_BYTES = 8 * 1024 * 1024
SLICES_PER_WORKER = 4
# How far past a cut to look for the line end (a JSONL record longer than this is one 1 MB article
# plus markup; the cut then moves on by another window).
_LINE_END_WINDOW = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """A file to read: its absolute path (tasks may run elsewhere) and the source name it defaults to."""

    path: str
    default_source: str
    size: int


@dataclass(frozen=True)
class InputSlice:
    """What one task reads: whole files, or (one JSONL file) the bytes [start, end), or (one Parquet
    file, `rows`) the rows [start, end) counted from 0."""

    index: int
    files: tuple[InputFile, ...]
    start: int = 0
    end: int | None = None
    # The file's line number of the range's first line; known once every earlier range was scanned.
    first_line: int = 1
    rows: bool = False

    @property
    def is_range(self) -> bool:
        return self.end is not None

    def describe(self) -> str:
        if self.is_range and self.rows:
            return f"{self.files[0].path}, rows {self.start + 1}-{self.end}"
        if self.is_range:
            return f"{self.files[0].path}, bytes {self.start}-{self.end}"
        if len(self.files) == 1:
            return self.files[0].path
        return f"{self.files[0].path} and {len(self.files) - 1} more files"


def list_input_files(sources: list[str]) -> tuple[list[InputFile], list[LoadIssue]]:
    """Every article file of the sources, in the order `newsdesk analyze` reads them, and the problems."""
    files: list[InputFile] = []
    issues: list[LoadIssue] = []
    for source in sources:
        if is_url(source) or source.lower().endswith(".opml"):
            issues.append(
                LoadIssue(
                    source,
                    "a dataset is written from files and folders that every worker can read; "
                    "fetch feeds and pages into a file first (newsdesk analyze URL --format parquet -o FILE)",
                )
            )
            continue
        path = Path(source)
        if not path.exists():
            issues.append(LoadIssue(source, "no such file or directory"))
        elif path.is_dir():
            found = sorted(_walk(path), key=lambda p: p.relative_to(path).as_posix())
            if not found:
                issues.append(
                    LoadIssue(
                        source,
                        "folder holds no article files "
                        "(.txt, .md, .jsonl, .json, .csv, .parquet, .rss, .atom, .xml, .html)",
                    )
                )
            name = path.resolve().name
            files.extend(_input_file(file, name) for file in found)
        else:
            files.append(_input_file(path, path.stem))
    return files, issues


def _input_file(path: Path, default_source: str) -> InputFile:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # the task reports it, as `newsdesk analyze` would
    return InputFile(str(path.absolute()), default_source, size)


def _walk(root: Path) -> list[Path]:
    # The same files core.ingest.sources reads from a folder: article suffixes, no hidden names.
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(".")]
        found.extend(
            Path(folder) / name
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        )
    return found


def slice_budget(files: list[InputFile], workers: int, slice_bytes: int | None) -> int:
    """Bytes per slice: the caller's, else the default, shrunk so each worker gets several slices."""
    if slice_bytes is not None:
        return max(1, slice_bytes)
    total = sum(f.size for f in files)
    return max(64 * 1024, min(DEFAULT_SLICE_BYTES, total // max(1, workers * SLICES_PER_WORKER)))


def plan_slices(files: list[InputFile], budget: int) -> list[InputSlice]:
    """Group small files up to `budget` bytes; cut a JSONL file bigger than that into line ranges and
    a Parquet file into row ranges."""
    slices: list[InputSlice] = []
    group: list[InputFile] = []
    filled = 0

    def flush() -> None:
        nonlocal group, filled
        if group:
            slices.append(InputSlice(len(slices), tuple(group)))
        group, filled = [], 0

    for file in files:
        if Path(file.path).suffix.lower() in JSONL_SUFFIXES and file.size > budget and _is_regular(file.path):
            flush()
            for start, end in _line_ranges(file.path, file.size, budget):
                slices.append(InputSlice(len(slices), (file,), start, end))
            continue
        if Path(file.path).suffix.lower() == ".parquet" and file.size > budget and _is_regular(file.path):
            ranges = _row_ranges(file.path, file.size, budget)
            if ranges:
                flush()
                for start, end in ranges:
                    slices.append(InputSlice(len(slices), (file,), start, end, rows=True))
                continue
        group.append(file)
        filled += file.size
        if filled >= budget:
            flush()
    flush()
    return slices


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _line_ranges(path: str, size: int, budget: int) -> list[tuple[int, int]]:
    """Byte ranges of about `budget` bytes, each ending just after a newline (or at the end of file)."""
    cuts = [0]
    with open(path, "rb") as handle:
        position = budget
        while position < size:
            handle.seek(position)
            cut = None
            while cut is None:
                window = handle.read(_LINE_END_WINDOW)
                if not window:
                    break
                newline = window.find(b"\n")
                if newline >= 0:
                    cut = handle.tell() - len(window) + newline + 1
            if cut is None or cut >= size:
                break
            cuts.append(cut)
            position = cut + budget
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def _row_ranges(path: str, size: int, budget: int) -> list[tuple[int, int]]:
    """Row ranges holding about `budget` bytes of the file each (Parquet slices read only the row groups
    they overlap). None when the footer is unreadable or names no text column: the file is then one
    slice, and its task reports the problem once, as `newsdesk analyze` would."""
    try:
        columns = {name.lower() for name in pl.read_parquet_schema(path)}
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    except Exception:  # polars raises several unrelated types for a damaged file
        return []
    if not columns & set(FIELD_ALIASES["text"]) or rows < 2:
        return []
    step = max(1, -(-rows * budget // size))  # ceil: compressed bytes per row, so about `budget` a range
    return [(start, min(rows, start + step)) for start in range(0, rows, step)]


def with_first_lines(slices: list[InputSlice], line_counts: dict[int, int]) -> list[InputSlice]:
    """Number each line range's first line from the line counts of the file's earlier ranges."""
    numbered: list[InputSlice] = []
    next_line: dict[str, int] = {}
    for piece in slices:
        if piece.is_range and not piece.rows:
            path = piece.files[0].path
            first = next_line.get(path, 1)
            next_line[path] = first + line_counts.get(piece.index, 0)
            piece = replace(piece, first_line=first)
        numbered.append(piece)
    return numbered


def load_slice(piece: InputSlice) -> tuple[LoadResult, int]:
    """The slice's articles (the loader's own rules: ids, dates, duplicates within the slice, issues)
    and, for a line range, how many lines it spans."""
    collector = Collector(full_text=False)
    lines = 0
    try:
        if piece.is_range and piece.rows:
            collector.report.files_read += 1
            _load_rows(piece, piece.files[0], collector)
        elif piece.is_range:
            file = piece.files[0]
            collector.report.files_read += 1
            lines = _load_range(piece, file, collector)
        else:
            for file in piece.files:
                load_file(Path(file.path), collector, default_source=file.default_source)
    finally:
        collector.close()
    return LoadResult(articles_frame(collector.rows), collector.report), lines


def _load_range(piece: InputSlice, file: InputFile, collector: Collector) -> int:
    assert piece.end is not None
    path = Path(file.path)
    try:
        with open(path, "rb") as handle:
            handle.seek(piece.start)
            data = handle.read(piece.end - piece.start)
    except OSError as error:
        collector.issue(path, f"cannot read bytes {piece.start}-{piece.end}: {error.strerror or error}")
        return 0
    try:
        decoded = decode_bytes(data)
    except BinaryFileError as error:
        collector.issue(path, f"{error} (bytes {piece.start}-{piece.end})")
        return data.count(b"\n")
    if decoded.note:
        collector.issue(path, decoded.note, f"bytes {piece.start}-{piece.end}", warning=True)
    load_jsonl_text(path, decoded.text, collector, file.default_source, first_line=piece.first_line)
    return len(decoded.text.splitlines())


def _load_rows(piece: InputSlice, file: InputFile, collector: Collector) -> None:
    assert piece.end is not None
    path = Path(file.path)
    if not _is_regular(file.path):
        collector.issue(path, f"not a regular file any more (rows {piece.start + 1}-{piece.end})")
        return
    try:
        frame = pl.scan_parquet(path).slice(piece.start, piece.end - piece.start).collect()
    except Exception as error:  # polars raises several unrelated types for a damaged file
        collector.issue(
            path, f"unreadable Parquet: {str(error).splitlines()[0]} (rows {piece.start + 1}-{piece.end})"
        )
        return
    load_parquet_frame(path, frame, collector, file.default_source, first_row=piece.start + 1)
