"""People/organisation recognition quality and speed on the GMB dev split, beside two baselines.

Scoring is by distinct names per document, exact string and kind (a name found twice counts once),
as a news NER test set is scored by a reader: P/R/F1 per kind and over people+organisations.
Systems, all in the same run on the same text (each document's words joined by spaces):
  caps     a "capitalised span" script: runs of capitalised words, organisation if a word is an
           organisation word or an acronym, else person (the baseline anyone writes first);
  rules    newsdesk's rule-based recogniser before issue 12 (core/entities/find.py);
  model    the learned tagger (core/entities/recognise.py), surnames as written;
  folded   the same with surnames folded into the full name (what the Entities pane counts);
  before   the tagger as it was at git revision --before (default: the release before issue 12's
           third round), loaded from the repository's history into a private package with that
           revision's weights and cue lists: the previous model, measured beside the new one in
           the same run (skipped without git).
Speed: ms per article of each system's entity stage over the same documents (sentence splitting
and country finding are done once beforehand and not counted): the first pass over the documents
(the model's per-word caches start empty) and the best of three passes; the figures that matter are
the ratios to `rules` and to `before`, measured in the same run, and ms per 500 words.
Optional: --wikinews scores 53 bundled Wikinews articles whose people and organisations were
annotated by hand (benchmarks/data/wikinews_people_orgs.jsonl, guide beside it): a different news
style than GMB's, split into a tune part (28 articles) and a held-out part (25: 17 news, 8 sport)
that is never tuned on; each part is reported, and the held-out news and sport articles apart.
Optional: --newswire scores 100 news-wire stories whose people and organisations were annotated by
hand (benchmarks/data/newswire_people_orgs.jsonl, how it was made beside it): 35 Reuters-21578
stories (1987 business and politics wire, hard-wrapped as in the corpus) and 25 BBC sport stories,
read from ../shared (skipped when it is absent), in the style of the hidden CoNLL-style test set;
split by a hash of the id into a tune part and a held-out part, news and sport reported apart, and
the Reuters parts again with their hard-wrapped lines joined (as a set written a paragraph a line);
and a "tune2" part of 40 more Reuters stories (drawn the same way, benchmarks/draw_newswire.py
--tune2) to tune on. --parts TEXT scores only the news-wire parts whose title contains TEXT;
--errors lists the tagger's misses and false finds per story of those parts (tune parts only).
Run: uv run python benchmarks/entity_quality.py [--limit N] [--wikinews] [--newswire] [--before REV]
     [--no-speed] [--skip-gmb]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._gmb import gmb_documents, prf
from benchmarks._shared import SHARED, read_jsonl
from core.countries.resolve import find_country_mentions
from core.entities.features import lexicon, tokenize
from core.entities.find import EntityMention, find_entities
from core.entities.recognise import find_names
from core.paths import data_dir
from core.text.sentences import Sentence, split_sentences

KIND_OF = {"person": "PER", "organisation": "ORG", "place": "LOC", "other": "MISC"}
SCORED = ("PER", "ORG", "LOC", "MISC")
REPEATS = 4
WIKINEWS_GOLD = Path(__file__).resolve().parent / "data" / "wikinews_people_orgs.jsonl"
NEWSWIRE_GOLD = Path(__file__).resolve().parent / "data" / "newswire_people_orgs.jsonl"
# Reuters-21578 artefacts that are not mentions and are absent from CoNLL-style news-wire: the
# agency's sign-off line ("Reuter" / "REUTER") and stock codes in angle brackets ("<AMO>",
# "<HKBH.HK>"; a company name in brackets, "<Cathay Pacific Airways Ltd>", stays).
REUTERS_SIGNOFF = re.compile(r"\s*\breuter\s*$", re.IGNORECASE)
REUTERS_CODE = re.compile(r" ?<[A-Z0-9.\-]{1,12}>")
# A line break that only wraps a Reuters paragraph (a new paragraph is indented): the "lines
# unwrapped" parts join them, as news-wire sets written one paragraph or sentence a line read.
WRAPPED = re.compile(r"(?<!\n)\n(?![ \t\n])")

Place = tuple[int, int, str]
Prepared = tuple[str, list[Sentence], list[Place]]
System = Callable[[str, list[Sentence], list[Place]], set[tuple[str, str]]]


def capitalised_spans(document: str, sentences: list[Sentence], _: list[Place]) -> set[tuple[str, str]]:
    lex = lexicon()
    found: set[tuple[str, str]] = set()
    for sentence in sentences:
        words = [
            document[sentence.start + a : sentence.start + b]
            for a, b in tokenize(document[sentence.start : sentence.end])
        ]
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


def rules(document: str, sentences: list[Sentence], places: list[Place]) -> set[tuple[str, str]]:
    return _names(find_entities(document, sentences, [(a, b) for a, b, _ in places]), folded=False)


def model(document: str, sentences: list[Sentence], places: list[Place]) -> set[tuple[str, str]]:
    return _names(find_names(document, sentences, places=places, explain=False), folded=False)


def folded(document: str, sentences: list[Sentence], places: list[Place]) -> set[tuple[str, str]]:
    return _names(find_names(document, sentences, places=places, fold=True, explain=False), folded=True)


SYSTEMS: dict[str, System] = {"caps": capitalised_spans, "rules": rules, "model": model, "folded": folded}
# The revision whose tagger (code, weights and cue lists) is "before": the release before issue 12's
# third round (main at ca3b4a1).
BEFORE = "ca3b4a1"


def tagger_at(revision: str) -> System | None:
    """The tagger's find_names as of a git revision, with that revision's weights and cue lists.

    Its modules are imported from a private copy; the model file and the cue lists are read from
    the same revision, so a retrained model is compared with the one it replaces.
    """
    repo = Path(__file__).resolve().parent.parent
    package = f"entities_{revision}".replace("-", "_").replace("~", "_").replace("^", "_")
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-tagger-")) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")

    def show(path: str) -> bytes | None:
        try:
            return subprocess.run(
                ["git", "-C", str(repo), "show", f"{revision}:{path}"], check=True, capture_output=True
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return None

    weights, cues = show("data/entity_model.gz"), show("data/entity_cues.toml")
    if weights is None or cues is None:
        print(f"skipped the 'before' tagger: git cannot show {revision}'s model file and cue lists")
        return None
    (folder / "entity_model.gz").write_bytes(weights)
    (folder / "entity_cues.toml").write_bytes(cues)
    modules = ("features", "model", "recognise", "words")
    for name in modules:
        source_bytes = show(f"core/entities/{name}.py")
        if source_bytes is None:
            print(f"skipped the 'before' tagger: git cannot show {revision}:core/entities/{name}.py")
            return None
        source = source_bytes.decode("utf-8")
        for module in modules:
            source = source.replace(f"core.entities.{module}", f"{package}.{module}")
        # That revision's data files, not today's.
        source = source.replace("data_dir() / MODEL_FILE", f"Path({str(folder / 'entity_model.gz')!r})")
        source = source.replace("data_dir() / CUES_FILE", f"Path({str(folder / 'entity_cues.toml')!r})")
        if "from pathlib import Path" not in source:
            source = source.replace(
                "from __future__ import annotations",
                "from __future__ import annotations\nfrom pathlib import Path",
                1,
            )
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder.parent))
    recognise = importlib.import_module(f"{package}.recognise")

    def before(document: str, sentences: list[Sentence], places: list[Place]) -> set[tuple[str, str]]:
        mentions = recognise.find_names(document, sentences, places=places, explain=False)
        return _names(mentions, folded=False)

    return before


def prepare(text: str) -> Prepared:
    sentences = split_sentences(text)
    countries = [(c.start, c.end, c.how) for c in find_country_mentions(text, sentences)]
    return text, sentences, countries


def score(
    name: str,
    system: System,
    prepared: list[Prepared],
    gold: list[set[tuple[str, str]]],
    kinds: tuple[str, ...],
) -> str:
    """One system's quality row: P/R/F1 per kind and over people+organisations."""
    counts = {kind: [0, 0, 0] for kind in kinds}
    for item, truth in zip(prepared, gold, strict=True):
        predicted = system(*item)
        for kind in kinds:
            p = {text for text, k in predicted if k == kind}
            t = {text for text, k in truth if k == kind}
            counts[kind][0] += len(p & t)
            counts[kind][1] += len(p - t)
            counts[kind][2] += len(t - p)
    cells = []
    for kind in kinds:
        precision, recall, f1 = prf(*counts[kind])
        cells.append(f"{precision:.2f}/{recall:.2f}/{f1:.2f}")
    both = [counts["PER"][i] + counts["ORG"][i] for i in range(3)]
    return f"{name:<7} " + "  ".join(f"{c:>14}" for c in cells) + f"  {prf(*both)[2]:>9.3f}"


def timings(systems: dict[str, System], prepared: list[Prepared]) -> dict[str, tuple[float, float]]:
    """CPU ms per article of each system: its first pass over the documents, and its best pass.

    The systems take turns, pass after pass, so a burst of load from other jobs on the shared
    machine falls on all of them rather than on one. The first pass is each system's first sight of
    these documents (the tagger's per-word caches start empty); the best is the least disturbed.
    """
    for system in systems.values():
        system(*prepared[0])  # loads models and cue lists (once per process): not per-article cost
    passes: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(REPEATS):
        for name, system in systems.items():
            started = time.process_time()
            for item in prepared:
                system(*item)
            passes[name].append(1000 * (time.process_time() - started) / len(prepared))
    return {name: (times[0], min(times)) for name, times in passes.items()}


def report(
    title: str,
    prepared: list[Prepared],
    gold: list[set[tuple[str, str]]],
    kinds: tuple[str, ...] = SCORED,
    before: System | None = None,
    speed_too: bool = True,
    errors: bool = False,
    ids: list[str] | None = None,
) -> None:
    # Errors are listed for the tune parts only: the held-out stories are never looked at.
    if errors and ids is not None and "held-out" not in title and ", all" not in title:
        for identifier, (text, sentences, places), names in zip(ids, prepared, gold, strict=True):
            found = model(text, sentences, places)
            wrong = sorted(found - names)
            missed = sorted(names - found)
            if wrong or missed:
                print(f"{identifier}: false {wrong}\n{' ' * len(identifier)}  missed {missed}")
    words = sum(len(tokenize(text)) for text, _, _ in prepared) / max(len(prepared), 1)
    print(f"\n{title}: {len(prepared)} documents, {words:.0f} words each on average")
    systems = dict(SYSTEMS)
    if before is not None:
        systems = {
            "caps": capitalised_spans,
            "rules": rules,
            "before": before,
            "model": model,
            "folded": folded,
        }
    # Speed first, so each system's first pass meets its caches empty.
    speed = timings(systems, prepared) if speed_too else {name: (0.0, 0.0) for name in systems}
    print(
        "system  "
        + "  ".join(f"{kind + ' P/R/F1':>14}" for kind in kinds)
        + "  PER+ORG F1  ms/art 1st  ms/art best  (CPU time)"
    )
    for name, system in systems.items():
        first, best = speed[name]
        print(score(name, system, prepared, gold, kinds) + f"  {first:10.3f}  {best:11.3f}")
    if not speed_too:
        return
    per_500 = 500 / max(words, 1)
    for label, column in (("first pass", 0), ("best pass", 1)):
        tagger, baseline = speed["model"][column], speed["rules"][column]
        line = (
            f"entity stage, {label}: tagger {tagger * per_500:.3f} ms per 500 words = "
            f"{tagger / baseline:.2f}x the rule-based stage ({baseline * per_500:.3f} ms)"
        )
        if "before" in speed:
            old = speed["before"][column]
            line += f"; {old / tagger:.2f}x faster than the tagger before ({old * per_500:.3f} ms)"
        print(line + "; same run")


def newswire_texts(records: list[dict]) -> dict[str, str] | None:
    """Each labelled story's scored text (Reuters body; BBC headline and body), or None without ../shared."""
    reuters_path = SHARED / "corpora" / "reuters-train" / "corpus.jsonl"
    bbc_path = SHARED / "corpora" / "bbc"
    if not reuters_path.exists() or not bbc_path.exists():
        print(f"skipped the news-wire set: {reuters_path} or {bbc_path} is absent")
        return None
    wanted = {record["id"] for record in records if record["corpus"] == "reuters"}
    texts = {
        record["id"]: REUTERS_CODE.sub("", REUTERS_SIGNOFF.sub("", record["text"]))
        for record in read_jsonl(reuters_path)
        if record["id"] in wanted
    }
    for record in records:
        if record["corpus"] == "bbc":
            texts[record["id"]] = (bbc_path / record["id"]).read_text(encoding="latin-1")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N dev documents")
    parser.add_argument(
        "--wikinews", action="store_true", help="also score the hand-annotated Wikinews sample"
    )
    parser.add_argument(
        "--newswire", action="store_true", help="also score the hand-annotated news-wire set (../shared)"
    )
    parser.add_argument("--skip-gmb", action="store_true", help="only the hand-annotated sets, not GMB dev")
    parser.add_argument("--parts", default="", help="only the news-wire parts whose title contains this")
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list the model's misses and false finds per news-wire story (tune parts only)",
    )
    parser.add_argument(
        "--before",
        default=BEFORE,
        help=f"git revision of the tagger to time against (default {BEFORE}; 'none' to skip)",
    )
    parser.add_argument("--no-speed", action="store_true", help="quality only (no timing passes)")
    args = parser.parse_args()
    before = None if args.before == "none" else tagger_at(args.before)
    if not args.skip_gmb:
        documents = list(gmb_documents("dev"))
        if args.limit:
            documents = documents[: args.limit]
        prepared = [prepare(document.text) for document in documents]
        gold = [document.names() for document in documents]
        report("GMB dev split", prepared, gold, before=before, speed_too=not args.no_speed)
    if args.wikinews:
        # Gold: every distinct person/organisation string of each article body, annotated by hand
        # (guide: benchmarks/data/wikinews_people_orgs.md); the texts are the bundled Wikinews corpus.
        texts = {
            record["id"]: record["text"] for record in read_jsonl(data_dir() / "corpus" / "wikinews.jsonl")
        }
        records = [
            json.loads(line) for line in WIKINEWS_GOLD.read_text(encoding="utf-8").splitlines() if line
        ]
        parts = [
            ("Wikinews tune part (tuned on)", lambda r: r["split"] == "tune"),
            ("Wikinews held-out part (never tuned on)", lambda r: r["split"] == "heldout"),
            (
                "Wikinews held-out, news (non-sport) articles",
                lambda r: r["split"] == "heldout" and not r["sport"],
            ),
            ("Wikinews held-out, sport articles", lambda r: r["split"] == "heldout" and r["sport"]),
            ("Wikinews, all annotated articles", lambda r: True),
        ]
        for title, keep in parts:
            chosen = [record for record in records if keep(record)]
            report(
                f"{title} (people and organisations annotated by hand)",
                [prepare(texts[record["id"]]) for record in chosen],
                [{(text, kind) for text, kind in record["names"]} for record in chosen],
                ("PER", "ORG"),
                before=before,
                speed_too=not args.no_speed and title.startswith("Wikinews, all"),
            )

    if args.newswire:
        newswire(before, speed_too=not args.no_speed, only=args.parts, errors=args.errors)


def newswire(before: System | None, speed_too: bool, only: str = "", errors: bool = False) -> None:
    """The hand-annotated news-wire set: tune, tune2 and held-out parts, news and sport apart.

    only: score just the parts whose title contains it; errors: list the model's misses and false
    finds per story (for error analysis on the tune parts: never look at the held-out ones).
    """
    records = [json.loads(line) for line in NEWSWIRE_GOLD.read_text(encoding="utf-8").splitlines() if line]
    texts = newswire_texts(records)
    if texts is None:
        return
    parts = [
        ("News-wire tune part (tuned on)", lambda r: r["split"] == "tune"),
        ("News-wire tune part, news (Reuters)", lambda r: r["split"] == "tune" and not r["sport"]),
        ("News-wire tune part, sport (BBC)", lambda r: r["split"] == "tune" and r["sport"]),
        ("News-wire held-out part (never tuned on)", lambda r: r["split"] == "heldout"),
        ("News-wire held-out, news (Reuters)", lambda r: r["split"] == "heldout" and not r["sport"]),
        ("News-wire held-out, sport (BBC)", lambda r: r["split"] == "heldout" and r["sport"]),
        (
            "News-wire tune, news (Reuters), lines unwrapped",
            lambda r: r["split"] == "tune" and not r["sport"],
        ),
        (
            "News-wire held-out, news (Reuters), lines unwrapped",
            lambda r: r["split"] == "heldout" and not r["sport"],
        ),
        ("News-wire tune2 part, news (Reuters, tuned on)", lambda r: r["split"] == "tune2"),
        ("News-wire tune2, news (Reuters), lines unwrapped", lambda r: r["split"] == "tune2"),
        ("News-wire, all annotated stories of tune and held-out", lambda r: r["split"] != "tune2"),
    ]
    if only:
        parts = [(title, keep) for title, keep in parts if only.lower() in title.lower()]
    for title, keep in parts:
        chosen = [record for record in records if keep(record)]
        unwrap = "unwrapped" in title
        report(
            f"{title} (people and organisations annotated by hand)",
            [prepare(WRAPPED.sub(" ", texts[r["id"]]) if unwrap else texts[r["id"]]) for r in chosen],
            [{(" ".join(text.split()), kind) for text, kind in record["names"]} for record in chosen],
            ("PER", "ORG"),
            before=before,
            speed_too=speed_too and title.startswith("News-wire, all"),
            errors=errors,
            ids=[r["id"] for r in chosen],
        )


if __name__ == "__main__":
    main()
