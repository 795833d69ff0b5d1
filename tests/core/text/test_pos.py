"""The part-of-speech tagger shipped in data/pos_model.gz (sentences written for these tests)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.relations.event_coder import tokenize
from core.text.pos import UPOS, load_pos_model, pos_tags, read_pos_model


def tags_of(text: str) -> dict[str, str]:
    tokens = [t.text for t in tokenize(text)]
    return dict(zip(tokens, pos_tags(tokens), strict=True))


def test_verbs_and_nouns_of_the_same_spelling_are_told_apart() -> None:
    tagged = tags_of("The minister rejected the new rules and the government will rule on the appeal.")
    assert tagged["rejected"] == "VERB"
    assert tagged["rules"] == "NOUN"
    assert tagged["rule"] == "VERB"
    assert tagged["appeal"] == "NOUN"
    assert tagged["the"] == "DET"


def test_function_words_and_names() -> None:
    tagged = tags_of("She said that Norway would send the aid to Chile.")
    assert tagged["said"] == "VERB"
    assert tagged["would"] == "AUX"
    assert tagged["Norway"] == "PROPN"
    assert tagged["aid"] == "NOUN"
    assert tagged["."] == "PUNCT"


def test_model_is_read_once_and_has_the_universal_tags() -> None:
    assert load_pos_model() is load_pos_model()
    assert load_pos_model().tags == tuple(UPOS)


def test_a_damaged_model_file_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "pos_model.gz"
    with gzip.open(broken, "wb") as handle:
        handle.write(b'{"format": 2, "tags": ["A"], "features": 3, "common": 0}\nx\n')
    with pytest.raises(ValueError, match=r"pos_model\.gz"):
        read_pos_model(broken)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_gets_one_tag_per_token(text: str) -> None:
    tokens = [t.text for t in tokenize(text)]
    tags = pos_tags(tokens)
    assert len(tags) == len(tokens) and set(tags) <= set(UPOS)


def test_tagging_reads_the_same_features_training_builds() -> None:
    """The fast path (rows cached per word and neighbour role) scores exactly the features that
    benchmarks/train_pos.py trains on (own_features + context_features)."""
    from core.text.pos import context_features, own_features

    model = load_pos_model()
    texts = [t.text for t in tokenize("Chile's navy shelled Peruvian boats, Lima said; talks will resume.")]
    lowers = [t.lower() for t in texts]
    words = [(own_features(t), context_features(texts, lowers, i)) for i, t in enumerate(texts)]
    static = [model.matrix[model.rows_of([*own, *context])].sum(axis=0).tolist() for own, context in words]
    expected: list[str] = []
    width = len(model.tags) + 1
    before = previous = len(model.tags)
    for row in static:
        scores = [a + b for a, b in zip(row, model.state_rows[before * width + previous], strict=True)]
        best = scores.index(max(scores))
        before, previous = previous, best
        expected.append(model.tags[best])
    assert pos_tags(texts) == expected
