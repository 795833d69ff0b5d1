"""YAKE's per-token facts: the digit class matches Python's str.isdigit, tags match yake's get_tag."""

from __future__ import annotations

import re
import string
import sys

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from yake.data.utils import get_tag

from core.keywords.yake.vocab import DIGIT_NOT_DECIMAL, forget_known_tokens, vocabulary


def test_digit_list_is_what_isdigit_accepts_beyond_decimals() -> None:
    expected = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isdigit() and not c.isdecimal()}
    listed = re.compile(f"[{DIGIT_NOT_DECIMAL}]")
    assert {c for c in map(chr, range(sys.maxunicode + 1)) if listed.fullmatch(c)} == expected


def _tag(row: dict[str, object], first_in_sentence: bool) -> str:
    # Rebuild yake's one-letter tag from the vocabulary's columns.
    if not row["tag_ok"]:
        return "d/u"
    if row["acronym"]:
        return "a"
    return "n" if row["noun_shape"] and not first_in_sentence else "p"


# Characters this Python's Unicode database leaves unassigned (Cn) are left out: Polars' regex
# engine knows a newer Unicode and calls some of them letters, where yake would say "unusual".
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Cn")), min_size=1, max_size=6
        ),
        min_size=1,
        max_size=20,
        unique=True,
    )
)
def test_tags_match_yake(tokens: list[str]) -> None:
    vocab = vocabulary(pl.Series(tokens, dtype=pl.String)).collect()
    exclude = frozenset(string.punctuation)
    for row in vocab.iter_rows(named=True):
        for position in (0, 3):
            theirs = get_tag(row["token"], position, exclude)
            assert _tag(row, position == 0) == ("d/u" if theirs in "du" else theirs), row["token"]


def test_vocabulary_is_the_same_with_facts_kept_from_earlier_batches() -> None:
    """Token facts kept from an earlier batch give the batch's vocabulary exactly, ids included
    (dense ranks over this batch alone)."""
    earlier = pl.Series(["Iraq", "the", "said", "U.S.", "talks", "2004", "x"], dtype=pl.String)
    batch = pl.Series(["Iraq", "ministers", "said", "Talks", "talks", "'s", "-", "2004"], dtype=pl.String)
    forget_known_tokens()
    fresh = vocabulary(batch).collect().sort("token")
    forget_known_tokens()
    vocabulary(earlier).collect()
    after_earlier = vocabulary(batch).collect().sort("token")
    forget_known_tokens()
    assert after_earlier.equals(fresh)
    assert fresh.get_column("lower_id").max() == fresh.get_column("lower_id").n_unique()
