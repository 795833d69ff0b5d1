"""The dataset panes' array sums: both sides of a mask give the in-memory numbers, bit for bit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from core.corpus.view import Corpus, ViewStopped
from core.dataset.aggregate import (
    EntityAggregates,
    KeywordAggregates,
    PairAggregates,
    Reuse,
    _Blocks,
    _offsets,
)
from core.dataset.corpus import DatasetCorpus
from tests.core.dataset.test_read import QUERIES, _same_view, bundled, corpora  # noqa: F401


def _keyword_rows(seed: int, articles: int, top_rank: int = 20) -> pl.DataFrame:
    """Random keyword rows, articles out of order, some articles without any."""
    rng = np.random.default_rng(seed)
    art = rng.integers(0, articles, articles * 4)
    return pl.DataFrame(
        {
            "art": pl.Series(art, dtype=pl.UInt32),
            "code": pl.Series(rng.integers(0, 7, art.size), dtype=pl.UInt32),
            "rank": pl.Series(rng.integers(1, top_rank + 1, art.size), dtype=pl.Int32),
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
    direct = aggregates.rows.sums(aggregates.rows.rows(mask), 7, *aggregates._weights)
    assert np.array_equal(direct[-1], weight)


def _recording_reuse(values: np.ndarray) -> tuple[Reuse, list[list[int]]]:
    """A Reuse summing one integer per article (as the tables' sums do), recording what it sums."""
    asked: list[list[int]] = []

    def part(arts: np.ndarray | None) -> list[np.ndarray]:
        if arts is None:
            return [values.astype(np.float64)]
        asked.append(np.flatnonzero(arts).tolist())
        return [np.where(arts, values, 0).astype(np.float64)]

    return Reuse(values.size, part), asked


def test_a_mask_is_summed_from_the_side_or_recent_mask_nearest_it() -> None:
    reuse, asked = _recording_reuse(np.array([5, 7, 11, 13]))
    mask = np.array([True, True, True, False])
    assert reuse.sums(mask)[0].tolist() == [5, 7, 11, 0] and asked == [[3]]  # totals minus article 3
    assert reuse.sums(~mask)[0].tolist() == [0, 0, 0, 13] and asked[-1] == [3]  # article 3's own
    # One article away from the first mask: its sums, minus article 2's.
    asked.clear()
    assert reuse.sums(np.array([True, True, False, False]))[0].tolist() == [5, 7, 0, 0]
    assert asked == [[], [2]]
    asked.clear()
    assert reuse.sums(np.array([True, True, False, False]))[0].tolist() == [5, 7, 0, 0] and not asked


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), articles=st.integers(1, 60), steps=st.integers(1, 12))
def test_keyword_sums_of_a_mask_sequence_equal_summing_each_mask_alone(
    seed: int, articles: int, steps: int
) -> None:
    """Masks that narrow and widen as a filter is typed: every answer, from whichever earlier mask,
    is bit for bit the kept rows' own sums."""
    rows = _keyword_rows(seed, articles)
    aggregates = KeywordAggregates(rows["art"], rows["code"], rows["rank"], 7, articles)
    rng = np.random.default_rng(seed + 2)
    mask = rng.random(articles) < 0.5
    for _ in range(steps):
        flip = rng.random(articles) < rng.choice([0.02, 0.2, 0.6])
        mask = mask ^ flip
        got = aggregates._reuse.sums(mask)
        direct = aggregates.rows.sums(aggregates.rows.rows(mask), 7, *aggregates._weights)
        assert all(np.array_equal(g, d) for g, d in zip(got, direct, strict=True))


def _aggregates(kind: str, seed: int, articles: int) -> KeywordAggregates | EntityAggregates | PairAggregates:
    """Each table's aggregates over random rows: few keys and many rows (counted in cells) or not."""
    rng = np.random.default_rng(seed)
    art = pl.Series(rng.integers(0, articles, articles * 12), dtype=pl.UInt32)
    few = pl.Series(rng.integers(0, 3, art.len()), dtype=pl.UInt32)
    if kind.startswith("keywords"):
        keys = 3 if kind == "keywords-cells" else 40
        codes = pl.Series(rng.integers(0, keys, art.len()), dtype=pl.UInt32)
        rank = pl.Series(rng.integers(1, 4, art.len()), dtype=pl.Int32)
        return KeywordAggregates(art, codes, rank, keys, articles)
    if kind == "entities":
        mentions = rng.integers(1, 4, art.len())
        rows = pl.DataFrame({"art": art, "code": few, "m": mentions}).unique(["art", "code"])
        return EntityAggregates(rows["art"], rows["code"], rows["m"], 3, articles)
    stance = pl.Series(rng.integers(0, 4, art.len()))
    quad = pl.Series(rng.integers(0, 5, art.len()))
    weight = pl.Series(rng.choice([0.0, 1.0], art.len()))
    return PairAggregates(art, few, stance, quad, weight, 3, 5, articles)


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["keywords-cells", "keywords-rows", "entities", "pairs"]),
    seed=st.integers(0, 10_000),
    articles=st.integers(1, 300),
    steps=st.integers(1, 10),
)
def test_every_table_answered_from_a_recent_mask_equals_summing_the_mask_alone(
    kind: str, seed: int, articles: int, steps: int
) -> None:
    """Masks answered from totals, recent masks or their own rows, for every table (in cells or
    not): each answer must be bit for bit the kept rows' own sums."""
    aggregates = _aggregates(kind, seed, articles)
    assert aggregates._reuse.exact  # else every mask is summed alone and nothing here is tested
    rng = np.random.default_rng(seed + 3)
    mask = rng.random(articles) < 0.5
    for _ in range(steps):
        mask = mask ^ (rng.random(articles) < rng.choice([0.02, 0.2, 0.6]))
        got = aggregates._reuse.sums(mask)
        direct = aggregates._part(mask)
        assert all(np.array_equal(g, d) for g, d in zip(got, direct, strict=True))


@pytest.mark.parametrize("keep", [0.01, 0.3, 0.7, 1.0])
def test_counting_cells_gives_the_weighted_sums_bit_for_bit(keep: float) -> None:
    """Few keys and ranks, many rows: sums come from counts per (key, rank) cell; they must be
    what the weighted sums over the same rows give (and pick those rows by number or by mask)."""
    rows = _keyword_rows(3, 2_000, top_rank=4)
    aggregates = KeywordAggregates(rows["art"], rows["code"], rows["rank"], 7, 2_000)
    assert aggregates._grid is not None
    mask = np.random.default_rng(4).random(2_000) < keep
    picked = aggregates.rows.rows(mask)
    weighted = aggregates.rows.sums(picked, 7, *aggregates._weights)
    assert all(np.array_equal(g, w) for g, w in zip(aggregates._grid.sums(mask), weighted, strict=True))
    assert aggregates._grid.worth(None) and not aggregates._grid.worth(np.zeros(2_000, dtype=np.bool_))
    # Rows picked by number (few articles) or by a mask over rows (many): the same rows.
    numbers = np.flatnonzero(np.repeat(mask, aggregates.rows.lengths))
    assert np.array_equal(aggregates.rows.codes[picked], aggregates.rows.codes[numbers])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    articles=st.integers(1, 400),
    most=st.integers(0, 9),
    uniform=st.booleans(),
    keep=st.sampled_from([0.0, 0.01, 0.2, 0.6, 1.0]),
    width=st.sampled_from([None, 1, 2, 3, 7]),
)
def test_codes_picked_in_blocks_count_as_the_kept_rows_do(
    seed: int, articles: int, most: int, uniform: bool, keep: float, width: int | None
) -> None:
    """Rows held in padded blocks per article: the kept articles' codes, counted, are those of
    their rows picked one by one (pads left out), for sparse and dense masks, every block width."""
    rng = np.random.default_rng(seed)
    lengths = np.full(articles, most) if uniform else rng.integers(0, most + 1, articles)
    art = np.repeat(np.arange(articles), lengths)
    codes = rng.integers(0, 11, art.size)
    offsets = _offsets(art, articles)
    blocks = _Blocks(codes, offsets, 11, width)
    assert blocks.grid.size >= codes.size
    for arts in (rng.random(articles) < keep, None):
        kept = codes if arts is None else codes[np.repeat(arts, lengths)]
        assert np.array_equal(blocks.counts(arts, 11), np.bincount(kept, minlength=11))
        picked = blocks.codes(arts)
        assert np.array_equal(picked[picked != 11], kept)  # article by article, in row order


@pytest.mark.parametrize("keep", [0.0, 0.02, 0.5, 1.0])
def test_entity_sums_from_cells_equal_a_direct_group_by(keep: float) -> None:
    """Many rows over few entities: the sums come from (entity, mention count) cells, and the
    rows' own codes are dropped; mentions and articles must still be the kept rows' own."""
    rng = np.random.default_rng(7)
    art = rng.integers(0, 3_000, 20_000)
    rows = pl.DataFrame(
        {
            "art": pl.Series(art, dtype=pl.UInt32),
            "code": pl.Series(rng.integers(0, 9, art.size), dtype=pl.UInt32),
            "mentions": pl.Series(rng.integers(1, 6, art.size), dtype=pl.Int64),
        }
    ).unique(["art", "code"], maintain_order=True)  # one row per entity an article names
    aggregates = EntityAggregates(rows["art"], rows["code"], rows["mentions"], 9, 3_000)
    assert aggregates._grid is not None and aggregates.rows.codes.size == 0
    mask = np.random.default_rng(8).random(3_000) < keep
    mentions, articles = aggregates.sums(mask)
    kept = rows.filter(pl.Series(mask).gather(rows.get_column("art")))
    expected = kept.group_by("code").agg(mentions=pl.col("mentions").sum(), articles=pl.col("art").n_unique())
    want_mentions, want_articles = np.zeros(9), np.zeros(9)
    for code, m, a in expected.iter_rows():
        want_mentions[code], want_articles[code] = m, a
    assert np.array_equal(mentions, want_mentions) and np.array_equal(articles, want_articles)


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


def test_a_view_nobody_waits_for_stops_between_panes(corpora: tuple[Corpus, DatasetCorpus]) -> None:  # noqa: F811
    _, dataset = corpora
    asked: list[int] = []

    def stop_after(checks: int) -> Callable[[], bool]:
        def stop() -> bool:
            asked.append(checks)
            return len(asked) > checks

        return stop

    with pytest.raises(ViewStopped):
        dataset.view("iraq", stop=stop_after(2), keywords_now=True)
    # Asked after the mask, the articles and before the keywords here, and after the entities beside
    # them: the third answer stops whichever thread asks it, and the other asks at most once more.
    assert len(asked) in (3, 4)
    asked.clear()
    wanted = dataset.view("iraq", stop=stop_after(10), keywords_now=True)
    assert wanted.articles.height == dataset.view("iraq").articles.height
    assert len(asked) == 4
    asked.clear()
    dataset.view("iraq", stop=stop_after(10))  # keywords left for whoever asks: one question fewer
    assert len(asked) == 3


def _counted(real: Callable[..., pl.DataFrame], calls: list[str], name: str) -> Callable[..., pl.DataFrame]:
    def counted(*args: object, **kwargs: object) -> pl.DataFrame:
        calls.append(name)
        return real(*args, **kwargs)

    return counted


def test_corpus_keywords_are_made_once_and_only_when_asked_for(
    corpora: tuple[Corpus, DatasetCorpus],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory, dataset = corpora
    made: list[str] = []
    for name, index, method in (("memory", memory.keywords, "top"), ("dataset", dataset.keywords, "top_of")):
        monkeypatch.setattr(index, method, _counted(getattr(index, method), made, name))
    for corpus in (memory, dataset):
        view = corpus.view("iraq")
        assert made == []
        assert view.keywords is view.keywords and len(made) == 1
        made.clear()
        # The unfiltered view is kept and handed out as copies: they share one making of them
        # (made here, or by an earlier test on this module's corpora).
        assert corpus.view("").keywords is corpus.view("").keywords and len(made) <= 1
        made.clear()
        assert corpus.view("iraq", keywords_now=True) and len(made) == 1
        made.clear()
    assert_frame_equal(memory.view("iraq").keywords, dataset.view("iraq").keywords, check_exact=False)


def test_a_stopped_view_raises_its_stop_whatever_the_second_thread_raised(
    corpora: tuple[Corpus, DatasetCorpus],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, dataset = corpora

    def broken(flags: np.ndarray | None) -> pl.DataFrame:
        raise RuntimeError("entity pane failed")

    monkeypatch.setattr(dataset.entities, "counts_of", broken)
    asked: list[bool] = []

    def stop_after_the_mask() -> bool:
        asked.append(True)
        return len(asked) > 1

    with pytest.raises(ViewStopped):  # what the dashboard's worker expects of a stale view
        dataset.view("iraq", stop=stop_after_the_mask)
    with pytest.raises(RuntimeError, match="entity pane failed"):  # a view still wanted: its error
        dataset.view("iraq")


def test_days_before_1970_are_dated_beside_undated_articles() -> None:
    from datetime import date

    from core.dataset.aggregate import DayAggregates

    dates = pl.Series([date(1969, 7, 20), None, date(1969, 7, 22), date(1969, 7, 20)], dtype=pl.Date)
    counts = DayAggregates(dates).counts(np.array([True, True, True, False]))
    assert counts.rows() == [(date(1969, 7, 20), 1), (date(1969, 7, 22), 1)]
    assert DayAggregates(dates).counts(None).rows() == [(date(1969, 7, 20), 2), (date(1969, 7, 22), 1)]
    assert DayAggregates(pl.Series([None, None], dtype=pl.Date)).counts(None).is_empty()
