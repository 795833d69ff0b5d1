"""Would more features move the keyword list's trade-off between 500N-KPCrowd and DUC-2001?

A probe, not a trainer: it takes the candidates benchmarks/train_keyphrase_ranker.py caches (every
story's words from the word ranking and its phrase candidates, with the shipped features and gold
labels), adds per-article features the engines do not compute, fits the same conditional logit on
the EVEN stories of both sets and prints macro-F1@10 all / even / odd for a few KPCrowd shares
(the balance that moves along the trade-off), beside the same fit with the shipped features only.
A feature set helps only if, at equal KPCrowd, DUC is higher (or the reverse) on the odd stories.

The list is rebuilt as the engine builds it: the article's 20 best phrases by their fitted value,
then phrases and words by value (ties: phrase first, then rank), near-duplicates skipped, first 10.

Added features (each per article, none needs other articles; 0 where it does not apply):
  words    word_first     -log(1 + index of the first sentence that holds the word; headline 0)
           word_headline  1 if the headline holds it
           word_log_tf    log of its occurrences in the article
           word_name      share of its occurrences written as a name (capitalised mid-sentence, acronym)
           word_zipf      its frequency in general English (wordfreq's zipf scale, 0-8)
  phrases  phrase_zipf            mean zipf of its words
           phrase_words_headline  share of its words the headline holds
           phrase_words_first     mean over its words of word_first
  both     doc_length     log(1 + words in the article), for phrases only (the trade per story)
The zipf features need `wordfreq` (not a dependency, since it did not help):
  uv run --group bench --with wordfreq python benchmarks/keyphrase_feature_probe.py [--direct]
Without it those rows are skipped. --words-only drops the phrases and fits KPCrowd alone (share
0.999): how far word features alone could take KPCrowd. --direct also refines each fit by
coordinate ascent on the even stories' F1@10 itself (steps 0.2, 0.1, 0.05), to see whether the
logit's objective is what holds the list back.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import SHARED, read_jsonl
from benchmarks.train_keyphrase_ranker import SETS, Story, fit, load_stories
from core.keywords.phrases import _PUNCT_CHARS, PHRASE_POOL, _word, default_config, term_key
from core.keywords.rerank import KeptPhrases, keyword_document
from core.keywords.stopwords import yake_stopwords
from core.keywords.yake.tokens import sentence_tokens

K = 10
SHIPPED_PHRASE = ("word_frequency", "phrase_frequency", "position", "name")
SHIPPED_WORD = ("word_rank", "sticky_word", "verb_like_word")
WORD_FEATURES = ("word_first", "word_headline", "word_log_tf", "word_name", "word_zipf")
PHRASE_FEATURES = ("phrase_zipf", "phrase_words_headline", "phrase_words_first", "doc_length")
VARIANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (extra phrase features, extra word features)
    "shipped features": ((), ()),
    "words: first, headline, log tf, name": ((), ("word_first", "word_headline", "word_log_tf", "word_name")),
    "words: zipf; phrases: zipf": (("phrase_zipf",), ("word_zipf",)),
    "phrases: article length": (("doc_length",), ()),
    "headline: phrase's words, word": (
        ("phrase_words_headline", "phrase_words_first"),
        ("word_headline",),
    ),
    "all of the above": (PHRASE_FEATURES, WORD_FEATURES),
}
BALANCES = (0.55, 0.6, 0.65, 0.7, 0.75)
L2 = 0.03


def term_facts(document: str) -> dict[str, tuple[int, int, int]]:
    """term_key -> (first sentence, occurrences, occurrences written as a name), tokenised and
    keyed as core.keywords.phrases.phrase_candidates does."""
    config = default_config()
    facts: dict[str, list[int]] = {}
    for index, tokens in enumerate(sentence_tokens(document)):
        for position, token in enumerate(tokens):
            if all(c in _PUNCT_CHARS for c in token):
                continue
            word = _word(token, yake_stopwords(), config.filler)
            entry = facts.setdefault(word.term, [index, 0, 0])
            entry[1] += 1
            entry[2] += int(word.acronym or (word.noun_shape and position > 0))
    return {term: (first, count, names) for term, (first, count, names) in facts.items()}


def _zipf_lookup() -> Callable[[str], float] | None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return lambda word: float(zipf_frequency(word, "en"))


def add_features(story: Story, document: str, zipf: Callable[[str], float] | None) -> None:
    """The probe's features (see the module docstring) into story.features."""
    facts = term_facts(document)
    length = math.log1p(len(document.split()))
    size = len(story.surfaces)
    columns = {name: np.zeros(size) for name in WORD_FEATURES + PHRASE_FEATURES}
    for i, (surface, kind) in enumerate(zip(story.surfaces, story.kinds, strict=True)):
        words = surface.lower().split()
        if kind == 1 and len(words) == 1:
            first, count, names = facts.get(term_key(words[0]), (0, 1, 0))
            columns["word_first"][i] = -math.log1p(first)
            columns["word_headline"][i] = float(first == 0)
            columns["word_log_tf"][i] = math.log(count)
            columns["word_name"][i] = names / count
            columns["word_zipf"][i] = zipf(words[0]) if zipf else 0.0
        elif kind == 0:
            # A word missing from the facts (a token the phrase rule saw differently) counts as
            # first seen far down.
            firsts = [facts.get(term_key(w), (50, 1, 0))[0] for w in words]
            columns["phrase_words_headline"][i] = sum(f == 0 for f in firsts) / len(firsts)
            columns["phrase_words_first"][i] = sum(-math.log1p(f) for f in firsts) / len(firsts)
            columns["phrase_zipf"][i] = sum(zipf(w) for w in words) / len(words) if zipf else 0.0
            columns["doc_length"][i] = length
    story.features.update(columns)


def documents() -> dict[tuple[str, int], str]:
    """(set, index) -> the text keywords are drawn from, in load_stories' order."""
    out = {}
    for name in SETS:
        folder = SHARED / "corpora" / name
        gold = {row["id"] for row in read_jsonl(folder / "gold.jsonl")}
        rows = [row for row in read_jsonl(folder / "corpus.jsonl") if row["id"] in gold]
        for index, row in enumerate(rows):
            out[(name, index)] = keyword_document(row["title"], row["text"])
    return out


def words_only(story: Story) -> Story:
    """The story with its phrase candidates dropped."""
    keep = np.nonzero(story.kinds == 1)[0]
    return dataclasses.replace(
        story,
        surfaces=[story.surfaces[i] for i in keep],
        kinds=story.kinds[keep],
        ranks=story.ranks[keep],
        features={name: column[keep] for name, column in story.features.items()},
        labels=story.labels[keep],
        norms=[story.norms[i] for i in keep],
    )


class Model:
    """One feature set: the design matrix of a story (an intercept for phrases, phrase features
    zero on words, word features zero on phrases) and the list it ranks."""

    def __init__(self, phrase: Sequence[str], word: Sequence[str]) -> None:
        self.phrase = (*SHIPPED_PHRASE, *phrase)
        self.word = (*SHIPPED_WORD, *word)
        self._cache: dict[int, np.ndarray] = {}

    def design(self, story: Story) -> np.ndarray:
        key = id(story)
        if key not in self._cache:
            is_phrase = (story.kinds == 0).astype(float)
            zeros = np.zeros(len(story.kinds))
            columns = [is_phrase]
            columns += [story.features.get(n, zeros) * is_phrase for n in self.phrase]
            columns += [story.features.get(n, zeros) * (1.0 - is_phrase) for n in self.word]
            self._cache[key] = np.column_stack(columns)
        return self._cache[key]

    def f1(self, story: Story, theta: np.ndarray) -> float:
        value = self.design(story) @ theta
        phrases = np.nonzero(story.kinds == 0)[0]
        pool = sorted(phrases, key=lambda i: (-round(float(value[i]), 9), story.surfaces[i]))[:PHRASE_POOL]
        order = [(-value[i], 0, rank, int(i)) for rank, i in enumerate(pool)]
        order += [(-value[i], 1, int(story.ranks[i]), int(i)) for i in np.nonzero(story.kinds == 1)[0]]
        order.sort()
        kept = KeptPhrases()
        listed: set[str] = set()
        hits: set[str] = set()
        for *_, i in order:
            if kept.add(story.surfaces[i]):
                listed.add(story.norms[i])
                if story.labels[i]:
                    hits.add(story.norms[i])
                if len(kept.phrases) >= K:
                    break
        precision = len(hits) / len(listed) if listed else 0.0
        recall = len(hits) / story.gold if story.gold else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def figures(model: Model, stories: list[Story], theta: np.ndarray) -> dict[str, tuple[float, float, float]]:
    out = {}
    for name in SETS:
        f1 = np.array([model.f1(s, theta) for s in stories if s.name == name])
        out[name] = (float(f1.mean()), float(f1[0::2].mean()), float(f1[1::2].mean()))
    return out


def direct(model: Model, train: list[Story], theta: np.ndarray, balance: float) -> np.ndarray:
    """Coordinate ascent on balance x KPCrowd + (1 - balance) x DUC macro-F1@10 of `train`."""

    def objective(t: np.ndarray) -> float:
        kp = np.mean([model.f1(s, t) for s in train if s.name == "kpcrowd"])
        duc = np.mean([model.f1(s, t) for s in train if s.name != "kpcrowd"])
        return float(balance * kp + (1 - balance) * duc)

    best = objective(theta)
    for step in (0.2, 0.1, 0.05):
        improved = True
        while improved:
            improved = False
            for j in range(len(theta)):
                for sign in (1.0, -1.0):
                    trial = theta.copy()
                    trial[j] += sign * step
                    score = objective(trial)
                    if score > best + 1e-9:
                        best, theta, improved = score, trial, True
                        break
    return theta


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--direct", action="store_true", help="also refine each fit by coordinate ascent on F1"
    )
    parser.add_argument("--only", help="run only the variant whose name contains this")
    parser.add_argument(
        "--words-only",
        action="store_true",
        help="drop the phrase candidates and fit on KPCrowd alone: the word ranking's ceiling",
    )
    args = parser.parse_args()
    stories = load_stories()
    if stories is None:
        print(f"skipped: {SHARED / 'corpora'} lacks kpcrowd or duc2001-dev (they live in ../shared)")
        return
    zipf = _zipf_lookup()
    texts = documents()
    for story in stories:
        add_features(story, texts[(story.name, story.index)], zipf)
    if args.words_only:
        stories = [words_only(story) for story in stories]
    balances = (0.999,) if args.words_only else BALANCES
    train = [s for s in stories if s.index % 2 == 0]
    print(f"macro-F1@10 all (even = train / odd = held out); conditional logit, L2 {L2}")
    for label, (phrase, word) in VARIANTS.items():
        if args.only and args.only not in label:
            continue
        if zipf is None and ("phrase_zipf" in phrase or "word_zipf" in word):
            print(f"{label}: skipped (wordfreq is not installed)")
            continue
        model = Model(phrase, word)
        print(label)
        for balance in balances:
            theta = fit(train, L2, balance, model.design)
            fits = [("logit", theta)]
            if args.direct:
                fits.append(("direct", direct(model, train, theta, balance)))
            for how, weights in fits:
                result = figures(model, stories, weights)
                k, d = result["kpcrowd"], result["duc2001-dev"]
                print(
                    f"  KPCrowd share {balance:<5} {how:6}  KPCrowd {k[0]:.3f} ({k[1]:.3f} / {k[2]:.3f})"
                    f"   DUC dev {d[0]:.3f} ({d[1]:.3f} / {d[2]:.3f})",
                    flush=True,
                )


if __name__ == "__main__":
    main()
