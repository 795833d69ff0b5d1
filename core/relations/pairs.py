"""Country-pair relations: one pair mention per sentence naming two countries, and their corpus summary.

Each pair mention carries the CAMEO event the sentence codes between the two countries
(`core.relations.event_coder`: the main predicate of the clause both take part in, with its operators,
source and target), and the stance that follows from the event's QuadClass. A country named only
as a venue gives the pair no event and weight 0, so it never enters `net`. The summary is a Polars
group_by over a pair-mention frame, cheap enough to rerun on every filter keystroke.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

import polars as pl

from core.relations.actors import ActorMention
from core.relations.event_coder import PairEvent, Rules, code_sentence, load_rules, sentence_tokens
from core.relations.stance import StanceName
from core.relations.stance_model import (
    MODEL_RULE,
    SentenceEvidence,
    StanceModel,
    judge,
    load_stance_model,
    reads,
    sentence_evidence,
)
from core.schema import PAIR_STRUCT
from core.text.sentences import Sentence

# A pair whose only link to one of its countries is a venue ("talking to journalists in Moscow")
# does not count towards `net`: it has no event and this weight.
VENUE_WEIGHT = 0.0
# Evidence strength: material events (acts) before verbal ones (words).
MATERIAL_SCORE, VERBAL_SCORE = 1.0, 0.5
# Events the coder only guessed (the nearest event when the pair shares no clause, or an event both
# countries share from one side) score half, so evidence lists show the events read between the
# two countries first.
GUESS_RULE, GUESS_FACTOR = ("nearest event", "shared event"), 0.5
TOP_KEYWORDS = 5
QUAD_COLUMNS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


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
    event: str | None  # CAMEO root "01".."20"
    event_name: str
    quad: str  # QuadClass, or "neutral"
    source: str | None  # ISO2 of the acting country; None when the sentence does not say
    target: str | None
    rule: str  # the coder's rule, for --explain
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
        "event": pl.String(),
        "event_name": pl.String(),
        "quad": pl.String(),
        "source": pl.String(),
        "target": pl.String(),
        "rule": pl.String(),
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
    **{name: pl.UInt32() for name in QUAD_COLUMNS},
    "net": pl.Float64(),
    "keywords": pl.List(pl.String()),
    "evidence": pl.List(EVIDENCE_STRUCT),
}


@dataclass(frozen=True)
class CodedSentence:
    """One sentence naming two or more countries, with the coder's event for each pair of them."""

    index: int
    sentence: Sentence
    text: str
    names: dict[str, str]  # ISO code -> the country's name
    spans: list[tuple[int, int, str, bool]]  # (start, end, ISO code, locative) of each mention in `text`
    pairs: dict[tuple[str, str], PairEvent]  # sorted code pair -> event (actors shown in its cues)


def coded_sentences(
    document: str,
    sentences: list[Sentence],
    mentions: Sequence[CountryMentionLike],
    rules: Rules | None = None,
    use_tagger: bool = True,
    use_parser: bool = True,
) -> Iterator[CodedSentence]:
    """The event coder's answer for every sentence that names two or more different countries.

    Raises ValueError when a mention points at a sentence that `sentences` does not have.
    """
    by_sentence: dict[int, list[CountryMentionLike]] = defaultdict(list)
    for mention in mentions:
        if not 0 <= mention.sentence < len(sentences):
            raise ValueError(
                f"mention at {mention.start} names sentence {mention.sentence} of {len(sentences)}"
            )
        by_sentence[mention.sentence].append(mention)
    for index in sorted(by_sentence):
        named = by_sentence[index]
        if len({m.code for m in named}) < 2:
            continue
        sentence = sentences[index]
        text = document[sentence.start : sentence.end]
        names: dict[str, str] = {}
        for m in named:
            names.setdefault(m.code, m.name)
        spans = [(m.start - sentence.start, m.end - sentence.start, m.code, m.locative) for m in named]
        actors = [m for m in named if isinstance(m, ActorMention)]
        pairs = code_sentence(text, spans, rules, use_tagger, use_parser)
        if actors:
            for (code_a, code_b), coded in pairs.items():
                if coded.event:
                    pairs[(code_a, code_b)] = _with_actors(
                        coded, [m for m in actors if m.code in (code_a, code_b)]
                    )
        yield CodedSentence(index, sentence, text, names, spans, pairs)


def pair_mentions(
    document: str,
    sentences: list[Sentence],
    mentions: Sequence[CountryMentionLike],
    rules: Rules | None = None,
    use_tagger: bool = True,
    use_parser: bool = True,
    use_model: bool = True,
    stance_model: StanceModel | None = None,
) -> list[PairMention]:
    """Pair mentions of one article: every unordered pair of different countries named in one sentence.

    Only sentences naming two or more countries are coded (the coder's rules load on first use).
    With `use_model`, the stance model (core.relations.stance_model; the shipped one unless
    `stance_model` is given) may fill in the stance of a pair the coder left neutral, overrule its
    polarity, or take its event off when it is sure the sentence reports none; its rule then says
    so and why.
    Raises ValueError when a mention points at a sentence that `sentences` does not have.
    """
    result: list[PairMention] = []
    model = (stance_model or load_stance_model()) if use_model else None
    for coded_sentence in coded_sentences(document, sentences, mentions, rules, use_tagger, use_parser):
        text, names = coded_sentence.text, coded_sentence.names
        evidence: SentenceEvidence | None = None
        only_pair = len(coded_sentence.pairs) == 1
        for (code_a, code_b), coded in coded_sentence.pairs.items():
            event, event_name, quad, rule = coded.event, coded.event_name, coded.quad, coded.rule
            stance = cast(StanceName, coded.stance)
            cues = coded.cues
            venue = coded.venue
            source, target = coded.source, coded.target
            # Most sentences naming several countries need no reading: see stance_model.reads.
            if model is not None and reads(coded, only_pair):
                if evidence is None:
                    evidence = sentence_evidence(
                        sentence_tokens(text), text, rules or load_rules(), coded_sentence.spans
                    )
                judgement = judge(model, evidence, coded, code_a, code_b, only_pair=only_pair)
                if judgement is not None:
                    # The model's stance names no CAMEO root: the event is left empty, the quad is
                    # the lexicon's for that polarity, and the cues are the words that weighed most
                    # (and the actors that stood for the countries).
                    stance = cast(StanceName, judgement.stance)
                    event, event_name, quad = None, "", judgement.quad
                    rule = judgement.rule(coded)
                    cues = (*judgement.words, *(c for c in coded.cues if "→" in c))
                    if stance == "neutral":
                        # The model took the coder's event off: no direction, and no cue words (an
                        # item with no event has none; what weighed against one is in its rule).
                        source = target = None
                        cues = ()
                    else:
                        venue = False  # the model read an event: the country is more than a place
            magnitude = MATERIAL_SCORE if quad.startswith("material") else VERBAL_SCORE
            if rule.startswith((*GUESS_RULE, MODEL_RULE)):
                # A guess (a nearby clause's event, the model's reading): its evidence is listed after
                # the events read between the two countries. `net` counts stances, not scores.
                magnitude *= GUESS_FACTOR
            score = magnitude if stance == "cooperation" else -magnitude if stance == "conflict" else 0.0
            result.append(
                PairMention(
                    sentence=coded_sentence.index,
                    start=coded_sentence.sentence.start,
                    end=coded_sentence.sentence.end,
                    code_a=code_a,
                    code_b=code_b,
                    name_a=names[code_a],
                    name_b=names[code_b],
                    stance=stance,
                    score=score,
                    weight=VENUE_WEIGHT if venue else 1.0,
                    event=event,
                    event_name=event_name,
                    quad=quad,
                    source=source,
                    target=target,
                    rule=rule,
                    cues=cues,
                    quads=(quad,) if stance != "neutral" else (),
                    venue=venue,
                    text=text,
                )
            )
    return result


def _with_actors(coded: PairEvent, actors: Sequence[ActorMention]) -> PairEvent:
    """The event with the actors that stood for its countries shown ("Putin → RU, actor")."""
    if not actors:
        return coded
    shown = tuple(dict.fromkeys(m.how for m in actors))
    return replace(coded, cues=(*coded.cues, *shown), rule=f"{coded.rule}; actors: {', '.join(shown)}")


def event_headline(evidence: dict[str, object], code_a: str, code_b: str) -> str:
    """One evidence item as a reader checks it: "IQ → US · Reject · rejects … bases"."""
    source, target = evidence.get("source"), evidence.get("target")
    arrow = f"{source} → {target}" if source and target else f"{code_a} – {code_b}"
    cues = evidence.get("cues") or []
    words = " … ".join(str(c) for c in cues) if isinstance(cues, list | tuple) else ""
    if not evidence.get("event"):
        if evidence.get("stance") in ("cooperation", "conflict"):
            # The stance model decided: no CAMEO root, the polarity and the words that weighed most.
            return f"{arrow} · {evidence.get('stance')} ({MODEL_RULE}) · {words}".rstrip(" ·")
        if str(evidence.get("rule") or "").startswith(MODEL_RULE):
            # The model took the coder's event off (its rule says what weighed against one).
            return f"{arrow} · no event ({MODEL_RULE})"
        return f"{arrow} · {'venue only' if evidence.get('venue') else 'no event'}"
    return f"{arrow} · {evidence.get('event_name')} · {words}".rstrip(" ·")


def _with_evidence(summary: pl.DataFrame, fields: Mapping[str, Any], extra: bool) -> pl.DataFrame:
    rows = summary.to_dicts()
    for row in rows:
        items = []
        for item in row["evidence"] or []:
            kept = {name: item.get(name) for name in fields if name != "explanation"}
            if extra:
                kept["explanation"] = (
                    f"{event_headline(item, row['code_a'], row['code_b'])} [{item.get('rule')}]"
                )
            items.append(kept)
        row["evidence"] = items
    schema = {**PAIR_SUMMARY_SCHEMA, "evidence": pl.List(pl.Struct(fields))}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def evidence_without_rules(summary: pl.DataFrame) -> pl.DataFrame:
    """The summary as `newsdesk relations` writes it: evidence without the coder's rule text."""
    fields = {k: v for k, v in EVIDENCE_STRUCT.to_schema().items() if k != "rule"}
    return _with_evidence(summary, fields, extra=False)


def explained_evidence(summary: pl.DataFrame) -> pl.DataFrame:
    """The summary for `relations --explain`: each evidence item keeps its rule and gains a reading."""
    fields = {**EVIDENCE_STRUCT.to_schema(), "explanation": pl.String()}
    return _with_evidence(summary, fields, extra=True)


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
    `weight` (1, or 0 when a country is only a venue), so it lies in [-1, 1] and neutral sentences
    dilute it. The four QuadClass columns count the pair's events by class (the pane's bar).
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
            *[(pl.col("quad") == name).sum().cast(pl.UInt32).alias(name) for name in QUAD_COLUMNS],
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
