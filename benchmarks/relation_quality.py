"""Country-relation quality on the labelled Wikinews dev set (benchmarks/relations_dev.jsonl).

Prints, for the event coder (core.relations as shipped) and two baselines in the same run:
- coverage: the labelled pair is among the sentence's pair mentions;
- accuracy: stance right on sentences whose label is cooperation or conflict (a neutral answer
  counts as wrong, a missed pair too), the figure the issue's hidden set measures;
- for the event coder also the CAMEO root, QuadClass and direction accuracy on covered event
  sentences, and how often a label-neutral pair is left neutral.
Baselines: always "conflict"; the cue-sum stance newsdesk shipped before the event coder (every
cue word of the sentence summed, nearest-pair attribution), rebuilt here from core.relations.stance.

Run: uv run python benchmarks/relation_quality.py [--split tune|check|all] [--errors N]
Needs only files in the repository (the dev set is built from the bundled Wikinews corpus).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.analysis.pipeline import analyse_article  # noqa: E402
from core.articles import article_document  # noqa: E402
from core.countries.resolve import find_country_mentions  # noqa: E402
from core.relations.stance import Cue, find_cues, load_lexicon, score_cues  # noqa: E402
from core.text.sentences import split_sentences  # noqa: E402

DEV = REPO / "benchmarks" / "relations_dev.jsonl"
CORPUS = REPO / "data" / "corpus" / "wikinews.jsonl"


def _cover(
    cue: Cue, firsts: Sequence[tuple[int, int]], seconds: Sequence[tuple[int, int]], inside: bool
) -> float:
    best = math.inf
    for a_start, a_end in firsts:
        for b_start, b_end in seconds:
            low, high = min(a_start, b_start), max(a_end, b_end)
            if inside and not (low <= cue.start and cue.end <= high):
                continue
            best = min(best, max(cue.end, high) - min(cue.start, low))
    return best


def cue_sum_stances(document: str, sentences, mentions) -> dict[tuple[int, str, str], str]:
    """The stance newsdesk gave each pair before the event coder: all cues summed, nearest pair wins."""
    lex = load_lexicon()
    by_sentence = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    result: dict[tuple[int, str, str], str] = {}
    for index, named in by_sentence.items():
        codes = sorted({m.code for m in named})
        if len(codes) < 2:
            continue
        sentence = sentences[index]
        text = document[sentence.start : sentence.end]
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        actor: dict[str, bool] = defaultdict(bool)
        for m in named:
            spans[m.code].append((m.start - sentence.start, m.end - sentence.start))
            actor[m.code] |= not m.locative
        named_spans = [s for listed in spans.values() for s in listed]
        cues = [
            c for c in find_cues(text, lex) if not any(s <= c.start and c.end <= e for s, e in named_spans)
        ]
        pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]]
        venue_pairs = {(a, b) for a, b in pairs if not (actor[a] and actor[b])}
        if len(pairs) == 1:
            given = {pairs[0]: cues}
        else:
            actor_pairs = [p for p in pairs if p not in venue_pairs] or pairs
            given = {p: [] for p in pairs}
            for cue in cues:
                covers = {p: _cover(cue, spans[p[0]], spans[p[1]], True) for p in pairs}
                if min(covers.values()) == math.inf:
                    covers = {p: _cover(cue, spans[p[0]], spans[p[1]], False) for p in actor_pairs}
                best = min(covers.values())
                for p, cover in covers.items():
                    if cover == best:
                        given[p].append(cue)
        for (a, b), pair_cues in given.items():
            result[(index, a, b)] = score_cues(pair_cues, lex).stance
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "check", "all"], default="all")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong event sentences")
    parser.add_argument(
        "--errors-from", choices=["tune", "check"], default="tune", help="split to print errors of"
    )
    args = parser.parse_args()
    labels = [json.loads(line) for line in DEV.open(encoding="utf-8")]
    articles = {a["id"]: a for a in map(json.loads, CORPUS.open(encoding="utf-8"))}
    splits = ["tune", "check", "all"] if args.split == "all" else [args.split]
    predictions = {}
    for article_id in sorted({label["article_id"] for label in labels}):
        article = articles[article_id]
        document = article_document(article["title"], article["text"])
        sentences = split_sentences(document)
        mentions = find_country_mentions(document, sentences)
        # The shipped pipeline itself (entities and actors included), keywords skipped.
        row = analyse_article("", article["title"], article["text"], keywords=[])
        coded = {(p["sentence"], p["code_a"], p["code_b"]): SimpleNamespace(**p) for p in row["pairs"]}
        old = cue_sum_stances(document, sentences, mentions)
        predictions[article_id] = (coded, old)
    errors = []
    for split in splits:
        chosen = [x for x in labels if split == "all" or x["split"] == split]
        events = [x for x in chosen if x["stance"] != "neutral"]
        neutral = [x for x in chosen if x["stance"] == "neutral"]
        tally: Counter[str] = Counter()
        for x in events:
            coded, old = predictions[x["article_id"]]
            key = (x["sentence"], *x["pair"])
            mention = coded.get(key)
            tally["covered"] += mention is not None
            tally["old_covered"] += key in old
            tally["old_right"] += old.get(key) == x["stance"]
            tally["conflict"] += x["stance"] == "conflict"
            if mention is None:
                continue
            right = mention.stance == x["stance"]
            tally["right"] += right
            tally["committed"] += mention.stance != "neutral"
            tally["root"] += mention.event == x["event"]
            tally["quad"] += mention.quad == x["quad"]
            if x["source"] and x["target"]:
                tally["directed"] += 1
                tally["direction"] += (mention.source, mention.target) == (x["source"], x["target"])
            if not right and split == args.errors_from:
                errors.append((x, mention))
        for x in neutral:
            coded, old = predictions[x["article_id"]]
            key = (x["sentence"], *x["pair"])
            tally["n_covered"] += key in coded
            tally["n_kept"] += key in coded and coded[key].stance == "neutral"
            tally["old_n_kept"] += old.get(key) == "neutral"
        n, covered = len(events), max(tally["covered"], 1)
        print(f"\n== {split}: {n} event sentences ({tally['conflict']} conflict), {len(neutral)} neutral ==")
        print(f"{'system':<28}{'coverage':>10}{'accuracy':>10}")
        print(f"{'event coder (newsdesk)':<28}{tally['covered'] / n:>10.3f}{tally['right'] / n:>10.3f}")
        print(f"{'cue sum (before)':<28}{tally['old_covered'] / n:>10.3f}{tally['old_right'] / n:>10.3f}")
        print(f"{'always conflict':<28}{tally['old_covered'] / n:>10.3f}{tally['conflict'] / n:>10.3f}")
        root, quad = tally["root"] / covered, tally["quad"] / covered
        direction = tally["direction"] / max(tally["directed"], 1)
        print(
            f"event coder on covered events: root {root:.3f}, quad {quad:.3f},"
            f" direction {direction:.3f} (of {tally['directed']} directed)"
        )
        committed = max(tally["committed"], 1)
        print(
            f"event coder commits (non-neutral) on {tally['committed'] / n:.3f} of event sentences,"
            f" right polarity on {tally['right'] / committed:.3f} of those"
        )
        print(
            f"label-neutral pairs left neutral: event coder {tally['n_kept'] / max(len(neutral), 1):.3f},"
            f" cue sum {tally['old_n_kept'] / max(len(neutral), 1):.3f}"
        )
    for x, mention in errors[: args.errors]:
        print(
            f"\n{x['id']} {x['pair']} label {x['event']} {x['source']}->{x['target']} {x['stance']}"
            f" | got {mention.event} {mention.source}->{mention.target} {mention.stance} {list(mention.cues)}"
            f" [{mention.rule}]\n  {x['text']}"
        )


if __name__ == "__main__":
    main()
