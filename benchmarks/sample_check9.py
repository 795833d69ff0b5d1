"""Draw the candidate sentences of the held-out relations split `check9` (Voice of America, GMB).

check2..check8 came from Wikinews, BBC and Reuters-21578, which are nearly used up and are 1987/2004
business-heavy wire; check9 comes from the Voice of America news sentences of the GMB extract in
../shared/corpora/gmb-ner (ODbL: its text never enters the repository). Each 20-sentence GMB block
is rebuilt as an article body, one detokenized sentence per paragraph (`_shared.gmb_document_text`,
the rule is in relations_dev.md), and the shipped pipeline finds the two-country sentences exactly as
for the other splits (`sample_check2._two_country_sentences`). Seeded: the blocks are shuffled and
one random two-country sentence is taken from each until the quota is reached, leaving out any
sentence whose text was drawn already (GMB repeats some sentences). Only the text and the country
codes are printed, never the coder's answer: the labels are written by reading.

`--split train` (issue 11, round ten) draws 640 more, for training the stance model
(core/relations/stance_model.py), from GMB blocks no earlier split used; `--split check10` then
230 for a new held-out split, and `--split train2` 640 more for training. `--split check11`
(round eleven) 230 more for a fresh held-out split, from blocks none of those used, and
`--split check12` (round twelve) 230 more again.

Run: uv run python benchmarks/sample_check9.py [--split check9|train|check10|train2|check11|check12] \
         > /tmp/candidates.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import corpus_dir, gmb_blocks, gmb_document_text, text_sha1
from sample_check2 import _two_country_sentences

REPO = Path(__file__).resolve().parent.parent
# split -> (seed, quota, the earlier GMB splits whose blocks it leaves out)
DRAWS = {
    "check9": (1110, 230, ()),
    "train": (1202, 640, ("check9",)),
    "check10": (1203, 230, ("check9", "train")),
    "train2": (1204, 640, ("check9", "train", "check10")),
    "check11": (1205, 230, ("check9", "train", "check10", "train2")),
    "check12": (1206, 230, ("check9", "train", "check10", "train2", "check11")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(DRAWS), default="check9")
    seed, quota, earlier = DRAWS[parser.parse_args().split]
    corpus_dir("gmb-ner")  # exits 0 with a message when ../shared is absent
    used: set[str] = set()
    for name in earlier:
        with (REPO / "benchmarks" / f"relations_{name}.jsonl").open(encoding="utf-8") as rows:
            used.update(json.loads(line)["article_id"] for line in rows if line.strip())
    blocks = [block for block in gmb_blocks() if block["id"] not in used]
    rng = random.Random(seed)
    order = list(range(len(blocks)))
    rng.shuffle(order)
    drawn: set[str] = set()
    found = 0
    for number in order:
        block = blocks[number]
        candidates = _two_country_sentences("", gmb_document_text(block))
        candidates = [c for c in candidates if c[2] not in drawn]
        if not candidates:
            continue
        index, codes, sentence = rng.choice(candidates)
        drawn.add(sentence)
        print(
            json.dumps(
                {
                    "corpus": "gmb",
                    "article_id": block["id"],
                    "sentence": index,
                    "text_sha1": text_sha1(sentence),
                    "codes": codes,
                    "text": sentence,
                }
            )
        )
        found += 1
        if found >= quota:
            break


if __name__ == "__main__":
    main()
