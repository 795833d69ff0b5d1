"""The tagger's fast paths give what the plain definitions give.

The analysis reads features as row numbers by template (article_rows) and cuts words with offsets
from one regex pass; training and --explain read them as strings (article_features) and cut words
with tokenize(). These tests hold each fast path to its plain twin, on sentences written here and on
free text, so the speed work cannot change what the model sees.
"""

from __future__ import annotations

from itertools import accumulate

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.entities.features import (
    article_features,
    article_rows,
    article_words,
    candidates,
    lexicon,
    tokenize,
    word_shape,
)
from core.entities.model import load_model, static_scores
from core.entities.recognise import _SPACED_WORD
from core.text.sentences import split_sentences

TEXTS = [
    "Midfielder Tomasz Lis was injured. The Bank of the North met al-Hashimi on Monday .",
    "SOCCER - LEEDS SIGN STRIKER . Leeds United beat Dynamo Kyiv 2-1 , Arthur Bishop said .",
    "Mr. Okafor 's staff at the U.N. and the Department of the Interior said it would talk.",
    '"We will win," said Ana Kowalski of Norvik Holdings AG in St. Albans on 1996-08-30.',
    "The the of Of OF and And -- ' ’s Ünal Çelik und Łódź 20TH CENTURY FOX",
]


def sentence_words(text: str) -> list[list[str]]:
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    return [[piece[a:b] for a, b in tokenize(piece)] for piece in pieces]


def scores_from_strings(text: str) -> np.ndarray:
    """Each candidate's static score, summed feature by feature from the feature strings."""
    model = load_model()
    features = article_features(article_words(sentence_words(text), lexicon()), lexicon())
    out = np.zeros((len(features.positions), len(model.tags)))
    for number in range(len(features.positions)):
        for feature in features.of(number):
            out[number] += model.matrix[model.index.get(feature, 0)]
    return out


def scores_from_rows(text: str) -> np.ndarray:
    model = load_model()
    article = article_words(sentence_words(text), lexicon())
    rows = article_rows(article, lexicon(), model.table)
    assert rows.positions == article_features(article, lexicon()).positions
    return static_scores(model, rows, [article.words[p] for p in rows.positions])


def test_feature_rows_give_the_scores_of_the_feature_strings() -> None:
    for text in TEXTS:
        np.testing.assert_allclose(scores_from_rows(text), scores_from_strings(text), atol=1e-4)


NAME_LIKE = st.lists(
    st.sampled_from(
        [
            "Ana",
            "U.N.",
            "of",
            "the",
            "The",
            "Bank",
            "said",
            "'s",
            ".",
            '"',
            "\n",
            "al-Amin",
            "GROUP",
            "LEEDS",
            "Mr.",
            "7",
            "Monday",
            "and",
            "(",
            "Kowalski",
            "analysts",
            "Inc",
        ]
    ),
    max_size=60,
)


@given(NAME_LIKE)
@settings(max_examples=120, deadline=None)
def test_feature_rows_match_strings_on_word_soup(parts: list[str]) -> None:
    text = " ".join(parts)
    np.testing.assert_allclose(scores_from_rows(text), scores_from_strings(text), atol=1e-4)


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_spaced_word_pass_cuts_the_same_words_with_their_offsets(text: str) -> None:
    spaced = _SPACED_WORD.findall(text)
    words = [piece.lstrip() for piece in spaced]
    ends = list(accumulate(map(len, spaced)))
    spans = [(end - len(word), end) for word, end in zip(words, ends, strict=True)]
    assert spans == tokenize(text)


def test_candidates_of_one_sentence() -> None:
    words = "The Bank of the North and the Department of the Interior met on Monday".split()
    picked = [word for word, flag in zip(words, candidates(words, lexicon()), strict=True) if flag]
    # "The" stays beside a capitalised word; "Monday" alone is left out.
    assert " ".join(picked) == "The Bank of the North and the Department of the Interior"
    words = "Talks with al-Hashimi and ibn-Saud ended , analysts said".split()
    picked = [word for word, flag in zip(words, candidates(words, lexicon()), strict=True) if flag]
    assert picked == ["Talks", "al-Hashimi", "ibn-Saud"]


def _shape_by_letter(word: str) -> str:
    out = ""
    for char in word:
        kind = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if out[-1:] != kind:
            out += kind
    return out


@given(st.text(max_size=12))
@settings(max_examples=300, deadline=None)
def test_word_shape_is_the_same_for_ascii_and_other_words(word: str) -> None:
    assert word_shape(word) == _shape_by_letter(word)
