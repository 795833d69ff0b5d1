"""The Polars engine's term and candidate statistics equal yake's own, number for number."""

from __future__ import annotations

import polars as pl
import pytest

from core.keywords.yake.frames import YakeFrames, YakeSettings, yake_frames
from tests.helpers import SHIPPED_FEATURES, data_core, sample


def _terms(frames: YakeFrames, doc: int) -> dict[str, tuple[float, float, bool]]:
    names = frames.vocab.select("term_id", "term").unique("term_id")
    rows = frames.terms.filter(pl.col("doc") == doc).join(names, on="term_id")
    return {r["term"]: (r["h"], r["tf"], r["stopword"]) for r in rows.iter_rows(named=True)}


def _candidates(frames: YakeFrames, doc: int) -> dict[str, tuple[float, str, float]]:
    rows = frames.candidates.filter(pl.col("doc") == doc)
    return {r["surface"].lower(): (r["h"], r["surface"], r["tf"]) for r in rows.iter_rows(named=True)}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


@pytest.mark.parametrize(
    ("n", "window", "case"),
    [(2, 1, False), (3, 2, True)],
    ids=["shipped: n=2, window 1, no case feature", "yake defaults: n=3, window 2 and case"],
)
def test_terms_and_candidates_match_yake(n: int, window: int, case: bool) -> None:
    texts = [f"{title}\n{text}" for title, text in sample(12)]
    frames = yake_frames(texts, YakeSettings(max_ngram=n, window_size=window, case_feature=case))
    features = None if case else SHIPPED_FEATURES
    for doc, text in enumerate(texts):
        core = data_core(text, n=n, window=window, features=features)
        ours = _terms(frames, doc)
        assert set(ours) == set(core.terms)
        for key, term in core.terms.items():
            h, tf, stopword = ours[key]
            assert (tf, stopword) == (term.tf, term.stopword), key
            assert stopword or _close(h, float(term.h)), key
        valid = {key: c for key, c in core.candidates.items() if c.is_valid()}
        candidates = _candidates(frames, doc)
        assert set(candidates) == set(valid)
        for key, c in valid.items():
            h, surface, tf = candidates[key]
            assert (surface, tf) == (c.kw, c.tf), key
            assert _close(h, float(c.h)), key


def test_middle_stopwords_weigh_by_their_links() -> None:
    # "Bank of England" needs yake's "bi" stopword weighting inside a 3-gram.
    text = "The Bank of England raised rates. The Bank of England said more. Bank of England staff agree."
    frames = yake_frames([text], YakeSettings(max_ngram=3, case_feature=True))
    core = data_core(text, n=3, features=None)
    phrase = core.candidates["bank of england"]
    assert _close(_candidates(frames, 0)["bank of england"][0], float(phrase.h))


def test_documents_without_words_give_empty_frames() -> None:
    frames = yake_frames(["", "...", "12 34", "the of and"])
    assert frames.candidates.is_empty()
    # "12 34" and "the of and" have words (a number, stopwords), so terms; the others none.
    assert set(frames.terms.get_column("doc").to_list()) == {2, 3}
