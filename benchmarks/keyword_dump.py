"""Dump every article's keywords (phrase, rank, score) for BBC + the bundled Wikinews corpus, or
compare a dump with the current engine: a change to the engine's mechanics must keep them equal.

Run: uv run python benchmarks/keyword_dump.py dump OUT.jsonl [--limit N] [--batch 256]
     uv run python benchmarks/keyword_dump.py check OUT.jsonl [--limit N] [--batch 256]
`check` recomputes the keywords and exits 1 at the first article whose list differs (phrases and
order exactly; scores to 1e-12). Batches of different sizes must give the same lists too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import REPO, bbc_articles, read_jsonl
from core.keywords.batch import extract_keywords_batch


def _articles(limit: int | None) -> list[tuple[str, tuple[str, str]]]:
    wikinews = [
        ("wikinews", (row["title"], row["text"]))
        for row in read_jsonl(REPO / "data" / "corpus" / "wikinews.jsonl")
    ]
    bbc = [("bbc", article) for article in bbc_articles()]
    every = wikinews + bbc
    return every[:limit] if limit else every


def _keywords(articles: list[tuple[str, str]], batch: int) -> list[list[tuple[str, float]]]:
    out: list[list[tuple[str, float]]] = []
    for start in range(0, len(articles), batch):
        out.extend(extract_keywords_batch(articles[start : start + batch]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["dump", "check"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    labelled = _articles(args.limit)
    found = _keywords([article for _, article in labelled], args.batch)
    if args.mode == "dump":
        with args.path.open("w", encoding="utf-8") as handle:
            for index, ((corpus, _), keywords) in enumerate(zip(labelled, found, strict=True)):
                rows = [[phrase, rank, score] for rank, (phrase, score) in enumerate(keywords)]
                handle.write(json.dumps({"corpus": corpus, "index": index, "keywords": rows}) + "\n")
        print(f"wrote {len(found)} articles' keywords to {args.path}")
        return
    expected = list(read_jsonl(args.path))
    if len(expected) < len(found):
        raise SystemExit(f"{args.path} holds {len(expected)} articles, {len(found)} computed")
    differ = 0
    for row, keywords in zip(expected, found, strict=False):
        want = row["keywords"]
        same = len(want) == len(keywords) and all(
            phrase == p and rank == r and abs(score - s) <= 1e-12
            for (phrase, rank, score), (r, (p, s)) in zip(want, enumerate(keywords), strict=True)
        )
        if not same:
            differ += 1
            if differ <= 3:
                print(
                    f"article {row['index']} ({row['corpus']}) differs:\n"
                    f"  was {want[:8]}\n  now {keywords[:8]}"
                )
    print(f"{len(found)} articles compared, {differ} differ")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
