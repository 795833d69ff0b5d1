"""Corpus keywords: a group-by over the exploded keyword frame, for any subset of articles."""

from __future__ import annotations

import polars as pl

from core.corpus.indexes import KeywordIndex, corpus_keywords, entity_counts


def _keywords() -> pl.DataFrame:
    rows = [
        ("a", 1, "Iraq"),
        ("a", 2, "military bases"),
        ("a", 3, "Moscow"),
        ("b", 1, "budget"),
        ("b", 2, "iraq"),
        ("c", 1, "Iraq"),
        ("c", 2, "budget"),
    ]
    return pl.DataFrame(rows, schema=["article_id", "rank", "phrase"], orient="row").with_columns(
        score=pl.lit(0.1), rank=pl.col("rank").cast(pl.Int32)
    )


def test_counts_articles_and_ranks_by_reciprocal_rank() -> None:
    table = corpus_keywords(_keywords())
    assert table.columns == ["rank", "phrase", "articles", "mean_rank", "weight"]
    top = table.row(0, named=True)
    # "Iraq" is first in a and c and second in b: 1 + 1 + 0.5, case folded into one phrase.
    assert (top["rank"], top["phrase"], top["articles"], top["weight"]) == (1, "Iraq", 3, 2.5)
    assert table.get_column("phrase").to_list()[:2] == ["Iraq", "budget"]


def test_equal_weights_tie_exactly_and_break_alphabetically() -> None:
    # 1/2 + 1/12 and 1/3 + 1/4 are both 7/12, but as floats the first sum is one bit larger: the
    # tie must not depend on that (the dataset path sums exactly and breaks it alphabetically).
    rows = [("p", 2, "zeta"), ("q", 12, "zeta"), ("r", 3, "alpha"), ("s", 4, "alpha")]
    keywords = pl.DataFrame(rows, schema=["article_id", "rank", "phrase"], orient="row").with_columns(
        score=pl.lit(0.1), rank=pl.col("rank").cast(pl.Int32)
    )
    assert 1 / 2 + 1 / 12 != 1 / 3 + 1 / 4
    table = corpus_keywords(keywords)
    assert table.get_column("phrase").to_list() == ["alpha", "zeta"]
    assert table.get_column("weight").to_list() == [7 / 12, 7 / 12]


def test_subset_of_articles() -> None:
    table = corpus_keywords(_keywords(), article_ids=["b"])
    # A phrase is shown in the corpus's most common casing, whichever subset is selected.
    assert table.get_column("phrase").to_list() == ["budget", "Iraq"]
    assert table.get_column("articles").to_list() == [1, 1]


def test_empty_subset_and_top() -> None:
    assert corpus_keywords(_keywords(), article_ids=[]).height == 0
    assert corpus_keywords(_keywords(), top=2).height == 2


def test_index_masks_match_the_convenience_function() -> None:
    index = KeywordIndex(_keywords(), pl.Series(["a", "b", "c"]))
    mask = index.mask(["a", "c"])
    assert mask is not None and mask.to_list() == [True, False, True]
    assert index.top(mask).equals(corpus_keywords(_keywords(), article_ids=["a", "c"]))


def test_entity_counts_per_subset() -> None:
    mentions = pl.DataFrame(
        {
            "article_id": ["a", "a", "a", "b", "c"],
            "kind": ["country", "country", "person", "country", "country"],
            "entity": ["Iraq", "Iraq", "Ibrahim Jaafari", "Iraq", "Russia"],
            "code": ["IQ", "IQ", None, "IQ", "RU"],
            "start": [0, 10, 20, 0, 0],
        }
    )
    everything = entity_counts(mentions)
    assert everything.row(0, named=True) == {
        "kind": "country",
        "entity": "Iraq",
        "code": "IQ",
        "mentions": 3,
        "articles": 2,
    }
    assert entity_counts(mentions, ["c"]).get_column("entity").to_list() == ["Russia"]
    assert entity_counts(mentions, kind="person").get_column("entity").to_list() == ["Ibrahim Jaafari"]
