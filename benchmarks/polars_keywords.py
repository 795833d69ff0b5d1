"""The Polars YAKE engine against the yake package: parity and speed on whole corpora.

Parity, on the BBC corpus (2,225 articles) and the bundled Wikinews corpus (361):
  tokens    articles whose tokens differ from yake's (segtok via yake's tokenize_sentences);
  yake      benchmarks.yake_rank.yake_keywords_batch against yake.KeywordExtractor with the same settings
            (n=2, window_size=1, top=20, seqm dedup at 0.9, features without "wcase": newsdesk's);
  newsdesk  core.keywords.batch (Polars) against core.keywords.rerank.extract_keywords (yake's objects).
  Measures: mean overlap of the top-10 sets (|A & B| / max(|A|, |B|)), share of articles with the
  same first keyword, share of keywords in both lists whose scores agree to 1e-6 relative; and
  the articles that differ most.
Speed, BBC: the plain single-process KeywordExtractor loop of the parity run is the baseline; the
engine runs once in this process (batches of 256) and once over all cores (this process plus
spawned workers, as `newsdesk analyze` runs; the workers' start-up is included). Ratios are
engine wall time / baseline wall time.
Scaling (--scale): 1k, 5k and 20k articles (BBC repeated, each repeat a distinct article),
each in a fresh process over all cores; time per article and peak RSS of the process tree.
The tokenizer's caches are cleared before every batch there, so repeats are not cheaper than
fresh text.

Run: uv run python benchmarks/polars_keywords.py [--scale] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import REPO, bbc_articles, peak_rss_mb, read_jsonl, shipped_yake_extractor
from benchmarks.yake_rank import yake_keywords_batch
from core.analysis.parallel import run_batches
from core.keywords.batch import extract_keywords_batch
from core.keywords.rerank import extract_keywords, phrase_stems
from core.keywords.yake.tokens import clear_caches, sentence_tokens

BATCH = 256
TOP = 10
Keywords = list[tuple[str, float]]


def _wikinews() -> list[tuple[str, str]]:
    rows = read_jsonl(REPO / "data" / "corpus" / "wikinews.jsonl")
    return [(row["title"], row["text"]) for row in rows]


def _compare(name: str, docs: list[str], theirs: list[Keywords], ours: list[Keywords]) -> None:
    overlaps, same_first, agreeing, shared, largest = [], 0, 0, 0, 0.0
    worst: list[tuple[float, int]] = []
    for index, (a, b) in enumerate(zip(theirs, ours, strict=True)):
        top_a, top_b = {k for k, _ in a[:TOP]}, {k for k, _ in b[:TOP]}
        overlap = len(top_a & top_b) / max(len(top_a), len(top_b)) if top_a or top_b else 1.0
        overlaps.append(overlap)
        same_first += (a[:1] and b[:1] and a[0][0] == b[0][0]) or (not a and not b)
        scores = dict(b)
        for keyword, score in a:
            if keyword in scores:
                shared += 1
                agreeing += abs(scores[keyword] - score) <= 1e-6 * abs(score)
                largest = max(largest, abs(scores[keyword] - score) / abs(score) if score else 0.0)
        worst.append((overlap, index))
    print(
        f"  {name:9} mean top-{TOP} overlap {sum(overlaps) / len(overlaps):.4f}   same first keyword "
        f"{same_first / len(docs):.2%}   scores within 1e-6: {agreeing}/{shared} "
        f"(largest relative difference {largest:.1e})"
    )
    for overlap, index in sorted(worst)[:3]:
        if overlap < 1.0:
            print(f"    differs most: article {index} (overlap {overlap:.2f}): {docs[index][:70]!r}")


def _tokens_differ(docs: list[str]) -> list[int]:
    from yake.data.utils import pre_filter, tokenize_sentences

    return [
        i
        for i, doc in enumerate(docs)
        if sentence_tokens(doc) != tokenize_sentences(pre_filter(doc.replace("\n", " ")))
    ]


def parity(label: str, articles: list[tuple[str, str]]) -> None:
    """Print the parity figures for a corpus."""

    docs = [f"{title}\n{text}" if title else text for title, text in articles]
    print(f"\n{label}: {len(docs)} articles")
    differ = _tokens_differ(docs)
    print(f"  tokens    {len(differ)} articles tokenized differently from segtok {differ[:5]}")
    extractor = shipped_yake_extractor()
    reference = [[(k, float(s)) for k, s in extractor.extract_keywords(doc)] for doc in docs]
    _compare("yake", docs, reference, yake_keywords_batch(docs))
    per_article = [extract_keywords(title, text) for title, text in articles]
    _compare("newsdesk", docs, per_article, extract_keywords_batch(articles))


def _batched(articles: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [articles[i : i + BATCH] for i in range(0, len(articles), BATCH)]


def _cold_batch(batch: list[tuple[str, str]]) -> int:
    clear_caches()
    phrase_stems.cache_clear()
    return len(extract_keywords_batch(batch))


def _yake_ranking(batch: list[tuple[str, str]]) -> int:
    return len(yake_keywords_batch([f"{title}\n{text}" if title else text for title, text in batch]))


def run_engine(
    articles: list[tuple[str, str]], workers: int, cold: bool = False, yake_ranking: bool = False
) -> float:
    """Wall seconds for keywords of every article over `workers` processes (this one included,
    as `newsdesk analyze` runs them: core.analysis.parallel.run_batches with help_here). yake_ranking:
    yake's own ranking and dedup (exactly KeywordExtractor's work) instead of newsdesk's."""
    work = _yake_ranking if yake_ranking else _cold_batch if cold else extract_keywords_batch
    started = time.perf_counter()
    for _ in run_batches(work, _batched(articles), workers, help_here=True):
        pass
    return time.perf_counter() - started


def _plain_loop(docs: list[str]) -> float:
    extractor = shipped_yake_extractor()
    started = time.perf_counter()
    for doc in docs:
        extractor.extract_keywords(doc)
    return time.perf_counter() - started


def speed(articles: list[tuple[str, str]], rounds: int) -> None:
    """Best of interleaved rounds, so background noise on the machine hits every run alike."""
    workers = os.cpu_count() or 1
    docs = [f"{title}\n{text}" if title else text for title, text in articles]
    plain, single, pooled, yake_single, yake_pooled = [], [], [], [], []
    for _ in range(rounds):
        plain.append(_plain_loop(docs))
        clear_caches()  # every run starts as a fresh process would: nothing tokenized yet
        single.append(run_engine(articles, 1))
        clear_caches()
        pooled.append(run_engine(articles, workers))
        clear_caches()
        yake_single.append(run_engine(articles, 1, yake_ranking=True))
        clear_caches()
        yake_pooled.append(run_engine(articles, workers, yake_ranking=True))
    baseline = min(plain)
    print(f"\nspeed on BBC ({len(articles)} articles), wall seconds, best of {rounds}")
    print(f"  yake.KeywordExtractor loop, 1 process   {baseline:7.2f}")
    print(
        f"  Polars engine, 1 process                {min(single):7.2f}   ratio {min(single) / baseline:.3f}"
    )
    label = f"Polars engine, {workers} processes"
    print(f"  {label:39} {min(pooled):7.2f}   ratio {min(pooled) / baseline:.3f}")
    print("  the same with yake's own ranking and seqm dedup (KeywordExtractor's exact work):")
    print(f"  {'  1 process':39} {min(yake_single):7.2f}   ratio {min(yake_single) / baseline:.3f}")
    label = f"  {workers} processes"
    print(f"  {label:39} {min(yake_pooled):7.2f}   ratio {min(yake_pooled) / baseline:.3f}")
    rounds_text = "; ".join(
        f"{a:.1f} / {b:.2f} / {c:.2f}" for a, b, c in zip(plain, single, pooled, strict=True)
    )
    print(f"  rounds (plain / 1 process / all): {rounds_text}")


def scale_one(size: int) -> None:
    """Child mode: keywords for `size` BBC articles over all cores; print seconds and peak RSS."""
    bbc = bbc_articles()
    # Each repeat is a distinct article (its own id); the engine sees the same text again.
    articles = [bbc[i % len(bbc)] for i in range(size)]
    seconds = run_engine(articles, os.cpu_count() or 1, cold=True)
    rss = peak_rss_mb() + peak_rss_mb(children=True)
    print(f"{seconds} {rss}")


def scaling() -> None:
    print("\nscaling (all cores, tokenizer caches cleared per batch; a fresh process per size)")
    print(f"  {'articles':>8} {'wall s':>8} {'ms/article':>11} {'peak RSS MB (self + worker)':>28}")
    timings = []
    for size in (1_000, 5_000, 20_000):
        out = subprocess.run(
            [sys.executable, __file__, "--scale-one", str(size)], capture_output=True, text=True, check=True
        ).stdout.split()
        seconds, rss = float(out[-2]), float(out[-1])
        timings.append((size, seconds))
        print(f"  {size:8} {seconds:8.2f} {1000 * seconds / size:11.3f} {rss:28.0f}")
    # Start-up (worker imports) is a fixed cost; the cost of each further article is the slope.
    (small, t_small), (_, t_mid), (large, t_large) = timings
    print(
        f"  marginal ms/article, 1k -> 20k: {1000 * (t_large - t_small) / (large - small):.3f}; "
        f"5k -> 20k: {1000 * (t_large - t_mid) / 15_000:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="only the first N BBC articles (quick check)")
    parser.add_argument("--scale", action="store_true", help="also run the 1k/5k/20k scaling runs")
    parser.add_argument("--rounds", type=int, default=2, help="speed rounds (best of; default 2)")
    parser.add_argument("--no-parity", action="store_true", help="skip the parity section")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_one:
        scale_one(args.scale_one)
        return
    bbc = bbc_articles()[: args.limit] if args.limit else bbc_articles()
    # Speed first, in a process that holds nothing else: the parity run leaves millions of live
    # objects behind, and the garbage collector then slows the (allocation-heavy) yake loop.
    speed(bbc, args.rounds)
    if not args.no_parity:
        parity("bundled Wikinews corpus", _wikinews())
        parity("BBC corpus", bbc)
    if args.scale:
        scaling()


if __name__ == "__main__":
    main()
