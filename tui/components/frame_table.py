"""A keyboard-driven table that renders only its visible rows straight from a Polars frame.

Every pane of newsdesk is a list of rows that changes on each keystroke of the filter; with 10,000
articles, rebuilding a DataTable (which measures every cell) costs far more than the filter itself.
This widget keeps the frame and draws the lines on screen from it (Textual's Line API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.corpus.picked_rows import PickedRows
from tui.safety import printable
from tui.scroll_size import set_virtual_size

CellRenderer = Callable[[Any, dict[str, Any]], Text]


@dataclass(frozen=True)
class Column:
    """One column: the frame column it shows, its header, and how wide it is."""

    key: str
    label: str
    width: int | None = None  # fixed width in cells; None shares what is left by `ratio`
    ratio: int = 1
    align: Literal["left", "right"] = "left"
    render: CellRenderer | None = None  # for styled cells (bars, badges); default: the value as text
    # A plain cell's text from its value (default str), applied to drawn rows only: cheaper than
    # rewriting the frame's column at every keystroke. Not used when `render` is given.
    formatter: Callable[[Any], str] | None = None


class FrameTable(ScrollView, can_focus=True):
    """Rows of a Polars frame with a cursor; posts Highlighted on moves and Selected on Enter/click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "first", "Top", show=False),
        Binding("G,end", "last", "Bottom", show=False),
        Binding("enter", "select", "Open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "frame-table--header",
        "frame-table--cursor",
        "frame-table--cursor-blurred",
        "frame-table--empty",
    }
    DEFAULT_CSS = """
    FrameTable {
        height: 1fr; background: $surface; scrollbar-size-vertical: 1; overflow-x: hidden;
        /* Always a scrollbar: one that comes and goes with the row count lays the screen out again. */
        overflow-y: scroll;
    }
    FrameTable > .frame-table--header { text-style: bold; color: $text-accent; }
    FrameTable > .frame-table--cursor { background: $accent 60%; color: $text; }
    FrameTable > .frame-table--cursor-blurred { background: $accent 25%; }
    FrameTable > .frame-table--empty { color: $text-muted; text-style: italic; }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to `row` (a dict of the frame's columns), or the table emptied (None)."""

        table: FrameTable
        row: dict[str, Any] | None

        @property
        def control(self) -> FrameTable:
            return self.table

    @dataclass
    class Selected(Message):
        """Enter or a click on `row`."""

        table: FrameTable
        row: dict[str, Any]

        @property
        def control(self) -> FrameTable:
            return self.table

    def __init__(
        self,
        columns: list[Column],
        *,
        key_column: str | None = None,
        empty_text: str = "nothing to show",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.key_column = key_column
        self.empty_text = empty_text
        # What the pane says instead while nothing is loaded yet ("loading…", "nothing loaded").
        self.status_text: str | None = None
        # What is shown: a frame, or rows picked from one and read as they are drawn (PickedRows).
        self.rows = PickedRows(pl.DataFrame())
        self.cursor = 0
        self._row_cache: dict[int, dict[str, Any]] = {}
        self._style: Style | None = None  # see _base_style
        self._chosen = False  # the reader moved the cursor (see set_frame)

    # -- data -----------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self.rows.height

    @property
    def frame(self) -> pl.DataFrame:
        """The rows shown, as one frame (gathered on first use when they were picked)."""
        return self.rows.frame

    def set_frame(self, frame: pl.DataFrame | PickedRows, keep_key: Any = None) -> None:
        """Show `frame`; keep the cursor on the row whose key is `keep_key` (else the current key)."""
        rows = frame if isinstance(frame, PickedRows) else PickedRows(frame)
        was: tuple[PickedRows, int] | None = None  # the row itself, when keeping the reader's
        if keep_key is not None:
            self._chosen = True  # a row chosen for the reader (an evidence sentence's article)
        elif self.key_column and self.row_count and self._chosen:
            # The row the reader moved to stays chosen; a cursor nobody moved stays at the top.
            current = self.current_row()
            keep_key = current[self.key_column] if current else None
            was = (self.rows, self.cursor)
        self.rows = rows
        self._row_cache.clear()
        cursor = 0
        if keep_key is not None and self.key_column and rows.height and self.key_column in rows.columns:
            cursor = rows.position_of(self.key_column, keep_key, was) or 0
        set_virtual_size(self, Size(0, rows.height + 1))
        self._move_to(cursor, announce=True)
        self.refresh()

    def row_at(self, index: int) -> dict[str, Any] | None:
        if not 0 <= index < self.row_count:
            return None
        if index not in self._row_cache:
            if len(self._row_cache) > 512:
                self._row_cache.clear()
            self._row_cache[index] = self.rows.row(index)
        return self._row_cache[index]

    def current_row(self) -> dict[str, Any] | None:
        return self.row_at(self.cursor)

    # -- cursor ---------------------------------------------------------------------------------

    def _move_to(self, index: int, announce: bool = True) -> None:
        previous = self.cursor
        self.cursor = max(0, min(index, self.row_count - 1)) if self.row_count else 0
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        self.refresh()
        if announce or previous != self.cursor:
            self.post_message(self.Highlighted(self, self.current_row()))

    def _choose(self, index: int) -> None:
        """The reader moves the cursor: that row stays chosen when the rows change (see set_frame)."""
        self._chosen = True
        self._move_to(index, announce=False)

    def action_cursor(self, delta: int) -> None:
        self._choose(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._choose(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self._choose(0)

    def action_last(self) -> None:
        self._choose(self.row_count - 1)

    def action_select(self) -> None:
        row = self.current_row()
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < self.row_count:
            self._choose(index)
            self.post_message(self.Selected(self, self.current_row() or {}))

    def on_resize(self) -> None:
        self.virtual_size = Size(0, self.row_count + 1)

    # -- rendering ------------------------------------------------------------------------------

    def _widths(self, total: int) -> list[int]:
        gaps = len(self.columns) - 1
        fixed = sum(c.width or 0 for c in self.columns)
        ratios = sum(c.ratio for c in self.columns if c.width is None) or 1
        spare = max(0, total - fixed - gaps)
        widths = [c.width if c.width is not None else spare * c.ratio // ratios for c in self.columns]
        flexible = [i for i, c in enumerate(self.columns) if c.width is None]
        if flexible:
            widths[flexible[-1]] += spare - sum(widths[i] for i in flexible)
        return widths

    def _cells(self, row: dict[str, Any] | None, widths: list[int], base: Style) -> list[Segment]:
        segments: list[Segment] = []
        console = self.app.console
        for number, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
            if number:
                segments.append(Segment(" ", base))
            if width <= 0:
                continue
            if row is not None and column.render is None:
                # A plain value (most cells): cut and padded as Text.truncate would, without Text.
                value = row.get(column.key)
                shown = "" if value is None else column.formatter(value) if column.formatter else str(value)
                plain = printable(shown, single_line=True)
                if cell_len(plain) > width:
                    plain = set_cell_size(plain, width - 1) + "…"
                pad = " " * (width - cell_len(plain))
                cell = plain + pad if column.align == "left" else pad + plain
                segments.append(Segment(cell, base))
                continue
            if row is None:
                text = Text(column.label)
            else:
                assert column.render is not None  # plain values were drawn above
                text = column.render(row.get(column.key), row)
            text.truncate(width, overflow="ellipsis")
            pad_width = width - cell_len(text.plain)
            if column.align == "right":
                segments.append(Segment(" " * pad_width, base))
            segments.extend(
                Segment(s.text, base + s.style if s.style else base)
                for s in text.render(console)
                if s.text != "\n"
            )
            if column.align == "left":
                segments.append(Segment(" " * pad_width, base))
        return segments

    def _base_style(self) -> Style:
        # The widget's style walks every ancestor's CSS; it is the same for every line until the
        # styles change (notify_style_update) or the focus moves.
        if self._style is None:
            self._style = self.rich_style
        return self._style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        if y == 0:
            style = base + self.get_component_rich_style("frame-table--header")
            return Strip(self._cells(None, self._widths(width), style)).adjust_cell_length(width, style)
        if not self.row_count:
            if y == 1:
                style = base + self.get_component_rich_style("frame-table--empty")
                text = self.status_text or self.empty_text
                return Strip([Segment(set_cell_size(text, width), style)])
            return Strip.blank(width, base)
        index = int(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        if index == self.cursor:
            name = "frame-table--cursor" if self.has_focus else "frame-table--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        return Strip(self._cells(row, self._widths(width), base)).adjust_cell_length(width, base)

    def on_focus(self) -> None:
        self._style = None
        self.refresh()

    def on_blur(self) -> None:
        self._style = None
        self.refresh()
