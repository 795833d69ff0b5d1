"""The Article pane: the selected article's text with keywords and mentions highlighted.

`n`/`p` step through the mentions; the line under the text says why the selected one resolved
("Baghdad → Iraq, capital"). An evidence sentence opened from the relations pane is highlighted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.safety import plain, printable

STYLES = {
    "keyword": "underline",
    "country": "bold dodger_blue1",
    "person": "bold green",
    "organisation": "bold magenta",
    "place": "bold cyan",
    "other": "italic",
    "evidence": "on grey30",
    "selected": "reverse",
}


@dataclass(frozen=True)
class Mention:
    """A highlighted span and the sentence explaining it."""

    start: int
    end: int
    kind: str
    explanation: str


def explain(row: dict[str, Any]) -> str:
    """Why a mention resolved: 'Baghdad → Iraq, capital' / 'Jaafari → Ibrahim Jaafari, person (folded)'."""
    surface, entity, kind = row["surface"], row["entity"], row["kind"]
    if kind == "country":
        venue = ", a place (locative)" if row.get("locative") else ""
        return f"{surface} → {entity} ({row['code']}), {row['how']}{venue}"
    cue = f" ({row['how']})" if row.get("how") else ""
    return f"{surface} → {entity}, {kind}{cue}"


class ArticleView(Vertical):
    """Headline and text of one article, scrollable, with styled spans and a mention explainer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_mention(1)", "Next mention"),
        Binding("p", "next_mention(-1)", "Prev mention"),
    ]
    DEFAULT_CSS = """
    ArticleView { height: 2fr; }
    ArticleView > VerticalScroll { height: 1fr; }
    ArticleView #article-body { padding: 0 1; }
    ArticleView #article-explain { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="article")
        self.border_title = "Article"
        self.document = ""
        self.mentions: list[Mention] = []
        self.selected: int | None = None
        self._base = Text()
        self._highlight: tuple[int, int] | None = None
        self.explanation = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="article-scroll"):
            yield Static(Text("Select an article."), id="article-body")
        yield Static(Text(""), id="article-explain")

    def show(
        self,
        title: str,
        document: str,
        meta: str,
        keywords: list[str],
        mentions: list[dict[str, Any]],
        highlight: tuple[int, int] | None = None,
    ) -> None:
        """Display an article; `highlight` is an evidence sentence's (start, end) to mark and scroll to."""
        # A Text, never a str: Textual parses strings given to border titles as markup ([@click=…]).
        self.border_subtitle = plain(meta)
        self.document = document
        text = Text(printable(document))
        text.stylize("bold", 0, len(title))
        lowered = document.lower()
        for phrase in keywords:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", lowered):
                text.stylize(STYLES["keyword"], match.start(), match.end())
        self.mentions = sorted(
            (Mention(m["start"], m["end"], m["kind"], explain(m)) for m in mentions), key=lambda m: m.start
        )
        for mention in self.mentions:
            text.stylize(STYLES.get(mention.kind, ""), mention.start, mention.end)
        self._highlight = highlight
        if highlight is not None:
            text.stylize(STYLES["evidence"], *highlight)
        self._base = text
        self.selected = None
        self._render_body()
        self._explain(f"{len(self.mentions)} mentions · n/p steps through them" if self.mentions else "")
        scroll = self.query_one("#article-scroll", VerticalScroll)
        if highlight is not None:
            self.call_after_refresh(self._scroll_to_offset, highlight[0])
        else:
            scroll.scroll_home(animate=False)

    def _render_body(self) -> None:
        text = self._base
        if self.selected is not None:
            text = text.copy()
            mention = self.mentions[self.selected]
            text.stylize(STYLES["selected"], mention.start, mention.end)
        self.query_one("#article-body", Static).update(text)

    def _scroll_to_offset(self, offset: int) -> None:
        body = self.query_one("#article-body", Static)
        width = max(10, body.content_region.width)
        prefix = Text(printable(self.document[:offset]))
        line = len(prefix.wrap(self.app.console, width)) - 1 if offset else 0
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.scroll_to(y=max(0, line - 2), animate=False)

    def action_next_mention(self, step: int) -> None:
        if not self.mentions:
            return
        if self.selected is None:
            self.selected = 0 if step > 0 else len(self.mentions) - 1
        else:
            self.selected = (self.selected + step) % len(self.mentions)
        mention = self.mentions[self.selected]
        self._render_body()
        self._explain(
            f"{self.selected + 1}/{len(self.mentions)}  {printable(mention.explanation, single_line=True)}"
        )
        self._scroll_to_offset(mention.start)

    def _explain(self, line: str) -> None:
        self.explanation = line
        self.query_one("#article-explain", Static).update(Text(line))
