"""Would the dependency parse give the event's direction? A probe on the labelled relation dev splits.

For each labelled directed event (stance not neutral, source and target given) of the development
splits (relations_dev.jsonl's tune + check, relations_check2..6.jsonl; never the held-out check7),
the sentence is parsed (core.text.parse, tokens cut as the event coder cuts them) and the countries
named in it (core.countries.resolve; leaders and other actors are not mapped here) are placed:
- plain: the root predicate's nsubj subtree is the source side; its obj, iobj and obl subtrees the
  target side;
- followed: the same, but from a root whose arguments do not hold both countries the predicate
  moves down its ccomp/xcomp child (a reporting or intent verb: "X said Y would ...", "X agreed to
  help Y"; an xcomp keeps the subject it inherits), and passives swap sides (nsubj:pass is the
  target, obl:agent the source).
The parse's direction is (country on the source side, country on the target side) when the
labelled pair's two countries are on opposite sides, else none. Printed beside the shipped event
coder's direction on the same events (right = source and target both equal the label's), and
what "the parse's direction where it gives one, else the coder's" would score. Articles,
labels and the coder's output are read with relation_quality.py's own functions.
Run: uv run python benchmarks/parse_probe.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.relation_quality import (
    CHECK2,
    CHECK3,
    CHECK4,
    CHECK5,
    CHECK6,
    DEV,
    article_key,
    coded_pairs,
    load_articles,
)
from core.articles import article_document
from core.countries.resolve import find_country_mentions
from core.relations.event_coder import tokenize
from core.relations.syntax import parse_direction, subtree
from core.text.parse import parse
from core.text.sentences import split_sentences

SPLITS = {
    "dev": DEV,
    "check2": CHECK2,
    "check3": CHECK3,
    "check4": CHECK4,
    "check5": CHECK5,
    "check6": CHECK6,
}
SOURCE_SIDE = frozenset({"nsubj"})
TARGET_SIDE = frozenset({"obj", "iobj", "obl"})


def sides(
    heads: list[int], labels: list[str], places: dict[str, set[int]], follow: bool
) -> tuple[set[str], set[str]]:
    """The countries (codes) on the source side and on the target side of the main predicate."""
    n = len(heads)
    children: list[list[int]] = [[] for _ in range(n + 1)]
    for k, head in enumerate(heads, start=1):
        children[head].append(k)
    predicate = heads.index(0) + 1
    inherited: set[int] = set()  # an xcomp's subject is its governor's
    while True:
        source: set[int] = set(inherited)
        target: set[int] = set()
        down = 0
        for child in children[predicate]:
            label = labels[child - 1]
            if label in SOURCE_SIDE or (follow and label == "obl:agent"):
                source |= subtree(children, child)
            elif label in TARGET_SIDE or (follow and label == "nsubj:pass"):
                target |= subtree(children, child)
            elif label in ("ccomp", "xcomp") and not down:
                down = child
        on_source = {code for code, tokens in places.items() if tokens & source}
        on_target = {code for code, tokens in places.items() if tokens & target}
        both = len(places) >= 2 and len(on_source | on_target) >= 2
        if not follow or both or not down:
            return on_source, on_target
        inherited = source if labels[down - 1] == "xcomp" else set()
        predicate = down


def direction(source: set[str], target: set[str], pair: list[str]) -> tuple[str, str] | None:
    a, b = pair
    if a in source and b in target and b not in source and a not in target:
        return a, b
    if b in source and a in target and a not in source and b not in target:
        return b, a
    return None


def main() -> None:
    rows: list[dict] = []
    for split, path in SPLITS.items():
        for line in path.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                row["probe_split"] = split
                rows.append(row)
    rows = [x for x in rows if x["stance"] != "neutral" and x["source"] and x["target"]]
    articles, rows = load_articles(rows)
    tally: dict[str, Counter[str]] = {}
    for key in sorted({article_key(x) for x in rows}):
        title, text = articles[key]
        document = article_document(title, text)
        sentences = split_sentences(document)
        mentions = find_country_mentions(document, sentences)
        coded = coded_pairs(title, text)
        for x in (x for x in rows if article_key(x) == key):
            sentence = sentences[x["sentence"]]
            tokens = tokenize(document[sentence.start : sentence.end])
            heads, labels = parse([t.text for t in tokens])
            places: dict[str, set[int]] = {}
            for mention in mentions:
                if mention.sentence != x["sentence"] or mention.code not in x["pair"]:
                    continue
                start, end = mention.start - sentence.start, mention.end - sentence.start
                covered = {k for k, t in enumerate(tokens, start=1) if t.start < end and start < t.end}
                places.setdefault(mention.code, set()).update(covered)
            gold = (x["source"], x["target"])
            counts = tally.setdefault(x["probe_split"], Counter())
            counts["events"] += 1
            counts["both named"] += len(places) == 2
            mine = coded.get((x["sentence"], *x["pair"]))
            coder = (mine["source"], mine["target"]) if mine else None
            counts["coder right"] += coder == gold
            for name, follow in (("plain", False), ("followed", True)):
                source, target = sides(heads, labels, places, follow)
                if follow:  # what the event coder runs (core.relations.syntax)
                    zero_based = {code: {k - 1 for k in tokens} for code, tokens in places.items()}
                    shipped = parse_direction(heads, labels, zero_based, *x["pair"])
                    found = (shipped.source, shipped.target) if shipped else None
                else:
                    found = direction(source, target, x["pair"])
                counts[f"{name} directed"] += found is not None
                if found is None and follow:
                    placed = len(set(x["pair"]) & (source | target))
                    why = "both on one side" if placed == 2 else f"{placed} of the 2 countries on a side"
                    counts["no direction: " + why] += 1
                counts[f"{name} right"] += found == gold
                if found is not None:
                    counts[f"{name}: coder right where parse directed"] += coder == gold
                counts[f"{name} then coder right"] += (found if found is not None else coder) == gold
    total: Counter[str] = Counter()
    print("labelled directed events; right = (source, target) equal to the label's")
    ordered = [(split, tally[split]) for split in SPLITS if split in tally]
    for split, counts in [*ordered, ("all", total)]:
        if split != "all":
            total.update(counts)
        n = counts["events"]
        parts = [f"{split}: {n} events ({counts['both named']} with both countries named)"]
        parts.append(f"event coder right {counts['coder right'] / n:.3f}")
        for name in ("plain", "followed"):
            directed = counts[f"{name} directed"]
            right = counts[f"{name} right"]
            parts.append(
                f"parse {name}: gives a direction on {directed / n:.3f}, right {right / n:.3f}"
                f" of all ({right / max(directed, 1):.3f} of those it directs; coder on"
                f" those {counts[f'{name}: coder right where parse directed'] / max(directed, 1):.3f});"
                f" parse where it directs, else coder: right {counts[f'{name} then coder right'] / n:.3f}"
            )
        print("; ".join(parts))
    reasons = sorted((key, count) for key, count in total.items() if key.startswith("no direction: "))
    print("followed, events it gives no direction:", "; ".join(f"{k[14:]} {c}" for k, c in reasons))


if __name__ == "__main__":
    main()
