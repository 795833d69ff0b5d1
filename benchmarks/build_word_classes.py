"""Rebuild data/word_classes.tsv from the UD English EWT treebank in ../shared.

The keyphrase candidates (core/keyphrase_candidates.py) need one fact per word: can it end a noun
phrase (a noun or name), can it sit inside one (also an adjective), or neither (a verb, adverb,
pronoun ...). A tagger per token is too slow for the keyword engine's budget, so this is a
lexicon: for every lower-cased word form seen at least MIN_COUNT times in EWT, the share of its
occurrences tagged NOUN/PROPN and NOUN/PROPN/ADJ. Only words that are rarely nominal are written
(everything else, and every unseen word, may be a noun), which keeps the file small.
Run: uv run python benchmarks/build_word_classes.py
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import REPO, SHARED

TREEBANK = SHARED / "treebanks" / "ud-english-ewt"
OUT = REPO / "data" / "word_classes.tsv"
# Fewer sightings than this say too little about a word (EWT saw "spill" twice, both as a verb).
MIN_COUNT = 3
# A word nominal in fewer than this share of its sightings is no noun ("said", "killed", "very");
# ambiguous words ("attack", "report", "set") stay nouns. Chosen on the keyphrase dev sets:
# 0.1 and 0.2 score the same within noise; 0.5 drops real nouns like "set" or "spending".
MAX_SHARE = 0.1
HEADER = """\
# Word forms that rarely head or join an English noun phrase, for keyphrase candidates.
# Derived from Universal Dependencies English EWT (Silveira et al. 2014), CC BY-SA 4.0;
# this list is shared under the same licence. Rebuild: benchmarks/build_word_classes.py
# class: verb = neither noun nor adjective (cannot appear in a keyphrase);
#        adj  = adjective, not noun (may modify a noun, cannot end a keyphrase).
"""


def tag_counts(paths: list[Path]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip() or line.startswith("#"):
                    continue
                columns = line.split("\t")
                if "-" in columns[0] or "." in columns[0]:  # multiword tokens, empty nodes
                    continue
                counts[columns[1].lower()][columns[3]] += 1
    return counts


def classes(counts: dict[str, Counter[str]]) -> dict[str, str]:
    """Rarely-nominal words; plus the -s form of each verb-like word that EWT never saw (news
    says "warns", "urges", web text rarely does), since a verb's -s form is a verb too."""
    out: dict[str, str] = {}
    for word, tags in counts.items():
        total = sum(tags.values())
        if total < MIN_COUNT or not any(c.isalpha() for c in word):  # punctuation is never a word
            continue
        nominal = tags["NOUN"] + tags["PROPN"]
        if (nominal + tags["ADJ"]) / total < MAX_SHARE:
            out[word] = "verb"
        elif nominal / total < MAX_SHARE:
            out[word] = "adj"
    # Not from -ing/-ed forms: "ruling" is mostly a verb in EWT, "rulings" is a noun.
    bases = [w for w, kind in out.items() if kind == "verb" and w.isalpha() and not w.endswith(("ing", "ed"))]
    for word in bases:
        third_person = word + ("es" if word.endswith(("s", "sh", "ch", "x", "z")) else "s")
        if third_person not in counts:
            out[third_person] = "verb"
    return out


def main() -> None:
    if not TREEBANK.exists():
        print(f"skipped: {TREEBANK} is absent (the treebank lives in ../shared, beside the checkout)")
        return
    paths = sorted(TREEBANK.glob("en_ewt-ud-*.conllu"))
    table = classes(tag_counts(paths))
    lines = [f"{word}\t{kind}" for word, kind in sorted(table.items())]
    OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    kinds = Counter(table.values())
    print(f"wrote {OUT}: {len(table)} words ({kinds['verb']} verb-like, {kinds['adj']} adjective-like)")


if __name__ == "__main__":
    main()
