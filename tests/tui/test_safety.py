"""Untrusted text: control characters become visible, one character for one, and markup stays text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.safety import plain, printable


def test_escape_sequences_become_visible() -> None:
    hostile = "a\x1b[31mred\x1b]52;c;ZXZpbA==\x07b\x08\x9b2J"
    shown = printable(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x08" not in shown and "\x9b" not in shown
    assert shown == "a␛[31mred␛]52;c;ZXZpbA==␇b␈\ufffd2J"


def test_markup_is_not_parsed() -> None:
    text = plain("[bold]x[/bold] [@click=app.quit]quit[/] [link=http://evil]y[/link]")
    assert text.plain == "[bold]x[/bold] [@click=app.quit]quit[/] [link=http://evil]y[/link]"
    assert text.spans == []


def test_bidi_overrides_are_neutralised() -> None:
    assert printable("abc\u202edef") == "abc\ufffddef"


@given(st.text())
def test_printable_keeps_length_and_leaves_no_controls(text: str) -> None:
    shown = printable(text)
    assert len(shown) == len(text)  # offsets of highlights stay valid
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)
    single = printable(text, single_line=True)
    assert "\n" not in single and "\t" not in single
