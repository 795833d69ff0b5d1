"""The Polars engine's tokenizer gives exactly the tokens yake gets from segtok."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from yake.data.utils import pre_filter, tokenize_sentences

from core.keywords.yake.frames import tokens_frame
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


def _frame_sentences(texts: list[str]) -> list[list[list[str]]]:
    """tokens_frame's tokens regrouped per document and sentence (checking rows and positions)."""
    frame, counts = tokens_frame(texts)
    assert frame.get_column("row").to_list() == list(range(len(frame)))
    out: list[list[list[str]]] = [[[] for _ in range(count)] for count in counts.to_list()]
    for token, doc, sent, position in frame.select("token", "doc", "sent", "pos_sent").iter_rows():
        assert position == len(out[doc][sent])
        out[doc][sent].append(token)
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=120)), min_size=1, max_size=5
    )
)
@example(["", "A. B. C. d e f.", 'He shouted "Stop!"' + " " * 40 + "then he left."])
@example(
    ["Rock &amp; roll at http://a.bc/d today.", "odd\x1cspace here. And\u2028there.", "a well-&#10;known"]
)
@example(["It's late, isn't it? Analysts' views: mixed... (AP) 'quoted' words.", "Iraq's U.S.-led talks."])
def test_batch_tokens_frame_equals_sentence_tokens(texts: list[str]) -> None:
    """The batch tokenizer (distinct pieces as frames, the rest whole) gives each article's
    sentence_tokens, in order, with sentences of no tokens counted."""
    assert _frame_sentences(texts) == [sentence_tokens(text) for text in texts]
