"""Parse the dashboard's filter box into terms; the grammar is documented in core/corpus/query.py.

Parsing needs no corpus, so it is pure and total: any text gives a `Query` or a `QueryError` that
says what is wrong and where, which the dashboard shows inline while keeping the last good result.
Checks that need the corpus (is `country:Narnia` a country?) happen in `FilterIndex`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FIELDS: tuple[str, ...] = ("country", "pair", "keyword", "entity", "source", "after", "before")
"""Every `field:` the language knows, in the order the help text lists them."""

DATE_FIELDS = frozenset({"after", "before"})

_EXAMPLES = {
    "country": "country:IQ or country:Iraq",
    "pair": "pair:IQ-US",
    "keyword": 'keyword:"military bases"',
    "entity": "entity:Jaafari",
    "source": "source:bbc",
    "after": "after:2004-06-01",
    "before": "before:2005-01-01",
}

# A field name is ASCII letters then a colon; anything else with a colon ("10:30", ":)") is a word.
_FIELD = re.compile(r"([A-Za-z]+):")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class QueryError(ValueError):
    """A filter the user typed that cannot be run: a message for people and where in the text."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    """One condition: a word or "phrase" (field None) or `field:value`, possibly negated with `-`."""

    field: str | None
    value: str
    negated: bool = False
    quoted: bool = False
    position: int = 0  # index of the term's first character (its `-` if negated) in the query text

    @property
    def value_position(self) -> int:
        """Index of the value's first character, for errors found after parsing (unknown country)."""
        return self.position + self.negated + (len(self.field) + 1 if self.field else 0)


@dataclass(frozen=True)
class Query:
    """A parsed filter: every term must hold (AND); no terms means every article."""

    terms: tuple[Term, ...]
    text: str


def parse_date(value: str, position: int) -> date:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` as the first day it names; QueryError otherwise."""
    match = _DATE.fullmatch(value.strip())
    if match is not None:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise QueryError(f"bad date '{value}': use YYYY-MM-DD (or YYYY-MM, YYYY)", position)


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and the next quote, and the index after the closing one."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError('unterminated quote: add the closing "', start)
    return text[start + 1 : end], end + 1


def parse_query(text: str) -> Query:
    """Split filter text into terms, raising QueryError for anything that cannot mean a filter."""
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == n or text[i].isspace():
                raise QueryError("'-' must be followed by a term to exclude, like -iraq", start)
        if text[i] == '"':
            value, i = _quoted(text, i)
            if not value.strip():
                raise QueryError("empty quotes: put a phrase between them", start + negated)
            terms.append(Term(None, value, negated, True, start))
            continue
        # A bare token runs to whitespace or a quote, so `word"phrase"` is a word then a phrase.
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        field_match = _FIELD.match(text, i, end)
        if field_match is None:
            terms.append(Term(None, text[i:end], negated, False, start))
            i = end
            continue
        field = field_match.group(1).lower()
        if field not in FIELDS:
            known = ", ".join(f"{name}:" for name in FIELDS)
            raise QueryError(f"unknown field '{field_match.group(0)}' (known: {known})", i)
        value_start = field_match.end()
        quoted = value_start < n and text[value_start] == '"'
        if quoted:
            value, end = _quoted(text, value_start)
        else:
            value = text[value_start:end]
        if not value.strip():
            raise QueryError(f"'{field}:' needs a value, like {_EXAMPLES[field]}", value_start)
        if field in DATE_FIELDS:
            parse_date(value, value_start)
        terms.append(Term(field, value.strip(), negated, quoted, start))
        i = end
    return Query(tuple(terms), text)
