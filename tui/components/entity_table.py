"""The entity counts of the filtered set: countries, people, organisations, places and other names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl
from textual import on
from textual.binding import Binding, BindingType

from tui.components.filter_bar import FilterBar
from tui.components.frame_table import Column, FrameTable
from tui.messages import FilterTermRequested

KINDS = ("all", "country", "person", "organisation", "place", "other")
# Kinds shortened to fit the column.
KIND_LABELS = {"organisation": "org"}


class EntityTable(FrameTable):
    """Entity counts; `c` cycles the kind shown, Enter adds the entity to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cycle_kind", "Kind"),
        Binding("enter", "select", "Filter by entity"),
    ]

    @dataclass
    class FilterRequested(FilterTermRequested):
        """Enter on an entity: add `country:XX` or `entity:"…"` to the filter."""

    def __init__(self) -> None:
        super().__init__(
            [
                Column("kind", "Kind", width=7, formatter=lambda kind: KIND_LABELS.get(kind, kind)),
                Column("entity", "Entity", ratio=3),
                Column("mentions", "Ment", width=5, align="right"),
                Column("articles", "Arts", width=5, align="right"),
            ],
            key_column="entity",
            empty_text="no entities in the filtered set",
            id="entities",
        )
        self.kind = "all"
        self._all = pl.DataFrame()
        self.border_title = "Entities: all"

    def set_counts(self, frame: pl.DataFrame) -> None:
        self._all = frame
        self._show()

    def _show(self) -> None:
        frame = self._all
        if self.kind != "all" and frame.height:
            frame = frame.filter(pl.col("kind") == self.kind)
        self.set_frame(frame)

    def action_cycle_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.border_title = f"Entities: {self.kind}"
        self._show()

    @on(FrameTable.Selected)
    def _entity_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        if not event.row:  # a click on an empty list
            return
        row = event.row
        term = f"country:{row['code']}" if row.get("code") else f"entity:{FilterBar.quote(row['entity'])}"
        self.post_message(self.FilterRequested(term))
