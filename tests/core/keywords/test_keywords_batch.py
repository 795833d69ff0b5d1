"""The batched Polars keyword engine returns what the per-article yake path returns."""

from __future__ import annotations

import pytest

from core.keywords.batch import extract_keywords_batch, keywords_for
from core.keywords.rerank import extract_keywords
from tests.helpers import sample


def _same(ours: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> bool:
    return [k for k, _ in ours] == [k for k, _ in theirs] and all(
        abs(a - b) <= 1e-9 * abs(b) for (_, a), (_, b) in zip(ours, theirs, strict=True)
    )


@pytest.mark.slow  # a quarter of the bundled corpus through both engines
def test_bundled_articles_get_identical_keywords() -> None:
    articles = sample(4)
    batch = extract_keywords_batch(articles)
    differ = [
        title
        for (title, text), ours in zip(articles, batch, strict=True)
        if not _same(ours, extract_keywords(title, text))
    ]
    assert differ == []


@pytest.mark.parametrize(
    "article",
    [
        ("", ""),
        ("", "... 12 34 !!"),
        ("Title only", ""),
        ("", "the of and it"),
        ("", "Iraq"),
        ("Iraq, Iraq", "Iraq's Iraq Iraq-based IRAQ iraq."),
        ("", "Buenos Aires hosts talks. Buenos Aires agreed. Officials in Buenos Aires met."),
    ],
)
def test_edge_cases_match_the_per_article_path(article: tuple[str, str]) -> None:
    # Each alone and inside a batch with a normal article: batching must not change a result.
    normal = sample(40)[0]
    alone, together = extract_keywords_batch([article]), extract_keywords_batch([normal, article, normal])
    expected = extract_keywords(*article)
    assert _same(alone[0], expected)
    assert _same(together[1], expected)
    assert _same(together[0], together[2])


def test_both_engines_and_an_unknown_one() -> None:
    articles = sample(90)
    assert all(
        _same(a, b)
        for a, b in zip(keywords_for(articles, "polars"), keywords_for(articles, "yake"), strict=True)
    )
    with pytest.raises(ValueError, match="unknown keyword engine 'fast'"):
        keywords_for(articles, "fast")


def test_results_do_not_depend_on_the_batch() -> None:
    # Bit for bit: a document's keywords and scores are the same alone, in any batch, in any order.
    articles = sample(9)
    whole = extract_keywords_batch(articles)
    assert whole == [extract_keywords_batch([article])[0] for article in articles]
    assert whole == extract_keywords_batch(articles[::-1])[::-1]


def test_documents_whose_first_candidates_are_all_duplicates_get_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With a first look of one `top`, the stem dedup often runs dry and the second pass must fill
    # the list from the remaining candidates, exactly as the per-article path does.
    import core.keywords.batch

    monkeypatch.setattr(core.keywords.batch, "_FIRST_LOOK", 1)
    articles = sample(15)
    for (title, text), ours in zip(articles, extract_keywords_batch(articles), strict=True):
        assert _same(ours, extract_keywords(title, text))


def test_the_batch_filler_test_is_the_per_article_one() -> None:
    import polars as pl

    from core.keywords.compose_frames import is_filler_expr
    from core.keywords.phrases import default_config, is_filler

    filler = default_config().filler
    surfaces = [
        "Saturday",
        "10 percent",
        "2,004",
        "1.5",
        "3.",
        ".5",
        "million people",
        "١٢",
        "²",
        "x2",
        "March",
        "march on",
        "U.S.",
        "Tuesday Friday",
        "one",
        "one-off",
        "1,2.3",
    ]  # fmt: skip (keyword surfaces: tokens joined by single spaces, never empty)
    found = pl.DataFrame({"surface": surfaces}).select(is_filler_expr(pl.col("surface"), filler)).to_series()
    assert found.to_list() == [is_filler(surface, filler) for surface in surfaces]
