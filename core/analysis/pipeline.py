"""The per-article pipeline: text → sentences → countries → entities → mentions → pairs, plus keywords.

`analyse_article` is pure and picklable, so worker processes run it; `analyse_batch` computes the
batch's keywords at once (the Polars engine's speed comes from batching), then the rest per article.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from core.articles import article_document
from core.countries.resolve import find_country_mentions
from core.entities.find import find_entities
from core.keywords.batch import keywords_for
from core.keywords.rerank import extract_keywords
from core.relations.pairs import pair_mentions
from core.schema import RESULT_SCHEMA
from core.text.sentences import split_sentences


def analyse_article(
    content_hash: str, title: str, text: str, keywords: list[tuple[str, float]] | None = None
) -> dict[str, Any]:
    """Everything newsdesk computes for one article, as one cache row (see RESULT_SCHEMA).

    `keywords`, when given, were already computed for a whole batch (core.keywords.batch).
    Offsets in mentions and pairs point into `article_document(title, text)`.
    """
    if keywords is None:
        keywords = extract_keywords(title, text)
    document = article_document(title, text)
    sentences = split_sentences(document)
    countries = find_country_mentions(document, sentences)
    entities = find_entities(document, sentences, exclude=[(c.start, c.end) for c in countries])
    mentions: list[dict[str, Any]] = [
        {
            "entity": c.name,
            "surface": c.surface,
            "kind": "country",
            "code": c.code,
            "how": c.how,
            "locative": c.locative,
            "sentence": c.sentence,
            "start": c.start,
            "end": c.end,
        }
        for c in countries
    ] + [
        {
            "entity": e.text,
            "surface": e.surface,
            "kind": e.kind,
            "code": None,
            "how": e.cue,
            "locative": False,
            "sentence": e.sentence,
            "start": e.start,
            "end": e.end,
        }
        for e in entities
    ]
    mentions.sort(key=lambda m: m["start"])
    return {
        "content_hash": content_hash,
        "keywords": [{"phrase": p, "score": s} for p, s in keywords],
        "mentions": mentions,
        "pairs": [p.as_row() for p in pair_mentions(document, sentences, countries)],
    }


def analyse_batch(batch: list[tuple[str, str, str]], engine: str) -> pl.DataFrame:
    # Keywords for the whole batch at once: the Polars engine's speed comes from batching.
    # The rows become a frame here, in the worker, rather than in the waiting parent.
    keywords = keywords_for([(title, text) for _, title, text in batch], engine)
    rows = [analyse_article(*item, keywords=kw) for item, kw in zip(batch, keywords, strict=True)]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA)
