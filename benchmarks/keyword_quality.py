"""Keyword quality on 500N-KPCrowd: P/R/F1@10 of newsdesk's shipped configuration vs plain YAKE.

Scoring (as the issue fixes it): each phrase lower-cased, each word Porter-stemmed, exact match
against the crowd's gold keyphrases. Run: uv run --group bench python benchmarks/keyword_quality.py
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import corpus_dir, read_jsonl  # noqa: E402
from core.keywords import DEFAULT_CONFIG, KeywordConfig, extract_keywords  # noqa: E402

K = 10


def _normalise(phrase: str, stemmer) -> str:  # type: ignore[no-untyped-def]
    return " ".join(stemmer.stem(w) for w in phrase.lower().split())


def _plain_yake(args: tuple[int, str]) -> list[str]:
    import yake

    n, text = args
    return [p for p, _ in yake.KeywordExtractor(lan="en", n=n, top=K).extract_keywords(text)]


def _newsdesk(args: tuple[KeywordConfig, str, str]) -> list[str]:
    config, title, text = args
    return [p for p, _ in extract_keywords(title, text, config)[:K]]


def score(predictions: list[list[str]], golds: list[list[str]]) -> tuple[float, float, float]:
    from nltk.stem.porter import PorterStemmer

    stemmer = PorterStemmer()
    tp = fp = fn = 0
    for predicted, gold in zip(predictions, golds, strict=True):
        p = {_normalise(x, stemmer) for x in predicted[:K]}
        g = {_normalise(x, stemmer) for x in gold}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sweep", action="store_true", help="also score a grid of candidate configurations")
    args = parser.parse_args()

    folder = corpus_dir("kpcrowd")
    gold = {row["id"]: row["keyphrases"] for row in read_jsonl(folder / "gold.jsonl")}
    docs = [row for row in read_jsonl(folder / "corpus.jsonl") if row["id"] in gold]
    golds = [gold[d["id"]] for d in docs]
    print(f"500N-KPCrowd: {len(docs)} stories, {sum(map(len, golds))} gold keyphrases; P/R/F1 at {K}")

    rows: list[tuple[str, tuple[float, float, float]]] = []
    with ProcessPoolExecutor() as pool:
        for n in (1, 2, 3):
            texts = [f"{d['title']}\n{d['text']}" for d in docs]
            preds = list(pool.map(_plain_yake, [(n, t) for t in texts], chunksize=8))
            rows.append((f"yake.KeywordExtractor(n={n})", score(preds, golds)))
        configs = [("newsdesk (shipped)", DEFAULT_CONFIG)]
        if args.sweep:
            for n in (1, 2, 3):
                for window in (1, 2):
                    for stem_dedup in (True, False):
                        cfg = dataclasses.replace(
                            DEFAULT_CONFIG, max_ngram=n, window_size=window, stem_dedup=stem_dedup
                        )
                        configs.append((f"n={n} window={window} stem_dedup={stem_dedup}", cfg))
        for label, cfg in configs:
            preds = list(pool.map(_newsdesk, [(cfg, d["title"], d["text"]) for d in docs], chunksize=8))
            rows.append((label, score(preds, golds)))

    print(f"{'configuration':45} {'P@10':>6} {'R@10':>6} {'F1@10':>6}")
    for label, (p, r, f) in rows:
        print(f"{label:45} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
