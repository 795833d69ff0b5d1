"""Retrain the part-of-speech tagger (data/pos_model.gz) from ../shared/treebanks/ud-english-ewt/.

An averaged perceptron (Collins 2002) over Universal POS tags, greedy left to right, trained on its
own previous predictions, with a fixed shuffle seed: the same data gives byte-identical weights.
EWT's sentences are re-cut with the event coder's tokenizer (the tokens the tagger sees at run
time); each token takes the tag of the treebank word it starts in ("Iran's" -> PROPN, "don't" -> AUX).
Reports the tag accuracy on EWT's dev file (same re-cut tokens) and a most-frequent-tag baseline.
Skips cleanly when ../shared is absent.
Run: uv run python benchmarks/train_pos.py [--epochs N] [--output PATH] [--evaluate-only]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import SHARED, conllu_sentences
from benchmarks.train_entities import AveragedPerceptron
from core.paths import data_dir
from core.relations.event_coder import tokenize
from core.text.pos import (
    MODEL_FILE,
    START,
    UPOS,
    PosModel,
    context_features,
    history_features,
    own_features,
    read_pos_model,
    tag_tokens,
)

SEED = 7
EPOCHS = 6
TREEBANK = SHARED / "treebanks" / "ud-english-ewt"

Sentence = tuple[list[str], list[str]]  # (token texts, UPOS tags)


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Sentences of a CoNLL-U file, re-cut with the event coder's tokenizer."""
    for text, rows in conllu_sentences(path):
        words: list[tuple[str, str]] = []  # (form, UPOS) of each syntactic word, ranges merged
        skip_until = 0
        range_form = ""
        for cols in rows:
            ident = cols[0]
            if "-" in ident:
                high = ident.split("-")[1]
                skip_until = int(high)
                range_form = cols[1]
                words.append((range_form, ""))  # tag: its first word's
                continue
            if skip_until and int(ident) <= skip_until:
                if not words[-1][1]:
                    words[-1] = (range_form, cols[3])
                continue
            words.append((cols[1], cols[3]))
        aligned = _align(text, words)
        if aligned is not None:
            yield aligned


def _align(text: str, words: list[tuple[str, str]]) -> Sentence | None:
    """Give each token of `text` the tag of the treebank word it starts in; None if forms do not match."""
    spans: list[tuple[int, int, str]] = []
    position = 0
    for form, tag in words:
        found = text.find(form, position)
        if found < 0:
            return None
        spans.append((found, found + len(form), tag))
        position = found + len(form)
    texts: list[str] = []
    tags: list[str] = []
    k = 0
    for token in tokenize(text):
        while k < len(spans) and spans[k][1] <= token.start:
            k += 1
        if k == len(spans):
            return None
        texts.append(token.text)
        tags.append(spans[k][2])
    return texts, tags


def featurise(texts: list[str]) -> list[list[str]]:
    lowers = [t.lower() for t in texts]
    return [[*own_features(t), *context_features(texts, lowers, i)] for i, t in enumerate(texts)]


def train(sentences: list[Sentence], epochs: int) -> PosModel:
    index = {tag: number for number, tag in enumerate(UPOS)}
    data = [(featurise(texts), [index[t] for t in tags]) for texts, tags in sentences]
    model = AveragedPerceptron(len(UPOS))
    rng = random.Random(SEED)
    for epoch in range(epochs):
        rng.shuffle(data)
        started = time.perf_counter()
        seen = wrong = 0
        for features, gold in data:
            previous, previous2 = START, START
            for feats, truth in zip(features, gold, strict=True):
                model.step += 1
                full = feats + history_features(previous, previous2)
                scores = model.scores(full)
                guess = max(range(len(UPOS)), key=scores.__getitem__)
                seen += 1
                if guess != truth:
                    wrong += 1
                    model.update(full, truth, guess)
                previous2, previous = previous, UPOS[guess]
        print(
            f"epoch {epoch + 1}: {wrong / max(seen, 1):.4f} training error on {seen} tokens "
            f"({time.perf_counter() - started:.0f}s)",
            flush=True,
        )
    base = PosModel.from_weights(tuple(UPOS), model.averaged(), frozenset())
    return PosModel(base.tags, base.features, base.matrix)


def evaluate(model: PosModel, sentences: list[Sentence], train_sentences: list[Sentence]) -> None:
    """Token accuracy on `sentences`, beside a most-frequent-tag-per-word baseline from training."""
    by_word: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    for texts, tags in train_sentences:
        for text, tag in zip(texts, tags, strict=True):
            by_word[text.lower()][tag] += 1
            overall[tag] += 1
    fallback = overall.most_common(1)[0][0]
    right = baseline = total = verbs_right = verbs = 0
    started = time.perf_counter()
    for texts, tags in sentences:
        guessed = tag_tokens(model, texts)
        for text, tag, guess in zip(texts, tags, guessed, strict=True):
            total += 1
            right += guess == tag
            counts = by_word.get(text.lower())
            baseline += (counts.most_common(1)[0][0] if counts else fallback) == tag
            if tag in {"VERB", "NOUN"}:
                verbs += 1
                verbs_right += guess == tag
    elapsed = time.perf_counter() - started
    print(
        f"EWT dev: {total} tokens, accuracy {right / total:.4f}"
        f" (most-frequent-tag baseline {baseline / total:.4f});"
        f" on VERB/NOUN tokens {verbs_right / max(verbs, 1):.4f};"
        f" {1e6 * elapsed / total:.1f} us/token"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--output", type=Path, default=data_dir() / MODEL_FILE)
    parser.add_argument("--evaluate-only", action="store_true", help="score the shipped model on EWT dev")
    args = parser.parse_args()
    if not TREEBANK.exists():
        print(f"skipped: {TREEBANK} is absent (the treebank lives in ../shared, beside the checkout)")
        return
    train_sentences = list(read_conllu(TREEBANK / "en_ewt-ud-train.conllu"))
    dev_sentences = list(read_conllu(TREEBANK / "en_ewt-ud-dev.conllu"))
    print(f"{len(train_sentences)} training sentences, {len(dev_sentences)} dev sentences aligned")
    if args.evaluate_only:
        model = read_pos_model(args.output)
    else:
        from core.entities.model import save_model

        model = train(train_sentences, args.epochs)
        save_model(model, args.output)
        size = args.output.stat().st_size
        print(f"wrote {args.output} ({len(model.features)} features, {size / 1e6:.2f} MB)")
        model = read_pos_model(args.output)
    evaluate(model, dev_sentences, train_sentences)


if __name__ == "__main__":
    main()
