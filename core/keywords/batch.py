"""newsdesk's keyword ranking (see core/keywords/rerank.py) for a whole batch, from YAKE's frames.

The per-article path asks the yake package for word scores and candidates; this one takes them
from `core.keywords.yake.frames`, which computes the same numbers for many articles at once, and applies
the same rerank, phrase rule and ordering as frame expressions. Only the near-duplicate filter and
the display form run per article, on each article's best few candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from core.keywords.phrase_frames import phrase_candidates
from core.keywords.phrases import is_filler
from core.keywords.rerank import (
    DEFAULT_CONFIG,
    KeywordConfig,
    compose,
    display_form,
    extract_keywords,
    keyword_document,
    remove_near_duplicates,
)
from core.keywords.yake.frames import YakePlan, YakeSettings, yake_plan

# keywords._HAS_LETTER, `[^\W\d_]`, in Rust regex terms: letters and non-decimal numerals.
_HAS_LETTER = r"[\p{L}\p{Nl}\p{No}]"
KEYWORD_ENGINES = ("polars", "yake")
"""polars: this module, a batch at a time; yake: the yake package, one article at a time."""
DEFAULT_KEYWORD_ENGINE = "polars"
# How many of an article's best candidates the dedup sees first; the rest only if it runs dry.
_FIRST_LOOK = 3


def _word_scores(plan: YakePlan, config: KeywordConfig) -> pl.LazyFrame:
    """One row per (doc, term) with a valid one-word candidate: its commonest surface and score."""
    return (
        plan.candidates.filter(pl.col("size") == 1)
        # The surface used most; on a tie the one seen first (yake's dict order).
        .sort("doc", "t0", "tf", "first", descending=[False, False, True, False])
        .group_by("doc", "t0", maintain_order=True)
        .first()
        .join(
            plan.terms.select("doc", term="term_id", term_tf="tf", term_h="h"),
            left_on=["doc", "t0"],
            right_on=["doc", "term"],
            how="left",
        )
        .select(
            "doc",
            "surface",
            "term_tf",
            term="t0",
            score=(pl.col("term_h") / (1.0 + pl.col("term_h"))).pow(config.yake_weight)
            / (
                pl.col("term_tf")
                * pl.min_horizontal(pl.col("surface").str.len_chars(), config.max_word_chars)
            ),
        )
    )


def _sticky_phrases(plan: YakePlan, words: pl.LazyFrame, config: KeywordConfig) -> pl.LazyFrame:
    """Multi-word candidates that replace their words (keywords.is_sticky_phrase), with the
    surfaces of the words they absorb."""
    phrases = plan.candidates.filter(pl.col("size") >= 2)
    n = config.max_ngram
    content: list[pl.Expr] = []
    for i in range(n):
        part = words.select(
            "doc", **{f"t{i}": "term", f"score{i}": "score", f"surface{i}": "surface", f"tf{i}": "term_tf"}
        )
        phrases = phrases.join(part, on=["doc", f"t{i}"], how="left")
        content.append(pl.col(f"t{i}").is_not_null() & ~pl.col(f"s{i}").fill_null(True))
    is_content = [f"c{i}" for i in range(n)]
    phrases = phrases.with_columns(**{name: expr for name, expr in zip(is_content, content, strict=True)})
    return (
        phrases.filter(
            (pl.sum_horizontal(is_content) >= 2)
            & (pl.col("tf") >= config.phrase_min_count)
            & pl.all_horizontal(
                ~pl.col(f"c{i}")
                | (
                    pl.col(f"score{i}").is_not_null()
                    & (pl.col("tf") >= config.phrase_share * pl.col(f"tf{i}"))
                )
                for i in range(n)
            )
        )
        .with_columns(
            score=pl.min_horizontal(pl.when(pl.col(f"c{i}")).then(pl.col(f"score{i}")) for i in range(n)),
            absorbed=pl.concat_list(
                pl.when(pl.col(f"c{i}")).then(pl.col(f"surface{i}")) for i in range(n)
            ).list.drop_nulls(),
        )
        .select("doc", "surface", "score", "absorbed")
    )


def _ranked(plan: YakePlan, config: KeywordConfig, per_doc: int | None) -> pl.LazyFrame:
    """Each document's words and sticky phrases by score (ties by surface), as lists per doc."""
    words = _word_scores(plan, config).cache()  # used three times below: compute it once
    phrases = _sticky_phrases(plan, words, config)
    absorbed = phrases.select("doc", surface="absorbed").explode("surface")
    ranked = (
        pl.concat(
            [
                words.join(absorbed, on=["doc", "surface"], how="anti").select("doc", "surface", "score"),
                phrases.select("doc", "surface", "score"),
            ]
        )
        .filter(pl.col("surface").str.contains(_HAS_LETTER))
        .sort("doc", "score", "surface")
    )
    if per_doc is not None:
        ranked = ranked.group_by("doc", maintain_order=True).head(per_doc)
    return ranked.group_by("doc", maintain_order=True).agg("surface", "score")


def _finish(
    documents: list[str],
    ranked: pl.DataFrame,
    config: KeywordConfig,
    out: list[list[tuple[str, float]]],
    per_doc: int | None,
    phrases: dict[int, tuple[list[str], list[float]]],
    stickiness: dict[int, dict[str, float]],
) -> list[int]:
    """Dedup, editor phrases and display forms per document into `out`; returns the documents
    that need more than their first `per_doc` candidates (the dedup dropped too many)."""
    short: list[int] = []
    for doc, surfaces, scores in ranked.iter_rows():
        truncated = per_doc is not None and len(surfaces) == per_doc
        if config.phrases is not None:
            filler = config.phrases.filler
            words = [surface for surface in surfaces if not is_filler(surface, filler)]
            doc_phrases, doc_phrase_scores = phrases.get(doc, ([], []))
            listed, words_ran_out = compose(
                doc_phrases,
                words,
                stickiness.get(doc, {}),
                config.phrases,
                config.top,
                config.stem_dedup,
                doc_phrase_scores,
            )
            if truncated and words_ran_out:
                short.append(doc)
                continue
            scored = listed
        else:
            scored = list(zip(surfaces, scores, strict=True))
            if config.stem_dedup:
                kept = remove_near_duplicates(scored, config.top)
                if truncated and len(kept) < config.top:
                    short.append(doc)
                    continue
                scored = kept
        document = documents[doc]
        out[doc] = [(display_form(phrase, document), score) for phrase, score in scored[: config.top]]
    return short


def extract_keywords_batch(
    articles: Sequence[tuple[str, str]], config: KeywordConfig = DEFAULT_CONFIG
) -> list[list[tuple[str, float]]]:
    """`extract_keywords(title, text, config)` for every (title, text), computed as one batch."""
    documents = [keyword_document(title, text) for title, text in articles]
    settings = YakeSettings(
        max_ngram=config.max_ngram,
        window_size=config.window_size,
        case_feature=config.case_feature,
        min_phrase_tf=config.phrase_min_count,
    )
    plan = yake_plan(documents, settings)
    out: list[list[tuple[str, float]]] = [[] for _ in documents]
    per_doc = config.top * _FIRST_LOOK
    # One collect for the whole batch; a document whose first candidates the dedup exhausts
    # (rare) gets all of its candidates in a second pass.
    ranked = _ranked(plan, config, per_doc)
    phrases: dict[int, tuple[list[str], list[float]]] = {}
    stickiness: dict[int, dict[str, float]] = {}
    if config.phrases is not None:
        lazy_phrases, lazy_sticky = phrase_candidates(
            plan.tokens, plan.words, plan.terms, plan.vocab, config.phrases
        )
        ranked_frame, phrase_frame, sticky_frame = pl.collect_all([ranked, lazy_phrases, lazy_sticky])
        phrases = {doc: (surfaces, scores) for doc, surfaces, scores in phrase_frame.iter_rows()}
        stickiness = {
            doc: dict(zip(terms, shares, strict=True)) for doc, terms, shares in sticky_frame.iter_rows()
        }
    else:
        ranked_frame = ranked.collect()
    short = _finish(documents, ranked_frame, config, out, per_doc, phrases, stickiness)
    if short:
        everything = _ranked(plan, config, None).filter(pl.col("doc").is_in(short)).collect()
        _finish(documents, everything, config, out, None, phrases, stickiness)
    return out


def keywords_for(
    articles: Sequence[tuple[str, str]],
    engine: str = DEFAULT_KEYWORD_ENGINE,
    config: KeywordConfig = DEFAULT_CONFIG,
) -> list[list[tuple[str, float]]]:
    """Keywords of each (title, text) by either engine; both give the same lists (see README)."""
    if engine == "polars":
        return extract_keywords_batch(articles, config)
    if engine == "yake":
        return [extract_keywords(title, text, config) for title, text in articles]
    raise ValueError(f"unknown keyword engine {engine!r}; expected one of {', '.join(KEYWORD_ENGINES)}")
