"""The learned entity tagger: an averaged perceptron over the candidate words of each sentence.

It labels each candidate word (core/entity_features.py) with a BIO tag of four kinds — person,
organisation, place, other — reading the sentence left to right, so the previous word's tag is a
feature too (greedy decoding: one pass, no lattice). The weights are trained by
benchmarks/train_entities.py from the Groningen Meaning Bank and ship in data/entity_model.json.gz
(see data/ENTITY_MODEL.md); they are read once per process.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.paths import data_dir

MODEL_FILE = "entity_model.json.gz"
KINDS = ("PER", "ORG", "LOC", "MISC")
TAGS = ("O", *(f"{prefix}-{kind}" for kind in KINDS for prefix in ("B", "I")))
OUTSIDE = 0


@dataclass(frozen=True)
class TaggerModel:
    """Feature -> one weight per tag, as a dict (training, --explain) and as a matrix (tagging)."""

    tags: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    index: dict[str, int] = field(init=False, repr=False)
    matrix: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Row 0 is all zeros: every word adds it, so no word's slice of the feature rows is empty.
        names = sorted(self.weights)
        matrix = np.zeros((len(names) + 1, len(self.tags)), dtype=np.float64)
        for row, name in enumerate(names, start=1):
            matrix[row] = self.weights[name]
        object.__setattr__(self, "index", {name: row for row, name in enumerate(names, start=1)})
        object.__setattr__(self, "matrix", matrix)


def _valid(previous: str, tag: str) -> bool:
    """An inside tag must continue a name of the same kind."""
    return not tag.startswith("I-") or previous[2:] == tag[2:]


@lru_cache(maxsize=64)
def _transitions(tags: tuple[str, ...]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(_valid(previous, tag) for tag in tags) for previous in tags)


@lru_cache(maxsize=64)
def _allowed(tags: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(i for i, ok in enumerate(row) if ok) for row in _transitions(tags))


def history_features(previous: str, feats: list[str]) -> list[str]:
    """Features of the previous word's tag, joined with this word and its shape (inside a name)."""
    if previous == "O":
        return ["pt=O"]
    return ["pt=" + previous, f"pt={previous}|{feats[1]}", f"pt={previous}|{feats[2]}"]


def static_scores(model: TaggerModel, words: Sequence[list[str]]) -> list[list[float]]:
    """Each word's tag scores from its own features, in one matrix operation for the whole batch."""
    if not words:
        return []
    index = model.index
    flat: list[int] = []
    offsets: list[int] = []
    for feats in words:
        offsets.append(len(flat))
        flat.append(0)
        flat.extend([row for row in map(index.get, feats) if row is not None])
    summed: list[list[float]] = np.add.reduceat(model.matrix[flat], offsets).tolist()
    return summed


def tag_document(
    model: TaggerModel, sentences: Sequence[Sequence[list[str] | None]]
) -> tuple[list[list[int]], list[list[float]]]:
    """Tag indices per sentence (OUTSIDE for non-candidates, else the best valid tag: greedy), and
    each word's margin: how far its tag's score is ahead of the next best valid tag's."""
    static = static_scores(model, [feats for features in sentences for feats in features if feats is not None])
    weights = model.weights
    tags = model.tags
    allowed = _allowed(tags)
    zero = (0.0,) * len(tags)
    position = 0
    out: list[list[int]] = []
    margins: list[list[float]] = []
    for features in sentences:
        labels: list[int] = []
        ahead: list[float] = []
        previous = OUTSIDE
        for feats in features:
            if feats is None:
                labels.append(OUTSIDE)
                ahead.append(0.0)
                previous = OUTSIDE
                continue
            before = tags[previous]
            scores = [
                a + b + c + d
                for a, b, c, d in zip(
                    static[position],
                    weights.get("pt=" + before, zero),
                    weights.get(f"pt={before}|{feats[1]}", zero) if previous else zero,
                    weights.get(f"pt={before}|{feats[2]}", zero) if previous else zero,
                    strict=True,
                )
            ]
            position += 1
            options = allowed[previous]
            previous = max(options, key=scores.__getitem__)
            labels.append(previous)
            best = scores[previous]
            ahead.append(best - max(scores[i] for i in options if i != previous))
        out.append(labels)
        margins.append(ahead)
    return out, margins


def scores_for(model: TaggerModel, feats: list[str], previous: int) -> list[float]:
    """Every tag's score for one word (for --explain)."""
    zero = (0.0,) * len(model.tags)
    rows = [model.weights.get(feature, zero) for feature in feats]
    rows.extend(model.weights.get(f, zero) for f in history_features(model.tags[previous], feats))
    return [sum(column) for column in zip(*rows, strict=True)]


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


def save_model(model: TaggerModel, path: Path) -> None:
    """Weights as gzipped JSON with a fixed mtime, so the same training gives the same bytes."""
    payload = {"tags": list(model.tags), "weights": model.weights}
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(data)


def read_model(path: Path) -> TaggerModel:
    """Read weights; a missing or damaged file is an error that names the file."""
    try:
        with gzip.open(path, "rb") as handle:
            payload = json.loads(handle.read().decode("utf-8"))
        tags = tuple(payload["tags"])
        weights = {feature: tuple(values) for feature, values in payload["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a readable entity model ({error})") from error
    if not all(len(values) == len(tags) for values in weights.values()):
        raise ValueError(f"{path}: every weight row must have one value per tag ({len(tags)})")
    return TaggerModel(tags, weights)


@lru_cache(maxsize=1)
def load_model() -> TaggerModel:
    """The shipped model, read once per process (each worker process reads it on first use)."""
    return read_model(data_dir() / MODEL_FILE)
