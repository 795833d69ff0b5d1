"""Retrain the entity tagger (data/entity_model.gz) from ../shared/corpora/gmb-ner/train.jsonl.

An averaged perceptron (Collins 2002) over the candidate words of each sentence, trained on its own
greedy predictions of the previous tag, with a fixed shuffle seed: the same data and the same cue
lists give byte-identical weights. Rare, small weights are pruned so the file stays small.
Run: uv run python benchmarks/train_entities.py [--epochs N] [--output PATH]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._gmb import Document, gmb_documents
from core.entities.features import article_features, article_words, lexicon, set_common_words
from core.entities.model import MODEL_FILE, OUTSIDE, TAGS, TaggerModel, history_features, save_model
from core.paths import data_dir

SEED = 12
EPOCHS = 8
# Weights smaller than this (after averaging) are dropped: they rarely change a decision.
PRUNE_BELOW = 0.05
# One training sentence in this many is upper-cased (see shout()).
SHOUT_EVERY = 20
# A word written in lowercase this often in the training text is a common word.
COMMON_MIN = 3


def shout(document: Document) -> Document:
    """Every SHOUT_EVERY-th sentence in capitals, as wire headlines are ("SOCCER - LEEDS SIGN
    STRIKER"): GMB has almost none, and the tagger must still read names in them."""
    sentences = [
        [word.upper() for word in words] if number % SHOUT_EVERY == SHOUT_EVERY - 1 else words
        for number, words in enumerate(document.sentences)
    ]
    return Document(document.id, sentences, document.tags)


def featurise(document: Document) -> list[tuple[list[list[str] | None], list[int]]]:
    """(static features per word, gold tag index per word) for every sentence of a document."""
    document = shout(document)
    article = article_words(document.sentences, lexicon())
    features = article_features(article, lexicon())
    feats_at = {position: features.of(number) for number, position in enumerate(features.positions)}
    index = {tag: number for number, tag in enumerate(TAGS)}
    return [
        (
            [feats_at.get(first + position) for position in range(len(words))],
            [index[tag] for tag in tags],
        )
        for words, tags, first in zip(document.sentences, document.tags, article.firsts, strict=True)
    ]


def common_vocabulary(documents: list[Document]) -> frozenset[str]:
    """Words written in lowercase at least COMMON_MIN times in the training text: "analysts",
    "striker", "group". A capitalised one is a cue that a sentence start or a descriptor, not a name."""
    counts: Counter[str] = Counter()
    for document in documents:
        for words in document.sentences:
            counts.update(word for word in words if word[:1].islower() and word.isalpha())
    return frozenset(word for word, count in counts.items() if count >= COMMON_MIN)


class AveragedPerceptron:
    """Weights with lazily summed history, so the average costs nothing per step."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.weights: dict[str, list[float]] = {}
        self.totals: dict[str, list[float]] = {}
        self.stamps: dict[str, list[int]] = {}
        self.step = 0

    def scores(self, feats: list[str]) -> list[float]:
        scores = [0.0] * self.width
        for feature in feats:
            row = self.weights.get(feature)
            if row is not None:
                for tag in range(self.width):
                    scores[tag] += row[tag]
        return scores

    def update(self, feats: list[str], truth: int, guess: int) -> None:
        for feature in feats:
            row = self.weights.get(feature)
            if row is None:
                row = self.weights[feature] = [0.0] * self.width
                self.totals[feature] = [0.0] * self.width
                self.stamps[feature] = [0] * self.width
            totals, stamps = self.totals[feature], self.stamps[feature]
            for tag, delta in ((truth, 1.0), (guess, -1.0)):
                totals[tag] += (self.step - stamps[tag]) * row[tag]
                stamps[tag] = self.step
                row[tag] += delta

    def averaged(self) -> dict[str, tuple[float, ...]]:
        out: dict[str, tuple[float, ...]] = {}
        for feature, row in self.weights.items():
            totals, stamps = self.totals[feature], self.stamps[feature]
            values = tuple(
                round((totals[tag] + (self.step - stamps[tag]) * row[tag]) / max(self.step, 1), 3)
                for tag in range(self.width)
            )
            if max(abs(value) for value in values) >= PRUNE_BELOW:
                out[feature] = values
        return out


def train(documents: list[Document], epochs: int) -> TaggerModel:
    from core.entities.model import _transitions

    allowed = _transitions(TAGS)
    valid_after = allowed
    begin_of = [TAGS.index("B-" + tag[2:]) if tag[:2] == "I-" else number for number, tag in enumerate(TAGS)]
    common = common_vocabulary(documents)
    set_common_words(common)
    data = [sentence for document in documents for sentence in featurise(document)]
    data = [item for item in data if any(feats is not None for feats in item[0])]
    print(f"training on {len(data)} sentences with candidate words", flush=True)
    model = AveragedPerceptron(len(TAGS))
    rng = random.Random(SEED)
    for epoch in range(epochs):
        rng.shuffle(data)
        started = time.perf_counter()
        seen = wrong = 0
        for features, gold in data:
            previous = OUTSIDE
            for feats, truth in zip(features, gold, strict=True):
                model.step += 1
                if feats is None:
                    previous = OUTSIDE
                    continue
                if not valid_after[previous][truth]:
                    # "I-ORG" right after a word we tagged outside: given our own history the right
                    # answer is to start the name here. Updating toward the unreachable tag would
                    # only push the valid ones down.
                    truth = begin_of[truth]
                full = feats + history_features(TAGS[previous], feats)
                scores = model.scores(full)
                valid = allowed[previous]
                guess = max((tag for tag in range(len(TAGS)) if valid[tag]), key=scores.__getitem__)
                seen += 1
                if guess != truth:
                    wrong += 1
                    model.update(full, truth, guess)
                previous = guess
        print(
            f"epoch {epoch + 1}: {wrong / max(seen, 1):.4f} training error on {seen} words "
            f"({time.perf_counter() - started:.0f}s)",
            flush=True,
        )
    return TaggerModel.from_weights(TAGS, model.averaged(), common)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--output", type=Path, default=data_dir() / MODEL_FILE)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N documents only")
    args = parser.parse_args()
    documents = list(gmb_documents("train"))
    if args.limit:
        documents = documents[: args.limit]
    model = train(documents, args.epochs)
    save_model(model, args.output)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({len(model.features)} features, {size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
