"""Explainable country resolution: every mention of a country, its ISO code, and why it resolved.

Names come from pycountry (names, official and common names) and from `data/countries.toml`
(aliases, demonyms, capitals, major dateline cities, blocked phrases). The rules, in order:

1. Matching. Every surface form is matched as written: case-sensitive, whole words, longest first
   ("Papua New Guinea" before "Guinea", "Niger" never inside "Nigeria"). So country names must be
   capitalised ("china plates", "roast turkey", "chile" do not count) and "US" must be upper-case
   ("us" is a pronoun). Inside ALL-CAPS text (a line with no lower-case letter, or a dateline such
   as "MOSCOW, March 3 -") the upper-cased forms are matched too. "IS" and "Daesh" are not names.
   Possessives and hyphens end a word: "Iraq's", "Iraq’s", "US-led", "Iraq-Iran" all resolve.
   A form followed by "$" is a currency ("US$5"), not a mention.
2. Blocked phrases ("New Mexico", "New Jersey", "Washington state", "Latin American", "Indian
   Ocean", "Jordan River", "Paris Club", ...) are matched like names, win as the longer match and
   then yield nothing.
3. "Town, State" ("Akron, Ohio", "SAN MATEO, Calif.", "Paris, Texas", "Atlanta, Georgia",
   "Calgary, Alberta") is one mention of the state's country with how="city"; so "Paris, Texas" is
   not France. Not applied to "Iraq, Georgia": a country name followed by Georgia is a list.
4. Person names. In sentence-case text, a surface that is also a first name or surname ("Jordan",
   "Chad", "Georgia", "Washington", "Paris", ...) is dropped when it directly follows a capitalised
   word other than a function word, title or direction ("Michael Jordan", "George Washington";
   "President ... of Jordan", "In Jordan", "Lake Chad" stay) or directly precedes one other than a
   weekday or month ("Chad Smith", "Paris Hilton"). Not applied to ALL-CAPS text, nor to a Title Case
   headline (the document's first line), where capitals say nothing about names.
5. US states. A country name that is also a US state ("Georgia") is dropped when its sentence has a
   US cue: another state, "governor", "Gov.", "county", "legislature", "Atlanta", "Savannah".
6. Rivals. A bare "Korea"/"Korean" is South Korea unless the document also names North Korea, when
   it is ambiguous and dropped; bare "Congo" is DR Congo unless the Republic of the Congo is also
   named; "Dominican" is the Dominican Republic unless Dominica is named.
7. `how`: "name" (the country's own names, from pycountry or our common name), "alias" (U.S., UK,
   Britain, America, Burma, USSR, Wall Street ...), "demonym" (Iraqi, Americans), "capital"
   (Baghdad, Washington, D.C.), "city" (major non-capital cities and "Town, State"). Historic names
   fold into today's code: USSR and Soviet -> RU, West/East Germany -> DE, Yugoslavia -> RS,
   Czechoslovakia -> CZ, Zaire -> CD. Jerusalem counts for Israel.
8. `locative` (a venue, not an actor) is True when: the mention is in a dateline; or how="city";
   or the mention directly follows a locative preposition (in, at, from, near, outside, inside,
   across, throughout, within, into, via, around, toward(s)), with at most three filler words
   between ("in the capital Baghdad", "in northern Iraq"); or follows "to" after a travel word
   ("visit to Tehran", "flew to") or after "from" ("from Iraq to Afghanistan"); or is joined by
   ",", "and", "or" to a locative mention of the same sentence ("in South Korea, Turkey, Japan").
   Never for demonyms or possessives ("in Iraq's parliament" names Iraq as owner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.countries.gazetteer import Entry, Gazetteer, gazetteer, surface_key
from core.text.sentences import Sentence, sentence_at, split_sentences

LOCATIVE_PREPOSITIONS = frozenset(
    "in at from near outside inside across throughout within into via around toward towards".split()
)
TRAVEL_WORDS = frozenset(
    """visit visits visited visiting trip trips travel travels travelled traveled travelling traveling
    journey flight flights flew fly flying return returns returned returning back way route moved
    moving relocated headed heading went going came""".split()
)
FILLER_WORDS = frozenset(
    """the a an northern southern eastern western central north south east west northeastern
    northwestern southeastern southwestern north-east north-west south-east south-west neighbouring
    neighboring nearby downtown rural capital city occupied war-torn""".split()
)
# Capitalised words that may stand right before a person-like surface without making it a name.
NOT_GIVEN_NAMES = frozenset(
    """In At From To The Of And Or But For With By On Near Into Via Visit Visiting Both Then While When
    Since Unlike Like Only Even Also Meanwhile However Neighbouring Neighboring King Queen President
    Premier Prime Minister Ambassador Envoy Republic Kingdom Lake Northern Southern Eastern Western
    Central North South East West Across Outside Inside Against Between Including Why What How Where
    Is Was Are Were Has Had Will Would Does Did Can Could If As After Before During Over Under Upon
    Toward Towards Through Throughout Within Without Beyond Around Besides Amid Among Despite Than
    That This These Those Whether Where Said Says Told Asked Official Officials Embassy""".split()
)
NOT_SURNAMES = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    I""".split()
)

_TOKENS = re.compile(r"[\w'’-]+")
_WORD_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w'’.-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w'’-]*)")
_POSSESSIVE = re.compile(r"['’](?:s\b|S\b|(?!\w))")
_COORDINATION = re.compile(r"""[\s,;"“”‘’']*(?:(?:and|or|as well as|&)\s+)?[\s"“”‘’']*""")
_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)"
# A dateline: one to four capitalised words at a line start, then a date within 40 characters
# ("NEW YORK, March 3 -", "ESSEN, West Germany, March 26"), an agency in brackets, or a dash.
_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z.'’&-]+(?:[ \t]+[A-Z][A-Z.'’&-]*){0,3})[ \t]*"
    r"(?=,[^\n]{0,40}?(?:\d[ \t]+" + _MONTH + r"|\b" + _MONTH + r"\.?[ \t]+\d)|\(|[-–—])",
    re.M,
)
_LINE = re.compile(r"[^\n]+")
_CURRENCY_AFTER = re.compile(
    r"[ \t]+(?:dollars?|dlrs?|francs?|marks?|pounds?|sterling|yen|lira|lire|guilders?|crowns?|kronas?|kronor"
    r"|kroner|krone|pesos?|pesetas?|escudos?|rand|rupees?|ringgit|won|yuan|schillings?|drachmas?|shekels?"
    r"|rials?|riyals?|dinars?|currency)\b",
    re.IGNORECASE,
)
_LOWER = re.compile(r"[^\W\d_A-Z]")  # a lower-case letter, any script
_UPPER = re.compile(r"[A-Z]")


@dataclass(frozen=True)
class CountryMention:
    """One mention of a country: where it is, what it resolved to, and why."""

    surface: str  # text as written, e.g. "Baghdad"
    start: int  # character offsets into the document string, [start, end)
    end: int
    sentence: int  # index of the sentence (core.text.sentences.Sentence.index)
    code: str  # ISO 3166-1 alpha-2, e.g. "IQ"
    name: str  # common English name, e.g. "Iraq"
    how: str  # "name" | "alias" | "demonym" | "capital" | "city"
    locative: bool  # True when it names a venue ("in Moscow"), not an actor


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entry: Entry
    dateline: bool = False
    caps: bool = False


def country_name(code: str) -> str:
    """Common English name for an ISO 3166-1 alpha-2 code ("KR" -> "South Korea"); KeyError if unknown."""
    return gazetteer().names[code.upper()]


def _caps_regions(document: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_dateline) spans written in capitals: whole capitalised lines and datelines."""
    regions = [(m.start(1), m.end(1), True) for m in _DATELINE.finditer(document)]
    for line in _LINE.finditer(document):
        text = line.group()
        if not _LOWER.search(text) and len(_UPPER.findall(text)) >= 2:
            regions.append((line.start(), line.end(), False))
    return regions


def _candidates(document: str, gaz: Gazetteer) -> list[_Candidate]:
    found = [
        _Candidate(m.start(), m.end(), gaz.entries[surface_key(m.group())])
        for m in gaz.pattern.finditer(document)
    ]
    for start, end, dateline in _caps_regions(document):
        for caps in gaz.caps_pattern.finditer(document, start, end):
            entry = gaz.caps_entries[surface_key(caps.group())]
            found.append(_Candidate(caps.start(), caps.end(), entry, dateline=dateline, caps=True))
    for m in gaz.region_pattern.finditer(document):
        town_start = _trim_town(m.group(1), m.start(1))
        town = surface_key(document[town_start : m.end(1)])
        town_entry = gaz.entries.get(town) or gaz.caps_entries.get(town)
        state = surface_key(m.group(2)).upper()
        if town.lower() in _NOT_TOWNS:
            continue  # "On Friday, Washington announced ...": a time or linking word, then the capital
        if state == "GEORGIA" and town_entry and town_entry.code and town_entry.how in ("name", "alias"):
            continue  # "Armenia, Georgia": a list of countries, not a town in Georgia
        code = gaz.regions[state]
        found.append(_Candidate(town_start, m.end(), Entry(code, "city")))
    # Longest match wins among overlapping candidates; a dateline or caps flag survives a tie.
    found.sort(key=lambda c: (c.start, -(c.end - c.start), not c.dateline))
    kept: list[_Candidate] = []
    for cand in found:
        if kept and cand.start < kept[-1].end:
            continue
        kept.append(cand)
    return kept


# Words that open a sentence before a comma and are no town: "Yesterday, Washington announced ...",
# "On Friday, Washington ..." are not a town in Washington state.
_NOT_TOWNS = frozenset(
    """yesterday today tonight tomorrow now meanwhile however instead later earlier then also still
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


def _trim_town(town: str, start: int) -> int:
    """Start of the town once leading function words are cut ("In Rochester, N.Y." -> "Rochester")."""
    words = list(re.finditer(r"\S+", town))
    for word in words[:-1]:
        if word.group() not in NOT_GIVEN_NAMES:
            return start + word.start()
    return start + words[-1].start()


def _is_headline_case(line: str) -> bool:
    """Title Case Or ALL CAPS: capitalisation says nothing about names in such a line."""
    words = [w for w in _TOKENS.findall(line) if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _line_of(document: str, offset: int) -> str:
    start = document.rfind("\n", 0, offset) + 1
    end = document.find("\n", offset)
    return document[start : end if end >= 0 else len(document)]


def _is_person(document: str, cand: _Candidate) -> bool:
    """'Michael Jordan', 'Chad Smith': a person-like surface joined to another capitalised word."""
    first_line_end = document.find("\n")
    in_headline = first_line_end < 0 or cand.start < first_line_end
    if cand.caps or (in_headline and _is_headline_case(_line_of(document, cand.start))):
        return False
    before = _WORD_BEFORE.search(document, max(0, cand.start - 40), cand.start)
    if before and before.group(1) not in NOT_GIVEN_NAMES:
        return True
    after = _WORD_AFTER.match(document, cand.end)
    return bool(after and after.group(1) not in NOT_SURNAMES)


def _is_locative(
    document: str, cand: _Candidate, sentence_start: int, previous: CountryMention | None
) -> bool:
    """Rule 8 of the module docstring: does this mention name a venue rather than an actor?"""
    entry = cand.entry
    if cand.dateline or entry.how == "city":
        return True
    if entry.how == "demonym" or _POSSESSIVE.match(document, cand.end):
        return False
    if previous is not None and previous.locative:
        between = document[previous.end : cand.start]
        if _COORDINATION.fullmatch(between.lower()):
            return True
    tokens = [t.lower() for t in _TOKENS.findall(document, max(sentence_start, cand.start - 120), cand.start)]
    i = len(tokens) - 1
    skipped = 0
    while i >= 0 and tokens[i] in FILLER_WORDS and skipped < 3:
        i -= 1
        skipped += 1
    if i < 0:
        return False
    if tokens[i] in LOCATIVE_PREPOSITIONS:
        return True
    # "visit to Tehran", "from Iraq to Afghanistan": "to" alone is too often an addressee.
    if tokens[i] != "to" or i == 0:
        return False
    return tokens[i - 1] in TRAVEL_WORDS or "from" in tokens[max(0, i - 4) : i]


def find_country_mentions(document: str, sentences: list[Sentence] | None = None) -> list[CountryMention]:
    """Every country mention in `document`, sorted by start; sentences are computed when not given."""
    if not document:
        return []
    gaz = gazetteer()
    if sentences is None:
        sentences = split_sentences(document)
    kept: list[tuple[_Candidate, int]] = []
    for cand in _candidates(document, gaz):
        entry = cand.entry
        if not entry.code or document.startswith("$", cand.end):
            continue
        if entry.how == "demonym" and _CURRENCY_AFTER.match(document, cand.end):
            continue  # "Swiss francs", "Australian dlr": a currency, not the country
        index = sentence_at(sentences, cand.start) if sentences else 0
        if entry.person and _is_person(document, cand):
            continue
        if entry.us_state and not cand.caps and sentences:
            sentence = sentences[index]
            text = document[sentence.start : sentence.end]
            if gaz.state_cues.search(text):
                continue
        kept.append((cand, index))
    named = {cand.entry.code for cand, _ in kept if not cand.entry.yield_to}
    mentions: list[CountryMention] = []
    previous: CountryMention | None = None
    for cand, index in kept:
        entry = cand.entry
        if entry.yield_to and entry.yield_to in named:
            continue
        sentence_start = sentences[index].start if sentences else 0
        if previous is not None and previous.sentence != index:
            previous = None
        mention = CountryMention(
            surface=document[cand.start : cand.end],
            start=cand.start,
            end=cand.end,
            sentence=index,
            code=entry.code,
            name=gaz.names[entry.code],
            how=entry.how,
            locative=_is_locative(document, cand, sentence_start, previous),
        )
        mentions.append(mention)
        previous = mention
    return mentions
