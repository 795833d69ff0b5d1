"""People/organisation recognition quality and speed on the GMB dev split, beside two baselines.

Scoring is by distinct names per document, exact string and kind (a name found twice counts once),
as a news NER test set is scored by a reader: P/R/F1 per kind and over people+organisations.
Systems, all in the same run on the same text (each document's words joined by spaces):
  caps     a "capitalised span" script: runs of capitalised words, organisation if a word is an
           organisation word or an acronym, else person (the baseline anyone writes first);
  rules    newsdesk's rule-based recogniser before issue 12 (core/entities.py);
  model    the learned tagger (core/entity_recognise.py), surnames as written;
  folded   the same with surnames folded into the full name (what the Entities pane counts).
Speed: ms per article of each system's entity stage over the same documents (sentence splitting
and country finding are done once beforehand and not counted); the speed figure that matters is the
ratio to `rules`, measured in the same run.
Optional: --wikinews scores the hand-annotated Wikinews sample (benchmarks/data/) the same way.
Run: uv run python benchmarks/entity_quality.py [--limit N] [--wikinews]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._gmb import gmb_documents, prf
from core.countries import find_country_mentions
from core.entities import EntityMention, find_entities
from core.entity_features import lexicon, tokenize
from core.entity_recognise import find_names
from core.sentences import Sentence, split_sentences

KIND_OF = {"person": "PER", "organisation": "ORG", "place": "LOC", "other": "MISC"}
SCORED = ("PER", "ORG", "LOC", "MISC")
WIKINEWS_GOLD = Path(__file__).resolve().parent / "data" / "wikinews_people_orgs.jsonl"

Prepared = tuple[str, list[Sentence], list[tuple[int, int]]]
System = Callable[[str, list[Sentence], list[tuple[int, int]]], set[tuple[str, str]]]


def capitalised_spans(document: str, sentences: list[Sentence], _: list[tuple[int, int]]) -> set[tuple[str, str]]:
    lex = lexicon()
    found: set[tuple[str, str]] = set()
    for sentence in sentences:
        words = [document[sentence.start + a : sentence.start + b] for a, b in tokenize(document[sentence.start : sentence.end])]
        run: list[str] = []
        for index, word in enumerate([*words, "."]):
            if word[:1].isupper() and index > 0 and word.lower() not in lex.function_words:
                run.append(word)
                continue
            if run:
                organisation = any(w.lower() in lex.org_heads or (w.isupper() and len(w) > 1) for w in run)
                found.add((" ".join(run), "ORG" if organisation else "PER"))
            run = []
    return found


def _names(mentions: list[EntityMention], folded: bool) -> set[tuple[str, str]]:
    return {
        (mention.text if folded else " ".join(mention.surface.split()), KIND_OF.get(mention.kind, "MISC"))
        for mention in mentions
    }


def rules(document: str, sentences: list[Sentence], countries: list[tuple[int, int]]) -> set[tuple[str, str]]:
    return _names(find_entities(document, sentences, countries), folded=False)


def model(document: str, sentences: list[Sentence], countries: list[tuple[int, int]]) -> set[tuple[str, str]]:
    return _names(find_names(document, sentences, countries), folded=False)


def folded(document: str, sentences: list[Sentence], countries: list[tuple[int, int]]) -> set[tuple[str, str]]:
    return _names(find_names(document, sentences, countries, fold=True), folded=True)


SYSTEMS: dict[str, System] = {"caps": capitalised_spans, "rules": rules, "model": model, "folded": folded}


def prepare(text: str) -> Prepared:
    sentences = split_sentences(text)
    countries = [(c.start, c.end) for c in find_country_mentions(text, sentences)]
    return text, sentences, countries


def score(name: str, system: System, prepared: list[Prepared], gold: list[set[tuple[str, str]]]) -> float:
    counts = {kind: [0, 0, 0] for kind in SCORED}
    started = time.perf_counter()
    predictions = [system(*item) for item in prepared]
    elapsed = time.perf_counter() - started
    for predicted, truth in zip(predictions, gold, strict=True):
        for kind in SCORED:
            p = {text for text, k in predicted if k == kind}
            t = {text for text, k in truth if k == kind}
            counts[kind][0] += len(p & t)
            counts[kind][1] += len(p - t)
            counts[kind][2] += len(t - p)
    cells = []
    for kind in SCORED:
        precision, recall, f1 = prf(*counts[kind])
        cells.append(f"{precision:.2f}/{recall:.2f}/{f1:.2f}")
    both = [counts["PER"][i] + counts["ORG"][i] for i in range(3)]
    ms = 1000 * elapsed / len(prepared)
    print(f"{name:<7} " + "  ".join(f"{c:>14}" for c in cells) + f"  {prf(*both)[2]:>9.3f}  {ms:7.3f}")
    return ms


def report(title: str, prepared: list[Prepared], gold: list[set[tuple[str, str]]]) -> None:
    words = sum(len(tokenize(text)) for text, _, _ in prepared) / max(len(prepared), 1)
    print(f"\n{title}: {len(prepared)} documents, {words:.0f} words each on average")
    print("system  " + "  ".join(f"{kind + ' P/R/F1':>14}" for kind in SCORED) + "  PER+ORG F1  ms/article")
    timings = {name: score(name, system, prepared, gold) for name, system in SYSTEMS.items()}
    print(
        f"entity stage: model {timings['model']:.3f} ms/article = {timings['model'] / timings['rules']:.2f}x "
        f"the rule-based stage ({timings['rules']:.3f} ms) in the same run; "
        f"{timings['model'] * 500 / max(words, 1):.3f} ms per 500 words"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N dev documents")
    parser.add_argument("--wikinews", action="store_true", help="also score the hand-annotated Wikinews sample")
    args = parser.parse_args()
    documents = list(gmb_documents("dev"))
    if args.limit:
        documents = documents[: args.limit]
    prepared = [prepare(document.text) for document in documents]
    gold = [document.names() for document in documents]
    report("GMB dev split", prepared, gold)
    if args.wikinews and WIKINEWS_GOLD.exists():
        records = [json.loads(line) for line in WIKINEWS_GOLD.read_text(encoding="utf-8").splitlines() if line]
        report(
            "Wikinews sample (hand-annotated people and organisations only)",
            [prepare(record["text"]) for record in records],
            [{(text, kind) for text, kind in record["names"]} for record in records],
        )


if __name__ == "__main__":
    main()
