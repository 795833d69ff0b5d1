"""Hostile sources, titles and URLs, then a walk through the whole app: no markup tag or action survives.

The data carries `[@click=app.hostile_marker]`, `[b]`, `[link=…]` and terminal escapes in every field
(folder and file names, feed title, source, headline, text, URL). At each stop of the walk (the
dashboard with an article open and corpus keywords shown, the load log, a pair's evidence, the
command palette) every cell of the screen is read back from Textual's compositor: no segment may
carry a click action or link from the data, no control character may reach the terminal, and the
markup must be on screen as literal text. Widgets' tooltips must not be markup strings either.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.segment import Segment
from textual.app import App

from tests.helpers import make_app, settle
from tui.app import NewsdeskApp
from tui.components.pair_table import PairTable
from tui.screens.evidence import EvidenceScreen
from tui.screens.log import LogScreen

MARKUP = (
    "[@click=app.hostile_marker]X[/] [b]B[/b] [link=http://evil.example]L[/link] \x1b[31mR\x1b]52;c;eA==\x07"
)
LITERAL = "[@click=app.hostile_marker]"


def _hostile_sources(root: Path) -> Path:
    folder = root / "news [b]folder [@click=app.hostile_marker]"  # no "/": it is a path
    folder.mkdir()
    records = [
        {
            "title": f"Iraq and Turkey {MARKUP}",
            "text": f"Iraq and Turkey signed a water agreement in Ankara. {MARKUP} Officials welcomed it.",
            "source": MARKUP,
            "url": f"http://host/x/{MARKUP}",
            "date": "2024-01-05",  # newest: the article open at the first stop
        },
        {
            "title": "Russia warns Ukraine",
            "text": f"Russia threatened Ukraine with sanctions. {MARKUP}",
            "source": "wire",
            "date": "2024-01-03",
        },
    ]
    (folder / f"a{LITERAL}.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n{broken " + MARKUP + "\n", encoding="utf-8"
    )
    item_link = "http://host/y/[@click=app.hostile_marker]Y[/]"
    (folder / "feed.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{MARKUP.replace(chr(27), "")}</title>'
        f"<item><title>Feed [@click=app.hostile_marker]T[/] Iraq and Iran</title><link>{item_link}</link>"
        "<description>Iraq and Iran agreed to cooperate on trade in Tehran.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return folder


def _check_screen(app: App[None], stop: str) -> str:
    """Every cell of the current screen: no data action or link, no control character; its text."""
    strips = app.screen._compositor.render_strips()
    lines = []
    for strip in strips:
        segments: list[Segment] = list(strip)
        for segment in segments:
            style = segment.style
            if style is not None:
                assert "hostile_marker" not in str(style.meta), f"{stop}: a click action from the data"
                assert not (style.link or "").startswith("http://evil"), f"{stop}: a link from the data"
        lines.append("".join(segment.text for segment in segments))
    text = "\n".join(lines)
    assert "\x1b" not in text and "\x07" not in text, f"{stop}: a control character reached the screen"
    for widget in app.screen.walk_children():
        assert not (isinstance(widget.tooltip, str) and "[" in widget.tooltip), f"{stop}: markup tooltip"
    return text


async def test_no_markup_or_action_from_the_data_survives_anywhere(tmp_path: Path) -> None:
    app: NewsdeskApp = make_app([_hostile_sources(tmp_path)], tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        app.query_one("#articles").focus()
        await pilot.press("enter")  # open the top article
        await settle(app, pilot)
        dashboard = _check_screen(app, "dashboard")
        assert LITERAL in dashboard  # shown as the characters it is made of
        await pilot.press("t")  # corpus keywords
        await settle(app, pilot)
        _check_screen(app, "corpus keywords")

        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert LITERAL in _check_screen(app, "load log")
        await pilot.press("escape")

        pairs = app.query_one(PairTable)
        assert pairs.row_count > 0
        pairs.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EvidenceScreen)
        _check_screen(app, "evidence")
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await settle(app, pilot)
        _check_screen(app, "command palette")
        await pilot.press("escape")
        await settle(app, pilot)
        _check_screen(app, "after the palette")
