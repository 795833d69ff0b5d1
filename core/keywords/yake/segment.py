"""Sentence splitting by segtok's `split_multi` rules, rewritten to look only where a rule can match.

YAKE splits text into sentences with segtok. Its rules are right for YAKE parity, but segtok tests
most of them with regex searches over whole spans (each search scans every position), which makes
sentence splitting alone cost about 1 ms per 2 KB article. The rules below are segtok's, in its
order; end-anchored ones are applied to a span's tail, and cheap tests run before expensive ones.
`benchmarks/polars_keywords.py` compares the result with segtok on whole corpora.

Only the case YAKE uses is covered: newlines already replaced by spaces (so `\\n{2,}` never splits).
The rest of the engine splits sentences with `core.text.sentences.split_sentences` (spans with exact
offsets); this twin returns strings, for the keyword engine's parity with yake only.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

TERMINALS = ".!?\u203c\u203d\u2047\u2048\u2049\u3002\ufe52\ufe57\uff01\uff0e\uff1f\uff61"
HYPHENS = "\u00ad\u058a\u05be\u0f0c\u1400\u1806\u2010-\u2012\u2e17\u30a0-"

# A sentence ends at a terminal, an optional closing quote, any closing brackets and whitespace.
_SPLIT = regex.compile(rf"([{TERMINALS}]['\u2019\"\u201d]?[\]\)]*\s+|\n{{2,}})")

_ABBREVIATION_WORDS = r"""
approx Capt cf Col Dr f\.?e figs? Gen e\.?g i\.?e i\.?v Mag med Mr Mrs Mt nat No nr p\.e phil prof
rer sci Sgt Sr Sra Srta St univ vol vs z\.B Jän Jan Ene Feb Mär Mar Apr Abr May Jun Jul Aug Sep
Sept Oct Okt Nov Dic Dez Dec E\.U U\.K U\.S
""".split()
_ABBREVIATION_WORDS += [w.capitalize() for w in _ABBREVIATION_WORDS if w[0].islower()]

# segtok's abbreviation pattern minus its two `^` alternatives (tested separately on the whole
# span), so it can run on a span's last characters instead of scanning all of it. It is searched
# in reverse (?r): the match must end at `$`, so a reverse search makes one real attempt, from
# the end, where a forward one tries the long word alternation at every position.
_ABBREVIATION_END = regex.compile(
    r"""(?r)(?: \b(?:<WORDS>)
    |   (?: \b
            (?: [Bb]y | [Cc](?:aptain|ommander) | [Dd]o[ck]tor | [Gg]eneral | [Mm](?:ag)?is(?:ter|s)
            |   [Pp]rofessor | [Ss]e\u00F1or(?:it)?a? ) \s
        |   (?: (?<! \b\p{Lu}\p{Lm}? ) , (?: \s and )? | (?<! \b[\p{Lu},]\p{Lm}? ) \s and ) \s
        |   [\[\(]
        ) (?: [\p{Lu}\p{Lt}] \p{Lm}? \. [<HYPHENS>]? )? [\p{Lu}\p{Lt}] \p{Lm}?
    ) $""".replace("<WORDS>", "|".join(sorted(_ABBREVIATION_WORDS))).replace("<HYPHENS>", HYPHENS),
    regex.VERBOSE,
)
_SINGLE_CHAR_OR_DIGITS = regex.compile(r"(?:\S|\d+)$")
# Long enough for the longest abbreviation alternative plus the look-behind before it.
_TAIL = 24

_ENDS_IN_DATE_DIGITS = regex.compile(r"\b[0123]?[0-9]$")
_MONTH = regex.compile(
    r"(J[äa]n|Ene|Feb|M[äa]r|A[pb]r|May|Jun|Jul|Aug|Sep|O[ck]t|Nov|D[ei][cz]|0?[1-9]|1[012])"
)
_CONTINUATIONS = regex.compile(
    r"(?:a(?:nd|re)|b(?:etween|y)|from|has|i(?:nto|s)|o[fr]|t(?:han|hat|hrough)|via"
    r"|w(?:as|ere|hether|ith))\b"
)
_BEFORE_LOWER_END = regex.compile(
    rf"""(?: [{TERMINALS}]"[\)\]]* | [{TERMINALS}] [\)\]]+ | \b spp \. | \b \p{{L}} \p{{Ll}}? \. )
    \s+ $""",
    regex.VERBOSE,
)
_LOWER_WORD = regex.compile(rf"\p{{Ll}}+[{HYPHENS}]?\p{{Ll}}*\b")
_MIDDLE_INITIAL_END = regex.compile(r"\b\p{Lu}\p{Ll}+\W+\p{Lu}$")
_UPPER_WORD_START = regex.compile(r"\p{Lu}\p{Ll}+\b")
_LONE_WORD = regex.compile(rf"\p{{Ll}}+[\p{{Ll}}\p{{Nd}}{HYPHENS}]*$")
_CONTINUATION_INITIALS = frozenset("abfhiotvw")
_UPPER_CASE_END = regex.compile(r"\b[\p{Lu}\p{Lt}]\p{L}*\.\s+$")
_UPPER_CASE_START = regex.compile(r"(?:(?:\(\d{4}\)\s)?[\p{Lu}\p{Lt}]\p{L}*|\d+)[\.,:]\s+")
_SHORT_SENTENCE = 55


def _letter_forms(pattern: str) -> set[str]:
    """The spellings of an abbreviation pattern that are letters only: "e\\.?g" -> {"eg"}."""
    forms = {""}
    i = 0
    while i < len(pattern):
        escaped = pattern[i] == "\\"
        char = pattern[i + 1] if escaped else pattern[i]
        i += 2 if escaped else 1
        optional = pattern[i : i + 1] == "?"
        i += optional
        forms = {form + char for form in forms} | (forms if optional else set())
    return {form for form in forms if form.isalpha()}


_LETTER_ABBREVIATIONS = frozenset().union(*(_letter_forms(word) for word in _ABBREVIATION_WORDS))


def _starts_lower_or_unknown(text: str) -> bool:
    """False when `text` cannot start with a lower-case letter (\\p{Ll}): it is empty or starts with
    an ASCII character other than a-z. A cheap test before the patterns that need one; beyond
    ASCII the regex module's Unicode tables (newer than Python's) decide, so it says True."""
    first = text[:1]
    return first != "" and (not first.isascii() or "a" <= first <= "z")


def _is_abbreviation(span: str) -> bool:
    """segtok's ABBREVIATIONS test: the text before a full stop ends in "Dr", "e.g", "A" and so on."""
    # The pattern only matches one character (and a line end) or a span of digits, so most spans
    # skip it: two ASCII characters or more, the first not a digit.
    maybe_short = len(span) <= 2 or not span[0].isascii() or span[0].isdigit()
    if maybe_short and _SINGLE_CHAR_OR_DIGITS.match(span):
        return True
    # Shortcut, same answer: when the span ends in a space-separated run of two or more ASCII
    # letters, only a listed abbreviation spelled with letters alone can match there.
    last = span[span.rfind(" ") + 1 :]
    if len(last) > 1 and last.isascii() and last.isalpha():
        return last in _LETTER_ABBREVIATIONS
    return bool(_ABBREVIATION_END.search(span[-_TAIL:]))


def _joins_next(before: str, marker: str, after: str | None) -> bool:
    """True when a terminal marker does not end a sentence (segtok's abbreviation joiner)."""
    if before[-1:].isspace():
        return True
    if marker[0] != ".":
        return False
    if _is_abbreviation(before):
        return True
    if not after:
        return False
    # The cheap tests first: a lone word starts in lower case, a date's day ends `before` in an
    # ASCII digit (or a line end).
    return bool(
        (_starts_lower_or_unknown(after) and _LONE_WORD.match(after))
        or (
            (before[-1:].isdigit() or before.endswith("\n"))
            and _ENDS_IN_DATE_DIGITS.search(before[-6:])
            and _MONTH.match(after)
        )
        # The middle-initial rule needs `before` to end in a capital: test that first, it is cheap
        # and rare enough that the unbounded pattern may then scan all of `before`.
        or (before[-1:].isupper() and _UPPER_WORD_START.match(after) and _MIDDLE_INITIAL_END.search(before))
    )


def _abbreviation_joined(spans: list[str]) -> Iterator[str]:
    """segtok's `_abbreviation_joiner`: text and terminal spans joined back where no sentence ends."""
    start: int | None = None
    total = len(spans)
    for pos in range(total):
        if pos % 2:
            after = spans[pos + 1] if pos + 1 < total else None
            if not _joins_next(spans[pos - 1], spans[pos], after):
                yield "".join(spans[start : pos + 1])
                start = None
        elif start is None:
            start = pos
    if start is not None:
        yield "".join(spans[start:])


def _is_open(span: str, opener: str, closer: str) -> bool:
    """The span ends with an unclosed bracket: segtok counts closers after the first opener."""
    first = span.find(opener)
    return first != -1 and span.count(opener) - span.count(closer, first) > 0


def _is_not_opened(span: str, opener: str, closer: str) -> bool:
    """The span starts inside a bracket: closers outnumber openers before the last closer."""
    last = span.rfind(closer)
    return last != -1 and span.count(closer) - span.count(opener, 0, last) > 0


def _joins_bracket(last: str, current: str, opener: str, closer: str) -> bool:
    return _is_open(last, opener, closer) and (
        _is_not_opened(current, opener, closer)
        or last.endswith(" et al. ")
        or bool(_UPPER_CASE_END.search(last) and _UPPER_CASE_START.match(current))
    )


def _continues(last: str, current: str) -> bool:
    """True when `current` continues the sentence in `last` (segtok's `_sentences` join rules)."""
    # Rare (a span starting in lower case), so the end pattern may scan all of `last`: its
    # trailing `\s+` has no length limit, and neither would a safe tail.
    if _starts_lower_or_unknown(current) and _LOWER_WORD.match(current) and _BEFORE_LOWER_END.search(last):
        return True
    short = len(current) < _SHORT_SENTENCE or len(last) < _SHORT_SENTENCE
    if short and (_joins_bracket(last, current, "(", ")") or _joins_bracket(last, current, "[", "]")):
        return True
    # Every continuation word starts with one of these letters.
    return current[:1] in _CONTINUATION_INITIALS and bool(_CONTINUATIONS.match(current))


def split_segtok_sentences(text: str) -> list[str]:
    """Sentences of `text` as segtok's `split_multi` yields them, stripped, empty ones dropped."""
    sentences: list[str] = []
    last: str | None = None
    for current in _abbreviation_joined(_SPLIT.split(text)):
        if last is None:
            last = current
        elif _continues(last, current):
            last += current
        else:
            stripped = last.strip()
            if stripped:
                sentences.append(stripped)
            last = current
    if last is not None and last.strip():
        sentences.append(last.strip())
    return sentences
