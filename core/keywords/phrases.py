"""Multi-word keyphrases an editor would tag ("oil spill", "Exxon Valdez"), beside the word keywords.

Candidates are noun-phrase-shaped runs of two or three words inside one block (no punctuation
between them): no stopword, digit or filler word (weekday, month, number word, unit) at either
end, no word inside that can't belong to a noun phrase, and a last word that can be a noun.
What a word can be comes from a lexicon built from the UD English EWT treebank
(`data/word_classes.tsv`: words that are almost never nouns), or, mid-sentence, from a capital
letter (a name). Candidates are scored by a weighted sum of a few features (`data/keyphrases.toml`).

This module is the per-article reference (the `--engine yake` path); core/keywords/phrase_frames.py
computes the same candidates and scores for a whole batch as Polars frames. Both tokenize with
core.keywords.yake.tokens, so they see the same words.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.keywords.yake.tokens import sentence_tokens
from core.paths import data_dir

_PUNCT_CHARS = frozenset("""!"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~""")
# str.isdigit() as yake's get_tag applies it (after removing thousands separators).
_DIGIT_FORM = re.compile(r"^(?:\d+|\d*\.\d+|\d+\.)$")

FEATURES = (
    "word_frequency",
    "phrase_frequency",
    "position",
    "three_words",
    "name",
    "words_headline",
    "words_position",
)
"""Phrase features, each described beside its weight in data/keyphrases.toml."""
LIST_WEIGHTS = ("phrase_value", "phrase_rank", "phrase_score", "word_rank", "sticky_word", "verb_like_word")
"""How phrases and words compete for the list ([list] in data/keyphrases.toml)."""
SCORE_DECIMALS = 9


@dataclass(frozen=True)
class KeyphraseConfig:
    """data/keyphrases.toml: how phrases are scored, and how phrases and words share the list."""

    max_words: int
    weights: tuple[tuple[str, float], ...]  # (feature, weight) for every name in FEATURES
    filler: frozenset[str]
    # (name, weight) for every name in LIST_WEIGHTS
    list_weights: tuple[tuple[str, float], ...] = tuple((name, 0.0) for name in LIST_WEIGHTS)

    def weight(self, feature: str) -> float:
        return dict(self.weights)[feature]

    def list_weight(self, name: str) -> float:
        return dict(self.list_weights)[name]


def parse_config(text: str, source: str = "keyphrases.toml") -> KeyphraseConfig:
    """A KeyphraseConfig from TOML text; a clear error naming the file and the key that is wrong."""
    try:
        data = tomllib.loads(text)
        phrases = data["phrases"]
        weights = phrases["weights"]
        listing = data["list"]
        for table, known in (("phrases.weights", FEATURES), ("list", LIST_WEIGHTS)):
            unknown = sorted(set(data["phrases"]["weights"] if table != "list" else listing) - set(known))
            if unknown:
                raise ValueError(f"[{table}]: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")
        filler = frozenset(w.lower() for group in data.get("filler", {}).values() for w in group)
        config = KeyphraseConfig(
            max_words=int(phrases["max_words"]),
            weights=tuple((name, float(weights.get(name, 0.0))) for name in FEATURES),
            filler=filler,
            list_weights=tuple((name, float(listing[name])) for name in LIST_WEIGHTS),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        what = f"missing key {error}" if isinstance(error, KeyError) else str(error)
        raise ValueError(f"{source}: {what}") from error
    if not 2 <= config.max_words <= 3:
        raise ValueError(f"{source}: max_words must be 2 or 3")
    return config


@lru_cache(maxsize=1)
def default_config() -> KeyphraseConfig:
    path = data_dir() / "keyphrases.toml"
    return parse_config(path.read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def word_classes() -> tuple[frozenset[str], frozenset[str]]:
    """(verb-like, adjective-like) lower-case word forms from data/word_classes.tsv."""
    verbs: set[str] = set()
    adjectives: set[str] = set()
    path = data_dir() / "word_classes.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        word, _, kind = line.partition("\t")
        if kind == "verb":
            verbs.add(word)
        elif kind == "adj":
            adjectives.add(word)
        else:
            raise ValueError(f"{path}, line {number}: class {kind!r} is neither 'verb' nor 'adj'")
    return frozenset(verbs), frozenset(adjectives)


def is_filler(phrase: str, filler: frozenset[str]) -> bool:
    """True for a bare number, weekday, month or unit ("Saturday", "million", "2004", "10 percent")."""
    words = phrase.lower().split()
    return all(w in filler or _DIGIT_FORM.match(w.replace(",", "")) for w in words)


@dataclass(frozen=True)
class _Word:
    """What the candidate rules need to know about one spelling of a word."""

    lower: str
    term: str  # YAKE's term key: lower case, a final "s" dropped on words over three letters
    edge_ok: bool  # may start or end a phrase: no stopword, digit, odd token or filler word
    inner_ok: bool  # may sit inside a phrase: no stopword, digit or odd token
    verb_like: bool
    adj_like: bool
    acronym: bool  # all capitals: a name wherever it stands
    noun_shape: bool  # one capital, then lower case: a name when not first in its sentence


@lru_cache(maxsize=1 << 16)
def _word(token: str, stopwords: frozenset[str], filler: frozenset[str]) -> _Word:
    from yake.data.utils import get_tag  # the per-article path has imported yake already

    lower = token.lower()
    term = term_key(lower)
    stop = (
        lower in stopwords or term in stopwords or len("".join(c for c in term if c not in _PUNCT_CHARS)) < 3
    )
    # Position 1: the tag as if mid-sentence ("n" for a capitalised word); the caller applies
    # yake's rule that a sentence's first word is no name.
    tag = get_tag(token, 1, _PUNCT_CHARS)
    ok = tag not in ("d", "u")
    verbs, adjectives = word_classes()
    return _Word(
        lower=lower,
        term=term,
        edge_ok=ok and not stop and lower not in filler,
        inner_ok=ok and not stop,
        verb_like=lower in verbs,
        adj_like=lower in adjectives,
        acronym=tag == "a",
        noun_shape=tag == "n",
    )


def phrase_shape_ok(words: list[_Word], name_flags: list[bool]) -> bool:
    """The noun-phrase shape rule for one occurrence (name_flags: capitalised mid-sentence)."""
    last = len(words) - 1
    for i, (word, name) in enumerate(zip(words, name_flags, strict=True)):
        if not (word.edge_ok if i in (0, last) else word.inner_ok):
            return False
        if name:
            continue
        if word.verb_like or (i == last and word.adj_like):
            return False
    return True


def phrase_features(
    word_counts: Iterable[float],
    count: float,
    first_sentence: int,
    size: int,
    name_share: float,
    word_firsts: Sequence[int],
) -> dict[str, float]:
    """The features of FEATURES for one phrase (each described in data/keyphrases.toml);
    word_firsts: for each of its words, the first sentence holding the word anywhere in the text."""
    logs = [math.log(c) for c in word_counts]
    headline = 0.0
    position = 0.0
    for first in word_firsts:
        headline += 1.0 if first == 0 else 0.0
        position += -math.log1p(first)
    return {
        "word_frequency": sum(logs) / len(logs),
        "phrase_frequency": math.log1p(count),
        "position": -math.log1p(first_sentence),
        "three_words": 1.0 if size == 3 else 0.0,
        "name": name_share,
        "words_headline": headline / size,
        "words_position": position / size,
    }


def phrase_score(
    word_counts: Iterable[float],
    count: float,
    first_sentence: int,
    size: int,
    name_share: float,
    word_firsts: Sequence[int],
    config: KeyphraseConfig,
) -> float:
    """The weighted feature sum of data/keyphrases.toml (higher = better); the Polars path
    (core.keywords.phrase_frames) computes the same sum in the same order."""
    features = phrase_features(word_counts, count, first_sentence, size, name_share, word_firsts)
    total = 0.0
    for name, weight in config.weights:
        total += weight * features[name]
    # Rounded so that both paths break ties alike: phrases with equal features are common, and
    # Polars' log may differ from libm's in the last bit.
    return round(total, SCORE_DECIMALS)


# How many of a document's best phrases the final list may draw on; the Polars path keeps as many,
# so both paths deduplicate exactly the same candidates.
PHRASE_POOL = 20


@dataclass
class _Found:
    """One phrase candidate of a document while its occurrences are counted."""

    first_sentence: int
    surface: str  # as first written
    words: list[_Word]
    count: int = 0
    as_names: int = 0  # occurrences with every word written as a name


@dataclass(frozen=True)
class TermFacts:
    """A document's words by term_key: how often each occurs and the first sentence holding it
    (the headline is sentence 0)."""

    counts: dict[str, int]
    firsts: dict[str, int]


def term_key(word: str) -> str:
    """YAKE's key for a word: lower case, a final "s" dropped on words over three letters."""
    lower = word.lower()
    return lower[:-1] if lower.endswith("s") and len(lower) > 3 else lower


def editor_phrases(
    document: str, config: KeyphraseConfig, stopwords: frozenset[str]
) -> list[tuple[str, float]]:
    """A document's best phrase candidates as (surface as first written, score), best first."""
    return phrases_and_stickiness(document, config, stopwords)[0]


def phrase_candidates(
    document: str, config: KeyphraseConfig, stopwords: frozenset[str]
) -> tuple[dict[tuple[str, ...], _Found], TermFacts]:
    """Every phrase candidate of a document (by its lower-case words) and every word's count and
    first sentence (by term_key). benchmarks/train_keyphrase_ranker.py reads the features of all
    of them."""
    sentences = sentence_tokens(document)
    term_counts: dict[str, int] = {}
    term_firsts: dict[str, int] = {}
    blocks: list[tuple[int, list[tuple[str, _Word, bool]]]] = []
    for index, tokens in enumerate(sentences):
        block: list[tuple[str, _Word, bool]] = []
        for position, token in enumerate(tokens):
            if all(c in _PUNCT_CHARS for c in token):
                if block:
                    blocks.append((index, block))
                block = []
                continue
            word = _word(token, stopwords, config.filler)
            term_counts[word.term] = term_counts.get(word.term, 0) + 1
            term_firsts.setdefault(word.term, index)
            block.append((token, word, word.acronym or (word.noun_shape and position > 0)))
        if block:
            blocks.append((index, block))

    found: dict[tuple[str, ...], _Found] = {}
    for index, block in blocks:
        for size in range(2, config.max_words + 1):
            for start in range(len(block) - size + 1):
                window = block[start : start + size]
                words = [w for _, w, _ in window]
                names = [n for _, _, n in window]
                if not phrase_shape_ok(words, names):
                    continue
                key = tuple(w.lower for w in words)
                entry = found.get(key)
                if entry is None:
                    entry = found[key] = _Found(index, " ".join(t for t, _, _ in window), words)
                entry.count += 1
                entry.as_names += all(names)
    return found, TermFacts(term_counts, term_firsts)


def found_features(entry: _Found, terms: TermFacts) -> dict[str, float]:
    """phrase_features of one candidate from phrase_candidates."""
    return phrase_features(
        [float(terms.counts[w.term]) for w in entry.words],
        float(entry.count),
        entry.first_sentence,
        len(entry.words),
        entry.as_names / entry.count,
        [terms.firsts[w.term] for w in entry.words],
    )


def phrases_and_stickiness(
    document: str, config: KeyphraseConfig, stopwords: frozenset[str]
) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """editor_phrases, and each word's stickiness by term_key: the largest share of its
    occurrences that one two-word phrase candidate accounts for ("valdez": 0.9 when 9 of its 10
    occurrences say "Exxon Valdez"). Words in no phrase are left out (stickiness 0)."""
    found, terms = phrase_candidates(document, config, stopwords)
    term_counts = terms.counts
    scored = [
        (
            phrase_score(
                [float(term_counts[w.term]) for w in entry.words],
                float(entry.count),
                entry.first_sentence,
                len(entry.words),
                entry.as_names / entry.count,
                [terms.firsts[w.term] for w in entry.words],
                config,
            ),
            entry.surface,
        )
        for entry in found.values()
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    stickiness: dict[str, float] = {}
    for entry in found.values():
        if len(entry.words) != 2:
            continue
        for word in entry.words:
            share = entry.count / term_counts[word.term]
            if share > stickiness.get(word.term, 0.0):
                stickiness[word.term] = share
    return [(surface, score) for score, surface in scored[:PHRASE_POOL]], stickiness
