"""Per-token facts YAKE needs, computed once per distinct token of a batch instead of per token.

Most tokens of a news batch repeat ("the", "said", "government"), so the regex work behind YAKE's
tags, term keys and stopword flags runs on the batch's vocabulary (about a fifth of its tokens)
and reaches every token by one join. Strings become dense integer ids here, so every later
group-by and join in `core.keywords.yake.frames` works on integers.
"""

from __future__ import annotations

import polars as pl

from core.keywords.stopwords import yake_stopwords

# string.punctuation as a character class: YAKE's "exclude" set.
PUNCT = r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
# Python's str.isdigit() (which yake's tags use) is true for decimal digits (\p{Nd}) and for
# these "digit" characters too: superscripts, subscripts, circled and other styled digits
# (Unicode 14, Python 3.11; tests/test_yake_vocab.py checks the list against this Python).
DIGIT_NOT_DECIMAL = (
    "\u00b2-\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
    "\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a"
)
_DIGIT = rf"[\p{{Nd}}{DIGIT_NOT_DECIMAL}]"


def _tag_columns() -> dict[str, pl.Expr]:
    """yake.data.utils.get_tag, minus its one position rule ("n" only after a sentence's first
    token), which the caller applies: tag_ok (neither digit nor unusual), acronym, noun_shape."""
    token = pl.col("token")
    digits = token.str.count_matches(_DIGIT)
    letters = token.str.count_matches(r"\p{L}")
    is_digit = token.str.replace_all(",", "", literal=True).str.contains(
        rf"^(?:{_DIGIT}+|{_DIGIT}*\.{_DIGIT}+|{_DIGIT}+\.)$"
    )
    unusual = (
        ((digits > 0) & (letters > 0))
        | ((digits == 0) & (letters == 0))
        | (token.str.count_matches(PUNCT) > 1)
    )
    tag_ok = ~(is_digit | unusual)
    # Python's isupper/islower use the Uppercase and Lowercase properties, which are wider than
    # the Lu/Ll categories ("ª" is a lowercase letter of category Lo).
    acronym = tag_ok & token.str.contains(r"\p{Uppercase}") & ~token.str.contains(r"[\p{Lowercase}\p{Lt}]")
    noun_shape = (
        tag_ok
        & ~acronym
        & (token.str.len_chars() > 1)
        & token.str.contains(r"^\p{Uppercase}")
        & (token.str.count_matches(r"\p{Uppercase}") == 1)
    )
    return {"tag_ok": tag_ok, "acronym": acronym, "noun_shape": noun_shape}


def _token_facts(tokens: pl.DataFrame) -> pl.DataFrame:
    """punct, lower, term, tag columns and stop_here for each of `tokens` (distinct): the facts that
    depend on the token alone."""
    stop_series = pl.Series(sorted(yake_stopwords()), dtype=pl.String).implode()
    lower = pl.col("lower")
    vocab = tokens.lazy().with_columns(
        punct=pl.col("token").str.contains(rf"^{PUNCT}+$"), lower=pl.col("token").str.to_lowercase()
    )
    vocab = vocab.with_columns(
        term=pl.when(lower.str.ends_with("s") & (lower.str.len_chars() > 3))
        .then(lower.str.slice(0, lower.str.len_chars() - 1))
        .otherwise(lower),
        **_tag_columns(),
    )
    return vocab.with_columns(
        stop_here=lower.is_in(stop_series)
        | pl.col("term").is_in(stop_series)
        | (pl.col("term").str.replace_all(PUNCT, "").str.len_chars() < 3),
    ).collect()


# Token facts of earlier batches in this process: a news batch shares most of its distinct tokens
# with the batches before it, and the facts' regex passes are most of this step's work. Replaced
# whole (never changed in place), so a batch in another thread keeps the frame it read.
_known_facts: pl.DataFrame | None = None
_KNOWN_LIMIT = 1 << 20  # distinct tokens kept at most (about 100 MB); past it, start afresh


def vocabulary(tokens: pl.Series) -> pl.LazyFrame:
    """One row per distinct token: punct, lower_id, term_id, term, stop_here and tag columns.

    term is YAKE's key: the lower-case form, minus a final "s" on words over three letters.
    stop_here is YAKE's stopword test for this spelling (yake keeps the first spelling's answer).
    The ids are dense ranks over this batch's distinct lower-case forms and terms.
    """
    global _known_facts
    distinct = pl.DataFrame({"token": tokens.unique()})
    known = _known_facts
    if known is None or len(known) > _KNOWN_LIMIT:
        known = _token_facts(distinct)
    else:
        unseen = distinct.join(known, on="token", how="anti")
        if len(unseen):
            known = pl.concat([known, _token_facts(unseen)])
    _known_facts = known
    lower = pl.col("lower")
    return (
        distinct.lazy()
        .join(known.lazy(), on="token", how="left")
        .with_columns(
            lower_id=lower.rank("dense").cast(pl.UInt32),
            term_id=pl.col("term").rank("dense").cast(pl.UInt32),
        )
        .drop("lower")
    )


def forget_known_tokens() -> None:
    """Drop the token facts kept from earlier batches (benchmarks time text never seen before)."""
    global _known_facts
    _known_facts = None
