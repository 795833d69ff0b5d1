"""`core.keywords.rerank.compose` for a whole batch: every candidate's value as frame expressions.

The per-article `compose` builds a Python list of (value, kind, rank, surface) per article and
sorts it. Here the batch's words and phrases are one frame: the filler filter, the rank within
the article (a window), stickiness (a join on the word's term), the verb-like penalty and the
order are expressions over all articles at once. What stays per article is the near-duplicate
filter (`KeptPhrases`), which is sequential by nature and stops after `top` keywords, so it
reads only each article's first few rows.

Values must equal compose's to the last bit: the rank terms (`log1p`) are computed by Python's
math.log1p into a small table and joined by rank, and each sum is taken in compose's order.
tests/core/keywords/test_keywords_batch.py holds both paths to the same lists and scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from core.keywords.phrases import KeyphraseConfig, word_classes
from core.keywords.rerank import KeptPhrases

# phrases.is_filler's digit form (`^(?:\d+|\d*\.\d+|\d+\.)$` on the word without commas);
# Python's and Rust's \d are both Unicode decimal digits.
_DIGIT_FORM = r"^(?:\d+|\d*\.\d+|\d+\.)$"


def is_filler_expr(surface: pl.Expr, filler: frozenset[str]) -> pl.Expr:
    """phrases.is_filler as an expression: every space-separated word is filler or a number.

    For keyword surfaces (tokens joined by single spaces, never empty), where splitting on " "
    is str.split()."""
    filler_series = pl.Series(sorted(filler), dtype=pl.String).implode()
    word = pl.element()
    return (
        surface.str.to_lowercase()
        .str.split(" ")
        .list.eval(
            word.is_in(filler_series) | word.str.replace_all(",", "", literal=True).str.contains(_DIGIT_FORM)
        )
        .list.all()
    )


def _rank_table(name: str, ranks: int, value: float, weight: float) -> pl.DataFrame:
    """rank -> value - weight * log1p(rank), by Python's math.log1p (compose's numbers exactly)."""
    return pl.DataFrame(
        {
            "rank": pl.Series(range(ranks), dtype=pl.UInt32),
            name: [value - weight * math.log1p(rank) for rank in range(ranks)],
        }
    )


def _rank_count(frame: pl.DataFrame) -> int:
    """How many ranks a rank table needs for `frame` (one at least)."""
    top = frame.get_column("rank").max()
    return 1 if top is None else int(top) + 1  # type: ignore[arg-type]


@dataclass(frozen=True)
class Composed:
    """Each article's candidates in compose's order, as flat columns (rows of one doc together)."""

    docs: list[int]  # the articles, in order; each has rows starts[i]:ends[i]
    starts: list[int]
    ends: list[int]
    surfaces: list[str]
    values: list[float]
    word_counts: list[int]  # how many words each article's list drew on (after the filler filter)
    ranked_counts: list[int]  # how many ranked words and set phrases it was given (before it)


def compose_frame(
    ranked: pl.DataFrame, phrases: pl.DataFrame, sticky: pl.DataFrame, config: KeyphraseConfig
) -> Composed:
    """The candidates of compose for every article of `ranked`, valued and ordered.

    ranked: (doc, surface, term) words and set phrases best first per doc (term null for a set
    phrase); phrases: (doc, surface, score) best first per doc; sticky: (doc, term_id, share).
    Only articles in `ranked` are composed (as in the per-article loop over the word ranking).
    """
    weight = dict(config.list_weights)
    verbs, adjectives = word_classes()
    lexicon = pl.Series(sorted(verbs | adjectives), dtype=pl.String).implode()
    ranked = ranked.with_columns(ranked_count=pl.len().over("doc"))
    docs = ranked.select("doc", "ranked_count").unique("doc", maintain_order=True)
    words = ranked.filter(~is_filler_expr(pl.col("surface"), config.filler)).with_columns(
        rank=pl.int_range(pl.len(), dtype=pl.UInt32).over("doc")
    )
    phrases = phrases.join(docs.select("doc"), on="doc", how="semi", maintain_order="left").with_columns(
        rank=pl.int_range(pl.len(), dtype=pl.UInt32).over("doc")
    )
    # -w * log1p(rank), as compose writes it (0.0 - w * log1p(rank) would differ at rank 0 in sign).
    word_ranks = _rank_count(words)
    word_table = pl.DataFrame(
        {
            "rank": pl.Series(range(word_ranks), dtype=pl.UInt32),
            "base": [-weight["word_rank"] * math.log1p(rank) for rank in range(word_ranks)],
        }
    )
    phrase_table = _rank_table("value", _rank_count(phrases), weight["phrase_value"], weight["phrase_rank"])
    single = ~pl.col("surface").str.contains(" ", literal=True)
    lower = pl.col("surface").str.to_lowercase()
    valued_words = (
        words.join(word_table, on="rank", how="left", maintain_order="left")
        .join(sticky, left_on=["doc", "term"], right_on=["doc", "term_id"], how="left", maintain_order="left")
        .with_columns(
            value=pl.when(single)
            .then(pl.col("base") + weight["sticky_word"] * pl.col("share").fill_null(0.0))
            .otherwise(pl.col("base"))
        )
        .with_columns(
            value=pl.when(single & (pl.col("surface") == lower) & lower.is_in(lexicon))
            .then(pl.col("value") + weight["verb_like_word"])
            .otherwise(pl.col("value"))
        )
        .select("doc", "surface", "rank", "value", kind=pl.lit(1, dtype=pl.Int8))
    )
    # compose adds phrase_score x the phrase's own score to its rank value, in that order.
    valued_phrases = (
        phrases.join(phrase_table, on="rank", how="left", maintain_order="left")
        .with_columns(value=pl.col("value") + weight["phrase_score"] * pl.col("score"))
        .select("doc", "surface", "rank", "value", kind=pl.lit(0, dtype=pl.Int8))
    )
    ordered = pl.concat([valued_phrases, valued_words]).sort(
        # + 0.0 makes -0.0 (the first word's value) equal to 0.0, as Python's sort compares them.
        pl.col("doc"),
        pl.col("value") + 0.0,
        pl.col("kind"),
        pl.col("rank"),
        descending=[False, True, False, False],
    )
    counts = (
        docs.join(ordered.group_by("doc").agg(rows=pl.len()), on="doc", how="left", maintain_order="left")
        .join(words.group_by("doc").agg(word_count=pl.len()), on="doc", how="left", maintain_order="left")
        .with_columns(pl.col("rows", "word_count").fill_null(0))
    )
    # ordered keeps every doc of `docs` in ascending order; docs is in ranked's (ascending) order.
    rows = counts.get_column("rows")
    ends = rows.cum_sum()
    return Composed(
        docs=counts.get_column("doc").to_list(),
        starts=(ends - rows).to_list(),
        ends=ends.to_list(),
        surfaces=ordered.get_column("surface").to_list(),
        values=ordered.get_column("value").to_list(),
        word_counts=counts.get_column("word_count").to_list(),
        ranked_counts=counts.get_column("ranked_count").to_list(),
    )


def listed(
    composed: Composed, index: int, config: KeyphraseConfig, top: int, dedup: bool
) -> tuple[list[tuple[str, float]], bool]:
    """compose's result for the `index`-th article of `composed`: (keyword, score) pairs and
    whether the words it was given may have run out."""
    weight = dict(config.list_weights)
    kept = KeptPhrases(exact_only=not dedup)
    values: list[float] = []
    surfaces, all_values = composed.surfaces, composed.values
    for row in range(composed.starts[index], composed.ends[index]):
        if kept.add(surfaces[row]):
            values.append(all_values[row])
            if len(values) >= top:
                break
    bonus = max(0.0, weight["sticky_word"]) + max(0.0, weight["verb_like_word"])
    unseen = -weight["word_rank"] * math.log1p(composed.word_counts[index]) + bonus
    words_ran_out = len(values) < top or values[-1] < unseen
    return [
        (phrase, round(0.0 - value, 6)) for phrase, value in zip(kept.phrases, values, strict=True)
    ], words_ran_out
