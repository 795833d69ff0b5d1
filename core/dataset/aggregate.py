"""The dashboard panes' aggregations over an article mask, as array sums over the smaller side.

At a million articles the panes' inputs are tens of millions of rows (20 keywords an article, a
dozen entities, pair mentions). A Polars filter + group_by + join over all of them costs hundreds
of milliseconds per keystroke whatever the filter keeps. Here each table is held once, sorted by
article, as integer codes in NumPy arrays with every article's rows in one contiguous range
(`offsets`), and each pane's figures are sums that add up over articles:

- keywords: per phrase, articles holding it, the sum of their ranks and the sum of 1/rank;
- entities: per entity, mentions and articles;
- pairs: per pair, sentences by stance and QuadClass, the weighted stance sums, and articles;
- timeline: articles per day.

A mask keeping m of N articles is then answered from whichever side is smaller: the kept
articles' rows (`bincount` over their ranges), or the whole dataset's totals (computed once)
minus the excluded articles' rows. Either way the work is proportional to min(m, N - m) articles'
rows, plus one pass over the distinct keys for the top-k; not to the corpus.

Exactness: every sum is of integers, so both sides give the same numbers bit for bit. The sum of
1/rank is kept as the integer sum of L/rank, L the least common multiple of the ranks present, and
divided by L only for display; equal weights then tie exactly, as they do mathematically, and the
tie-breaks (articles, then the phrase's alphabetical order) decide as in memory. When L times the
article count would not fit exactly in a double (ranks beyond about 20 at tens of millions of
articles), the weight falls back to a float sum of 1/rank and only the kept side is summed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Doubles hold integers exactly below this.
_EXACT = 2**53


def _offsets(art: npt.NDArray[np.integer], articles: int) -> IntArray:
    """offsets[a]..offsets[a+1]: the rows of article a in rows sorted by article."""
    counts = np.bincount(art, minlength=articles) if art.size else np.zeros(articles, dtype=np.int64)
    offsets = np.zeros(articles + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets


def _ranges(offsets: IntArray, arts: IntArray) -> IntArray:
    """Row numbers of these articles' ranges, concatenated (arts ascending gives ascending rows)."""
    starts = offsets[arts]
    lengths = offsets[arts + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    # Each row = its article's start + its place in the concatenation - where that article begins.
    shift = starts - (np.cumsum(lengths) - lengths)
    return np.repeat(shift, lengths) + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class Side:
    """Which articles to sum: `arts` (ascending), added to (sign 1) or taken from the totals (-1)."""

    arts: IntArray
    sign: int
    kept: int  # articles the mask keeps

    @staticmethod
    def of(mask: BoolArray | None, size: int) -> Side:
        """The smaller side of a mask (None: every article, nothing to subtract)."""
        if mask is None:
            return Side(np.zeros(0, dtype=np.int64), -1, size)
        kept = int(np.count_nonzero(mask))
        if kept <= size - kept:
            return Side(np.flatnonzero(mask), 1, kept)
        return Side(np.flatnonzero(~mask), -1, kept)


class _Rows:
    """A table's rows sorted by article: integer codes of what is counted, and per-article ranges."""

    def __init__(self, art: npt.NDArray[np.integer], codes: npt.NDArray[np.integer], articles: int) -> None:
        art = np.asarray(art, dtype=np.int64)  # np.diff of unsigned integers would wrap around
        order = np.argsort(art, kind="stable") if art.size and np.any(np.diff(art) < 0) else None
        self.codes = (codes if order is None else codes[order]).astype(np.int32, copy=False)
        self.order = order
        self.offsets = _offsets(art, articles)

    def sorted(self, values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        """A column of the same rows in article order."""
        return values if self.order is None else values[self.order]

    def rows(self, side: Side) -> IntArray:
        return _ranges(self.offsets, side.arts)

    def articles_with(self, wanted: BoolArray) -> BoolArray:
        """Mask over articles of those with a row whose code is `wanted` (a flag per code)."""
        hit = wanted[self.codes]
        lengths = np.diff(self.offsets)
        mask = np.zeros(lengths.size, dtype=np.bool_)
        held = np.flatnonzero(lengths)
        if held.size:
            # OR over each non-empty article's range: consecutive starts of non-empty articles
            # delimit exactly one article's rows each (empty ones in between have none).
            mask[held] = np.logical_or.reduceat(hit, self.offsets[held])
        return mask

    def sums(self, rows: IntArray | None, keys: int, *weights: Weight | None) -> list[FloatArray]:
        """Per key, for each of `weights`: the weights' sum over `rows` (None: all rows); a None
        weight counts rows."""
        codes = self.codes if rows is None else self.codes[rows]
        return [
            np.bincount(codes, weights=None if w is None else w.at(rows), minlength=keys).astype(
                np.float64, copy=False
            )
            for w in weights
        ]


class Weight:
    """What each row adds to its key's sum: a double per row, or, when the rows' values come from
    a few small integers (ranks, mention counts), `table[index]` with two bytes a row held."""

    def __init__(
        self, values: FloatArray | None, index: npt.NDArray[np.uint16] | None, table: FloatArray
    ) -> None:
        self.values, self.index, self.table = values, index, table

    @staticmethod
    def of(integers: npt.NDArray[np.integer], value: Callable[[IntArray], FloatArray]) -> Weight:
        """`value` of each row's integer, through a table when the integers are small."""
        if integers.size and int(integers.min()) >= 0 and int(integers.max()) < 2**16:
            table = value(np.arange(int(integers.max()) + 1, dtype=np.int64))
            return Weight(None, integers.astype(np.uint16), table)
        return Weight(value(integers.astype(np.int64)), None, np.zeros(0))

    def at(self, rows: IntArray | None) -> FloatArray:
        if self.index is None:
            assert self.values is not None
            return self.values if rows is None else self.values[rows]
        index = self.index if rows is None else self.index[rows]
        taken: FloatArray = self.table[index]
        return taken


def _side_sums(
    rows: _Rows, totals: list[FloatArray], side: Side, keys: int, *weights: Weight | None
) -> list[FloatArray]:
    """Per key sums over the kept articles: their own rows, or the totals minus the others' rows."""
    if side.sign < 0 and not side.arts.size:
        return totals
    part = rows.sums(rows.rows(side), keys, *weights)
    return part if side.sign > 0 else [t - p for t, p in zip(totals, part, strict=True)]


def _packing(count_bound: int, value_bound: int) -> float | None:
    """A factor F such that count * F + value sums both exactly in one double (or None): F must
    exceed any value sum and the largest packed sum must stay below 2**53."""
    factor = 1 << max(1, int(value_bound).bit_length())
    return float(factor) if count_bound * factor + value_bound < _EXACT else None


class CodedRows:
    """Rows of (article, key code) sorted by article, for filter terms that match keys by name."""

    def __init__(self, art: pl.Series, codes: pl.Series, articles: int) -> None:
        self.rows = _Rows(art.to_numpy(), codes.to_numpy(), articles)

    def articles_with(self, codes: npt.NDArray[np.integer], keys: int) -> BoolArray:
        wanted = np.zeros(keys, dtype=np.bool_)
        wanted[codes] = True
        return self.rows.articles_with(wanted)


class KeywordAggregates:
    """Per phrase, over the kept articles: articles, the sum of their ranks, and the weight (the
    sum of 1/rank) as the integer sum of L/rank (`scale` = L)."""

    def __init__(self, art: pl.Series, codes: pl.Series, rank: pl.Series, keys: int, articles: int) -> None:
        self.keys = keys
        self.rows = _Rows(art.to_numpy(), codes.to_numpy(), articles)
        ranks = np.asarray(self.rows.sorted(rank.to_numpy()), dtype=np.int64)
        top = int(ranks.max()) if ranks.size else 1
        positive = bool(ranks.size == 0 or ranks.min() >= 1)
        self.scale = math.lcm(*range(1, top + 1)) if positive else 1
        # Exact when the largest possible weight (every row one key's, at rank 1) fits a double.
        self.exact = positive and self.scale * max(ranks.size, 1) < _EXACT
        factor = _packing(ranks.size, int(ranks.sum())) if self.exact else None
        self._factor = factor
        scale = self.scale

        def weight(r: IntArray) -> FloatArray:
            if self.exact:
                return (scale // np.maximum(r, 1)).astype(np.float64)
            with np.errstate(divide="ignore"):
                return 1.0 / r.astype(np.float64)

        if self.exact and factor is not None:
            # articles and rank sum in one sum: each row adds factor + its rank.
            self._weights: list[Weight | None] = [
                Weight.of(ranks, lambda r: factor + r.astype(np.float64)),
                Weight.of(ranks, weight),
            ]
        else:
            self._weights = [None, Weight.of(ranks, lambda r: r.astype(np.float64)), Weight.of(ranks, weight)]
        self._totals = self.rows.sums(None, keys, *self._weights)

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray, FloatArray]:
        """articles, rank sum, and weight × scale (an integer when `exact`) per phrase code."""
        size = self.rows.offsets.size - 1
        side = Side.of(mask, size)
        if not self.exact and mask is not None:  # float weights: sum the kept rows only
            side = Side(np.flatnonzero(mask), 1, side.kept)
        sums = _side_sums(self.rows, self._totals, side, self.keys, *self._weights)
        if self._factor is None:
            return sums[0], sums[1], sums[2]
        articles = np.floor(sums[0] / self._factor)
        return articles, sums[0] - articles * self._factor, sums[1]


class EntityAggregates:
    """Per entity, over the kept articles: mentions and articles."""

    def __init__(
        self, art: pl.Series, codes: pl.Series, mentions: pl.Series, keys: int, articles: int
    ) -> None:
        self.keys = keys
        self.rows = _Rows(art.to_numpy(), codes.to_numpy(), articles)
        values = np.asarray(self.rows.sorted(mentions.to_numpy()), dtype=np.int64)
        factor = self._factor = _packing(values.size, int(values.sum()))
        # Mentions and articles in one sum when they fit: each row adds factor + its mentions.
        self._weights: list[Weight | None] = (
            [Weight.of(values, lambda m: factor + m.astype(np.float64))]
            if factor is not None
            else [Weight.of(values, lambda m: m.astype(np.float64)), None]
        )
        self._totals = self.rows.sums(None, keys, *self._weights)

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray]:
        """mentions, articles per entity code."""
        side = Side.of(mask, self.rows.offsets.size - 1)
        sums = _side_sums(self.rows, self._totals, side, self.keys, *self._weights)
        if self._factor is None:
            return sums[0], sums[1]
        articles = np.floor(sums[0] / self._factor)
        return sums[0] - articles * self._factor, articles


# Per pair mention, which of these counters it adds 1 to (besides `sentences`); any other stance
# has a slot of its own after them.
STANCES = ("cooperation", "conflict", "neutral")
# Pair weights are 1 or 0 (a venue); more distinct values than this and the pane uses summarise_pairs.
MAX_WEIGHTS = 8


class PairAggregates:
    """Per country pair, over the kept articles: mentions counted by (stance, QuadClass, weight),
    from which sentences, stance and QuadClass counts and the weighted stance sums of `net`
    follow; and the pair's articles."""

    def __init__(
        self,
        art: pl.Series,
        pair: pl.Series,
        stance: pl.Series,
        quad: pl.Series,
        weight: pl.Series,
        pairs: int,
        quads: int,
        articles: int,
    ) -> None:
        a = art.to_numpy()
        values, weight_index = np.unique(weight.to_numpy().astype(np.float64), return_inverse=True)
        self.weights = values
        self.usable = values.size <= MAX_WEIGHTS
        self.shape = (pairs, len(STANCES) + 1, quads, max(values.size, 1))
        stance_code = np.asarray(stance.to_numpy(), dtype=np.int64)
        quad_code = np.asarray(quad.to_numpy(), dtype=np.int64)
        cells = (
            np.asarray(pair.to_numpy(), dtype=np.int64) * self.shape[1] + stance_code
        ) * quads + quad_code
        cells = cells * self.shape[3] + weight_index.reshape(-1)
        self.cells = _Rows(a, cells, articles)
        self.size = int(np.prod(self.shape))
        # Distinct (article, pair): a pair's articles.
        distinct = pl.DataFrame({"art": a, "pair": pair.to_numpy()}).unique()
        self.article_rows = _Rows(
            distinct.get_column("art").to_numpy(), distinct.get_column("pair").to_numpy(), articles
        )
        self._totals = self._sums(None, None)

    def _sums(self, rows: IntArray | None, article_rows: IntArray | None) -> list[FloatArray]:
        return self.cells.sums(rows, self.size, None) + self.article_rows.sums(
            article_rows, self.shape[0], None
        )

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray]:
        """Counts per (pair, stance, quad, weight) cell, shaped `shape`; articles per pair."""
        side = Side.of(mask, self.cells.offsets.size - 1)
        if side.sign < 0 and not side.arts.size:
            cells, articles = self._totals
        else:
            part = self._sums(self.cells.rows(side), self.article_rows.rows(side))
            cells, articles = (
                part if side.sign > 0 else [t - p for t, p in zip(self._totals, part, strict=True)]
            )
        return cells.reshape(self.shape), articles


class DayAggregates:
    """Articles per day over the kept articles (undated articles left out)."""

    def __init__(self, dates: pl.Series) -> None:
        days = dates.cast(pl.Int32)
        self.first = int(days.min()) if days.null_count() < days.len() else 0  # type: ignore[arg-type]
        values = days.fill_null(-1).to_numpy().astype(np.int64)
        self.dated = values >= 0 if days.null_count() else None
        self.days = (
            np.where(values >= 0, values - self.first, 0) if days.null_count() else values - self.first
        )
        self.span = int(self.days.max()) + 1 if self.days.size else 0

    def counts(self, mask: BoolArray | None) -> pl.DataFrame:
        keep = mask
        if self.dated is not None:
            keep = self.dated if keep is None else keep & self.dated
        days = self.days if keep is None else self.days[keep]
        counts = np.bincount(days, minlength=self.span)
        found = np.flatnonzero(counts)
        return pl.DataFrame(
            {
                "date": pl.Series(found + self.first, dtype=pl.Int32).cast(pl.Date),
                "articles": pl.Series(counts[found], dtype=pl.Int32),
            }
        )
