"""The lexical layer of entity finding: the editable cue lists, word tokens and capitalised runs.

Split from core/entities/find.py so reading the lists and cutting text into candidate runs can be read
(and tuned) apart from the rules that judge a run and fold names together.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.paths import data_dir
from core.text.sentences import Sentence

CUES_FILE = "entity_cues.toml"

# Token classes.
BREAK = 0  # ends any name: lowercase word, number, punctuation-only
CAP = 1  # Capitalised word, or a particle name such as "al-Maliki"
CAPS = 2  # ALL-CAPS word of two or more letters
CONN = 3  # lowercase word allowed inside a name: "of", "bin", "de"
EXCLUDED = 4  # overlaps a place span handed in by the caller

_APOSTROPHES = "'’"
_OPEN_QUOTES = "“‘\"'«"
# An unknown ALL-CAPS word longer than this is shouting or a dateline ("BREAKING"), not an acronym.
_MAX_ACRONYM = 5
_HYPHENS = "-‐‑"


@dataclass(frozen=True)
class EntityCues:
    """The cue lists of data/entity_cues.toml, normalised for fast lookup."""

    titles: frozenset[str]
    title_phrases: tuple[tuple[str, ...], ...]
    title_words: frozenset[str]  # single titles and the first words of title phrases
    capitalised_only_titles: frozenset[str]
    abbreviated_titles: frozenset[str]
    said_verbs: frozenset[str]
    first_names: frozenset[str]
    org_heads: frozenset[str]
    org_tails: frozenset[str]
    acronyms: frozenset[str]
    org_names: dict[str, str]
    legal_forms: tuple[str, ...]  # as written ("GmbH", "SpA"); read by recognise.company_names
    connectors: frozenset[str]
    particles: frozenset[str]
    function_words: frozenset[str]
    calendar: frozenset[str]


def _strings(raw: dict[str, Any], section: str, key: str, source: str) -> list[str]:
    """One list of the TOML file, checked, so a typo fails loudly instead of silently emptying a cue."""
    table = raw.get(section)
    if not isinstance(table, dict):
        raise ValueError(f"{source}: missing table [{section}]")
    values = table.get(key)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError(f"{source}: [{section}] {key} must be a list of strings")
    return [value.strip() for value in values if value.strip()]


def normalise(word: str) -> str:
    """Lowercase with one apostrophe, so "Jaafari’s" and "Jaafari's" look up alike."""
    return word.lower().replace("’", "'")


def parse_cues(raw: dict[str, Any], source: str = CUES_FILE) -> EntityCues:
    """Validate and index the TOML tables; raises ValueError naming the file and the bad entry."""

    def lower(section: str, key: str) -> list[str]:
        return [normalise(value) for value in _strings(raw, section, key, source)]

    all_titles = lower("persons", "titles")
    phrases = sorted({tuple(title.split()) for title in all_titles if " " in title}, key=len, reverse=True)
    names = _strings(raw, "organisations", "names", source)
    return EntityCues(
        titles=frozenset(title for title in all_titles if " " not in title),
        title_phrases=tuple(phrases),
        title_words=frozenset(title for title in all_titles if " " not in title) | {p[0] for p in phrases},
        capitalised_only_titles=frozenset(lower("persons", "capitalised_only_titles")),
        abbreviated_titles=frozenset(lower("persons", "abbreviated_titles")),
        said_verbs=frozenset(lower("persons", "said_verbs")),
        first_names=frozenset(lower("persons", "first_names")),
        org_heads=frozenset(_strings(raw, "organisations", "head_words", source)),
        org_tails=frozenset(_strings(raw, "organisations", "tail_words", source)),
        acronyms=frozenset(_strings(raw, "organisations", "acronyms", source)),
        org_names={" ".join(normalise(name).split()): name for name in names},
        legal_forms=tuple(_strings(raw, "organisations", "legal_forms", source)),
        connectors=frozenset(lower("names", "connectors")),
        particles=frozenset(lower("names", "particles")),
        function_words=frozenset(lower("non_entities", "function_words")),
        calendar=frozenset(lower("non_entities", "calendar")),
    )


@lru_cache(maxsize=4)
def load_cues(path: Path | None = None) -> EntityCues:
    """The cue lists, read from `path` (default: the bundled data file) once per process."""
    file = path if path is not None else data_dir() / CUES_FILE
    with file.open("rb") as handle:
        try:
            raw = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{file}: {error}") from error
    return parse_cues(raw, str(file))


@lru_cache(maxsize=4)
def _patterns(
    connectors: frozenset[str], particles: frozenset[str]
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The name-token pattern (built from the cue lists) and the lowercase-word pattern."""
    joiners = f"{_HYPHENS}{_APOSTROPHES}"
    word_tail = rf"[^\W_]*(?:[{joiners}][^\W_]+)*"

    def alternatives(words: frozenset[str]) -> str:
        return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))

    # Only words a name can use, so the Python loop never sees the lowercase majority: capitalised
    # words ("Jaafari’s", "S-400", "O'Brien"), particle names ("al-Maliki"), and connectors ("of").
    # Not after a letter, digit or hyphen, so "pro-Russian" and "2nd" give nothing.
    names = re.compile(
        rf"(?<![^\W_]|[{_HYPHENS}])(?:"
        rf"(?:{alternatives(connectors)})(?![^\W_]|[{joiners}])"
        rf"|(?:{alternatives(particles)})[{joiners}](?![a-z])(?=[^\W\d_]){word_tail}"
        rf"|(?![a-z])(?=[^\W\d_]){word_tail})"
    )
    lowercase = re.compile(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])")
    return names, lowercase


@dataclass(slots=True)
class Token:
    """One word of the document with its class and the facts the name rules ask about it."""

    index: int
    start: int
    end: int
    text: str
    lower: str
    key: str  # folding key: lowercase, particle dropped ("al-Maliki" -> "maliki")
    kind: int
    sentence: int = 0
    initial: bool = False  # capitalised only because of its position (sentence or quote start)
    stop: bool = False  # a name cannot continue past it (possessive, "Kremlin-backed")


def _particle_key(lower: str, particles: frozenset[str]) -> str:
    """The word without a leading particle ("al-maliki" -> "maliki"), so spellings fold together."""
    for index, char in enumerate(lower):
        if char in _HYPHENS or char == "'":
            if lower[:index] in particles and index + 1 < len(lower):
                return lower[index + 1 :]
            return lower
    return lower


def tokenise(
    document: str, excluded: list[tuple[int, int]], cues: EntityCues
) -> tuple[list[Token], set[str]]:
    """Classified name tokens in order, and the set of words written in lowercase (common words)."""
    names, lowercase = _patterns(cues.connectors, cues.particles)
    tokens: list[Token] = []
    spans = excluded
    span_index = 0
    for match in names.finditer(document):
        start, end = match.span()
        text = match.group()
        first = text[0]
        if first.islower():
            if text in cues.connectors:
                kind = CONN
            elif text[len(text) - len(_particle_key(text, cues.particles))].isupper():
                kind = CAP  # "al-Maliki"
            else:
                continue  # a non-ASCII lowercase word ("état")
        else:
            kind = CAPS if len(text) > 1 and text.isupper() else CAP
        stop = False
        if kind != CONN and not text.isalpha():
            if len(text) > 2 and text[-2] in _APOSTROPHES and text[-1] in "sS":
                text = text[:-2]
                stop = True
            text, stop = _trim_adjective(text, stop)
            end = start + len(text)
            if _has_digit(text) and text not in cues.acronyms:
                kind = BREAK
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] < end:
            kind = EXCLUDED
        lowered = text.lower()
        if "’" in lowered:
            lowered = lowered.replace("’", "'")
        key = _particle_key(lowered, cues.particles) if not lowered.isalpha() else lowered
        tokens.append(Token(len(tokens), start, end, text, lowered, key, kind, stop=stop))
    return tokens, set(lowercase.findall(document))


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _trim_adjective(text: str, stop: bool) -> tuple[str, bool]:
    # "Kremlin-backed" and "US-led" are adjectives: keep the capitalised head and end the name there.
    for index, char in enumerate(text):
        if char in _HYPHENS and index + 1 < len(text) and text[index + 1].islower():
            head = text[:index]
            return (head, True) if any(letter.isupper() for letter in head) else (text, stop)
    return text, stop


@lru_cache(maxsize=1)
def _long_lowercase() -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’-])[a-z]{5,}\b")


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping place spans, so tokenise can walk them with a single pointer."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class TokenisedDocument:
    """A document's name tokens with their sentences, initial flags and headline-style sentences."""

    def __init__(
        self, document: str, sentences: list[Sentence], exclude: Sequence[tuple[int, int]], cues: EntityCues
    ) -> None:
        self.document = document
        self.sentences = sentences
        self.cues = cues
        self.tokens, self.vocabulary = tokenise(document, _merge(exclude), cues)
        self.shouty = self._annotate()
        # Words written capitalised mid-sentence: a sentence-initial word seen so is a name.
        self.mid_keys = {
            token.key
            for token in self.tokens
            if token.kind in (CAP, CAPS)
            and not token.initial
            and not self.shouty[token.sentence]
            and token.lower not in self.cues.function_words
            and token.lower not in self.cues.calendar
        }

    def _annotate(self) -> list[bool]:
        """Give each token its sentence and initial flag; say which sentences are headline-style."""
        document, cues, sentences = self.document, self.cues, self.sentences
        caps = [0] * len(sentences)
        capitalised = [0] * len(sentences)
        common = [0] * len(sentences)
        position = 0
        previous: Token | None = None
        for token in self.tokens:
            while position + 1 < len(sentences) and sentences[position + 1].start <= token.start:
                position += 1
            token.sentence = position
            if previous is None or previous.sentence != position:
                lead = document[sentences[position].start : token.start] if sentences else ""
                token.initial = not any(char.isalnum() for char in lead)
            else:
                gap = document[previous.end : token.start]
                token.initial = (
                    (gap.rstrip()[-1:] in _OPEN_QUOTES and document[token.start - 1] in _OPEN_QUOTES)
                    or ":" in gap
                    or (
                        previous.initial
                        and previous.kind == CAP
                        and previous.lower in cues.function_words
                        and gap.isspace()
                    )
                )
            previous = token
            if token.kind == CAPS and len(token.text) > 2:
                caps[position] += 1
            elif token.kind == CAP and len(token.text) > 3:
                capitalised[position] += 1
                if not token.initial and (
                    token.lower in cues.function_words or token.lower in self.vocabulary
                ):
                    common[position] += 1
        shouty = [False] * len(sentences)
        for index, sentence in enumerate(sentences):
            if caps[index] >= 3 and caps[index] >= 2 * capitalised[index]:
                shouty[index] = True
            elif capitalised[index] >= 4 and common[index] >= 1:
                # Title Case headline: capitalised common words and no long lowercase word.
                text = document[sentence.start : sentence.end]
                shouty[index] = not any(
                    match.group() not in cues.function_words for match in _long_lowercase().finditer(text)
                )
        return shouty

    def runs(self) -> Iterator[tuple[list[Token], bool]]:
        """Maximal capitalised runs joined by single spaces and connectors, each with a flag saying
        whether a place span cut it off after a connector ("Bank of <England>")."""
        cues, shouty = self.cues, self.shouty
        run: list[Token] = []
        pending: list[Token] = []
        titled = False  # the run holds a title word, so "for" may follow ("Minister for Europe")
        for token in self.tokens:
            kind = token.kind
            loud = shouty[token.sentence]
            if loud and kind in (CAP, CAPS) and token.lower in cues.connectors:
                kind = CONN
            elif (
                kind == CAPS
                and not loud
                and len(token.text) > _MAX_ACRONYM
                and token.text not in cues.acronyms
            ):
                kind = BREAK
            last = pending[-1] if pending else (run[-1] if run else None)
            attached = (
                last is not None
                and not run[-1].stop
                and last.sentence == token.sentence
                and self._joined(last, token)
            )
            if kind in (CAP, CAPS):
                if attached:
                    run.extend(pending)
                    run.append(token)
                    titled = titled or token.lower in cues.titles
                else:
                    if run:
                        yield run, False
                    run = [token]
                    titled = token.lower in cues.titles
                pending = []
            elif (
                kind == CONN and attached and len(pending) < 2 and self._connects(run, pending, token, titled)
            ):
                pending.append(token)
            else:
                if run:
                    yield run, bool(pending) and kind == EXCLUDED
                run, pending = [], []
        if run:
            yield run, False

    def _joined(self, left: Token, right: Token) -> bool:
        """Whether two name tokens touch closely enough to be one name (a space, " & ", "Mr. ")."""
        gap = self.document[left.end : right.start]
        if gap == " " or gap == " & ":
            return True
        if not gap or "\n" in gap or len(gap) > 3:
            return False
        if not gap.strip(" \t\u00a0"):
            return True
        # "Mr. Jaafari", "George W. Bush": the stop belongs to the name.
        return (
            gap.startswith(". ")
            and not gap[2:].strip()
            and (left.lower in self.cues.abbreviated_titles or (len(left.text) == 1 and left.text.isupper()))
        )

    def _connects(self, run: list[Token], pending: list[Token], token: Token, titled: bool) -> bool:
        """Whether a connector may continue the run: "of the" yes, "of for" or a stray "for" no."""
        if token.lower == "the":
            return bool(pending) and pending[-1].lower in ("of", "for")
        if token.lower in ("for", "and"):
            # "Department for Education", "Minister for Europe", "Trade and Industry Secretary".
            return not pending and (token.lower == "and" or run[-1].text in self.cues.org_heads or titled)
        return not pending or pending[-1].lower == "of"
