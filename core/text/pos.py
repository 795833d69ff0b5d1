"""Part-of-speech tags (Universal POS) for the few sentences the relations stage reads.

An averaged perceptron, greedy left to right with the two previous tags as features, trained by
benchmarks/train_pos.py on UD English EWT and shipped in data/pos_model.gz (see data/POS_MODEL.md).
It reuses the entity tagger's weight matrix, scoring and file format (core.entities.model); only
the features and the decoding history differ. It tags the tokens the event coder cuts
(core.relations.event_coder.tokenize: "Iran's" and "don't" are one token each), and was trained on
EWT re-cut the same way, so training and use cannot drift apart. Read once per process, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.entities.model import TaggerModel, read_model_parts
from core.paths import data_dir

MODEL_FILE = "pos_model.gz"
UPOS = "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
START = "-START-"


def shape(text: str) -> str:
    """Xx, x, X, d, x-x ...: the word's letter classes, runs collapsed."""
    out: list[str] = []
    for char in text[:12]:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def own_features(text: str) -> tuple[str, ...]:
    """Features of the word alone (cached per word by the model's scorer)."""
    lower = text.lower()
    return (
        "bias",
        "w=" + lower,
        "s1=" + lower[-1:],
        "s2=" + lower[-2:],
        "s3=" + lower[-3:],
        "p1=" + lower[:1],
        "sh=" + shape(text),
    )


def context_features(texts: Sequence[str], lowers: Sequence[str], at: int) -> list[str]:
    """Features of the words around position `at` (two each side)."""
    n = len(lowers)
    before = lowers[at - 1] if at > 0 else START
    before2 = lowers[at - 2] if at > 1 else START
    after = lowers[at + 1] if at + 1 < n else "-END-"
    after2 = lowers[at + 2] if at + 2 < n else "-END-"
    feats = [
        "w-1=" + before,
        "w-2=" + before2,
        "w+1=" + after,
        "w+2=" + after2,
        "s3-1=" + before[-3:],
        "s3+1=" + after[-3:],
    ]
    if at == 0:
        feats.append("first|sh=" + shape(texts[at]))
    return feats


def history_features(previous: str, previous2: str) -> list[str]:
    """The decoding history: the previous tag, and the two previous tags together."""
    return ["pt=" + previous, f"pt2={previous2}|{previous}"]


class PosModel(TaggerModel):
    """The entity tagger's weight container, plus the history scores of every (tag before the
    previous, previous tag) state in one table, so decoding a word is one row sum and an argmax."""

    state_rows: list[list[float]]  # (len(tags) + 1) ** 2 rows; state = before * (n + 1) + previous
    own_rows: dict[str, list[int]]  # a word's own features -> their matrix rows (row 0: zeros)
    # Per role (the word 1 before, 2 before, 1 after, 2 after a token): neighbouring word -> rows.
    neighbour_rows: tuple[dict[str, list[int]], ...]

    def rows_of(self, features: Sequence[str]) -> list[int]:
        index = self.index
        return [0, *(row for row in map(index.get, features) if row is not None)]

    def __post_init__(self) -> None:
        super().__post_init__()
        names = [*self.tags, START]
        width = len(names)
        table = np.zeros((width * width, len(self.tags)), dtype=np.float64)
        for b, before in enumerate(names):
            for p, previous in enumerate(names):
                for feature in history_features(previous, before):
                    table[b * width + p] += self.matrix[self.index.get(feature, 0)]
        object.__setattr__(self, "state_rows", table.tolist())
        object.__setattr__(self, "own_rows", {})
        object.__setattr__(self, "neighbour_rows", ({}, {}, {}, {}))


def tag_tokens(model: PosModel, texts: Sequence[str]) -> list[str]:
    """UPOS tag of each token (tokens as cut by the event coder; original case)."""
    if not texts:
        return []
    lowers = [t.lower() for t in texts]
    # The same features as own_features + context_features, gathered as weight-matrix rows cached
    # per word and per role (the word itself, or its neighbour one or two places away): no strings
    # are built for a word seen before.
    own = model.own_rows
    before1, before2, after1, after2 = model.neighbour_rows
    padded = [START, START, *lowers, "-END-", "-END-"]
    flat: list[int] = []
    offsets: list[int] = []
    miss = _fill_neighbour
    for i, text in enumerate(texts):
        offsets.append(len(flat))
        rows = own.get(text)
        if rows is None:
            rows = own[text] = model.rows_of(own_features(text))
        flat += rows
        # Unrolled over the four neighbour roles: this loop is the tagger's hot path.
        word = padded[i + 1]
        flat += before1.get(word) or miss(model, 0, word)
        word = padded[i]
        flat += before2.get(word) or miss(model, 1, word)
        word = padded[i + 3]
        flat += after1.get(word) or miss(model, 2, word)
        word = padded[i + 4]
        flat += after2.get(word) or miss(model, 3, word)
        if i == 0:
            flat += model.rows_of(("first|sh=" + shape(text),))
    if len(own) > 1 << 16 or len(before1) > 1 << 16:
        own.clear()
        for table in model.neighbour_rows:
            table.clear()
    summed = np.add.reduceat(model.matrix.take(flat, axis=0), offsets, dtype=np.float64)
    static: list[list[float]] = summed.tolist()
    tags = model.tags
    width = len(tags) + 1
    states = model.state_rows
    before = previous = len(tags)  # START
    out: list[str] = []
    for row in static:
        scores = [a + b for a, b in zip(row, states[before * width + previous], strict=True)]
        best = scores.index(max(scores))
        before, previous = previous, best
        out.append(tags[best])
    return out


def _fill_neighbour(model: PosModel, role: int, word: str) -> list[int]:
    rows = model.neighbour_rows[role][word] = model.rows_of(_neighbour_features(role, word))
    return rows


def _neighbour_features(role: int, word: str) -> tuple[str, ...]:
    """The context features a word gives a token as its neighbour: role 0 = the word before it
    ("w-1="), 1 = two before, 2 = the word after it, 3 = two after."""
    if role == 0:
        return ("w-1=" + word, "s3-1=" + word[-3:])
    if role == 1:
        return ("w-2=" + word,)
    if role == 2:
        return ("w+1=" + word, "s3+1=" + word[-3:])
    return ("w+2=" + word,)


def read_pos_model(path: Path) -> PosModel:
    """Read a POS model file; a damaged one is an error naming the file."""
    tags, features, matrix, _ = read_model_parts(path)
    if tags != tuple(UPOS):
        raise ValueError(f"{path}: not a part-of-speech model (tags {tags[:3]}...)")
    return PosModel(tags, features, matrix)


@lru_cache(maxsize=1)
def load_pos_model() -> PosModel:
    """The shipped model, read once per process (on first use: only sentences naming two countries)."""
    return read_pos_model(data_dir() / MODEL_FILE)


def pos_tags(texts: Sequence[str]) -> list[str]:
    """UPOS tags of a token sequence with the shipped model."""
    return tag_tokens(load_pos_model(), texts)
