"""Country pairs of the filtered set: sentences, a cooperation/conflict bar and the net score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.components.frame_table import Column, FrameTable
from tui.messages import FilterTermRequested

BAR_WIDTH = 10


# QuadClass segments of the bar, cooperation to conflict: acts in solid blocks, words in shaded ones.
QUAD_SEGMENTS = (
    ("material_cooperation", "█", "green"),
    ("verbal_cooperation", "▓", "green"),
    ("neutral", "░", "grey50"),
    ("verbal_conflict", "▓", "red"),
    ("material_conflict", "█", "red"),
)


def stance_bar(_: Any, row: dict[str, Any]) -> Text:
    """The pair's sentences by QuadClass as one proportional bar: material/verbal cooperation (green),
    neutral (grey), verbal/material conflict (red)."""
    counts = [int(row.get(name) or 0) for name, _, _ in QUAD_SEGMENTS]
    total = sum(counts)
    if not total:
        return Text("")
    cells = [round(BAR_WIDTH * count / total) for count in counts]
    # Rounding may miss or overshoot the width: the neutral segment absorbs the difference.
    cells[2] = max(0, BAR_WIDTH - sum(cells) + cells[2])
    while sum(cells) > BAR_WIDTH:
        cells[cells.index(max(cells))] -= 1
    return Text.assemble(
        *((glyph * cell, style) for (_, glyph, style), cell in zip(QUAD_SEGMENTS, cells, strict=True))
    )


def net_score(value: Any, _: dict[str, Any]) -> Text:
    number = float(value or 0.0)
    style = "green" if number > 0.05 else "red" if number < -0.05 else ""
    return Text(f"{number:+.2f}", style=style)


class PairTable(FrameTable):
    """Country-pair summaries; Enter opens the evidence, `f` adds the pair to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Evidence"),
        Binding("f", "filter_pair", "Filter by pair"),
    ]

    @dataclass
    class FilterRequested(FilterTermRequested):
        """`f` on a pair: add `pair:XX-YY` to the filter."""

    @dataclass
    class EvidenceRequested(Message):
        """Enter on a pair: show the sentences that name both countries."""

        code_a: str
        code_b: str

    def __init__(self) -> None:
        super().__init__(
            [
                Column("pair", "Pair", ratio=3),
                Column("sentences", "Sent", width=4, align="right"),
                Column("bar", "Stance", width=BAR_WIDTH, render=stance_bar),
                Column("net", "Net", width=5, align="right", render=net_score),
            ],
            key_column="pair",
            empty_text="no two countries share a sentence here",
            id="pairs",
        )
        self.border_title = "Country relations"

    def set_pairs(self, summary: pl.DataFrame) -> None:
        frame = (
            summary.with_columns(
                # Codes first: at 80 columns the pane is ~15 cells wide and "Iraq –…" named one
                # country; "IQ–US Iraq – United States" stays readable however it is cut.
                pair=pl.concat_str(
                    pl.col("code_a"),
                    pl.lit("–"),
                    pl.col("code_b"),
                    pl.lit(" "),
                    pl.col("name_a"),
                    pl.lit(" – "),
                    pl.col("name_b"),
                ),
                bar=pl.lit(None),
            )
            if summary.height
            else summary
        )
        self.set_frame(frame)

    def action_filter_pair(self) -> None:
        row = self.current_row()
        if row is not None:
            self.post_message(self.FilterRequested(f"pair:{row['code_a']}-{row['code_b']}"))

    @on(FrameTable.Selected)
    def _pair_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        if not event.row:  # a click on an empty list
            return
        self.post_message(self.EvidenceRequested(event.row["code_a"], event.row["code_b"]))
