"""CPU ms/article of the relations stage with and without the part-of-speech tagger and actors, in one run.

On BBC articles (../shared/corpora/bbc; skips cleanly when absent), one process, sentences, country
mentions and entity names computed beforehand (they are other stages). Three variants, interleaved
round by round so that load on the machine hits them alike; each variant's best round is reported:
- "word order only": the event coder without the tagger, country names only (the stage before issue 11's
  second round, except for rule changes made since);
- "+ tagger": the tagger on every sentence the coder reads;
- "+ tagger + actors" (shipped): leaders and armed groups added as country mentions.
Also prints how many sentences per article the coder reads (tokenizes and tags).
Run: uv run python benchmarks/relations_speed.py [--limit N] [--rounds R]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import bbc_articles
from core.articles import article_document
from core.countries.resolve import find_country_mentions
from core.entities.recognise import find_names
from core.relations import event_coder
from core.relations.actors import find_actor_mentions
from core.relations.pairs import pair_mentions
from core.text.sentences import split_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    prepared = []
    for title, text in bbc_articles()[: args.limit]:
        document = article_document(title, text)
        sentences = split_sentences(document)
        countries = find_country_mentions(document, sentences)
        names = find_names(
            document, sentences, places=[(c.start, c.end, c.how) for c in countries], explain=False
        )
        prepared.append((document, sentences, countries, names))
    # One-time set-up (rules, dictionaries, tagger weights, actor files) is paid before timing.
    document, sentences, countries, names = prepared[0]
    pair_mentions(document, sentences, [*countries, *find_actor_mentions(names, countries)])
    event_coder.pos_tags(["warm", "up"])

    def shipped() -> None:
        for document, sentences, countries, names in prepared:
            pair_mentions(document, sentences, [*countries, *find_actor_mentions(names, countries)])

    def tagger_only() -> None:
        for document, sentences, countries, _ in prepared:
            pair_mentions(document, sentences, countries)

    def word_order() -> None:
        for document, sentences, countries, _ in prepared:
            pair_mentions(document, sentences, countries, use_tagger=False)

    variants = {"word order only": word_order, "+ tagger": tagger_only, "+ tagger + actors": shipped}
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.rounds):
        for name, run in variants.items():
            started = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - started)
    read = 0
    original = event_coder.tokenize

    def counting(text: str) -> list[event_coder.Token]:
        nonlocal read
        read += 1
        return original(text)

    event_coder.tokenize = counting  # type: ignore[assignment]
    shipped()
    event_coder.tokenize = original  # type: ignore[assignment]
    n = len(prepared)
    print(f"relations stage, {n} BBC articles, 1 process, CPU ms/article (best of {args.rounds} rounds):")
    base = best["word order only"]
    for name, seconds in best.items():
        print(f"  {name:22} {1000 * seconds / n:6.3f}   ({seconds / base:.2f}x word order only)")
    print(f"sentences read (tokenized, tagged) per article: {read / n:.2f}")


if __name__ == "__main__":
    main()
