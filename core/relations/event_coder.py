"""Who did what to whom: the CAMEO event between each pair of countries named in one sentence.

A shape-and-lexicon coder helped by part-of-speech tags (core.text.pos): the sentence is cut into
clauses at relative pronouns, subordinators, brackets and main-clause breaks (`_clauses`); in each
clause the main predicate is the first event word after reporting and intent verbs (`_predicate`;
a word the tagger reads as a noun is never the predicate), coded from `data/event_rules.toml` over
the PETRARCH2 verb dictionary (`core.relations.cameo`), and changed by a closed set of operators
(reject, reverse, demand, threaten, accuse, negation). Countries before the predicate are its
source, those after it (or after "by" in the passive) its target; countries on one side share it
as a guess. Every decision records the words that made it (`cues`) and the rule that applied
(`rule`), so a reader can check it. Only sentences naming two or more countries are coded (~4% of
news sentences); leaders and armed groups count as their country (core.relations.actors).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from core.paths import data_dir
from core.relations.cameo import ROOT_NAMES, VerbDictionary, load_verb_dictionary, quad_of, stance_of
from core.relations.stance import inflections
from core.text.pos import pos_tags

RULES_FILE = "event_rules.toml"
AGENTS_FILE = "petrarch2/agents.txt"

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_BE = frozenset("is are was were be been being am 's".split())
_DETERMINERS = frozenset(
    "the a an its their his her our your this that these those any no every each".split()
)
_PATTERN_STOPS = frozenset({"that", "whether", ",", ";", ":", "which", "who", "because"})
_OPEN_QUOTES = frozenset({'"', "“", "'", "‘"})
# Orders and instructions (event_rules.toml's demand list): addressed to someone who is not a party,
# they pass the ordered act on, unless the verb's own PETRARCH pattern says more (see _scan).
_ORDER_FORMS = frozenset(
    "order orders ordered ordering direct directs directed directing instruct instructs instructed"
    " instructing".split()
)
# Words ending in "'s" that are a pronoun and "is"/"has" ("it's sending troops"), not a possessive.
_PRONOUN_IS = frozenset("it's he's she's that's there's here's who's what's where's".split())
# Words after which a verb form is a noun: determiners and pre-nominal adjectives ("the new rules").
_NOUN_MARKERS = _DETERMINERS | frozenset(
    """new recent latest additional such other same own several many previous proposed planned
    possible alleged joint bilateral military economic diplomatic nuclear""".split()
)
_RELATIVE = frozenset("which who whom whose where".split())
# Subordinators that open a background clause (temporal, conditional, causal, concessive).
_SUBORDINATORS = frozenset(
    "after before when while since if unless although though because until once whereas".split()
)
_MAIN_BREAKS = frozenset("but however yet".split())
_CLAUSE_PUNCT = frozenset(",;:()[]—–")
_ADVERB_SKIP = frozenset(
    "also already still now then later firmly strongly officially formally publicly reportedly allegedly "
    "further again jointly recently previously initially finally openly quickly immediately eventually "
    "not n't never".split()
)
# Part-of-speech tags (core.text.pos) of words that cannot be the predicate.
_NOMINAL_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "PRON"})
_VERBAL_TAGS = frozenset({"VERB", "AUX"})
_FUNCTION_TAGS = frozenset({"ADP", "ADV", "PART", "SCONJ", "CCONJ"})
_CHARGE_FORMS = frozenset({"charge", "charges", "charged", "charging"})
_CLAUSE_MARKS = frozenset({",", ";", ":", ".", "and", "but", "to", "for"})
_VERB_NEGATORS = frozenset({"not", "n't", "never"})
_AUXILIARIES = frozenset(
    "will would shall should can could may might must do does did is are was were has have had".split()
)
_RECIPROCAL_ROOTS = frozenset({"04", "05", "06", "19"})
# The preposition that ties an operator noun to its object ("refusal to", "rejection of", "calls for",
# "pressure on").
_OPERATOR_LINKS = frozenset({"to", "of", "for", "against", "on", "at"})
_AGENT_HYPHEN = frozenset({"led", "backed", "sponsored", "brokered", "built", "funded", "supported"})
# Words that may separate the members of a list of countries ("Israel and the UAE, Bahrain, and Kosovo").
_LIST_WORDS = frozenset({",", "and", "the", "or", "-", "–", "/", "&", "'s", "'"})


class Token(NamedTuple):
    """One word or punctuation mark of a sentence (a NamedTuple: a sentence makes dozens of them)."""

    text: str
    lower: str
    start: int
    end: int


@dataclass(frozen=True)
class CountryUnit:
    """One country mention in token terms."""

    code: str
    first: int  # token indices, inclusive
    last: int
    locative: bool


@dataclass(frozen=True)
class Event:
    """A coded event: CAMEO code, the words that decided it and the rule that applied."""

    code: str  # full CAMEO code, e.g. "1622"
    cues: tuple[str, ...]
    rule: str
    start: int  # token span of the deciding word
    end: int
    kind: str = "verb"  # verb | noun | operator | intent
    reported_by: int = -1  # token index of the reporting verb it was reached through, if any

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class PairEvent:
    """What one sentence says between two countries (or that it says nothing: event None)."""

    event: str | None  # CAMEO root "01".."20"
    code: str | None  # full CAMEO code
    source: str | None  # ISO2, None when undirected
    target: str | None
    cues: tuple[str, ...]
    rule: str
    venue: bool = False
    # How the direction was reached when the sentence's shape only suggests it: "order" (the
    # earlier country is the source); undirected: "shared" (both on one side of the event word),
    # "nearest" (no clause names both), "passive" (no "by" agent); "reciprocal" (joint subjects of
    # a reciprocal event). The dependency parse may then decide it (code_sentence); "" otherwise.
    guess: str = field(default="", compare=False, repr=False)

    @property
    def event_name(self) -> str:
        return ROOT_NAMES[self.event] if self.event else ""

    @property
    def quad(self) -> str:
        return quad_of(self.event) if self.event else "neutral"

    @property
    def stance(self) -> str:
        return stance_of(self.event) if self.event else "neutral"


@dataclass(frozen=True)
class Rules:
    """The compiled event rules: phrase tables (tuples of lower-case words) to their meaning."""

    reporting: dict[tuple[str, ...], str]
    intent: dict[tuple[str, ...], str]
    operators: dict[tuple[str, ...], str]  # words -> reject | reverse | amplify | demand | threaten | accuse
    negators: dict[tuple[str, ...], str]
    verb_codes: dict[tuple[str, ...], str]  # "---" = not an event
    nouns: dict[str, str]
    object_polarity: dict[str, str]  # noun -> cooperation | conflict
    object_window: int
    negation_window: int
    longest: int
    verbs: VerbDictionary
    # word -> the longest phrase (in words) of any table or verb form that starts with it: a word
    # missing here starts nothing, so the scan skips it with one dict lookup.
    starts: dict[str, int]
    # [relations]: nouns naming the relation itself ("relations between A and B") and the verbs that
    # say it worsened ("were strained", "soured"): then the pair's event is 16, not 05.
    relation_nouns: frozenset[str] = frozenset()
    worsen: dict[tuple[str, ...], str] = field(default_factory=dict)
    # [operators] threat_markers: phrases that make a clause's event a threat wherever they stand
    # in it, as "unless" does ("… by force if necessary", "resolve the row or face sanctions").
    threat_markers: frozenset[tuple[str, ...]] = frozenset()
    # [statements]: denials of charges and warnings "that" something will happen are CAMEO 01
    # statements (016, 012), not 12 Reject or 13 Threaten.
    deny: frozenset[tuple[str, ...]] = frozenset()
    charges: frozenset[str] = frozenset()
    warn: frozenset[tuple[str, ...]] = frozenset()
    conditions: frozenset[str] = frozenset()
    own_threat: frozenset[tuple[str, ...]] = frozenset()  # "warned that it would ...": a threat
    # [asides] backers: ", backed by X," after a country is an aside about it (see _clauses).
    backers: frozenset[str] = frozenset()


def _phrase_forms(entry: str) -> set[tuple[str, ...]]:
    """All word tuples one rules entry matches ("call off" -> calls off, called off, ...)."""
    result: set[tuple[str, ...]] = set()
    for alternative in entry.lower().split("|"):
        words = alternative.split()
        if not words:
            continue
        if words[0].startswith("="):
            result.add(tuple(w.lstrip("=") for w in words))
            continue
        for form in inflections(words[0]):
            result.add((form, *words[1:]))
        # Irregular forms listed with "|" keep the rest of the first alternative's words.
    first = entry.lower().split("|")[0].split()
    for alternative in entry.lower().split("|")[1:]:
        if len(alternative.split()) == 1 and len(first) > 1:
            result.add((alternative, *first[1:]))
    return result


def _table(entries: Iterable[str], value: str, into: dict[tuple[str, ...], str]) -> None:
    for entry in entries:
        for form in _phrase_forms(entry):
            into.setdefault(form, value)


def _strings(data: dict[str, Any], section: str, key: str) -> list[str]:
    """`[section] key` of the rules file: a list of strings (empty when absent), else ValueError."""
    listed = data.get(section, {}).get(key, [])
    if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
        raise ValueError(f"[{section}] {key} must be a list of strings")
    return listed


def parse_rules(data: dict[str, Any], verbs: VerbDictionary) -> Rules:
    """Compile parsed event_rules.toml; raises ValueError naming the bad entry."""
    reporting: dict[tuple[str, ...], str] = {}
    intent: dict[tuple[str, ...], str] = {}
    operators: dict[tuple[str, ...], str] = {}
    negators: dict[tuple[str, ...], str] = {}
    verb_codes: dict[tuple[str, ...], str] = {}
    _table(data.get("reporting", {}).get("verbs", []), "reporting", reporting)
    _table(data.get("intent", {}).get("verbs", []), "intent", intent)
    ops = data.get("operators", {})
    for kind in ("reject", "reverse", "amplify", "demand", "threaten", "accuse"):
        _table(_strings(data, "operators", kind), kind, operators)
    _table(ops.get("negators", []), "not", negators)
    markers: dict[tuple[str, ...], str] = {}
    _table(_strings(data, "operators", "threat_markers"), "threat", markers)
    deny: dict[tuple[str, ...], str] = {}
    warn: dict[tuple[str, ...], str] = {}
    own_threat: dict[tuple[str, ...], str] = {}
    _table(_strings(data, "statements", "deny"), "deny", deny)
    _table(_strings(data, "statements", "warn"), "warn", warn)
    _table(_strings(data, "statements", "own_threat"), "own_threat", own_threat)
    charges = frozenset(w.lower() for w in _strings(data, "statements", "charges"))
    conditions = frozenset(w.lower() for w in _strings(data, "statements", "conditions"))
    relation_nouns = frozenset(n.lower() for n in _strings(data, "relations", "nouns"))
    backers = frozenset(w.lower() for w in _strings(data, "asides", "backers"))
    for entry, code in data.get("verbs", {}).items():
        if not (isinstance(code, str) and (code == "---" or (code.isdigit() and 1 <= int(code[:2]) <= 20))):
            raise ValueError(f'[verbs] {entry} = {code!r}: a CAMEO code like "163" or "---" expected')
        _table([entry], code, verb_codes)
    worsen: dict[tuple[str, ...], str] = {}
    _table(_strings(data, "relations", "worsen"), "worsen", worsen)
    nouns: dict[str, str] = {}
    for noun, code in data.get("nouns", {}).items():
        if not (isinstance(code, str) and code.isdigit() and 1 <= int(code[:2]) <= 20):
            raise ValueError(f'[nouns] {noun} = {code!r}: a CAMEO code like "190" expected')
        nouns[noun.lower()] = code
    polarity = {noun: stance_of(code[:2]) for noun, code in nouns.items()}
    for stance in ("conflict", "cooperation"):
        for noun in data.get("objects", {}).get(stance, []):
            polarity.setdefault(noun.lower(), stance)
    longest = max(len(k) for table in (reporting, intent, operators, verb_codes, negators) for k in table)
    starts: dict[str, int] = {}
    for table in (reporting, intent, operators, verb_codes, negators):
        for phrase in table:
            starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
    for form in verbs.forms:
        parts = form.split()
        starts[parts[0]] = max(starts.get(parts[0], 0), len(parts))
    for noun in nouns:
        starts.setdefault(noun, 1)
    return Rules(
        relation_nouns=relation_nouns,
        worsen=worsen,
        threat_markers=frozenset(markers),
        deny=frozenset(deny),
        charges=charges,
        warn=frozenset(warn),
        conditions=conditions,
        own_threat=frozenset(own_threat),
        backers=backers,
        reporting=reporting,
        intent=intent,
        operators=operators,
        negators=negators,
        verb_codes=verb_codes,
        nouns=nouns,
        object_polarity=polarity,
        object_window=int(ops.get("object_window", 8)),
        negation_window=int(ops.get("negation_window", 3)),
        longest=max(longest, verbs.longest),
        verbs=verbs,
        starts=starts,
    )


@lru_cache(maxsize=2)
def load_rules(path: Path | None = None) -> Rules:
    """Event rules and the verb dictionary, read once per process (only when a sentence needs them)."""
    source = path or data_dir() / RULES_FILE
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return parse_rules(data, load_verb_dictionary())
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from error


@lru_cache(maxsize=64)
def sentence_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of a sentence the coder reads, kept for the stance model, which reads it next."""
    return tuple(tokenize(text))


def tokenize(text: str) -> list[Token]:
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): go word by word
        return [
            Token(m.group(), m.group().lower().replace("’", "'"), m.start(), m.end())
            for m in _TOKEN.finditer(text)
        ]
    return [
        Token(text[m.start() : m.end()], lowered[m.start() : m.end()], m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


def _contracted_negator(word: str) -> bool:
    """An auxiliary with its "not" in one token ("didn't", "won't"; the tokenizer keeps them whole)."""
    return len(word) > 3 and word.endswith("n't")


def _match(
    table: dict[tuple[str, ...], str], words: Sequence[str], at: int, longest: int
) -> tuple[int, str] | None:
    """Longest phrase of `table` starting at `words[at]`: (its length, its value)."""
    for length in range(min(longest, len(words) - at), 0, -1):
        value = table.get(tuple(words[at : at + length]))
        if value is not None:
            return length, value
    return None


@dataclass
class Clause:
    """A clause: its token indices in order, its kind, and the country unit it is about (relative)."""

    tokens: list[int]
    kind: str  # main | relative | subordinate | aside | attribution
    antecedent: CountryUnit | None = None
    opener: str = ""
    threat: bool = False  # an "unless ..." clause hangs on this one: its event is a threat


# A trailing attribution (", Pakistani officials said.", ", said Kurt Karl, economist at ...",
# ", according to Iranian media."): its speaker reports the sentence's event and takes no part in it.
_ATTRIBUTION_VERBS = frozenset("said says told added reported".split())
_ATTRIBUTION_TIME = frozenset(
    "on monday tuesday wednesday thursday friday saturday sunday today yesterday tonight last this "
    "week month earlier later in a statement".split()
)
_ATTRIBUTION_LIMIT = 16  # words after the comma


def _inverted_speaker(tokens: Sequence[Token], at: int, end: int) -> bool:
    """Is tokens[at:end] the speaker of an inverted attribution ("a spokesman for ...", "Treasury
    Secretary James Baker"), not a reported clause ("Baghdad rejects US bases")? A determiner opens
    it, or it is a capitalised name up to the next comma."""
    if at >= end:
        return False
    if tokens[at].lower in {"a", "an", "the"}:
        return True
    stop = next((j for j in range(at, end) if tokens[j].text == ","), end)
    return all(t.text[:1].isupper() or t.lower in {"of", "."} for t in tokens[at:stop])


def _attribution_start(words: Sequence[str], tokens: Sequence[Token] = ()) -> int:
    """Index of the comma opening a sentence-final attribution, or -1.

    After one of the last commas (at most _ATTRIBUTION_LIMIT words from the end, no quote mark or
    relative word in between) comes "according to ...", "said <speaker>", or "<speaker> said"
    closing the sentence (a time phrase may follow: "on Monday", "in a statement")."""
    end = len(words)
    while end and words[end - 1] in {".", '"', "”", "'"}:
        end -= 1
    last = end
    while last and words[last - 1] in _ATTRIBUTION_TIME:
        last -= 1
    for k in range(end - 1, max(-1, end - _ATTRIBUTION_LIMIT - 2), -1):
        if words[k] in {";", ":", '"', "“", "”"} or words[k] in _RELATIVE or words[k] == "that":
            return -1
        if words[k] == ",":
            tail = words[k + 1 : end]
            if tail and tail[0] in _ATTRIBUTION_VERBS:
                return k if tokens and _inverted_speaker(tokens, k + 2, end) else -1
            if "," in tail:
                return -1
            if tail[:2] == ["according", "to"]:
                return k
            if (
                last > k + 1
                and words[last - 1] in _ATTRIBUTION_VERBS
                and not any(w in _ATTRIBUTION_VERBS or w in _BE for w in words[k + 1 : last - 1])
            ):
                return k
            # ", said Kurt Karl, economist at Swiss Re": an apposition after the speaker; look further back.
    return -1


def _inline_brackets(words: Sequence[str]) -> set[int]:
    """Positions of brackets that hold a hyphenated modifier of the word after them, not an aside:
    "said that (the US-led) coalition would reduce its troops" reads as "the US-led coalition", in
    one clause. Up to seven tokens inside ("(the U.S.-led)" is ( the u . s . - led )), ending in
    "-" and a word, a word right after the bracket, and a determiner inside or right before it
    ("(the US-led)", "the (US-led)"), which says the bracket begins a noun phrase. Anything else
    in brackets stays an aside: "Iran (backed by Russia) attacked Iraq" and "Iran (Russia-backed)
    attacked Iraq" do not make Russia an attacker."""
    inline: set[int] = set()
    for i, word in enumerate(words):
        if word != "(":
            continue
        close = next((j for j in range(i + 1, min(len(words), i + 9)) if words[j] in "()"), -1)
        if (
            close > i + 2
            and (words[i + 1] in _DETERMINERS or (i > 0 and words[i - 1] in _DETERMINERS))
            and words[close] == ")"
            and words[close - 2] == "-"
            and words[close - 1].isalpha()
            and close + 1 < len(words)
            and words[close + 1].isalpha()
        ):
            inline.update((i, close))
    return inline


def _backed_country(
    words: Sequence[str], at: int, units: Sequence[CountryUnit], backers: frozenset[str]
) -> CountryUnit | None:
    """The country a backing aside opened at `at` ("," or "(") is about, or None when it opens none.

    ", backed by Russia," right after a country's noun phrase (the country's last token at most
    three words before: "a Saudi-led coalition, backed by ...") is an aside about that country."""
    if at + 2 >= len(words) or words[at + 1] not in backers or words[at + 2] != "by":
        return None
    for unit in reversed(units):  # the nearest: "Peru attacked Chile, backed by ..." is about Chile
        if unit.last < at:
            gap = words[unit.last + 1 : at]
            return unit if len(gap) <= 3 and all(w == "-" or w.isalpha() for w in gap) else None
    return None


def _clauses(
    tokens: Sequence[Token],
    units: Sequence[CountryUnit],
    attribution_ok: bool = True,
    backers: frozenset[str] = frozenset(),
) -> list[Clause]:
    """Cut a sentence into clauses. Main-clause tokens around a background clause stay one clause.

    A sentence-final attribution (", X said.") is a clause of its own, kind "attribution". A backing
    aside (", backed by X,", "(supported by X)": `backers`, [asides] in the rules file) is an
    "aside" clause whose antecedent is the country it is about, like a relative clause's."""
    words = [t.lower for t in tokens]
    attribution = _attribution_start(words, tokens) if attribution_ok else -1
    if attribution > 0:
        tail = Clause(list(range(attribution + 1, len(words))), "attribution")
        return [*_clauses(tokens[:attribution], units, False, backers), tail]
    in_unit = {i for u in units for i in range(u.first, u.last + 1)}
    clauses: list[Clause] = []
    main = Clause([], "main")
    current: Clause | None = None  # the open background clause
    depth = 0
    inline = _inline_brackets(words)
    for i, word in enumerate(words):
        if i in inline:
            continue
        if word in "([":
            depth += 1
            backed = _backed_country(words, i, units, backers) if depth == 1 else None
            current = Clause([], "aside", backed, words[i + 1] if backed else "")
            clauses.append(current)
            continue
        if word in ")]":
            depth = max(0, depth - 1)
            current = None
            continue
        if depth:
            if current is None:
                # After a nested bracket closes ("(a (b) c)"), the rest of the outer one is an aside too.
                current = Clause([], "aside")
                clauses.append(current)
            current.tokens.append(i)
            continue
        if i in in_unit:
            (current or main).tokens.append(i)
            continue
        previous = words[i - 1] if i else ""
        if word in _RELATIVE and i > 0:
            antecedent = next((u for u in units if u.last in (i - 1, i - 2) and u.last < i), None)
            current = Clause([], "relative", antecedent, word)
            clauses.append(current)
            continue
        if word in _SUBORDINATORS and (i == 0 or previous in _CLAUSE_PUNCT or previous in {'"', "“", "and"}):
            if word == "while" and previous == ",":
                # ", while Russia called for ..." is a contrast between two main clauses.
                clauses.append(main)
                main = Clause([], "main")
                current = None
                continue
            current = Clause([], "subordinate", None, word)
            clauses.append(current)
            continue
        if word in {"unless", "if", "when", "because"} or (
            word in {"after", "before", "since", "until"} and _opens_clause(words, i)
        ):
            main.threat |= word == "unless"
            current = Clause([], "subordinate", None, word)
            clauses.append(current)
            continue
        if word == ";" or (word in _MAIN_BREAKS and previous in {",", ";"}):
            clauses.append(main)
            main = Clause([], "main")
            current = None
            continue
        if word in {",", "—", "–"} and current is not None:
            if current.kind == "aside" and current.antecedent is not None and _list_goes_on(words, i, units):
                continue  # ", backed by Russia, China and Iran,": the list is the aside's
            # A sentence-initial background clause ends at its comma; so does a relative one.
            current = None
            continue
        if word == "," and current is None:
            backed = _backed_country(words, i, units, backers)
            if backed is not None:
                current = Clause([], "aside", backed, words[i + 1])
                clauses.append(current)
                continue
        (current or main).tokens.append(i)
    clauses.append(main)
    return [c for c in clauses if c.tokens]


_CLAUSE_NAMES = {"relative": "a relative clause", "aside": "an aside"}


def _only_in_clause_about(
    mine: Sequence[CountryUnit], clauses: Sequence[Clause], clause_of: dict[int, int]
) -> Clause | None:
    """The relative clause ("which", "who": not "where") or backing aside about another country
    (its antecedent) that holds every one of these mentions, or None."""
    owners = {clause_of.get(u.first) for u in mine}
    if len(owners) != 1:
        return None
    n = owners.pop()
    if n is None or not (
        clauses[n].kind == "aside" or (clauses[n].kind == "relative" and clauses[n].opener != "where")
    ):
        return None  # "Kazakhstan, where she denied ...": a place's clause may be the main actor's
    return clauses[n] if clauses[n].antecedent is not None else None


def _list_goes_on(words: Sequence[str], at: int, units: Sequence[CountryUnit]) -> bool:
    """Does the comma at `at` continue a list of countries (", China and Iran")?"""
    after = at + 2 if at + 1 < len(words) and words[at + 1] in {"and", "or"} else at + 1
    return any(u.first == after or (u.first == after + 1 and words[after] == "the") for u in units)


def _opens_clause(words: Sequence[str], at: int) -> bool:
    """Is "after"/"before"/... at `at` a conjunction ("after Turkey began ...") rather than a
    preposition ("long after the end of World War II")? A conjunction reaches a finite verb within
    six words without passing "of" or punctuation."""
    for word in words[at + 1 : at + 8]:
        if word == "of" or word in _CLAUSE_PUNCT:
            return False
        if (
            word in _BE
            or word in {"has", "had", "have", "began", "started", "ended", "did", "was"}
            or word.endswith("ed")
        ):
            return True
    return False


def _verb_code(
    rules: Rules, words: Sequence[str], at: int, length: int, clause_end: int
) -> tuple[str, str] | None:
    """The code of the verb at words[at:at+length]: (code, rule) or None for no event."""
    phrase = tuple(words[at : at + length])
    override = rules.verb_codes.get(phrase)
    entries = rules.verbs.forms.get(" ".join(phrase), [])
    best = _best_pattern(rules, words, at, length, clause_end)
    if best is not None and best[0] >= 1 and (override is None or best[0] >= 2):
        return (best[1], best[2]) if best[1] else None
    if override is not None:
        return None if override == "---" else (override, f"event_rules [verbs] {' '.join(phrase)}")
    for entry in entries:
        code = entry.code or entry.block.code
        if code:
            return code, f"PETRARCH {entry.block.name.upper()} [{code}]"
    return None


def _best_pattern(
    rules: Rules, words: Sequence[str], at: int, length: int, clause_end: int
) -> tuple[int, str, str] | None:
    """The PETRARCH pattern of the verb at words[at:at+length] that matches the most words:
    (its number of words, its code, the rule), or None when none matches."""
    entries = rules.verbs.forms.get(" ".join(words[at : at + length]), [])
    best: tuple[int, str, str] | None = None
    window = words[at + length : min(clause_end, at + length + 8)]
    phrase_after = window
    for k, word in enumerate(window):
        if word in _PATTERN_STOPS:
            # "reiterated that Japan had no plans to ...": a pattern's noun stays in the verb's own
            # phrase; a complement clause or a comma starts another event (QUOTE + PLANS is no 03).
            phrase_after = window[:k]
            break
    before = words[max(0, at - 4) : at]
    for entry in entries:
        for before_sets, after_sets, pattern in entry.block.candidates(rules.verbs.synsets, window):
            if pattern.verb and pattern.verb != entry.lemma:
                continue  # written for another verb of the block ("- * TO [030] # HEAD", not DIRECT)
            # A pattern that spells a stop word ("- * DEMAND THAT +") reads past it.
            after = window if _PATTERN_STOPS.intersection(pattern.after) else phrase_after
            if _in_order(after_sets, after) and _in_order(before_sets, before):
                score = len(pattern.after) + len(pattern.before)
                if best is None or score > best[0]:
                    best = (score, pattern.code, f"PETRARCH {entry.block.name.upper()}: - {pattern.text}")
    return best


def _in_order(needed: Sequence[frozenset[str]], words: Sequence[str]) -> bool:
    """Do words matching each set occur in `words` in this order (other words may sit between)?"""
    position = 0
    for want in needed:
        while position < len(words) and words[position] not in want:
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


@dataclass
class _Found:
    """An event-bearing word in a clause (position in the clause's token list)."""

    at: int  # index into clause.tokens
    length: int
    kind: str  # verb | noun | reporting | intent | operator | negator
    value: str  # code, or operator kind
    rule: str


def _scan(
    rules: Rules,
    words: Sequence[str],
    clause: Clause,
    units: Sequence[CountryUnit],
    tokens: Sequence[Token],
    title_case: bool,
    tags: Sequence[str] = (),
    headline: bool = False,
) -> list[_Found]:
    """Event-bearing words of one clause, in order, longest match first.

    With part-of-speech `tags` (one per token), a word the tagger reads as a noun, name, adjective
    or number is never a predicate ("the new rules", "its demands"); without them a determiner or
    possessive before the word decides, as before."""
    in_unit = {i for u in units for i in range(u.first, u.last + 1)}
    idx = clause.tokens
    clause_words = [words[i] for i in idx]
    # In sentence case a capitalised word inside the sentence is a name ("Islamic State", "White
    # House"), not a predicate; a Title Case headline says nothing, so there all words count.
    found: list[_Found] = []
    k = 0
    while k < len(idx):
        if clause_words[k] == "too" and "to" in clause_words[k + 2 : k + 5]:
            # "too far apart to allow a deal", "too weak to attack": the verb after "to" does not happen.
            found.append(_Found(k, 1, "negator", "not", "negator too ... to"))
            k += 1
            continue
        if _contracted_negator(clause_words[k]):
            # "didn't", "won't", "can't" are one token: the auxiliary and its "not".
            found.append(_Found(k, 1, "negator", "not", f"negator {clause_words[k]}"))
            k += 1
            continue
        reach = rules.starts.get(clause_words[k], 0)
        if (
            not reach
            or idx[k] in in_unit
            or (
                not title_case
                and idx[k] > 0
                and tokens[idx[k]].text[:1].isupper()
                and not _wire_capital(tokens, idx[k])
            )
        ):
            k += 1
            continue
        following = clause_words[k + 1] if k + 1 < len(idx) else ""
        if (
            following == "by"
            and clause_words[k].endswith("ed")
            and (k == 0 or clause_words[k - 1] not in _BE | {"have", "has", "had"})
            and not (k == 0 and clause.kind == "aside" and clause.antecedent is not None)
        ):
            # "a system backed by the Red Cross": a participle describing a noun, not the predicate
            # (but the predicate of a backing aside about a country: "Iran, backed by Russia, ...").
            k += 1
            continue
        previous = clause_words[k - 1] if k else ""
        # "US-led", "Armenian-backed": a verb after a hyphen is an adjective, not the predicate.
        hyphenated = previous in {"-", "–"}
        if tags:
            nominal = tags[idx[k]] in _NOMINAL_TAGS
            if (
                nominal
                and headline
                and tags[idx[k]] == "NOUN"
                and _headline_verb(clause_words[k])
                and clause_words[k] not in rules.nouns
                and not any(f.kind in {"verb", "operator", "reporting"} for f in found)
            ):
                # Headlinese drops articles and auxiliaries, and the tagger reads "Bush visits
                # Canada" as noun + noun: an -s form before any verb is the headline's verb.
                nominal = False
        else:
            nominal = previous in _NOUN_MARKERS or previous.endswith("'s")
            if (
                nominal
                and headline
                and previous not in _DETERMINERS
                and not previous.endswith("'s")
                and _headline_verb(clause_words[k])
                and clause_words[k] not in rules.nouns
                and not any(f.kind in {"verb", "operator", "reporting"} for f in found)
            ):
                # The same headline verb without tags (Title Case): "US Military Kills ..." has an
                # adjective-like word ("military", "new") before its -s verb, not a determiner.
                nominal = False
        if (
            tags
            and not nominal
            and tags[idx[k]] == "VERB"
            and clause_words[k].endswith(("ing", "ed"))
            and k + 1 < len(idx)
            and (
                (
                    (
                        (previous in _DETERMINERS and previous != "that")
                        or (previous.endswith("'s") and previous not in _PRONOUN_IS)
                        or previous == "s"
                    )
                    and tags[idx[k + 1]] in {"NOUN", "PROPN", "ADJ"}
                )
                or (previous in _OPEN_QUOTES and tags[idx[k + 1]] == "NOUN")
            )
        ):
            # "Britain's ruling Conservative Party", "expressed 'restricted optimism'", "its proposed
            # offer": a participle between a determiner (or possessive, or opening quote) and a noun
            # modifies that noun; it is not the clause's predicate. Not after "that" (a relative
            # pronoun: "troops that attacked Syrian positions") or "it's" ("it's sending troops").
            nominal = True
        # The longest phrase of any table wins ("expect from" the demand over "expect" the report).
        best_hit: tuple[int, str, str] | None = None
        for table, kind in (
            (rules.negators, "negator"),
            (rules.reporting, "reporting"),
            (rules.operators, "operator"),
            (rules.intent, "intent"),
        ):
            hit = _match(table, clause_words, k, reach)
            if hit is None or hyphenated:
                continue
            # A noun ("the call", "a report", "its demands") is not a verb, unless it is an
            # operator noun with its object's preposition ("its refusal to sign", "calls for talks").
            if (
                kind != "negator"
                and nominal
                and not (
                    kind == "operator" and hit[0] >= 2 and clause_words[k + hit[0] - 1] in _OPERATOR_LINKS
                )
            ):
                continue
            if best_hit is None or hit[0] > best_hit[0]:
                best_hit = (hit[0], hit[1], kind)
        if best_hit is not None and best_hit[2] == "operator" and clause_words[k + best_hit[0] - 1] == "on":
            # "pressure on Japan" is a demand on a country, "pressure on the dollar" on a market: the
            # word after "on" (a determiner aside) must begin a country or actor.
            after = k + best_hit[0]
            while after < len(idx) and clause_words[after] in _DETERMINERS:
                after += 1
            if after >= len(idx) or idx[after] not in in_unit:
                best_hit = None
        if best_hit is not None and clause_words[k] == "may" and _month_may(tokens, idx[k]):
            best_hit = None  # "LIMA, May 2", "in May": the month, not the modal
        if best_hit is None and not nominal and clause_words[k] in _CHARGE_FORMS:
            # "charged nine firms with helping ...": an accusation, its object between verb and "with".
            # Not "charges Chile a fee with every shipment": the charge is a deed or crime, no determiner.
            gap = clause_words[k + 2 : k + 9]
            with_at = gap.index("with") if "with" in gap else -1
            if (
                0 <= with_at < len(gap) - 1
                and not any(w in _CLAUSE_MARKS for w in gap[:with_at])
                and gap[with_at + 1] not in _DETERMINERS
                and not gap[with_at + 1][:1].isdigit()
            ):
                best_hit = (1, "accuse", "operator")
        if (
            best_hit is not None
            and best_hit[2] == "operator"
            and best_hit[0] == 1
            and clause_words[k] in _ORDER_FORMS
            and not nominal
            and (pattern := _best_pattern(rules, clause_words, k, 1, len(idx))) is not None
            and pattern[0] >= 2
        ):
            # "ordered its diplomats to leave": the order verb's own PETRARCH pattern of two words or
            # more (ORDER + DIPLOMAT (TO LEAVE), an expulsion) says more than passing the order on.
            best_hit = None
        if best_hit is not None and best_hit[2] in {"intent", "reporting"} and not nominal:
            # A longer verb phrase beats an intent or reporting verb ("moved into" is an incursion,
            # "moved to" an intent; "recalled its ambassador" reduces relations, "recalled that" reports).
            for length in range(min(reach, len(idx) - k), best_hit[0], -1):
                if tuple(clause_words[k : k + length]) in rules.verb_codes:
                    best_hit = None
                    break
        if best_hit is not None:
            length, value, kind = best_hit
            found.append(_Found(k, length, kind, value, f"{kind} {' '.join(clause_words[k : k + length])}"))
            k += length
            continue
        verb_length = 0
        for length in range(min(reach, len(idx) - k), 0, -1):
            phrase = tuple(clause_words[k : k + length])
            if phrase in rules.verb_codes or " ".join(phrase) in rules.verbs.forms:
                verb_length = length
                break
        word = clause_words[k]
        nounish = nominal or (not tags and previous in {"'", "s"})
        # "down from a peak", "came back": a particle, adverb or preposition is no verb either.
        nounish = nounish or (bool(tags) and tags[idx[k]] in _FUNCTION_TAGS)
        if _contracted_negator(previous) or (
            previous in _VERB_NEGATORS and any(w in _AUXILIARIES for w in clause_words[max(0, k - 5) : k - 1])
        ):
            # "would not abide by", "would in any case not abide by": after an auxiliary and "not"
            # comes a verb, whatever the tagger says.
            nounish = False
        if verb_length and k + verb_length < len(idx) and clause_words[k + verb_length] in _FIGURE_HEADS:
            nounish = True  # "Peru's trade surplus", "export volumes": a figure's modifier, no verb
        if (
            verb_length == 1
            and k + 1 < len(idx)
            and clause_words[k + 1] in rules.nouns
            and (word.endswith("ing") or word in rules.nouns)
            and (
                previous in _DETERMINERS
                or previous in _COMPOUND_BEFORE
                or previous.endswith("'s")
                or (k > 0 and (idx[k - 1] in in_unit or tokens[idx[k - 1]].text[:1].isupper()))
            )
        ):
            # "on trade tensions", "the Gulf shipping war", "U.S. trade sanctions": a verb-like word
            # before an event noun, after a determiner, preposition or name, modifies that noun;
            # the compound's head is the event (as for two nouns below).
            nounish = True
        if verb_length and not hyphenated and not nounish:
            code = _verb_code(rules, clause_words, k, verb_length, len(idx))
            if code is not None:
                found.append(_Found(k, verb_length, "verb", code[0], code[1]))
                k += verb_length
                continue
        if (
            word in rules.nouns
            and (not tags or tags[idx[k]] not in _VERBAL_TAGS)
            and not (word == "row" and clause_words[max(0, k - 2) : k] == ["in", "a"])
            and not (k + 1 < len(idx) and clause_words[k + 1] in rules.nouns)
            and not (k + 1 < len(idx) and clause_words[k + 1] in _FIGURE_HEADS)
        ):
            # An event noun right before another modifies it: the compound's head is the event
            # ("trade sanctions" are sanctions, "a trade war" a war, "peace talks" talks); before
            # a figure it names a figure, no event ("Japan's trade surplus with the U.S.").
            # "row" is a quarrel ("the trade row with Japan"), not "the third year in a row".
            found.append(_Found(k, 1, "noun", rules.nouns[word], f"event_rules [nouns] {word}"))
        k += 1
    return found


def _wire_capital(tokens: Sequence[Token], at: int) -> bool:
    """Is the capital of token `at` the wire copy's habit of capitalising the word after an
    abbreviation ("U.S. Pressure on Japan", "U.K. Suggestion that ...")? Reuters writes the word
    after "U.S." as if a sentence began there; it is an ordinary word when the next word is in
    lower case (a name continues in capitals: "U.S. Trade Representative Clayton Yeutter")."""
    return (
        at >= 2
        and tokens[at - 1].text == "."
        and len(tokens[at - 2].text) == 1
        and tokens[at - 2].text.isupper()
        and at + 1 < len(tokens)
        and tokens[at + 1].text[:1].islower()
    )


# Prepositions after which a verb-like word before an event noun modifies it ("on trade tensions").
_COMPOUND_BEFORE = frozenset("on of in over for with about against into from by at".split())


# Heads of a figure: "trade surplus", "trade deficit", "export figures" are amounts, not events
# (relations_dev.md: a trade figure without an action is neutral).
_FIGURE_HEADS = frozenset(
    """surplus surpluses deficit deficits imbalance imbalances balance gap figures data statistics
    volume volumes""".split()
)

_MONTH_BEFORE = frozenset(
    ", in since until by from early late mid of last next this during before after through".split()
)


def _month_may(tokens: Sequence[Token], at: int) -> bool:
    """Is "May" at token `at` the month? Capitalised, and a day number follows or a date word
    (a dateline comma, "in", "since", "early" ...) comes before."""
    if tokens[at].text != "May":
        return False
    following = tokens[at + 1].text if at + 1 < len(tokens) else ""
    previous = tokens[at - 1].lower if at else ""
    return following[:1].isdigit() or previous in _MONTH_BEFORE


def _headline_verb(word: str) -> bool:
    """Could this word be a headline's present-tense verb ("visits", "denounces")?"""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _is_headline(tokens: Sequence[Token]) -> bool:
    """A short sentence with no closing punctuation: a headline ("US president Bush visits Canada")."""
    return 2 < len(tokens) <= 16 and tokens[-1].text not in {".", "!", "?", '"', "”", "'", ")", "…"}


def _title_case(tokens: Sequence[Token]) -> bool:
    """Is the sentence a Title Case headline (most words capitalised)?"""
    capitals = letters = 0
    for t in tokens:
        if t.text[:1].isalpha():
            letters += 1
            capitals += t.text[0].isupper()
    return capitals > 0.6 * max(letters, 1)


def _object_polarity(
    rules: Rules, found: Sequence[_Found], clause_words: Sequence[str], start: int
) -> tuple[str, str, int] | None:
    """(stance, the word, its clause position) of the operator's object: the next event word or noun.

    A noun compound's head is its last noun: "lifted a trade ban" lifts a ban, "ended the trade war"
    a war, so an object noun directly followed by another event noun or object word gives way to it.
    """
    end = min(len(clause_words), start + rules.object_window)
    nouns = {f.at: f for f in found if f.kind == "noun"}
    verbs = {f.at for f in found if f.kind == "verb"}
    target: tuple[str, str, int] | None = None
    length = 1
    for f in found:
        if start <= f.at < end and f.kind in {"verb", "noun"}:
            target, length = (
                (stance_of(f.value[:2]), " ".join(clause_words[f.at : f.at + f.length]), f.at),
                f.length,
            )
            break
    if target is not None and target[2] in verbs:
        return target  # "stopped selling arms": a verb heads its own phrase
    # An object word before that event noun is the nearer object ("drop its curbs on fruit imports").
    for k in range(start, target[2] if target is not None else start):
        polarity = rules.object_polarity.get(clause_words[k])
        if polarity:
            target, length = (polarity, clause_words[k], k), 1
            break
    if target is None:
        for k in range(start, end):
            polarity = rules.object_polarity.get(clause_words[k])
            if polarity:
                target = polarity, clause_words[k], k
                break
    while target is not None:
        nxt = target[2] + length
        if nxt in nouns:
            f = nouns[nxt]
            target, length = (
                (stance_of(f.value[:2]), " ".join(clause_words[nxt : nxt + f.length]), nxt),
                f.length,
            )
        elif nxt < len(clause_words) and nxt not in verbs and clause_words[nxt] in rules.object_polarity:
            target, length = (rules.object_polarity[clause_words[nxt]], clause_words[nxt], nxt), 1
        else:
            break
    return target


_OPERATOR_CODES = {"reject": "12", "demand": "10", "threaten": "13", "accuse": "11"}
_CHARGE_REACH = 3  # "denied (the) (Chilean) charges"
_QUANTIFIERS = frozenset({"all", "of", "any", "both", "such"})
_THREAT_MODALS = frozenset({"would", "will", "could", "is", "are", "was", "were"})  # "... is ready to"
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _statement(
    rules: Rules,
    kind: str,
    words: Sequence[str],
    clause: Clause,
    clause_words: Sequence[str],
    at: int,
    length: int,
    names: frozenset[int],
) -> tuple[str, str, str] | None:
    """(CAMEO code, object word, name) when a reject or threaten operator at clause position `at`
    is a statement ([statements] in event_rules.toml), else None:
    - "denied (the) allegations" 016 Deny responsibility: a charge word among the first
      `_CHARGE_REACH` words after the verb; a country or actor before it only as the charge's
      owner ("denied Chilean charges", not "denied Chile a role": that denies Chile something);
    - "warned that ..." 012 Make pessimistic comment: "that" within three words, no country or
      actor named before it ("warned Iran that ..."), no condition anywhere in the sentence
      ("if", "unless"), and not the speaker's own act after it ("warned that it would retaliate",
      "warned that its army would attack"; not "its economy would suffer", a comment)."""
    phrase = tuple(clause_words[at : at + length])
    begin = at + length
    if kind == "reject" and phrase in rules.deny:
        k = begin
        reach = _CHARGE_REACH
        while k < min(len(clause_words), begin + reach):
            if clause_words[k] in _QUANTIFIERS:
                reach += 1  # "denied all of the charges": "all of" does not count against the reach
            if clause.tokens[k] in names:
                # "denied Chilean charges" (whose charges), not "denied Chile a role" (to whom).
                while k < len(clause_words) and (clause.tokens[k] in names or clause_words[k] in _POSSESSIVE):
                    k += 1
                if k < len(clause_words) and clause_words[k] in rules.charges:
                    return "016", clause_words[k], "Deny responsibility"
                return None
            if clause_words[k] in rules.charges:
                return "016", clause_words[k], "Deny responsibility"
            k += 1
        return None
    if kind == "threaten" and phrase in rules.warn and "that" in clause_words[begin : begin + 3]:
        that = clause_words.index("that", begin)
        if any(clause.tokens[k] in names for k in range(begin, that)):
            return None  # "warned Iran that ...": the party warned is named
        if any(w in rules.conditions for w in words):
            return None  # "warned that relations would suffer if ...": a threat
        if any(tuple(clause_words[that + 1 : that + 1 + len(p)]) == p for p in rules.own_threat):
            return None  # "warned that it would attack": the speaker's own act, a threat
        if (
            clause_words[that + 1 : that + 2] in (["its"], ["their"], ["our"])
            and any(w in _FORCE_AGENTS for w in clause_words[that + 2 : that + 4])
            and any(w in _THREAT_MODALS for w in clause_words[that + 3 : that + 5])
        ):
            return None  # "warned that its army would attack": the speaker's own forces, a threat
        return "012", "", "Make pessimistic comment"
    return None


def _predicate(
    rules: Rules,
    words: Sequence[str],
    clause: Clause,
    all_found: Sequence[_Found],
    start_at: int = 0,
    stop_at: int | None = None,
    names: frozenset[int] = frozenset(),
) -> Event | None:
    """The first event of the clause from clause position `start_at` on (and before `stop_at`):
    after reporting and intent verbs, with operators applied. `names`: token indices of country
    names, which a negator reaches across ("nor the United States would endorse")."""
    found = [f for f in all_found if f.at >= start_at and (stop_at is None or f.at < stop_at)]
    if not found:
        return None
    clause_words = [words[i] for i in clause.tokens]
    if start_at and names:
        # A negator right before the subject's name negates its predicate ("nor the United States
        # would endorse"): only the name and its determiner stand between them.
        found = [
            f
            for f in all_found
            if f.kind == "negator"
            and f.at < start_at
            and _negation_gap(clause, clause_words, f.at + f.length, start_at, names) == 0
        ][-1:] + found
    cues: list[str] = []  # reporting and intent words passed on the way: shown in the rule, not as cues
    reported_by = -1
    negated = ""
    threat = "unless" if clause.threat or "unless" in clause_words else _threat_marker(rules, clause_words)
    intent_code: tuple[str, str, int] | None = None
    weak: _Found | None = None
    for n, f in enumerate(found):
        surface = " ".join(clause_words[f.at : f.at + f.length])
        if f.kind == "negator":
            negated = surface
            negation_end = f.at + f.length
            continue
        if negated and _negation_gap(clause, clause_words, negation_end, f.at, names) > rules.negation_window:
            negated = ""
        if f.kind == "reporting":
            if any(g.kind in {"verb", "operator", "intent", "noun"} for g in found[n + 1 :]):
                cues.append(surface)
                reported_by = clause.tokens[f.at]
                negated = ""
                continue
            # "X said ..." and nothing else: a statement, no event between countries; but an intent
            # met before it still counts ("A and B agreed on a new price, officials said").
            break
        if f.kind == "intent":
            cues.append(surface)
            code = rules.verb_codes.get(tuple(clause_words[f.at : f.at + f.length]))
            if code is None:
                entries = rules.verbs.forms.get(surface, [])
                code = next((e.code or e.block.code for e in entries if e.code or e.block.code), None)
            if code and code != "---":
                intent_code = (code, surface, f.at)
            continue
        start, end = clause.tokens[f.at], clause.tokens[f.at + f.length - 1] + 1
        if f.kind == "operator":
            target = _object_polarity(rules, found[n + 1 :], clause_words, f.at + f.length)
            if f.value in ("amplify", "reverse"):
                if target is None:
                    # No object to step up or turn round: the word's own event, if it has one.
                    own = _verb_code(rules, clause_words, f.at, f.length, len(clause_words))
                    if own is None:
                        continue
                    event = Event(own[0], (surface,), _via(cues, own[1]), start, end)
                elif f.value == "amplify":
                    # "tightened sanctions", "expanded trade": the object's own event, stepped up.
                    polarity, word, at = target
                    object_code = next(
                        (g.value for g in found[n + 1 :] if g.at == at and g.kind in {"verb", "noun"}),
                        "160" if polarity == "conflict" else "060",
                    )
                    event = Event(
                        object_code,
                        (surface, word),
                        _via(cues, f"amplify: {surface} + {word} -> {object_code[:2]}"),
                        start,
                        end,
                    )
                else:
                    polarity, word, _ = target
                    code = "08" if polarity == "conflict" else "16"
                    event = Event(
                        code,
                        (surface, word),
                        _via(cues, f"reverse: {surface} + {polarity} object -> {code}"),
                        start,
                        end,
                    )
            elif statement := _statement(rules, f.value, words, clause, clause_words, f.at, f.length, names):
                code, word, name = statement
                event = Event(
                    code,
                    (surface, word) if word else (surface,),
                    _via(
                        cues, f"statement: {surface}" + (f" + {word}" if word else "") + f" -> {code} {name}"
                    ),
                    start,
                    end,
                )
            else:
                code = _OPERATOR_CODES[f.value]
                words_used = (surface,) + ((target[1],) if target else ())
                event = Event(
                    code,
                    words_used,
                    _via(cues, f"{f.value}: {surface}" + (f" + {target[1]}" if target else "")),
                    start,
                    end,
                )
            return _negate(event, negated, threat)
        # A noun is the event only when no predicate follows in the clause ("the attack killed
        # ..." is a killing); a verb inside a prepositional phrase does not count ("announced
        # restrictions on flying to Cuba").
        if f.kind == "noun" and any(
            g.kind in {"verb", "operator"} and not _after_preposition(clause_words, g.at)
            for g in found[n + 1 :]
        ):
            continue
        if f.value.startswith("01") and f.kind == "verb":
            weak = weak or f
            continue
        event = Event(f.value, (surface,), _via(cues, f.rule), start, end, f.kind, reported_by)
        return _negate(event, negated, threat)
    if intent_code is not None:
        code, surface, at = intent_code
        pos = clause.tokens[at]
        return _negate(
            Event(code, (surface,), _via(cues[:-1], f"intent: {surface}"), pos, pos + 1), negated, threat
        )
    if weak is not None:
        return None  # statements (CAMEO 01) say nothing about the relation
    return None


def _negation_gap(
    clause: Clause, clause_words: Sequence[str], start: int, end: int, names: frozenset[int]
) -> int:
    """Words between a negator and the event, not counting country names, determiners and
    auxiliaries: "neither the EU nor the United States would endorse" negates "endorse"."""
    return sum(
        1
        for k in range(start, end)
        if clause.tokens[k] not in names
        and clause_words[k] not in _DETERMINERS
        and clause_words[k] not in _AUXILIARIES
        and clause_words[k] != "."
    )


def _via(frame: Sequence[str], rule: str) -> str:
    """The rule, prefixed by the reporting/intent words it was reached through ("said > would > ...")."""
    return f"{' > '.join(frame)} > {rule}" if frame else rule


_PREPOSITIONS = frozenset("on of for from about against with in over into by".split())


def _after_preposition(clause_words: Sequence[str], at: int) -> bool:
    return at > 0 and clause_words[at - 1] in _PREPOSITIONS


def _threat_marker(rules: Rules, clause_words: Sequence[str]) -> str:
    """The first threat marker phrase of the clause ("by force", "or face"), or ""."""
    for k in range(len(clause_words)):
        for marker in rules.threat_markers:
            if tuple(clause_words[k : k + len(marker)]) == marker:
                return " ".join(marker)
    return ""


def _negate(event: Event, negated: str, threat: str) -> Event | None:
    """`threat`: "unless" or another threat marker of the clause (then the event is 13 Threaten),
    else ""; `negated`: the negator before the event, if any."""
    if threat and event.root != "13":
        return Event(
            "13", (*event.cues, threat), f"threaten: {threat} ({event.rule})", event.start, event.end
        )
    if not negated:
        return event
    if event.root == "01":
        return None  # a negated statement ("did not deny the charges") says nothing either way
    if stance_of(event.root) == "cooperation":
        return Event(
            "12",
            (f"{negated}+{event.cues[0]}", *event.cues[1:]),
            f"negated cooperation -> 12 ({event.rule})",
            event.start,
            event.end,
        )
    return None  # a negated conflict ("did not attack") is no event


_INVEST_BEFORE = re.compile(r"\b(?:invest\w*|stakes?)\b[^.;]*\bin\s+(?:the\s+)?$")
_INVEST_WORDS = frozenset("invest invests invested investing investment investments stake".split())
# What may separate the members of a list of places ("from Brazil, Colombia and Mexico").
_PLACE_LIST = frozenset({",", "and", "or", "the"})
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+)?")
# Passive participles of detention and punishment whose "in X" names the acting state (CAMEO 17).
_DETAINED = frozenset("arrested detained jailed imprisoned executed sentenced convicted interned".split())
# Arrivals: "the Foreign Secretary arrives in Indonesia for a summit" is a visit to the host (CAMEO
# 042/043), as "a visit to Tehran" is.
_ARRIVED = frozenset("arrive arrives arrived arriving".split())
_DETAINED_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_DETAINED | _ARRIVED)) + r")\s+in\s+(?:the\s+)?$")
_MAYBE_PARTICIPANT = (
    " from",
    " to",
    " at",
    " the",
    " a",
    "from",
    "to",
    "ern",
    "east",
    "west",
    "north",
    "south",
)
# Force used on a country's soil by another country's forces: "U.S. troops have killed eight
# insurgents in western Iraq", "the U.S.-led coalition in Afghanistan says its forces killed ...":
# the country is the target, as event coders code the armed groups placed there (CAMEO 17-20).
_FORCE_VERBS = frozenset(
    """kill kills killed capture captures captured detain detains detained seize seizes seized attack
    attacks attacked bomb bombs bombed raid raids raided shell shells shelled strike strikes struck
    pound pounds pounded""".split()
)
# Fighting named by a noun or an -ing verb, said of forces placed in a country ("... in a battle").
_FORCE_ACTS = frozenset(
    """battle battles fight fighting fought clash clashes clashed offensive raid raids airstrike
    airstrikes hunting hunt operation operations insurgents militants""".split()
)
# Where fighting reported after "forces in X" is no longer theirs: a new clause or sentence.
_FORCE_CLAUSE_STOPS = frozenset({".", ";", ":", "but", "while", "whereas", "although", "meanwhile"})
# Prepositions that aim an act at a country: fighting "against Syria" is not on the host's soil.
_FORCE_AIMS = frozenset("against on at into in targeting toward towards over".split())
_FORCE_AGENTS = frozenset(
    "troops forces soldiers military coalition marines army warplanes jets drones commandos".split()
)
_FORCE_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(_FORCE_AGENTS)) + r")\b[^.;]{0,100}\bin\s+(?:the\s+)?(?:\w+\s+)?$"
)
# A visit named by where the visitor goes: "al-Maliki is heading to Iran", "Merkel is in India for
# talks", "stops in Bangkok and Beijing": the host takes part (the visit or the talks code it).
_VISIT_BEFORE = frozenset("heading headed heads travelling traveling travelled traveled trip stops".split())
_VISIT_BE = frozenset({"is", "are", "was", "were"})
# The quick test on the text before a place for the two rules above ("is in", "stops in").
_VISIT_IN = re.compile(r"\b(?:" + "|".join(sorted(_VISIT_BE | {"stops"})) + r")\s+in\s+(?:the\s+)?$")
# What makes "X is in <country>" a visit: "for talks", "on a (two-day) visit".
_VISIT_PURPOSE = frozenset("talks meeting meetings visit consultations summit negotiations trip tour".split())
# Words of a region of a country ("into northern Syria") skipped on the way to its preposition.
_REGION_WORDS = frozenset(
    """north south east west northern southern eastern western northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern central""".split()
)


# A firm's home named by a place: "<Siemens AG> of West Germany", "Henkel KGaA of Dusseldorf, West
# Germany", "Sara Lee Corp of Canada", and "Frankfurt-based Deutsche Boerse". The firm stands for
# that country (relations_dev.md: a firm named as a country's); a plant, unit or market "in" a
# country stays a venue.
_FIRM_OF = re.compile(
    r"(?:\b(?:corp|corporation|inc|ltd|limited|plc|co|ag|sa|nv|bv|gmbh|kgaa|spa|ab|oy|group|bank)\.?>?"
    r"|>)\s+of\s+(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?,\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_BASED = re.compile(r"\s*[-–]\s*based\s+[A-Z]")  # a capitalised firm name follows


# "shares in UK banking group Barclays", "talks in US bank Wells Fargo": a country name directly
# before a firm noun (at most two lower-case words between) names the firm's country, not a place.
# The words between describe the firm: a function word starts another phrase ("protests in Egypt as
# the company said", "fighting in Iraq and the group said", "assets in Italy to a group led by").
_FIRM_GAP_STOPS = (
    "the|a|an|and|or|but|nor|as|to|for|with|by|from|at|on|in|into|of|after|before|since|while|when|"
    "where|which|who|whose|that|than|then|so|if|because|its|their|his|her|our|this|these|those|"
    "said|says|is|are|was|were|be|been|has|have|had|will|would|could|should|may|might|can|not|also"
)
_FIRM_AFTER = re.compile(
    rf"\s+(?:(?!(?:{_FIRM_GAP_STOPS})\s)[a-z][\w-]*\s+){{0,2}}?(?:bank|banks|group|firm|firms|company|companies|giant|carrier|"
    r"airline|insurer|brewer|retailer|conglomerate|maker|makers|producer|producers|exporter|exporters)"
    r"\b(?!\s+(?:in|of)\b)"
)


def _firm_home(text: str, start: int, end: int) -> bool:
    """Does the place mention at text[start:end] name a firm's home country (see _FIRM_OF,
    _PLACE_BASED and _FIRM_AFTER)?"""
    return (
        bool(_FIRM_OF.search(text[max(0, start - 60) : start]))
        or bool(_PLACE_BASED.match(text, end))
        or bool(_FIRM_AFTER.match(text, end))
    )


def _conflict_word(word: str, rules: Rules) -> bool:
    """A material-conflict verb form of [verbs] ("fired", "shelled") or a conflict [objects] word
    ("missiles", "troops"); not an event noun ("the airstrike at Baghdad airport" names a place)."""
    code = rules.verb_codes.get((word,))
    if code is not None and code != "---":
        return int(code[:2]) >= 15
    return word not in rules.nouns and rules.object_polarity.get(word) == "conflict"


def _participant(
    words: Sequence[str],
    first: int,
    rules: Rules,
    actor_ends: frozenset[int],
    mention_spans: dict[int, int],
) -> bool:
    """A place that takes part in the event: "a visit to Tehran" (the host), "attacks from Azerbaijan",
    "the US embassy in London", "Maduro in Venezuela" (a state agent or an actor placed there)."""
    k = first - 1
    while k >= 0 and (words[k] in _DETERMINERS or words[k] in _REGION_WORDS):
        k -= 1
    if k >= 1 and words[k] == "into":
        # "troops moved into northern Syria", "an incursion into Syria": where a move is aimed.
        return True
    if k >= 1 and words[k] == "in" and any(w in _INVEST_WORDS for w in words[max(0, k - 6) : k]):
        # "invested $1bn in Thailand", "its investment in Kenya": the country receives the investment.
        return True
    if (
        k >= 1
        and words[k] == "at"
        and (
            any(_conflict_word(w, rules) for w in words[max(0, k - 4) : k])
            or (words[k - 1], "at") in rules.operators
        )
    ):
        # "fired missiles at Kuwait", "rockets aimed at Israel": the target of the attack; "angry at
        # Japan": the operator's object.
        return True
    if k >= 1 and words[k] == "in" and words[k - 1] in _ARRIVED:
        return True
    if k >= 1 and words[k] in {"in", "to"} and words[k - 1] in _VISIT_BEFORE:
        # "is heading to Iran", "stops in Beijing".
        return True
    if k >= 1 and words[k] == "in" and words[k - 1] in _VISIT_BE and _visit_after(words, first):
        # "Merkel is in India for talks", "Rice was in Israel on a two-day visit" (not "tourists who
        # were in Thailand", "its largest market is in China").
        return True
    if k >= 1 and words[k] == "in" and words[k - 1] in _FORCE_AGENTS:
        # Forces placed in the country ("coalition forces in Afghanistan"): fighting reported of
        # them in their clause, also in the passive ("... say militants were killed in a battle")
        # or as a noun, makes it take part; fighting aimed at another country leaves it a venue
        # ("U.S. troops in Qatar launched airstrikes against Syria"), whatever the rules below say.
        fight = _placed_forces_fight(words, k, first, mention_spans)
        if fight:
            return fight == "here"
    elif k >= 1 and words[k] == "in" and _force_on_soil(words, k):
        return True
    if k >= 1 and words[k] == "in" and words[k - 1] in _DETAINED:
        # "Poles arrested in Japan on theft charges", "a Briton jailed in Iran": the country whose
        # authorities detain is the agent of the passive, not the place.
        return True
    if k >= 1 and words[k] in {"in", "at"}:
        j = k - 1
        if j >= 0 and words[j] in {"here", "based", "there"}:
            j -= 1
        return j >= 0 and (_is_agent(words[j], placed=True) or j in actor_ends)
    if k < 1 or words[k] not in {"to", "from"}:
        return False
    if words[k] == "from":
        # "representatives from Iran", "an explanation from Russia": the source of something.
        return True
    before = words[max(0, k - 3) : k]
    return any(w in rules.nouns or w in rules.object_polarity or (w,) in rules.verb_codes for w in before)


def _visit_after(words: Sequence[str], first: int) -> bool:
    """Do the words after the place at `first` name a visit's purpose ("for talks", "on a visit")?"""
    after = words[first + 1 : first + 9]
    for k, word in enumerate(after):
        if word in {"for", "on"}:
            return any(w in _VISIT_PURPOSE for w in after[k + 1 : k + 5])
        if word in {".", ";", "and", "but", "who", "which", "where", "when"}:
            return False
    return False


def _placed_forces_fight(words: Sequence[str], at: int, place: int, mention_spans: dict[int, int]) -> str:
    """Where forces placed in a country ("U.S. forces in Qatar", "in" at `at`) fight, by the first
    fighting word of their clause: "here" (on the host's soil), "elsewhere" (aimed at another
    country named from the place to just after that word: "... launched airstrikes against
    Syria", "an offensive into northern Syria") or "" (no fighting reported of them)."""

    def aimed_elsewhere(j: int) -> bool:  # "against (the) Syria", "into northern Syria"
        if j not in mention_spans:
            return False
        j -= 1
        while j > at and (words[j] in _DETERMINERS or words[j] in _REGION_WORDS):
            j -= 1
        return words[j] in _FORCE_AIMS

    after_place = mention_spans.get(place, place) + 1
    for k in range(after_place, min(len(words), at + 16)):
        if words[k] in _FORCE_CLAUSE_STOPS:
            return ""
        if aimed_elsewhere(k):
            return "elsewhere"
        if words[k] in _FORCE_VERBS or words[k] in _FORCE_ACTS:
            return (
                "elsewhere"
                if any(aimed_elsewhere(j) for j in range(k + 1, min(len(words), k + 6)))
                else "here"
            )
    return ""


def _force_on_soil(words: Sequence[str], at: int) -> bool:
    """Does "in" at `at` end an armed force's act on the place that follows ("U.S. troops have killed
    eight insurgents in Iraq"; "the coalition in Afghanistan says its forces killed ...")? The verb
    must be active and have its object before "in": not "two soldiers were killed in Iraq",
    "Canadian soldiers killed in Afghanistan were flown home" or "killed by a bomb in Iraq", where
    the place is only where an unnamed author acted. (Forces placed in the country, "the coalition
    in Afghanistan", are `_placed_forces_fight`'s.)"""

    def active(verb: int) -> bool:
        return verb > 0 and words[verb - 1] not in _BE and words[verb - 1] not in {"been", "get", "got"}

    for verb in range(at - 1, max(-1, at - 12), -1):
        if words[verb] in {";", ":", "which", "who", "after", "when", "while", "by"}:
            return False
        if words[verb] in _FORCE_VERBS:
            return (
                verb < at - 1
                and active(verb)
                and any(w in _FORCE_AGENTS for w in words[max(0, verb - 8) : verb])
            )
    return False


# A wire dateline ("TOKYO, March 27 - ") and the unqualified state title that opens the story after
# it ("Prime Minister Yasuhiro Nakasone", "Treasury Secretary James Baker", "The Reagan
# administration"): up to three capitalised words, then the title.
_DATELINE_TITLE = re.compile(
    r"^\s*[A-Z][A-Z.'’&-]+(?:\s+[A-Z][A-Z.'’&-]*){0,3},[^\n]{0,40}?\s[-–—]\s+"
    r"(?P<words>(?:[A-Z][\w.'’-]*\s+){0,3})(?P<title>[A-Za-z]+)\b"
)
# Names of international bodies, whose officials do not act for the dateline's country ("WASHINGTON -
# World Bank President Barber Conable").
_BODY_WORDS = frozenset(
    "bank fund community commission union nations organisation organization council".split()
)


def _dateline_official(text: str, start: int, starts: Sequence[int]) -> bool:
    """Is the mention at `start` a dateline whose country's own official opens the sentence? Wire copy
    does not repeat the country of "WASHINGTON - Treasury Secretary James Baker": he acts for it.
    Not when the title names a country ("Mexican Finance Minister"): `starts` of all mentions."""
    match = _DATELINE_TITLE.match(text)
    if match is None or start >= match.start("words"):
        return False
    if any(match.start("words") <= other < match.end("title") for other in starts):
        return False
    words = match.group("words").split()
    title = match.group("title").lower()
    return (
        (
            _is_agent(title, placed=True)
            or title == "secretary"
            or any(_is_agent(w.lower(), placed=True) for w in words)
        )
        and not any(w.isupper() and len(w.strip(".")) > 1 for w in words)  # "EC ministers", "OPEC"
        and not any(w.lower() in _BODY_WORDS for w in [*words, title])
    )


def _names_an_agent(tokens: Sequence[Token], last: int) -> bool:
    """A place that only modifies a state agent's name is that agent's country, not a venue: "a law
    introduced in the U.S. Congress", "outside the U.S. Navy base" (up to two capitalised
    words of the institution's name between the country and the agent)."""
    for k in range(last + 1, min(len(tokens), last + 4)):
        if _is_agent(tokens[k].lower, bodies=True):
            return True
        if not (tokens[k].text.isalpha() and tokens[k].text[0].isupper()):
            return False
    return False


@lru_cache(maxsize=1)
def _agent_after_place() -> re.Pattern[str]:
    """ " Congress", " Navy": text after a place that makes it the agent's country."""
    words = "|".join(sorted(load_agents(bodies=True), key=len, reverse=True))
    return re.compile(rf"\s+(?:[A-Z][A-Za-z]*\s+){{0,2}}(?i:{words})s?\b")


def _is_agent(word: str, placed: bool = False, bodies: bool = False) -> bool:
    """A state agent word. `placed`: one that takes part in the place it is in ("the embassy in
    London"), a government or military agent, not a court or legislature ("a court in London" is
    where a case is heard). `bodies`: one whose country's name before it names the body, not a place
    ("in the U.S. Congress"): any but a court ("an injunction in the U.K. High Court" is a venue)."""
    agents = load_agents(placed, bodies)
    return word in agents or (word.endswith("s") and word[:-1] in agents)


@lru_cache(maxsize=4)
def load_agents(placed: bool = False, bodies: bool = False) -> frozenset[str]:
    """State agent words (data/petrarch2/agents.txt: "EMBASSY [~GOV]"), lower case; `placed`: only the
    government and military ones (~GOV, ~MIL); `bodies`: all but the courts (~JUD)."""
    path = data_dir() / AGENTS_FILE
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if placed and not line.endswith(("[~GOV]", "[~MIL]")):
            continue
        if bodies and line.endswith("[~JUD]"):
            continue
        words.add(line.split()[0].lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def _agent_before_place() -> re.Pattern[str]:
    """ "... embassy in ", "... troops based in the ": text before a place that may be a participant."""
    words = "|".join(sorted(load_agents(placed=True), key=len, reverse=True))
    return re.compile(rf"\b(?:{words})s?\s+(?:(?:here|based|there)\s+)?(?:in|at)\s+(?:the\s+)?$")


def _passive(words: Sequence[str], at: int) -> bool:
    """Is the predicate at token `at` a passive participle ("was occupied", "had been denied")?"""
    k = at - 1
    while k >= 0 and words[k] in _ADVERB_SKIP:
        k -= 1
    if k >= 0 and words[k] in {",", "("} and at + 1 < len(words) and words[at + 1] == "by":
        return True  # a reduced relative: "Iran, backed by Russia, ..."
    return (
        k >= 0
        and words[k] in _BE
        and (
            words[at].endswith(("ed", "en", "wn"))
            or words[at]
            in {"held", "shot", "struck", "sold", "told", "left", "hit", "cut", "put", "led", "made", "met"}
        )
    )


def code_sentence(
    text: str,
    mentions: Sequence[tuple[int, int, str, bool]],
    rules: Rules | None = None,
    use_tagger: bool = True,
    use_parser: bool = True,
) -> dict[tuple[str, str], PairEvent]:
    """The event of every pair of different countries in one sentence.

    `mentions` are (start, end, ISO code, locative) with offsets into `text`. Keys are sorted code
    pairs. A pair whose every mention of one country is a venue gets no event and venue=True.
    """
    # Most sentences naming several countries name all but one as places (datelines, "in ..."): their
    # pairs are venue pairs, known without reading the sentence. "from X"/"to X" may name a
    # participant (see _participant), so those are read.
    maybe_actors: set[str] = set()
    starts = [m[0] for m in mentions]
    listed_after = False  # the previous mention may be a participant and this one is listed with it
    previous_end = -1
    for start, end, code, locative in sorted(mentions):
        maybe = (
            not locative
            or text[max(0, start - 12) : start].rstrip().lower().endswith(_MAYBE_PARTICIPANT)
            or bool(_agent_before_place().search(text[max(0, start - 40) : start].lower()))
            or bool(_INVEST_BEFORE.search(text[max(0, start - 60) : start].lower()))
            or bool(_DETAINED_BEFORE.search(text[max(0, start - 20) : start].lower()))
            or bool(_FORCE_BEFORE.search(text[max(0, start - 140) : start].lower()))
            or bool(_VISIT_IN.search(text[max(0, start - 12) : start].lower()))
            or any(
                stop <= start and not loc and text[stop:start].strip().lower() == "in"
                for _, stop, _, loc in mentions
            )
            or (listed_after and _LIST_GAP.fullmatch(text[previous_end:start].lower()) is not None)
            or bool(_agent_after_place().match(text, end))
            or _dateline_official(text, start, starts)
            or _firm_home(text, start, end)
        )
        if maybe:
            maybe_actors.add(code)
        listed_after, previous_end = maybe, end
    if len(maybe_actors) < 2:
        codes = sorted({code for _, _, code, _ in mentions})
        return {
            (a, b): PairEvent(None, None, None, None, (), "venue: a country named only as a place", True)
            for i, a in enumerate(codes)
            for b in codes[i + 1 :]
        }
    rules = rules or load_rules()
    tokens = sentence_tokens(text)
    words = [t.lower for t in tokens]
    units: list[CountryUnit] = []
    ends = [t.end for t in tokens]
    # Last tokens of actor mentions ("Maduro" in "Maduro in Venezuela"): what follows them is theirs.
    actor_ends = frozenset(bisect.bisect_left(ends, end) for _, end, _, locative in mentions if not locative)
    # First token -> last token of every mention, for the rules that look past a place to the next.
    mention_spans = {
        bisect.bisect_right(ends, start): max(bisect.bisect_right(ends, start), bisect.bisect_left(ends, end))
        for start, end, _, _ in mentions
    }
    participant_end = -1  # last token of the previous unit when it is a participant place
    for start, end, code, locative in sorted(mentions):
        first = bisect.bisect_right(ends, start)
        covered = []
        while first < len(tokens) and tokens[first].start < end:
            covered.append(first)
            first += 1
        if covered:
            if locative and (
                _participant(words, covered[0], rules, actor_ends, mention_spans)
                or _names_an_agent(tokens, covered[-1])
                or _dateline_official(text, start, starts)
                or _firm_home(text, start, end)
                # "representatives from Brazil, Colombia and Mexico": a list shares its first
                # member's role, as the country finder's venue rule does for "in A, B and C".
                or (
                    0 <= participant_end < covered[0] - 1
                    and all(words[i] in _PLACE_LIST for i in range(participant_end + 1, covered[0]))
                )
            ):
                participant_end = covered[-1]
                locative = False
            else:
                participant_end = -1
            units.append(CountryUnit(code, covered[0], covered[-1], locative))
    units.sort(key=lambda u: u.first)
    codes = sorted({u.code for u in units})
    result: dict[tuple[str, str], PairEvent] = {}
    if len(codes) < 2:
        return result
    clauses = _clauses(tokens, units, backers=rules.backers)
    clause_of = {i: n for n, c in enumerate(clauses) for i in c.tokens}
    title_case = _title_case(tokens)
    # A Title Case headline misleads the tagger (every word looks like a name): word order decides there.
    tags = () if title_case or not use_tagger else pos_tags([t.text for t in tokens])
    headline = _is_headline(tokens)
    found = [_scan(rules, words, c, units, tokens, title_case, tags, headline) for c in clauses]
    actor = {code: any(not u.locative for u in units if u.code == code) for code in codes}
    for a_index, a in enumerate(codes):
        for b in codes[a_index + 1 :]:
            if not (actor[a] and actor[b]):
                result[(a, b)] = PairEvent(
                    None, None, None, None, (), "venue: a country named only as a place", True
                )
                continue
            result[(a, b)] = _code_pair(a, b, units, clauses, clause_of, found, words, rules, tags)
    if use_parser and tags:
        _parse_directions(result, tokens, tags, units)
    return result


# The guesses the dependency parse may overrule (PairEvent.guess): both countries on one side of
# the event word by word order ("shared") and joint subjects of a reciprocal event. Not "order"
# (the earlier country as source): the parse seldom disagrees with it, and on the labelled dev
# splits it was right on one of three such changes. Not "nearest" (no clause names both) nor
# "passive" (no "by" agent): 60 of the 88 sentences per 1,000 BBC articles those would parse, for
# one direction set right on the dev splits (and one changed from unknown to wrong).
PARSE_GUESSES = frozenset({"shared", "reciprocal"})


def _parse_directions(
    result: dict[tuple[str, str], PairEvent],
    tokens: Sequence[Token],
    tags: Sequence[str],
    units: Sequence[CountryUnit],
) -> None:
    """Where the coder's direction is a guess, the parse's subject and object decide it when one
    country is on each side of the main predicate (core.relations.syntax). Parsed only then: most
    sentences have no such pair."""

    def verb_between(a: str, b: str) -> bool:
        # A subject and an object of one predicate have a verb between them (a list of countries,
        # "Britain and France", or "the French and German leaders" never do): no parse needed.
        spans = [
            (min(ua.last, ub.last), max(ua.first, ub.first))
            for ua in units
            if ua.code == a
            for ub in units
            if ub.code == b
        ]
        return any(tags[k] == "VERB" for low, high in spans for k in range(low + 1, high))

    guessed = [
        pair
        for pair, event in result.items()
        if event.event and event.guess in PARSE_GUESSES and verb_between(*pair)
    ]
    if not guessed:
        return
    from core.relations.syntax import parse_direction
    from core.text.parse import parse

    heads, labels = parse([t.text for t in tokens], tags)
    places: dict[str, set[int]] = {}
    for unit in units:
        places.setdefault(unit.code, set()).update(range(unit.first, unit.last + 1))
    for a, b in guessed:
        event = result[(a, b)]
        found = parse_direction(heads, labels, places, a, b)
        if found is None:
            continue
        word = tokens[found.predicate].text
        result[(a, b)] = replace(
            event,
            source=found.source,
            target=found.target,
            rule=f"{event.rule}; direction from the parse: {found.source} ({found.source_role})"
            f" → {found.target} ({found.target_role}) of '{word}'",
            guess="",
        )


def _nested_object(
    first_code: str,
    event: Event,
    second: CountryUnit,
    units: Sequence[CountryUnit],
    found: Sequence[_Found],
    clause: Clause,
    position: dict[int, int],
) -> bool:
    """Is `second` the partner of another country's own event inside the predicate's object?
    ("Washington worried over Baghdad growing ties with Moscow": Moscow is Baghdad's partner.)"""
    for unit in units:
        if unit.code in (first_code, second.code) or not (
            event.end <= unit.first and unit.last < second.first
        ):
            continue
        low, high = position.get(unit.last), position.get(second.first)
        if low is None or high is None:
            continue
        if any(low < f.at < high and f.kind in {"verb", "noun"} for f in found):
            return True
    return False


def _one_list(
    a_units: Sequence[CountryUnit],
    b_units: Sequence[CountryUnit],
    words: Sequence[str],
    units: Sequence[CountryUnit],
) -> Iterator[CountryUnit]:
    """The earlier mention of each pair of the two countries' mentions that stand in one coordinated
    list ("on Iran, Syria and Myanmar": only list words, at most 12, between them)."""
    in_unit = {i for u in units for i in range(u.first, u.last + 1)}
    for ua in a_units:
        for ub in b_units:
            first, second = (ua, ub) if ua.first < ub.first else (ub, ua)
            gap = [words[i] for i in range(first.last + 1, second.first) if i not in in_unit]
            if gap and len(gap) <= 12 and all(w in _LIST_WORDS for w in gap):
                yield first


def _listed_together(
    a_units: Sequence[CountryUnit],
    b_units: Sequence[CountryUnit],
    words: Sequence[str],
    units: Sequence[CountryUnit],
) -> bool:
    """Are the two countries members of one coordinated list ("on Iran, Syria and Myanmar")?"""
    return any(_one_list(a_units, b_units, words, units))


def _co_hosts(
    a_units: Sequence[CountryUnit],
    b_units: Sequence[CountryUnit],
    words: Sequence[str],
    units: Sequence[CountryUnit],
) -> bool:
    """Are the two countries one list after "<forces> in" ("troops in Iraq and Syria")?"""
    for first in _one_list(a_units, b_units, words, units):
        k = first.first - 1
        while k >= 0 and words[k] in _DETERMINERS:
            k -= 1
        if k >= 1 and words[k] == "in" and any(w in _FORCE_AGENTS for w in words[max(0, k - 3) : k]):
            return True
    return False


def _after_predicate(
    members: Sequence[CountryUnit],
    clauses: Sequence[Clause],
    clause_of: dict[int, int],
    found: Sequence[Sequence[_Found]],
) -> bool:
    """Does a one-way event word of the list's clause come before the list (its members are the
    objects of one act)? A reciprocal one ("a dinner with A and B", "fought A and B") is shared."""
    first = min(members, key=lambda u: u.first)
    n = clause_of.get(first.first)
    if n is None:
        return False
    tokens = clauses[n].tokens
    before = [f for f in found[n] if f.kind in {"verb", "noun", "operator"} and tokens[f.at] < first.first]
    return bool(before) and (before[-1].kind == "operator" or before[-1].value[:2] not in _RECIPROCAL_ROOTS)


def _direct(event: Event, first: CountryUnit, second: CountryUnit, words: Sequence[str]) -> PairEvent:
    """The event between an earlier country (`first`) and a later one, with its direction."""
    if _passive(words, event.start):
        by_agent = any(words[j] == "by" for j in range(event.end, second.first))
        if by_agent:
            return PairEvent(
                event.root, event.code, second.code, first.code, event.cues, event.rule + " (passive: by)"
            )
        return PairEvent(
            event.root,
            event.code,
            None,
            None,
            event.cues,
            event.rule + " (passive, undirected)",
            guess="passive",
        )
    return PairEvent(event.root, event.code, first.code, second.code, event.cues, event.rule, guess="order")


def _operator_before(
    found: Sequence[_Found], clause: Clause, words: Sequence[str], at: int, values: set[str]
) -> _Found | None:
    """The operator of one of these values that ends right before clause position `at`, determiners
    between them aside ("urged the US", "curb its exports"), or None."""
    k = at - 1
    while k >= 0 and words[clause.tokens[k]] in _DETERMINERS:
        k -= 1
    return next(
        (f for f in found if f.kind == "operator" and f.value in values and f.at + f.length - 1 == k),
        None,
    )


def _demanded_reversal(
    rules: Rules,
    found: Sequence[_Found],
    clause: Clause,
    words: Sequence[str],
    unit: CountryUnit,
    position: dict[int, int],
) -> tuple[str, tuple[str, ...], str] | None:
    """ "They called on Turkey to halt its drilling off Cyprus", "urged the US to lift its sanctions
    on Cuba": a demand aimed at `unit` to stop or lift something says that thing is what it does now.
    Returns (code, cues, rule) of that status quo: the object's own event when known, else a demand."""
    at = position.get(unit.first)
    if at is None:
        return None
    # Only demands: asking is an Appeal in CAMEO (0243 "appeal for easing of sanctions", 0256 "for
    # de-escalation"), cooperation, whatever is asked ("asked Washington to withdraw their troops").
    demand = _operator_before(found, clause, words, at, {"demand"})
    if demand is None:
        return None
    after = [f for f in found if f.at > at]
    if not after or after[0].kind != "operator" or after[0].value != "reverse":
        return None
    clause_words = [words[i] for i in clause.tokens]
    demanded = " ".join(clause_words[demand.at : demand.at + demand.length])
    stop = " ".join(clause_words[after[0].at : after[0].at + after[0].length])
    target = _object_polarity(rules, after[1:], clause_words, after[0].at + after[0].length)
    if target is None:
        return "100", (demanded, stop), f"demanded reversal: {demanded} + {stop} -> 10 (what it does now)"
    polarity, word, object_at = target
    code = next(
        (g.value for g in after[1:] if g.at == object_at and g.kind in {"verb", "noun"}),
        "160" if polarity == "conflict" else "060",
    )
    return code, (demanded, stop, word), f"demanded reversal: {demanded} + {stop} + {word} -> {code[:2]}"


def _operator_over_owner(
    rules: Rules,
    words: Sequence[str],
    clause: Clause,
    found: Sequence[_Found],
    first: CountryUnit,
    second: CountryUnit,
    position: dict[int, int],
    names: frozenset[int],
) -> Event | None:
    """The event of a stop-like or step-up operator just before `first` (determiners and "its"
    aside) whose object, a noun, stands between `first` and `second`: "curb Japanese exports to the
    United States" reduces the exports (16). None otherwise."""
    at, stop = position.get(first.first), position.get(second.first)
    if at is None or stop is None:
        return None
    operator = _operator_before(found, clause, words, at, {"reverse", "amplify"})
    if operator is None:
        return None
    head = position.get(first.last, at) + 1
    if not any(f.kind == "noun" and head <= f.at < stop for f in found):
        return None
    event = _predicate(rules, words, clause, found, operator.at, None, names)
    if event is None or event.start != clause.tokens[operator.at] or len(event.cues) < 2:
        return None  # not the operator over an object (its own dictionary code, or a later event)
    return event


# Demand verbs that take an addressee ("urged the administration to ..."); not "must", "call for".
_ADDRESSED_DEMANDS = frozenset(
    {
        "urge",
        "urges",
        "urged",
        "urging",
        "press",
        "presses",
        "pressed",
        "pressing",
        "call on",
        "calls on",
        "called on",
        "calling on",
        "call upon",
        "called upon",
    }
    | _ORDER_FORMS
)


def _passed_demand(
    rules: Rules,
    words: Sequence[str],
    clause: Clause,
    found: Sequence[_Found],
    units: Sequence[CountryUnit],
    start: int,
    stop: int | None,
) -> Event | None:
    """ "A's farmers urged the administration to offer B wheat": a demand addressed to someone who is
    not a country of the pair passes the demanded act on; between A and B the event is that act
    (here an offer), with A as its source. None when the addressee is a country ("urged B to ...")
    or the demand is not addressed ("A must ...", "called for talks")."""
    if stop is None:
        return None
    clause_words = [words[i] for i in clause.tokens]
    countries = {i for u in units for i in range(u.first, u.last + 1)}
    for n, f in enumerate(found):
        if not start <= f.at < stop:
            continue
        if f.kind in {"verb", "noun"}:
            return None  # an event of its own comes first
        if f.kind != "operator" or f.value != "demand":
            continue
        phrase = " ".join(clause_words[f.at : f.at + f.length])
        if phrase not in _ADDRESSED_DEMANDS:
            return None
        after = f.at + f.length
        act = next((g for g in found[n + 1 :] if g.kind in {"verb", "operator", "intent"}), None)
        if act is None or not after < act.at < stop:
            return None
        if any(clause.tokens[k] in countries for k in range(after, act.at)):
            return None  # addressed to a country: the demand is between them
        if any(act.at < g.at < stop and g.kind in {"verb", "operator"} for g in found[n + 1 :]):
            return None  # the other country belongs to a later act ("urged X to reconsider and spoke with B")
        names = frozenset(i for u in units for i in range(u.first, u.last + 1))
        event = _predicate(rules, words, clause, found, act.at, stop, names)
        if event is None:
            return None
        return Event(
            event.code,
            event.cues,
            f"{phrase} (addressee not a party) > {event.rule}",
            event.start,
            event.end,
            event.kind,
        )
    return None


def _worsened(rules: Rules, words: Sequence[str], start: int) -> str | None:
    """The worsening verb of the few words after a relation ("... were strained last week"), if any."""
    for k in range(start, min(len(words), start + 5)):
        if words[k] in {",", ";", ".", ":", "and", "but", "which", "that", "after", "when"}:
            return None
        for length in (2, 1):
            phrase = tuple(words[k : k + length])
            if len(phrase) == length and phrase in rules.worsen:
                return " ".join(phrase)
    return None


def _noun_after(words: Sequence[str], tags: Sequence[str], start: int, stop: int, rules: Rules) -> str | None:
    """The first event noun in words[start:stop] ("the Syrian-Turkish war"); with part-of-speech
    tags a verb of the same spelling does not count ("the Syrian-Turkish border to help ...")."""
    for i in range(start, min(stop, len(words))):
        if words[i] in rules.nouns and (not tags or tags[i] in {"NOUN", "PROPN"}):
            # A compound's head is its last noun: "the U.S.-Japan trade dispute" is a dispute.
            while i + 1 < len(words) and words[i + 1] in rules.nouns:
                i += 1
            return words[i]
    return None


def _code_pair(
    a: str,
    b: str,
    units: Sequence[CountryUnit],
    clauses: Sequence[Clause],
    clause_of: dict[int, int],
    found: Sequence[Sequence[_Found]],
    words: Sequence[str],
    rules: Rules,
    tags: Sequence[str] = (),
) -> PairEvent:
    a_units = [u for u in units if u.code == a and not u.locative] or [u for u in units if u.code == a]
    b_units = [u for u in units if u.code == b and not u.locative] or [u for u in units if u.code == b]
    names = frozenset(i for u in units for i in range(u.first, u.last + 1))
    # 1. "the X between A and B (and C)", "the A-B X": an event noun naming the pair itself.
    hyphen_fallback: PairEvent | None = None
    in_unit = {i for u in units for i in range(u.first, u.last + 1)}
    for ua in a_units:
        for ub in b_units:
            first, second = (ua, ub) if ua.first < ub.first else (ub, ua)
            gap = [words[i] for i in range(first.last + 1, second.first) if i not in in_unit]
            if len(gap) == 2 and gap[0] in {"-", "–"} and gap[1] in _AGENT_HYPHEN:
                # "the United States-led Iraq war": the first country acts on the second.
                noun = _noun_after(words, tags, second.last + 1, second.last + 4, rules)
                if noun:
                    code = rules.nouns[noun]
                    rule = f"hyphen agent: {first.code}-{gap[1]} {second.code} {noun}"
                    return PairEvent(code[:2], code, first.code, second.code, (f"-{gap[1]}", noun), rule)
            if not gap or len(gap) > 12 or not all(w in _LIST_WORDS for w in gap):
                continue
            k = first.first - 1
            while k >= 0 and words[k] in _DETERMINERS:
                k -= 1
            if k >= 0 and words[k] == "between":
                for j in range(k - 1, max(-1, k - 7), -1):
                    between_code = rules.nouns.get(words[j])
                    if between_code is None and words[j] in rules.object_polarity:
                        # "a project between A and B": an object word gives material cooperation
                        # (or reduced relations for a conflictual one: "restrictions between").
                        polarity = rules.object_polarity[words[j]]
                        between_code = "060" if polarity == "cooperation" else "160"
                    if between_code and words[j] in rules.relation_nouns:
                        # "relations between A and B were strained": the relation's own verb says how it went.
                        worse = _worsened(rules, words, second.last + 1)
                        if worse is not None:
                            return PairEvent(
                                "16",
                                "160",
                                None,
                                None,
                                (f"{words[j]} between", worse),
                                f"worsened: {words[j]} between {a} and {b} + {worse} -> 16 (undirected)",
                            )
                    if between_code:
                        # "an end to the war between A and B": a stop word before the noun turns it over.
                        stopper = next(
                            (w for w in words[max(0, j - 4) : j] if rules.operators.get((w,)) == "reverse"),
                            None,
                        )
                        if stopper is not None:
                            turned = "080" if stance_of(between_code[:2]) == "conflict" else "160"
                            return PairEvent(
                                turned[:2],
                                turned,
                                None,
                                None,
                                (stopper, f"{words[j]} between"),
                                f"reverse: {stopper} + {words[j]} between {a} and {b} -> {turned[:2]}"
                                " (undirected)",
                            )
                        return PairEvent(
                            between_code[:2],
                            between_code,
                            None,
                            None,
                            (f"{words[j]} between",),
                            f"between: {words[j]} between {a} and {b} (undirected)",
                        )
            if len(gap) == 2 and gap[0] in {"-", "–"} and gap[1] in _AGENT_HYPHEN:
                # "the United States-led Iraq war": the first country acts on the second.
                noun = _noun_after(words, tags, second.last + 1, second.last + 4, rules)
                if noun:
                    code = rules.nouns[noun]
                    return PairEvent(
                        code[:2],
                        code,
                        first.code,
                        second.code,
                        (f"-{gap[1]}", noun),
                        f"hyphen agent: {first.code}-{gap[1]} {second.code} {noun}",
                    )
            if gap[0] in {"-", "–", "/"} and len(gap) == 1:
                noun = _noun_after(words, tags, second.last + 1, second.last + 5, rules)
                if noun:
                    code = rules.nouns[noun]
                    found_pair = PairEvent(
                        code[:2], code, None, None, (noun,), f"hyphen pair: {a}-{b} {noun} (undirected)"
                    )
                    others = [u for u in units if u not in (ua, ub) and not u.locative]
                    if {u.code for u in others} >= {a, b}:
                        # Both countries also act elsewhere in the sentence ("Japanese Prime Minister
                        # ... wishes to speak with Chinese President Hu about Sino-Japanese contention"):
                        # what they do there decides, the hyphen pair only when nothing does.
                        hyphen_fallback = hyphen_fallback or found_pair
                        continue
                    return found_pair
    # 1b. A country named only in a sentence-final attribution (", Pakistani officials said") is the
    #     speaker: it reports the event and takes no part in it, when the rest of the sentence names
    #     two countries of its own (else the speaker may be the unnamed subject: "PDVSA sought credit
    #     from Japanese banks, the Venezuelan company said").
    reported = {
        u.code for u in units if u.first in clause_of and clauses[clause_of[u.first]].kind != "attribution"
    }
    for code, mine in ((a, a_units), (b, b_units)):
        if len(reported) >= 2 and all(
            clauses[clause_of[u.first]].kind == "attribution" for u in mine if u.first in clause_of
        ):
            return PairEvent(
                None, None, None, None, (), f"speaker: {code} only reports the event (attribution)"
            )
    # 1c. "U.S. forces in Iraq and Syria killed ...": hosts listed after one "forces in" are where
    #     the forces act, side by side; they do nothing to each other.
    if _co_hosts(a_units, b_units, words, units):
        return PairEvent(
            None, None, None, None, (), f"co-hosts: {a} and {b} are where forces act, no event between them"
        )
    # 2. The clause both countries take part in (a relative clause counts its antecedent). The
    #    event is the first one after the earlier country: between the two it links them (source
    #    before, target after; reversed in the passive), after both it is shared only if reciprocal.
    best: PairEvent | None = None
    # Main clauses first: a background clause decides a pair only when no main clause links it
    # ("X withdrew from a treaty with Y, which had been agreed under ..." is a withdrawal).
    order = sorted(range(len(clauses)), key=lambda n: clauses[n].kind != "main")
    for n in order:
        clause = clauses[n]
        members_a = [u for u in a_units if clause_of.get(u.first) == n or clause.antecedent == u]
        members_b = [u for u in b_units if clause_of.get(u.first) == n or clause.antecedent == u]
        if not members_a or not members_b:
            continue
        position = {i: k for k, i in enumerate(clause.tokens)}
        for ua in members_a:
            for ub in members_b:
                first, second = (ua, ub) if ua.first < ub.first else (ub, ua)
                if clause.antecedent == second:
                    first, second = second, first
                start = 0 if clause.antecedent == first else position.get(first.last, -1) + 1
                stop = position.get(second.first) if clause.antecedent != second else None
                # A relative clause's antecedent takes part through its pronoun: these readings,
                # which look at the words before a name, do not apply there.
                owned_here = clause.antecedent is None
                framed = (
                    _demanded_reversal(rules, found[n], clause, words, first, position)
                    if owned_here
                    else None
                )
                if framed is not None:
                    code, cues_used, rule = framed
                    return PairEvent(code[:2], code, first.code, second.code, cues_used, rule)
                framed = (
                    _demanded_reversal(rules, found[n], clause, words, second, position)
                    if owned_here
                    else None
                )
                if framed is not None and not any(
                    u.first > second.last and clause_of.get(u.first) == n for u in units
                ):
                    # "Chile pressed Peru to drop its curbs on fruit imports": the first country
                    # demands the second stop what it does now, to the first (no third country follows).
                    code, cues_used, rule = framed
                    return PairEvent(code[:2], code, second.code, first.code, cues_used, rule)
                # An operator right before the first name, whose object noun stands between the two
                # ("to curb Japanese exports to the U.S.", "lifted Iraqi sanctions on Iran"), decides
                # the pair, undirected: the sentence does not say who curbs.
                owned = (
                    _operator_over_owner(rules, words, clause, found[n], first, second, position, names)
                    if owned_here
                    else None
                )
                if owned is not None:
                    return PairEvent(
                        owned.root,
                        owned.code,
                        None,
                        None,
                        owned.cues,
                        f"{owned.rule} (object owned, undirected)",
                    )
                # First an event between the two names, then one anywhere after the first name.
                event = _passed_demand(rules, words, clause, found[n], units, start, stop)
                event = event or (
                    _predicate(rules, words, clause, found[n], start, stop, names)
                    if stop is not None
                    else None
                )
                event = event or _predicate(rules, words, clause, found[n], start, names=names)
                if event is None:
                    continue
                if (
                    clause.antecedent == second
                    or event.end <= second.first
                    or (clause.antecedent == first and event.start < second.first)
                ):
                    if _nested_object(first.code, event, second, units, found[n], clause, position):
                        best = best or PairEvent(
                            None,
                            None,
                            None,
                            None,
                            (),
                            f"{second.code} belongs to an event nested in the object of {event.rule}",
                        )
                        continue
                    return _direct(event, first, second, words)
                if event.kind == "noun" and first.last < event.reported_by < second.first:
                    # "Iraq said US bases were a violation": the speaker judges what it reports.
                    return PairEvent(
                        event.root,
                        event.code,
                        first.code,
                        second.code,
                        event.cues,
                        f"speaker's judgement: {event.rule}",
                    )
                if event.kind == "noun" and event.root == "06":
                    # "the exports of A and B", "firms from A and B have investments in C": owners
                    # of one trade noun do nothing to each other (a trade verb, "A and B trade",
                    # or "trade between A and B" is reciprocal).
                    return PairEvent(
                        None,
                        None,
                        None,
                        None,
                        (),
                        f"both own the trade noun of {event.rule}: no event between them",
                    )
                if event.root in _RECIPROCAL_ROOTS:
                    return PairEvent(
                        event.root,
                        event.code,
                        None,
                        None,
                        event.cues,
                        f"reciprocal: joint subjects of {event.rule} (undirected)",
                        guess="reciprocal",
                    )
                # Both on one side of the event (joint subjects or objects): co-participants in it,
                # undirected, and weighed as a guess (the sentence does not say what one did to the other).
                best = best or PairEvent(
                    event.root,
                    event.code,
                    None,
                    None,
                    event.cues,
                    f"shared event: same side of {event.rule} (undirected)",
                    guess="shared",
                )
    if hyphen_fallback is not None:
        return hyphen_fallback
    if best is not None:
        return best
    if _listed_together(a_units, b_units, words, units) and _after_predicate(
        (*a_units, *b_units), clauses, clause_of, found
    ):
        # "X imposed sanctions on A, B and C": co-targets of one act do nothing to each other.
        return PairEvent(None, None, None, None, (), "co-targets in one list: no event between them")
    # 2b. A country named only in a clause about another country (a relative clause or a backing
    #     aside with its antecedent: "Iran, backed by Russia, attacked Iraq") takes part in that
    #     clause's event with its antecedent, not in what the rest of the sentence says.
    for code, mine, other in ((a, a_units, b), (b, b_units, a)):
        about = _only_in_clause_about(mine, clauses, clause_of)
        if about is not None and about.antecedent is not None and about.antecedent.code != other:
            return PairEvent(
                None,
                None,
                None,
                None,
                (),
                f"{code} is named only in {_CLAUSE_NAMES[about.kind]} about {about.antecedent.code}:"
                f" no event with {other}",
            )
    # 3. The two countries share no clause: the nearest event of a clause naming either of them,
    #    undirected ("... fighters escaped following Turkish airstrikes" for Syria-Turkey).
    nearest: tuple[int, Event] | None = None
    for n, clause in enumerate(clauses):
        members = [u for u in (*a_units, *b_units) if clause_of.get(u.first) == n]
        if not members:
            continue
        event = _predicate(rules, words, clause, found[n], 0, names=names)
        if event is None:
            continue
        distance = min(abs(event.start - u.first) for u in members)
        if nearest is None or distance < nearest[0]:
            nearest = (distance, event)
    if nearest is not None:
        event = nearest[1]
        return PairEvent(
            event.root,
            event.code,
            None,
            None,
            event.cues,
            f"nearest event: {event.rule} (undirected)",
            guess="nearest",
        )
    return PairEvent(None, None, None, None, (), "no event links the pair")
