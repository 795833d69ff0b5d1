"""Sentence spans: exact offsets, abbreviations, paragraph breaks versus hard-wrapped lines."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.text.sentences import sentence_at, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Smith went to the U.S. on Monday. George W. Bush spoke. He met Dr. Jones!"
    assert _texts(text) == [
        "Mr. Smith went to the U.S. on Monday.",
        "George W. Bush spoke.",
        "He met Dr. Jones!",
    ]


def test_quotes_close_the_sentence() -> None:
    assert _texts("He said “no.” Then he left.") == ["He said “no.”", "Then he left."]


def test_hard_wrapped_wire_copy_is_joined_and_paragraphs_split() -> None:
    text = (
        "SALVADOR, Feb 26 - Showers continued in\nthe cocoa zone.\n    The dry period ends.\nTitle\n\nBody."
    )
    assert _texts(text) == [
        "SALVADOR, Feb 26 - Showers continued in\nthe cocoa zone.",
        "The dry period ends.",
        "Title",
        "Body.",
    ]


def test_sentence_at_finds_the_containing_sentence() -> None:
    text = "One here. Two there. Three."
    sentences = split_sentences(text)
    assert [sentence_at(sentences, text.index(w)) for w in ("One", "Two", "Three")] == [0, 1, 2]


@given(st.text(max_size=300))
def test_spans_are_ordered_stripped_and_inside_the_text(text: str) -> None:
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    previous_end = 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip() and piece
        previous_end = sentence.end
