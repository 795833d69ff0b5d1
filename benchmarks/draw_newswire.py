"""Draw the Reuters-21578 stories of the news-wire people/organisation dev set (reproducibly).

35 stories drawn with a fixed seed, at random among the stories of
../shared/corpora/reuters-train/corpus.jsonl whose body has at least 120 words. Prints their ids
(the labels in benchmarks/data/newswire_people_orgs.jsonl were made by reading these stories).
With --tune2: the 40 stories of the "tune2" part, drawn by the same rule with another seed among
the eligible stories not drawn for the first 35.
Run: uv run python benchmarks/draw_newswire.py [--show] [--tune2]   (--show prints the texts)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import corpus_dir, read_jsonl

SEED = 20261202
COUNT = 35
MIN_WORDS = 120
# The "tune2" part (issue 12, fourth round): 40 more stories, drawn by the same rule with another
# seed among the eligible stories not drawn above, so that there is enough Reuters copy to tune on.
SEED_TUNE2 = 20261212
COUNT_TUNE2 = 40


def drawn_ids() -> list[str]:
    """The drawn story ids, in corpus order."""
    path = corpus_dir("reuters-train") / "corpus.jsonl"
    eligible = [r["id"] for r in read_jsonl(path) if len(r["text"].split()) >= MIN_WORDS]
    chosen = set(random.Random(SEED).sample(eligible, COUNT))
    return [identifier for identifier in eligible if identifier in chosen]


def tune2_ids() -> list[str]:
    """The "tune2" story ids, in corpus order: drawn like drawn_ids(), excluding those."""
    path = corpus_dir("reuters-train") / "corpus.jsonl"
    first = set(drawn_ids())
    eligible = [
        r["id"] for r in read_jsonl(path) if len(r["text"].split()) >= MIN_WORDS and r["id"] not in first
    ]
    chosen = set(random.Random(SEED_TUNE2).sample(eligible, COUNT_TUNE2))
    return [identifier for identifier in eligible if identifier in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", action="store_true", help="print each drawn story's text")
    parser.add_argument("--tune2", action="store_true", help="the 40 stories of the tune2 part instead")
    args = parser.parse_args()
    ids = tune2_ids() if args.tune2 else drawn_ids()
    if not args.show:
        print("\n".join(ids))
        return
    wanted = set(ids)
    for record in read_jsonl(corpus_dir("reuters-train") / "corpus.jsonl"):
        if record["id"] in wanted:
            print(f"=== {record['id']} | {record['title']}\n{record['text']}\n")


if __name__ == "__main__":
    main()
