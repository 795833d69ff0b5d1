"""Explainable stance of a sentence (cooperation, conflict or neutral) from an editable cue lexicon.

The lexicon (`data/relation_cues.toml`) follows CAMEO/GDELT QuadClass; every decision carries the
cue words that made it, so a reader can check a stance against its sentence at a glance.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from core.paths import data_dir

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
StanceName = Literal["cooperation", "conflict", "neutral"]

LEXICON_FILE = "relation_cues.toml"

# Function words inside multi-word cues match as written ("to", not "tos"/"toed").
_FUNCTION_WORDS = frozenset("to a an the on with for of off in out down up at by from its their".split())
# A negator's reach ends at clause punctuation: "did not attack, but agreed" keeps "agreed" positive.
_CLAUSE_BREAK = re.compile(r"[,;:!?()\[\]\"“”—–]")
_SCOPE_BREAK = re.compile(r"\b(?:and|but|or|while|whereas|although|though|yet|then)\b", re.IGNORECASE)
_WORDS = re.compile(r"\S+")
_WORD = re.compile(r"\w+")
_CONTRACTION = r"\w+n['’]t"


@dataclass(frozen=True)
class Cue:
    """One cue found in a text: where, what it said, its QuadClass and whether a negator flips it."""

    start: int
    end: int
    surface: str
    quad: str
    negator: str = ""  # normalised negating word ("not", "never", "refused"...), "" when not negated

    @property
    def label(self) -> str:
        """The cue as shown to a reader: the words found, `not+agree` style when negated."""
        text = " ".join(self.surface.lower().split())
        return f"{self.negator}+{text}" if self.negator else text

    @property
    def effective_quad(self) -> str:
        """The class the cue counts as: negated cooperation is verbal conflict, negated conflict nothing."""
        if not self.negator:
            return self.quad
        return "verbal_conflict" if self.quad.endswith("cooperation") else "neutral"

    @property
    def polarity(self) -> int:
        """+1 for cooperation, -1 for conflict, 0 for a neutralised cue."""
        quad = self.effective_quad
        return 1 if quad.endswith("cooperation") else -1 if quad.endswith("conflict") else 0


@dataclass(frozen=True)
class Stance:
    """A stance decision with its evidence: the cue labels and their (effective) QuadClasses, in order."""

    stance: StanceName
    score: float
    cues: tuple[str, ...]
    quads: tuple[str, ...]


NEUTRAL = Stance("neutral", 0.0, (), ())


@dataclass(frozen=True)
class Lexicon:
    """The compiled cue lexicon: one anchored regex per cue, indexed by first word, plus the negator regex.

    One big alternation of all cues costs ~200 µs a sentence (Python's re tries every branch at every
    word); looking the word up first and trying only the cues that start with it costs ~20 µs.
    """

    patterns: tuple[re.Pattern[str], ...]  # one per cue, longest (most specific) first
    quads: tuple[str, ...]  # quads[i] is the class of patterns[i]
    first_words: dict[str, tuple[int, ...]]  # lower-cased first word -> indices into patterns, in order
    negators: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    cues: dict[str, tuple[str, ...]]  # the cue strings per QuadClass, as written in the file
    material_weight: float
    verbal_weight: float
    damping: float
    negation_window: int

    def weight(self, quad: str) -> float:
        """Material cues (acts) weigh more than verbal ones (words)."""
        return self.material_weight if quad.startswith("material") else self.verbal_weight


def inflections(word: str) -> set[str]:
    """Regular English inflections of a lemma (over-generating is harmless: they only have to match)."""
    forms = {word}
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing", word + "ing"}
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
        # Consonant-vowel-consonant endings double before -ed/-ing (banned, committed).
        if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _forms(token: str) -> set[str]:
    forms: set[str] = set()
    for alternative in token.lower().split("|"):
        if alternative.startswith("="):
            forms.add(alternative[1:])
        elif alternative in _FUNCTION_WORDS:
            forms.add(alternative)
        else:
            forms |= inflections(alternative)
    return forms


def _word_pattern(token: str) -> str:
    if token == "n't":
        return _CONTRACTION
    forms = _forms(token)
    # Longest first so that a form never stops short of a longer one at the same position.
    return "(?:" + "|".join(re.escape(form) for form in sorted(forms, key=lambda f: (-len(f), f))) + ")"


def cue_pattern(cue: str, gap_words: int) -> str:
    """The regex (no capture groups) for one cue written in the lexicon's syntax."""
    tokens = cue.split()
    if not tokens or tokens[0] == "..." or tokens[-1] == "...":
        raise ValueError(f"bad cue {cue!r}: empty or starting/ending with '...'")
    parts: list[str] = []
    joiner = ""
    for token in tokens:
        if token == "...":
            joiner = rf"\s+(?:\S+\s+){{0,{gap_words}}}?"
            continue
        parts.append(joiner + _word_pattern(token))
        joiner = r"[\s\-]+"
    return "".join(parts)


def _alternation(patterns: Sequence[str]) -> str:
    return r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b"


def _number(settings: dict[str, Any], key: str, default: float) -> float:
    value = settings.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ValueError(f"[settings] {key} must be a non-negative number, got {value!r}")
    return float(value)


def parse_lexicon(data: dict[str, Any]) -> Lexicon:
    """Compile a parsed lexicon TOML; raises ValueError naming the offending entry when it is malformed."""
    settings = data.get("settings", {})
    gap_words = int(_number(settings, "gap_words", 3))
    entries: list[tuple[str, str]] = []
    cues: dict[str, tuple[str, ...]] = {}
    for quad in QUADS:
        listed = data.get(quad, {}).get("cues", [])
        if not isinstance(listed, list) or not all(isinstance(c, str) and c.strip() for c in listed):
            raise ValueError(f"[{quad}] cues must be a list of non-empty strings")
        cues[quad] = tuple(listed)
        entries.extend((cue, quad) for cue in listed)
    if not entries:
        raise ValueError("the lexicon has no cues")
    # Multi-word cues first, so "striking deals" is read as a deal, not as the conflict cue "strike".
    entries.sort(key=lambda entry: (-len(entry[0].split()), -len(entry[0])))
    first_words: dict[str, list[int]] = {}
    for index, (cue, _) in enumerate(entries):
        for form in _forms(cue.split()[0]):
            # Index by the form's first \w+ run: the same unit find_cues looks up ("cease" of "cease-fire").
            head = _WORD.match(form)
            if head is None:
                raise ValueError(f"bad cue {cue!r}: its first word has no letters")
            first_words.setdefault(head.group(), []).append(index)
    negation = data.get("negation", {})
    negators = [cue_pattern(n, gap_words) for n in negation.get("negators", ["=not", "n't", "=never"])]
    exceptions = [cue_pattern("=" + " =".join(e.split()), 0) for e in negation.get("exceptions", [])]
    return Lexicon(
        patterns=tuple(re.compile(cue_pattern(cue, gap_words) + r"\b", re.IGNORECASE) for cue, _ in entries),
        quads=tuple(quad for _, quad in entries),
        first_words={word: tuple(indices) for word, indices in first_words.items()},
        negators=re.compile(_alternation(negators), re.IGNORECASE),
        exceptions=re.compile(_alternation(exceptions), re.IGNORECASE) if exceptions else None,
        cues=cues,
        material_weight=_number(settings, "material_weight", 1.0),
        verbal_weight=_number(settings, "verbal_weight", 0.5),
        damping=_number(settings, "damping", 0.5),
        negation_window=int(_number(settings, "negation_window", 3)),
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """The compiled lexicon, read once per path (the default is `data/relation_cues.toml`)."""
    source = path or data_dir() / LEXICON_FILE
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return parse_lexicon(data)
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from error


def _negator_word(surface: str) -> str:
    first = surface.split()[0].lower()
    return "not" if first in ("cannot", "not") or first.endswith(("n't", "n’t")) else first


def _in_reach(text: str, start: int, end: int, lex: Lexicon) -> bool:
    between = text[start:end]
    return (
        len(_WORDS.findall(between)) <= lex.negation_window
        and not _CLAUSE_BREAK.search(between)
        and not _SCOPE_BREAK.search(between)
    )


def find_cues(text: str, lexicon: Lexicon | None = None) -> list[Cue]:
    """Every cue in `text` in order, with negation resolved; offsets are into `text`."""
    lex = lexicon or load_lexicon()
    found: list[Cue] = []
    resume = 0
    for word in _WORD.finditer(text):
        if word.start() < resume:
            continue
        for index in lex.first_words.get(word.group().lower(), ()):
            match = lex.patterns[index].match(text, word.start())
            if match:
                found.append(Cue(match.start(), match.end(), match.group(), lex.quads[index]))
                resume = match.end()  # cues do not overlap: the first (longest) one wins
                break
    if not found:
        return []
    negators = [
        m
        for m in lex.negators.finditer(text)
        if lex.exceptions is None or not lex.exceptions.match(text, m.start())
    ]
    if not negators:
        return found
    ends = [m.end() for m in negators]
    used: set[int] = set()
    result: list[Cue] = []
    scope: tuple[int, str] | None = None  # (end of the last negated cue, its negator word)
    for cue in found:
        negator_word = ""
        # The nearest negator ending before the cue; each negator opens one scope only.
        position = bisect.bisect_right(ends, cue.start) - 1
        if position >= 0 and position not in used and _in_reach(text, ends[position], cue.start, lex):
            used.add(position)
            negator_word = _negator_word(negators[position].group())
        elif scope is not None and _in_reach(text, scope[0], cue.start, lex):
            # The negated verb's object is negated too: "did not agree to the deal", "refused to sign it".
            negator_word = scope[1]
        scope = (cue.end, negator_word) if negator_word else None
        result.append(Cue(cue.start, cue.end, cue.surface, cue.quad, negator_word) if negator_word else cue)
    # "refused to sign": the negator "refused to" is not also the conflict cue "refused".
    spans = [(negators[p].start(), negators[p].end()) for p in used]
    return [c for c in result if not any(s <= c.start < e for s, e in spans)]


def score_cues(cues: Sequence[Cue], lexicon: Lexicon | None = None) -> Stance:
    """Stance of a set of cues: (cooperation - conflict) / (cooperation + conflict + damping)."""
    if not cues:
        return NEUTRAL
    lex = lexicon or load_lexicon()
    # A negated cooperation cue weighs as the verbal conflict it becomes, whatever its own class.
    cooperation = sum(lex.weight(c.effective_quad) for c in cues if c.polarity > 0)
    conflict = sum(lex.weight(c.effective_quad) for c in cues if c.polarity < 0)
    total = cooperation + conflict + lex.damping
    score = (cooperation - conflict) / total if total > 0 else 0.0
    stance: StanceName = "cooperation" if score > 0 else "conflict" if score < 0 else "neutral"
    return Stance(
        stance, round(score, 4), tuple(c.label for c in cues), tuple(c.effective_quad for c in cues)
    )
