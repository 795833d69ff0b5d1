"""How far can the stance model go? Three measurements behind issue 11's "a different instrument".

On the labelled GMB (Voice of America) training rows, cross-validated exactly as
benchmarks/train_stance.py does (same folds, same features, the shipped policy's thresholds):

1. Learning curve: each GMB fold scored by a model trained on the other folds' GMB rows
   subsampled to 25 / 50 / 75 / 100 % (the Wikinews rows always in). A curve still rising at 100 %
   says more labels would help; a flat one says they would not.
2. Commitment frontier: accuracy on event rows (neutral counted wrong, as the hidden set scores)
   against the share of label-neutral pairs given a stance, as the policy gives the model more say,
   up to a stance on every pair. Its top is the most this model's polarity could score on a set of
   event sentences only, by giving every co-mention a stance.
3. Parse features: the same models with features from the dependency parse (core.text.parse) of
   each sentence added: the word heading the two countries' lowest common ancestor, its relation,
   the words on the path between them, the ancestor's object/complement heads and negation.

Nothing is written; figures only. Skips cleanly without ../shared (the GMB text is read from it).

Run: uv run python benchmarks/stance_probe.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import train_stance as T  # noqa: E402
from relation_quality import SHARED  # noqa: E402

from core.relations.stance_model import Thresholds, decide, load_stance_model  # noqa: E402
from core.text.parse import parse  # noqa: E402
from core.text.stem import stem  # noqa: E402

NEGATORS = frozenset({"not", "never", "no"})


def answers(
    items: list[T.Example],
    probabilities: list[tuple[float, float]],
    chosen: Thresholds,
    fill_all: bool = False,
) -> list[str]:
    return [
        decide(chosen, e.coded, *p, True if fill_all else T.may_fill(e.evidence, e.only_pair))
        or e.coded.stance
        for e, p in zip(items, probabilities, strict=True)
    ]


def cross_validated(
    items: list[T.Example], features: list[list[str]], keep: float = 1.0, seed: int = 0
) -> list[tuple[float, float]]:
    """P(event), P(conflict) of every row from models trained without its fold (GMB rows of the
    other folds subsampled to `keep`)."""
    rng = random.Random(seed)
    rows = [
        T.Example(e.group, e.label, e.coded, e.only_pair, e.evidence, f)
        for e, f in zip(items, features, strict=True)
    ]
    probabilities = [(0.0, 0.0)] * len(rows)
    for group in sorted({e.group for e in rows}):
        others = [e for e in rows if e.group != group]
        gmb = [e for e in others if e.group.startswith("train")]
        kept = {id(e) for e in rng.sample(gmb, int(len(gmb) * keep))}
        model = T.train(
            [e for e in others if not e.group.startswith("train") or id(e) in kept], Thresholds(1.01, 1.01)
        )
        for i, e in enumerate(rows):
            if e.group == group:
                probabilities[i] = (
                    model.event.probability(e.features),
                    model.conflict.probability(e.features),
                )
    return probabilities


def parse_features(e: T.Example) -> list[str]:
    words = list(e.evidence.words)
    a, b = e.label["pair"]
    at_a, at_b = e.evidence.places.get(a), e.evidence.places.get(b)
    if not words or not at_a or not at_b:
        return []
    heads, labels = parse(words)

    def up(k: int) -> list[int]:  # 1-based token k and its heads to the root
        path = [k]
        while heads[path[-1] - 1] != 0 and len(path) < len(words):
            path.append(heads[path[-1] - 1])
        return path

    up_a, up_b = up(at_a[0][1] + 1), up(at_b[0][1] + 1)
    common = next((k for k in up_a if k in set(up_b)), None)
    if common is None:
        return []
    head = words[common - 1]
    features = [f"lca:{stem(head)}", f"lcarel:{labels[common - 1]}"]
    features += [
        f"path:{stem(words[k - 1])}" for k in up_a[1 : up_a.index(common)] + up_b[1 : up_b.index(common)]
    ]
    for child in (k + 1 for k, h in enumerate(heads) if h == common):
        if labels[child - 1] in {"obj", "xcomp", "ccomp", "obl"}:
            features.append(f"lca_{labels[child - 1]}:{stem(words[child - 1])}")
        if words[child - 1] in NEGATORS or words[child - 1].endswith("n't"):
            features += ["lca_neg", f"lca_neg:{stem(head)}"]
    return features


def main() -> None:
    if not (SHARED / "corpora").exists():
        print(f"skipped: {SHARED}/corpora is absent (the GMB rows' text is read from it)")
        return
    items = T.examples()
    shipped = load_stance_model().thresholds
    gmb = [i for i, e in enumerate(items) if e.group.startswith("train")]
    rows = [items[i] for i in gmb]

    def on_gmb(given: list[str]) -> tuple[float, float]:
        accuracy, neutral_given, _, _ = T.score(rows, [given[i] for i in gmb])
        return accuracy, neutral_given

    base = [e.features for e in items]
    print(
        f"{len(rows)} GMB rows ({sum(e.label['stance'] != 'neutral' for e in rows)} events); "
        "accuracy on event rows / label-neutral pairs given a stance"
    )
    coder = on_gmb([e.coded.stance for e in items])
    print(f"event coder alone: {coder[0]:.3f} / {coder[1]:.3f}")
    print("1. learning curve (shipped thresholds), two draws below 100 %:")
    for keep in (0.25, 0.5, 0.75, 1.0):
        shown = []
        for seed in (0, 1) if keep < 1 else (0,):
            accuracy, given = on_gmb(answers(items, cross_validated(items, base, keep, seed), shipped))
            shown.append(f"{accuracy:.3f} / {given:.3f}")
        print(f"   {keep:4.0%} of the other folds' GMB rows: " + ", ".join(shown))
    probabilities = cross_validated(items, base)
    print("2. commitment frontier (fill, venue, clear; a stance may go to any pair):")
    for fill, venue, clear in (
        (0.3, 0.4, 0.25),
        (0.3, 0.2, 0.0),
        (0.2, 0.2, 0.0),
        (0.0, 0.2, 0.0),
        (0.0, 0.0, 0.0),
    ):
        chosen = Thresholds(fill, shipped.flip, venue, shipped.margin, clear)
        accuracy, given = on_gmb(answers(items, probabilities, chosen, fill_all=fill < shipped.fill))
        print(f"   fill {fill:.2f} venue {venue:.2f} clear {clear:.2f}: {accuracy:.3f} / {given:.3f}")
    polarity = on_gmb(["conflict" if p[1] >= 0.5 else "cooperation" for p in probabilities])
    print(f"   the model's polarity on every pair: {polarity[0]:.3f} / {polarity[1]:.3f}")
    print("3. parse features added:")
    parsed = [f + parse_features(e) for e, f in zip(items, base, strict=True)]
    with_parse = cross_validated(items, parsed)
    accuracy, given = on_gmb(answers(items, with_parse, shipped))
    print(f"   shipped policy: {accuracy:.3f} / {given:.3f}")
    polarity = on_gmb(["conflict" if p[1] >= 0.5 else "cooperation" for p in with_parse])
    print(f"   the model's polarity on every pair: {polarity[0]:.3f} / {polarity[1]:.3f}")


if __name__ == "__main__":
    main()
