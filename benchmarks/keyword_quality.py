"""Keyword quality on 500N-KPCrowd: P/R/F1@10 of newsdesk's shipped configuration vs plain YAKE.

Scoring (as the issue fixes it): the first 10 keywords of a story and its crowd gold keyphrases are
each lower-cased and Porter-stemmed word by word, then matched exactly as sets.
  macro  P, R and F1 computed per story, then averaged over stories (the headline figure; the
         issue's own numbers, 0.169/0.117/0.082 for YAKE n=1/2/3, are closest to this);
  micro  true/false positives and negatives summed over all stories, then one P, R and F1.
Stories with an empty body (51 of 500) are kept: only their title is scored.
Held-out check: the configuration was tuned on even-indexed stories (0, 2, 4, ...); the "even" and
"odd" columns give macro-F1@10 on each half, so a gap between them would flag overfitting.
--speed also times ms/article, single process, for the shipped configuration and default
yake.KeywordExtractor() (n=3) on the same texts: the issue's speed budget is "no slower than that".
Run: uv run --group bench python benchmarks/keyword_quality.py [--sweep] [--speed]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import SHARED, bbc_articles, corpus_dir, read_jsonl
from core.keywords.batch import extract_keywords_batch
from core.keywords.rerank import DEFAULT_CONFIG, KeywordConfig, extract_keywords

K = 10


@dataclasses.dataclass(frozen=True)
class Scores:
    """Macro and micro P/R/F1@K over a set of stories, plus macro-F1 on the even and odd halves."""

    macro_p: float
    macro_r: float
    macro_f1: float
    micro_p: float
    micro_r: float
    micro_f1: float
    even_f1: float
    odd_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _normaliser() -> Callable[[str], str]:
    from nltk.stem.porter import PorterStemmer

    stemmer = PorterStemmer()
    return lambda phrase: " ".join(stemmer.stem(w) for w in phrase.lower().split())


def score(predictions: list[list[str]], golds: list[list[str]]) -> Scores:
    """Macro and micro P/R/F1 at K (see the module docstring for the definitions)."""
    norm = _normaliser()
    tp = fp = fn = 0
    per_story: list[tuple[float, float, float]] = []
    for predicted, gold in zip(predictions, golds, strict=True):
        p = {norm(x) for x in predicted[:K]}
        g = {norm(x) for x in gold}
        hits = len(p & g)
        tp, fp, fn = tp + hits, fp + len(p - g), fn + len(g - p)
        precision = hits / len(p) if p else 0.0
        recall = hits / len(g) if g else 0.0
        per_story.append((precision, recall, _f1(precision, recall)))

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    micro_p = tp / (tp + fp) if tp + fp else 0.0
    micro_r = tp / (tp + fn) if tp + fn else 0.0
    return Scores(
        macro_p=mean([s[0] for s in per_story]),
        macro_r=mean([s[1] for s in per_story]),
        macro_f1=mean([s[2] for s in per_story]),
        micro_p=micro_p,
        micro_r=micro_r,
        micro_f1=_f1(micro_p, micro_r),
        even_f1=mean([s[2] for s in per_story[0::2]]),
        odd_f1=mean([s[2] for s in per_story[1::2]]),
    )


def _plain_yake(args: tuple[int, str]) -> list[str]:
    import yake

    n, text = args
    return [p for p, _ in yake.KeywordExtractor(lan="en", n=n, top=K).extract_keywords(text)]


def _newsdesk(args: tuple[KeywordConfig, str, str]) -> list[str]:
    config, title, text = args
    return [p for p, _ in extract_keywords(title, text, config)[:K]]


def _sweep_configs() -> list[tuple[str, KeywordConfig]]:
    """One-at-a-time departures from the shipped configuration: what each choice is worth."""
    d = DEFAULT_CONFIG
    variants: list[tuple[str, KeywordConfig]] = [
        ("  yake_weight=0 (occurrences x letters only)", dataclasses.replace(d, yake_weight=0.0)),
        ("  yake_weight=0.25", dataclasses.replace(d, yake_weight=0.25)),
        ("  yake_weight=1 (YAKE at full weight)", dataclasses.replace(d, yake_weight=1.0)),
        ("  max_word_chars=99 (no length cap)", dataclasses.replace(d, max_word_chars=99)),
        ("  max_word_chars=1 (length ignored)", dataclasses.replace(d, max_word_chars=1)),
        ("  case_feature=True (YAKE's capital boost)", dataclasses.replace(d, case_feature=True)),
        ("  phrase_share=0.65 (looser phrases)", dataclasses.replace(d, phrase_share=0.65)),
        ("  phrase_min_count=99 (single words only)", dataclasses.replace(d, phrase_min_count=99)),
        ("  max_ngram=3", dataclasses.replace(d, max_ngram=3)),
        ("  window_size=2", dataclasses.replace(d, window_size=2)),
        ("  stem_dedup=False", dataclasses.replace(d, stem_dedup=False)),
    ]
    return variants


def _ms_per_article(run: Callable[[str, str], object], docs: list[tuple[str, str]]) -> float:
    started = time.process_time()
    for title, text in docs:
        run(title, text)
    return 1000 * (time.process_time() - started) / len(docs)


def speed(docs: list[tuple[str, str]], label: str) -> None:
    """Single-process CPU ms/article: shipped configuration vs default yake.KeywordExtractor()."""
    import yake

    extractor = yake.KeywordExtractor()
    warm = docs[:5]
    _ms_per_article(lambda t, x: extractor.extract_keywords(f"{t}\n{x}"), warm)
    _ms_per_article(lambda t, x: extract_keywords(t, x), warm)
    # Interleave two rounds so a noisy neighbour on the machine hits both sides alike.
    plain: list[float] = []
    shipped: list[float] = []
    for _ in range(2):
        plain.append(_ms_per_article(lambda t, x: extractor.extract_keywords(f"{t}\n{x}"), docs))
        shipped.append(_ms_per_article(lambda t, x: extract_keywords(t, x), docs))
    p, s = min(plain), min(shipped)
    print(f"\nspeed on {label} ({len(docs)} articles, 1 process, CPU ms/article, best of 2)")
    print(f"  yake.KeywordExtractor() n=3   {p:7.2f}")
    print(f"  newsdesk (shipped)            {s:7.2f}   ratio {s / p:.2f}")


def _bbc_sample(limit: int) -> list[tuple[str, str]]:
    return bbc_articles()[:: max(1, 2225 // limit)][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sweep", action="store_true", help="also score one-at-a-time config variants")
    parser.add_argument("--speed", action="store_true", help="also time ms/article vs default yake")
    args = parser.parse_args()

    folder = corpus_dir("kpcrowd")
    gold = {row["id"]: row["keyphrases"] for row in read_jsonl(folder / "gold.jsonl")}
    docs = [row for row in read_jsonl(folder / "corpus.jsonl") if row["id"] in gold]
    golds = [gold[d["id"]] for d in docs]
    print(f"500N-KPCrowd: {len(docs)} stories, {sum(map(len, golds))} gold keyphrases; P/R/F1 at {K}")

    rows: list[tuple[str, Scores]] = []
    with ProcessPoolExecutor() as pool:
        texts = [f"{d['title']}\n{d['text']}" for d in docs]
        for n in (1, 2, 3):
            preds = list(pool.map(_plain_yake, [(n, t) for t in texts], chunksize=8))
            rows.append((f"yake.KeywordExtractor(n={n})", score(preds, golds)))
        configs = [("newsdesk (shipped)", DEFAULT_CONFIG)]
        if args.sweep:
            configs += _sweep_configs()
        for label, cfg in configs:
            preds = list(pool.map(_newsdesk, [(cfg, d["title"], d["text"]) for d in docs], chunksize=8))
            rows.append((label, score(preds, golds)))
        # The same configuration through the batched Polars engine (the default since issue 6).
        batched = extract_keywords_batch([(d["title"], d["text"]) for d in docs])
        rows.insert(
            4, ("newsdesk (shipped), Polars engine", score([[p for p, _ in ks[:K]] for ks in batched], golds))
        )

    header = f"{'configuration':46} {'macro P':>7} {'R':>6} {'F1':>6} {'micro P':>7} {'R':>6} {'F1':>6}"
    print(f"{header} {'F1 even':>7} {'odd':>6}")
    for label, s in rows:
        print(
            f"{label:46} {s.macro_p:7.3f} {s.macro_r:6.3f} {s.macro_f1:6.3f} "
            f"{s.micro_p:7.3f} {s.micro_r:6.3f} {s.micro_f1:6.3f} {s.even_f1:7.3f} {s.odd_f1:6.3f}"
        )

    if args.speed:
        speed([(d["title"], d["text"]) for d in docs], "KPCrowd")
        if (SHARED / "corpora" / "bbc").exists():
            speed(_bbc_sample(300), "a BBC sample")


if __name__ == "__main__":
    main()
