"""People and organisations in an article: capitalised spans that are not places, with a kind.

Rule-based on purpose: it runs on every article beside YAKE, offsets must be exact for evidence
highlighting, and the cue lists live in data/entity_cues.toml where an editor can tune them;
core/entities/words.py reads them and finds the capitalised runs core/entities/candidates.py judges.
Places are found by the countries module; their spans come in as `exclude` and are never names.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from core.entities.candidates import (
    RANK_FIRST_NAME,
    RANK_NONE,
    RANK_ORG,
    RANK_SAID,
    RANK_TITLE,
    Candidate,
    CandidateFinder,
)
from core.entities.words import Token
from core.text.sentences import Sentence, split_sentences

PERSON = "person"
ORGANISATION = "organisation"
OTHER = "other"

_RANK_KIND = {
    RANK_ORG: ORGANISATION,
    RANK_TITLE: PERSON,
    RANK_FIRST_NAME: PERSON,
    RANK_SAID: PERSON,
    RANK_NONE: OTHER,
}


@dataclass(frozen=True)
class EntityMention:
    """One person/organisation/other mention, with the canonical name its short forms fold into."""

    text: str
    surface: str
    start: int
    end: int
    sentence: int
    kind: str
    cue: str


def _fold(
    candidates: list[Candidate],
    first_names: frozenset[str],
    aliases: dict[tuple[str, ...], tuple[str, ...]],
) -> dict[tuple[str, ...], list[Candidate]]:
    """Group mentions by name, folding short forms ("Jaafari", "EOC") into the full name they stand for."""
    groups: dict[tuple[str, ...], list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.key, []).append(candidate)
    best = {key: max(member.rank for member in members) for key, members in groups.items()}
    first_at = {key: members[0].start for key, members in groups.items()}
    normal = [key for key, members in groups.items() if any(not member.shouty for member in members)]
    # Every proper suffix of a non-organisation name points back at it: ("jaafari",) -> Ibrahim Jaafari.
    by_suffix: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in normal:
        if best[key] != RANK_ORG:
            for cut in range(max(1, len(key) - 3), len(key)):  # short forms have one to three words
                by_suffix.setdefault(key[cut:], []).append(key)
    for key in sorted(groups, key=len, reverse=True):
        members = groups[key]
        options: list[tuple[str, ...]] = []
        if key in aliases and aliases[key] in groups:
            options = [aliases[key]]
        elif best[key] != RANK_ORG:
            options = list(by_suffix.get(key, ()))
            if not options and len(key) == 1 and key[0] in first_names:
                prefixed = [
                    long for long in normal if len(long) > 1 and long[0] == key[0] and best[long] != RANK_ORG
                ]
                options = prefixed if len(prefixed) == 1 else []
        if not options:
            for member in members:
                member.root = key
            continue
        # A short form belongs to the nearest full name before it, else the first one after.
        options.sort(key=first_at.__getitem__)
        starts = [first_at[long] for long in options]
        for member in members:
            chosen = options[max(bisect_right(starts, member.start) - 1, 0)]
            member.root = groups[chosen][0].root or chosen
    merged: dict[tuple[str, ...], list[Candidate]] = {}
    for candidate in candidates:
        merged.setdefault(candidate.root, []).append(candidate)
    return merged


def find_entities(
    document: str, sentences: list[Sentence] | None = None, exclude: Sequence[tuple[int, int]] = ()
) -> list[EntityMention]:
    """Person, organisation and other name mentions in `document`, sorted by start offset.

    `exclude` holds the spans of places found by the countries module: a name overlapping one is
    split or dropped, so a place is never reported as a person or an organisation.
    """
    if not document.strip():
        return []
    if sentences is None:
        sentences = split_sentences(document)
    if not sentences:
        return []
    finder = CandidateFinder(document, sentences, exclude)
    normal: list[Candidate] = []
    loud: list[tuple[list[Token], bool]] = []
    for run, cut in finder.runs():
        if finder.shouty[run[0].sentence]:
            loud.append((run, cut))
        else:
            normal.extend(finder.shape(run, cut, shouty=False))
    candidates = normal
    if loud:
        known = {word for candidate in normal for word in candidate.key}
        for run, cut in loud:
            for part in finder.shouty_parts(run, known):
                candidates.extend(finder.shape(part, cut, shouty=True))
        candidates.sort(key=lambda candidate: candidate.start)
    aliases = _acronym_definitions(document, candidates)
    return _mentions(document, _fold(candidates, finder.cues.first_names, aliases))


def _acronym_definitions(
    document: str, candidates: list[Candidate]
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Acronyms defined in brackets after their full name ("Equal Opportunities Commission (EOC)")."""
    aliases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for full, short in pairwise(candidates):
        if len(full.key) < 2 or len(short.key) != 1 or document[full.end : short.start] != " (":
            continue
        acronym = document[short.start : short.end]
        if not acronym.isupper() or document[short.end : short.end + 1] != ")":
            continue
        initials = "".join(word[0] for word in document[full.start : full.end].split() if word[0].isupper())
        if initials == acronym and short.key != full.key:
            aliases.setdefault(short.key, full.key)
    return aliases


def _mentions(document: str, groups: dict[tuple[str, ...], list[Candidate]]) -> list[EntityMention]:
    """Public mentions: each group's longest running-text spelling names it, its strongest cue kinds it."""
    mentions: list[EntityMention] = []
    for members in groups.values():
        plain = [member for member in members if not member.shouty]
        if not plain and max(member.rank for member in members) != RANK_ORG:
            continue  # a headline word this article never names in running text
        pool = plain or members
        longest = max(len(member.key) for member in pool)
        model = next(member for member in pool if len(member.key) == longest)
        text = " ".join(document[model.start : model.end].split())
        kind = _RANK_KIND[max(member.rank for member in members)]
        for member in members:
            own = member.cue if member.rank != RANK_NONE and _RANK_KIND[member.rank] == kind else ""
            cue = own or ("folded" if kind != OTHER else "")
            surface = document[member.start : member.end]
            mentions.append(
                EntityMention(text, surface, member.start, member.end, member.sentence, kind, cue)
            )
    mentions.sort(key=lambda mention: (mention.start, mention.end))
    return mentions
