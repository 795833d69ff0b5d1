"""Names in an article by the learned tagger: spans, kinds, and why each kind was chosen.

Per sentence: cut words (core/entity_features.py), tag the candidate words with the averaged
perceptron (core/entity_model.py), read names off the BIO tags. Then per article: a name's kind is
the one most of its mentions got (weighted by the model's margin), so "Kowalski" is not a person in
one sentence and a place in the next; a name the tagger missed in one sentence but found in
another is picked up wherever it is written the same way. Countries belong to the countries module:
a name that is exactly a country mention is dropped here, but a longer name that contains one
("Iraqi National Congress", "Real Madrid") stays whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.entities import EntityMention
from core.entity_features import (
    candidates,
    document_stats,
    lexicon,
    loud_sentence,
    sentence_features,
    tokenize,
)
from core.entity_model import TaggerModel, load_model, spans_from_tags, tag_document
from core.sentences import Sentence

KIND_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
# Explanations name this many of the features that pushed hardest toward the chosen tag.
EXPLAIN_FEATURES = 3


@dataclass(slots=True)
class TaggedName:
    """One name as the tagger read it: offsets, kind, and the evidence for --explain."""

    start: int
    end: int
    sentence: int
    kind: str  # PER / ORG / LOC / MISC
    margin: float  # best tag's score minus the runner-up's, summed over the name's words
    words: tuple[str, ...]
    evidence: str = ""


def _sentence_words(document: str, sentence: Sentence) -> tuple[list[str], list[tuple[int, int]]]:
    spans = [(sentence.start + a, sentence.start + b) for a, b in tokenize(document[sentence.start : sentence.end])]
    return [document[a:b] for a, b in spans], spans


def _evidence(model: TaggerModel, feats: list[str], tag: int) -> str:
    """The few features that weighed most for `tag` (for --explain)."""
    weights = model.weights
    scored = sorted(
        ((weights[f][tag], f) for f in feats if f in weights and weights[f][tag] > 0), reverse=True
    )
    return ", ".join(feature for _, feature in scored[:EXPLAIN_FEATURES])


def tag_names(
    document: str, sentences: Sequence[Sentence], model: TaggerModel | None = None, explain: bool = True
) -> list[TaggedName]:
    """Every name the tagger finds, in text order, before article-level consistency."""
    model = model or load_model()
    lex = lexicon()
    cut = [_sentence_words(document, sentence) for sentence in sentences]
    words_of = [words for words, _ in cut]
    loud = [loud_sentence(words) for words in words_of]
    stats = document_stats(words_of, loud)
    features = [
        sentence_features(words, candidates(words), stats, shouting, lex) if words else []
        for words, shouting in zip(words_of, loud, strict=True)
    ]
    labelled, margins = tag_document(model, features)
    names: list[TaggedName] = []
    tags = model.tags
    explained: set[tuple[str, ...]] = set()
    for sentence, (words, spans), feats_of, labels, ahead in zip(
        sentences, cut, features, labelled, margins, strict=True
    ):
        if not any(labels):
            continue
        for first, end, kind in spans_from_tags([tags[label] for label in labels]):
            margin = max(sum(ahead[first:end]) / (end - first), 0.01)
            evidence = ""
            key = tuple(words[first:end])
            if explain and key not in explained:  # the first mention of each name says why
                explained.add(key)
                feats = feats_of[first]
                assert feats is not None
                evidence = _evidence(model, feats, labels[first])
            names.append(
                TaggedName(
                    spans[first][0],
                    spans[end - 1][1],
                    sentence.index,
                    kind,
                    margin,
                    key,
                    evidence,
                )
            )
    return names


def consistent(names: list[TaggedName]) -> list[TaggedName]:
    """Give every spelling of a name the kind most of its mentions got, weighted by confidence."""
    votes: dict[tuple[str, ...], dict[str, float]] = {}
    for name in names:
        key = tuple(word.lower() for word in name.words)
        tally = votes.setdefault(key, {})
        tally[name.kind] = tally.get(name.kind, 0.0) + name.margin
    for name in names:
        tally = votes[tuple(word.lower() for word in name.words)]
        best = max(tally, key=tally.__getitem__)
        if best != name.kind:
            name.evidence = f"article majority {KIND_NAMES[best]} (this mention: {KIND_NAMES[name.kind]})"
            name.kind = best
    return names


def drop_countries(names: list[TaggedName], countries: Sequence[tuple[int, int]]) -> list[TaggedName]:
    """Names that are exactly (or inside) a country mention belong to the countries module."""
    if not countries:
        return names
    ordered = sorted(countries)
    kept = []
    for name in names:
        inside = any(start <= name.start and name.end <= end for start, end in ordered)
        if not inside:
            kept.append(name)
    return kept


def _fold_short_forms(names: list[TaggedName]) -> dict[int, str]:
    """Canonical text for surname-only mentions of a person named in full elsewhere ("Kowalski")."""
    full: dict[str, list[TaggedName]] = {}
    for name in names:
        if name.kind == "PER" and len(name.words) > 1:
            full.setdefault(name.words[-1].lower(), []).append(name)
    canonical: dict[int, str] = {}
    for number, name in enumerate(names):
        if name.kind != "PER" or len(name.words) != 1:
            continue
        longer = full.get(name.words[0].lower(), [])
        spellings = {" ".join(other.words) for other in longer}
        if len(spellings) == 1:  # an ambiguous surname (two Kowalskis) stays as written
            canonical[number] = spellings.pop()
    return canonical


def find_names(
    document: str,
    sentences: Sequence[Sentence],
    exclude: Sequence[tuple[int, int]] = (),
    fold: bool = False,
) -> list[EntityMention]:
    """People, organisations, places and other names in `document`, sorted by start offset.

    `exclude` holds the country mentions' spans: a name that is one of them is the countries
    module's. With `fold`, a surname alone is counted under the person's full name.
    """
    names = drop_countries(consistent(tag_names(document, sentences)), exclude)
    canonical = _fold_short_forms(names) if fold else {}
    mentions = []
    for number, name in enumerate(names):
        surface = document[name.start : name.end]
        text = canonical.get(number) or " ".join(surface.split())
        kind = KIND_NAMES[name.kind]
        how = f"model {kind}, margin {name.margin:.1f}" + (f"; {name.evidence}" if name.evidence else "")
        mentions.append(EntityMention(text, surface, name.start, name.end, name.sentence, kind, how))
    return mentions


def inside_club_names(
    places: Sequence[tuple[int, int, str]], mentions: Sequence[EntityMention]
) -> set[int]:
    """Indices of city/capital place mentions that are part of an organisation's name ("Real Madrid").

    `places` holds (start, end, how) of each country mention: a club or company named after a city
    is not a mention of the city's country. Country names and demonyms inside a name ("Iraqi
    National Congress") still say which country the organisation belongs to, so they stay.
    """
    organisations = [(m.start, m.end) for m in mentions if m.kind == "organisation"]
    if not organisations:
        return set()
    return {
        number
        for number, (start, end, how) in enumerate(places)
        if how in ("city", "capital")
        and any(a <= start and end <= b and (a, b) != (start, end) for a, b in organisations)
    }
