"""Setting a widget's scrollable size without laying out the whole screen.

Textual's `virtual_size` asks for a layout of the screen when it changes, which repaints every
pane and scrollbar. The filter box sets it on every typed character and each table on every new
set of rows, so each keystroke of the filter laid the screen out twice. Only the widget's own
scrollbars depend on it, so once the widget has been laid out they are updated here instead; a
scrollbar that appears or disappears still asks for the layout it needs.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """`widget.virtual_size = size`, without a screen layout once the widget has been laid out."""
    if not widget.container_size:  # not laid out yet: the first layout sizes everything
        widget.virtual_size = size
    elif size != widget.virtual_size:
        widget.set_reactive(Widget.virtual_size, size)
        widget._scroll_update(size)
