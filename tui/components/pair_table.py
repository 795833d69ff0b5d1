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


def stance_bar(_: Any, row: dict[str, Any]) -> Text:
    """Cooperation (green), neutral (grey) and conflict (red) sentences as one proportional bar."""
    total = (row.get("cooperation") or 0) + (row.get("neutral") or 0) + (row.get("conflict") or 0)
    if not total:
        return Text("")
    cells = [round(BAR_WIDTH * (row.get(k) or 0) / total) for k in ("cooperation", "neutral", "conflict")]
    cells[1] = max(0, BAR_WIDTH - cells[0] - cells[2])
    return Text.assemble(("█" * cells[0], "green"), ("░" * cells[1], "grey50"), ("█" * cells[2], "red"))


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
                    pl.col("code_a"), pl.lit("–"), pl.col("code_b"), pl.lit(" "),
                    pl.col("name_a"), pl.lit(" – "), pl.col("name_b"),
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
