"""The evidence of one country pair: each sentence with its event ("IQ → US · Reject · rejects … bases")."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.relations.pairs import event_headline
from tui.components.frame_table import Column, FrameTable
from tui.safety import printable

STANCE_STYLE = {"cooperation": "green", "conflict": "red", "neutral": "grey50"}


def _stance(value: Any, _: dict[str, Any]) -> Text:
    return Text(str(value), style=STANCE_STYLE.get(str(value), ""))


class EvidenceScreen(Screen[dict[str, Any] | None]):
    """Enter on a sentence returns it (article id, sentence offsets); Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Back")]

    def __init__(self, pair: dict[str, Any], titles: dict[str, str]) -> None:
        super().__init__()
        self.pair = pair
        rows = [
            {
                **e,
                "cues_text": ", ".join(e.get("cues") or []) or "—",
                "event_text": event_headline(e, pair["code_a"], pair["code_b"]),
                "headline": titles.get(e["article_id"], ""),
            }
            for e in pair.get("evidence") or []
        ]
        self.rows = pl.DataFrame(rows) if rows else pl.DataFrame()

    def compose(self) -> ComposeResult:
        pair = self.pair
        yield Static(
            Text(
                f"{printable(pair['name_a'])} – {printable(pair['name_b'])}: "
                f"{pair['sentences']} sentences in {pair['articles']} articles · "
                f"cooperation {pair['cooperation']} · conflict {pair['conflict']} · "
                f"neutral {pair['neutral']} · net {pair['net']:+.2f}",
                style="bold",
            ),
            id="evidence-title",
        )
        table = FrameTable(
            [
                Column("stance", "Stance", width=11, render=_stance),
                Column("event_text", "Event", ratio=3),
                Column("text", "Sentence", ratio=6),
            ],
            empty_text="no evidence sentences",
            id="evidence-table",
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(FrameTable)
        table.set_frame(self.rows)
        table.focus()

    def on_frame_table_selected(self, event: FrameTable.Selected) -> None:
        event.stop()
        self.dismiss(event.row)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
