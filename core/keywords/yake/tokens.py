"""Word tokens as YAKE sees them: segtok's web tokenizer and contraction split, one regex per sentence.

segtok splits a sentence on whitespace, then splits each piece with its word pattern, then fixes the
last tokens and dangling commas in Python loops; YAKE then splits contractions and drops tokens that
start with an ASCII quote. Here one `findall` with the same word pattern (and a "gap" alternative
for the text between words) replaces the per-piece splits; the fix-ups keep segtok's rules.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from itertools import chain

import regex

from core.keywords.yake.segment import HYPHENS, TERMINALS, split_segtok_sentences

_LETTER = r"[\p{Ll}\p{Lm}\p{Lt}\p{Lu}]"
_ALNUM = r"[\p{Ll}\p{Lm}\p{Lt}\p{Lu}\p{Nd}\p{Nl}]"
_APOSTROPHE = r"[\u00B4\u02B9\u02BC\u2019\u2032]"  # not the ASCII quote
_APOSTROPHES = "'\u00b4\u02b9\u02bc\u2019\u2032"

# segtok's word pattern; its `$` (end of a whitespace-separated piece) is `(?!\S)` here because
# the pattern runs over a whole sentence.
_WORD = r"""(?:
    {alnum} \. (?!\.\.)
    | {alnum} , (?={alnum})
    | {number} : (?={number})
    | {alnum} {apo}? [{hyphens}] (?={alnum})
    | {apo} (?!{apo})
    | {alnum} ' (?={alnum})
    | s ' (?!\S)
    | \b [yzafpn\u00B5mcdhkMGTPEZY]? {letter}{{1,3}} \u207B?[\u00B9\u00B2\u00B3] (?!\S)
    | \b (?:[A-Z][a-z]?|[\)\]])+ [\u2080-\u2089]+ (?:[\u00B2\u00B3]?[\u207A\u207B])?
    | {alnum}
    )+""".format(
    alnum=_ALNUM,
    number=r"[\p{Nd}\p{Nl}]",
    apo=_APOSTROPHE,
    hyphens=HYPHENS,
    letter=_LETTER,
)
# A word, or a run of non-space characters at none of which a word starts.
_TOKEN = regex.compile(rf"{_WORD}|(?:(?!{_WORD})\S)+", regex.VERBOSE)
_WORD_AT_START = regex.compile(_WORD, regex.VERBOSE)
_STARTS_WITH_APOSTROPHE = regex.compile(_APOSTROPHE)
_URL_OR_EMAIL = regex.compile(
    r"""(?<=^|[\s<"'(\[{])
    ( [A-z]+ :// (?:[^@]+@)? (?:[\w-]+\.)+\w+ (?::\d+)? (?:\/[^?\#\s'">)\]}]*)?
      (?:\?[^\#\s'">)\]}]+)? (?:\#[^\s'">)\]}]+)?
    | [\w.#$%&'*+/=!?^`{|}~-]+ @ (?:[\w-]+\.)+ \w+
    )(?=[\s>"')\]}]|$)""",
    regex.VERBOSE,
)
_HYPHENATED_LINEBREAK = regex.compile(
    rf"({_ALNUM}[{HYPHENS}])[\p{{Zs}}\t]*?(?:\r\n|\n|\r|\u2028)[\p{{Zs}}\t]*?({_ALNUM})"
)
_CONTRACTION = regex.compile(
    rf"{_ALNUM}+(?:[{HYPHENS}]{_ALNUM}+)*['\u00B4\u02B9\u02BC\u2019\u2032](?:d|ll|m|re|s|t|ve)$"
)
_TERMINAL_SET = frozenset(TERMINALS)
# The next commonest pieces, in which segtok's word pattern reduces to this: an opening quote or
# bracket, ASCII words joined by single - ' , or . (one word token: "U.S.", "1,200", "O'Brien",
# "well-known", "said."), then one closing mark that starts no word ("Iraq," "(AP)").
_SIMPLE_PART = re.compile(r"""([("'\[]?)([A-Za-z0-9]+(?:[-',.][A-Za-z0-9]+)*\.?)([,;:)"?!\]]?)""")
_CAPITAL_START = regex.compile(r"\s*[A-Z]")
_NOT_REGEX_SPACE = regex.compile("[\x1c-\x1f]")
_SPACE = regex.compile(r"\s+")


@lru_cache(maxsize=1 << 14)
def _may_end_sentence(word: str) -> bool:
    """segtok's test for the token that may carry a sentence's terminal."""
    is_word = _WORD_AT_START.match(word) is not None and not _STARTS_WITH_APOSTROPHE.match(word)
    return is_word or not _TERMINAL_SET.isdisjoint(word)


def _fix_sentence_end(tokens: list[str]) -> None:
    """segtok: split a terminal off the last word-like token among the last three."""
    for back, word in enumerate(reversed(tokens[-3:]), 1):
        if not _may_end_sentence(word):
            continue
        at = len(tokens) - back
        if len(word) == 1 or word == "...":
            pass
        elif word[-1] in _TERMINAL_SET:
            tokens[at : at + 1] = [word[:-1], word[-1]]
        elif word[0] in _TERMINAL_SET:
            tokens[at : at + 1] = [word[0], word[1:]]
        break


def _split_dangling(tokens: list[str]) -> list[str]:
    """segtok: commas, semicolons and colons at a token's end become tokens of their own."""
    if not any(len(word) > 1 and word[-1] in ",;:" for word in tokens):
        return tokens
    out: list[str] = []
    for word in tokens:
        if len(word) > 1 and word[-1] in ",;:":
            kept = word.rstrip(",;:") or word[0]
            out.append(kept)
            out.extend(word[len(kept) :])
        else:
            out.append(word)
    return out


@lru_cache(maxsize=1 << 17)
def _part_tokens(part: str) -> tuple[str, ...]:
    """segtok's tokens of one whitespace-free piece; cached, since news text repeats its pieces."""
    # Most pieces are plain ASCII words: one token, no regex needed.
    if part.isascii() and part.isalnum():
        return (part,)
    simple = _SIMPLE_PART.fullmatch(part)
    if simple:
        return tuple(piece for piece in simple.groups() if piece)
    return tuple(_TOKEN.findall(part))


@lru_cache(maxsize=1 << 17)
def _part_tokens_final(part: str) -> tuple[str, ...]:
    """A piece's tokens after every per-token step; right for pieces the sentence-end fix skips."""
    if part.isascii() and part.isalnum():
        # One token with no apostrophe and no final , ; or : : every per-token step keeps it.
        return (part,)
    simple = _SIMPLE_PART.fullmatch(part)
    if simple and "'" not in simple[2]:
        # An opening mark, a word ending in a letter, digit or ".", a closing mark: no token ends
        # in , ; or : after another character, and with no apostrophe in the word there is no
        # contraction and no token the quote filter drops, so the steps keep them all.
        return tuple(piece for piece in simple.groups() if piece)
    return tuple(_per_token_steps(list(_part_tokens(part))))


@lru_cache(maxsize=1 << 17)
def _last_part_tokens(part: str) -> tuple[str, ...] | None:
    """A sentence's last piece's tokens after the sentence-end fix and the per-token steps, or
    None when the fix may reach into the piece before it.

    The fix looks at the last three tokens from the end and splits the first that may end a
    sentence; when that token is in the last piece, or the piece has three tokens or more (the
    fix then never leaves it), the earlier pieces are untouched. The per-token steps treat each
    token alone, so they can run piece by piece.
    """
    tokens = list(_part_tokens(part))
    if len(tokens) < 3 and not any(_may_end_sentence(word) for word in tokens):
        return None
    _fix_sentence_end(tokens)
    return tuple(_per_token_steps(tokens))


def _per_token_steps(tokens: list[str]) -> list[str]:
    """segtok's dangling-punctuation split, then YAKE's contraction split and quote filter."""
    return _yake_filter(_split_contractions(_split_dangling(tokens)))


def _yake_filter(tokens: list[str]) -> list[str]:
    """yake drops tokens that start with an ASCII quote ("'s" after a contraction split)."""
    return [w for w in tokens if w and not (w[0] == "'" and len(w) > 1)]


def _word_tokens(piece: str, odd_spaces: bool) -> list[str]:
    """segtok's word_tokenizer on a piece of a sentence, plus YAKE's contraction steps.

    The sentence-end fix only looks at the last three tokens, which come from at most the last
    three whitespace-separated parts; every other part's tokens come finished from the cache.
    """
    if "&" in piece:
        piece = html.unescape(piece)
    # A line break can only come from \r, U+2028 or an entity such as "&#10;" (newlines in the text
    # were replaced by spaces before).
    if "\r" in piece or "\u2028" in piece or "\n" in piece:
        piece = _HYPHENATED_LINEBREAK.sub(r"\1\2", piece)
    # str.split() and segtok's regex `\s` disagree only on four control characters.
    parts = [p for p in _SPACE.split(piece) if p] if odd_spaces else piece.split()
    if parts:
        last = _last_part_tokens(parts[-1])
        if last is not None:
            if len(parts) == 1:
                return list(last)
            return [*chain.from_iterable(map(_part_tokens_final, parts[:-1])), *last]
    tail = list(chain.from_iterable(map(_part_tokens, parts[-3:])))
    _fix_sentence_end(tail)
    if len(parts) <= 3:
        return _per_token_steps(tail)
    return [*chain.from_iterable(map(_part_tokens_final, parts[:-3])), *_per_token_steps(tail)]


def _web_tokens(sentence: str, odd_spaces: bool) -> list[str]:
    """segtok's web_tokenizer: URLs and e-mail addresses stay whole, the rest is word-tokenized."""
    if "@" not in sentence and "://" not in sentence:
        return _word_tokens(sentence, odd_spaces)
    tokens: list[str] = []
    for i, piece in enumerate(_URL_OR_EMAIL.split(sentence)):
        if i % 2:
            # URLs and e-mail addresses skip segtok's word steps but not YAKE's.
            tokens.extend(_yake_filter(_split_contractions([piece])))
        else:
            tokens.extend(_word_tokens(piece, odd_spaces))
    return tokens


def _split_contractions(tokens: list[str]) -> list[str]:
    """segtok's split_contractions: "don't" -> "do", "n't"; "Iraq's" -> "Iraq", "'s"."""
    out: list[str] = []
    for word in tokens:
        # Contractions have their apostrophe 2 or 3 characters from the end ('s, 're, n't).
        if (
            len(word) > 2
            and (word[-2] in _APOSTROPHES or word[-3] in _APOSTROPHES)
            and _CONTRACTION.match(word)
        ):
            cut = max(word.rfind(a) for a in _APOSTROPHES)
            if cut + 2 == len(word) > 2 and word[-1] == "t" and word[cut - 1] == "n":
                cut -= 1
            out.append(word[:cut])
            out.append(word[cut:])
        else:
            out.append(word)
    return out


def yake_sentences(text: str) -> tuple[list[str], bool]:
    """The sentences YAKE tokenizes in `text` (newlines count as spaces), and whether the text holds
    one of the control characters str.split() and segtok's `\\s` disagree on (see `sentence_words`)."""
    text = text.replace("\n", " ").replace("\t", " ")
    # yake's pre_filter: a paragraph break before text that starts with a capital, else a space.
    # It matters for texts that open with a terminal (". . " is one sentence, not two).
    text = ("\n\n" if _CAPITAL_START.match(text) else " ") + text
    return split_segtok_sentences(text), _NOT_REGEX_SPACE.search(text) is not None


def sentence_words(sentence: str, odd_spaces: bool) -> list[str]:
    """YAKE's tokens of one sentence from `yake_sentences`."""
    return _web_tokens(sentence, odd_spaces)


def sentence_tokens(text: str) -> list[list[str]]:
    """YAKE's tokens of `text`, per sentence (a sentence may have none); newlines count as spaces.

    Matches `yake.data.utils.tokenize_sentences(pre_filter(text.replace("\\n", " ")))`.
    """
    sentences, odd_spaces = yake_sentences(text)
    return [_web_tokens(sentence, odd_spaces) for sentence in sentences]


def is_piecewise(sentence: str) -> bool:
    """True when a sentence's tokens are its whitespace-separated pieces' tokens (`piece_tokens`),
    in order: no entity, line break, URL or e-mail address, which change the pieces first."""
    return not (
        "&" in sentence
        or "@" in sentence
        or "://" in sentence
        or "\r" in sentence
        or "\n" in sentence
        or "\u2028" in sentence
    )


def piece_tokens(piece: str, last: bool) -> tuple[str, ...] | None:
    """The tokens of one whitespace-separated piece of a piecewise sentence, after every step;
    `last`: the sentence's last piece. None when the sentence-end fix may reach into the piece
    before it (the sentence must then go through `sentence_words`)."""
    return _last_part_tokens(piece) if last else _part_tokens_final(piece)


def clear_caches() -> None:
    """Forget cached piece tokens and token facts (benchmarks use this to time text never seen
    before)."""
    from core.keywords.yake.vocab import forget_known_tokens

    forget_known_tokens()
    _part_tokens.cache_clear()
    _part_tokens_final.cache_clear()
    _last_part_tokens.cache_clear()
    _may_end_sentence.cache_clear()
