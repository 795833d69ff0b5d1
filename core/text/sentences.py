"""Sentence spans over an article document, so every mention can name the sentence it sits in.

A small rule-based splitter: news prose is regular enough, and offsets must be exact (the dashboard
highlights evidence sentences by offset), which rules make easy to guarantee. Its twin,
`core.keywords.yake.segment.split_segtok_sentences`, returns strings split exactly as YAKE's segtok
does, for the keyword engine's parity with yake; this one serves countries, entities and relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt maj capt sgt adm gov sen rep rev fr hon pres
    inc ltd co corp bros dept univ est approx no vol fig jan feb mar apr jun jul aug sep sept oct nov
    dec mon tue wed thu fri sat sun vs etc al e.g i.e u.s u.k u.n u.s.a e.u a.m p.m""".split()
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)""")
_LINE_BREAK = re.compile(r"\n[^\S\n]*(\n\s*)?")
# A single line break ends a sentence after these; otherwise it is a hard wrap inside one.
_LINE_END = frozenset(".!?:;\"”’')]…")
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the document and its [start, end) character offsets."""

    index: int
    start: int
    end: int


def _is_abbreviation(text: str, dot: int) -> bool:
    # Look only at the few characters before the dot: searching from 0 made splitting quadratic.
    match = _TOKEN_BEFORE.search(text, max(0, dot - 24), dot + 1)
    if not match:
        return False
    token = match.group(1).rstrip(".").lower()
    # Single capital initials ("George W. Bush") and known abbreviations do not end sentences.
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _next_starts_sentence(text: str, position: int) -> bool:
    rest = text[position : position + 3].lstrip()
    return not rest or not rest[0].islower()


def _line_break_ends_sentence(text: str, match: re.Match[str]) -> bool:
    if match.group(1) is not None:  # a blank line: a paragraph break
        return True
    before = text[: match.start()].rstrip()
    indented = match.end() - match.start() > 2  # the next line starts indented (wire-style paragraphs)
    bullet = text[match.end() : match.end() + 1] in {"-", "*", "•"}
    return not before or before[-1] in _LINE_END or indented or bullet


def split_sentences(text: str) -> list[Sentence]:
    """Sentence spans covering the non-blank text.

    Blank lines, and line breaks after terminal punctuation or before an indented line, end a
    sentence; other line breaks are hard wraps (wire copy wraps at 65 columns) and do not.
    """
    cuts: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        if _line_break_ends_sentence(text, match):
            cuts.add(match.start())
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        single_dot = text[match.start()] == "." and end - match.start() == 1
        if single_dot and _is_abbreviation(text, match.start()):
            continue
        if _next_starts_sentence(text, end):
            cuts.add(end)
    sentences: list[Sentence] = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        segment = text[start:cut]
        stripped = segment.strip()
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            begin = start + lead
            sentences.append(Sentence(len(sentences), begin, begin + len(stripped)))
        start = cut
    return sentences


def sentence_at(sentences: list[Sentence], offset: int) -> int:
    """Index of the sentence containing `offset` (the nearest one before it when in a gap)."""
    low, high = 0, len(sentences) - 1
    found = 0
    while low <= high:
        middle = (low + high) // 2
        if sentences[middle].start <= offset:
            found = middle
            low = middle + 1
        else:
            high = middle - 1
    return found
