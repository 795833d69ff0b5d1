"""Counts in messages: "1 article", "2 articles", never "1 articles"."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural unless the count is one ("1 problem", "0 problems")."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"
