"""yake's ranking over Polars frames returns yake.KeywordExtractor's lists; seqm is yake's."""

from __future__ import annotations

import pytest
import yake
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.yake_rank import seqm_similarity, yake_keywords_batch
from tests.helpers import SHIPPED_FEATURES, sample


def test_keyword_lists_equal_keyword_extractor() -> None:
    texts = [f"{title}\n{text}" for title, text in sample(6)]
    extractor = yake.KeywordExtractor(lan="en", n=2, window_size=1, top=20, features=SHIPPED_FEATURES)
    ours = yake_keywords_batch(texts)
    for text, mine in zip(texts, ours, strict=True):
        theirs = extractor.extract_keywords(text)
        assert [k for k, _ in mine] == [k for k, _ in theirs]
        assert all(
            abs(a - float(b)) <= 1e-9 * abs(float(b)) for (_, a), (_, b) in zip(mine, theirs, strict=True)
        )


def test_a_dedup_that_runs_dry_fetches_more_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.yake_rank

    # A strict similarity limit makes the dedup drop many of the first 20 candidates.
    monkeypatch.setattr(benchmarks.yake_rank, "_FIRST_LOOK", 1)
    texts = [f"{title}\n{text}" for title, text in sample(15)]
    extractor = yake.KeywordExtractor(
        lan="en", n=2, window_size=1, top=20, features=SHIPPED_FEATURES, dedup_lim=0.3
    )
    for text, mine in zip(texts, yake_keywords_batch(texts, dedup_limit=0.3), strict=True):
        assert [k for k, _ in mine] == [k for k, _ in extractor.extract_keywords(text)]


def test_scores_are_plain_floats_and_lists_respect_top() -> None:
    ours = yake_keywords_batch([sample(50)[0][1]], top=5)
    assert len(ours[0]) == 5
    assert all(type(score) is float for _, score in ours[0])


_WORDS = st.text(alphabet="abcde fgAB", max_size=12)


@settings(max_examples=500, deadline=None)
@given(_WORDS, _WORDS)
def test_seqm_similarity_is_yakes(a: str, b: str) -> None:
    extractor = yake.KeywordExtractor()
    assert seqm_similarity(a, b) == extractor.seqm(a, b)
