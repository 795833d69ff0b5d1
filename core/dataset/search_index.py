"""The filter's word and phrase search over a dataset: postings as Parquet, read per keystroke.

The in-memory filter (core.corpus.query) runs a regex over every article's lower-cased
"headline \\n text". At a million articles that text is gigabytes, so a dataset stores postings
instead, built per partition by `build_index` and read back by `PostingsSearch`:

    term       a token: a maximal run of letters and digits (\\p{L}\\p{N}) of the lower-cased text,
               or PREFIX_MARK + the first one or two characters of tokens (articles only, no positions)
    row        the article's position in its partition's articles file
    positions  the token's ordinals in that article, each as ordinal * 2 + gap, where gap is 1
               when only whitespace separates the token from the previous one

Rows are sorted by term, so a term or prefix lookup reads only the row groups whose term range
covers it (Parquet min/max statistics); only `term` and `row` are read for a one-word filter.

Why this gives the in-memory filter's article set (tests compare both on the bundled corpus):
the filter's pattern is a word start followed by the query's words joined by whitespace. Every run
of letters and digits in the query must then be a whole token of the text (the last one only a
prefix when the query ends in a letter or digit), at consecutive ordinals. A query of plain words
needs nothing more than the whitespace-only gaps the positions record; a query holding punctuation
("u.s.", "$5") takes the postings' candidates and checks them against the regex on their text, and
one with no letter or digit at all ("--") checks every text (rare, and slow at scale by nature).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import polars as pl

# The filter's own regex, so a text check and the in-memory filter agree by construction.
from core.corpus.query import _pattern

TOKEN = r"[\p{L}\p{N}]+"
# A token with the gap before it: the gap decides whether a phrase may span it.
_GAPPED_TOKEN = r"[^\p{L}\p{N}]*[\p{L}\p{N}]+"
_NON_TOKEN_START = r"^[^\p{L}\p{N}]+"
_WHITESPACE_GAP = r"^\s+[\p{L}\p{N}]"

INDEX_SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String(),
    "row": pl.UInt32(),
    "positions": pl.List(pl.UInt32()),
}
# Prefixes up to this many characters also have article-only postings (see build_index).
SHORT_PREFIX = 2
# Marks those postings' terms; no token contains it, so no term lookup meets them by accident.
PREFIX_MARK = "\x01"
# Small row groups: a lookup reads the few groups whose term range holds the term, not the file.
INDEX_ROW_GROUP = 16_384
# Lookups kept for the next keystrokes (see PostingsSearch._lookup), and the largest one kept.
_CACHE_LOOKUPS = 16
_CACHE_ROWS = 2_000_000


def haystack(articles: pl.LazyFrame | pl.DataFrame) -> pl.Expr:
    """What the in-memory filter searches: "headline \\n text", lower-cased (see FilterIndex.build)."""
    return (
        pl.concat_str([pl.col("title"), pl.col("text")], separator="\n", ignore_nulls=True)
        .fill_null("")
        .str.to_lowercase()
    )


def build_index(articles: pl.DataFrame) -> pl.DataFrame:
    """Postings (term, row, positions) of an articles frame's headlines and texts, sorted by term.

    `row` is the article's position in `articles`: write the postings beside the articles file
    they were built from, in the same order.
    """
    tokens = (
        articles.lazy()
        .select(row=pl.int_range(pl.len(), dtype=pl.UInt32), hay=haystack(articles))
        .select("row", token=pl.col("hay").str.extract_all(_GAPPED_TOKEN))
        .explode("token")
        .drop_nulls("token")
        .with_columns(ordinal=pl.int_range(pl.len(), dtype=pl.UInt32).over("row"))
        .select(
            term=pl.col("token").str.replace(_NON_TOKEN_START, ""),
            row="row",
            code=pl.col("ordinal") * 2 + pl.col("token").str.contains(_WHITESPACE_GAP).cast(pl.UInt32),
        )
    )
    postings = tokens.group_by("term", "row").agg(positions=pl.col("code").sort())
    # Short prefixes ("i", "ir": the first keystrokes of a word) match a large share of all terms;
    # their articles are stored once more under PREFIX_MARK + prefix, without positions.
    prefixes = pl.concat(
        [
            postings.filter(pl.col("term").str.len_chars() >= length).select(
                term=pl.lit(PREFIX_MARK) + pl.col("term").str.slice(0, length), row="row"
            )
            for length in range(1, SHORT_PREFIX + 1)
        ]
    ).unique()
    return (
        pl.concat(
            [postings, prefixes.with_columns(positions=pl.lit([], dtype=pl.List(pl.UInt32)))], how="diagonal"
        )
        .sort("term", "row")
        .collect()
        .cast(INDEX_SCHEMA)  # type: ignore[arg-type]
    )


def write_index(index: pl.DataFrame, target: str | BinaryIO) -> None:
    """Write postings with row groups small enough for term lookups to skip most of the file."""
    index.write_parquet(target, row_group_size=INDEX_ROW_GROUP, statistics=True)


@dataclass(frozen=True)
class _Run:
    """One run of letters and digits of a query value: matched whole, or as a token's prefix."""

    text: str
    prefix: bool


def query_runs(value: str) -> tuple[list[_Run], bool]:
    """The value's runs of letters and digits, lower-cased, and whether whitespace alone separates
    every pair of consecutive runs (then positions decide a phrase and no text need be read)."""
    lowered = " ".join(value.lower().split())
    frame = pl.DataFrame({"v": [lowered]}).select(
        runs=pl.col("v").str.extract_all(TOKEN),
        gaps=pl.col("v").str.extract_all(r"[^\p{L}\p{N}]+"),
        ends_in_token=pl.col("v").str.contains(r"[\p{L}\p{N}]$"),
        starts_in_token=pl.col("v").str.contains(r"^[\p{L}\p{N}]"),
    )
    runs: list[str] = frame.item(0, "runs").to_list()
    gaps: list[str] = frame.item(0, "gaps").to_list()
    ends_in_token = bool(frame.item(0, "ends_in_token"))
    starts_in_token = bool(frame.item(0, "starts_in_token"))
    # Gaps between runs: drop a leading and a trailing gap; plain words have only " " left.
    inner = gaps[(0 if starts_in_token else 1) :]
    if not ends_in_token and inner:
        inner = inner[:-1]
    plain = starts_in_token and ends_in_token and all(gap == " " for gap in inner)
    last = len(runs) - 1
    return [_Run(text, prefix=(i == last and ends_in_token)) for i, text in enumerate(runs)], plain


@dataclass(frozen=True)
class IndexFile:
    """One partition's postings file and where its articles start among all the dataset's articles."""

    path: str
    offset: int


# Reads texts of the given global rows (or of all rows when None) for a regex check:
# a frame of row (UInt32) and hay (the haystack string).
TextReader = Callable[[pl.Series | None], pl.DataFrame]


class PostingsSearch:
    """Word and phrase lookups over the postings of every partition, as global article rows."""

    def __init__(self, files: Sequence[IndexFile], read_texts: TextReader) -> None:
        self.files = list(files)
        self.read_texts = read_texts
        # Recent lookups by (run text, prefix, with positions); see _lookup.
        self._cache: OrderedDict[tuple[str, bool, bool], pl.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._scan_frames: list[pl.LazyFrame] | None = None

    def _scans(self) -> list[pl.LazyFrame]:
        # One lazy frame per partition, kept for every lookup: Polars keeps the metadata it
        # resolved for each file (a thousand row groups' statistics), most of a lookup's cost.
        # Separate frames, collected together (collect_all), run their files in parallel; one
        # scan over all the files took 2-9x longer at 21 partitions.
        if self._scan_frames is None:
            self._scan_frames = [pl.scan_parquet(f.path) for f in self.files]
        return self._scan_frames

    @staticmethod
    def _term_filter(run: _Run) -> pl.Expr:
        term = pl.col("term")
        if not run.prefix:
            return term == run.text
        # Code-point order is UTF-8 byte order, so [text, text with its last character bumped)
        # is exactly the terms starting with text: a range the row-group statistics can prune by.
        upper = run.text[:-1] + chr(ord(run.text[-1]) + 1)
        return (term >= run.text) & (term < upper)

    def _read(self, run: _Run, positions: bool) -> pl.DataFrame:
        """term, row (global) and, when asked, positions of every term the run matches, from disk."""
        if run.prefix and not positions and len(run.text) <= SHORT_PREFIX:
            matches = pl.col("term") == PREFIX_MARK + run.text
        else:
            matches = self._term_filter(run)
        columns = ["term", "row", *(["positions"] if positions else [])]
        found = pl.collect_all([scan.filter(matches).select(columns) for scan in self._scans()])
        if not found:
            return pl.DataFrame(schema={name: INDEX_SCHEMA[name] for name in columns})
        return pl.concat(
            [
                part.with_columns(pl.col("row") + pl.lit(f.offset, dtype=pl.UInt32))
                for part, f in zip(found, self.files, strict=True)
            ]
        )

    def _lookup(self, run: _Run, positions: bool) -> pl.DataFrame:
        """As _read, answered from an earlier lookup when one holds every term the run matches.

        A word typed on ("gove" after "gov") matches a subset of the terms its shorter prefix
        matched, and a phrase's finished words are looked up again on every keystroke after them:
        both are filtered in memory. Exact: a cached frame holds all rows of the terms it covers.
        """
        key = (run.text, run.prefix, positions)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            wider = [
                frame
                for (text, prefix, with_positions), frame in self._cache.items()
                if prefix
                and len(text) > SHORT_PREFIX
                and run.text.startswith(text)
                and (with_positions or not positions)
            ]
        if wider:
            frame = min(wider, key=lambda f: f.height).filter(self._term_filter(run))
            if not positions and "positions" in frame.columns:
                frame = frame.drop("positions")
        else:
            frame = self._read(run, positions)
        if frame.height <= _CACHE_ROWS:
            with self._lock:
                self._cache[key] = frame
                while len(self._cache) > _CACHE_LOOKUPS:
                    self._cache.popitem(last=False)
        return frame

    def _postings(self, run: _Run, rows: pl.Series | None, positions: bool) -> pl.LazyFrame:
        found = self._lookup(run, positions).lazy().drop("term")
        if rows is not None:
            found = found.filter(pl.col("row").is_in(rows.implode()))
        return found

    def rows(self, value: str, distinct: bool = True) -> pl.Series:
        """Global rows of the articles whose headline or text match the value as the filter does;
        `distinct=False` may repeat a row (cheaper, for building a mask)."""
        runs, plain = query_runs(value)
        if len(runs) == 1 and plain:  # one word: its articles, no positions needed
            found = self._postings(runs[0], None, positions=False).select("row").collect().get_column("row")
        else:
            found = self.occurrences(value).get_column("row")
        return found.unique() if distinct else found

    def occurrences(self, value: str) -> pl.DataFrame:
        """row, start: every match of the value (start = ordinal of its first token), for counting.

        Matches found through a text check (queries with punctuation) count one per article.
        """
        runs, plain = query_runs(value)
        if not runs:  # no letter or digit: every text must be read
            return self._checked(value, None)
        if len(runs) == 1 and plain:
            found = self._postings(runs[0], None, positions=True).explode("positions")
            return found.select("row", start=pl.col("positions") // 2).collect()
        # Articles holding every run somewhere, then the runs at consecutive ordinals. A whole
        # word's rows come with their positions, as the second pass needs them (one read, then
        # kept); a prefix's without, as they may be most of the file (`"prime m`).
        candidates: pl.Series | None = None
        for run in runs:
            rows = self._postings(run, candidates, positions=not run.prefix).select("row").unique().collect()
            candidates = rows.get_column("row")
            if candidates.is_empty():
                return pl.DataFrame(schema={"row": pl.UInt32(), "start": pl.UInt32()})
        matched: pl.LazyFrame | None = None
        for i, run in enumerate(runs):
            hits = (
                self._postings(run, candidates, positions=True)
                .explode("positions")
                .select(
                    "row",
                    start=(pl.col("positions") // 2 - i).cast(pl.Int64),
                    gap=(pl.col("positions") % 2) == 1,
                )
            )
            if i and plain:
                hits = hits.filter("gap")
            hits = hits.select("row", "start").unique()
            matched = hits if matched is None else matched.join(hits, on=["row", "start"], how="inner")
        assert matched is not None
        phrases: pl.DataFrame = matched.filter(pl.col("start") >= 0).collect().cast({"start": pl.UInt32})
        if plain:
            return phrases.sort("row", "start")
        return self._checked(value, phrases.get_column("row").unique())

    def _checked(self, value: str, rows: pl.Series | None) -> pl.DataFrame:
        """The candidates whose text the filter's regex matches: for queries positions cannot decide."""
        if rows is not None and rows.is_empty():
            return pl.DataFrame(schema={"row": pl.UInt32(), "start": pl.UInt32()})
        texts = self.read_texts(rows)
        return texts.filter(pl.col("hay").str.contains(_pattern(value))).select(
            pl.col("row").cast(pl.UInt32), start=pl.lit(0, dtype=pl.UInt32)
        )
