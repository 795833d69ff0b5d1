"""Country-pair relations: one pair mention per sentence naming two countries, and their corpus summary.

Stances come from `core.relations.stance` (an explainable cue lexicon). With two countries in a sentence, all
its cues count for the pair; with three or more, each cue counts for the closest pair whose names
bracket it (see `_attribute`), so in "Washington worried over Baghdad growing ties with Moscow" the
worry is Iraq-US and the ties Iraq-Russia. The summary is a Polars group_by over a pair-mention
frame, cheap enough to rerun on every filter keystroke.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol, cast

import polars as pl

from core.relations.stance import Cue, Lexicon, StanceName, find_cues, load_lexicon, score_cues
from core.schema import PAIR_STRUCT
from core.text.sentences import Sentence

# A pair whose only link to one of its countries is a venue ("talking to journalists in Moscow")
# counts for less: the weight is multiplied by this for each country named only as a venue.
VENUE_WEIGHT = 0.5
TOP_KEYWORDS = 5


class CountryMentionLike(Protocol):
    """What pair detection needs from a country mention (core.countries.resolve.CountryMention fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def sentence(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def locative(self) -> bool: ...


@dataclass(frozen=True)
class PairMention:
    """Two different countries named in one sentence, with the stance of what the sentence says of them."""

    sentence: int
    start: int  # sentence offsets into the document
    end: int
    code_a: str  # code_a < code_b
    code_b: str
    name_a: str
    name_b: str
    stance: StanceName
    score: float
    weight: float
    cues: tuple[str, ...]
    quads: tuple[str, ...]
    venue: bool
    text: str

    def as_row(self) -> dict[str, object]:
        """The mention as a PAIR_STRUCT row (lists, not tuples), for the result cache."""
        row = {name: getattr(self, name) for name in PAIR_STRUCT.to_schema()}
        return {name: list(value) if isinstance(value, tuple) else value for name, value in row.items()}


# The frame core.analysis.frames.pair_frame builds from cached results: article_id, then PAIR_STRUCT's fields.
# (PAIR_STRUCT holds instantiated dtypes; the cast only narrows Polars' wider static type.)
PAIR_MENTION_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    **cast(dict[str, pl.DataType], PAIR_STRUCT.to_schema()),
}

EVIDENCE_STRUCT = pl.Struct(
    {
        "article_id": pl.String(),
        "sentence": pl.Int32(),
        "text": pl.String(),
        "stance": pl.String(),
        "cues": pl.List(pl.String()),
        "score": pl.Float64(),
        "venue": pl.Boolean(),
    }
)

PAIR_SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "code_a": pl.String(),
    "code_b": pl.String(),
    "name_a": pl.String(),
    "name_b": pl.String(),
    "sentences": pl.UInt32(),
    "articles": pl.UInt32(),
    "cooperation": pl.UInt32(),
    "conflict": pl.UInt32(),
    "neutral": pl.UInt32(),
    "net": pl.Float64(),
    "keywords": pl.List(pl.String()),
    "evidence": pl.List(EVIDENCE_STRUCT),
}


def _cover(
    cue: Cue, firsts: Sequence[tuple[int, int]], seconds: Sequence[tuple[int, int]], inside: bool
) -> float:
    """Length of the shortest stretch holding the cue and one mention of each country.

    With `inside`, only stretches whose two mentions bracket the cue count (infinite when none do).
    """
    best = math.inf
    for a_start, a_end in firsts:
        for b_start, b_end in seconds:
            low, high = min(a_start, b_start), max(a_end, b_end)
            if inside and not (low <= cue.start and cue.end <= high):
                continue
            best = min(best, max(cue.end, high) - min(cue.start, low))
    return best


def _attribute(
    cues: Sequence[Cue],
    spans: dict[str, list[tuple[int, int]]],
    pairs: Sequence[tuple[str, str]],
    venue_pairs: Collection[tuple[str, str]],
) -> dict[tuple[str, str], list[Cue]]:
    """Give each cue to one pair (several on a tie); with one pair in the sentence it gets them all.

    A cue between two countries' names goes to the closest such pair ("Baghdad growing ties with
    Moscow"); a cue before the first or after the last name goes to the nearest pair of actors, so
    one trailing a list of venues ("bases in South Korea, Turkey, Japan ... a violation") is not
    pinned on the venues. Venue pairs get such cues only when the sentence has no actor pair.
    """
    if len(pairs) == 1:
        return {pairs[0]: list(cues)}
    actor_pairs = [pair for pair in pairs if pair not in venue_pairs] or list(pairs)
    given: dict[tuple[str, str], list[Cue]] = {pair: [] for pair in pairs}
    for cue in cues:
        covers = {pair: _cover(cue, spans[pair[0]], spans[pair[1]], True) for pair in pairs}
        if min(covers.values()) == math.inf:
            covers = {pair: _cover(cue, spans[pair[0]], spans[pair[1]], False) for pair in actor_pairs}
        best = min(covers.values())
        for pair, cover in covers.items():
            if cover == best:
                given[pair].append(cue)
    return given


def pair_mentions(
    document: str,
    sentences: list[Sentence],
    mentions: Sequence[CountryMentionLike],
    lexicon: Lexicon | None = None,
) -> list[PairMention]:
    """Pair mentions of one article: every unordered pair of different countries named in one sentence.

    Raises ValueError when a mention points at a sentence that `sentences` does not have.
    """
    by_sentence: dict[int, list[CountryMentionLike]] = defaultdict(list)
    for mention in mentions:
        if not 0 <= mention.sentence < len(sentences):
            raise ValueError(
                f"mention at {mention.start} names sentence {mention.sentence} of {len(sentences)}"
            )
        by_sentence[mention.sentence].append(mention)
    lex = lexicon or load_lexicon()
    result: list[PairMention] = []
    for index in sorted(by_sentence):
        named = by_sentence[index]
        codes = sorted({m.code for m in named})
        if len(codes) < 2:
            continue
        sentence = sentences[index]
        text = document[sentence.start : sentence.end]
        # Spans relative to the sentence, per country; names from the first mention of each.
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        names: dict[str, str] = {}
        actor: dict[str, bool] = defaultdict(bool)
        for m in named:
            spans[m.code].append((m.start - sentence.start, m.end - sentence.start))
            names.setdefault(m.code, m.name)
            actor[m.code] |= not m.locative
        # A cue word inside a country's own name ("Union", say) is not a cue about that country.
        named_spans = [span for listed in spans.values() for span in listed]
        cues = [
            c for c in find_cues(text, lex) if not any(s <= c.start and c.end <= e for s, e in named_spans)
        ]
        pairs = list(combinations(codes, 2))
        venue_pairs = {(a, b) for a, b in pairs if not (actor[a] and actor[b])}
        for (code_a, code_b), pair_cues in _attribute(cues, spans, pairs, venue_pairs).items():
            stance = score_cues(pair_cues, lex)
            venues = (not actor[code_a]) + (not actor[code_b])
            result.append(
                PairMention(
                    sentence=index,
                    start=sentence.start,
                    end=sentence.end,
                    code_a=code_a,
                    code_b=code_b,
                    name_a=names[code_a],
                    name_b=names[code_b],
                    stance=stance.stance,
                    score=stance.score,
                    weight=VENUE_WEIGHT**venues,
                    cues=stance.cues,
                    quads=stance.quads,
                    venue=venues > 0,
                    text=text,
                )
            )
    return result


def pair_mention_frame(pairs_by_article: Iterable[tuple[str, Sequence[PairMention]]]) -> pl.DataFrame:
    """The pair-mention frame (PAIR_MENTION_SCHEMA) of many articles' pair mentions."""
    rows = [
        {"article_id": article_id, **pair.as_row()}
        for article_id, pairs in pairs_by_article
        for pair in pairs
    ]
    return (
        pl.DataFrame(rows, schema=PAIR_MENTION_SCHEMA) if rows else pl.DataFrame(schema=PAIR_MENTION_SCHEMA)
    )


def _keywords_per_pair(pair_sentences: pl.LazyFrame, keywords: pl.DataFrame) -> pl.DataFrame:
    """Per pair, its articles' keywords found in its sentences: most hits first, then best rank.

    Every sentence of the pair counts, not only the evidence shown, so the keywords do not change
    with how much evidence is asked for (`--evidence`).
    """
    phrases = keywords.lazy().select(
        pl.col("article_id").cast(pl.String),
        pl.col("rank").cast(pl.Int64),
        pl.col("phrase").cast(pl.String),
        pl.col("phrase").cast(pl.String).str.to_lowercase().alias("needle"),
    )
    sentences = pair_sentences.select(
        "code_a",
        "code_b",
        pl.col("article_id").cast(pl.String),
        pl.col("text").str.to_lowercase().alias("hay"),
    )
    return (
        sentences.join(phrases, on="article_id", how="inner")
        .filter(pl.col("hay").str.contains(pl.col("needle"), literal=True))
        .group_by("code_a", "code_b", "needle")
        .agg(
            pl.len().alias("hits"),
            pl.col("rank").min(),
            # The spelling of its best-ranked use, so the choice does not depend on row order.
            pl.col("phrase").sort_by(["rank", "phrase"]).first(),
        )
        .sort(["hits", "rank", "needle"], descending=[True, False, False])
        .group_by("code_a", "code_b", maintain_order=True)
        .agg(pl.col("phrase").head(TOP_KEYWORDS).alias("keywords"))
        .collect()
    )


def summarise_pairs(
    pair_frame: pl.DataFrame | pl.LazyFrame,
    keywords: pl.DataFrame | None = None,
    article_ids: Collection[str] | pl.Series | None = None,
    country: str | None = None,
    min_sentences: int = 1,
    evidence_limit: int = 10,
    pair: tuple[str, str] | None = None,
) -> pl.DataFrame:
    """One row per country pair (PAIR_SUMMARY_SCHEMA), most-mentioned first.

    `pair` keeps one pair (codes in either order). With `evidence_limit=0` and no `keywords` the
    evidence and keyword lists stay empty and only the counts are computed: what a live view
    needs per keystroke; the details of one pair are then asked for when it is opened.

    `net` = (cooperative − conflictual) / all sentences of the pair, each sentence weighted by its
    `weight` (1, or 0.5 per venue-only country), so it lies in [-1, 1] and neutral sentences dilute it.
    Evidence is strongest first: |score| × weight, then article and sentence order.
    """
    frame = pair_frame.lazy()
    if article_ids is not None:
        ids = (
            article_ids
            if isinstance(article_ids, pl.Series)
            else pl.Series(list(article_ids), dtype=pl.String)
        )
        frame = frame.filter(pl.col("article_id").is_in(ids.implode()))
    if country is not None:
        code = country.upper()
        frame = frame.filter((pl.col("code_a") == code) | (pl.col("code_b") == code))
    if pair is not None:
        first, second = sorted(code.upper() for code in pair)
        frame = frame.filter((pl.col("code_a") == first) & (pl.col("code_b") == second))
    stance, weight = pl.col("stance"), pl.col("weight")
    evidence = pl.struct(
        [pl.col(name).cast(dtype) for name, dtype in EVIDENCE_STRUCT.to_schema().items()]
    ).sort_by([(pl.col("score").abs() * weight), "article_id", "sentence"], descending=[True, False, False])
    summary = (
        frame.group_by("code_a", "code_b")
        .agg(
            pl.col("name_a").first(),
            pl.col("name_b").first(),
            pl.len().cast(pl.UInt32).alias("sentences"),
            pl.col("article_id").n_unique().cast(pl.UInt32).alias("articles"),
            (stance == "cooperation").sum().cast(pl.UInt32).alias("cooperation"),
            (stance == "conflict").sum().cast(pl.UInt32).alias("conflict"),
            (stance == "neutral").sum().cast(pl.UInt32).alias("neutral"),
            (
                (weight * (stance == "cooperation") - weight * (stance == "conflict")).sum()
                / pl.when(weight.sum() > 0).then(weight.sum()).otherwise(None)
            )
            .fill_null(0.0)
            .alias("net"),
            (
                evidence.head(evidence_limit)
                if evidence_limit
                else pl.lit([], dtype=pl.List(EVIDENCE_STRUCT)).first()
            ).alias("evidence"),
        )
        .filter(pl.col("sentences") >= min_sentences)
    )
    collected = summary.collect()
    if keywords is not None and keywords.height and collected.height:
        kept = collected.lazy().select("code_a", "code_b")
        pair_sentences = frame.join(kept, on=["code_a", "code_b"], how="semi")
        collected = collected.join(
            _keywords_per_pair(pair_sentences, keywords), on=["code_a", "code_b"], how="left"
        ).with_columns(pl.col("keywords").fill_null([]))
    else:
        collected = collected.with_columns(pl.lit([], dtype=pl.List(pl.String())).alias("keywords"))
    return collected.select([pl.col(name).cast(dtype) for name, dtype in PAIR_SUMMARY_SCHEMA.items()]).sort(
        ["sentences", "code_a", "code_b"], descending=[True, False, False]
    )
