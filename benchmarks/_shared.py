"""Helpers for benchmark scripts: find ../shared, skip cleanly when it is absent, measure memory."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared"))


def corpus_dir(name: str) -> Path:
    """The corpus folder under ../shared/corpora, or exit 0 with a message when it is not there."""
    path = SHARED / "corpora" / name
    if not path.exists():
        print(f"skipped: {path} is absent (the benchmark corpora live in ../shared, beside the checkout)")
        sys.exit(0)
    return path


def text_sha1(text: str) -> str:
    """The first 12 hex digits of a sentence's SHA-1: how labelled rows of unshippable corpora name
    their text (relations_check*.jsonl, relations_train*.jsonl)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident set size in MB of this process (or of its waited-for children)."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def bbc_articles() -> list[tuple[str, str]]:
    """(title, text) of every BBC file, duplicates kept (first line is the headline); exits 0 if absent."""
    articles = []
    for path in sorted(corpus_dir("bbc").glob("*/*.txt")):
        title, _, text = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        articles.append((title.strip(), text))
    return articles


def shipped_yake_extractor() -> Any:
    """yake.KeywordExtractor with newsdesk's settings: n=2, window 1, no case feature, top 20."""
    import yake

    from core.keywords.rerank import YAKE_FEATURES_WITHOUT_CASE

    return yake.KeywordExtractor(lan="en", n=2, window_size=1, top=20, features=YAKE_FEATURES_WITHOUT_CASE)


# GMB (Voice of America) sentences are stored tokenized; benchmarks rebuild plain text with one fixed
# rule (documented in benchmarks/relations_dev.md, check9): tokens joined by one space, except no
# space before closing punctuation (. , ; : ! ? ) ] } % ... and the clitics 's ' n't 'll 'm 're 've 'd)
# and none after an opening bracket or "$"; a straight double quote alternates, opening (no space
# after it) then closing (no space before it), within each sentence.
_GMB_NO_SPACE_BEFORE = {
    *(".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "...", "…", "”", "’"),
    *("'s", "'", "n't", "'ll", "'m", "'re", "'ve", "'d"),
}
_GMB_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "‘"}


def gmb_sentence_text(tokens: list[str]) -> str:
    """A GMB sentence's tokens as plain text ("Egypt 's" -> "Egypt's", no space before "." or ",")."""
    out: list[str] = []
    glue_next = False
    quote_open = False
    for token in tokens:
        glue = glue_next or not out
        glue_next = False
        if token == '"':
            if quote_open:
                glue = True
            else:
                glue_next = True
            quote_open = not quote_open
        elif token in _GMB_NO_SPACE_BEFORE:
            glue = True
        if token in _GMB_NO_SPACE_AFTER:
            glue_next = True
        out.append(token if glue else " " + token)
    return "".join(out)


def gmb_document_text(block: dict) -> str:
    """One 20-sentence GMB block as an article body: each sentence its own paragraph (blank line)."""
    return "\n\n".join(gmb_sentence_text(s["tokens"]) for s in block["sentences"])


def gmb_blocks(shared: Path = SHARED) -> Iterator[dict]:
    """Every GMB block (train then dev) of ../shared/corpora/gmb-ner, or nothing when it is absent."""
    folder = shared / "corpora" / "gmb-ner"
    for name in ("train.jsonl", "dev.jsonl"):
        if (folder / name).exists():
            yield from read_jsonl(folder / name)


def conllu_sentences(path: Path) -> Iterator[tuple[str, list[list[str]]]]:
    """(text, rows) of each sentence of a CoNLL-U file, as a blank line ends it: its `# text`
    comment, and the tab-separated columns of its word and multiword-token lines (empty nodes,
    "8.1", have no surface form and are left out)."""
    text = ""
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("# text = "):
                text = line[len("# text = ") :]
            elif line.startswith("#"):
                continue
            elif not line:
                yield text, rows
                text, rows = "", []
            else:
                cols = line.split("\t")
                if "." not in cols[0]:
                    rows.append(cols)
