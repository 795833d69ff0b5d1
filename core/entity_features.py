"""What the entity tagger sees: word tokens, which of them may be part of a name, and their features.

The learned model (core/entity_model.py) labels only *candidate* tokens — capitalised words, dotted
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

from core.entity_words import EntityCues, load_cues

# Abbreviations whose full stop belongs to the word ("Mr. Bush", "St. Louis", "Inc.").
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Maj|Rev|Prof|Sen|Rep|Gov|Adm|Mt|Ft|Co|Corp|Inc|Ltd|Bros|Messrs|No"
)
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # dotted acronyms: U.N., U.S.A.
    rf"|(?:{_ABBREVIATIONS})\.(?!\w)"
    r"|['’][sS](?![^\W_])"  # possessive, a token of its own as in the training data
    r"|[^\W\d_]+(?:[-'’&][^\W\d_]+)*(?:-\d+)?"  # words, "al-Qaida", "O'Brien", "AT&T", "Su-24"
    r"|\d+(?:[.,:/-]\d+)*[^\W\d_]*"  # numbers, scores, "1996-08-30", "20th"
    r"|\w+"
    r"|\S"
)
# Lowercase words that may sit inside a name between capitalised ones.
CONNECTORS = frozenset(
    {"of", "the", "and", "for", "&", "de", "da", "del", "della", "di", "du", "des", "la", "le", "van",
     "von", "der", "den", "bin", "ibn", "al", "el", "y", "on", "upon", "in", "du"}
)
_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|bin|abu|ibn|de|d|van|von)[-'’][A-Z]")


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


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


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
    )


def candidates(words: Sequence[str]) -> list[bool]:
    """Which words of one sentence the tagger labels: capitalised words and what joins them."""
    flags = [is_capitalised(word) or bool(_PARTICLE.match(word)) for word in words]
    count = len(words)
    for index in range(1, count - 1):
        if flags[index]:
            continue
        lower = words[index]
        if lower not in CONNECTORS:
            continue
        # "Bank of England", "Department of the Interior": a connector between capitalised words.
        nxt = index + 1
        if words[nxt] == "the" and nxt + 1 < count:
            nxt += 1
        if flags[index - 1] and is_capitalised(words[nxt]):
            flags[index] = True
    return flags


@dataclass
class DocumentStats:
    """How the article uses its words: which appear lowercase, which capitalised mid-sentence."""

    lowercase: set[str]
    capitalised_inside: set[str]


def document_stats(sentences: Sequence[Sequence[str]], loud: Sequence[bool]) -> DocumentStats:
    lowercase: set[str] = set()
    inside: set[str] = set()
    for words, shouting in zip(sentences, loud, strict=True):
        for index, word in enumerate(words):
            first = word[:1]
            if first.islower():
                lowercase.add(word)
            elif first.isupper() and index > 0 and not shouting and words[index - 1] not in _QUOTES:
                inside.add(word.lower())
    return DocumentStats(lowercase, inside)


_QUOTES = frozenset({'"', "'", "“", "‘", "(", "-", ":", "--", "``", "—", "–"})


def loud_sentence(words: Sequence[str]) -> bool:
    """Headline-style: ALL CAPS, or nearly every word capitalised (a title, a list of names, a table)."""
    letters = [word for word in words if word[:1].isalpha()]
    if len(letters) < 3:
        return False
    upper = sum(1 for word in letters if word.isupper() and len(word) > 1)
    if upper * 2 > len(letters):
        return True
    return False


def sentence_features(
    words: Sequence[str], flags: Sequence[bool], stats: DocumentStats, loud: bool, lex: Lexicon
) -> list[list[str] | None]:
    """Static features of each candidate word of one sentence (None for words the tagger skips).

    The previous tag's features are added while decoding, since they depend on the model's choice.
    """
    count = len(words)
    lowers = [word.lower() for word in words]
    out: list[list[str] | None] = []
    for index in range(count):
        if not flags[index]:
            out.append(None)
            continue
        word = words[index]
        lower = lowers[index]
        prev = lowers[index - 1] if index else "<s>"
        prev2 = lowers[index - 2] if index > 1 else "<s>"
        nxt = lowers[index + 1] if index + 1 < count else "</s>"
        nxt2 = lowers[index + 2] if index + 2 < count else "</s>"
        prev_cap = index > 0 and flags[index - 1]
        next_cap = index + 1 < count and flags[index + 1]
        shape = "LOUD" if loud and word.isupper() and len(word) > 1 else word_shape(word)
        first = index == 0 or words[index - 1] in _QUOTES
        feats = [
            "b",
            "w=" + lower,
            "s=" + shape,
            "x3=" + lower[-3:],
            "x4=" + lower[-4:],
            "p3=" + lower[:3],
            "pw=" + prev,
            "nw=" + nxt,
            "pw2=" + prev2,
            "nw2=" + nxt2,
            "pw|w=" + prev + "|" + lower,
            "w|nw=" + lower + "|" + nxt,
            f"cap={int(prev_cap)}{int(next_cap)}",
        ]
        if first:
            feats.append("first")
            feats.append("first|w=" + lower)
        if loud:
            feats.append("loud")
            feats.append("loud|s=" + shape)
        if not word[:1].isupper():
            feats.append("lowconn")
        elif word in stats.lowercase or lower in stats.lowercase:
            feats.append("lowdoc|first" if first else "lowdoc")
        elif first or loud:
            feats.append("capinside" if lower in stats.capitalised_inside else "capnowhere")
        if lower in lex.first_names:
            feats.append("gaz=first")
        if lower in lex.titles:
            feats.append("gaz=title")
        if prev in lex.titles:
            feats.append("prev=title")
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
        if nxt in lex.said_verbs or (nxt in ("'s", "’s") and nxt2 in lex.said_verbs):
            feats.append("next=said")
        if nxt[:1].isdigit():
            feats.append("next=number")
        if prev[:1].isdigit():
            feats.append("prev=number")
        out.append(feats)
    return out
