"""The country vocabulary: pycountry's names plus `data/countries.toml`, compiled into a few regexes.

Built on the first call to `gazetteer()` and cached for the process: importing this module reads
nothing. Every surface form goes into one trie-shaped regex (a plain alternation of ~1,400 literals
would be tried branch by branch at every position; the trie shares prefixes, so it is fast). The
upper-cased forms, read only in the few lines a text writes in capitals, are matched by walking the
same trie in Python (SurfaceMatcher): compiling their regex cost every process ~0.1 s.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from core.paths import data_dir

DATA_FILE = "countries.toml"

# Data-file keys in priority order, with the `how` each one yields. A surface listed under two
# keys of one country keeps the first; pycountry's names are registered after all of ours.
_KINDS = (
    ("name", "name"),
    ("names", "name"),
    ("aliases", "alias"),
    ("demonyms", "demonym"),
    ("capitals", "capital"),
    ("cities", "city"),
)
# Demonyms ending like this have no plural in -s ("Chinese", "Swiss", "Frenchman", "Malagasy").
_NO_PLURAL = ("s", "sh", "ch", "ese", "y", "x", "z", "man", "men", "c")
# One space in a surface matches a run of spaces or tabs, or a single line break (wrapped text).
_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
_STATE_CUE_WORDS = ("governor", "Governor", "Gov.", "county", "County", "legislature", "Atlanta", "Savannah")


@dataclass(frozen=True)
class Entry:
    """What one surface form resolves to; an empty code marks a blocked phrase ("New Mexico")."""

    code: str
    how: str
    person: bool = False  # also a first name or surname: "Jordan", "Chad", "Washington"
    yield_to: str = ""  # dropped when the same document names this rival country ("Korea" vs KP)
    us_state: bool = False  # a country name that is also a US state name: "Georgia"


@dataclass(frozen=True)
class Gazetteer:
    """Everything country detection needs, built once from pycountry and the data file."""

    names: dict[str, str]  # ISO2 -> common English name
    entries: dict[str, Entry]  # surface key, case as written -> entry
    caps_entries: dict[str, Entry]  # upper-cased surface key -> entry (ALL-CAPS text)
    pattern: WordsPattern  # every surface, case-sensitive, whole words, longest first
    caps_pattern: SurfaceMatcher  # every surface upper-cased
    region_pattern: re.Pattern[str]  # "Town, State": group 1 the town, group 2 the state or province
    regions: dict[str, str]  # upper-cased state key -> ISO2
    state_cues: re.Pattern[str]  # words that put "Georgia" in the United States


def surface_key(text: str) -> str:
    """The lookup key of a matched text: single spaces, straight apostrophes."""
    return " ".join(text.replace("’", "'").split())


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _char_regex(ch: str, space: str = _SPACE) -> str:
    if ch == " ":
        return space
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def trie_regex(words: Iterable[str], space: str = _SPACE) -> str:
    """One regex alternation matching any of `words`, preferring the longest at each position."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [_char_regex(ch, space) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word may end here: the rest is optional, tried first (greedy), so longer wins.
        return f"(?:{body})?" if "" in node else body

    return emit(trie) or "(?!)"


def _words_regex(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + trie_regex(words) + r")(?!\w)")


class SurfaceMatch:
    """One surface found in a text: what a regex match gives of it (start, end, group)."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text


class SurfaceMatcher:
    """Finds what `_words_regex(words)` finds, by walking a trie of the words in Python.

    Built in a few milliseconds where that regex takes ~0.08 s to compile, but slower per match:
    for the texts read rarely (the lines written in capitals). At each start that no word character
    precedes, the longest word that ends before a non-word character wins, a space in a word matching
    a run of spaces or tabs or one line break within them, an apostrophe either apostrophe; the
    search goes on after the match. A test holds it to the regex.
    """

    def __init__(self, words: Iterable[str]) -> None:
        trie: dict[str, Any] = {}
        heads: set[str] = set()
        for word in words:
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}
            heads.add(word[:2])
        self._trie = trie
        # Where a walk may start: no word character before, and one of the words' first two letters.
        self._starts = re.compile(r"(?<!\w)(?=" + trie_regex(heads) + ")")

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[SurfaceMatch]:
        """The matches in text[pos:endpos], as Pattern.finditer gives them (the character before
        pos is read, the text ends at endpos)."""
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        search = self._starts.search
        at = pos
        while (found := search(text, at, end)) is not None:
            start = found.start()
            stop = self.longest_end(text, start, end)
            if stop < 0:
                at = start + 1
                continue
            yield SurfaceMatch(start, stop, text[start:stop])
            at = stop

    def longest_end(self, text: str, at: int, end: int) -> int:
        """Where the longest word starting at `at` ends before a non-word character, or -1."""
        node = self._trie
        best = -1
        while True:
            if "" in node and (at == end or not _is_word(text[at])):
                best = at
            if at >= end:
                return best
            ch = text[at]
            if ch in " \t\n":
                # A space in a word: [ \t]*\n[ \t]* or [ \t]+ (see _SPACE), taken whole, since a word
                # goes on after a space with a character that is not one.
                child = node.get(" ")
                if child is None:
                    return best
                at += 1
                if ch != "\n":
                    while at < end and text[at] in " \t":
                        at += 1
                    if at < end and text[at] == "\n":
                        at += 1
                while at < end and text[at] in " \t":
                    at += 1
                node = child
                continue
            child = node.get("'" if ch == "\u2019" else ch)
            if child is None:
                return best
            node = child
            at += 1


_ANY_SPACE = "[ \t\n]+"
_TWO_BREAKS = re.compile(r"\n[ \t]*\n")


class WordsPattern:
    """Finds what `_words_regex(words)` finds, with a regex a third smaller (half the compile time).

    A space in a word matches any run of spaces, tabs and line breaks here, where _SPACE allows one
    line break at most. The regex's choice at a start is the longest word the looser spaces reach;
    when its spaces hold no two line breaks (nearly always) _SPACE reaches it as well and nothing
    longer, so it is the answer. Otherwise the start is walked again with _SPACE's rules
    (SurfaceMatcher). A test holds it to the regex.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._words = list(words)
        self._regex = re.compile(r"(?<!\w)(?:" + trie_regex(self._words, _ANY_SPACE) + r")(?!\w)")
        self._strict: SurfaceMatcher | None = None  # built on the first paragraph break in a name

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[SurfaceMatch]:
        """The matches in text[pos:endpos], as Pattern.finditer gives them."""
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        search = self._regex.search
        at = pos
        while (found := search(text, at, end)) is not None:
            start, stop = found.span()
            if "\n" in found.group() and _TWO_BREAKS.search(text, start, stop):
                if self._strict is None:
                    self._strict = SurfaceMatcher(self._words)
                stop = self._strict.longest_end(text, start, end)
                if stop < 0:
                    at = start + 1
                    continue
            yield SurfaceMatch(start, stop, text[start:stop])
            at = stop


def _is_word(ch: str) -> bool:
    """What the regex module's \\w matches (in a str pattern): a letter or digit of any script, or _."""
    return ch.isalnum() or ch == "_"


def _plural(demonym: str) -> str | None:
    return None if demonym.endswith(_NO_PLURAL) else demonym + "s"


def _pycountry_names(country: Any) -> list[str]:
    names = [getattr(country, field, None) for field in ("common_name", "name", "official_name")]
    cleaned = [n[4:] if n.startswith("the ") else n for n in names if isinstance(n, str)]
    return list(dict.fromkeys(cleaned))


def _add(entries: dict[str, Entry], surface: str, entry: Entry, *, strict: bool) -> None:
    for form in dict.fromkeys((surface, _ascii_fold(surface))):
        key = surface_key(form)
        known = entries.get(key)
        if known is None:
            entries[key] = entry
        elif strict and known.code != entry.code:
            # Two countries claiming one surface is a data error the editor must settle.
            raise ValueError(f"{DATA_FILE}: {key!r} is listed for both {known.code!r} and {entry.code!r}")


def load_data(path: Path) -> dict[str, Any]:
    """The parsed data file; ValueError naming the file when it is not valid TOML."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from error


def build(data: dict[str, Any]) -> Gazetteer:
    """Compile a gazetteer from a parsed data file (see data/countries.toml) and pycountry."""
    countries: dict[str, dict[str, Any]] = data.get("countries", {})
    entries: dict[str, Entry] = {}
    names: dict[str, str] = {}
    for code, fields in countries.items():
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"{DATA_FILE}: {code!r} is not an ISO 3166-1 alpha-2 code")
        if "name" in fields:
            names[code] = fields["name"]
    # Our names and aliases first, then pycountry's names, then demonyms, capitals and cities, so a
    # generated plural ("Philippines") never shadows a country's own name.
    kinds = [*_KINDS[:3], ("pycountry", "name"), *_KINDS[3:]]
    for key, how in kinds:
        if key == "pycountry":
            for country in pycountry.countries:
                names.setdefault(country.alpha_2, _pycountry_names(country)[0])
                for name in _pycountry_names(country):
                    _add(entries, name, Entry(country.alpha_2, "name"), strict=False)
            continue
        for code, fields in countries.items():
            value = fields.get(key, [])
            surfaces = [value] if isinstance(value, str) else list(value)
            if key == "demonyms":
                surfaces += [p for p in map(_plural, surfaces) if p]
            for surface in surfaces:
                # Generated plurals give way silently; a listed surface claimed twice is an error.
                _add(entries, surface, Entry(code, how), strict=surface in value)
    for phrase in data.get("not_countries", {}).get("phrases", []):
        _add(entries, phrase, Entry("", "blocked"), strict=False)
        entries[surface_key(phrase)] = Entry("", "blocked")

    region_lists: dict[str, list[str]] = data.get("regions", {})
    regions = {surface_key(s).upper(): code for code, forms in region_lists.items() for s in forms}
    state_named = {k for k, e in entries.items() if e.how == "name" and k.upper() in regions}
    for key in data.get("person_names", {}).get("surfaces", []):
        if key in entries:
            entries[key] = replace(entries[key], person=True)
    for key, rival in data.get("yield_to", {}).items():
        if key in entries:
            entries[key] = replace(entries[key], yield_to=rival)
    for key in state_named:
        entries[key] = replace(entries[key], us_state=True)

    caps_entries: dict[str, Entry] = {}
    for key, entry in entries.items():
        caps_entries.setdefault(key.upper(), entry)
    state_forms = {f for forms in region_lists.values() for s in forms for f in (s, s.upper())}
    town = r"((?:[A-Z][\w'’.&-]*[ \t]+){0,2}[A-Z][\w'’.-]*)"
    region_pattern = re.compile(
        r"(?<![\w.'’-])" + town + r",[ \t]+(" + trie_regex(state_forms) + r")(?![\w])"
    )
    cue_states = [s for s in region_lists.get("US", []) if surface_key(s) not in entries]
    state_cues = re.compile(r"(?<!\w)(?:" + trie_regex([*cue_states, *_STATE_CUE_WORDS]) + r")(?!\w)")
    return Gazetteer(
        names=names,
        entries=entries,
        caps_entries=caps_entries,
        pattern=WordsPattern(entries),
        caps_pattern=SurfaceMatcher(caps_entries),
        region_pattern=region_pattern,
        regions=regions,
        state_cues=state_cues,
    )


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built from `data_dir()/countries.toml` on first use."""
    return build(load_data(data_dir() / DATA_FILE))
