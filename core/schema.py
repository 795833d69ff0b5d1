"""Frame schemas shared by the analysis, the cache and every consumer, and the engine version.

Bump ENGINE_VERSION whenever analysis output changes (a new keyword configuration, new name data,
a changed rule): cached results of older versions are then ignored rather than served stale. A
user's own edit of a data file (data/event_rules.toml, countries.toml, ...) changes `engine_key`,
so cached results are not served stale after it either.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import polars as pl

from core.paths import data_dir

# 2: keywords from the Polars YAKE engine (core.keywords.yake.frames) with its own segtok-faithful tokenizer.
# 3: people/organisations/places from the learned entity tagger (core.entities.recognise); editor-style
#    keyphrases beside the words, filler dropped, scores are list positions (core.keywords.phrases);
#    country-pair stance from the CAMEO event coder (core.relations.event_coder), event fields on pairs.
# 4: the same release as 3, whose number had been used by unfinished builds while it was developed:
#    a cache they wrote must not be served as this release's results.
# 5: relations read with the POS tagger; phrases and words compete by one value (rerank.compose).
# 6: a phrase's value also rises with its own score (phrase_score in data/keyphrases.toml).
# 7: relations: business/economic event words, "withholding of", "pressure on", a noun "call",
#    places listed after a participant place, Title Case headline verbs (issue 11, fourth round);
#    and the keyword list's weights are a learned ranker (benchmarks/train_keyphrase_ranker.py).
# 8: entities: news-wire repairs (wrapped lines, company legal forms, "X and Y" organisations, short
#    forms, events, line-ups); relations: compound objects, state bodies, dateline titles, demanded
#    acts (issues 12 and 11).
# 9: entities: month-day dates dropped, short-form explanations independent of hash order;
#    relations: closing attributions, the month "May", firms' home countries (this round).
# 10: entities: company names by legal form and their short forms, organisation names run on,
#    people by office (issue 12, sixth round); relations: round seven's event-coder rules and the
#    review's mends (issue 11).
# 11: keywords: the words' headline share and first sentence as phrase features, ranker refitted
#    (issue 13, seventh round); relations: round eight's conflict words, threat markers and
#    compound heads (issue 11).
# 12: relations: round nine's operators, venues and actors since 1980, and directions from the
#    dependency parse; countries: time words before a state name, "Sino" (issue 11). No release
#    carried 12 before the parse changed directions, so no cache of it can be stale.
# 13: relations: the stance model (core.relations.stance_model) fills in and overrules stances; a
#    country where another's armed forces act, or that a visitor heads to, is a participant; "open
#    fire" (issue 11, tenth round).
# 14: relations: denials of charges and warnings "that" are CAMEO 01 statements; the stance model
#    also takes the stance off a coded pair it is sure reports no event (issue 11, eleventh round).
# 15: relations: contracted negation, forces that fight elsewhere leave their host a venue, narrower
#    inline brackets (issue 11, twelfth round); datasets are keyed by engine_key too.
# 16: relations: backing asides (", backed by X,") are about the country before them; a country
#    named only in a clause about another takes no part in the main event; co-hosts of forces
#    (issue 11, thirteenth round).
ENGINE_VERSION = "16"


_DATA_SUFFIXES = frozenset({".toml", ".txt", ".tsv", ".gz", ".json"})


def data_fingerprint(folder: Path | None = None) -> str:
    """A digest of the data files analysis reads (the rules, name lists, dictionaries and model
    weights in `data/`, not the sample corpus or the model cards). About 4 MB, hashed in ~10 ms."""
    root = folder or data_dir()
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        # Only the kinds of file analysis reads: an editor's swap or temporary file, a cache folder
        # or a model card must not change the key (nor vanish under us: a file gone is skipped).
        if relative.parts[0] == "corpus" or path.suffix not in _DATA_SUFFIXES or path.name.startswith("."):
            continue
        try:
            content = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            continue
        digest.update(str(relative.as_posix()).encode())
        digest.update(b"\x00")
        digest.update(content)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def engine_key() -> str:
    """What cached results are valid for: the engine version and the data files as they are now
    ("14-3f2a…"); read once per process."""
    return f"{ENGINE_VERSION}-{data_fingerprint()}"


KEYWORD_STRUCT = pl.Struct({"phrase": pl.String(), "score": pl.Float64()})

# One row per mention of a country, person, organisation or other named thing.
MENTION_STRUCT = pl.Struct(
    {
        "entity": pl.String(),  # canonical name: "Iraq", "Ibrahim Jaafari"
        "surface": pl.String(),  # as written: "Baghdad", "Jaafari"
        "kind": pl.String(),  # country | person | organisation | place | other
        "code": pl.String(),  # ISO 3166-1 alpha-2 for countries, else null
        "how": pl.String(),  # countries: name | alias | demonym | capital | city; others: the cue
        "locative": pl.Boolean(),  # a venue ("in Moscow"), not an actor
        "sentence": pl.Int32(),
        "start": pl.Int32(),
        "end": pl.Int32(),
    }
)

# One row per sentence naming two different countries, per unordered pair.
PAIR_STRUCT = pl.Struct(
    {
        "sentence": pl.Int32(),
        "start": pl.Int32(),
        "end": pl.Int32(),
        "code_a": pl.String(),
        "code_b": pl.String(),
        "name_a": pl.String(),
        "name_b": pl.String(),
        # cooperation | conflict | neutral: from the event's QuadClass, or the stance model's
        "stance": pl.String(),
        # +-1 material, +-0.5 verbal, halved for guesses and the model's stances (orders the evidence)
        "score": pl.Float64(),
        "weight": pl.Float64(),  # 1 for actors; 0 when a country is only a venue (kept out of `net`)
        "event": pl.String(),  # CAMEO root "01".."20", null when the sentence codes no event
        "event_name": pl.String(),  # "Reject", "Provide aid", ...
        # verbal_cooperation | material_cooperation | verbal_conflict | material_conflict | neutral
        "quad": pl.String(),
        "source": pl.String(),  # ISO2 of the actor, null when undirected
        "target": pl.String(),
        "rule": pl.String(),  # the coder's rule that decided the event, or the stance model's (--explain)
        "cues": pl.List(pl.String()),
        "quads": pl.List(pl.String()),
        "venue": pl.Boolean(),
        "text": pl.String(),
    }
)

# The cache's row: everything analysis computed for one distinct article content.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "content_hash": pl.String(),
    "keywords": pl.List(KEYWORD_STRUCT),
    "mentions": pl.List(MENTION_STRUCT),
    "pairs": pl.List(PAIR_STRUCT),
}
