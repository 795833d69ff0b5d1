"""Draw the candidate sentences of the `check2` split (benchmarks/relations_check2.jsonl).

Prints, as JSON lines, sentences in which the shipped pipeline finds two or more countries (names,
demonyms, capitals or actors) and that are not in relations_dev.jsonl: every such sentence of the
bundled Wikinews corpus, then, seeded, one sentence per article from randomly drawn BBC politics and
business stories and Reuters-21578 stories (../shared), until each reaches its quota. Only the text
and the country codes are printed, never the coder's answer: the labels are written by reading.

Run: uv run python benchmarks/sample_check2.py > /tmp/candidates.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from _shared import corpus_dir, read_jsonl  # noqa: E402

from core.analysis.pipeline import analyse_article  # noqa: E402
from core.articles import article_document  # noqa: E402
from core.text.sentences import split_sentences  # noqa: E402

QUOTA = {"bbc": 55, "reuters": 55}
SEED = 1103


def _two_country_sentences(title: str, text: str) -> list[tuple[int, list[str], str]]:
    document = article_document(title, text)
    sentences = split_sentences(document)
    row = analyse_article("", title, text, keywords=[])
    codes: dict[int, set[str]] = {}
    for pair in row["pairs"]:
        codes.setdefault(pair["sentence"], set()).update((pair["code_a"], pair["code_b"]))
    return [
        (index, sorted(named), document[sentences[index].start : sentences[index].end])
        for index, named in sorted(codes.items())
    ]


def main() -> None:
    dev = list(read_jsonl(REPO / "benchmarks" / "relations_dev.jsonl"))
    seen = {(x["article_id"], x["sentence"]) for x in dev}
    for article in read_jsonl(REPO / "data" / "corpus" / "wikinews.jsonl"):
        for index, codes, text in _two_country_sentences(article["title"], article["text"]):
            if (article["id"], index) not in seen:
                print(
                    json.dumps(
                        {
                            "corpus": "wikinews",
                            "article_id": article["id"],
                            "sentence": index,
                            "codes": codes,
                            "text": text,
                        }
                    )
                )
    rng = random.Random(SEED)
    bbc = sorted(p for c in ("politics", "business") for p in corpus_dir("bbc").glob(f"{c}/*.txt"))
    reuters = list(read_jsonl(corpus_dir("reuters-train") / "corpus.jsonl"))
    sources = {
        "bbc": [
            (
                f"{p.parent.name}/{p.name}",
                *p.read_text(encoding="utf-8", errors="replace").partition("\n")[::2],
            )
            for p in bbc
        ],
        "reuters": [(a["id"], a["title"], a["text"]) for a in reuters],
    }
    for corpus, articles in sources.items():
        order = list(range(len(articles)))
        rng.shuffle(order)
        found = 0
        for number in order:
            article_id, title, text = articles[number]
            found_here = _two_country_sentences(title.strip(), text)
            if not found_here:
                continue
            index, codes, sentence = rng.choice(found_here)
            print(
                json.dumps(
                    {
                        "corpus": corpus,
                        "article_id": article_id,
                        "sentence": index,
                        "codes": codes,
                        "text": sentence,
                    }
                )
            )
            found += 1
            if found == QUOTA[corpus]:
                break


if __name__ == "__main__":
    main()
