"""YAKE's candidate keywords for a batch: n-grams by shifts within blocks, scores by joins.

A candidate is one to `n` consecutive words inside a block (no punctuation between them). Like
yake's ComposedWord it is keyed by its lower-cased words, counted over the document, valid when
any occurrence has no digit or unusual word and it neither starts nor ends with a stopword, and
scored prod(h) / ((sum(h) + 1) * tf) from its words' scores (core.keywords.yake.frames computes those).
"""

from __future__ import annotations

import polars as pl


def _ngrams(words: pl.LazyFrame, size: int, min_tf: int = 1) -> pl.LazyFrame:
    """Every valid-looking n-gram of one size, grouped: tf, first row, member ids, tag validity."""
    back = size - 1
    members = {f"l{i}": pl.col("lower_id").shift(back - i) for i in range(size)}
    members |= {f"t{i}": pl.col("term_id").shift(back - i) for i in range(size)}
    return (
        words.lazy()
        .select(
            "doc",
            "row",
            **members,
            tag_ok=pl.all_horizontal(pl.col("tag_ok").shift(back - i) for i in range(size)),
            same_block=(pl.col("block").shift(back) == pl.col("block")) if back else pl.lit(True),
        )
        .filter(pl.col("same_block"))
        .group_by("doc", *[f"l{i}" for i in range(size)])
        .agg(
            *[pl.col(f"t{i}").first() for i in range(size)],
            tf=pl.len().cast(pl.Float64),
            # yake keeps a candidate if any occurrence has no digit/unusual word in it.
            valid=pl.col("tag_ok").any(),
            first=pl.col("row").min(),
        )
        .filter(pl.col("valid") & (pl.col("tf") >= (min_tf if size > 1 else 1)))
        .with_columns(size=pl.lit(size, dtype=pl.Int32))
    )


def _composed_score(n: int, edges: pl.LazyFrame, terms: pl.LazyFrame, grouped: pl.LazyFrame) -> pl.LazyFrame:
    """ComposedWord.update_h: prod(h) / ((sum(h) + 1) * tf); stopwords inside weigh by links."""
    sum_h: pl.Expr = pl.lit(0.0)
    prod_h: pl.Expr = pl.lit(1.0)
    term_tf = terms.lazy().select("doc", "term_id", "tf")
    edge_tf = edges.lazy()
    for i in range(n):
        h, present = pl.col(f"h{i}"), pl.col("size") > i
        if 0 < i < n - 1:
            # "bi" weighting: how often the stopword links its neighbours.
            prev_edge = edge_tf.rename({"left": f"t{i - 1}", "right": f"t{i}", "tf": f"link_in{i}"})
            next_edge = edge_tf.rename({"left": f"t{i}", "right": f"t{i + 1}", "tf": f"link_out{i}"})
            grouped = (
                grouped.join(prev_edge, on=["doc", f"t{i - 1}", f"t{i}"], how="left")
                .join(next_edge, on=["doc", f"t{i}", f"t{i + 1}"], how="left")
                .join(
                    term_tf.rename({"term_id": f"t{i - 1}", "tf": f"prev_tf{i}"}),
                    on=["doc", f"t{i - 1}"],
                    how="left",
                )
                .join(
                    term_tf.rename({"term_id": f"t{i + 1}", "tf": f"next_tf{i}"}),
                    on=["doc", f"t{i + 1}"],
                    how="left",
                )
            )
            prob = (pl.col(f"link_in{i}").fill_null(0.0) / pl.col(f"prev_tf{i}")) * (
                pl.col(f"link_out{i}").fill_null(0.0) / pl.col(f"next_tf{i}")
            )
            stop = present & pl.col(f"s{i}")
            sum_h = pl.when(stop).then(sum_h - (1 - prob)).when(present).then(sum_h + h).otherwise(sum_h)
            prod_h = (
                pl.when(stop).then(prod_h * (1 + (1 - prob))).when(present).then(prod_h * h).otherwise(prod_h)
            )
        else:
            sum_h = pl.when(present).then(sum_h + h).otherwise(sum_h)
            prod_h = pl.when(present).then(prod_h * h).otherwise(prod_h)
    return grouped.with_columns(h=prod_h / ((sum_h + 1) * pl.col("tf")))


def candidates_frame(
    tokens: pl.DataFrame,
    words: pl.LazyFrame,
    terms: pl.LazyFrame,
    edges: pl.LazyFrame,
    n: int,
    min_tf: int = 1,
) -> pl.DataFrame:
    """Valid candidates of every size with yake's composed score and first-written surface."""
    grouped = pl.concat([_ngrams(words, size, min_tf) for size in range(1, n + 1)], how="diagonal")
    term_facts = terms.select("doc", "term_id", "stopword", "h")
    for i in range(n):
        grouped = grouped.join(
            term_facts.rename({"term_id": f"t{i}", "stopword": f"s{i}", "h": f"h{i}"}),
            on=["doc", f"t{i}"],
            how="left",
        )
    last_stop = pl.coalesce(*[pl.when(pl.col("size") == i + 1).then(pl.col(f"s{i}")) for i in range(n)])
    scored = _composed_score(n, edges, terms, grouped.filter(~pl.col("s0") & ~last_stop))
    columns = ["doc", "size", "tf", "first", *[f"t{i}" for i in range(n)], *[f"s{i}" for i in range(n)], "h"]
    return _with_surfaces(scored.select(columns).collect(), tokens.get_column("token"), n)


def _with_surfaces(candidates: pl.DataFrame, token: pl.Series, n: int) -> pl.DataFrame:
    """Add each candidate's surface as first written: the words ending at its `first` row.

    Token rows are dense (0..N-1), so a gather by position does what a join would, without
    hashing the whole tokens frame.
    """
    first = candidates.get_column("first").cast(pl.Int64)
    size = candidates.get_column("size").cast(pl.Int64)
    # Word i of a candidate sits size - 1 - i rows before its last word; there is none when
    # i >= size (any in-range row stands in, and the mask below drops it).
    last_row = max(len(token) - 1, 0)
    words = pl.DataFrame(
        {f"w{i}": token.gather((first - (size - 1 - i)).clip(0, last_row)) for i in range(n)} | {"size": size}
    )
    surface = words.select(
        pl.concat_str(
            [pl.when(pl.col("size") > i).then(pl.col(f"w{i}")) for i in range(n)],
            separator=" ",
            ignore_nulls=True,
        )
    )
    return candidates.with_columns(surface=surface.to_series())
