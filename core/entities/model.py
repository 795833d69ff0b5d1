"""The learned entity tagger: an averaged perceptron over the candidate words of each sentence.

It labels each candidate word (core/entities/features.py) with a BIO tag of four kinds — person,
organisation, place, other — reading the sentence left to right, so the previous word's tag is a
feature too (greedy decoding: one pass, no lattice). The weights are trained by
benchmarks/train_entities.py from the Groningen Meaning Bank and ship in data/entity_model.gz
(see data/ENTITY_MODEL.md); they are read once per process.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path
from typing import cast

import numpy as np

from core.entities.features import (
    ArticleWords,
    CandidateRows,
    FeatureRows,
    Lexicon,
    article_rows,
    feature_runs,
    set_common_words,
    word_features,
)
from core.paths import data_dir

MODEL_FILE = "entity_model.gz"
KINDS = ("PER", "ORG", "LOC", "MISC")
TAGS = ("O", *(f"{prefix}-{kind}" for kind in KINDS for prefix in ("B", "I")))
OUTSIDE = 0


@dataclass(frozen=True)
class TaggerModel:
    """One weight per (feature, tag): a matrix whose row 0 is zeros, and the feature of each other row."""

    tags: tuple[str, ...]
    features: tuple[str, ...]
    matrix: np.ndarray  # (len(features) + 1) x len(tags); row 0 is all zeros
    common: frozenset[str] = frozenset()  # the "gaz=common" vocabulary the weights were trained with
    index: dict[str, int] = field(init=False, repr=False)
    # The previous-tag features, read one word at a time while decoding.
    history: dict[str, tuple[float, ...]] = field(init=False, repr=False)
    # The context features' rows by template, and each word's summed own features (see OwnScores).
    table: FeatureRows = field(init=False, repr=False)
    own: OwnScores = field(init=False, repr=False)
    # The "pt=O" scores, with -inf for the tags that cannot follow an outside word (an inside tag):
    # what a word after an outside word adds, the same for every article.
    after_outside: np.ndarray = field(init=False, repr=False)
    # (previous tag, word, loud) -> the previous-tag features' scores, for a word inside a name.
    after_name: dict[tuple[int, str, bool], list[float]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        index = dict(zip(self.features, range(1, len(self.features) + 1), strict=True))
        features, rows = feature_runs(index, ["pt="])["pt="]
        history = dict(zip(features, map(tuple, self.matrix.take(rows, axis=0).tolist()), strict=True))
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "history", history)
        after_outside = np.array(history.get("pt=O", (0.0,) * len(self.tags)), dtype=np.float64)
        allowed = _allowed(self.tags)[OUTSIDE]
        after_outside[[tag for tag in range(len(self.tags)) if tag not in allowed]] = -np.inf
        object.__setattr__(self, "after_outside", after_outside)
        object.__setattr__(self, "table", FeatureRows(index))
        object.__setattr__(self, "own", OwnScores(len(self.tags)))

    @classmethod
    def from_weights(
        cls, tags: tuple[str, ...], weights: dict[str, tuple[float, ...]], common: frozenset[str]
    ) -> TaggerModel:
        features = tuple(sorted(weights))
        matrix = np.zeros((len(features) + 1, len(tags)), dtype=np.float32)
        for row, feature in enumerate(features, start=1):
            matrix[row] = weights[feature]
        return cls(tags, features, matrix, common)

    def weight(self, feature: str) -> tuple[float, ...]:
        """One feature's weights (zeros when the model does not know it)."""
        row = self.index.get(feature, 0)
        return tuple(self.matrix[row].tolist())


class OwnScores:
    """Each word's tag scores from its own features (word, shape, affixes, cue lists), summed once.

    Names and function words repeat within and across articles, so a word's own features are looked
    up and summed the first time it is seen, as a batch for the article's new words; later it costs
    one dictionary look-up. Bounded: the table starts afresh after LIMIT words.
    """

    LIMIT = 1 << 16

    def __init__(self, width: int) -> None:
        self.ids: dict[str | tuple[str, bool], int] = {}
        self.vectors = np.zeros((1024, width), dtype=np.float64)

    def scores(self, model: TaggerModel, words: list[str], louds: list[bool]) -> np.ndarray:
        keys: list[str | tuple[str, bool]] = (
            [(word, True) if loud else word for word, loud in zip(words, louds, strict=True)]
            if True in louds
            else list(words)
        )
        ids = self.ids
        found = list(map(ids.get, keys))
        if None in found:
            missing = list(dict.fromkeys(key for key, row in zip(keys, found, strict=True) if row is None))
            if len(ids) + len(missing) > self.LIMIT:
                ids.clear()
                missing = list(dict.fromkeys(keys))
            index = model.index
            flat: list[int] = []
            offsets: list[int] = []
            for key in missing:
                offsets.append(len(flat))
                own = word_features(key[0], True) if isinstance(key, tuple) else word_features(key, False)
                flat += map(index.get, own, repeat(0))
            rows = np.fromiter(flat, dtype=np.intp, count=len(flat))
            summed = np.add.reduceat(model.matrix.take(rows, axis=0), offsets, dtype=np.float64)
            start = len(ids)
            if start + len(missing) > len(self.vectors):
                grown = np.zeros((max(2 * len(self.vectors), start + len(missing)), self.vectors.shape[1]))
                grown[:start] = self.vectors[:start]
                self.vectors = grown
            self.vectors[start : start + len(missing)] = summed
            ids.update(zip(missing, range(start, start + len(missing)), strict=True))
            found = list(map(ids.__getitem__, keys))
        picked: np.ndarray = self.vectors.take(
            np.fromiter(cast(list[int], found), dtype=np.intp, count=len(found)), axis=0
        )
        return picked


def _valid(previous: str, tag: str) -> bool:
    """An inside tag must continue a name of the same kind."""
    return not tag.startswith("I-") or previous[2:] == tag[2:]


@lru_cache(maxsize=64)
def _transitions(tags: tuple[str, ...]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(_valid(previous, tag) for tag in tags) for previous in tags)


@lru_cache(maxsize=64)
def _allowed(tags: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(i for i, ok in enumerate(row) if ok) for row in _transitions(tags))


def history_features(previous: str, feats: Sequence[str]) -> list[str]:
    """Features of the previous word's tag, joined with this word and its shape (inside a name)."""
    if previous == "O":
        return ["pt=O"]
    return ["pt=" + previous, f"pt={previous}|{feats[1]}", f"pt={previous}|{feats[2]}"]


def static_scores(model: TaggerModel, candidates: CandidateRows, words: list[str]) -> np.ndarray:
    """Each candidate's tag scores from its own and its context features, for the whole article at
    once (the previous tag's features are added while decoding)."""
    rows = np.fromiter(candidates.rows, dtype=np.intp, count=len(candidates.rows))
    offsets = np.fromiter(candidates.offsets, dtype=np.intp, count=len(candidates.offsets))[:-1]
    # take() with an index array: several times faster than indexing with a list of ints. The rows
    # cast to float64 first, then added: the sums of reduceat(dtype=float64), a third cheaper.
    context = np.add.reduceat(model.matrix.take(rows, axis=0).astype(np.float64), offsets)
    summed: np.ndarray = model.own.scores(model, words, candidates.loud) + context
    return summed


Tagged = tuple[int, int, float]
"""A candidate word's (position in the article's word list, tag index, margin over the next best
valid tag)."""


def tag_article(model: TaggerModel, article: ArticleWords, lex: Lexicon) -> list[Tagged]:
    """Tag the candidate words of an article, left to right (greedy); other words are outside.

    Most candidate words follow an outside word, so their best tag and margin are worked out for the
    whole article at once; only a word that follows a name's word is scored one at a time.
    """
    candidates = article_rows(article, lex, model.table)
    positions = candidates.positions
    if not positions:
        return []
    weights = model.history
    tags = model.tags
    allowed = _allowed(tags)
    zero = (0.0,) * len(tags)
    words = list(map(article.words.__getitem__, positions))
    raw = static_scores(model, candidates, words)
    # Scores, best tag and margin of each word if the word before it was outside a name.
    fresh = raw + model.after_outside
    fresh_best = fresh.argmax(axis=1).tolist()
    top_two = np.partition(fresh, -2, axis=1)[:, -2:]
    fresh_margin = (top_two[:, 1] - top_two[:, 0]).tolist()
    labels: list[Tagged] = []
    previous = OUTSIDE
    last = -2
    louds = candidates.loud
    after_name = model.after_name
    for number, position in enumerate(positions):
        if position != last + 1:
            previous = OUTSIDE  # a word the tagger skips sits between (or a sentence ends): outside
        last = position
        if previous == OUTSIDE:
            previous = fresh_best[number]
            if previous != OUTSIDE:
                labels.append((position, previous, fresh_margin[number]))
            continue
        key = (previous, words[number], louds[number])
        history = after_name.get(key)
        if history is None:
            if len(after_name) > 1 << 16:
                after_name.clear()
            before = tags[previous]
            own = word_features(words[number], louds[number])
            history = after_name[key] = [
                a + b + c
                for a, b, c in zip(
                    weights.get("pt=" + before, zero),
                    weights.get(f"pt={before}|{own[1]}", zero),
                    weights.get(f"pt={before}|{own[2]}", zero),
                    strict=True,
                )
            ]
        scores = list(map(add, raw[number].tolist(), history))
        # The valid tags best first; a stable sort keeps the first of equal scores first, as max() would.
        ranked = sorted(allowed[previous], key=scores.__getitem__, reverse=True)
        previous = ranked[0]
        if previous != OUTSIDE:
            labels.append((position, previous, scores[previous] - scores[ranked[1]]))
    return labels


def names_in(tags: tuple[str, ...], labels: Sequence[Tagged]) -> list[tuple[int, int, str, float]]:
    """(first word, end word, kind, mean margin) of each name in the tagged words."""
    found: list[tuple[int, int, str, float]] = []
    start = end = -1
    kind = ""
    total = 0.0
    for index, label, margin in labels:
        tag = tags[label]
        if tag[0] == "I" and index == end and tag[2:] == kind:
            end += 1
            total += margin
            continue
        if start >= 0:
            found.append((start, end, kind, total / (end - start)))
        start, end, kind, total = index, index + 1, tag[2:], margin
    if start >= 0:
        found.append((start, end, kind, total / (end - start)))
    return found


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first word, end word, kind) of each name in a BIO sequence."""
    spans: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for index, tag in enumerate(tags):
        if tag.startswith("I-") and start >= 0 and tag[2:] == kind:
            continue
        if start >= 0:
            spans.append((start, index, kind))
            start = -1
        if tag != "O":
            start, kind = index, tag[2:]
    if start >= 0:
        spans.append((start, len(tags), kind))
    return spans


FORMAT = 2


def save_model(model: TaggerModel, path: Path) -> None:
    """One gzip member (fixed mtime, so the same training gives the same bytes): a JSON header line,
    the features and the common words one per line, then the weights as little-endian float32."""
    header = {
        "format": FORMAT,
        "tags": list(model.tags),
        "features": len(model.features),
        "common": len(model.common),
    }
    lines = [json.dumps(header), *model.features, *sorted(model.common)]
    data = "\n".join(lines).encode("utf-8") + b"\n" + model.matrix[1:].astype("<f4").tobytes()
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(data)


def read_model(path: Path) -> TaggerModel:
    """Read a model file; a missing or damaged one is an error that names the file and the fault."""
    return TaggerModel(*read_model_parts(path))


def read_model_parts(path: Path) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray, frozenset[str]]:
    """A model file's tags, features, weight matrix and common words, for a TaggerModel or a
    subclass of it (core.text.pos) to be built from once. ValueError naming the file if damaged."""
    try:
        data = gzip.decompress(path.read_bytes())
        head, _, rest = data.partition(b"\n")
        header = json.loads(head)
        if header.get("format") != FORMAT:
            raise ValueError(f"format {header.get('format')!r}, expected {FORMAT}")
        tags = tuple(header["tags"])
        count, common_count = int(header["features"]), int(header["common"])
        if count < 0 or common_count < 0:
            raise ValueError(f"{count} features and {common_count} words")
        # The weights are the last count x tags float32s, after the text's last line break: the
        # text is decoded once and split, rather than line by line.
        size = count * len(tags) * 4
        cut = len(rest) - size - 1
        if count + common_count == 0:
            text, ok = [], rest == b""
        else:
            ok = cut >= 0 and rest[cut : cut + 1] == b"\n"
            text = rest[: max(cut, 0)].decode("utf-8").split("\n") if ok else []
        if not ok or len(text) != count + common_count:
            raise ValueError(
                f"not {count} feature and {common_count} word lines then {size} bytes of weights"
            )
        weights = np.frombuffer(memoryview(rest)[len(rest) - size :], dtype="<f4")
    except (OSError, EOFError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a readable entity model ({error})") from error
    matrix = np.vstack([np.zeros((1, len(tags)), dtype=np.float32), weights.reshape(count, len(tags))])
    return tags, tuple(text[:count]), matrix, frozenset(text[count:])


@lru_cache(maxsize=1)
def load_model() -> TaggerModel:
    """The shipped model, read once per process (each worker process reads it on first use)."""
    model = read_model(data_dir() / MODEL_FILE)
    set_common_words(model.common)
    return model
