"""core.keywords.phrases' phrase candidates and scores for a whole batch, as Polars frames.

The rules run on the batch's words frame (core.keywords.yake.frames): each word's class and filler flag is
looked up once per distinct lower-case form, phrases of 2..max_words words are windows by shifts
within blocks, grouped per document like yake's candidates. Every step mirrors
`core.keywords.phrases.editor_phrases`, which tests/core/keywords/test_keyphrases.py holds it to.
"""

from __future__ import annotations

import polars as pl

from core.keywords.phrases import PHRASE_POOL, SCORE_DECIMALS, KeyphraseConfig, word_classes
from core.keywords.yake.candidates import with_surfaces


def _word_facts(vocab: pl.LazyFrame, config: KeyphraseConfig) -> pl.LazyFrame:
    """lower_id -> verb_like, adj_like, filler: one row per distinct lower-case form of the batch."""
    verbs, adjectives = word_classes()
    lower = pl.col("token").str.to_lowercase()
    return (
        vocab.select("lower_id", lower=lower)
        .unique("lower_id")
        .select(
            "lower_id",
            verb_like=pl.col("lower").is_in(pl.Series(sorted(verbs), dtype=pl.String).implode()),
            adj_like=pl.col("lower").is_in(pl.Series(sorted(adjectives), dtype=pl.String).implode()),
            filler=pl.col("lower").is_in(pl.Series(sorted(config.filler), dtype=pl.String).implode()),
        )
    )


def phrase_candidate_rows(
    tokens: pl.DataFrame,
    words: pl.LazyFrame,
    terms: pl.LazyFrame,
    vocab: pl.LazyFrame,
    config: KeyphraseConfig,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Per document: its best PHRASE_POOL phrases as rows (doc, surface, score), best first
    within each doc (ties by surface) and docs in order; and its words' stickiness as rows
    (doc, term_id, share): for each term in a two-word candidate, the largest share of its
    occurrences one such phrase accounts for."""
    facts = words.join(
        _word_facts(vocab, config), on="lower_id", how="left", maintain_order="left"
    ).with_columns(
        name=pl.col("noun") | pl.col("acronym"),
        edge_ok=pl.col("tag_ok") & ~pl.col("stop_here") & ~pl.col("filler"),
        inner_ok=pl.col("tag_ok") & ~pl.col("stop_here"),
    )
    term_tf = terms.select("doc", "term_id", "tf", "first_sent")
    pieces = []
    sticky: pl.LazyFrame | None = None
    for size in range(2, config.max_words + 1):
        back = size - 1

        def at(column: str, i: int, back: int = back) -> pl.Expr:
            return pl.col(column).shift(back - i)

        shape = [at("block", 0) == pl.col("block")]
        for i in range(size):
            edge = i in (0, size - 1)
            shape.append(at("edge_ok" if edge else "inner_ok", i))
            # The lexicon speaks only for words not written as names.
            banned = at("verb_like", i) | (at("adj_like", i) if i == size - 1 else pl.lit(False))
            shape.append(at("name", i) | ~banned)
        grouped = (
            facts.select(
                "doc",
                "row",
                "sent",
                **{f"l{i}": at("lower_id", i) for i in range(size)},
                **{f"t{i}": at("term_id", i) for i in range(size)},
                all_names=pl.all_horizontal(at("name", i) for i in range(size)),
                ok=pl.all_horizontal(shape),
            )
            .filter(pl.col("ok"))
            .group_by("doc", *[f"l{i}" for i in range(size)])
            .agg(
                *[pl.col(f"t{i}").first() for i in range(size)],
                tf=pl.len().cast(pl.Float64),
                first=pl.col("row").min(),
                first_sent=pl.col("sent").min(),
                name_share=pl.col("all_names").mean(),
            )
        )
        for i in range(size):
            grouped = grouped.join(
                term_tf.rename({"term_id": f"t{i}", "tf": f"tf{i}", "first_sent": f"fs{i}"}),
                on=["doc", f"t{i}"],
                how="left",
            )
        # Summed in the order core.keywords.phrases.phrase_score sums, so both paths agree.
        logs: pl.Expr = pl.col("tf0").log()
        for i in range(1, size):
            logs = logs + pl.col(f"tf{i}").log()
        # Per word, as phrases.phrase_features adds them up: in the headline (its first sentence
        # is sentence 0), and -log(1 + its first sentence).
        headline: pl.Expr = pl.lit(0.0)
        position: pl.Expr = pl.lit(0.0)
        for i in range(size):
            headline = headline + pl.when(pl.col(f"fs{i}") == 0).then(1.0).otherwise(0.0)
            position = position + -pl.col(f"fs{i}").cast(pl.Float64).log1p()
        features = {
            "word_frequency": logs / size,
            "phrase_frequency": pl.col("tf").log1p(),
            "position": -pl.col("first_sent").cast(pl.Float64).log1p(),
            "three_words": pl.lit(1.0 if size == 3 else 0.0),
            "name": pl.col("name_share"),
            "words_headline": headline / size,
            "words_position": position / size,
        }
        score: pl.Expr = pl.lit(0.0)
        for feature, weight in config.weights:
            score = score + weight * features[feature]
        score = score.round(SCORE_DECIMALS)
        pieces.append(grouped.select("doc", "first", size=pl.lit(size, dtype=pl.Int32), score=score))
        if size == 2:
            sticky = pl.concat(
                grouped.select("doc", term_id=f"t{i}", share=pl.col("tf") / pl.col(f"tf{i}")) for i in (0, 1)
            )
    # Surfaces only for each document's best PHRASE_POOL (and any tied with the last of them):
    # gathering them for every candidate would cost more than everything else here.
    assert sticky is not None  # max_words >= 2 always gives the two-word pass
    # One collect for both: they share the two-word pass (its shifts, group-by and joins).
    best, shares = pl.collect_all(
        [
            pl.concat(pieces).filter(pl.col("score").rank("min", descending=True).over("doc") <= PHRASE_POOL),
            sticky.group_by("doc", "term_id").agg(pl.col("share").max()),
        ]
    )
    best = with_surfaces(best, tokens.get_column("token"), config.max_words)
    phrases = (
        best.lazy()
        .sort("doc", "score", "surface", descending=[False, True, False])
        .group_by("doc", maintain_order=True)
        .head(PHRASE_POOL)
        .select("doc", "surface", "score")
    )
    return phrases, shares.lazy()
