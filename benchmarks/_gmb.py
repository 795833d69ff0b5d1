"""The GMB NER extract as the entity tagger's training and measuring data (read from ../shared only).

GMB marks titles as part of a person ("President Hugo Chavez", "Mr. Bush"); news NER test sets and
readers do not ("Hugo Chavez"), so leading title words are moved out of person names here. Kinds
fold to the four newsdesk reports: per -> PER, org -> ORG, geo/gpe -> LOC, art/eve/nat -> MISC;
times (tim) are not names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks._shared import corpus_dir, read_jsonl
from core.entities.features import lexicon

_KIND = {"per": "PER", "org": "ORG", "geo": "LOC", "gpe": "LOC", "art": "MISC", "eve": "MISC", "nat": "MISC"}
# Title words GMB puts inside person names, besides the cue list's titles.
_EXTRA_TITLES = frozenset(
    {
        "prime",
        "vice",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "deputy",
        "former",
        "acting",
        "opposition",
        "pope",
        "u.s.",
        "u.n.",
        "first",
        "lady",
        "crown",
        "grand",
        "supreme",
        "senior",
        "top",
    }
)


@dataclass
class Document:
    id: str
    sentences: list[list[str]]
    tags: list[list[str]]  # BIO over PER/ORG/LOC/MISC

    @property
    def text(self) -> str:
        """The words joined by spaces, sentences by a space: the raw text the runtime pipeline reads."""
        return " ".join(" ".join(words) for words in self.sentences)

    def names(self) -> set[tuple[str, str]]:
        """Distinct (name, kind) pairs of the document, as the hidden-style scoring counts them."""
        from core.entities.model import spans_from_tags

        found: set[tuple[str, str]] = set()
        for words, tags in zip(self.sentences, self.tags, strict=True):
            for start, end, kind in spans_from_tags(tags):
                found.add((" ".join(words[start:end]), kind))
        return found


def _convert(words: list[str], raw: list[str], titles: frozenset[str]) -> list[str]:
    tags = ["O"] * len(words)
    index = 0
    while index < len(raw):
        tag = raw[index]
        if not tag.startswith("B-"):
            index += 1
            continue
        kind = tag[2:]
        end = index + 1
        while end < len(raw) and raw[end] == "I-" + kind:
            end += 1
        start = index
        if kind == "per":
            while start < end and words[start].lower() in titles:
                start += 1
        if kind in _KIND and start < end:
            mapped = _KIND[kind]
            tags[start] = "B-" + mapped
            for inner in range(start + 1, end):
                tags[inner] = "I-" + mapped
        index = end
    return tags


def gmb_documents(split: str) -> Iterator[Document]:
    """`split` is "train" or "dev"; exits 0 with a message when ../shared is absent."""
    path: Path = corpus_dir("gmb-ner") / f"{split}.jsonl"
    titles = lexicon().titles | _EXTRA_TITLES
    for record in read_jsonl(path):
        sentences = [sentence["tokens"] for sentence in record["sentences"]]
        tags = [_convert(s["tokens"], s["tags"], titles) for s in record["sentences"]]
        yield Document(record["id"], sentences, tags)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
