"""Dump every entity mention the tagger finds, to compare two versions of the code byte for byte.

A speed change to core/entities must leave the output unchanged: run this before and after and
compare the files (`cmp before.tsv after.tsv`). Texts: every BBC article (../shared, title and
body as the analysis joins them), the bundled Wikinews corpus, 2,000 Reuters-21578 stories
(hard-wrapped news-wire, ../shared), and generated sports and results texts (results lines,
standings tables, line-ups, "coach" and "against" phrases, speaker labels, legal forms), which
exercise the repairs the real corpora rarely reach; with --gmb, the GMB dev split first (the
texts the speed benchmark times). Each text is dumped with and without
`--explain`'s features, and with surnames folded; one line per mention: text id, mode, start, end,
sentence, kind, entity text, surface, cue; a hash of the whole dump is printed last. Code before
fba0242 wrote short-form evidence in string-hash order: compare it under PYTHONHASHSEED=0.
Run: uv run python benchmarks/entity_dump.py OUT.tsv [--limit N] [--gmb]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._gmb import gmb_documents
from benchmarks._shared import SHARED, read_jsonl
from core.articles import article_document
from core.countries.resolve import find_country_mentions
from core.entities.recognise import find_names
from core.paths import data_dir
from core.text.sentences import split_sentences

_CLUBS = (
    "Leeds United|Fulham|Real Madrid|Getafe|Brann|Rosenborg|Feyenoord|Ajax|Dynamo Kyiv|Chelsea|"
    "Narbonne|Bath|Wasps|Leicester Tigers|Sale Sharks|Inter Milan|Lazio|Celtic|Hearts|Hibernian"
).split("|")
_PEOPLE = (
    "Arie Haan|Jan Kowalski|Tomasz Lis|Paula Radcliffe|Sam Lee|Karel Novak|Luis Ortega|Jens Lehmann|"
    "Theresa May|Thierry Henry|Radek Wisniewski|Cory Gardner|Martin Luther King|Tom Major"
).split("|")
_SURNAMES = (
    "Balshaw|Rees|Christophers|Bell|Doherty|McMullen|Dickens|Servat|Milloud|Kalman|Regan|Byas|"
    "Vaughan|Smith|O'Brien|Nowak|Ruiz|van Balkom"
).split("|")
_ORGS = (
    "Hoechst AG|Vodafone Plc|Hongkong Bank and Hang Seng Bank|Touche Ross and Co|Ford Motor Company|"
    "Diamond Shamrock Corp|Times of Zambia|Iraqi National Congress|United States Senate|Amazon.com|"
    "U.N.|I.A.E.A.|NASA|Goldman Sachs|Lib Dems|Philip Morris|Export Import Bank"
).split("|")
_SENTENCES = (
    "{club} coach {person} said the team would recover.",
    "{club} beat {club2} on Saturday, while {club3} drew with {club4}.",
    "The side are likely to face {club} next week after a win over {club2}.",
    "{person} joined from {club} last season and scored twice against {club2}.",
    "Midfielder {person} scored in the semi-final of the league tournament.",
    "Striker {surname} was the captain of the squad at the club.",
    "{org} said on Tuesday it would cut jobs, and {person} said he agreed.",
    "Shares in {org} rose after the company {org2} reported results on Jan 31.",
    "Dutchman Patrick van Balkom and Spaniard Jose Ruiz met {person} in Group C.",
    "The retailer {org} and law firm Sidley Austin were named by Mr. {surname}.",
    "Republican {person} and Princess Ubolratana Mahidol visited the Davis Cup and the French Open.",
    "(D. {surname} 88, M. {surname2} 54) and the umpire {person} were there.",
)


def _lines(rng: random.Random) -> Iterator[str]:
    clubs = rng.sample(_CLUBS, 6)
    yield f"{clubs[0]} {rng.randint(0, 5)} {clubs[1]} {rng.randint(0, 5)}"
    yield f"{clubs[2]} {rng.randint(0, 5)}, {clubs[3]} {rng.randint(0, 5)}"
    for club in clubs[:4]:
        yield f"{club} " + " ".join(str(rng.randint(0, 30)) for _ in range(7))
    players = rng.sample(_SURNAMES, 8)
    yield f"{clubs[4]}: {players[0]}; {', '.join(players[1:4])}; {players[4]}, {players[5]} (capt)"
    yield f"Replacements: {', '.join(players[4:])}, {players[0]} ({clubs[5]})"
    yield ", ".join(f"{rng.choice('WOJM')} {p}" for p in players[:5])
    yield f"{rng.choice(['NG', 'WN', 'Q'])}: Why did {clubs[0]} lose?"


def generated_texts(count: int) -> Iterator[tuple[str, str]]:
    """Sports and results texts made from templates: the repairs' inputs, in many combinations."""
    rng = random.Random(12)
    for number in range(count):
        parts: list[str] = []
        for _ in range(rng.randint(4, 12)):
            if rng.random() < 0.35:
                parts.append("\n".join(_lines(rng)))
                continue
            template = rng.choice(_SENTENCES)
            clubs = rng.sample(_CLUBS, 4)
            orgs = rng.sample(_ORGS, 2)
            surnames = rng.sample(_SURNAMES, 2)
            parts.append(
                template.format(
                    club=clubs[0],
                    club2=clubs[1],
                    club3=clubs[2],
                    club4=clubs[3],
                    person=rng.choice(_PEOPLE),
                    org=orgs[0],
                    org2=orgs[1],
                    surname=surnames[0],
                    surname2=surnames[1],
                )
            )
        sep = rng.choice([" ", "\n", "\n\n"])
        yield f"gen-{number}", f"Results round-up {number}\n" + sep.join(parts)


def texts(limit: int, gmb: bool = False) -> Iterator[tuple[str, str]]:
    if gmb:
        for number, gmb_document in enumerate(gmb_documents("dev")):
            if limit and number >= limit:
                break
            yield f"gmb/{gmb_document.id}", gmb_document.text
    bbc = SHARED / "corpora" / "bbc"
    if bbc.exists():
        for path in sorted(bbc.glob("*/*.txt"))[: limit or None]:
            title, _, text = path.read_text(encoding="utf-8", errors="replace").partition("\n")
            yield f"bbc/{path.parent.name}/{path.name}", article_document(title.strip(), text)
    records = list(read_jsonl(data_dir() / "corpus" / "wikinews.jsonl"))
    for record in records[: limit or None]:
        yield record["id"], article_document(record.get("title", ""), record["text"])
    reuters = SHARED / "corpora" / "reuters-train" / "corpus.jsonl"
    if reuters.exists():
        for number, record in enumerate(read_jsonl(reuters)):
            if number >= (limit or 2000):
                break
            yield record["id"], record["text"]
    yield from generated_texts(limit or 400)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="at most N texts of each source")
    parser.add_argument("--gmb", action="store_true", help="also the GMB dev split (../shared), first")
    args = parser.parse_args()
    digest = hashlib.sha256()
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for ident, document in texts(args.limit, gmb=args.gmb):
            sentences = split_sentences(document)
            places = [(c.start, c.end, c.how) for c in find_country_mentions(document, sentences)]
            for mode, fold, explain in (
                ("plain", False, False),
                ("explain", False, True),
                ("fold", True, False),
            ):
                for m in find_names(document, sentences, fold=fold, places=places, explain=explain):
                    fields = (ident, mode, m.start, m.end, m.sentence, m.kind, m.text, repr(m.surface), m.cue)
                    line = "\t".join(map(str, fields)) + "\n"
                    out.write(line)
                    digest.update(line.encode("utf-8"))
                    count += 1
    print(f"{count} mentions, sha256 {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
