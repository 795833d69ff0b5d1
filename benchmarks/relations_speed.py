"""CPU ms/article of the relations stage with and without the part-of-speech tagger and actors, in one run.

On BBC articles (../shared/corpora/bbc; skips cleanly when absent), one process, sentences, country
mentions and entity names computed beforehand (they are other stages). Four variants, interleaved
round by round so that load on the machine hits them alike; each variant's best round is reported:
- "word order only": the event coder without the tagger, country names only (the stage before issue 11's
  second round, except for rule changes made since);
- "+ tagger": the tagger on every sentence the coder reads;
- "+ tagger + actors": leaders and armed groups added as country mentions (the event coder alone);
- "+ stance model" (shipped): the stance model (core.relations.stance_model) on every pair.
Also prints how many sentences per article the coder reads (tokenizes and tags).
With --baseline DIR (a checkout's core/ + data/, e.g. `git archive main core data | tar -x -C DIR`),
this checkout and DIR are measured in alternating subprocesses, one round each, R times, and the
shipped variant's best times are printed with their ratio (the speed figure to report).
Run: uv run python benchmarks/relations_speed.py [--limit N] [--rounds R] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED = "+ stance model"  # the variant the pipeline runs: the one --baseline compares
sys.path.insert(0, str(REPO))
# --code-root (used for the --baseline subprocess) puts another checkout's core/ first on the path.
if "--code-root" in sys.argv:
    sys.path.insert(0, sys.argv[sys.argv.index("--code-root") + 1])

from benchmarks._shared import bbc_articles  # noqa: E402
from core.articles import article_document  # noqa: E402
from core.countries.resolve import find_country_mentions  # noqa: E402
from core.entities.recognise import find_names  # noqa: E402
from core.relations import event_coder  # noqa: E402
from core.relations.actors import find_actor_mentions  # noqa: E402
from core.relations.pairs import pair_mentions  # noqa: E402
from core.text.parse import load_parse_model  # noqa: E402
from core.text.sentences import split_sentences  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout's core/ + data/ to time beside")
    parser.add_argument("--code-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        compare(args.baseline, args.limit, args.rounds)
        return
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
    started = time.perf_counter()
    load_parse_model()  # the parser's weights (read once per process, as the analysis warm-up does)
    parser_load = time.perf_counter() - started

    def shipped() -> None:
        for document, sentences, countries, names in prepared:
            pair_mentions(document, sentences, [*countries, *find_actor_mentions(names, countries)])

    def without_model() -> None:
        for document, sentences, countries, names in prepared:
            mentions = [*countries, *find_actor_mentions(names, countries)]
            pair_mentions(document, sentences, mentions, use_model=False)

    def tagger_only() -> None:
        for document, sentences, countries, _ in prepared:
            pair_mentions(document, sentences, countries, use_model=False)

    def word_order() -> None:
        for document, sentences, countries, _ in prepared:
            pair_mentions(document, sentences, countries, use_tagger=False, use_model=False)

    variants = {
        "word order only": word_order,
        "+ tagger": tagger_only,
        "+ tagger + actors": without_model,
        SHIPPED: shipped,
    }
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

    parsed = 0
    from core.text import parse as parse_module

    original_parse = parse_module.parse

    def counting_parses(
        texts: Sequence[str], tags: Sequence[str] | None = None
    ) -> tuple[list[int], list[str]]:
        nonlocal parsed
        parsed += 1
        return original_parse(texts, tags)

    event_coder.tokenize = counting  # type: ignore[assignment]
    parse_module.parse = counting_parses  # type: ignore[assignment]
    shipped()
    event_coder.tokenize = original  # type: ignore[assignment]
    parse_module.parse = original_parse  # type: ignore[assignment]
    n = len(prepared)
    if args.json:
        print(json.dumps({name: 1000 * seconds / n for name, seconds in best.items()}))
        return
    print(f"relations stage, {n} BBC articles, 1 process, CPU ms/article (best of {args.rounds} rounds):")
    base = best["word order only"]
    for name, seconds in best.items():
        print(f"  {name:22} {1000 * seconds / n:6.3f}   ({seconds / base:.2f}x word order only)")
    print(f"sentences read (tokenized, tagged) per article: {read / n:.2f}; parsed: {parsed / n:.3f}")
    print(f"parser weights read in {parser_load:.3f} s (once per process, not in the times above)")


def compare(baseline: Path, limit: int, rounds: int) -> None:
    """Shipped-variant CPU ms/article of this checkout and `baseline`, alternating subprocesses."""
    best = {"this checkout": float("inf"), "baseline": float("inf")}
    for _ in range(rounds):
        for name, root in (("this checkout", REPO), ("baseline", baseline.resolve())):
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--limit",
                    str(limit),
                    "--rounds",
                    "1",
                    "--json",
                    "--code-root",
                    str(root),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            timed = json.loads(done.stdout.strip().splitlines()[-1])
            best[name] = min(best[name], timed[SHIPPED])
    print(f"relations stage as shipped ({SHIPPED}), {limit} BBC articles, CPU ms/article, best of {rounds}:")
    for name, ms in best.items():
        print(f"  {name:14} {ms:6.3f}")
    print(f"ratio this checkout / baseline: {best['this checkout'] / best['baseline']:.3f}")


if __name__ == "__main__":
    main()
