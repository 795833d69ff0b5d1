"""Keyword extraction: near-duplicate removal, score contract, the ranking rules, and no crash on any text."""

from __future__ import annotations

import dataclasses
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.keywords.rerank import (
    DEFAULT_CONFIG,
    KeywordConfig,
    extract_keywords,
    is_near_duplicate,
    is_sticky_phrase,
    phrase_stems,
    remove_near_duplicates,
    word_score,
)


@pytest.fixture(scope="module")
def seed_article(seed_path: Path) -> tuple[str, str]:
    # The seed article: headline on line 1, body after.
    title, _, text = seed_path.read_text(encoding="utf-8").partition("\n")
    return title.strip(), text


@pytest.fixture(scope="module")
def seed_keywords(seed_article: tuple[str, str]) -> list[tuple[str, float]]:
    return extract_keywords(*seed_article)


def test_headline_windows_collapse_to_one_keyword() -> None:
    scored = [
        ("Baghdad growing ties", 0.01),
        ("Baghdad growing", 0.02),
        ("growing ties", 0.03),
        ("Baghdad", 0.04),
    ]
    kept = [phrase for phrase, _ in remove_near_duplicates(scored, top=10)]
    # The best window wins; the single word survives because "Iraq" beside "Iraq's sovereignty" reads fine.
    assert kept == ["Baghdad growing ties", "Baghdad"]


def test_stem_variants_are_duplicates() -> None:
    assert is_near_duplicate(phrase_stems("growing ties"), phrase_stems("grow tie"))
    assert not is_near_duplicate(phrase_stems("Iraq"), phrase_stems("Iraq's sovereignty"))


def test_seed_article_has_no_near_duplicates(seed_keywords: list[tuple[str, float]]) -> None:
    phrases = [phrase for phrase, _ in seed_keywords]
    assert phrases, "the seed article should yield keywords"
    windows = {"baghdad growing ties", "baghdad growing", "growing ties"}
    assert len(windows & {p.lower() for p in phrases}) <= 1
    for a, b in combinations(phrases, 2):
        assert not is_near_duplicate(phrase_stems(a), phrase_stems(b)), (a, b)


def test_seed_article_scores_are_plain_floats_best_first(seed_keywords: list[tuple[str, float]]) -> None:
    assert len(seed_keywords) <= DEFAULT_CONFIG.top
    scores = [score for _, score in seed_keywords]
    assert all(type(score) is float for score in scores)
    assert scores == sorted(scores)
    assert all(type(phrase) is str and phrase.strip() for phrase, _ in seed_keywords)


def test_top_limits_the_list(seed_article: tuple[str, str], seed_keywords: list[tuple[str, float]]) -> None:
    short = extract_keywords(*seed_article, dataclasses.replace(DEFAULT_CONFIG, top=3))
    assert short == seed_keywords[:3]


def test_config_is_hashable_and_frozen() -> None:
    assert hash(DEFAULT_CONFIG) == hash(KeywordConfig())
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_CONFIG.top = 5  # type: ignore[misc]


def test_word_score_prefers_frequent_and_longer_words() -> None:
    cfg = DEFAULT_CONFIG
    assert word_score(0.5, 4, 8, cfg) < word_score(0.5, 2, 8, cfg)
    assert word_score(0.5, 2, 9, cfg) < word_score(0.5, 2, 4, cfg)
    # YAKE's score only tempers the order: a better (lower) YAKE score still ranks first at equal coverage.
    assert word_score(0.1, 2, 8, cfg) < word_score(0.9, 2, 8, cfg)
    assert isinstance(word_score(0.5, 2, 8, cfg), float)


def test_word_length_is_capped() -> None:
    cfg = DEFAULT_CONFIG
    cap = cfg.max_word_chars
    assert word_score(0.5, 1, 100_000, cfg) == word_score(0.5, 1, cap, cfg)
    assert word_score(0.5, 1, cap, cfg) < word_score(0.5, 1, cap - 1, cfg)


def test_sticky_phrase_rule() -> None:
    cfg = DEFAULT_CONFIG
    assert is_sticky_phrase(3, [3, 3], cfg)  # the words never occur apart
    assert not is_sticky_phrase(1, [1, 1], cfg)  # a phrase seen once is not evidence
    assert not is_sticky_phrase(2, [2, 9], cfg)  # the second word mostly stands alone
    assert not is_sticky_phrase(5, [5], cfg)  # one content word is not a phrase


def test_sticky_phrase_replaces_its_words() -> None:
    text = (
        "The summit opened in Buenos Aires on Monday. Delegates flew into Buenos Aires from forty countries. "
        "Hotels across Buenos Aires were full, and the economy ministers argued about tariffs "
        "and tariffs again. "
        "Tariffs dominated the agenda."
    )
    phrases = [p for p, _ in extract_keywords("Trade summit", text)]
    assert "Buenos Aires" in phrases
    assert "Buenos" not in phrases and "Aires" not in phrases
    assert "tariffs" in {p.lower() for p in phrases}


def test_loose_phrase_is_not_listed() -> None:
    text = (
        "Economic growth slowed. Growth in exports fell, growth in imports rose, and growth forecasts "
        "were cut. Officials said growth would recover."
    )
    phrases = {p.lower() for p, _ in extract_keywords("Outlook", text)}
    assert "growth" in phrases
    assert "economic growth" not in phrases


def test_title_case_headline_words_are_shown_lower_case() -> None:
    text = "Police said the bomb was found near Iraq's border. The bomb squad made the bomb safe in Iraq."
    phrases = [p for p, _ in extract_keywords("Bomb Found Near Border", text)]
    assert "bomb" in phrases and "Bomb" not in phrases
    assert "Iraq" in phrases


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "🙂🙂 🚀 ✨",
        "\x00\x01\x02 \x1b[31m \x7f",
        "a" * 100_000,
        "1234 5678 90",
        "--- ... !!!",
    ],
)
def test_awkward_texts_do_not_crash(text: str) -> None:
    result = extract_keywords(text[:20], text)
    assert isinstance(result, list)
    assert all(type(s) is float for _, s in result)


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.lists(
    st.sampled_from(["Iraq", "iraq", "ties", "growing", "Baghdad", ".", ",", "\n", "the", "🙂", "42"]),
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(title=_TEXT, text=_TEXT)
def test_no_text_crashes_extraction(title: str, text: str) -> None:
    result = extract_keywords(title, text)
    assert len(result) <= DEFAULT_CONFIG.top
    scores = [s for _, s in result]
    assert all(type(s) is float for s in scores)
    assert scores == sorted(scores)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab _-.é1", max_size=12), st.text(alphabet="ab _-.é1\n", max_size=40))
def test_word_occurrence_matches_the_regex_it_replaces(needle: str, text: str) -> None:
    import re

    from core.keywords.rerank import _occurs_as_word

    expected = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None
    assert _occurs_as_word(needle, text) == expected
