"""Where a keystroke's time goes over a dataset: each step of DatasetCorpus.view, per key.

The same keys as benchmarks/million_dataset.py (its QUERIES typed one character at a time), but
outside Textual: the dataset is read into a DatasetSession, its corpus built, then every prefix is
viewed in turn and each step timed (the filter's mask, the keyword, entity and pair panes, the
timeline; "other" is the rest of `view`: the articles table, parsing, and waiting for the
entity pane (and the pairs pane, with --corpus-keywords), which run on a second thread beside the
others, so that the steps add up to more than the wall time). A prefix the parser refuses
(an unclosed quote, `country:` without a value) is timed as the query error it raises. Wall times
summed over the keys, and each step's share, are printed with the load average: the machine is
shared, so compare runs made side by side.

Run: uv run python benchmarks/keystroke_stages.py --dataset DIR [--keys-only] [--corpus-keywords]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.million_dataset import QUERIES

# Steps run on the view's second thread, beside the others: their times overlap the wall time.
# The pairs pane joins the entities there only when the view makes the corpus keywords too.
SIDE_THREAD = ("entities",)
SIDE_THREAD_WITH_KEYWORDS = ("entities", "pairs")
STEPS = {
    "mask": ("DatasetFilterIndex", "matching_mask"),
    "keywords": ("HeldKeywordIndex", "top_of"),
    "entities": ("HeldEntityIndex", "counts_of"),
    "pairs": ("DatasetCorpus", "_pair_summary"),
    "timeline": ("DayAggregates", "counts"),
}


def _timed(spent: dict[str, float], step: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[step] += (time.perf_counter() - began) * 1000

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--keys-only", action="store_true", help="print the summary, not each key")
    parser.add_argument(
        "--corpus-keywords",
        action="store_true",
        help="make each view's corpus keywords too (the Keywords pane on the filtered set)",
    )
    args = parser.parse_args()

    from core.corpus.query_parse import QueryError
    from core.dataset import aggregate, corpus
    from core.dataset.session import DatasetSession

    load = "load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
    began = time.perf_counter()
    session = DatasetSession(args.dataset)
    for part in session.analyse(session.load().articles):
        session.add(part)
    built, _ = session.corpus()
    print(f"read and built {built.total:,} articles in {time.perf_counter() - began:.1f} s ({load})")
    built.view("")  # the unfiltered view is cached: the first key starts from a shown corpus

    spent: dict[str, float] = defaultdict(float)
    for step, (owner, name) in STEPS.items():
        cls = getattr(corpus, owner, None) or getattr(aggregate, owner)
        setattr(cls, name, _timed(spent, step, getattr(cls, name)))
    keys = [query[:i] for query in QUERIES for i in range(1, len(query) + 1)]
    side = SIDE_THREAD_WITH_KEYWORDS if args.corpus_keywords else SIDE_THREAD
    totals: dict[str, float] = defaultdict(float)
    times = []
    load = "load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
    for key in keys:
        spent.clear()
        began = time.perf_counter()
        with contextlib.suppress(QueryError):
            built.view(key, keywords_now=args.corpus_keywords)
        ms = (time.perf_counter() - began) * 1000
        # Entities (and pairs, with keywords) run on a second thread beside the rest (DatasetCorpus.view):
        # "other" is what the view's own thread spent outside its steps, waiting for that thread included.
        spent["other"] = ms - sum(v for step, v in spent.items() if step not in side)
        times.append(ms)
        for step, value in spent.items():
            totals[step] += value
        if not args.keys_only:
            steps = " ".join(f"{s}={v:.0f}" for s, v in spent.items() if v >= 0.5)
            print(f"{ms:7.0f} ms {key!r:34} {steps}")
    whole = sum(times)
    print(
        f"{len(keys)} keys: median {statistics.median(times):.0f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[18]:.0f} ms, max {max(times):.0f} ms, "
        f"sum {whole / 1000:.1f} s"
    )
    print("  by step: " + ", ".join(f"{s} {v / 1000:.1f} s ({v / whole:.0%})" for s, v in totals.items()))
    after = "load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
    print(f"  measuring from: {load}; after: {after}")


if __name__ == "__main__":
    main()
