"""Untrusted text made inert for the terminal: control characters become visible symbols.

Article text, headlines and sources come from anywhere. Rich/Textual markup in them is never
parsed (every widget receives `rich.text.Text` or plain-content objects, not markup strings), and
this module turns terminal control and escape sequences into harmless visible characters so that
ESC, CSI, OSC 52, BEL or backspaces can neither act nor garble the screen.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls (except newline and tab, handled by callers), DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# Bidirectional overrides and isolates can make text display in a misleading order.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str | None, *, single_line: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in."""
    if not text:
        return ""
    # One character in, one character out: offsets of highlights stay valid.
    cleaned = _BIDI.sub("\ufffd", _CONTROL.sub(_picture, text))
    if single_line:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    return cleaned


def plain(text: str | None, style: str = "", *, single_line: bool = True) -> Text:
    """A rich Text that displays `text` literally: no markup parsing, no control characters."""
    return Text(printable(text, single_line=single_line), style=style, no_wrap=single_line, end="")
