"""A strip of articles per day for the filtered set, when articles have dates."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static


class Timeline(Horizontal):
    """Sparkline of articles per day between the first and last date, with the range as a label."""

    DEFAULT_CSS = """
    Timeline { height: 1; }
    Timeline > #timeline-range { width: auto; padding: 0 1; color: $text-muted; }
    Timeline > Sparkline { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("no dates"), id="timeline-range")
        yield Sparkline([], id="timeline-spark")

    def set_counts(self, per_day: pl.DataFrame, total: int = 0) -> None:
        """`per_day`: date, articles. Days without articles count as zero. `total`: the most
        articles the count can show (the corpus), so that the label keeps one width as it changes."""
        spark = self.query_one(Sparkline)
        label = self.query_one("#timeline-range", Static)
        if per_day.is_empty():
            spark.data = []
            self._show(label, "no dated articles")
            self.days = 0
            return
        first, last = per_day.get_column("date").min(), per_day.get_column("date").max()
        assert isinstance(first, date) and isinstance(last, date)
        # Every day from first to last, in NumPy: this runs on the UI thread at each keystroke,
        # and a dataset can span ten thousand days (a Polars join here cost ~15 ms a key).
        days = per_day.get_column("date").cast(pl.Int32).to_numpy()
        days = days - days.min()
        counts = np.zeros(int(days.max()) + 1, dtype=np.int64)
        counts[days] = per_day.get_column("articles").to_numpy()
        spark.data = counts.tolist()
        self.days = len(spark.data)
        digits = len(f"{total:,}")
        text = f"{first} … {last}  {int(per_day.get_column('articles').sum()):>{digits},} dated"
        self._show(label, text)

    def _show(self, label: Static, text: str) -> None:
        # The label's width follows its text: lay the screen out only when that width changes.
        label.update(Text(text), layout=len(text) != len(self._label))
        self._label = text

    days: int = 0
    _label: str = "no dates"  # the range label's text: its width decides whether to lay out again
