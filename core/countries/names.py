"""Country names as people type them (filter terms `country:`, `pair:`; `relations --country`) → ISO code.

A name resolves through the corpus' own mentions first (a code it uses, a country's name, or a way
it refers to one, such as "American"), then the gazetteer country detection uses (names, aliases
such as UK, Burma, USSR, demonyms such as Iraqi; not capitals or cities: a country is asked for),
then ISO 3166 (pycountry: alpha-2/alpha-3 codes, names, official names).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import polars as pl

from core.countries.gazetteer import gazetteer

# Names people type that ISO 3166 does not list, for when the gazetteer is unavailable.
_ALIASES = {"uk": "GB", "britain": "GB", "great britain": "GB", "america": "US", "holland": "NL"}


@functools.cache
def _gazetteer_names() -> dict[str, str]:
    """Lower-cased country names, aliases and demonyms → code, from the gazetteer country detection uses.

    Built on first need (about 0.1 s, once per process): most filters never type a country name the
    corpus itself does not use. Capitals and cities are left out: `country:` asks for a country.
    """
    names: dict[str, str] = {}
    for surface, entry in gazetteer().entries.items():
        if entry.code and entry.how not in {"capital", "city"}:
            names.setdefault(surface.lower(), entry.code)
    return names


def preload_country_names() -> None:
    """Build the country-name table now (off the UI thread) rather than on the first unknown name typed."""
    _gazetteer_names()


def _pycountry_code(name: str) -> str | None:
    """ISO alpha-2 code for an ISO 3166 code (alpha-2 or -3), name, official or common name."""
    import pycountry  # imported here: loading its tables costs time most runs never need

    try:
        country: Any = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(country.alpha_2)


def corpus_country_names(mentions: pl.DataFrame) -> dict[str, str]:
    """Lower-cased country name or wording → code from a mentions frame; the most frequent code wins
    when a name is shared. A `uses` column, when present, says how many mentions each row stands for
    (a dataset's dashboard passes mentions already counted per partition)."""
    countries = mentions.lazy().filter(pl.col("kind") == "country", pl.col("code").is_not_null())
    uses = pl.col("uses") if "uses" in mentions.columns else pl.lit(1, dtype=pl.UInt32)
    names = pl.concat(
        [
            # Canonical names rank before wordings: the entity column is the country's own name.
            countries.select(name=pl.col("entity"), code="code", priority=pl.lit(0), uses=uses),
            countries.filter(~pl.col("how").is_in(["capital", "city"]).fill_null(False)).select(
                name=pl.col("surface"), code="code", priority=pl.lit(1), uses=uses
            ),
        ]
    )
    ranked = (
        names.drop_nulls("name")
        .with_columns(pl.col("name").str.to_lowercase())
        .group_by("name", "code")
        .agg(priority=pl.col("priority").min(), uses=pl.col("uses").sum())
        .sort(["name", "priority", "uses", "code"], descending=[False, False, True, False])
        .unique("name", keep="first")
        .collect()
    )
    return dict(zip(ranked.get_column("name").to_list(), ranked.get_column("code").to_list(), strict=True))


class CountryNames:
    """Resolves a typed code or name to an ISO alpha-2 code, the corpus' own names first."""

    def __init__(self, corpus_names: dict[str, str], corpus_codes: Iterable[str]) -> None:
        self._names = corpus_names
        self._codes = frozenset(corpus_codes)

    @classmethod
    def from_mentions(cls, mentions: pl.DataFrame) -> CountryNames:
        """The names and codes of a mentions frame (see core.analysis.frames.mention_frame)."""
        codes = mentions.get_column("code").drop_nulls().unique().to_list()
        return cls(corpus_country_names(mentions), codes)

    def code(self, name: str) -> str | None:
        """ISO alpha-2 code for a code or country name, or None when none fits."""
        key = " ".join(name.lower().split())
        if len(key) == 2 and key.upper() in self._codes:
            return key.upper()
        if key in self._names:
            return self._names[key]
        if not key:
            return None
        return _gazetteer_names().get(key) or _ALIASES.get(key) or _pycountry_code(key)
