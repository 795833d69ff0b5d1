"""Retrain the dependency parser (data/parse_model.gz) from ../shared/treebanks/ud-english-ewt/.

A greedy arc-standard transition parser with a static (gold-path) oracle, scored by an averaged
perceptron over the string features of core.text.parse, interned to rows of one numpy weight
matrix (columns: SHIFT and one left/right arc per label). Fixed shuffle seed: the same data gives
byte-identical weights.

Data. EWT's sentences are re-cut with the event coder's tokenizer (the tokens the parser sees at run
time) and their trees contracted onto those tokens: a token holding several treebank words
("Iran's", "don't") takes the head and relation of its word whose head lies outside the token; a
token that starts inside a treebank word ("S" and "." in "U.S.") hangs from the word's first
token as "goeswith". Sentences whose contracted tree is not a tree, or is not projective (the
arc-standard oracle cannot build it), are left out of training and counted; dev and test keep
every sentence that aligns. Tags are the shipped tagger's (core.text.pos) predictions, at training
time too (no jack-knifing: on train the tagger has seen the sentences, so train tags are better
than the ones the parser meets at run time).

Model choice: the epoch with the best labelled score on EWT dev; reports UAS/LAS on EWT test
(punctuation tokens excluded), beside a nearest-verb baseline, and the parse time per sentence
against the tagger's in the same run. Skips cleanly when ../shared is absent.
Run: nice uv run python benchmarks/train_parser.py [--epochs N] [--limit N] [--output PATH]
     uv run python benchmarks/train_parser.py --evaluate-only   (figures of the shipped model)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import SHARED, conllu_sentences
from core.entities.model import save_model
from core.paths import data_dir
from core.relations.event_coder import tokenize
from core.text.parse import (
    MODEL_FILE,
    ROOT_LABEL,
    SHIFT,
    ParseModel,
    State,
    collapse_label,
    padded,
    parse_tokens,
    read_parse_model,
    state_features,
)
from core.text.pos import load_pos_model, tag_tokens

SEED = 7
EPOCHS = 10
MIN_COUNT = 2  # a feature seen on fewer gold-path states is not kept
MIN_ARCS = 20  # a (direction, label) transition needs this many training arcs, else it is "dep"
# Averaged weights are rounded to DECIMALS places and those below PRUNE_BELOW (absolute) set to zero,
# features left without weights dropped: chosen on EWT dev (4.64 MB at 0.05 and two places, dev LAS
# 0.7824; 3.14 MB at 0.5 and one place, dev LAS 0.7816).
DECIMALS = 1
PRUNE_BELOW = 0.5
# The shipped file is pruned further, after the epoch is chosen (at PRUNE_BELOW, as before): weights
# below SHIP_BELOW zeroed and features left without weights dropped. Chosen for the relations stage's
# speed budget (every analysis worker reads the weights once at start): on EWT dev, 0.5 -> 233k
# features, 55 MB dense, read in ~0.37 s, LAS 0.782; 2.0 -> 77k, 18 MB, ~0.12 s, 0.773; 2.5 -> 49k,
# 12 MB, ~0.05 s, see data/PARSE_MODEL.md; 3.0 -> 31k, 7 MB, ~0.03 s, 0.758.
SHIP_BELOW = 2.5
TREEBANK = SHARED / "treebanks" / "ud-english-ewt"


@dataclass
class Sentence:
    texts: list[str]
    heads: list[int]  # per token: 0 root, else 1-based token position
    labels: list[str]
    tags: list[str] | None = None  # predicted UPOS


@dataclass
class Word:
    form: str
    head: int  # treebank word id (0 root)
    deprel: str
    start: int = -1  # character offsets in the sentence text
    end: int = -1


def read_conllu(path: Path, stats: Counter[str]) -> Iterator[Sentence]:
    """Sentences of a CoNLL-U file, re-cut with the event coder's tokenizer, trees contracted."""
    for text, rows in conllu_sentences(path):
        words: dict[int, Word] = {}
        ranges: list[tuple[int, int, str]] = []  # multiword tokens: first id, last id, surface form
        for cols in rows:
            ident = cols[0]
            if "-" in ident:
                low, high = ident.split("-")
                ranges.append((int(low), int(high), cols[1]))
                continue
            words[int(ident)] = Word(cols[1], int(cols[6]), cols[7])
        if words:
            stats["sentences"] += 1
            sentence = contract(text, words, ranges, stats)
            if sentence is not None:
                yield sentence


def contract(
    text: str, words: dict[int, Word], ranges: list[tuple[int, int, str]], stats: Counter[str]
) -> Sentence | None:
    """The treebank tree carried onto the event coder's tokens of `text` (None: cannot align)."""
    # Character span of each syntactic word (the words of a multiword token share its span).
    in_range = {i: (low, high, form) for low, high, form in ranges for i in range(low, high + 1)}
    position = 0
    ident = 1
    while ident <= len(words):
        if ident in in_range:
            low, high, form = in_range[ident]
            found = text.find(form, position)
            if found < 0:
                stats["unaligned"] += 1
                return None
            for member in range(low, high + 1):
                words[member].start, words[member].end = found, found + len(form)
            position = found + len(form)
            ident = high + 1
            continue
        word = words[ident]
        found = text.find(word.form, position)
        if found < 0:
            stats["unaligned"] += 1
            return None
        word.start, word.end = found, found + len(word.form)
        position = word.end
        ident += 1
    tokens = tokenize(text)
    # Each word belongs to the token its first character is in; a token no word starts in continues
    # the word it starts inside.
    token_of: dict[int, int] = {}
    k = 0
    for ident in sorted(words):
        word = words[ident]
        while k < len(tokens) and tokens[k].end <= word.start:
            k += 1
        if k == len(tokens) or tokens[k].start > word.start:
            stats["unaligned"] += 1
            return None
        token_of[ident] = k
    members: list[list[int]] = [[] for _ in tokens]
    for ident, k in token_of.items():
        members[k].append(ident)
    heads: list[int] = []
    labels: list[str] = []
    owner = -1
    for k in range(len(tokens)):
        if not members[k]:
            if owner < 0:
                stats["unaligned"] += 1
                return None
            heads.append(owner + 1)  # a piece of a word cut in several tokens
            labels.append("goeswith")
            continue
        owner = k
        outside = [i for i in members[k] if words[i].head == 0 or token_of[words[i].head] != k]
        if not outside:
            stats["unaligned"] += 1
            return None
        main = words[outside[0]]
        heads.append(0 if main.head == 0 else token_of[main.head] + 1)
        labels.append(ROOT_LABEL if main.head == 0 else collapse_label(main.deprel))
    if heads.count(0) != 1 or has_cycle(heads):
        stats["not a tree after re-cutting"] += 1
        return None
    return Sentence([t.text for t in tokens], heads, labels)


def has_cycle(heads: list[int]) -> bool:
    for start in range(1, len(heads) + 1):
        seen = 0
        at = start
        while at != 0:
            at = heads[at - 1]
            seen += 1
            if seen > len(heads):
                return True
    return False


def oracle(sentence: Sentence) -> Iterator[tuple[State, str]]:
    """The gold-path configurations of an arc-standard parse and the transition taken from each
    (forced transitions included); raises ValueError when the tree is not projective."""
    n = len(sentence.texts)
    heads = sentence.heads
    pending = Counter(heads)  # dependents not yet attached, per head
    state = State(n)
    while not state.done():
        stack = state.stack
        if len(stack) >= 2:
            top, below = stack[-1], stack[-2]
            if below != 0 and heads[below - 1] == top:
                yield state, "L-" + sentence.labels[below - 1]
                state.apply(1, sentence.labels[below - 1])
                pending[top] -= 1
                continue
            if heads[top - 1] == below and pending[top] == 0:
                yield state, "R-" + sentence.labels[top - 1]
                state.apply(2, sentence.labels[top - 1])
                pending[below] -= 1
                continue
        if state.next > n:
            raise ValueError("not projective")
        yield state, SHIFT
        state.apply(0, "")


def forced(state: State) -> bool:
    return sum(state.legal()) == 1 or (state.legal() == (False, False, True) and len(state.stack) == 2)


def tag_all(sentences: list[Sentence]) -> None:
    model = load_pos_model()
    for sentence in sentences:
        sentence.tags = tag_tokens(model, sentence.texts)


def transitions_of(sentences: list[Sentence]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for k, (head, label) in enumerate(zip(sentence.heads, sentence.labels, strict=True), start=1):
            if head:
                counts[("L-" if head > k else "R-") + label] += 1
    kept = sorted(name for name, count in counts.items() if count >= MIN_ARCS)
    for side in ("L-", "R-"):
        if side + "dep" not in kept:
            kept.append(side + "dep")
    return (SHIFT, *sorted(kept))


def gold_states(
    sentences: list[Sentence], transitions: tuple[str, ...], stats: Counter[str]
) -> tuple[list[list[str]], list[int]]:
    """The features and gold transition of every unforced gold-path state."""
    column = {name: k for k, name in enumerate(transitions)}
    features: list[list[str]] = []
    golds: list[int] = []
    for sentence in sentences:
        assert sentence.tags is not None
        words, tags = padded(sentence.texts, sentence.tags)
        sentence_features: list[list[str]] = []
        sentence_golds: list[int] = []
        try:
            for state, name in oracle(sentence):
                if forced(state):
                    continue
                if name not in column:
                    name = name[:2] + "dep"
                sentence_features.append(state_features(words, tags, state))
                sentence_golds.append(column[name])
        except ValueError:
            stats["training sentences left out: not projective"] += 1
            continue
        stats["training sentences used"] += 1
        features += sentence_features
        golds += sentence_golds
    return features, golds


def legal_mask(state_legal: tuple[bool, bool, bool], transitions: tuple[str, ...]) -> np.ndarray:
    action = [0 if t == SHIFT else 1 if t.startswith("L-") else 2 for t in transitions]
    return np.array([0.0 if state_legal[a] else -np.inf for a in action])


def train(
    train_sentences: list[Sentence], dev: list[Sentence], epochs: int, stats: Counter[str]
) -> ParseModel:
    transitions = transitions_of(train_sentences)
    width = len(transitions)
    started = time.perf_counter()
    # The legal-transition mask of each state, recomputed from the gold path (cheap) as a key.
    all_features, golds = gold_states(train_sentences, transitions, stats)
    counts: Counter[str] = Counter(f for feats in all_features for f in feats)
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {name: row for row, name in enumerate(names, start=1)}
    del counts
    rows = [np.array([index[f] for f in feats if f in index], dtype=np.intp) for feats in all_features]
    masks = legal_masks(train_sentences, transitions)
    del all_features
    print(
        f"{len(rows)} gold-path states, {len(names)} features kept (seen on >= {MIN_COUNT} states), "
        f"{width} transitions ({time.perf_counter() - started:.0f}s)",
        flush=True,
    )
    weights = np.zeros((len(names) + 1, width), dtype=np.float64)
    stamped = np.zeros_like(weights)  # sum of step * update: averaged = weights - stamped / steps
    order = list(range(len(rows)))
    rng = random.Random(SEED)
    step = 1
    best: tuple[float, int, ParseModel] | None = None
    for epoch in range(epochs):
        rng.shuffle(order)
        started = time.perf_counter()
        wrong = 0
        for k in order:
            ids = rows[k]
            scores = weights[ids].sum(axis=0) + masks[k]
            guess = int(scores.argmax())
            truth = golds[k]
            if guess != truth and scores[guess] >= scores[truth]:
                wrong += 1
                weights[ids, truth] += 1.0
                weights[ids, guess] -= 1.0
                stamped[ids, truth] += step
                stamped[ids, guess] -= step
            step += 1
        averaged = weights - stamped / step
        model = to_model(transitions, names, averaged)
        uas, las = attachment(model, dev, [sentence.tags or [] for sentence in dev])[:2]
        print(
            f"epoch {epoch + 1}: {wrong / len(rows):.4f} training error; dev UAS {uas:.4f} LAS {las:.4f}"
            f" ({time.perf_counter() - started:.0f}s)",
            flush=True,
        )
        if best is None or las > best[0]:
            best = (las, epoch + 1, model)
    assert best is not None
    print(f"chosen: epoch {best[1]} (best dev LAS {best[0]:.4f})")
    return best[2]


def legal_masks(sentences: list[Sentence], transitions: tuple[str, ...]) -> list[np.ndarray]:
    """The legal-transition mask of each unforced gold-path state, in gold_states' order."""
    cache: dict[tuple[bool, bool, bool], np.ndarray] = {}
    out: list[np.ndarray] = []
    for sentence in sentences:
        sentence_masks: list[np.ndarray] = []
        try:
            for state, _ in oracle(sentence):
                if forced(state):
                    continue
                legal = state.legal()
                mask = cache.get(legal)
                if mask is None:
                    mask = cache[legal] = legal_mask(legal, transitions)
                sentence_masks.append(mask)
        except ValueError:
            continue
        out += sentence_masks
    return out


def pruned(model: ParseModel, below: float) -> ParseModel:
    """The model with weights below `below` (absolute) zeroed and features left without weights dropped.
    Deterministic: pruning the shipped 0.5 file of commit 058647e gives the shipped file."""
    matrix = model.matrix[1:].copy()
    matrix[np.abs(matrix) < below] = 0.0
    keep = np.flatnonzero(np.abs(matrix).max(axis=1) > 0)
    full = np.vstack([np.zeros((1, matrix.shape[1]), dtype=np.float32), matrix[keep]])
    return ParseModel(model.tags, tuple(model.features[k] for k in keep.tolist()), full)


def to_model(transitions: tuple[str, ...], names: list[str], averaged: np.ndarray) -> ParseModel:
    """The averaged weights, rounded, small ones zeroed, features left with no weight dropped."""
    matrix = np.round(averaged[1:], DECIMALS).astype(np.float32)
    matrix[np.abs(matrix) < PRUNE_BELOW] = 0.0
    keep = np.flatnonzero(np.abs(matrix).max(axis=1) > 0)
    full = np.vstack([np.zeros((1, len(transitions)), dtype=np.float32), matrix[keep]])
    return ParseModel(transitions, tuple(names[k] for k in keep.tolist()), full)


def attachment(
    model: ParseModel, sentences: list[Sentence], tags: list[list[str]]
) -> tuple[float, float, float]:
    """(UAS, LAS, seconds) over the non-punctuation tokens (gold label "punct" left out)."""
    started = time.perf_counter()
    parsed = [parse_tokens(model, s.texts, t) for s, t in zip(sentences, tags, strict=True)]
    elapsed = time.perf_counter() - started
    return (*_scores(sentences, parsed), elapsed)


def _scores(sentences: list[Sentence], parsed: list[tuple[list[int], list[str]]]) -> tuple[float, float]:
    """(UAS, LAS) of parsed (heads, labels) against the gold trees, punctuation left out."""
    right = labelled = total = 0
    for sentence, (heads, labels) in zip(sentences, parsed, strict=True):
        for gold_head, gold_label, head, label in zip(
            sentence.heads, sentence.labels, heads, labels, strict=True
        ):
            if gold_label == "punct":
                continue
            total += 1
            if head == gold_head:
                right += 1
                labelled += label == gold_label
    return right / max(total, 1), labelled / max(total, 1)


VERBS = frozenset({"VERB"})


def baseline_parse(tags: list[str], label_of: dict[tuple[str, bool], str]) -> tuple[list[int], list[str]]:
    """Nearest-verb baseline: the first verb is the root, other verbs hang from it, every other
    token from the nearest verb (ties: the one before), or from the previous token when there is no
    verb; labels are the commonest one for the (tag, head before/after) in training."""
    verbs = [k for k, tag in enumerate(tags, start=1) if tag in VERBS]
    heads: list[int] = []
    for k in range(1, len(tags) + 1):
        if not verbs:
            heads.append(k - 1)
        elif k == verbs[0]:
            heads.append(0)
        elif k in verbs:
            heads.append(verbs[0])
        else:
            heads.append(min(verbs, key=lambda v: (abs(v - k), v)))
    labels = [
        ROOT_LABEL if head == 0 else label_of.get((tag, head < k), "dep")
        for k, (head, tag) in enumerate(zip(heads, tags, strict=True), start=1)
    ]
    return heads, labels


def baseline_attachment(train_sentences: list[Sentence], sentences: list[Sentence]) -> tuple[float, float]:
    by_key: dict[tuple[str, bool], Counter[str]] = {}
    for sentence in train_sentences:
        assert sentence.tags is not None
        for k, (head, label, tag) in enumerate(
            zip(sentence.heads, sentence.labels, sentence.tags, strict=True), start=1
        ):
            if head:
                by_key.setdefault((tag, head < k), Counter())[label] += 1
    label_of = {key: counts.most_common(1)[0][0] for key, counts in by_key.items()}
    parsed = []
    for sentence in sentences:
        assert sentence.tags is not None
        parsed.append(baseline_parse(sentence.tags, label_of))
    return _scores(sentences, parsed)


def speed(model: ParseModel, sentences: list[Sentence], rounds: int = 3) -> None:
    """Parse and tag time per sentence over the same sentences, best of `rounds` each, alternating:
    all test sentences, and those of 25 to 35 tokens (news sentences naming two countries are long)."""
    pos_model = load_pos_model()
    for name, chosen in (
        ("EWT test sentences", sentences),
        ("EWT test sentences of 25-35 tokens", [s for s in sentences if 25 <= len(s.texts) <= 35]),
    ):
        texts = [s.texts for s in chosen]
        tags = [tag_tokens(pos_model, t) for t in texts]  # warms the tagger's per-word caches
        for t, g in zip(texts, tags, strict=True):
            parse_tokens(model, t, g)  # and the parser's
        parse_best = tag_best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            for t in texts:
                tag_tokens(pos_model, t)
            tag_best = min(tag_best, time.perf_counter() - started)
            started = time.perf_counter()
            for t, g in zip(texts, tags, strict=True):
                parse_tokens(model, t, g)
            parse_best = min(parse_best, time.perf_counter() - started)
        tokens = sum(map(len, texts))
        per_parse = 1e3 * parse_best / len(texts)
        per_tag = 1e3 * tag_best / len(texts)
        per_token = 1e3 * per_parse * len(texts) / tokens
        print(
            f"speed over {len(texts)} {name} ({tokens / len(texts):.1f} tokens each), best of {rounds}:"
            f" parse {per_parse:.3f} ms/sentence, tag {per_tag:.3f} ms/sentence"
            f" (parse/tag {per_parse / per_tag:.1f}x); parse {per_token:.1f} us/token"
        )
    load = os.getloadavg()[0]
    print(f"load average (1 min) after timing: {load:.2f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    parser.add_argument("--output", type=Path, default=data_dir() / MODEL_FILE)
    parser.add_argument("--evaluate-only", action="store_true", help="score the shipped model")
    parser.add_argument("--ship-below", type=float, default=SHIP_BELOW, help="prune the saved file at")
    parser.add_argument(
        "--prune-from",
        type=Path,
        help="no training: prune this model file at --ship-below into --output (and score it)",
    )
    args = parser.parse_args()
    if not TREEBANK.exists():
        print(f"skipped: {TREEBANK} is absent (the treebank lives in ../shared, beside the checkout)")
        return
    splits: dict[str, list[Sentence]] = {}
    for split in ("train", "dev", "test"):
        stats: Counter[str] = Counter()
        splits[split] = list(read_conllu(TREEBANK / f"en_ewt-ud-{split}.conllu", stats))
        print(f"{split}: {len(splits[split])} of {stats['sentences']} sentences aligned; {dict(stats)}")
    train_sentences = splits["train"][: args.limit] if args.limit else splits["train"]
    for sentences in splits.values():
        tag_all(sentences)
    if args.prune_from:
        full = read_parse_model(args.prune_from)
        save_model(pruned(full, args.ship_below), args.output)
        model = read_parse_model(args.output)
        print(
            f"pruned {args.prune_from} at {args.ship_below}:"
            f" {len(full.features)} -> {len(model.features)} features"
        )
    elif args.evaluate_only:
        model = read_parse_model(args.output)
    else:
        stats = Counter()
        model = train(train_sentences, splits["dev"], args.epochs, stats)
        print(dict(stats))
        save_model(pruned(model, args.ship_below), args.output)
        size = args.output.stat().st_size
        model = read_parse_model(args.output)
        print(
            f"wrote {args.output} ({len(model.features)} features x {len(model.tags)} transitions,"
            f" {size / 1e6:.2f} MB, pruned at {args.ship_below})"
        )
    test = splits["test"]
    for name, sentences in (("dev", splits["dev"]), ("test", test)):
        uas, las, _ = attachment(model, sentences, [s.tags or [] for s in sentences])
        base_uas, base_las = baseline_attachment(train_sentences, sentences)
        print(
            f"EWT {name} (re-cut tokens, predicted tags, punctuation excluded): UAS {uas:.4f} LAS {las:.4f}"
            f" (nearest-verb baseline UAS {base_uas:.4f} LAS {base_las:.4f})"
        )
    speed(model, test)


if __name__ == "__main__":
    main()
