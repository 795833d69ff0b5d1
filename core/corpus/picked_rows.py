"""A table's rows: a frame's rows picked by row number, gathered only when they are read.

A filter over a million articles can keep half of them. Copying their headlines, sources and dates
into a new frame on every keystroke costs more than all the panes' sums, yet the articles table
shows forty rows at a time. The view therefore hands the table the row numbers of the articles it
keeps, in display order, over one frame built once; the table reads the rows it draws, and a
caller that wants the whole filtered frame gets it from `frame` (gathered once, then kept).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl


class PickedRows:
    """The rows `picks` of `base`, in that order (all of base's rows, in order, when picks is None);
    `ascending`: the picks are in ascending order (a filter of a frame already in display order)."""

    def __init__(
        self, base: pl.DataFrame, picks: npt.NDArray[np.integer] | None = None, ascending: bool = False
    ) -> None:
        self.base = base
        self.picks = picks
        self.ascending = ascending and picks is not None

    @property
    def height(self) -> int:
        return self.base.height if self.picks is None else int(self.picks.size)

    @property
    def columns(self) -> list[str]:
        return self.base.columns

    def is_empty(self) -> bool:
        return self.height == 0

    def row(self, index: int) -> dict[str, Any]:
        """Row `index` (0-based, in display order) as {column: value}."""
        if not 0 <= index < self.height:
            raise IndexError(f"row {index} of {self.height}")
        return self.base.row(index if self.picks is None else int(self.picks[index]), named=True)

    def column(self, name: str) -> pl.Series:
        """One column of the picked rows, in display order (only that column is gathered)."""
        if self.picks is None:
            return self.base.get_column(name)
        return self.base.get_column(name).gather(self.picks)

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The picked rows as a frame of their own."""
        return self.base if self.picks is None else self.base[self.picks]

    def position_of(self, column: str, value: Any, was: tuple[PickedRows, int] | None = None) -> int | None:
        """The display position of the first picked row whose `column` equals `value`, or None.

        `was` (earlier rows, a position in them) names the row itself: when both pick ascending
        from the same base, that row is found among these picks by bisection (the articles table
        keeps the reader's row on every keystroke, and a search of a million ids costs ~10 ms),
        and if it is not among them, neither is its key (keys are unique there: article ids)."""
        if was is not None:
            earlier, index = was
            same_order = self.ascending and earlier.ascending and earlier.base is self.base
            if same_order and 0 <= index < earlier.height:
                assert self.picks is not None and earlier.picks is not None
                row = earlier.picks[index]
                at = int(np.searchsorted(self.picks, row))
                return at if at < self.picks.size and self.picks[at] == row else None
        matches = self.base.get_column(column).eq(value).arg_true().to_numpy()
        if self.picks is None:
            return int(matches[0]) if matches.size else None
        positions = np.flatnonzero(np.isin(self.picks, matches))
        return int(positions[0]) if positions.size else None
