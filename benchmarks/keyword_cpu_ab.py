"""Keyword CPU time of this checkout against another one (e.g. the previous release), alternated.

Each run is a fresh process that computes keywords for the first 1,024 BBC articles in batches of
256 (one Polars thread, tokenizer caches cleared) and prints its best-of-2 CPU seconds; the two
checkouts take turns, so a neighbour's load hits both alike. Prints each pair's ratio (this / other)
and their median. Make the other checkout with `git worktree add` or `git archive REV | tar -x -C DIR`.

Run: uv run python benchmarks/keyword_cpu_ab.py OTHER_CHECKOUT [--pairs 6]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 1024
BATCH = 256


def child(root: str) -> None:
    """Child mode: CPU seconds for keywords of the first ARTICLES BBC articles with `root`'s code."""
    sys.path.insert(0, root)
    from benchmarks._shared import bbc_articles
    from core.keywords.batch import extract_keywords_batch
    from core.keywords.yake.tokens import clear_caches

    articles = bbc_articles()[:ARTICLES]
    extract_keywords_batch(articles[:64])  # imports and lazy loads outside the timing
    best = []
    for _ in range(2):
        clear_caches()
        started = time.process_time()
        for start in range(0, len(articles), BATCH):
            extract_keywords_batch(articles[start : start + BATCH])
        best.append(time.process_time() - started)
    print(min(best))


def run(root: Path) -> float:
    env = dict(os.environ, POLARS_MAX_THREADS="1")
    env.setdefault("NEWSDESK_SHARED", str(REPO.parent / "shared"))
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(root)], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("other", nargs="?", help="the other checkout's folder")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if not args.other:
        parser.error("name the other checkout's folder")
    ratios = []
    for pair in range(args.pairs):
        # Alternate which side goes first, so a trend in the load favours neither.
        order = [REPO, Path(args.other)] if pair % 2 == 0 else [Path(args.other), REPO]
        seconds = {root: run(root) for root in order}
        ratio = seconds[REPO] / seconds[Path(args.other)]
        ratios.append(ratio)
        other = seconds[Path(args.other)]
        print(f"pair {pair + 1}: this {seconds[REPO]:.2f} s, other {other:.2f} s, ratio {ratio:.3f}")
    spread = f"{min(ratios):.3f}-{max(ratios):.3f}"
    print(f"CPU ratio this / other: median {statistics.median(ratios):.3f} (range {spread})")


if __name__ == "__main__":
    main()
