"""Country detection quality and speed on Reuters-21578 (PLACES labels), newsdesk beside geotext.

Scores each article's SET of predicted countries against its gold set (micro precision, recall,
F1 over all articles) and top-1 accuracy: the most-mentioned predicted country (ties: the first
mentioned) is in the gold set; an article with no prediction is a miss. Articles with an empty gold
set (none in this split) add their predictions as false positives and are left out of top-1.

Run: uv run --group bench python benchmarks/country_detection.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import corpus_dir, read_jsonl
from core.articles import article_document
from core.countries.resolve import find_country_mentions
from core.text.sentences import split_sentences

# A detector maps a document to its predicted country codes, most-mentioned first.
Detector = Callable[[str], list[str]]


@dataclass
class Score:
    """Running micro counts and top-1 hits for one detector."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    top1_hits: int = 0
    top1_total: int = 0
    seconds: float = 0.0
    per_code_fn: Counter[str] = field(default_factory=Counter)

    def add(self, predicted: list[str], gold: set[str]) -> None:
        chosen = set(predicted)
        self.tp += len(chosen & gold)
        self.fp += len(chosen - gold)
        self.fn += len(gold - chosen)
        self.per_code_fn.update(gold - chosen)
        if gold:
            self.top1_total += 1
            self.top1_hits += bool(predicted) and predicted[0] in gold

    def row(self) -> tuple[float, float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        top1 = self.top1_hits / self.top1_total if self.top1_total else 0.0
        return precision, recall, f1, top1


def ranked(codes: Iterable[str]) -> list[str]:
    """Codes by mention count, ties in order of first mention (Counter keeps insertion order)."""
    return [code for code, _ in Counter(codes).most_common()]


def newsdesk(document: str, *, cities: bool = True) -> list[str]:
    mentions = find_country_mentions(document)
    return ranked(m.code for m in mentions if cities or m.how != "city")


def geotext_detector() -> Detector | None:
    try:
        from geotext import GeoText
    except ImportError:
        print("geotext is not installed (uv run --group bench ...): its row is skipped")
        return None

    def detect(document: str) -> list[str]:
        # country_mentions is already ordered by count, most mentioned first.
        return list(GeoText(document).country_mentions)

    return detect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    args = parser.parse_args()
    folder = corpus_dir("reuters-train")
    gold = {row["id"]: set(row["countries"]) for row in read_jsonl(folder / "gold.jsonl")}
    documents: list[tuple[str, set[str]]] = []
    for row in read_jsonl(folder / "corpus.jsonl"):
        documents.append((article_document(row.get("title") or "", row.get("text") or ""), gold[row["id"]]))
        if args.limit and len(documents) >= args.limit:
            break
    empty = sum(1 for _, g in documents if not g)

    detectors: dict[str, Detector] = {
        "newsdesk": newsdesk,
        "newsdesk, no cities": lambda d: newsdesk(d, cities=False),
    }
    baseline = geotext_detector()
    if baseline is not None:
        detectors["geotext 0.4.0"] = baseline
    scores: dict[str, Score] = {}
    for label, detect in detectors.items():
        score = Score()
        started = time.perf_counter()
        for document, gold_set in documents:
            score.add(detect(document), gold_set)
        score.seconds = time.perf_counter() - started
        scores[label] = score

    # Speed of country resolution alone, as the analysis calls it (sentences already split).
    prepared = [(d, split_sentences(d)) for d, _ in documents]
    started = time.perf_counter()
    for document, sentences in prepared:
        find_country_mentions(document, sentences)
    per_article_ms = (time.perf_counter() - started) / len(prepared) * 1000
    kilobytes = sum(len(d) for d, _ in prepared) / 1024 / len(prepared)

    print(f"Reuters-21578 train: {len(documents):,} articles, {empty} with an empty gold set")
    print(f"{'detector':<22} {'P':>6} {'R':>6} {'F1':>6} {'top-1':>6} {'seconds':>8}")
    for label, score in scores.items():
        p, r, f1, top1 = score.row()
        print(f"{label:<22} {p:6.3f} {r:6.3f} {f1:6.3f} {top1:6.3f} {score.seconds:8.1f}")
    print(f"newsdesk resolution alone: {per_article_ms:.3f} ms per article (mean {kilobytes:.1f} KB)")
    missed = ", ".join(f"{code} {n}" for code, n in scores["newsdesk"].per_code_fn.most_common(12))
    print(f"newsdesk's most missed gold codes: {missed}")


if __name__ == "__main__":
    main()
