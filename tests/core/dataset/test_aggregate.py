"""The dataset panes' array sums: both sides of a mask give the in-memory numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus.view import Corpus
from core.dataset.aggregate import EntityAggregates, KeywordAggregates, Side
from core.dataset.corpus import DatasetCorpus
from tests.core.dataset.test_read import QUERIES, _same_view, bundled, corpora  # noqa: F401


def _keyword_rows(seed: int, articles: int) -> pl.DataFrame:
    """Random keyword rows, articles out of order, some articles without any."""
    rng = np.random.default_rng(seed)
    art = rng.integers(0, articles, articles * 4)
    return pl.DataFrame(
        {
            "art": pl.Series(art, dtype=pl.UInt32),
            "code": pl.Series(rng.integers(0, 7, art.size), dtype=pl.UInt32),
            "rank": pl.Series(rng.integers(1, 21, art.size), dtype=pl.Int32),
        }
    )


def _direct(rows: pl.DataFrame, mask: np.ndarray) -> pl.DataFrame:
    kept = rows.filter(pl.Series(mask).gather(rows.get_column("art")))
    return kept.group_by("code").agg(
        articles=pl.len(), ranks=pl.col("rank").sum(), weight=(1 / pl.col("rank")).sum()
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), articles=st.integers(1, 60), keep=st.floats(0, 1))
def test_keyword_sums_equal_a_direct_group_by_on_either_side(seed: int, articles: int, keep: float) -> None:
    rows = _keyword_rows(seed, articles)
    aggregates = KeywordAggregates(rows["art"], rows["code"], rows["rank"], 7, articles)
    mask = np.random.default_rng(seed + 1).random(articles) < keep
    counted, ranks, weight = aggregates.sums(mask)
    expected = _direct(rows, mask)
    for code, n, rank_sum, w in expected.iter_rows():
        assert counted[code] == n and ranks[code] == rank_sum
        assert weight[code] / aggregates.scale == pytest.approx(w, rel=1e-12)
    absent = np.setdiff1d(np.arange(7), expected.get_column("code").to_numpy())
    assert not counted[absent].any() and not weight[absent].any()
    # The complement path subtracts integers: the same weights as summing the kept rows directly.
    direct = aggregates.rows.sums(
        aggregates.rows.rows(Side(np.flatnonzero(mask), 1, 0)), 7, *aggregates._weights
    )
    assert np.array_equal(direct[-1], weight)


def test_mask_side_is_the_smaller() -> None:
    mask = np.array([True, True, True, False])
    side = Side.of(mask, 4)
    assert side.sign == -1 and side.arts.tolist() == [3] and side.kept == 3
    side = Side.of(~mask, 4)
    assert side.sign == 1 and side.arts.tolist() == [3] and side.kept == 1


def test_entity_sums_without_packing_room_count_apart() -> None:
    """Mentions too many to share one double with the article count: two sums, same result."""
    art = pl.Series([0, 0, 1, 2], dtype=pl.UInt32)
    codes = pl.Series([0, 1, 0, 1], dtype=pl.UInt32)
    mentions = pl.Series([2**52, 1, 3, 5], dtype=pl.Int64)
    aggregates = EntityAggregates(art, codes, mentions, 2, 3)
    assert aggregates._factor is None
    got_mentions, got_articles = aggregates.sums(np.array([True, True, False]))
    assert got_mentions.tolist() == [2**52 + 3, 1] and got_articles.tolist() == [2, 1]


# Filters keeping nearly every article: the panes come from the totals minus the excluded ones.
BROAD = [
    "-nosuchwordanywhere",
    "-iraq",
    "t",
    "-country:IQ",
    "-keyword:election",
    "-entity:bush",
    "-pair:IQ-US",
]


@pytest.mark.parametrize("query", BROAD)
def test_broad_filters_on_dataset_equal_in_memory(corpora: tuple[Corpus, DatasetCorpus], query: str) -> None:  # noqa: F811
    memory, dataset = corpora
    kept = dataset.view(query).shown
    assert 2 * kept > dataset.total, "meant to exercise the complement path"
    _same_view(memory, dataset, query)


def test_a_word_typed_on_is_answered_from_its_prefix(corpora: tuple[Corpus, DatasetCorpus]) -> None:  # noqa: F811
    _, dataset = corpora
    search = dataset.dataset.search
    typed = ["gov", "gove", "gover", "government", "governments", "gox"]
    got = [search.rows(word).sort().to_list() for word in typed]
    search._cache.clear()
    fresh = []
    for word in typed:
        fresh.append(search.rows(word).sort().to_list())
        search._cache.clear()
    assert got == fresh and got[3]
