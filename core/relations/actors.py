"""Actors that stand for a country without naming it: leaders, officials, armed groups.

"Putin said ..." is Russia acting, as event coders read it. The people and organisations the entity
tagger finds are looked up in two editable files in PETRARCH's actor format:
`data/petrarch2/actors.txt` (a subset of the PETRARCH2 actor dictionaries, MIT, Copyright (c) 2014
Open Event Data; rebuilt by benchmarks/build_actors.py) and `data/actors_recent.txt` (newsdesk's
additions: leaders in office after the 2014 dictionaries were made). A match becomes a country
mention for the relations stage only (the countries pane still counts names of countries), and
each pair it creates says so in its rule: "actors: Putin → RU".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pycountry

from core.paths import data_dir

ACTOR_FILES = ("petrarch2/actors.txt", "actors_recent.txt")
_CODE = re.compile(r"\[([A-Z]{3})[A-Z]*[^\]]*\]")


@dataclass(frozen=True)
class Actor:
    """One spelling of an actor: the country it stands for and the actor's main spelling."""

    code: str  # ISO2
    name: str  # main spelling, for the explanation ("Vladimir Putin")


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a sentence, shaped like a country mention (core.relations.pairs reads it)."""

    start: int
    end: int
    sentence: int
    code: str
    name: str  # the country's name
    surface: str
    actor: str

    @property
    def locative(self) -> bool:
        return False  # a person or group acts; it is never the place where something happened

    @property
    def how(self) -> str:
        return f"{self.surface} → {self.code}, actor"


@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """The lookup key of a spelling: upper case, words joined by single spaces, no dots or hyphens."""
    return " ".join(name.upper().replace("_", " ").replace("-", " ").replace(".", " ").split())


def parse_actor_file(text: str, source: str, alpha3: dict[str, str]) -> dict[str, Actor]:
    """Spellings -> actors of one file in PETRARCH's actor format. Raises ValueError naming the line
    of a block whose codes name no known country or several."""
    found: dict[str, Actor] = {}
    spellings: list[str] = []
    codes: set[str] = set()
    first_line = 0

    def close() -> None:
        if not spellings:
            return
        if len(codes) != 1:
            what = "no known country code" if not codes else f"several countries {sorted(codes)}"
            raise ValueError(f"{source}, line {first_line}: actor {spellings[0]!r} has {what}")
        actor = Actor(next(iter(codes)), spellings[0].title())
        for spelling in spellings:
            found.setdefault(spelling, actor)

    # Most lines are codes ("\t[AFGGOV 920628-960927]") or "+" spellings: each is read with as few
    # string operations as it needs (this file is read by every analysis process).
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in {"\t", " "}:
            if "[" in raw:
                for found_code in _CODE.findall(raw.split("#", 1)[0]):
                    code = alpha3.get(found_code)
                    if code is not None:
                        codes.add(code)
            continue
        line = raw.split("#", 1)[0].rstrip() if "#" in raw else raw.rstrip()
        if not line:
            continue
        if line[0] == "+":
            spellings.append(normalise(line[1:]))
            continue
        close()
        name, _, inline = line.partition("[")
        spellings, codes, first_line = [normalise(name)], set(), number
        if inline:
            codes.update(alpha3[c] for c in _CODE.findall("[" + inline) if c in alpha3)
    close()
    return {spelling: actor for spelling, actor in found.items() if spelling}


@lru_cache(maxsize=2)
def load_actors(folder: Path | None = None) -> dict[str, Actor]:
    """Every actor spelling of the shipped files, read once per process (on first use)."""
    base = folder or data_dir()
    alpha3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    actors: dict[str, Actor] = {}
    for name in ACTOR_FILES:
        path = base / name
        if path.exists():
            # The later file (newsdesk's additions) wins over the older dictionary.
            actors.update(parse_actor_file(path.read_text(encoding="utf-8"), str(path), alpha3))
    return actors


class EntityLike(Protocol):
    """What actor lookup needs from an entity mention (core.entities.find.EntityMention fits)."""

    @property
    def text(self) -> str: ...
    @property
    def surface(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def sentence(self) -> int: ...
    @property
    def kind(self) -> str: ...


class SpanLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def find_actor_mentions(
    entities: Sequence[EntityLike],
    countries: Sequence[SpanLike],
    actors: dict[str, Actor] | None = None,
    country_names: dict[str, str] | None = None,
) -> list[ActorMention]:
    """The people and organisations among `entities` that stand for a country.

    A person is looked up by the whole name, then by the surname alone (only surnames the files
    list on their own, like PUTIN). A name overlapping a country mention is the country's already.
    """
    if not entities:
        return []
    table = load_actors() if actors is None else actors
    if country_names is None:
        from core.countries.gazetteer import gazetteer

        country_names = gazetteer().names
    spans = [(c.start, c.end) for c in countries]  # checked only for the rare names that match
    out: list[ActorMention] = []
    for entity in entities:
        # Every kind is looked up: the entity tagger sometimes reads a leader as a place ("Pompeo").
        key = normalise(entity.text)
        actor = table.get(key)
        if actor is None and " " in key:
            actor = table.get(key.rsplit(" ", 1)[1])
        if actor is None or any(start < entity.end and entity.start < end for start, end in spans):
            continue
        out.append(
            ActorMention(
                entity.start,
                entity.end,
                entity.sentence,
                actor.code,
                country_names.get(actor.code, actor.code),
                entity.surface,
                actor.name,
            )
        )
    return out
