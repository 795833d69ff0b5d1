"""The per-article pipeline: text → sentences → countries → entities → mentions → pairs, plus keywords.

`analyse_article` is pure and picklable, so worker processes run it; `analyse_batch` computes the
batch's keywords at once (the Polars engine's speed comes from batching), then the rest per article.
"""

from __future__ import annotations

import gc
from typing import Any

import polars as pl

from core.articles import article_document
from core.countries.resolve import CountryMention, find_country_mentions
from core.entities.find import EntityMention
from core.entities.recognise import find_names, inside_club_names
from core.keywords.batch import keywords_for
from core.keywords.rerank import extract_keywords
from core.relations.actors import find_actor_mentions
from core.relations.pairs import pair_mentions
from core.schema import RESULT_SCHEMA
from core.text.parse import load_parse_model
from core.text.sentences import Sentence, split_sentences

# Count "Kowalski" under "Jan Kowalski" when the article names him in full (off: each spelling
# is its own entity, as news NER sets score them; see docs/entities.md for both figures).
FOLD_SURNAMES = False


def find_mentions(
    document: str, sentences: list[Sentence]
) -> tuple[list[CountryMention], list[EntityMention]]:
    """The country and name mentions of one document (a country inside a club's name is not one)."""
    countries = find_country_mentions(document, sentences)
    entities = find_names(
        document,
        sentences,
        fold=FOLD_SURNAMES,
        places=[(c.start, c.end, c.how) for c in countries],
        explain=False,
    )
    clubs = inside_club_names([(c.start, c.end, c.how) for c in countries], entities)
    if clubs:
        countries = [c for number, c in enumerate(countries) if number not in clubs]
    return countries, entities


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
    countries, entities = find_mentions(document, sentences)
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
        "pairs": [
            p.as_row()
            for p in pair_mentions(
                document, sentences, [*countries, *find_actor_mentions(entities, countries)]
            )
        ],
    }


def explain_entities(title: str, text: str) -> dict[tuple[int, int], str]:
    """(start, end) -> how its kind was decided, with the deciding features, for each entity mention
    of one article: what `--explain` shows (the analysis itself skips the features, for speed)."""
    document = article_document(title, text)
    sentences = split_sentences(document)
    countries = find_country_mentions(document, sentences)
    places = [(c.start, c.end, c.how) for c in countries]
    mentions = find_names(document, sentences, fold=FOLD_SURNAMES, places=places, explain=True)
    return {(m.start, m.end): m.cue for m in mentions}


# Names every stage's tables on first use: countries and a capital, a person with a title, an
# organisation, an event between two countries.
_WARM_UP_ARTICLE = (
    "warm-up",
    "Iraq and Russia sign an oil deal",
    "Prime Minister John Smith of the United Nations said in Baghdad on Monday that Russia will "
    "build a pipeline, while the United States criticised the deal.",
)


def warm_up(engine: str) -> None:
    """Read every table and model the analysis uses, once per process: what a worker does while
    its first batch is still being prepared (see core.analysis.parallel.WorkerPool).

    The garbage collector is paused meanwhile: nearly everything the loaders allocate lives as long
    as the process, so the ~130 collections the allocations used to set off walked tables that only
    grew (a tenth of a second per process). Then moves everything into the permanent generation:
    the tables are millions of objects, and every full collection walked them again (5% of a
    worker's time, and a third of a second when the process exits). No collection first: it found
    a dozen unreachable objects of the warm-up article and cost 0.05 s; they stay, frozen.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        analyse_batch([_WARM_UP_ARTICLE], engine)
        # The parser reads few sentences (an undirected guess between two countries), so the
        # warm-up article need not reach it; its weights are read here all the same.
        load_parse_model()
    finally:
        if paused:
            gc.enable()
    gc.freeze()


def analyse_batch(batch: list[tuple[str, str, str]], engine: str) -> pl.DataFrame:
    # Keywords for the whole batch at once: the Polars engine's speed comes from batching.
    # The rows become a frame here, in the worker, rather than in the waiting parent.
    keywords = keywords_for([(title, text) for _, title, text in batch], engine)
    rows = [analyse_article(*item, keywords=kw) for item, kw in zip(batch, keywords, strict=True)]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA)
