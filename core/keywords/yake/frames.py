"""YAKE's statistics for a whole batch of documents at once, as Polars frames.

The yake package builds a Python object per term, per candidate and per graph edge of every
document; that object model is nearly all of its cost. Here the same quantities are columns:
one tokens frame for the batch, term features by one group-by, co-occurrence edges by shifts
within blocks; candidates are built in core.keywords.yake.candidates.
Formulas and tie-breaking follow yake 0.7.3 (`yake.data`), so scores agree to float rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import polars as pl

from core.keywords.yake.candidates import candidates_frame
from core.keywords.yake.tokens import is_piecewise, piece_tokens, sentence_words, yake_sentences
from core.keywords.yake.vocab import vocabulary


@dataclass(frozen=True)
class YakeSettings:
    """The yake settings the frames reproduce (KeywordExtractor's `n`, `window_size`, features)."""

    max_ngram: int = 2
    window_size: int = 1
    # False: the "wcase" feature stays 0, as in KeywordExtractor when "wcase" is not listed.
    case_feature: bool = False
    # Multi-word candidates seen fewer times are dropped early. 1 keeps all (what yake ranks);
    # newsdesk's phrase rule never lists a phrase seen once, so it passes its minimum.
    min_phrase_tf: int = 1


@dataclass(frozen=True)
class YakeFrames:
    """One batch's YAKE statistics; `doc` is the document's index in the batch.

    terms: one row per (doc, term_id): tf, stopword, h (lower = more important).
    candidates: one row per *valid* candidate (doc and lower-cased words): surface (as first
    written), size, tf, first (creation order in the doc), member terms t0.. with their
    stopword flags s0.., and h.
    """

    terms: pl.DataFrame
    candidates: pl.DataFrame
    vocab: pl.DataFrame  # core.keywords.yake.vocab.vocabulary of the batch: term_id -> term, for lookups


# Pieces split as segtok splits a sentence: on its regex `\s`, Unicode White_Space, which is Rust's
# `\s` too (str.split() also splits on four control characters; see tokens.yake_sentences).
_PIECE = r"\S+"


def tokens_frame(documents: Sequence[str]) -> tuple[pl.DataFrame, pl.Series]:
    """Every token with its doc, sentence (index in the doc) and position in that sentence.

    Also returns each document's number of sentences (YAKE counts sentences without tokens too).
    Sentences are split in Python; most are then tokenized as frames: pieces by one regex, each
    distinct piece's tokens looked up once (tokens.piece_tokens) and joined back in order, so
    Python touches a batch's distinct pieces rather than every token. The rest (entities, URLs,
    a sentence end reaching two pieces back) go through tokens.sentence_words whole.
    """
    # Sentences in text order; a sentence's `key` (its index here) orders rows alone.
    docs: list[int] = []
    indices: list[int] = []
    texts: list[str] = []
    whole: list[int] = []  # keys of the sentences tokenized whole
    odd_spaces: list[bool] = []  # per document
    sentence_counts: list[int] = []
    for doc, text in enumerate(documents):
        sentences, odd = yake_sentences(text)
        odd_spaces.append(odd)
        sentence_counts.append(len(sentences))
        for index, sentence in enumerate(sentences):
            if not is_piecewise(sentence):
                whole.append(len(docs))
            docs.append(doc)
            indices.append(index)
            texts.append(sentence)
    schema = {"key": pl.Int64, "doc": pl.Int32, "sent": pl.Int32}
    sentences_frame = pl.DataFrame({"key": range(len(docs)), "doc": docs, "sent": indices}, schema=schema)
    pieces = (
        sentences_frame.with_columns(piece=pl.Series(texts, dtype=pl.String).str.extract_all(_PIECE))
        .filter(~pl.col("key").is_in(pl.Series(whole, dtype=pl.Int64).implode()))
        .explode("piece")
        .drop_nulls("piece")  # a sentence of no pieces
        .with_columns(last=pl.col("key") != pl.col("key").shift(-1, fill_value=-1))
    )
    distinct = pieces.select("piece", "last").unique().with_row_index("piece_id")
    distinct_pieces = distinct.get_column("piece").to_list()
    distinct_lasts = distinct.get_column("last").to_list()
    found = [piece_tokens(piece, last) for piece, last in zip(distinct_pieces, distinct_lasts, strict=True)]
    if None in found:
        # The sentence-end fix may reach past these last pieces: their sentences go whole.
        reaching = distinct.filter(pl.Series([tokens is None for tokens in found]))
        whole.extend(pieces.join(reaching, on=["piece", "last"], how="semi").get_column("key").to_list())
        pieces = pieces.filter(~pl.col("key").is_in(pl.Series(whole, dtype=pl.Int64).implode()))
    # Each distinct piece's tokens as rows (piece_id, token); a join that keeps the pieces' order,
    # then each piece's tokens in order, puts every token in its place. (Flat rows: building a
    # list column from Python tuples costs more than all the rest.)
    piece_rows = _flat_rows("piece_id", distinct.get_column("piece_id"), [tokens or () for tokens in found])
    frame = (
        pieces.join(distinct, on=["piece", "last"], how="left", maintain_order="left")
        .join(piece_rows, on="piece_id", how="inner", maintain_order="left_right")
        .select(*schema, "token")
    )
    if whole:
        whole_tokens = [sentence_words(texts[key], odd_spaces[docs[key]]) for key in whole]
        whole_rows = _flat_rows("key", pl.Series(whole, dtype=pl.Int64), whole_tokens)
        whole_frame = whole_rows.join(sentences_frame, on="key", how="left").select(*schema, "token")
        frame = pl.concat([frame, whole_frame]).sort("key", maintain_order=True)
    frame = frame.with_row_index("row")
    new_sentence = pl.col("key") != pl.col("key").shift(1, fill_value=-1)
    sentence_start = pl.when(new_sentence).then(pl.col("row")).forward_fill()
    frame = frame.select(
        "row",
        "token",
        "doc",
        "sent",
        pos_sent=(pl.col("row") - sentence_start).cast(pl.Int32),
    )
    return frame, pl.Series("sentences", sentence_counts, dtype=pl.Int32)


def _flat_rows(name: str, owners: pl.Series, tokens: Sequence[Sequence[str]]) -> pl.DataFrame:
    """(name, token) rows: each owner repeated once per token of its sequence, in order."""
    lengths = pl.Series([len(sequence) for sequence in tokens], dtype=pl.UInt32)
    # Owners of no token are left out first (exploding an empty repeat gives a null in some
    # Polars versions and nothing in others).
    some = lengths > 0
    return pl.DataFrame(
        {
            name: owners.filter(some).repeat_by(lengths.filter(some)).explode(),
            "token": pl.Series(list(chain.from_iterable(tokens)), dtype=pl.String),
        }
    )


def _words(tokens: pl.DataFrame, vocab: pl.LazyFrame) -> pl.LazyFrame:
    """Tokens that are not all punctuation, with ids, tag facts, stopword flag and block.

    A block is a run of words between punctuation inside one sentence: YAKE's candidates and
    co-occurrences never cross one.
    """
    return (
        tokens.lazy()
        .join(vocab.lazy().drop("term"), on="token", how="left", maintain_order="left")
        .with_columns(block=(pl.col("punct") | (pl.col("pos_sent") == 0)).cum_sum())
        .filter(~pl.col("punct"))
        .select(
            "doc",
            "sent",
            "row",
            "block",
            "lower_id",
            "term_id",
            "tag_ok",
            "stop_here",
            "acronym",
            # A capitalised word is a proper noun ("n") except as its sentence's first token.
            noun=pl.col("noun_shape") & (pl.col("pos_sent") > 0),
        )
    )


def _edges(words: pl.LazyFrame, window: int) -> pl.LazyFrame:
    """Co-occurrence counts (doc, left, right, tf): each word with the `window` words before it."""
    pieces = [
        words.lazy()
        .select(
            "doc",
            left=pl.col("term_id").shift(d),
            right=pl.col("term_id"),
            keep=(pl.col("block").shift(d) == pl.col("block")) & pl.col("tag_ok") & pl.col("tag_ok").shift(d),
        )
        .filter(pl.col("keep"))
        for d in range(1, window + 1)
    ]
    if not pieces:  # window 0: no co-occurrences at all
        schema = {"doc": pl.Int32, "left": pl.UInt32, "right": pl.UInt32, "tf": pl.Float64}
        return pl.LazyFrame(schema=schema)
    return pl.concat(pieces).group_by("doc", "left", "right").agg(tf=pl.len().cast(pl.Float64))


def _term_features(
    words: pl.LazyFrame, edges: pl.LazyFrame, sentence_counts: pl.Series, settings: YakeSettings
) -> pl.LazyFrame:
    """One row per (doc, term_id) with YAKE's word score h (SingleWord.update_h)."""
    right = edges.lazy().group_by("doc", "left").agg(wdr=pl.len(), wir=pl.col("tf").sum())
    left = edges.lazy().group_by("doc", "right").agg(wdl=pl.len(), wil=pl.col("tf").sum())
    counts = pl.LazyFrame(
        {
            "doc": pl.int_range(len(sentence_counts), eager=True, dtype=pl.Int32),
            "n_sentences": sentence_counts,
        }
    )
    tf = pl.col("tf")
    content_tf = tf.filter(~pl.col("stopword"))
    wrel = pl.col("wrel")
    case = (pl.max_horizontal("tf_a", "tf_n") / (1.0 + tf.log())) if settings.case_feature else pl.lit(0.0)
    per_term = (
        words.lazy()
        .group_by("doc", "term_id")
        .agg(
            tf=pl.len().cast(pl.Float64),
            tf_a=pl.col("acronym").sum().cast(pl.Float64),
            tf_n=pl.col("noun").sum().cast(pl.Float64),
            # yake decides the flag when it first meets the term, from that spelling (rows are
            # in text order inside each group).
            stopword=pl.col("stop_here").first(),
            median_sentence=pl.col("sent").unique().median(),
            spread=pl.col("sent").n_unique(),
            # Not YAKE's: the first sentence holding the term (core.keywords.phrase_frames).
            first_sent=pl.col("sent").min(),
        )
        .cache()
    )
    per_doc = (
        per_term.group_by("doc")
        .agg(
            max_tf=tf.max(),
            # Term counts are whole numbers: integer sums make the mean and standard deviation
            # exact up to one rounding each, so a document's scores never depend on which
            # batch it was in (a float sum's rounding depends on memory layout).
            count=content_tf.len(),
            sum_tf=content_tf.cast(pl.Int64).sum(),
            sum_sq=(content_tf.cast(pl.Int64) ** 2).sum(),
            # A document with no content word: yake never scores it and h stays 0.
            has_content=(~pl.col("stopword")).any(),
        )
        .join(counts, on="doc", how="left")
        .with_columns(
            avg_tf=pl.col("sum_tf") / pl.col("count"),
            std_tf=(
                (pl.col("count") * pl.col("sum_sq") - pl.col("sum_tf") ** 2) / (pl.col("count") ** 2)
            ).sqrt(),
        )
    )
    return (
        per_term.join(right, left_on=["doc", "term_id"], right_on=["doc", "left"], how="left")
        .join(left, left_on=["doc", "term_id"], right_on=["doc", "right"], how="left")
        .join(per_doc, on="doc", how="left")
        .with_columns(
            pwr=pl.when(pl.col("wir") > 0).then(pl.col("wdr") / pl.col("wir")).otherwise(0.0),
            pwl=pl.when(pl.col("wil") > 0).then(pl.col("wdl") / pl.col("wil")).otherwise(0.0),
        )
        .with_columns(
            wrel=(0.5 + pl.col("pwl") * (tf / pl.col("max_tf")))
            + (0.5 + pl.col("pwr") * (tf / pl.col("max_tf"))),
            wfreq=tf / (pl.col("avg_tf") + pl.col("std_tf")),
            wspread=pl.col("spread") / pl.col("n_sentences"),
            wcase=case,
            wpos=(3.0 + pl.col("median_sentence")).log().log(),
        )
        .with_columns(
            h=(pl.col("wpos") * wrel) / (pl.col("wcase") + pl.col("wfreq") / wrel + pl.col("wspread") / wrel),
        )
        .select(
            "doc",
            "term_id",
            "tf",
            "stopword",
            "first_sent",
            h=pl.when(pl.col("has_content")).then(pl.col("h")).otherwise(0.0),
        )
    )


@dataclass(frozen=True)
class YakePlan:
    """The same statistics as YakeFrames, not yet computed: callers add their own steps and
    collect once (each collect has a fixed cost that matters for small batches)."""

    terms: pl.LazyFrame
    candidates: pl.LazyFrame
    vocab: pl.LazyFrame
    # The batch's tokens (row, token, doc, sent, pos_sent) and words (see _words), for callers
    # that build candidates of their own (core.keyphrase_frames).
    tokens: pl.DataFrame
    words: pl.LazyFrame


def yake_plan(documents: Sequence[str], settings: YakeSettings | None = None) -> YakePlan:
    """Tokenize a batch (in Python) and compute YAKE's statistics for it in a few Polars queries.

    Frames used by several later steps (words, edges, terms) are materialised once; the rest
    stays lazy so callers can add their steps before one last collect.
    """
    settings = settings or YakeSettings()
    tokens, sentence_counts = tokens_frame(documents)
    vocab = vocabulary(tokens.get_column("token")).collect().lazy()
    words = _words(tokens, vocab).collect().lazy()
    edges = _edges(words, settings.window_size).collect().lazy()
    terms = _term_features(words, edges, sentence_counts, settings).collect().lazy()
    candidates = candidates_frame(
        tokens, words, terms, edges, settings.max_ngram, settings.min_phrase_tf
    ).lazy()
    return YakePlan(terms=terms, candidates=candidates, vocab=vocab, tokens=tokens, words=words)


def yake_frames(documents: Sequence[str], settings: YakeSettings | None = None) -> YakeFrames:
    """YAKE's term and candidate statistics for every document of a batch (doc = list index)."""
    plan = yake_plan(documents, settings)
    terms, candidates, vocab = pl.collect_all([plan.terms, plan.candidates, plan.vocab])
    return YakeFrames(terms=terms, candidates=candidates, vocab=vocab)
