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
import threading
from collections import deque
from collections.abc import Callable

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


# Masks (with their sums) each table remembers for the next keystrokes: see Reuse.
RECENT_MASKS = 2


class Reuse:
    """A table's per-key sums for a mask, computed from the cheapest starting point.

    `part(arts)` sums the rows of the articles a mask keeps (None: every article). A mask is
    answered from whichever touches the fewest articles: the kept ones (their rows summed), the
    dropped ones (the totals minus their rows), or a recently answered mask (its sums, plus the
    rows of articles kept now but not then, minus those kept then but not now). Typing a word on
    narrows the filter a little at a time, so the last keystroke's mask is usually a few articles
    away from this one's, while either side of it may hold half the dataset.

    Every sum must then be of integers below 2**53 (`exact`), so that adding and taking away give
    the same numbers bit for bit whatever the order; otherwise only the kept rows are summed.
    """

    def __init__(
        self, size: int, part: Callable[[BoolArray | None], list[FloatArray]], exact: bool = True
    ) -> None:
        self.size, self._part, self.exact = size, part, exact
        self.totals = part(None)
        self._recent: deque[tuple[BoolArray, list[FloatArray]]] = deque(maxlen=RECENT_MASKS)
        self._lock = threading.Lock()  # view workers of stale keystrokes may still be running

    def sums(self, mask: BoolArray | None) -> list[FloatArray]:
        if mask is None:
            return self.totals
        if not self.exact:
            return self._part(mask)
        kept = int(np.count_nonzero(mask))
        cost, base, changed = kept, None, mask
        if self.size - kept < cost:
            cost, base, changed = self.size - kept, self.totals, ~mask
        with self._lock:
            recent = list(self._recent)
        for earlier, earlier_sums in reversed(recent):
            differ = mask ^ earlier
            n = int(np.count_nonzero(differ))
            if n < cost:
                cost, base, changed = n, earlier_sums, differ
        if base is None:
            sums = self._part(changed)
        elif base is self.totals:
            sums = [t - p for t, p in zip(base, self._part(changed), strict=True)]
        elif not cost:
            sums = base
        else:
            added = self._part(changed & mask)
            dropped = self._part(changed & ~mask)
            sums = [b + a - d for b, a, d in zip(base, added, dropped, strict=True)]
        with self._lock:
            self._recent.append((mask, sums))
        return sums


# Articles kept by a mask, as a share of all, above which their rows are picked by a mask over
# rows (one pass over every article) rather than by row numbers (several passes over those rows).
_DENSE = 1 / 32
RowSelection = IntArray | BoolArray


class _Rows:
    """A table's rows sorted by article: integer codes of what is counted, and per-article ranges.

    `values` are other columns of the same rows, returned in article order as `self.values`. The
    sorting permutation is not kept: at a million articles it is 8 bytes for each of tens of
    millions of rows, for every table, and nothing needs it after construction.
    """

    def __init__(
        self,
        art: npt.NDArray[np.integer],
        codes: npt.NDArray[np.integer],
        articles: int,
        *values: npt.NDArray[np.generic],
    ) -> None:
        art = np.asarray(art, dtype=np.int64)  # np.diff of unsigned integers would wrap around
        order = np.argsort(art, kind="stable") if art.size and np.any(np.diff(art) < 0) else None
        self.codes = (codes if order is None else codes[order]).astype(np.int32, copy=False)
        self.values = [v if order is None else v[order] for v in values]
        self.offsets = _offsets(art, articles)
        self.lengths = np.diff(self.offsets)

    def rows(self, arts: BoolArray) -> RowSelection:
        """The rows of the articles a mask keeps: row numbers (ascending), or a mask over rows
        when they are many (indexing a row column with either gives the same rows in order)."""
        if np.count_nonzero(arts) < _DENSE * arts.size:
            return _ranges(self.offsets, np.flatnonzero(arts))
        return np.repeat(arts, self.lengths)

    def sums(self, rows: RowSelection | None, keys: int, *weights: Weight | None) -> list[FloatArray]:
        """Per key, for each of `weights`: the weights' sum over `rows` (None: all rows); a None
        weight counts rows."""
        codes = self.codes if rows is None else self.codes[rows]
        return [
            np.bincount(codes, weights=None if w is None else w.at(rows), minlength=keys).astype(
                np.float64, copy=False
            )
            for w in weights
        ]


# Articles whose rows are placed in blocks at a time when a table is built (bounds its scratch memory).
_BUILD_ARTICLES = 1 << 16
# Blocks narrower than this are picked one row at a time (numpy's boolean pick of small blocks is
# slower than expanding the mask over rows); padding beyond this share of the rows is not worth it.
_MIN_BLOCK = 8
_MAX_PADDING = 0.1


def _block_width(lengths: IntArray) -> int:
    """The widest block of at least _MIN_BLOCK rows that pads the table by at most _MAX_PADDING, or
    1 (rows picked one by one). Measured at a million articles: a boolean pick of 20-row blocks
    (keywords, 20 an article) cost 15-35% less CPU than expanding the mask over rows and picking
    them; one of 3-row blocks (entities, 1-60 an article) cost 50% more than that."""
    rows = int(lengths.sum())
    if not rows:
        return 1
    sizes = np.bincount(lengths)  # articles of each row count
    counts = np.arange(sizes.size)
    for width in range(min(int(lengths.max()), 64), _MIN_BLOCK - 1, -1):
        padded = int(((counts + width - 1) // width * sizes).sum()) * width
        if padded <= (1 + _MAX_PADDING) * rows:
            return width
    return 1


class _Blocks:
    """Integer codes of rows sorted by article, held as a (blocks, width) array: each article's rows
    fill whole blocks, the last padded with `pad` (a code nobody reads).

    The rows of the articles a mask keeps are then copied as whole blocks, one boolean pick over
    blocks, instead of expanding the mask over every row (`np.repeat`, which holds the interpreter
    lock) and picking rows from all of them: at a million articles that pass read every row of the
    table (tens of millions) for each keystroke, whichever articles it kept. Counting the picked
    codes counts the pads too, in their own slot, which callers drop. Where blocks would be narrow
    or padded (`_block_width`), the width is 1: rows picked one by one, as before blocks.
    """

    def __init__(
        self, codes: npt.NDArray[np.integer], offsets: IntArray, pad: int, width: int | None = None
    ) -> None:
        lengths = np.diff(offsets)
        self.width = width = width or _block_width(lengths)
        self.blocks = (lengths + width - 1) // width  # per article
        self.offsets = _offsets_of(self.blocks)
        self.single = bool(self.blocks.size and (self.blocks == 1).all())  # one block an article
        dtype = np.int32 if pad < 2**31 else np.int64
        if lengths.size and (lengths == width).all():  # every article fills one block
            flat: npt.NDArray[np.integer] = np.ascontiguousarray(codes, dtype=dtype)
            self.grid: npt.NDArray[np.integer] = flat.reshape(-1, width)
            return
        grid: npt.NDArray[np.integer] = np.full((int(self.offsets[-1]), width), pad, dtype=dtype)
        # Placed a slice of articles at a time: per-row positions of the whole table at once
        # would be several 8-byte arrays of tens of millions of rows.
        for first in range(0, lengths.size, _BUILD_ARTICLES):
            last = min(first + _BUILD_ARTICLES, lengths.size)
            start, end = int(offsets[first]), int(offsets[last])
            if start == end:
                continue
            art = np.repeat(np.arange(first, last, dtype=np.int64), lengths[first:last])
            place = np.arange(start, end, dtype=np.int64) - offsets[art]
            grid[self.offsets[art] + place // width, place % width] = codes[start:end]
        self.grid = grid

    def codes(self, arts: BoolArray | None) -> npt.NDArray[np.integer]:
        """The codes of the kept articles' rows (and pads), article by article (None: all)."""
        every: npt.NDArray[np.integer] = self.grid.reshape(-1)
        if arts is None:
            return every
        source = every if self.width == 1 else self.grid  # width 1: rows one by one
        if np.count_nonzero(arts) < _DENSE * arts.size:
            picked = source[_ranges(self.offsets, np.flatnonzero(arts))]
        else:
            picked = source[arts if self.single else np.repeat(arts, self.blocks)]
        flat: npt.NDArray[np.integer] = picked.reshape(-1)
        return flat

    def counts(self, arts: BoolArray | None, keys: int) -> IntArray:
        """Rows of each code 0..keys-1 among the kept articles' rows (`pad` must be >= keys)."""
        counted: IntArray = np.bincount(self.codes(arts), minlength=keys + 1)[:keys]
        return counted


def _integral(table: FloatArray) -> bool:
    """Whether every value of a weight table is an integer a double holds exactly."""
    return bool(np.array_equal(table, np.round(table)) and (np.abs(table) < _EXACT).all())


def _offsets_of(counts: IntArray) -> IntArray:
    """offsets[a]..offsets[a+1]: the items of a, for items counted per a and laid end to end."""
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets


class _Grid:
    """Rows counted per (key, value) cell, for weights that are all functions of one small integer
    per row (`Weight.index`): each weight's sum per key is then the counts times the weight's
    table, one counting pass for every weight instead of a gather and a weighted pass each.

    Used when the cells are fewer than the rows summed (the product costs one pass over the
    cells). Counts are integers and the tables hold integers (the product is taken in integers,
    which also keeps BLAS and its threads out of it), so with sums below 2**53 the result equals
    the weighted sums bit for bit. The cells are held in blocks (`_Blocks`).
    """

    def __init__(self, rows: _Rows, keys: int, weights: list[Weight], index: npt.NDArray[np.uint16]) -> None:
        self.values = max(w.table.size for w in weights)
        self.keys = keys
        if keys * self.values < 2**31:  # in 32 bits throughout: no 8-byte copy of every row
            codes = rows.codes.astype(np.int32, copy=False)
            cells = codes * np.int32(self.values) + index.astype(np.int32)
        else:
            cells = rows.codes.astype(np.int64) * self.values + index
        self.size = int(cells.size)
        self.cells = _Blocks(cells, rows.offsets, keys * self.values)
        tables = np.zeros((self.values, len(weights)), dtype=np.int64)
        for i, w in enumerate(weights):
            tables[: w.table.size, i] = w.table
        self.tables = tables

    @staticmethod
    def of(rows: _Rows, keys: int, weights: list[Weight | None]) -> _Grid | None:
        """A grid when every weight is a table over the same integer per row and the cells are
        fewer than a quarter of all rows (else it would never be worth it), or None."""
        tabled = [w for w in weights if w is not None and w.index is not None]
        if not tabled or len(tabled) < len(weights):
            return None
        index = tabled[0].index
        assert index is not None
        if any(w.index is not index for w in tabled[1:]):
            return None
        if 4 * keys * max(w.table.size for w in tabled) > rows.codes.size:
            return None
        if not all(_integral(w.table) for w in tabled):
            return None  # the product is taken in integers
        return _Grid(rows, keys, tabled, index)

    def worth(self, arts: BoolArray | None) -> bool:
        """Whether the cells are fewer than the rows of these articles (estimated from their share)."""
        share = 1.0 if arts is None or not arts.size else np.count_nonzero(arts) / arts.size
        return self.keys * self.values <= share * self.size

    def sums(self, arts: BoolArray | None) -> list[FloatArray]:
        """Each weight's sum per key over the rows of the kept articles (None: all)."""
        counts = self.cells.counts(arts, self.keys * self.values).reshape(self.keys, self.values)
        product = (counts @ self.tables).astype(np.float64)
        return [np.ascontiguousarray(product[:, i]) for i in range(self.tables.shape[1])]


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
            return Weight(None, integers.astype(np.uint16, copy=False), table)
        return Weight(value(integers.astype(np.int64)), None, np.zeros(0))

    def at(self, rows: RowSelection | None) -> FloatArray:
        if self.index is None:
            assert self.values is not None
            return self.values if rows is None else self.values[rows]
        index = self.index if rows is None else self.index[rows]
        taken: FloatArray = self.table[index]
        return taken


def _packing(count_bound: int, value_bound: int) -> float | None:
    """A factor F such that count * F + value sums both exactly in one double (or None): F must
    exceed any value sum and the largest packed sum must stay below 2**53."""
    factor = 1 << max(1, int(value_bound).bit_length())
    return float(factor) if count_bound * factor + value_bound < _EXACT else None


class CodedRows:
    """Rows of (article, key code) grouped by key, for filter terms that match keys by name: the
    articles holding any of the matched keys are read off those keys' ranges, so a term costs
    what its keys' rows are, not a pass over every row (tens of millions at a million articles).
    """

    def __init__(self, art: pl.Series, codes: pl.Series, articles: int) -> None:
        by_code = pl.DataFrame({"art": art, "code": codes}).sort("code", maintain_order=True)
        code = by_code.get_column("code").to_numpy()
        self.keys = int(code.max()) + 1 if code.size else 0
        self.articles = by_code.get_column("art").to_numpy().astype(np.uint32, copy=False)
        self.offsets = _offsets(code, self.keys)  # offsets[k]..offsets[k+1]: key k's rows
        self.size = articles

    def articles_with(self, codes: npt.NDArray[np.integer]) -> BoolArray:
        """Mask over articles of those with a row of any of these codes."""
        mask = np.zeros(self.size, dtype=np.bool_)
        wanted = np.unique(np.asarray(codes, dtype=np.int64))
        wanted = wanted[wanted < self.keys]  # codes no row holds
        if wanted.size:
            mask[self.articles[_ranges(self.offsets, wanted)]] = True
        return mask


class KeywordAggregates:
    """Per phrase, over the kept articles: articles, the sum of their ranks, and the weight (the
    sum of 1/rank) as the integer sum of L/rank (`scale` = L)."""

    def __init__(self, art: pl.Series, codes: pl.Series, rank: pl.Series, keys: int, articles: int) -> None:
        self.keys = keys
        self.rows = _Rows(art.to_numpy(), codes.to_numpy(), articles, rank.to_numpy())
        ranks = np.asarray(self.rows.values.pop(), dtype=np.int64)
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

        if ranks.size and ranks.min() >= 0 and ranks.max() < 2**16:
            ranks = ranks.astype(np.uint16)  # one index shared by the weights' tables (see _Grid)
        if self.exact and factor is not None:
            # articles and rank sum in one sum: each row adds factor + its rank.
            self._weights: list[Weight | None] = [
                Weight.of(ranks, lambda r: factor + r.astype(np.float64)),
                Weight.of(ranks, weight),
            ]
        else:
            self._weights = [None, Weight.of(ranks, lambda r: r.astype(np.float64)), Weight.of(ranks, weight)]
        self._grid = _Grid.of(self.rows, keys, self._weights) if self.exact else None
        # Float weights (not `exact`): sum the kept rows only.
        self._reuse = Reuse(articles, self._part, exact=self.exact)

    def _part(self, arts: BoolArray | None) -> list[FloatArray]:
        if self._grid is not None and self._grid.worth(arts):
            return self._grid.sums(arts)
        rows = None if arts is None else self.rows.rows(arts)
        return self.rows.sums(rows, self.keys, *self._weights)

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray, FloatArray]:
        """articles, rank sum, and weight × scale (an integer when `exact`) per phrase code."""
        sums = self._reuse.sums(mask)
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
        self.rows = _Rows(art.to_numpy(), codes.to_numpy(), articles, mentions.to_numpy())
        values = np.asarray(self.rows.values.pop(), dtype=np.int64)
        factor = self._factor = _packing(values.size, int(values.sum()))
        # Mentions and articles in one sum when they fit: each row adds factor + its mentions.
        self._weights: list[Weight | None] = (
            [Weight.of(values, lambda m: factor + m.astype(np.float64))]
            if factor is not None
            else [Weight.of(values, lambda m: m.astype(np.float64)), None]
        )
        # Cell counts (_Grid) when they pay: one unweighted count per (entity, mention count)
        # instead of a gather of each row's weight and a weighted count, about twice as fast on a
        # broad filter at a million articles. The cells then stand in for the rows' codes and
        # weight index, which are dropped: no more memory than the weighted sums.
        self._grid = _Grid.of(self.rows, keys, self._weights)
        if self._grid is not None:
            self.rows.codes = np.zeros(0, dtype=np.int32)
            self._weights = []
        self._reuse = Reuse(articles, self._part)

    def _part(self, arts: BoolArray | None) -> list[FloatArray]:
        if self._grid is not None:
            return self._grid.sums(arts)
        rows = None if arts is None else self.rows.rows(arts)
        return self.rows.sums(rows, self.keys, *self._weights)

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray]:
        """mentions, articles per entity code."""
        sums = self._reuse.sums(mask)
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
        self.size = int(np.prod(self.shape))
        # Both tables counted without weights, their codes picked in blocks (see _Blocks).
        ordered = _Rows(a, cells, articles)
        self.cells = _Blocks(ordered.codes, ordered.offsets, self.size)
        # Distinct (article, pair): a pair's articles.
        distinct = pl.DataFrame({"art": a, "pair": pair.to_numpy()}).unique()
        ordered = _Rows(
            distinct.get_column("art").to_numpy(), distinct.get_column("pair").to_numpy(), articles
        )
        self.article_rows = _Blocks(ordered.codes, ordered.offsets, pairs)
        self._reuse = Reuse(articles, self._part)

    def _part(self, arts: BoolArray | None) -> list[FloatArray]:
        return [
            self.cells.counts(arts, self.size).astype(np.float64),
            self.article_rows.counts(arts, self.shape[0]).astype(np.float64),
        ]

    def sums(self, mask: BoolArray | None) -> tuple[FloatArray, FloatArray]:
        """Counts per (pair, stance, quad, weight) cell, shaped `shape`; articles per pair."""
        cells, articles = self._reuse.sums(mask)
        return cells.reshape(self.shape), articles


class DayAggregates:
    """Articles per day over the kept articles (undated articles left out)."""

    def __init__(self, dates: pl.Series) -> None:
        days = dates.cast(pl.Int32)  # days since 1970: negative before it
        self.first = int(days.min()) if days.null_count() < days.len() else 0  # type: ignore[arg-type]
        # Undated articles are known by their null, not by a value (any day may be negative).
        self.dated = days.is_not_null().to_numpy() if days.null_count() else None
        values = days.fill_null(self.first).to_numpy().astype(np.int64)
        self.days = values - self.first
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
