"""Fit the keyword list's weights ([list] and [phrases.weights] in data/keyphrases.toml) as a
small learned ranker, on 500N-KPCrowd and the DUC-2001 development half together.

Every candidate the list may draw on (an article's words by the word ranking, and its phrase
candidates) gets the features the list already uses; the label is whether it matches a gold
keyphrase after lower-casing and Porter stemming (keyword_quality.py's rule). A conditional
logit (softmax over each story's candidates, so a story's share of gold does not matter, only
which of its candidates are gold) is fitted on the EVEN-indexed stories of both sets, each set
weighing the same and each story by what one hit is worth to its F1@10 (2 / (10 + gold)). The
variant (L2 strength, set balance) is chosen by F1@10 on the ODD stories, with the list
rebuilt as the engine builds it (by value, near-duplicates skipped, first 10).

Run: uv run --group bench python benchmarks/train_keyphrase_ranker.py [--write]
It prints train (even) and held (odd) F1@10 of each variant beside the previous configuration
(engine 6) and the one in data/keyphrases.toml,
and the chosen weights as TOML; --write puts them into data/keyphrases.toml. Exits 0 with a
message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import math
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import SHARED
from benchmarks.keyword_quality import ENGINE10_WEIGHTS, PREVIOUS_WEIGHTS, load_set
from core.keywords.phrases import (
    FEATURES,
    PHRASE_POOL,
    default_config,
    found_features,
    is_filler,
    phrase_candidates,
    term_key,
    word_classes,
)
from core.keywords.rerank import DEFAULT_CONFIG, KeptPhrases, _ranked, keyword_document
from core.keywords.stopwords import yake_stopwords
from core.paths import data_dir

K = 10
SETS = ("kpcrowd", "duc2001-dev")
WORD_POOL = 60  # the words compose_frame reads first (top x 3); far more than a top 10 reaches
CACHE = Path("/tmp/newsdesk_kwrank_features4.pkl")  # 4: the words_* phrase features


@dataclass
class Story:
    """One story's candidates: surfaces, kind (0 phrase, 1 word), raw features, gold labels."""

    name: str  # the set
    index: int  # position in the set (even: train, odd: held out)
    gold: int  # number of gold keyphrases (distinct after stemming)
    surfaces: list[str]
    kinds: np.ndarray
    ranks: np.ndarray  # a word's rank in the word ranking (0 for a phrase: story_f1 ranks them)
    features: dict[str, np.ndarray]
    labels: np.ndarray
    norms: list[str]  # lower-cased, Porter-stemmed surfaces (the benchmark's match form)


def _normaliser():  # type: ignore[no-untyped-def]
    from nltk.stem.porter import PorterStemmer

    stemmer = PorterStemmer()
    return lambda phrase: " ".join(stemmer.stem(w) for w in phrase.lower().split())


def _story(name: str, index: int, title: str, text: str, gold: list[str], norm) -> Story:  # type: ignore[no-untyped-def]
    config = DEFAULT_CONFIG
    phrases_config = default_config()
    document = keyword_document(title, text)
    gold_set = {norm(g) for g in gold}
    words = [w for w, _ in _ranked(document, config) if not is_filler(w, phrases_config.filler)][:WORD_POOL]
    found, terms = phrase_candidates(document, phrases_config, yake_stopwords())
    term_counts = terms.counts
    # stickiness as phrases_and_stickiness computes it
    sticky: dict[str, float] = {}
    for entry in found.values():
        if len(entry.words) == 2:
            for word in entry.words:
                share = entry.count / term_counts[word.term]
                sticky[word.term] = max(sticky.get(word.term, 0.0), share)
    verbs, adjectives = word_classes()
    rows: list[tuple[str, int, int, dict[str, float]]] = []
    for rank, word in enumerate(words):
        lower = word.lower()
        single = " " not in word
        feats = {
            "word_rank": math.log1p(rank),
            "sticky_word": sticky.get(term_key(lower), 0.0) if single else 0.0,
            "verb_like_word": float(single and word == lower and (lower in verbs or lower in adjectives)),
        }
        rows.append((word, 1, rank, feats))
    for entry in found.values():
        rows.append((entry.surface, 0, 0, found_features(entry, terms)))
    names = sorted({k for _, _, _, f in rows for k in f})
    return Story(
        name=name,
        index=index,
        gold=len(gold_set),
        surfaces=[r[0] for r in rows],
        kinds=np.array([r[1] for r in rows], dtype=np.int8),
        ranks=np.array([r[2] for r in rows]),
        features={n: np.array([r[3].get(n, 0.0) for r in rows]) for n in names},
        labels=np.array([norm(r[0]) in gold_set for r in rows], dtype=float),
        norms=[norm(r[0]) for r in rows],
    )


def load_stories(fresh: bool = False) -> list[Story] | None:
    """Both sets' stories with their candidates; cached in CACHE (the candidates do not depend on
    the weights this script fits; --fresh after a change to the word ranking or phrase rules)."""
    if not all((SHARED / "corpora" / name).exists() for name in SETS):
        return None
    if CACHE.exists() and not fresh:
        with CACHE.open("rb") as handle:
            return [Story(**fields) for fields in pickle.load(handle)]
    norm = _normaliser()
    stories: list[Story] = []
    for name in SETS:
        docs, golds = load_set(name)
        for index, (doc, gold) in enumerate(zip(docs, golds, strict=True)):
            stories.append(_story(name, index, doc["title"], doc["text"], gold, norm))
    with CACHE.open("wb") as handle:
        pickle.dump([dataclasses.asdict(story) for story in stories], handle)
    return stories


PHRASE_FEATURES = (
    "word_frequency",
    "phrase_frequency",
    "position",
    "name",
    "words_headline",
    "words_position",
)
WORD_FEATURES = ("word_rank", "sticky_word", "verb_like_word")
MODEL = ("is_phrase", *PHRASE_FEATURES, *WORD_FEATURES)
"""The ranker's features: 1 for a phrase (its intercept; words are the reference), the phrase
features of [phrases.weights] (0 for a word), and the word features of [list] (0 for a phrase):
log(1 + rank in the word ranking), stickiness, verb-like. max_words is 2, so three_words is 0."""


def _design(story: Story) -> np.ndarray:
    zeros = np.zeros(len(story.kinds))
    return np.column_stack(
        [(story.kinds == 0).astype(float)] + [story.features.get(name, zeros) for name in MODEL[1:]]
    )


def fit(
    train: list[Story], l2: float, balance: float, design: Callable[[Story], np.ndarray] | None = None
) -> np.ndarray:
    """Conditional logit by Newton's method: each story's gold candidates against a softmax over
    its candidates. Story weight: balance (KPCrowd) or 1 - balance (DUC) over the set's stories,
    times 2 / (10 + gold), what one hit adds to the story's F1@10. L2 penalty l2 / 100 per unit
    of total weight. `design` gives a story's feature matrix (default: MODEL's columns;
    benchmarks/keyphrase_feature_probe.py passes others)."""
    design = design or _design
    blocks, gains, weights = [], [], []
    for story in train:
        if story.labels.sum() == 0:
            continue  # no gold among its candidates: nothing to learn
        share = balance if story.name == "kpcrowd" else 1.0 - balance
        size = sum(1 for other in train if other.name == story.name)
        blocks.append(design(story))
        gains.append(story.labels)
        weights.append(share / size * 2.0 / (K + max(story.gold, 1)))
    columns = blocks[0].shape[1]
    theta = np.zeros(columns)
    total = sum(w * y.sum() for w, y in zip(weights, gains, strict=True))
    for _ in range(50):
        gradient = -l2 / 100 * total * theta
        hessian = l2 / 100 * total * np.eye(columns)
        for x, y, w in zip(blocks, gains, weights, strict=True):
            z = x @ theta
            p = np.exp(z - z.max())
            p /= p.sum()
            mean = p @ x
            positives = w * y.sum()
            gradient += w * (y @ x) - positives * mean
            hessian += positives * ((x * p[:, None]).T @ x - np.outer(mean, mean))
        step = np.linalg.solve(hessian, gradient)
        theta += step
        if np.abs(step).max() < 1e-9:
            break
    return theta


def weights_of(theta: np.ndarray) -> dict[str, float]:
    """The ranker as data/keyphrases.toml's keys, rounded to 3 decimals: a phrase's value is
    phrase_value + its [phrases.weights] sum (phrase_score 1, phrase_rank 0), a word's is the
    [list] word terms."""
    t = {name: round(float(value), 3) for name, value in zip(MODEL, theta, strict=True)}
    weights = {name: t[name] for name in PHRASE_FEATURES}
    weights.update(
        phrase_value=t["is_phrase"],
        phrase_rank=0.0,
        phrase_score=1.0,
        word_rank=-t["word_rank"],
        sticky_word=t["sticky_word"],
        verb_like_word=t["verb_like_word"],
    )
    return weights


def shipped_weights() -> dict[str, float]:
    config = default_config()
    return dict(config.weights) | dict(config.list_weights)


def story_f1(story: Story, w: dict[str, float]) -> float:
    """F1@10 of the list compose builds from these candidates under weights w (the engine's rule:
    phrase pool by score, values, ties to the phrase then rank, near-duplicates skipped)."""
    phrases = np.nonzero(story.kinds == 0)[0]
    zeros = np.zeros(len(story.kinds))
    score = np.zeros(len(story.kinds))
    for name in FEATURES:
        score += w.get(name, 0.0) * story.features.get(name, zeros)
    score = np.round(score, 9)
    pool = sorted(phrases, key=lambda i: (-score[i], story.surfaces[i]))[:PHRASE_POOL]
    candidates = []
    for rank, i in enumerate(pool):
        value = w["phrase_value"] - w["phrase_rank"] * math.log1p(rank) + w["phrase_score"] * score[i]
        candidates.append((-value, 0, rank, int(i)))
    for i in np.nonzero(story.kinds == 1)[0]:
        value = (
            -w["word_rank"] * story.features["word_rank"][i]
            + w["sticky_word"] * story.features["sticky_word"][i]
            + w["verb_like_word"] * story.features["verb_like_word"][i]
        )
        candidates.append((-value, 1, int(story.ranks[i]), int(i)))
    candidates.sort()
    kept = KeptPhrases()
    listed: set[str] = set()
    hits: set[str] = set()
    count = 0
    for *_, i in candidates:
        if kept.add(story.surfaces[i]):
            listed.add(story.norms[i])
            if story.labels[i]:
                hits.add(story.norms[i])
            count += 1
            if count >= K:
                break
    precision = len(hits) / len(listed) if listed else 0.0
    recall = len(hits) / story.gold if story.gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@functools.cache
def titles_only() -> frozenset[int]:
    """KPCrowd's stories with an empty body (51 of 500), by place: the list is scored without them,
    as keyword_quality.py's headline figure is (issue 13 counts KPCrowd's 450 news stories)."""
    docs, _ = load_set("kpcrowd")
    return frozenset(index for index, doc in enumerate(docs) if not doc["text"].strip())


def halves(stories: list[Story], w: dict[str, float]) -> dict[str, tuple[float, float, float]]:
    """(all, even, odd) macro-F1@10 per set; KPCrowd's stories without a body are left out (they
    stay in the fit: their titles still tell which candidates are gold)."""
    skipped = titles_only()
    out = {}
    for name in SETS:
        scored = [s for s in stories if s.name == name and not (name == "kpcrowd" and s.index in skipped)]
        f1 = np.array([story_f1(s, w) for s in scored])
        even = np.array([s.index % 2 == 0 for s in scored])
        out[name] = (float(f1.mean()), float(f1[even].mean()), float(f1[~even].mean()))
    return out


def _line(label: str, figures: dict[str, tuple[float, float, float]]) -> str:
    k, d = figures["kpcrowd"], figures["duc2001-dev"]
    return (
        f"{label:28} KPCrowd {k[0]:.3f} ({k[1]:.3f} / {k[2]:.3f})   "
        f"DUC dev {d[0]:.3f} ({d[1]:.3f} / {d[2]:.3f})"
    )


def write_weights(weights: dict[str, float], path: Path) -> None:
    """Replace the values of [phrases.weights] and [list] keys in place, keeping the comments."""
    section = ""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
            continue
        key, sep, _ = stripped.partition(" = ")
        if sep and section in ("[phrases.weights]", "[list]") and key in weights:
            lines[n] = f"{key} = {weights[key]:g}\n"
    path.write_text("".join(lines), encoding="utf-8")


L2 = (0.03, 0.3, 1.0)
# The selection rule's floor for DUC's odd (held-out) half: issue 13's bar (0.20 on a hidden half
# of DUC-2001) plus 0.01, since the hidden stories differ a little from ours. Until the sixth round
# the floor was engine 6's own DUC odd half (0.217), which kept DUC where it was and could not
# move the list towards KPCrowd's bar.
DUC_FLOOR = 0.21
BALANCE = (0.5, 0.525, 0.55, 0.575, 0.6, 0.625, 0.65, 0.675, 0.7, 0.725, 0.75)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="write the chosen weights to keyphrases.toml")
    parser.add_argument("--fresh", action="store_true", help=f"rebuild the candidate cache {CACHE}")
    args = parser.parse_args()
    stories = load_stories(args.fresh)
    if stories is None:
        print(f"skipped: {SHARED / 'corpora'} lacks kpcrowd or duc2001-dev (they live in ../shared)")
        return
    train = [s for s in stories if s.index % 2 == 0]
    print("macro-F1@10, all (even = train / odd = held out)")
    previous = halves(stories, PREVIOUS_WEIGHTS)
    print(_line("previous config (engine 6)", previous))
    print(_line("previous release (engine 10)", halves(stories, ENGINE10_WEIGHTS)))
    print(_line("data/keyphrases.toml now", halves(stories, shipped_weights())))
    # The rule: the best KPCrowd odd half whose DUC odd half is at least DUC_FLOOR (issue 13's bar
    # of 0.20 plus a margin for DUC's hidden half); ties to the better DUC odd half.
    best: tuple[float, float] | None = None
    chosen: dict[str, float] = {}
    for l2 in L2:
        for balance in BALANCE:
            weights = weights_of(fit(train, l2, balance))
            figures = halves(stories, weights)
            print(_line(f"ranker l2 {l2:g} balance {balance:g}", figures))
            kp_odd, duc_odd = figures["kpcrowd"][2], figures["duc2001-dev"][2]
            if duc_odd >= DUC_FLOOR and (best is None or (kp_odd, duc_odd) > best):
                best, chosen = (kp_odd, duc_odd), weights
    if not chosen:
        print(f"no variant keeps DUC's odd half at {DUC_FLOOR} or above: nothing to ship")
        return
    print("\nchosen (TOML):")
    for key, value in chosen.items():
        print(f"{key} = {value:g}")
    if args.write:
        write_weights(chosen, data_dir() / "keyphrases.toml")
        print(f"written to {data_dir() / 'keyphrases.toml'}")


if __name__ == "__main__":
    main()
