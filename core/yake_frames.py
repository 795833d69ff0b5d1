"""YAKE's statistics for a whole batch of documents at once, as Polars frames.

The yake package builds a Python object per term, per candidate and per graph edge of every
document; that object model is nearly all of its cost. Here the same quantities are columns:
one tokens frame for the batch, term features by one group-by, co-occurrence edges by shifts
within blocks, candidate n-grams by shifts within sentences, and candidate scores by joins.
Formulas and tie-breaking follow yake 0.7.3 (`yake.data`), so scores agree to float rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from core.yake_tokens import sentence_tokens

# string.punctuation as a character class: YAKE's "exclude" set.
_PUNCT = r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
# Python's str.isdigit() is true for decimal digits and for these digit-like characters too.
_DIGIT = r"[\p{Nd}\u00B2\u00B3\u00B9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468]"
_TAGS_TO_DISCARD = ("u", "d")


@dataclass(frozen=True)
class YakeSettings:
    """The yake settings the frames reproduce (KeywordExtractor's `n`, `window_size`, features)."""

    max_ngram: int = 2
    window_size: int = 1
    # False: the "wcase" feature is left at 0, as KeywordExtractor does when it is not listed.
    case_feature: bool = False


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """YAKE's English stopword list, read from the yake package's data file."""
    from importlib.resources import files

    text = files("yake.core").joinpath("StopwordsList/stopwords_en.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class YakeFrames:
    """One batch's YAKE statistics.

    terms: one row per (doc, term): tf, stopword, h.
    candidates: one row per (doc, key) for every *valid* candidate: surface (first occurrence),
    size, tf, first (creation order inside the doc), the member terms and h.
    """

    terms: pl.DataFrame
    candidates: pl.DataFrame


def tokens_frame(documents: Sequence[str]) -> tuple[pl.DataFrame, pl.Series]:
    """Every token of every document with its doc, sentence (index in the doc) and position in it.

    Also returns each document's number of sentences (YAKE counts sentences without tokens too).
    """
    tokens: list[str] = []
    sentence_lengths: list[int] = []
    sentence_docs: list[int] = []
    sentence_index: list[int] = []
    sentence_counts: list[int] = []
    for doc, text in enumerate(documents):
        sentences = sentence_tokens(text)
        sentence_counts.append(len(sentences))
        for index, words in enumerate(sentences):
            if words:
                tokens.extend(words)
                sentence_lengths.append(len(words))
                sentence_docs.append(doc)
                sentence_index.append(index)
    lengths = pl.Series("n", sentence_lengths, dtype=pl.Int64)
    starts = lengths.cum_sum() - lengths
    frame = pl.DataFrame(
        {
            "token": pl.Series(tokens, dtype=pl.String),
            "doc": pl.Series(sentence_docs, dtype=pl.Int32).repeat_by(lengths).explode(),
            "sent": pl.Series(sentence_index, dtype=pl.Int32).repeat_by(lengths).explode(),
            "start": starts.repeat_by(lengths).explode(),
        }
    )
    frame = frame.with_row_index("row").with_columns(
        pos_sent=(pl.col("row").cast(pl.Int64) - pl.col("start")).cast(pl.Int32)
    )
    return frame.drop("start"), pl.Series("sentences", sentence_counts, dtype=pl.Int32)


def _tag() -> pl.Expr:
    """yake.data.utils.get_tag as an expression: d(igit), u(nusual), a(cronym), n(oun), p(lain)."""
    token = pl.col("token")
    no_commas = token.str.replace_all(",", "", literal=True)
    digits = token.str.count_matches(_DIGIT)
    letters = token.str.count_matches(r"\p{L}")
    is_digit = no_commas.str.contains(rf"^(?:{_DIGIT}+|{_DIGIT}*\.{_DIGIT}+|{_DIGIT}+\.)$")
    unusual = ((digits > 0) & (letters > 0)) | ((digits == 0) & (letters == 0))
    unusual = unusual | (token.str.count_matches(_PUNCT) > 1)
    upper = token.str.contains(r"\p{Lu}") & ~token.str.contains(r"[\p{Ll}\p{Lt}]")
    noun = (
        (token.str.len_chars() > 1)
        & token.str.contains(r"^\p{Lu}")
        & (token.str.count_matches(r"\p{Lu}") == 1)
        & (pl.col("pos_sent") > 0)
    )
    return (
        pl.when(is_digit)
        .then(pl.lit("d"))
        .when(unusual)
        .then(pl.lit("u"))
        .when(upper)
        .then(pl.lit("a"))
        .when(noun)
        .then(pl.lit("n"))
        .otherwise(pl.lit("p"))
    )


def _words(tokens: pl.DataFrame) -> pl.DataFrame:
    """Tokens that are words (not all punctuation), with tag, term key, stopword flag and block.

    A block is a run of words between punctuation tokens inside one sentence: YAKE's candidates
    and co-occurrences never cross one.
    """
    sw = pl.Series(sorted(stopwords()), dtype=pl.String)
    lower = pl.col("token").str.to_lowercase()
    punct = pl.col("token").str.contains(rf"^{_PUNCT}+$")
    return (
        tokens.lazy()
        .with_columns(block=(punct | (pl.col("pos_sent") == 0)).cum_sum(), punct=punct)
        .filter(~pl.col("punct"))
        .with_columns(lower=lower)
        .with_columns(
            # YAKE folds a final "s" on words longer than three letters ("ties" -> "tie").
            term=pl.when(pl.col("lower").str.ends_with("s") & (pl.col("lower").str.len_chars() > 3))
            .then(pl.col("lower").str.slice(0, pl.col("lower").str.len_chars() - 1))
            .otherwise(pl.col("lower")),
            tag=_tag(),
        )
        .with_columns(
            stop_here=pl.col("lower").is_in(sw)
            | pl.col("term").is_in(sw)
            | (pl.col("term").str.replace_all(_PUNCT, "").str.len_chars() < 3),
            tag_ok=~pl.col("tag").is_in(_TAGS_TO_DISCARD),
        )
        .drop("punct")
        .collect()
    )


def _edges(words: pl.DataFrame, window: int) -> pl.DataFrame:
    """Co-occurrence counts (doc, left, right, tf): each word with the `window` words before it."""
    pieces = [
        words.lazy()
        .select(
            "doc",
            left=pl.col("term").shift(d),
            right=pl.col("term"),
            keep=(pl.col("block").shift(d) == pl.col("block")) & pl.col("tag_ok") & pl.col("tag_ok").shift(d),
        )
        .filter(pl.col("keep"))
        for d in range(1, window + 1)
    ]
    return pl.concat(pieces).group_by("doc", "left", "right").agg(tf=pl.len().cast(pl.Float64)).collect()


def _term_features(
    words: pl.DataFrame, edges: pl.DataFrame, sentence_counts: pl.Series, settings: YakeSettings
) -> pl.DataFrame:
    """One row per (doc, term) with YAKE's word score h (lower = more important)."""
    right = edges.group_by("doc", "left").agg(wdr=pl.len(), wir=pl.col("tf").sum())
    left = edges.group_by("doc", "right").agg(wdl=pl.len(), wil=pl.col("tf").sum())
    counts = pl.DataFrame(
        {"doc": pl.int_range(len(sentence_counts), eager=True).cast(pl.Int32), "n_sentences": sentence_counts}
    )
    tf = pl.col("tf")
    content_tf = tf.filter(~pl.col("stopword"))
    terms = (
        words.lazy()
        .group_by("doc", "term", maintain_order=True)
        .agg(
            tf=pl.len().cast(pl.Float64),
            tf_a=(pl.col("tag") == "a").sum().cast(pl.Float64),
            tf_n=(pl.col("tag") == "n").sum().cast(pl.Float64),
            # The first occurrence decides: yake sets the flag when it creates the term.
            stopword=pl.col("stop_here").first(),
            median_sentence=pl.col("sent").unique().median(),
            spread=pl.col("sent").n_unique(),
            first=pl.col("row").first(),
        )
        .join(right.lazy(), left_on=["doc", "term"], right_on=["doc", "left"], how="left")
        .join(left.lazy(), left_on=["doc", "term"], right_on=["doc", "right"], how="left")
        .join(counts.lazy(), on="doc", how="left")
        .with_columns(
            max_tf=tf.max().over("doc"),
            avg_tf=content_tf.mean().over("doc"),
            std_tf=content_tf.std(ddof=0).over("doc"),
            pwr=pl.when(pl.col("wir") > 0).then(pl.col("wdr") / pl.col("wir")).otherwise(0.0),
            pwl=pl.when(pl.col("wil") > 0).then(pl.col("wdl") / pl.col("wil")).otherwise(0.0),
        )
        .with_columns(
            wrel=(0.5 + pl.col("pwl") * (tf / pl.col("max_tf")))
            + (0.5 + pl.col("pwr") * (tf / pl.col("max_tf"))),
            wfreq=tf / (pl.col("avg_tf") + pl.col("std_tf")),
            wspread=pl.col("spread") / pl.col("n_sentences"),
            wcase=(pl.max_horizontal("tf_a", "tf_n") / (1.0 + tf.log()))
            if settings.case_feature
            else pl.lit(0.0),
            wpos=(3.0 + pl.col("median_sentence")).log().log(),
        )
        .with_columns(
            h=(pl.col("wpos") * pl.col("wrel"))
            / (pl.col("wcase") + pl.col("wfreq") / pl.col("wrel") + pl.col("wspread") / pl.col("wrel")),
            # A document with no content word: yake never scores it and h stays 0.
            has_content=(~pl.col("stopword")).any().over("doc"),
        )
        .with_columns(h=pl.when(pl.col("has_content")).then(pl.col("h")).otherwise(0.0))
        .select("doc", "term", "tf", "stopword", "h", "first")
    )
    return terms.collect()


def _candidate_rows(words: pl.DataFrame, terms: pl.DataFrame, n: int) -> pl.LazyFrame:
    """Every n-gram occurrence (n = 1..max) ending at each word, inside its block."""
    scored = words.lazy().join(
        terms.lazy().select("doc", "term", "stopword", "h"),
        on=["doc", "term"],
        how="left",
        maintain_order="left",  # the shifts below rely on token order
    )
    pieces = []
    for size in range(1, n + 1):
        back = size - 1
        same_block = pl.col("block").shift(back) == pl.col("block")
        parts = [pl.col("lower").shift(back - i) for i in range(size)]
        surfaces = [pl.col("token").shift(back - i) for i in range(size)]
        tag_ok = pl.all_horizontal([pl.col("tag_ok").shift(back - i) for i in range(size)])
        member = (
            {f"t{i}": pl.col("term").shift(back - i) for i in range(size)}
            | {f"s{i}": pl.col("stopword").shift(back - i) for i in range(size)}
            | {f"h{i}": pl.col("h").shift(back - i) for i in range(size)}
        )
        pieces.append(
            scored.select(
                "doc",
                "row",
                key=pl.concat_str(parts, separator=" "),
                surface=pl.concat_str(surfaces, separator=" "),
                size=pl.lit(size, dtype=pl.Int32),
                tag_ok=tag_ok,
                same_block=same_block if back else pl.lit(True),
                **member,
            )
            .filter(pl.col("same_block") & ~pl.col("s0") & ~pl.col(f"s{back}"))
            .drop("same_block")
        )
    return pl.concat(pieces, how="diagonal")


def _candidate_scores(rows: pl.LazyFrame, terms: pl.DataFrame, edges: pl.DataFrame, n: int) -> pl.DataFrame:
    """Valid candidates with yake's composed score: prod(h) / ((sum(h) + 1) * tf)."""
    members = [f"t{i}" for i in range(n)]
    stops = [f"s{i}" for i in range(n)]
    grouped = (
        rows.group_by("doc", "key")
        .agg(
            pl.col("surface").first(),
            pl.col("size").first(),
            *[pl.col(c).first() for c in members],
            *[pl.col(f"s{i}").first() for i in range(n)],
            *[pl.col(f"h{i}").first() for i in range(n)],
            tf=pl.len().cast(pl.Float64),
            valid=pl.col("tag_ok").any(),
            first=pl.col("row").first(),
        )
        .filter(pl.col("valid"))
    )
    sum_h = pl.lit(0.0)
    prod_h = pl.lit(1.0)
    term_tf = terms.lazy().select("doc", "term", "tf")
    for i in range(n):
        is_edge = 0 < i < n - 1
        if is_edge:
            # A stopword inside a phrase weighs by how often it links its neighbours (yake "bi").
            for side, (a, b) in (("p1", (f"t{i - 1}", f"t{i}")), ("p2", (f"t{i}", f"t{i + 1}"))):
                grouped = grouped.join(
                    edges.lazy().rename({"left": a, "right": b, "tf": f"{side}_edge_{i}"}),
                    on=["doc", a, b],
                    how="left",
                )
            grouped = grouped.join(
                term_tf.rename({"term": f"t{i - 1}", "tf": f"tf_prev_{i}"}),
                on=["doc", f"t{i - 1}"],
                how="left",
            ).join(
                term_tf.rename({"term": f"t{i + 1}", "tf": f"tf_next_{i}"}),
                on=["doc", f"t{i + 1}"],
                how="left",
            )
            prob = (pl.col(f"p1_edge_{i}").fill_null(0.0) / pl.col(f"tf_prev_{i}")) * (
                pl.col(f"p2_edge_{i}").fill_null(0.0) / pl.col(f"tf_next_{i}")
            )
            stop = pl.col(f"s{i}").fill_null(False)
            h = pl.col(f"h{i}")
            sum_h = (
                pl.when(pl.col("size") <= i)
                .then(sum_h)
                .when(stop)
                .then(sum_h - (1 - prob))
                .otherwise(sum_h + h)
            )
            prod_h = (
                pl.when(pl.col("size") <= i)
                .then(prod_h)
                .when(stop)
                .then(prod_h * (1 + (1 - prob)))
                .otherwise(prod_h * h)
            )
        else:
            h = pl.col(f"h{i}")
            sum_h = pl.when(pl.col("size") <= i).then(sum_h).otherwise(sum_h + h)
            prod_h = pl.when(pl.col("size") <= i).then(prod_h).otherwise(prod_h * h)
    return (
        grouped.with_columns(h=prod_h / ((sum_h + 1) * pl.col("tf")))
        .select("doc", "key", "surface", "size", "tf", "first", *members, *stops, "h")
        .collect()
    )


def yake_frames(documents: Sequence[str], settings: YakeSettings | None = None) -> YakeFrames:
    """YAKE's term and candidate statistics for every document of a batch (doc = list index)."""
    settings = settings or YakeSettings()
    tokens, sentence_counts = tokens_frame(documents)
    words = _words(tokens)
    edges = _edges(words, settings.window_size)
    terms = _term_features(words, edges, sentence_counts, settings)
    rows = _candidate_rows(words, terms, settings.max_ngram)
    candidates = _candidate_scores(rows, terms, edges, settings.max_ngram)
    return YakeFrames(terms=terms, candidates=candidates)
