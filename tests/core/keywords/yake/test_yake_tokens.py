"""The Polars engine's tokenizer gives exactly the tokens yake gets from segtok."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from yake.data.utils import pre_filter, tokenize_sentences

from core.keywords.yake.segment import split_segtok_sentences
from core.keywords.yake.tokens import sentence_tokens
from tests.helpers import sample


def _segtok(text: str) -> list[list[str]]:
    # What yake.KeywordExtractor does to a text before building its statistics.
    return tokenize_sentences(pre_filter(text.replace("\n", " ")))


@pytest.mark.slow  # a third of the bundled corpus through both tokenizers
def test_bundled_articles_tokenize_exactly_as_segtok() -> None:
    articles = sample(3)
    differ = [
        title
        for title, text in articles
        if sentence_tokens(f"{title}\n{text}") != _segtok(f"{title}\n{text}")
    ]
    assert differ == []


def test_sentence_rules_on_hard_cases() -> None:
    text = (
        "Mr. Smith met Dr. Jones in the U.S. on Jan. 5. They talked (e.g. about trade) for hours! "
        'Then J. R. Tolkien said: "It\'s late." and left... The 3. item was i.e. odd. '
        "See http://example.com/a.b?c=1 or mail bob@example.org. Prices rose 3.5% to $1,200.50; "
        "U.K.-based firms didn't comment, analysts' views differ. She'll go."
    )
    assert sentence_tokens(text) == _segtok(text)
    assert split_segtok_sentences("One ends here. Two starts here.") == ["One ends here.", "Two starts here."]


# Text built from the characters the rules care about: terminals, quotes, brackets, apostrophes,
# hyphens, digits, capitals, abbreviations, entities and URL/e-mail shapes.
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        ". ",
        "! ",
        "? ",
        ", ",
        "; ",
        ": ",
        "'",
        "’",
        '"',
        "”",
        "(",
        ")",
        "[",
        "]",
        "-",
        "–",
        "...",
        "Mr",
        "Dr",
        "U.S",
        "e.g",
        "i.e",
        "Jan",
        "No",
        "A",
        "J",
        "de",
        "and",
        "was",
        "the",
        "Iraq",
        "it's",
        "don't",
        "we'll",
        "3",
        "12",
        "3.5",
        "1,200",
        "&amp;",
        "&#39;",
        "http://x.org/a",
        "bob@x.org",
        "km²",
        "H₂O",
        "ÉCOLE",
        "naïve",
        "\t",
        "x",
        "ABC",
        "McDonald",
        "Figs",
        "approx",
        "St",
        "Sept",
        "eg",
        "Smith",
        "By",
        "Captain",
        "#",
        "%",
        "s'",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
@example("A. B. C. d e f.")
@example('He shouted "Stop!"' + " " * 40 + "then he left.")
@example("Meet Smith" + " " * 60 + "J. Tolkien today.")
@example("a well-&#10;known man")
@example("end (A. Smith) start.")
def test_rule_shaped_text_tokenizes_exactly_as_segtok(text: str) -> None:
    assert sentence_tokens(text) == _segtok(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_tokenizes_exactly_as_segtok(text: str) -> None:
    assert sentence_tokens(text) == _segtok(text)
