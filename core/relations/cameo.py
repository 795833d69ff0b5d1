"""CAMEO event codes and the PETRARCH2 verb dictionary, read as shipped (`data/petrarch2/CAMEO.2.0.txt`).

The verb dictionary (MIT, Copyright (c) 2014 Open Event Data; see `data/petrarch2/LICENSE`) is
kept in PETRARCH's own format so it stays editable with PETRARCH's documentation. What is read:

- synonym sets (`&TREATY` then `+TREATY`, `+ACCORD` ...), used inside patterns;
- verb blocks: a header `---  NAME  [code]  ---` giving the block's default code (`---` = none),
  then verbs (`SIGN`, `QUIT {QUITS QUITTING}`, `+CALL_OFF [160]`: a multi-word verb, an own code),
  then patterns `- PRE * POST [code]`, where `*` stands for any verb of the block and the words
  after it must follow the verb, in order, within a few words ("- * AID [162]" under CANCEL:
  "halted its aid" is 162, Reduce relations).
Pattern markers that PETRARCH resolves with a parse tree ($ source, + target, ^ skip, % compound)
are dropped; parentheses are read as plain words. Codes like `042:043` (active:passive) keep the
active code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.paths import data_dir
from core.relations.stance import inflections

VERB_DICTIONARY = Path("petrarch2") / "CAMEO.2.0.txt"

ROOT_NAMES = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Diplomatic cooperation",
    "06": "Material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}

QUAD_NAMES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


def quad_of(root: str) -> str:
    """QuadClass of a CAMEO root: 01-05 verbal cooperation, 06-09 material cooperation, 10-14 verbal
    conflict, 15-20 material conflict (the CAMEO/GDELT QuadClass map in PETRARCH2's PROVENANCE).
    Phoenix data shifts the borders (06-08, 09-13, 14-20); the stances differ only for 09 Investigate."""
    number = int(root)
    if not 1 <= number <= 20:
        raise ValueError(f"not a CAMEO root code: {root!r}")
    if number <= 5:
        return "verbal_cooperation"
    if number <= 9:
        return "material_cooperation"
    if number <= 14:
        return "verbal_conflict"
    return "material_conflict"


def stance_of(root: str) -> str:
    """cooperation or conflict, from the root's QuadClass."""
    return "cooperation" if quad_of(root).endswith("cooperation") else "conflict"


@dataclass(frozen=True)
class Pattern:
    """One PETRARCH pattern of a verb block: words before and after the verb, and the code it gives."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str  # a CAMEO code ("162") or "" for "this use is not an event"
    text: str  # the pattern as written, for explanations
    # The block verb the pattern was written for, when its comment names one ("- * TO [030] # HEAD"):
    # the pattern then applies to that verb only, not to its synonyms ("directed them to" is no 03).
    verb: str = ""


CompiledPattern = tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...], Pattern]


@dataclass
class VerbBlock:
    """A PETRARCH verb block: default code and its patterns."""

    name: str
    code: str  # "" when the block has no default
    raw_patterns: list[str] = field(default_factory=list)  # "- * AID [162]" lines as written
    comments: list[str] = field(default_factory=list)  # each raw pattern's comment ("HEAD"), or ""
    lemmas: set[str] = field(default_factory=set)  # the block's verbs, as in VerbEntry.lemma
    patterns: list[Pattern] = field(default_factory=list)
    # Each pattern word as the set of sentence words it matches, built on the block's first use,
    # and indexed by the words that can start its part after the verb (most patterns have one).
    compiled: dict[str, list[CompiledPattern]] | None = None
    before_only: list[CompiledPattern] = field(default_factory=list)

    def candidates(
        self, synsets: dict[str, frozenset[str]], following: Sequence[str]
    ) -> list[CompiledPattern]:
        """The patterns that may match, given the words after the verb."""
        if self.compiled is None:
            self.compiled = {}
            for line, comment in zip(self.raw_patterns, self.comments, strict=True):
                named = " ".join(_words(comment.split()[0].lstrip("+"))) if comment.split() else ""
                match = _CODE.search(line)
                if match is None or "*" not in line:
                    continue  # PETRARCH tolerates a few such lines; they carry no usable pattern
                body = line[1 : match.start()]
                before, _, after = body.partition("*")
                self.patterns.append(
                    Pattern(
                        _pattern_words(before),
                        _pattern_words(after),
                        _code(match.group(1)),
                        body.strip(),
                        named if named in self.lemmas else "",
                    )
                )
            for pattern in self.patterns:
                if not (pattern.before or pattern.after):
                    continue
                item = (
                    tuple(matching_words(w, synsets) for w in pattern.before),
                    tuple(matching_words(w, synsets) for w in pattern.after),
                    pattern,
                )
                if not item[1]:
                    self.before_only.append(item)
                    continue
                for word in item[1][0]:
                    self.compiled.setdefault(word, []).append(item)
        found = list(self.before_only)
        seen: set[str] = set()
        for word in following:
            if word not in seen:
                seen.add(word)
                found.extend(self.compiled.get(word, ()))
        return found


@dataclass(frozen=True)
class VerbEntry:
    """A verb form's meaning: its block, and its own code if the verb line gave one."""

    block: VerbBlock
    code: str
    lemma: str  # the verb as written in the dictionary, lower case, words joined by spaces


@dataclass
class VerbDictionary:
    """Surface forms (lower case, multi-word forms joined by spaces) to verb entries; synonym sets."""

    forms: dict[str, list[VerbEntry]]
    synsets: dict[str, frozenset[str]]
    longest: int  # most words in one verb form


_CODE = re.compile(r"\[([0-9:-]*)\]")
_BRACES = re.compile(r"\{([^}]*)\}")


def _code(raw: str) -> str:
    """The active code of `[042:043]`, `[:110]`, `[---]`: digits, or "" for none."""
    active, _, passive = raw.partition(":")
    chosen = active if active.strip("-") else passive
    return chosen if chosen.isdigit() else ""


def _words(phrase: str) -> list[str]:
    return [w for w in phrase.lower().replace("_", " ").split() if w]


def _noun_forms(word: str) -> set[str]:
    """A pattern word matches itself and its plural; synonym sets are expanded by the matcher."""
    if word.startswith("&"):
        return {word}
    forms = {word, word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms


def _pattern_words(text: str) -> tuple[str, ...]:
    cleaned = _BRACES.sub(lambda m: m.group(1), text).replace("(", " ").replace(")", " ")
    words: list[str] = []
    for token in cleaned.split():
        token = token.strip().lower()
        if not token or token[0] in "$+^%" or token in {"-"}:
            continue
        words.append(token.rstrip("_"))
    return tuple(words)


def parse_verb_dictionary(text: str, source: str = "verb dictionary") -> VerbDictionary:
    """Parse PETRARCH's CAMEO verb dictionary text; raises ValueError naming the line when malformed."""
    forms: dict[str, list[VerbEntry]] = {}
    synsets: dict[str, set[str]] = {}
    block: VerbBlock | None = None
    synset: str | None = None
    longest = 1
    for number, raw in enumerate(text.splitlines(), start=1):
        line, _, comment = raw.partition("#")
        line = line.rstrip()
        if not line.strip():
            synset = None
            continue
        stripped = line.strip()
        if stripped.startswith("&"):
            synset = stripped.lower().rstrip("_")
            synsets[synset] = set()
            block = None
            continue
        if synset is not None and stripped.startswith("+"):
            synsets[synset].add(" ".join(_words(stripped[1:].rstrip("_"))))
            continue
        if stripped.startswith("---"):
            match = _CODE.search(stripped)
            name = stripped.strip("- ").split("[")[0].strip()
            if match is None or not name:
                raise ValueError(f"{source}, line {number}: bad block header {stripped!r}")
            block = VerbBlock(name.lower(), _code(match.group(1)))
            continue
        if block is None:
            continue  # text outside any block (the file's preamble)
        if stripped.startswith("-"):
            block.raw_patterns.append(stripped)  # parsed on the block's first use: most never are
            block.comments.append(comment.strip())
            continue
        # A verb line: WORD or +MULTI_WORD, optional {irregular forms}, optional [code].
        match = _CODE.search(stripped)
        code = _code(match.group(1)) if match else ""
        head = _CODE.sub("", _BRACES.sub("", stripped)).strip()
        if not head:
            continue
        multi = head.startswith("+")
        lemma_words = _words(head.lstrip("+"))
        if not lemma_words:
            continue
        lemma = " ".join(lemma_words)
        surfaces = {lemma}
        braces = _BRACES.search(stripped)
        if braces:
            # Forms are separated by spaces (a few lines also use commas, which are not forms).
            surfaces |= {" ".join(_words(f.lstrip("+"))) for f in braces.group(1).replace(",", " ").split()}
        if multi:
            # Inflect the first word of a phrasal verb: CALL_OFF -> calls off, called off, calling off.
            first, rest = lemma_words[0], " ".join(lemma_words[1:])
            surfaces |= {f"{form} {rest}".strip() for form in inflections(first)}
        else:
            surfaces |= inflections(lemma)
        entry = VerbEntry(block, code, lemma)
        block.lemmas.add(lemma)
        for surface in surfaces:
            if surface and surface[0].isalpha():
                forms.setdefault(surface, []).append(entry)
                longest = max(longest, len(surface.split()))
    return VerbDictionary(forms, {k: frozenset(v) for k, v in synsets.items()}, longest)


@lru_cache(maxsize=2)
def load_verb_dictionary(path: Path | None = None) -> VerbDictionary:
    """The shipped PETRARCH2 verb dictionary, parsed once per process."""
    source = path or data_dir() / VERB_DICTIONARY
    return parse_verb_dictionary(source.read_text(encoding="utf-8", errors="replace"), str(source))


def matching_words(pattern_word: str, synsets: dict[str, frozenset[str]]) -> frozenset[str]:
    """The sentence words (lower case) one pattern word matches: itself, its plural, its synonym set."""
    if pattern_word.startswith("&"):
        members = synsets.get(pattern_word, frozenset())
        return frozenset(form for member in members if " " not in member for form in _noun_forms(member))
    return frozenset(_noun_forms(pattern_word))
