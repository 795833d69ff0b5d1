"""What the entity tagger sees: word tokens, which of them may be part of a name, and their features.

The learned model (core/entities/model.py) labels only *candidate* tokens — capitalised words, dotted
acronyms ("U.N."), particle names ("al-Qaida") and the small words that join a name's parts ("Bank
of England") — so the lowercase majority of an article costs one regex match each and nothing more.
Features are plain strings (the word, its shape, its neighbours, the cue lists of
data/entity_cues.toml, and how the article uses the word elsewhere); the model maps them to weights.
The same functions serve training (GMB's tokens) and analysis (tokens cut from raw text), so the
two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from core.entities.words import EntityCues, load_cues

# Abbreviations whose full stop belongs to the word ("Mr. Bush", "St. Louis", "Inc.").
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Maj|Rev|Prof"
    "|Sen|Rep|Gov|Adm|Mt|Ft|Co|Corp|Inc|Ltd|Bros|Messrs|No"
)
_TOKEN = re.compile(
    # A plain lowercase word, the commonest token: matched first, and only where the rules below
    # would cut the same token (not before a letter, digit, full stop, apostrophe, "&" or hyphen).
    r"[a-z]+(?![\w.'’&-])"
    r"|(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # dotted acronyms: U.N., U.S.A.
    rf"|(?:{_ABBREVIATIONS})\.(?!\w)"
    r"|[A-Z]\.(?=[ \t]*[A-Z])"  # an initial: "George W. Bush", "R. P. Singh"
    r"|['’][sS](?![^\W_])"  # possessive, a token of its own as in the training data
    # words, "al-Qaida", "O'Brien", "AT&T", "Su-24"; a possessive "'s" is left for its own token
    r"|[^\W\d_]+(?:[-&][^\W\d_]+|['’](?![sS](?![^\W_]))[^\W\d_]+)*(?:-\d+)?"
    r"|\d+(?:[.,:/-]\d+)*[^\W\d_]*"  # numbers, scores, "1996-08-30", "20th"
    r"|\w+"
    r"|\S"
)
# Lowercase words that may sit inside a name between capitalised ones.
CONNECTORS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "&",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "upon",
    }
)
_FIRST = itemgetter(0)
_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|bin|abu|ibn|de|d|van|von)[-'’][A-Z]")
_PARTICLE_ANYWHERE = re.compile(r"(?<![^\W_])" + _PARTICLE.pattern)


def word_pattern() -> re.Pattern[str]:
    return _TOKEN


def tokenize(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of the word tokens of `text` (punctuation and possessives on their own)."""
    return [match.span() for match in _TOKEN.finditer(text)]


def word_shape(word: str) -> str:
    """Character classes with repeats collapsed: "Bush" -> "Xx", "U.N." -> "X.X.", "F-16" -> "X-d"."""
    out: list[str] = []
    last = ""
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.islower():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if kind != last:
            out.append(kind)
            last = kind
    return "".join(out)


@dataclass(frozen=True)
class Lexicon:
    """The cue lists as the feature extractor asks about them."""

    first_names: frozenset[str]
    titles: frozenset[str]
    org_heads: frozenset[str]
    org_tails: frozenset[str]
    acronyms: frozenset[str]
    said_verbs: frozenset[str]
    function_words: frozenset[str]
    calendar: frozenset[str]
    skippable: frozenset[str]  # function and calendar words


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return lexicon_from(load_cues())


def lexicon_from(cues: EntityCues) -> Lexicon:
    titles = set(cues.titles) | cues.title_words | {abbrev + "." for abbrev in cues.abbreviated_titles}
    return Lexicon(
        first_names=cues.first_names,
        titles=frozenset(titles),
        org_heads=frozenset(word.lower() for word in cues.org_heads),
        org_tails=frozenset(word.lower().rstrip(".") for word in cues.org_tails),
        acronyms=cues.acronyms,
        said_verbs=cues.said_verbs,
        function_words=cues.function_words,
        calendar=cues.calendar,
        skippable=cues.function_words | cues.calendar,
    )


def candidates(words: Sequence[str], lex: Lexicon) -> list[bool]:
    """Which words of one sentence the tagger labels: capitalised words and what joins them.

    A Title-case function or calendar word next to no other capitalised word ("The", "But",
    "Monday") is left out: it is never part of a name, and skipping it saves the features. In
    capitals it may be an acronym ("WHO", "IT"), so it stays.
    """
    # C-level passes over the words: their first letters, then the rare particle names.
    flags = list(map(str.isupper, map(_FIRST, words)))
    count = len(words)
    joined = " ".join(words)
    if ("-" in joined or "'" in joined or "’" in joined) and _PARTICLE_ANYWHERE.search(joined):
        particle = _PARTICLE.match
        for index, word in enumerate(words):
            if not flags[index] and word[0] in "abdeiv" and particle(word) is not None:
                flags[index] = True
    skip = lex.skippable
    capitalised = list(compress(range(count), flags))
    for index in [i for i in capitalised if words[i].lower() in skip]:
        word = words[index]
        if not (len(word) > 1 and word.isupper()) and not (
            (index and flags[index - 1]) or (index + 1 < count and words[index + 1][0].isupper())
        ):
            flags[index] = False
    joiners = [] if CONNECTORS.isdisjoint(words) else [i for i, w in enumerate(words) if w in CONNECTORS]
    for index in joiners:
        if index == 0 or index + 1 == count:
            continue
        # "Bank of England", "Department of the Interior": a connector between capitalised words.
        nxt = index + 1
        if words[nxt] == "the" and nxt + 1 < count:
            nxt += 1
        if flags[index - 1] and words[nxt][0].isupper():
            flags[index] = True
    return flags


@dataclass
class DocumentStats:
    """How the article uses its words: which appear lowercase, which capitalised mid-sentence."""

    lowercase: set[str]
    capitalised_inside: set[str]


def document_stats(
    sentences: Sequence[Sequence[str]], flags: Sequence[Sequence[bool]], loud: Sequence[bool]
) -> DocumentStats:
    lowercase: set[str] = set()
    inside: set[str] = set()
    for words, marked, shouting in zip(sentences, flags, loud, strict=True):
        if not shouting:
            for index in compress(range(len(words)), marked):
                if index and words[index - 1] not in _QUOTES:
                    inside.add(words[index].lower())
    for words in sentences:
        lowercase.update(filter(str.islower, words))
    return DocumentStats(lowercase, inside)


_QUOTES = frozenset({'"', "'", "“", "‘", "(", "-", ":", "--", "``", "—", "–"})


def loud_sentence(words: Sequence[str]) -> bool:
    """Headline-style: mostly ALL CAPS words (a wire headline, a dateline, a shouted table)."""
    upper = [word for word in filter(str.isupper, words) if len(word) > 1]
    if len(upper) < 2:
        return False
    letters = [word for word in words if word[0].isalpha()]
    return len(letters) >= 3 and len(upper) * 2 > len(letters)


@lru_cache(maxsize=1 << 16)
def word_features(word: str, loud: bool) -> tuple[str, ...]:
    """Features of the word alone (cached: names repeat within and across articles).

    Always starts with the bias, the word and its shape, which the tag-history features reuse.
    """
    lex = lexicon()
    lower = word.lower()
    shape = "LOUD" if loud and word.isupper() and len(word) > 1 else word_shape(word)
    feats = ["b", "w=" + lower, "s=" + shape, "x3=" + lower[-3:], "x4=" + lower[-4:], "p3=" + lower[:3]]
    if lower in lex.first_names:
        feats.append("gaz=first")
    if lower in lex.titles:
        feats.append("gaz=title")
    if lower in lex.org_heads:
        feats.append("gaz=orghead")
    if lower.rstrip(".") in lex.org_tails:
        feats.append("gaz=orgtail")
    if word in lex.acronyms:
        feats.append("gaz=acronym")
    if lower in lex.function_words:
        feats.append("gaz=function")
    if lower in lex.calendar:
        feats.append("gaz=calendar")
    if lower in common_words():
        feats.append("gaz=common")
    if loud:
        feats.append("loud|s=" + shape)
    return tuple(feats)


_COMMON: frozenset[str] = frozenset()


def common_words() -> frozenset[str]:
    """English words seen in lowercase often in the training text (shipped inside the model file)."""
    return _COMMON


def set_common_words(words: frozenset[str]) -> None:
    """Install the model's common-word list (called by the model loader and the trainer)."""
    global _COMMON
    if words is not _COMMON:
        _COMMON = words
        word_features.cache_clear()


Features = tuple[tuple[str, ...], list[str]]
"""A candidate word's features: (the word's own, cached; the ones that depend on its context)."""


_EDGE = ("<s>", "<s>")
_END = ("</s>", "</s>")
_CAP_FEATURES = (("cap=00", "cap=01"), ("cap=10", "cap=11"))


def sentence_features(
    words: Sequence[str], flags: Sequence[bool], stats: DocumentStats, loud: bool, lex: Lexicon
) -> list[tuple[int, Features]]:
    """(position, features) of each candidate word of one sentence, in order.

    The previous tag's features are added while decoding, since they depend on the model's choice.
    """
    count = len(words)
    out: list[tuple[int, Features]] = []
    lowercase, inside = stats.lowercase, stats.capitalised_inside
    titles, said = lex.titles, lex.said_verbs
    lowers = [*_EDGE, *map(str.lower, words), *_END]  # padded: lowers[index + 2] is the word itself
    flagged = [False, *flags, False]
    for index in compress(range(count), flags):
        word = words[index]
        lower = lowers[index + 2]
        prev = lowers[index + 1]
        nxt = lowers[index + 3]
        nxt2 = lowers[index + 4]
        first = index == 0 or words[index - 1] in _QUOTES
        context = [
            "pw=" + prev,
            "nw=" + nxt,
            "pw2=" + lowers[index],
            "nw2=" + nxt2,
            "pw|w=" + prev + "|" + lower,
            "w|nw=" + lower + "|" + nxt,
            _CAP_FEATURES[flagged[index]][flagged[index + 2]],
        ]
        if first:
            context.append("first")
            context.append("first|w=" + lower)
        if loud:
            context.append("loud")
        if not word[:1].isupper():
            context.append("lowconn")
        elif lower in lowercase:
            context.append("lowdoc|first" if first else "lowdoc")
        elif first or loud:
            context.append("capinside" if lower in inside else "capnowhere")
        if prev in titles:
            context.append("prev=title")
        if nxt in said or (nxt2 in said and nxt in ("'s", "’s")):
            context.append("next=said")
        if nxt[:1].isdigit():
            context.append("next=number")
        if prev[:1].isdigit():
            context.append("prev=number")
        out.append((index, (word_features(word, loud), context)))
    return out
