"""PickedRows: a frame's rows picked by number read the same as the frame those rows make."""

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from core.corpus.picked_rows import PickedRows

BASE = pl.DataFrame({"id": ["a", "b", "c", "d", "e"], "title": ["A", "B", "C", "D", "E"]})


def test_picked_rows_read_as_the_gathered_frame() -> None:
    picked = PickedRows(BASE, np.array([3, 0, 4]))
    assert picked.height == 3 and picked.columns == ["id", "title"] and not picked.is_empty()
    assert [picked.row(i) for i in range(3)] == BASE[[3, 0, 4]].to_dicts()
    assert picked.column("title").to_list() == ["D", "A", "E"]
    assert_frame_equal(picked.frame, BASE[[3, 0, 4]])


def test_position_of_is_the_display_position_among_the_picked_rows() -> None:
    picked = PickedRows(BASE, np.array([3, 0, 4]))
    assert picked.position_of("id", "e") == 2
    assert picked.position_of("id", "b") is None  # in the frame, not picked
    assert picked.position_of("id", "zz") is None
    assert PickedRows(BASE).position_of("id", "c") == 2


def test_without_picks_every_row_in_order_and_out_of_range_raises() -> None:
    every = PickedRows(BASE)
    assert every.height == 5 and every.frame is BASE and every.column("id").to_list() == list("abcde")
    assert PickedRows(BASE, np.zeros(0, dtype=np.int64)).is_empty()
    with pytest.raises(IndexError):
        every.row(5)


def test_the_row_itself_is_found_among_later_picks_by_bisection() -> None:
    earlier = PickedRows(BASE, np.array([0, 2, 3, 4]), ascending=True)
    later = PickedRows(BASE, np.array([2, 4]), ascending=True)
    assert later.position_of("id", "e", was=(earlier, 3)) == 1
    assert later.position_of("id", "d", was=(earlier, 2)) is None  # row 3 was filtered out
    # Not the same base, or not ascending: the key is searched for.
    other = PickedRows(BASE.clone(), np.array([2, 4]), ascending=True)
    assert other.position_of("id", "e", was=(earlier, 3)) == 1
    unordered = PickedRows(BASE, np.array([4, 2]))
    assert unordered.position_of("id", "e", was=(earlier, 3)) == 0
