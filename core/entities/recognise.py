"""Names in an article by the learned tagger: spans, kinds, and why each kind was chosen.

Per sentence: cut words (core/entities/features.py), tag the candidate words with the averaged
perceptron (core/entities/model.py), read names off the BIO tags. Then per article: a name's kind is
the one most of its mentions got (weighted by the model's margin), so "Kowalski" is not a person in
one sentence and a place in the next; a name the tagger missed in one sentence but found in
another is picked up wherever it is written the same way. Countries belong to the countries module:
a name that is exactly a country mention is dropped here, but a longer name that contains one
("Iraqi National Congress", "Real Madrid") stays whole.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise

from core.entities.features import (
    CONNECTORS,
    Lexicon,
    article_features,
    article_words,
    common_words,
    lexicon,
    set_common_words,
    word_pattern,
)
from core.entities.find import EntityMention
from core.entities.model import TaggerModel, load_model, names_in, tag_article
from core.entities.words import load_cues
from core.text.sentences import Sentence

KIND_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
# Explanations name this many of the features that pushed hardest toward the chosen tag.
EXPLAIN_FEATURES = 3


@dataclass(slots=True)
class TaggedName:
    """One name as the tagger read it: offsets, kind, and the evidence for --explain."""

    start: int
    end: int
    sentence: int
    kind: str  # PER / ORG / LOC / MISC
    margin: float  # best tag's score minus the runner-up's, summed over the name's words
    words: tuple[str, ...]
    evidence: str = ""
    pronoun: str = ""  # "it" or "he": the pronoun the article uses after this name's last word


def _explain(model: TaggerModel, requests: list[tuple[TaggedName, list[str], int]]) -> None:
    """Fill in each name's evidence: the few features that weighed most for its first word's tag.

    One matrix look-up for the whole article, since a numpy call per name costs more than the rest.
    """
    if not requests:
        return
    index = model.index
    rows: list[int] = []
    columns: list[int] = []
    known: list[list[str]] = []
    for _, feats, tag in requests:
        present = [feature for feature in feats if feature in index]
        known.append(present)
        rows.extend(index[feature] for feature in present)
        columns.extend([tag] * len(present))
    values = model.matrix[rows, columns].tolist()
    position = 0
    for (name, _, _), present in zip(requests, known, strict=True):
        mine = values[position : position + len(present)]
        position += len(present)
        pairs = zip(mine, present, strict=True)
        scored = sorted(((value, feature) for value, feature in pairs if value > 0), reverse=True)
        name.evidence = ", ".join(feature for _, feature in scored[:EXPLAIN_FEATURES])


# The word cutter with the whitespace before each word: the matches then tile the text, so each
# word's offset is a running sum of lengths (no match objects needed).
_SPACED_WORD = re.compile(r"\s*(?:" + word_pattern().pattern + ")")


def tag_names(
    document: str,
    sentences: Sequence[Sentence],
    model: TaggerModel | None = None,
    explain: bool = True,
    skip: Set[tuple[int, int]] = frozenset(),
) -> list[TaggedName]:
    """Every name the tagger finds, in text order, before article-level consistency.

    A name whose (start, end) is in `skip` (a country mention, the countries module's) is left out.
    """
    model = model or load_model()
    set_common_words(model.common)
    lex = lexicon()
    spaced = _SPACED_WORD.findall(document)
    tokens = list(map(str.lstrip, spaced))
    ends = list(accumulate(map(len, spaced)))  # where each word ends
    # Each sentence's words: those that end inside it (no word straddles a sentence start).
    first_token: list[int] = []
    words_of: list[list[str]] = []
    low = 0
    for sentence in sentences:
        low = bisect_right(ends, sentence.start, low)
        high = bisect_right(ends, sentence.end, low)
        first_token.append(low)
        words_of.append(tokens[low:high])
        low = high
    article = article_words(words_of, lex)
    labels = tag_article(model, article, lex)
    words = article.words
    spans = names_in(model.tags, labels)
    # A dotted capital acronym the tagger left out ("I.A.E.A."): an organisation (countries
    # such as "U.S." are dropped later, since the countries module finds them).
    dotted = [p for p in article.positions if "." in words[p] and _DOTTED_CAPS.fullmatch(words[p])]
    if dotted:
        named = {position for first, end, _, _ in spans for position in range(first, end)}
        spans.extend((position, position + 1, "ORG", 0.01) for position in dotted if position not in named)
    if not spans:
        return []
    spans.sort()
    tag_at = {position: label for position, label, _ in labels}
    features = article_features(article, lex) if explain else None
    number_of = {position: number for number, position in enumerate(features.positions)} if features else {}
    firsts = article.firsts
    names: list[TaggedName] = []
    explained: set[tuple[str, ...]] = set()
    requests: list[tuple[TaggedName, list[str], int]] = []
    for first, end, kind, margin in spans:
        number = article.sentence_of(first)
        shift = first_token[number] - firsts[number]  # list position -> token number
        # A name never runs over a line break ("Group F" on one line, "Portugal" on the next): the
        # training text has no line breaks, so the tagger cannot know. Except the break of a
        # hard-wrapped paragraph (news-wire copy: "Export Import Bank president John" / "Bohn said").
        start = first
        for position in range(first + 1, end + 1):
            if position < end and (
                "\n" not in spaced[position + shift]
                or _wrapped(document, ends[position + shift] - len(spaced[position + shift]))
            ):
                continue
            begin, finish = ends[start + shift] - len(words[start]), ends[position - 1 + shift]
            if (begin, finish) in skip:
                start = position
                continue
            key = tuple(words[start:position])
            name = TaggedName(
                begin,
                finish,
                sentences[number].index,
                kind,
                max(margin, 0.01),
                key,
            )
            names.append(name)
            label = tag_at.get(start)
            if label is None:
                name.evidence = "dotted acronym"
            elif features is not None and key not in explained:  # the first mention says why
                explained.add(key)
                requests.append((name, features.of(number_of[start]), label))
            start = position
    _explain(model, requests)
    pronoun = article.pronoun
    if pronoun:
        for name in names:
            name.pronoun = pronoun.get(name.words[-1].lower(), "")
    return names


_DOTTED_CAPS = re.compile(r"(?:[A-Z]\.){2,}")
# A hard-wrapped line is this long at least (news-wire copy wraps at 60-70 characters).
WRAPPED_LINE = 50


def _wrapped(document: str, at: int) -> bool:
    """Whether the whitespace at `at` (which holds a line break) only wraps a paragraph: one line
    break, after a line of WRAPPED_LINE characters or more that does not end a sentence or a
    heading ("." "!" "?" ":")."""
    space = _SPACE.match(document, at)
    if space is None or space.group(0).count("\n") != 1:
        return False
    newline = document.index("\n", at)
    line = document[document.rfind("\n", 0, newline) + 1 : newline].rstrip()
    return len(line) >= WRAPPED_LINE and line[-1:] not in ".!?:"


_SPACE = re.compile(r"\s*")


def consistent(names: list[TaggedName]) -> list[TaggedName]:
    """Give every spelling of a name the kind most of its mentions got, weighted by confidence."""
    votes: dict[str, dict[str, float]] = {}
    keys = [" ".join(name.words).lower() for name in names]
    for key, name in zip(keys, names, strict=True):
        tally = votes.setdefault(key, {})
        tally[name.kind] = tally.get(name.kind, 0.0) + name.margin
    for key, name in zip(keys, names, strict=True):
        tally = votes[key]
        if len(tally) == 1:
            continue
        best = max(tally, key=tally.__getitem__)
        if best != name.kind:
            name.evidence = f"article majority {KIND_NAMES[best]} (this mention: {KIND_NAMES[name.kind]})"
            name.kind = best
    # A surname alone is the person named in full elsewhere in the article ("Radcliffe" after
    # "Paula Radcliffe"), whatever the tagger made of it without the first name beside it.
    surnames = {name.words[-1] for name in names if name.kind == "PER" and len(name.words) > 1}
    if surnames:
        for name in names:
            if len(name.words) == 1 and name.kind != "PER" and name.words[0] in surnames:
                name.evidence = f"surname of a person named in full (tagger: {KIND_NAMES[name.kind]})"
                name.kind = "PER"
    return names


# Titles that name a person and no organisation: a "name" that starts with one and holds no
# organisation word is a person ("Princess Ubolratana Mahidol"), the title cut. Not "General",
# "Chief", "Major" ("General Motors"), nor job titles that lead organisations' names.
PERSON_TITLES = frozenset(
    "mr mrs ms miss dr sir dame lord lady baroness baron prof professor rev reverend sheikh sheik "
    "emir imam ayatollah rabbi pope cardinal archbishop bishop king queen prince princess sultan "
    "president premier senator sen congressman congresswoman governor gov mayor judge".split()
)


def _cut_first_word(document: str, name: TaggedName) -> None:
    cut = re.match(r"\S+\s+", document[name.start : name.end])
    if cut:
        name.start += cut.end()
        name.words = name.words[1:]


_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\. \Z")


def _has_organisation_word(lowers: list[str], heads: Set[str], tails: Set[str]) -> bool:
    return any(w in heads or w.replace(".", "") in tails for w in lowers)


def trim_name_openers(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """Words that open a name without being part of it.

    A leading "The" ("The Guardian", "The Foreign Ministry of Iraq" at a sentence start): news NER
    sets leave it out, as GMB mostly does; "The" alone is no name. A person's title the tagger read
    into an organisation ("Princess Ubolratana Mahidol"): a person, the title cut. A party word
    before a person's full name ("Republican Cory Gardner"): the person, and the party word as
    "other" (an adjective), when no organisation word is in the first part. An initial the tagger
    left out before a person ("(D. Byas 88") joins the name.
    """
    lex = lexicon()
    heads, tails, first_names = lex.org_heads, lex.org_tails, lex.first_names
    out: list[TaggedName] = []
    for name in names:
        while (
            name.kind == "PER"
            and document[name.start - 2 : name.start - 1] == "."
            and _INITIAL_BEFORE.match(document, max(name.start - 3, 0), name.start)
        ):
            # An initial the tagger left out ("(D. Byas 88"): part of the person's name.
            name.start -= 3
            name.words = (document[name.start : name.start + 2], *name.words)
        if name.words[0] == "The" and name.kind in ("ORG", "PER"):
            if len(name.words) == 1:
                continue
            _cut_first_word(document, name)
        if name.kind in ("ORG", "PER") and len(name.words) > 1:
            # The words in lowercase and whether an organisation word is among them: worked out
            # only for the few names that get that far (a title first, or an organisation).
            if name.words[0].lower().rstrip(".") in PERSON_TITLES:
                if not _has_organisation_word([word.lower() for word in name.words], heads, tails):
                    _cut_first_word(document, name)
                    name.kind = "PER"
                    name.evidence = "a person's title opened it"
            elif name.kind == "ORG":
                lowers = [word.lower() for word in name.words]
                cut = next((i for i in range(1, len(lowers) - 1) if lowers[i] in first_names), 0)
                if cut and not _has_organisation_word(lowers, heads, tails):
                    person = TaggedName(
                        name.start, name.end, name.sentence, "PER", name.margin, name.words, "first name"
                    )
                    for _ in range(cut):
                        _cut_first_word(document, person)
                    name.end = person.start
                    while name.end > name.start and document[name.end - 1].isspace():
                        name.end -= 1
                    name.words = name.words[:cut]
                    name.kind = "MISC"
                    name.evidence = "a word before a person's full name"
                    out.append(name)
                    name = person
        domain = _DOMAIN.match(document, name.end) if document[name.end : name.end + 1] == "." else None
        if domain:
            # A web address's name ("Amazon.com"): the words cut it at the dot; a company's.
            name.end = domain.end()
            name.words = (*name.words[:-1], name.words[-1] + domain.group())
            name.kind = "ORG"
            name.evidence = "a web address"
        elif name.kind == "PER" and name.words[0].lower() in first_names:
            month = _MONTH_SURNAME.match(document, name.end)
            if month:
                # A surname that is a month ("Theresa May"), which the tagger never puts in a name.
                name.end = month.end(1)
                name.words = (*name.words, month.group(1))
        out.append(name)
    return out


_DOMAIN = re.compile(r"\.(?:com|org|net|edu|gov|co\.uk|[a-z]{2})(?![\w.])")
_MONTH_SURNAME = re.compile(r" (May|June|April|August)\b(?![ \t]*[0-9])")


# Lowercase nouns that name what an organisation is, right before its name: "the retailer Tesco",
# "law firm Sidley Austin", "daily Nepszava".
ORGANISATION_NOUNS = frozenset(
    "company firm retailer group party newspaper daily weekly agency club band airline carrier bank "
    "lender insurer broadcaster chain supermarket operator publisher magazine tabloid charity union "
    "carmaker automaker conglomerate manufacturer maker studio label network website "
    # news-wire (issue 12, fourth round): "shipowners' association Syndarma", "brokerage Hoare Govett"
    "association federation organisation organization institute brokerage subsidiary partnership "
    "consortium cooperative utility syndicate".split()
)


def organisations_by_noun_before(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """A name right after a lowercase noun that says what an organisation is ("company Sophos",
    "the retailer Tesco") is an organisation, unless it opens with a known first name."""
    first_names = lexicon().first_names
    for name in names:
        if name.kind == "ORG" or name.words[0].lower() in first_names:
            continue
        before = document[max(name.start - 16, 0) : name.start]
        if before[-1:] not in (" ", "\t"):
            continue
        noun = before.rstrip().rpartition(" ")[2]
        if noun in ORGANISATION_NOUNS:
            name.kind = "ORG"
            name.evidence = f"after '{noun}'"
    return names


def organisations_by_pronoun(names: list[TaggedName]) -> list[TaggedName]:
    """A "person" the article calls "it" is an organisation ("Siemens said on Tuesday it would cut",
    "Tesco stated its intention"): GMB teaches that a lone name before "said" is a person.

    Not when the name starts with a known first name, nor for a surname of a person the article
    names in full ("Gardner" after "Cory Gardner").
    """
    if not any(name.pronoun == "it" and name.kind == "PER" for name in names):
        return names
    first_names = lexicon().first_names
    surnames = {name.words[-1] for name in names if name.kind == "PER" and len(name.words) > 1}
    for name in names:
        if (
            name.kind == "PER"
            and name.pronoun == "it"
            and name.words[0].lower() not in first_names
            and not (len(name.words) == 1 and name.words[0] in surnames)
        ):
            name.kind = "ORG"
            name.evidence = "the article calls it 'it' (tagger: person)"
    return names


# A team's player or staff named after it: "Feyenoord coach Arie Haan", "Pacers guard Sam Lee".
_TEAM_ROLE = re.compile(
    r"[ \t]+(?:assistant[ \t]+|head[ \t]+)?(?:coach|captain|skipper|manager|striker|midfielder|defender|"
    r"goalkeeper|keeper|forward|winger|guard|centre|center|fullback|full-back|halfback|half[ \t]+back|"
    r"playmaker|pitcher|quarterback|batsman|bowler|opener|player|team-mate|teammate|prop|hooker|"
    r"flanker|lock|fly-half|scrum-half|number[ \t]+eight)[ \t]+[A-Z]"
)
# Words before a team in a sports story: "against Rosenborg", "face Chelsea", "joined from Narbonne".
FACING_WORDS = frozenset("against face faces faced facing host hosts hosted visit visits visited".split())
FACING_PAIRS = frozenset(
    {
        "signed from",
        "joined from",
        "loan from",
        "loan to",
        "loan at",
        "move to",
        "moved to",
        "win over",
        "victory over",
        "defeat by",
        "defeat to",
        "draw with",
        "draw against",
    }
)


def _after_facing_word(document: str, start: int) -> bool:
    """Whether a facing word or pair ends right before `start`, one space between."""
    if document[start - 1 : start] != " ":
        return False
    space = document.rfind(" ", max(0, start - 16), start - 1)
    word = document[space + 1 : start - 1]
    if word in FACING_WORDS:
        return True
    if word not in _PAIR_ENDS or space < 1:
        return False
    before = document.rfind(" ", max(0, space - 12), space)
    return f"{document[before + 1 : space]} {word}" in FACING_PAIRS


_PAIR_ENDS = frozenset(pair.split()[1] for pair in FACING_PAIRS)


# A sports story: three or more of these words (counted with str.count: a regex over the whole
# text costs a sixth of the stage).
SPORT_WORDS = tuple(
    f" {word}"
    for word in "coach striker midfielder defender goalkeeper keeper match scored league tournament "
    "semi-final quarter-final season champions club fixture squad captain".split()
)


def _sports_story(document: str) -> bool:
    return sum(map(document.count, SPORT_WORDS)) >= 3


# Two sides of a match: "Ajax beat Feyenoord", "Leeds drew with Fulham", "a win over Brann".
_MATCH_VERB = re.compile(
    r"[ \t]+(?:beat|beats|defeated|defeat|defeats|edged|thrashed|overcame|routed|drew[ \t]+with|"
    r"draw[ \t]+with|lost[ \t]+to|lose[ \t]+to|loses[ \t]+to|tied[ \t]+with|knocked[ \t]+out)[ \t]+"
)


def teams_by_context(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """Teams named by sports context: a name before a player's or coach's role and a person
    ("Feyenoord coach Arie Haan"), the sides of a match verb ("Ajax beat Feyenoord"), and in a
    sports story (three sports words or more) a name after "against", "face", "joined from" and
    the like ("likely to face Chelsea"). GMB has
    almost no sport, so the tagger reads a lone club name as a person or a place.

    Every mention of the same spelling follows. Not for a person named with a first name or in
    full elsewhere ("Karel Novak beat Luis Ortega", "Novak beat Ortega" after their full names),
    nor for a spelling the tagger read as a person with a known first name.
    """
    if not names:
        return names
    surnames = {name.words[-1] for name in names if name.kind == "PER" and len(name.words) > 1}
    first_names = lexicon().first_names

    def team_like(name: TaggedName) -> bool:
        if name.kind == "PER" and (len(name.words) > 1 or name.words[0] in surnames):
            return False
        return name.words[0].lower() not in first_names and len(name.words) <= 3

    teams: set[tuple[str, ...]] = set()
    sport: bool | None = None  # decided on the first name after a facing word
    for name, after in zip(names, [*names[1:], None], strict=True):
        if not team_like(name):
            continue  # the cheap test first: most names are people named in full
        if name.kind != "ORG" and _after_facing_word(document, name.start):
            if sport is None:
                sport = _sports_story(document)
            if sport:
                teams.add(name.words)
        if _TEAM_ROLE.match(document, name.end):
            teams.add(name.words)
        if after is not None:
            verb = _MATCH_VERB.match(document, name.end)
            if verb and verb.end() == after.start and team_like(after):
                teams.update((name.words, after.words))
    if teams:
        for name in names:
            if name.words in teams and name.kind != "ORG":
                name.kind = "ORG"
                name.evidence = "a team by its sports context"
    return names


# Months as news-wire datelines and tables write them ("Jan 31", "Sept. 4", "31 Dec 1986").
MONTHS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july "
    "august september october november december".split()
)
_NUMBER_AFTER = re.compile(r"[ \t]*[0-9]")
_NUMBER_BEFORE = re.compile(r"[0-9][ \t]*\Z")


def drop_dates(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """A one-word "name" that is a month right beside a day or year number ("Jan 31", "Sept. 4",
    "31 Dec") is a date: GMB writes months in full and rarely abbreviated, so the tagger reads
    "Jan" as a first name or a place. A month word with a name after it ("Jan Kowalski") is no
    one-word name, so it stays."""
    return [
        name
        for name in names
        if len(name.words) > 1
        or name.words[0].lower().rstrip(".") not in MONTHS
        or not (
            _NUMBER_AFTER.match(document, name.end)
            or _NUMBER_BEFORE.search(document, max(name.start - 4, 0), name.start)
        )
    ]


def drop_lone_titles(names: list[TaggedName]) -> list[TaggedName]:
    """A title word alone ("Sir", "President") is no name: it is the person's, who follows or is
    named elsewhere."""
    titles = lexicon().titles
    return [name for name in names if len(name.words) > 1 or name.words[0].lower() not in titles]


def drop_countries(names: list[TaggedName], countries: Sequence[tuple[int, int]]) -> list[TaggedName]:
    """Names that are exactly (or inside) a country mention belong to the countries module."""
    if not countries:
        return names
    ordered = sorted(countries)
    starts = [start for start, _ in ordered]
    # The longest reach of any country span starting at or before each one (spans may nest).
    reach: list[int] = []
    for _, end in ordered:
        reach.append(max(end, reach[-1]) if reach else end)
    kept = []
    for name in names:
        last = bisect_right(starts, name.start) - 1
        if last < 0 or reach[last] < name.end:
            kept.append(name)
    return kept


def _fold_short_forms(names: list[TaggedName]) -> dict[int, str]:
    """Canonical text for surname-only mentions of a person named in full elsewhere ("Kowalski")."""
    full: dict[str, list[TaggedName]] = {}
    for name in names:
        if name.kind == "PER" and len(name.words) > 1:
            full.setdefault(name.words[-1].lower(), []).append(name)
    canonical: dict[int, str] = {}
    for number, name in enumerate(names):
        if name.kind != "PER" or len(name.words) != 1:
            continue
        longer = full.get(name.words[0].lower(), [])
        spellings = {" ".join(other.words) for other in longer}
        if len(spellings) == 1:  # an ambiguous surname (two Kowalskis) stays as written
            canonical[number] = spellings.pop()
    return canonical


def find_names(
    document: str,
    sentences: Sequence[Sentence],
    exclude: Sequence[tuple[int, int]] = (),
    fold: bool = False,
    places: Sequence[tuple[int, int, str]] = (),
    explain: bool = True,
) -> list[EntityMention]:
    """People, organisations, places and other names in `document`, sorted by start offset.

    `exclude` holds the country mentions' spans: a name that is one of them is the countries
    module's. `places` may give the same mentions with their rule (name/alias/demonym/capital/city),
    which lets a demonym lead an organisation's name and a city name a club. With `fold`, a surname
    alone is counted under the person's full name. Each mention's `cue` says how its kind was
    decided: the model's margin and, with `explain`, the features that weighed most (which costs
    a fifth of the stage, so the analysis leaves it to `--explain`, see core.corpus.export).
    """
    countries = {*exclude, *((a, b) for a, b, _ in places)}
    names = repair(document, sentences, tag_names(document, sentences, explain=explain, skip=countries))
    names = organisations_by_pronoun(trim_name_openers(document, names))
    names = organisations_by_noun_before(document, names)
    if places:
        names = cut_demonyms(document, join_place_names(document, sentences, names, places), places)
    names = join_broken_names(document, split_coordinated_organisations(document, names), places)
    names = company_short_forms(document, sentences, company_names(document, sentences, names), places)
    names = people_by_office(document, organisation_name_runs(document, sentences, names, places))
    names = lineup_lists(document, sentences, names, countries)
    names = organisation_short_forms(people_by_name_parts(events_are_other(names)))
    names = drop_lone_titles(drop_speaker_labels(document, drop_headings(document, names)))
    names = drop_dates(document, names)
    names = drop_countries(consistent(names), list(countries))
    names = teams_by_context(document, names)
    canonical = _fold_short_forms(names) if fold else {}
    mentions = []
    for number, name in enumerate(names):
        surface = document[name.start : name.end]
        text = canonical.get(number) or " ".join(surface.split())
        kind = KIND_NAMES[name.kind]
        how = f"model {kind}, margin {name.margin:.1f}" + (f"; {name.evidence}" if name.evidence else "")
        mentions.append(EntityMention(text, surface, name.start, name.end, name.sentence, kind, how))
    return mentions


_TITLE_SURNAME = re.compile(r"[ \t]([A-Z][a-z]+)\b(?![ \t]+(?:[A-Z]|of\b|for\b))")
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")


# A player's role, which leads a one-word name at a sentence start too ("Midfielder Edu scored").
SPORT_ROLES = frozenset(
    "coach captain skipper manager striker midfielder defender goalkeeper keeper forward winger "
    "fullback full-back playmaker pitcher quarterback batsman bowler prop hooker flanker fly-half "
    "scrum-half".split()
)
# Job words that lead a person's name at a sentence start ("Midfielder Tomasz Lis scored").
_AGENT_ENDINGS = ("er", "or", "ist", "ant", "ent", "man", "woman", "ian", "eeper")


def _descriptor(
    document: str, sentences: Sequence[Sentence], name: TaggedName, first_names: frozenset[str]
) -> bool:
    """Whether the name's first word is a job word capitalised only because it starts the sentence."""
    word = name.words[0]
    if len(name.words) == 2 and word.lower() in SPORT_ROLES:
        pass  # "Midfielder Edu": a player's role, however short the name after it
    elif len(name.words) < 3 or word.lower() in first_names or not word.lower().endswith(_AGENT_ENDINGS):
        return False
    if name.sentence >= len(sentences) or any(
        ch.isalnum() for ch in document[sentences[name.sentence].start : name.start]
    ):
        return False
    return re.search(rf"(?<=[a-z,;] ){re.escape(word)}\b", document) is None  # never capitalised mid-sentence


def repair(document: str, sentences: Sequence[Sentence], names: list[TaggedName]) -> list[TaggedName]:
    """Readings the training data teaches badly.

    A name ending in a company's legal form ("Hoechst AG", "Vodafone Plc") is an organisation,
    whatever its first word suggested.

    A descriptor at a sentence start ("Midfielder Tomasz Lis"): a job word, capitalised only
    there, is not part of the person's name.

    An organisation word then a first name ("Civil House José Dirceu"): an organisation and then a
    person, since GMB rarely writes the two side by side without a title between.

    A surname that is a title word ("Arthur Bishop said"): GMB's people never end in a title, so
    the tagger stops before it; a title word right after a person, with no name after it, is his
    surname. A dotted acronym ("I.A.E.A.") the tagger calls "other" is an organisation: GMB
    writes few, and those it writes are mostly agencies (places like "U.S." are countries).
    """
    lex = lexicon()
    titles = lex.titles
    names = [part for name in names for part in _split_at_first_name(document, name, lex)]
    for name in names:
        if name.kind == "PER" and _descriptor(document, sentences, name, lex.first_names):
            cut = re.match(r"\S+\s+", document[name.start : name.end])
            if cut:
                name.start += cut.end()
                name.words = name.words[1:]
                name.evidence = (name.evidence + "; " if name.evidence else "") + "descriptor cut"
        if name.kind == "PER":
            match = _TITLE_SURNAME.match(document, name.end)
            if match and match.group(1).lower() in titles:
                name.end = match.end(1)
                name.words = (*name.words, match.group(1))
                name.evidence = (name.evidence + "; " if name.evidence else "") + "title word as surname"
        tail = name.words[-1].lower().replace(".", "")  # "S.A." as "sa"
        if name.kind != "ORG" and len(name.words) > 1 and tail in lex.org_tails:
            name.kind = "ORG"
            name.evidence = f"company suffix {name.words[-1]}"
        elif name.kind == "MISC" and len(name.words) == 1 and _DOTTED.fullmatch(name.words[0]):
            name.kind = "ORG"
            name.evidence = "dotted acronym"
    names = _teams_in_lines(document, sentences, names)
    return _drop_leading_descriptors(document, sentences, names)


def _table_openers(document: str) -> list[tuple[int, int]]:
    """Spans of the names that open the rows of a standings table ("Brann 6 4 1 1 11 6 13"). Not a
    name that opens with a known first name or an initial (an athletes' table)."""
    # A row ends in a number: lines that do not (all of them in most articles) skip the pattern.
    if not any(line.rstrip(" \t")[-1:].isdigit() for line in document.split("\n")):
        return []
    lex = lexicon()
    openers: list[tuple[int, int]] = []
    for match in _TABLE_ROW.finditer(document):
        start, end = match.span(1)
        opener = document[start:end].split()[0]
        if opener.lower() in lex.skippable or opener.lower() in lex.first_names or _INITIAL.match(opener):
            continue
        openers.append((start, end))
    return openers


# A results line: side, score, side, score ("Leeds 2 Fulham 1", "Real Madrid 3, Getafe 0"); a side
# is one to three capitalised words.
_SIDE = r"[A-Z][\w'’.&-]*(?:[ \t]+[A-Z][\w'’.&-]*){0,2}"
_SCORE = r"[ \t]+[0-9]{1,3}"
_RESULT = re.compile(rf"({_SIDE}){_SCORE}[ \t]*[,;]?[ \t]*({_SIDE}){_SCORE}(?![\w.:/-]?[0-9])")
_INITIAL = re.compile(r"[A-Z]\.")
# A score then a capital: the cheap test that a results line may be there at all.
_SCORE_THEN_SIDE = re.compile(r"[0-9][ \t]*[,;]?[ \t]*[A-Z]")
# A standings row: a side, then four or more numbers to the end of the line ("Brann 6 4 1 1 11 6 13").
_TABLE_ROW = re.compile(rf"(?m)^[ \t]*({_SIDE})((?:[ \t]+[0-9]{{1,3}}){{4,}})[ \t]*$")


def _results(document: str) -> list[re.Match[str]]:
    """The results-line matches, looked for only around a score then a capital (whole-text scans of
    the full pattern cost more than the rest of the repairs together)."""
    found: list[re.Match[str]] = []
    scanned = 0
    for hit in _SCORE_THEN_SIDE.finditer(document):
        if hit.start() < scanned:
            continue
        line_start = document.rfind("\n", 0, hit.start()) + 1
        line_end = document.find("\n", hit.end())
        line_end = len(document) if line_end < 0 else line_end
        if line_end - line_start <= 400:  # a line of a table or list: all of it
            start, end = max(line_start, scanned), line_end
        else:  # prose: around the hit
            start = max(line_start, hit.start() - 80, scanned)
            if start > line_start:  # begin at a word, not inside one
                start = document.find(" ", start, hit.start()) + 1 or hit.start()
            end = min(line_end, hit.end() + 80)
        found.extend(_RESULT.finditer(document, start, end))
        scanned = end
    return found


def _result_sides(document: str) -> list[tuple[int, int]]:
    """Spans of the two sides of each results line. Not dates ("June 12, July 14") nor a
    scorecard's batsmen ("D. Byas 88, M. Vaughan 54")."""
    skippable = lexicon().skippable
    sides: list[tuple[int, int]] = []
    for match in _results(document):
        if match.group(1).split()[0].lower() in skippable or match.group(2).split()[0].lower() in skippable:
            continue
        if _INITIAL.match(match.group(1)) or _INITIAL.match(match.group(2)):
            continue
        sides += (match.span(1), match.span(2))
    return sides


def _teams_in_lines(
    document: str, sentences: Sequence[Sentence], names: list[TaggedName]
) -> list[TaggedName]:
    """The sides of a results line and the name that opens a row of a standings table are teams:
    organisations, whether the tagger found them or not.

    GMB has almost no sport, so the tagger reads a lone club name as a person or a place, or misses
    it in a line of names and numbers. Both kinds of line give spans of team names, handled in one
    pass: a name the tagger found there becomes an organisation, and a span that overlaps no name
    is added as one.
    """
    teams = [(span, "a side in a results line") for span in _result_sides(document)]
    teams += [(span, "a row of a standings table") for span in _table_openers(document)]
    if not teams:
        return names
    by_span = {(name.start, name.end): name for name in names}
    starts = [sentence.start for sentence in sentences]
    added: list[TaggedName] = []
    for (start, end), evidence in teams:
        name = by_span.get((start, end))
        if name is not None:
            if name.kind != "ORG":
                name.kind = "ORG"
                name.evidence = evidence
        elif not any(n.start < end and start < n.end for n in (*names, *added)):
            sentence = sentences[max(bisect_right(starts, start) - 1, 0)].index if sentences else 0
            words = tuple(document[start:end].split())
            team = TaggedName(start, end, sentence, "ORG", 1.0, words, evidence)
            by_span[start, end] = team
            added.append(team)
    if added:
        names = sorted([*names, *added], key=lambda name: name.start)
    return names


def _drop_leading_descriptors(
    document: str, sentences: Sequence[Sentence], names: list[TaggedName]
) -> list[TaggedName]:
    """A one-word "name" that opens a sentence right before a person ("Defender Ana Lis"): a job
    word capitalised by its place, when the article never capitalises it mid-sentence."""
    common = common_words()
    first_names = lexicon().first_names
    drop: set[int] = set()
    for number, (name, after) in enumerate(pairwise(names)):
        if (
            name.kind != "PER"
            and after.kind == "PER"
            and len(name.words) == 1
            and (name.words[0].lower() in common or name.words[0].lower().endswith(_AGENT_ENDINGS))
            and name.words[0].lower() not in first_names
            and document[name.end : after.start] == " "
            and name.sentence < len(sentences)
            and not any(ch.isalnum() for ch in document[sentences[name.sentence].start : name.start])
            and re.search(rf"(?<=[a-z,;] ){re.escape(name.words[0])}\b", document) is None
        ):
            drop.add(number)
    return [name for number, name in enumerate(names) if number not in drop] if drop else names


def _split_at_first_name(document: str, name: TaggedName, lex: Lexicon) -> list[TaggedName]:
    words = name.words
    if name.kind not in ("ORG", "PER") or len(words) < 3:
        return [name]
    for cut in range(1, len(words) - 1):
        if words[cut].lower() in lex.first_names and words[cut - 1].lower() in lex.org_heads:
            break
    else:
        return [name]
    starts = []
    position = name.start
    for word in words:
        position = document.find(word, position)
        starts.append(position)
        position += len(word)
    organisation = TaggedName(
        name.start,
        starts[cut - 1] + len(words[cut - 1]),
        name.sentence,
        "ORG",
        name.margin,
        words[:cut],
        "organisation word, then a first name",
    )
    person = TaggedName(
        starts[cut],
        name.end,
        name.sentence,
        "PER",
        name.margin,
        words[cut:],
        "first name after an organisation",
    )
    return [organisation, person]


# "Group C", "Pool 2", "Table 3": a heading word with a letter or number is a label, not a name.
HEADING_WORDS = frozenset(
    {
        "group",
        "pool",
        "section",
        "table",
        "division",
        "part",
        "round",
        "stage",
        "phase",
        "zone",
        "grade",
        "class",
        "category",
        "chapter",
        "figure",
        "level",
        "block",
        "sector",
        "gate",
        "heat",
        "conference",
        "league",
        "tier",
        "appendix",
        "annex",
        "article",
        "clause",
        "item",
        "week",
        "day",
    }
)
_LABEL = re.compile(r"[A-Z]|\d+|[IVX]+")
_LABEL_AFTER = re.compile(r"[ \t]+([A-Z]|\d+|[IVX]+)\b")
_WORD_BEFORE_LABEL = re.compile(r"([A-Za-z]+)[ \t]+\Z")


def drop_headings(document: str, names: list[TaggedName]) -> list[TaggedName]:
    kept = []
    for name in names:
        words = name.words
        if words[0].lower() in HEADING_WORDS and (
            (len(words) == 2 and _LABEL.fullmatch(words[1]))
            or (len(words) == 1 and _LABEL_AFTER.match(document, name.end))
        ):
            continue
        # The label alone, its heading word untagged ("Pool" then "B").
        if len(words) == 1 and (words[0].isupper() or words[0].isdecimal()) and _LABEL.fullmatch(words[0]):
            before = _WORD_BEFORE_LABEL.search(document, max(0, name.start - 20), name.start)
            if before and before.group(1).lower() in HEADING_WORDS:
                continue
        kept.append(name)
    return kept


# A transcript's speaker label at a line start: "((WN)) Why…", "NG: We…", "[Q] …".
_SPEAKER_LABEL = re.compile(
    r"(?m)^[ \t]*(?:"
    r"\(\(\s*([^()\n]{1,30}?)\s*\)\)"  # ((WN))
    r"|\[([^\[\]\n]{1,30})\]"  # [Q]
    r"|([^\s:()\[\]][^:\n]{0,29}):)"  # NG:
)


def speaker_labels(document: str) -> list[tuple[int, int]]:
    """Spans of the speaker labels of an interview: a label that opens at least two lines.

    The speaker is not named there but marked, once per turn; counting each turn as a mention
    would put an interviewer's initials ("WN") at the top of the organisations.
    """
    if "\n" not in document:
        return []  # one line opens no second turn
    found: dict[str, list[tuple[int, int]]] = {}
    # The pattern opens at a line start: tried at each one (as finditer would, a match's lines
    # skipped), not at every character.
    start = reached = 0
    while start >= 0:
        match = _SPEAKER_LABEL.match(document, start) if start >= reached else None
        if match is not None:
            reached = match.end()
            group = next(g for g in (1, 2, 3) if match.group(g) is not None)
            found.setdefault(match.group(group), []).append((match.start(group), match.end(group)))
        start = document.find("\n", start)
        if start >= 0:
            start += 1
    return [span for spans in found.values() if len(spans) >= 2 for span in spans]


def drop_speaker_labels(document: str, names: list[TaggedName]) -> list[TaggedName]:
    labels = speaker_labels(document)
    if not labels:
        return names
    return [n for n in names if not any(start <= n.start and n.end <= end for start, end in labels)]


# Words that make a city's name a sports club's: "Dynamo Kyiv", "Leeds United".
CLUB_BEFORE = frozenset(
    {
        "real",
        "inter",
        "atletico",
        "atlético",
        "athletic",
        "sporting",
        "dynamo",
        "dinamo",
        "spartak",
        "lokomotiv",
        "cska",
        "olympique",
        "racing",
        "borussia",
        "bayer",
        "fc",
        "ac",
        "as",
        "sc",
        "sv",
        "vfb",
        "vfl",
        "hertha",
        "eintracht",
        "partizan",
        "slavia",
        "sparta",
        "legia",
        "lazio",
        "hapoel",
        "maccabi",
        "red",
        "young",
        "queens",
        "glasgow",
        "hamburg",
        "werder",
    }
)
CLUB_AFTER = frozenset(
    {
        "united",
        "city",
        "rovers",
        "wanderers",
        "athletic",
        "albion",
        "town",
        "county",
        "fc",
        "afc",
        "hotspur",
        "villa",
        "rangers",
        "celtic",
        "wednesday",
        "argyle",
        "orient",
        "forest",
        "palace",
        "thistle",
        "academicals",
        "sc",
        "cf",
        "bulls",
        "giants",
        "lions",
        "tigers",
        "kings",
        "knights",
        "stars",
        "blues",
        "reds",
        "capitals",
        "nationals",
        "senators",
        "bears",
        "eagles",
        "jets",
        "raiders",
        "dolphins",
        "chiefs",
        "packers",
        "yankees",
        "mets",
        "dodgers",
        "cubs",
        "pirates",
        "cardinals",
        "braves",
        "rockets",
        "lakers",
        "celtics",
        "knicks",
        "bruins",
        "flyers",
        "penguins",
        "steelers",
        "patriots",
        "cowboys",
    }
)
_WORD_BEFORE = re.compile(r"([A-Z][\w'’.-]*)[ \t]+\Z")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w'’-]*)")


def join_place_names(
    document: str,
    sentences: Sequence[Sentence],
    names: list[TaggedName],
    places: Sequence[tuple[int, int, str]],
) -> list[TaggedName]:
    """Organisations whose names hold a place: "Iraqi National Congress" (a demonym then an
    organisation), a country then an organisation ("United States Senate") and clubs named
    after their city ("Dynamo Kyiv", "Leeds United")."""
    heads = lexicon().org_heads
    by_start = {name.start: name for name in names}
    by_end = {name.end: name for name in names}
    merged: list[tuple[int, int]] = []  # spans of the new organisation names
    for start, end, how in places:
        if how == "demonym":
            # The demonym, any other name words, then an organisation: one organisation.
            cursor = end
            chain_end = -1
            while True:
                follower = by_start.get(cursor + 1)
                if follower is None or document[cursor : cursor + 1] != " ":
                    break
                cursor = follower.end
                if follower.kind == "ORG":
                    chain_end = cursor
                    break
                if follower.kind == "PER":
                    break
            if chain_end > 0:
                merged.append((start, chain_end))
        elif how in ("name", "alias"):
            # A country then an organisation with an organisation word: one organisation
            # ("United States Department of Justice", "US Supreme Court").
            follower = by_start.get(end + 1)
            if (
                follower is not None
                and follower.kind == "ORG"
                and document[end : end + 1] == " "
                and any(word.lower() in heads for word in follower.words)
            ):
                merged.append((start, follower.end))
        elif how in ("city", "capital"):
            before = _WORD_BEFORE.search(document, max(0, start - 40), start)
            after = _WORD_AFTER.match(document, end)
            left = start
            right = end
            if before and before.group(1).lower() in CLUB_BEFORE:
                left = before.start(1)
                tagged = by_end.get(left + len(before.group(1)))
                if tagged is not None:
                    left = tagged.start
            if after and after.group(1).lower() in CLUB_AFTER:
                right = after.end(1)
                tagged = by_start.get(after.start(1))
                if tagged is not None:
                    right = max(right, tagged.end)
            if (left, right) != (start, end):
                merged.append((left, right))
    if not merged:
        return names
    kept = [name for name in names if not any(a <= name.start and name.end <= b for a, b in merged)]
    starts = [sentence.start for sentence in sentences]
    for start, end in merged:
        sentence = sentences[max(bisect_right(starts, start) - 1, 0)].index
        words = tuple(document[start:end].split())
        kept.append(TaggedName(start, end, sentence, "ORG", 1.0, words, "place word inside a name"))
    kept.sort(key=lambda name: name.start)
    return kept


_ORGANISATION_WORDS: list[tuple[Lexicon, frozenset[str]]] = []


def _organisation_words(lex: Lexicon) -> frozenset[str]:
    """Organisation words and legal forms together (built once per cue lists)."""
    if not _ORGANISATION_WORDS or _ORGANISATION_WORDS[0][0] is not lex:
        _ORGANISATION_WORDS[:] = [(lex, lex.org_heads | lex.org_tails)]
    return _ORGANISATION_WORDS[0][1]


def split_coordinated_organisations(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """Two organisations joined by "and" that the tagger read as one ("Hongkong Bank and Hang Seng
    Bank", "Dresdner Bank AG and Commerzbank AG"): split when the words before "and" end in an
    organisation word or legal form and so does the whole name. Not "Hongkong and Shanghai Banking
    Corp", "Ways and Means Committee" (no organisation word before "and")."""
    lex = lexicon()
    words = _organisation_words(lex)
    out: list[TaggedName] = []
    for name in names:
        parts = name.words
        cut = parts.index("and") if "and" in parts else -1
        if (
            name.kind != "ORG"
            or cut < 1
            or cut >= len(parts) - 1
            or parts[cut - 1].lower().rstrip(".") not in words
            or parts[-1].lower().rstrip(".") not in words
            or not parts[cut + 1][:1].isupper()
        ):
            out.append(name)
            continue
        middle = _AND_WORD.search(document, name.start, name.end)
        if middle is None:
            out.append(name)
            continue
        left = TaggedName(name.start, middle.start(), name.sentence, "ORG", name.margin, parts[:cut])
        right = TaggedName(middle.end(), name.end, name.sentence, "ORG", name.margin, parts[cut + 1 :])
        left.evidence = right.evidence = "two organisations joined by 'and'"
        out += (left, right)
    return out


_AND_WORD = re.compile(r"\s+and\s+")


def cut_demonyms(
    document: str, names: list[TaggedName], places: Sequence[tuple[int, int, str]]
) -> list[TaggedName]:
    """A demonym the tagger read into a person's name is no part of it ("Dutchman Patrick van
    Balkom", "Spaniard Jose Ruiz"): GMB writes "Dutch" before names, rarely "Dutchman"."""
    demonyms = {start: end for start, end, how in places if how == "demonym"}
    if not demonyms:
        return names
    for name in names:
        end = demonyms.get(name.start)
        if name.kind == "PER" and end is not None and len(name.words) > 1 and end < name.end:
            rest = document[end : name.end]
            name.start = end + len(rest) - len(rest.lstrip())
            name.words = tuple(document[name.start : name.end].split())
            name.evidence = (name.evidence + "; " if name.evidence else "") + "demonym cut"
    return names


def join_broken_names(
    document: str, names: list[TaggedName], places: Sequence[tuple[int, int, str]]
) -> list[TaggedName]:
    """Mend names the tagger cut in two at a word it rarely sees inside a name.

    An organisation that ends in a connector ("Times of", "Bank for") runs on over the place after
    it ("Times of Zambia"), or loses the dangling connector when no place follows. A company's
    legal form tagged on its own ("Cipriani" + "S.A.") joins the name before it, and so does a name
    that ends in an organisation word right after another ("Ford" + "Motor Company"). One unknown
    word read as an organisation right before a person is the person's first name.
    """
    lex = lexicon()
    tails, heads, first_names = lex.org_tails, lex.org_heads, lex.first_names
    organisation_words = _organisation_words(lex)
    common = common_words()
    places_at = {start: end for start, end, _ in places}
    out: list[TaggedName] = []
    for name in names:
        last = name.words[-1]
        if name.kind == "ORG" and len(name.words) > 1 and last in CONNECTORS:
            after = places_at.get(name.end + 1)
            if after is not None and document[name.end : name.end + 1] == " ":
                name.end = after
                name.words = tuple(document[name.start : name.end].split())
                name.evidence = "organisation name runs over a place"
            else:
                while len(name.words) > 1 and name.words[-1] in CONNECTORS:
                    end = name.end - len(name.words[-1])
                    while end > name.start and document[end - 1].isspace():
                        end -= 1
                    name.end = end
                    name.words = name.words[:-1]
        # A name the tagger cut before the organisation word that ends it ("Ford" + "Motor
        # Company"): one organisation; cut twice, it is mended twice ("Diamond" + "Shamrock" + "Corp").
        joined = False
        ends_in_word = name.words[-1].lower().rstrip(".").replace(".", "") in organisation_words
        while ends_in_word and out and _cut_before_organisation_word(document, out[-1], name, first_names):
            before = out.pop()
            before.end = name.end
            before.words = (*before.words, *name.words)
            before.kind = "ORG"
            before.evidence = f"organisation word {name.words[-1]} ends it"
            name, joined = before, True
        if joined:
            out.append(name)
            continue
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.kind == "ORG"
            and name.kind == "PER"
            and len(previous.words) == 1
            and document[previous.end : name.start] == " "
            and previous.words[0].istitle()
            and previous.words[0].lower() not in heads
            and previous.words[0].lower() not in common
            and previous.words[0].lower() not in lex.titles
            and (name.words[0].lower() not in first_names or len(name.words) == 1)
        ):
            # One unknown word read as an organisation right before a person's name ("Radek" +
            # "Wisniewski", "Thierry" + "Henry"): the person's first name, when it has no
            # organisation cue.
            previous.end = name.end
            previous.words = (*previous.words, *name.words)
            previous.kind = "PER"
            previous.evidence = "a word before a person's name"
            continue
        if (
            previous is not None
            and previous.kind in ("ORG", "PER")
            and len(name.words) == 1
            and last.lower().replace(".", "") in tails
            and _AND_BETWEEN.fullmatch(document, previous.end, name.start)
        ):
            # A partnership's legal form after "and" / "&" ("Touche Ross and Co"): one organisation.
            previous.end = name.end
            previous.words = tuple(document[previous.start : name.end].split())
            previous.kind = "ORG"
            previous.evidence = f"company suffix and {last}"
            continue
        if (
            previous is not None
            and len(name.words) == 1
            and previous.end + 1 == name.start
            and last.lower().replace(".", "") in tails
            and document[previous.end] == " "
        ):
            previous.end = name.end
            previous.words = (*previous.words, last)
            previous.kind = "ORG"
            previous.evidence = f"company suffix {last}"
            continue
        out.append(name)
    return out


def _cut_before_organisation_word(
    document: str, previous: TaggedName, name: TaggedName, first_names: Set[str]
) -> bool:
    """Whether `name`, which ends in an organisation word or legal form, continues `previous`."""
    lex = lexicon()
    return (
        previous.kind in ("ORG", "PER")
        and name.kind in ("ORG", "PER")
        and document[previous.end : name.start] == " "
        and len(previous.words) + len(name.words) <= 6
        and previous.words[-1].lower() not in lex.org_heads
        and previous.words[-1].lower() not in lex.org_tails
        and name.words[0].lower() not in first_names
    )


_AND_BETWEEN = re.compile(r"\s+(?:and|&)\s+")
# An initial: "J", "J.", "J-P" (line-ups and results write players so).
_INITIAL_WORD = re.compile(r"[A-Z](?:-[A-Z])?\.?")

# Words that end the name of an event or competition, which is "other", not an organisation or a
# person ("Davis Cup", "US Open", "European Indoor Championships"; CoNLL-style sets call them MISC).
EVENT_TAILS = frozenset(
    "open cup cups championship championships tournament trophy games olympics olympiad marathon "
    "prix masters".split()
)


def events_are_other(names: list[TaggedName]) -> list[TaggedName]:
    """A name of two words or more that ends in an event word is an event ("Davis Cup", "French
    Open"): GMB has few sports events, so the tagger reads them as organisations or people."""
    for name in names:
        if name.kind in ("ORG", "PER") and len(name.words) > 1 and name.words[-1].lower() in EVENT_TAILS:
            name.kind = "MISC"
            name.evidence = f"an event: ends in '{name.words[-1]}'"
    return names


# First names that also open places' and longer names ("Abu Ghraib", "Abu Dhabi").
_NAME_PREFIXES = frozenset({"abu"})


def people_by_name_parts(names: list[TaggedName]) -> list[TaggedName]:
    """Two- or three-word names the tagger read as an organisation or a place though their parts say
    person: the last word is written alone as a person elsewhere in the article ("Jens Lehmann" and
    "Lehmann said"), or the name is a known first name then a surname ("Jens Lehmann").

    Not when a word is an organisation, event or title word, the last word is a common English word
    ("Jordan Valley") or has no lowercase letter ("Pius XI"), nor for the start of a longer
    organisation in the article ("K Mart" beside "K Mart Corp").
    """
    candidates = [name for name in names if name.kind != "PER" and 2 <= len(name.words) <= 3]
    if not candidates:
        return names
    lex = lexicon()
    heads, tails, first_names, titles = lex.org_heads, lex.org_tails, lex.first_names, lex.titles
    common = common_words()
    alone = {name.words[0] for name in names if name.kind == "PER" and len(name.words) == 1}
    organisations = [name.words for name in names if name.kind == "ORG" and len(name.words) > 2]
    for name in candidates:
        lowers = [word.lower().replace(".", "") for word in name.words]
        last = name.words[-1]
        if (
            not last[:1].isupper()
            or not any(ch.islower() for ch in last)  # "XI", "U.S"
            or lowers[-1] in common
            or any(w in heads or w in tails or w in EVENT_TAILS or w in titles for w in lowers)
            or any(words[: len(name.words)] == name.words for words in organisations)
        ):
            continue
        if last in alone and not any(w in common for w in lowers):
            evidence = f"'{last}' is a person alone in the article"
        elif len(name.words) == 2 and lowers[0] in first_names and lowers[0] not in _NAME_PREFIXES:
            evidence = f"first name {name.words[0]} then a surname"
        else:
            continue
        name.evidence = f"{evidence} (tagger: {KIND_NAMES[name.kind]})"
        name.kind = "PER"
    return names


def organisation_short_forms(names: list[TaggedName]) -> list[TaggedName]:
    """A name that is the first words of an organisation named in full in the article, one that ends
    in an organisation word or a legal form, is that organisation's short form ("Hang Seng" after
    "Hang Seng Bank Ltd", "Diamond Shamrock" after "Diamond Shamrock Corp") when the tagger read it
    as a person or "other"; not a place ("Melbourne City" beside "Melbourne City Council")."""
    lex = lexicon()
    words = _organisation_words(lex)
    # In text order (a dict, not a set): a short form of two full names is the first one's,
    # whatever the string hashes of the run (a set's order made the evidence differ run to run).
    full = dict.fromkeys(
        name.words
        for name in names
        if name.kind == "ORG" and len(name.words) > 1 and name.words[-1].lower().rstrip(".") in words
    )
    if not full:
        return names
    prefixes: dict[tuple[str, ...], tuple[str, ...]] = {}
    for form in full:
        for cut in range(1, len(form)):
            prefixes.setdefault(form[:cut], form)
    for name in names:
        short_of = prefixes.get(name.words)
        if name.kind in ("PER", "MISC") and short_of is not None:
            name.evidence = f"short form of {' '.join(short_of)} (tagger: {KIND_NAMES[name.kind]})"
            name.kind = "ORG"
    return names


# A line-up: players (a surname, a name, or an initial and a surname, with an optional "(capt)" or
# "(Club)" after it) separated by commas and semicolons, as sports reports list teams:
# "Leeds: Balshaw; Rees, Christophers, Bell, Doherty; McMullen, Dickens; ...".
_PLAYER = (
    r"(?:[A-Z](?:-[A-Z])?\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?"
    r"(?:[ \t]+\([ \t]*[A-Za-z][\w'’ -]{0,20}\))?"
)
_LINEUP = re.compile(rf"(?<![\w'’.-])(?:{_PLAYER})(?:[ \t]*[;,][ \t]*(?:{_PLAYER})){{3,}}(?![\w'’-])")
_LINEUP_PLAYER = re.compile(
    r"((?:[A-Z](?:-[A-Z])?\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)(?:[ \t]+\(([^()]*)\))?"
)
_LINEUP_LABEL = re.compile(r"([A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})[ \t]*:[ \t]*\Z")
# A line-up has a ";" or a label's ":" before a capital, or a player written with an initial after a
# comma ("W Servat, O Milloud"); only the lines with one are searched.
_LINEUP_HINTS = (
    re.compile(r";[ \t]*[A-Z]"),
    re.compile(r":[ \t]*[A-Z]"),
    re.compile(r",[ \t]*[A-Z](?:-[A-Z])?\.?[ \t]+[A-Z]"),
)


def _lineups(document: str, hints: list[re.Match[str]]) -> list[re.Match[str]]:
    """The line-ups through the hints: each tried from the capitals up to 80 characters before its
    hint, anchored (a whole-line search costs as much as the rest of the repairs)."""
    found: list[re.Match[str]] = []
    scanned = 0
    for hint in hints:
        if hint.start() < scanned:
            continue
        line_end = document.find("\n", hint.end())
        line_end = len(document) if line_end < 0 else line_end
        low = max(document.rfind("\n", 0, hint.start()) + 1, scanned, hint.start() - 80)
        for capital in _CAPITAL.finditer(document, low, hint.end()):
            match = _LINEUP.match(document, capital.start(), line_end)
            if match and match.end() > hint.start():
                found.append(match)
                scanned = match.end()
                break
    return found


_CAPITAL = re.compile(r"(?<![\w'’.-])[A-Z]")


# What a line-up writes in brackets after a player that is not his club.
_LINEUP_NOTES = frozenset({"capt", "captain", "c", "wk", "gk", "vc"})
# Labels of a line-up that are no team ("Replacements: Kalman, Regan, ...").
_LINEUP_LABELS = frozenset(
    "replacements replacement subs substitutes substitute reserves bench squad team teams scorers "
    "referee umpire umpires officials".split()
)


def lineup_lists(
    document: str,
    sentences: Sequence[Sentence],
    names: list[TaggedName],
    countries: Set[tuple[int, int]],
) -> list[TaggedName]:
    """Players in a team line-up are people; the team named before it ("Leeds:") and a club in
    brackets after a player are organisations.

    A line-up is four or more players separated by commas and semicolons, with a semicolon among
    the separators, or after a label and a colon ("Replacements: Kalman, Regan, ..."), or with every
    player written as an initial and a surname ("W Servat, O Milloud, ..."). GMB has no line-ups, so
    the tagger reads a run of surnames as anything or nothing. A player that is a country, or whose
    last word is a function, calendar, title, organisation or event word, is left as the tagger
    read it; a label that is a common English word or names a list ("Replacements") is no team.
    """
    # Patterns that each open with one character: scanned fast (a character class or an alternation
    # at the start is tried at every position).
    hints = sorted(
        (hint for pattern in _LINEUP_HINTS for hint in pattern.finditer(document)), key=re.Match.start
    )
    if not hints:
        return names  # the cheap test: few articles have ";" or ":" before a capital, or ", J Lis"
    lex = lexicon()
    common = common_words()
    skip = lex.org_heads | lex.org_tails | EVENT_TAILS | lex.skippable | lex.titles
    found: list[tuple[int, int, str]] = []
    for match in _lineups(document, hints):
        players = list(_LINEUP_PLAYER.finditer(document, match.start(), match.end()))
        label = _LINEUP_LABEL.search(document, max(0, match.start() - 40), match.start())
        if not (
            ";" in match.group(0)
            or label
            or all(_INITIAL_WORD.fullmatch(player.group(1).split()[0]) for player in players)
        ):
            continue
        if (
            label
            and label.span(1) not in countries
            and not any(
                w.lower() in common or w.lower() in skip or w.lower() in _LINEUP_LABELS
                for w in label.group(1).split()
            )
        ):
            found.append((*label.span(1), "ORG"))
        for player in players:
            if player.group(1).split()[-1].lower().rstrip(".") in skip or player.span(1) in countries:
                continue
            found.append((*player.span(1), "PER"))
            note = (player.group(2) or "").strip()
            club = note and note.lower() not in _LINEUP_NOTES and note[:1].isupper()
            inside = player.start(2) + player.group(2).index(note) if club else 0
            if club and (inside, inside + len(note)) not in countries:
                found.append((inside, inside + len(note), "ORG"))
    if not found:
        return names
    kept = [n for n in names if not any(a < n.end and n.start < b for a, b, _ in found)]
    starts = [sentence.start for sentence in sentences]
    for start, end, kind in found:
        sentence = sentences[max(bisect_right(starts, start) - 1, 0)].index if sentences else 0
        words = tuple(document[start:end].split())
        kept.append(TaggedName(start, end, sentence, kind, 1.0, words, "a line-up"))
    kept.sort(key=lambda name: name.start)
    return kept


def inside_club_names(places: Sequence[tuple[int, int, str]], mentions: Sequence[EntityMention]) -> set[int]:
    """Indices of city/capital place mentions that are part of an organisation's name ("Real Madrid").

    `places` holds (start, end, how) of each country mention: a club or company named after a city
    is not a mention of the city's country. Country names and demonyms inside a name ("Iraqi
    National Congress") still say which country the organisation belongs to, so they stay.
    """
    organisations = [(m.start, m.end) for m in mentions if m.kind == "organisation"]
    if not organisations:
        return set()
    return {
        number
        for number, (start, end, how) in enumerate(places)
        if how in ("city", "capital")
        and any(a <= start and end <= b and (a, b) != (start, end) for a, b in organisations)
    }


# --- News-wire company names (issue 12, fourth round) -------------------------------------------
# Legal forms that end a company's name in agency copy ("Chase Manhattan Corp", "Barclays de Zoete
# Wedd Nederland NV"), compared without dots and case ("S.A.", "INc"); from the cue list's
# [organisations] legal_forms. The tagger, trained on GMB (few company names), cuts such names at
# a place ("Chase" + "Manhattan Corp"), a connector ("Harper and Row Publishers Inc") or a
# bracketed part ("Indosuez Asia (Singapore) Ltd"); these repairs read the name off the text.
_COMPANY_TOKEN = re.compile(r"\([^()\n]{1,24}\)|[^\s()]+")
# Capitalised words that open a sentence or a phrase before a company's name and are no part of it.
_COMPANY_OPENERS = frozenset(
    "the a an in at on by for from to with and but both its his her their our as unit units "
    "subsidiary rival parent shares when while after before since if unlike like said says".split()
)


def legal_forms() -> frozenset[str]:
    """The cue list's legal forms, lowercase without dots (read once)."""
    return _legal_forms()[0]


@cache
def _legal_forms() -> tuple[frozenset[str], re.Pattern[str]]:
    """The legal forms and a pattern of their spellings ("Inc", "INC", "S.A."); a plain alternation
    of literals, which the regex engine scans fast (word edges are checked by _legal_forms_in)."""
    words = load_cues().legal_forms
    forms = frozenset(word.lower().replace(".", "") for word in words)
    spellings = set(words)
    for form in forms:
        spellings |= {form.capitalize(), form.upper()}
        if 2 < len(form) <= 4:  # typed with a second capital: "INc", "CORp"
            spellings |= {form[0].upper() + form[1].upper() + form[2:], form[:-1].upper() + form[-1]}
        if len(form) <= 3:
            spellings.add(".".join(form.upper()) + ".")
    ordered = sorted(spellings, key=len, reverse=True)
    return forms, re.compile("|".join(map(re.escape, ordered)) or "(?!)")


def _legal_forms_in(document: str) -> Iterator[re.Match[str]]:
    """The legal forms written in a text as words of their own (not "Co" in "Council")."""
    size = len(document)
    for match in _legal_forms()[1].finditer(document):
        start, end = match.span()
        if (start == 0 or not document[start - 1].isalnum()) and (
            end == size or not (document[end].isalnum() or document[end] in "'’-")
        ):
            yield match


def _legal_form_just_before(tokens: list[tuple[int, int, str, str]], at: int, forms: frozenset[str]) -> bool:
    """Whether a legal form ends a name in the few words before tokens[at] ("Trust Co of New York
    and ..."), within the sentence and back to the last "and"."""
    for token in reversed(tokens[max(at - 4, 0) : at]):
        if token[3] or token[2] in ("and", "&"):
            return False
        if _is_legal_form(token[2], forms):
            return True
    return False


def _is_legal_form(token: str, forms: frozenset[str]) -> bool:
    return token[:1].isupper() and token.replace(".", "").lower() in forms


def _company_tokens(document: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """Words and bracketed parts of document[start:end] with their offsets, quotes and angle
    brackets cut off: (start, end, word, the punctuation after it). A word after "<" (Reuters'
    bracketed company names) is given as "<word": a name starts there."""
    tokens = []
    for match in _COMPANY_TOKEN.finditer(document, start, end):
        raw = match.group()
        if raw.startswith("("):
            tokens.append((match.start(), match.end(), raw, ""))
            continue
        body = raw.lstrip("<\"'")
        clean = body
        while True:
            cut = clean.rstrip(">,;:\"'")
            while cut.endswith(".."):
                cut = cut[:-1]
            if cut.endswith(".") and cut.count(".") == 1 and len(cut) > 2:
                cut = cut[:-1]  # "Ltd." at a sentence's end; "S.A." and "K.K." keep their dots
            if cut == clean:
                break
            clean = cut
        start = match.start() + len(raw) - len(body)
        opener = "<" if raw.startswith("<") else ""
        tokens.append((start, start + len(clean), opener + clean, body[len(clean) :]))
    return tokens


def _company_spans(document: str) -> list[tuple[int, int]]:
    """Company names ending in a legal form (see _window_company_spans), looked for only in the
    stretches of text around a legal form: the rest of the article is not cut into words."""
    windows: list[list[int]] = []
    for match in _legal_forms_in(document):
        low = max(0, match.start() - _WINDOW_BEFORE)
        if low:
            space = document.find(" ", low, match.start())
            low = space + 1 if space >= 0 else match.start()
        high = min(len(document), match.end() + _WINDOW_AFTER)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = high
        else:
            windows.append([low, high])
    spans: list[tuple[int, int]] = []
    for low, high in windows:
        if high < len(document):
            space = document.rfind(" ", low, high)
            high = space if space > 0 else high
        spans += _window_company_spans(document, _company_tokens(document, low, high))
    return spans


# A company's name is at most 7 words (and a bracketed part) before its legal form, and a place
# of at most 3 words after it.
_WINDOW_BEFORE = 130
_WINDOW_AFTER = 40


def _window_company_spans(document: str, tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int]]:
    """Spans of company names that end in a legal form, read off the text: the capitalised words
    before the form (across "and", "&", "of" after an organisation word, "de"/"van", a bracketed
    part), without an opener such as "The" or a title, and a trailing "of <Place>"."""
    forms = legal_forms()
    lex = lexicon()
    heads = _organisation_words(lex)
    spans: list[tuple[int, int]] = []
    for index, (_, end, text, after) in enumerate(tokens):
        if not _is_legal_form(text, forms):
            continue
        following = tokens[index + 1][2] if index + 1 < len(tokens) else ""
        if not after and _is_legal_form(following, forms):
            continue  # "Co Ltd": the last form ends the name
        first = index
        while first > 0 and not tokens[first - 1][3] and _is_legal_form(tokens[first - 1][2], forms):
            first -= 1  # "Corp Ltd"
        words = 0
        at = first - 1
        while at >= 0 and words < 7:
            _, stop, word, punctuation = tokens[at]
            gap = document[stop : tokens[at + 1][0]]
            if punctuation or gap.count("\n") > 1 or "\n " in gap or "\n\t" in gap:
                break  # punctuation between, or a new paragraph
            if word.startswith("<"):
                words += 1
                at -= 1
                break  # "<Burns Fry Corp>": the bracket opens the name
            if word in ("and", "&"):
                left = tokens[at - 1][2] if at > 0 else ""
                if (
                    not left[:1].isupper()
                    or left.lower() in heads
                    or _legal_form_just_before(tokens, at, forms)
                ):
                    break  # "Hongkong Bank and Hang Seng Bank Ltd", "Ford Co of Canada and ...": two
            elif word in ("of", "for"):
                left = tokens[at - 1][2] if at > 0 else ""
                if left.lower() not in heads:
                    break  # "Shares of General Motors Corp"
            elif word in ("de", "van", "von", "der", "du", "la"):
                pass
            elif word.startswith("("):
                if not word[1:2].isupper():
                    break
            elif not word[:1].isupper() or _is_legal_form(word, forms) or _DESCRIBED.search(word):
                break  # a lower-case word, another company's legal form, "Paris-based"
            words += not word.startswith("(")
            at -= 1
        begin = at + 1
        while begin < first and (
            tokens[begin][2] in CONNECTORS
            or tokens[begin][2] == "&"
            or tokens[begin][2].startswith("(")
            or tokens[begin][2].lower() in _COMPANY_OPENERS
            or tokens[begin][2].lower() in lex.titles
        ):
            begin += 1
        if begin >= first:
            continue
        stop = end
        # "Morgan Guaranty Trust Co of New York": the place after "of" is the company's.
        if not after and following == "of":
            last = index + 1
            while (
                last + 1 < len(tokens)
                and last < index + 3
                and tokens[last + 1][2][:1].isupper()
                and not _is_legal_form(tokens[last + 1][2], forms)
                and document[tokens[last][1] : tokens[last + 1][0]] == " "
            ):
                last += 1
                stop = tokens[last][1]
                if tokens[last][3]:
                    break
        spans.append((tokens[begin][0], stop))  # a "<word" token's start is the word's
    return spans


def company_names(document: str, sentences: Sequence[Sentence], names: list[TaggedName]) -> list[TaggedName]:
    """A company's name that ends in a legal form is one organisation, however the tagger cut it
    ("Chase" + "Manhattan Corp", "Harper and Row Publishers Inc", "Indosuez Asia (Singapore) Ltd"):
    the names inside the span give way to it."""
    if next(_legal_forms_in(document), None) is None:
        return names
    spans = _company_spans(document)
    if not spans:
        return names
    starts = [sentence.start for sentence in sentences]
    out = list(names)
    for start, end in spans:
        inside = [name for name in out if name.start < end and start < name.end]
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (start, end) and inside[0].kind == "ORG":
            continue
        if any(_runs_beyond(document, name, start, end) for name in inside if name.kind == "ORG"):
            continue  # the tagger's organisation is longer: leave it
        out = [name for name in out if not (name.start < end and start < name.end)]
        words = tuple(document[start:end].split())
        margin = max((name.margin for name in inside), default=1.0)
        found = TaggedName(start, end, max(bisect_right(starts, start) - 1, 0), "ORG", margin, words)
        found.evidence = f"company name ending in {words[-1]}"
        out.append(found)
    out.sort(key=lambda name: name.start)
    return out


def _runs_beyond(document: str, name: TaggedName, start: int, end: int) -> bool:
    """Whether a name has a word outside start:end (not only a full stop or a bracket): not when
    the rest comes after a full stop that ends the company's name ("Overseas Bank Ltd. They")."""
    right = document[min(name.end, end) : name.end]
    outside = document[name.start : max(name.start, start)] + ("" if right.startswith(".") else right)
    return any(char.isalnum() for char in outside)


def company_short_forms(
    document: str,
    sentences: Sequence[Sentence],
    names: list[TaggedName],
    places: Sequence[tuple[int, int, str]],
) -> list[TaggedName]:
    """The first words of a company named in full with its legal form, written alone elsewhere in
    the article ("Merrill Lynch" after "Merrill Lynch and Co Inc", "Columbia Gas" after "Columbia
    Gas System Inc", "Harper" after "Harper and Row Publishers Inc"), are that company, whatever
    the tagger made of them (a person before "said", a place, nothing). Not a one-word short form
    that is a common word ("General", "Standard"), a place or a first name, nor words that run on
    into a longer capitalised name."""
    forms = legal_forms()
    full = [
        name
        for name in names
        if name.kind == "ORG" and len(name.words) > 1 and name.words[-1].replace(".", "").lower() in forms
    ]
    if not full:
        return names
    lex = lexicon()
    common = common_words()
    place_spans = {(start, end) for start, end, _ in places}
    short: dict[tuple[str, ...], None] = {}
    for name in full:
        stem = [word for word in name.words if not word.startswith("(")]
        while stem and (stem[-1].replace(".", "").lower() in forms or stem[-1] in (*CONNECTORS, "&")):
            stem.pop()
        for cut in range(len(stem), 0, -1):
            prefix = tuple(stem[:cut])
            if prefix[-1] in CONNECTORS or prefix[-1] == "&":
                continue
            if cut == 1 and (
                prefix[0].lower() in common
                or prefix[0].lower() in lex.places
                or prefix[0].lower() in lex.first_names
                or prefix[0].lower() in lex.titles
                or len(prefix[0]) < 3
                or "." in prefix[0]
            ):
                continue
            short.setdefault(prefix, None)
    if not short:
        return names
    out = list(names)
    starts = [sentence.start for sentence in sentences]
    taken: list[tuple[int, int]] = [(name.start, name.end) for name in full]
    # One pattern for all the short forms, the longest first (an alternation takes the first
    # alternative that matches at a place).
    alternatives = (r"\s+".join(map(re.escape, prefix)) for prefix in sorted(short, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w.&-])(?:" + "|".join(alternatives) + r")(?![\w&-])")
    for match in pattern.finditer(document):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken) or (start, end) in place_spans:
            continue
        if _CAPITAL_AFTER.match(document, end) or _CAPITAL_BEFORE.search(document, max(0, start - 30), start):
            continue  # part of a longer capitalised name
        inside = [name for name in out if name.start < end and start < name.end]
        if any(name.start < start or name.end > end for name in inside):
            continue
        taken.append((start, end))
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (start, end):
            if inside[0].kind != "ORG":
                tagger = KIND_NAMES[inside[0].kind]
                inside[0].evidence = f"short form of a company named in full (tagger: {tagger})"
                inside[0].kind = "ORG"
            continue
        sentence = inside[0].sentence if inside else max(bisect_right(starts, start) - 1, 0)
        out = [name for name in out if not (name.start < end and start < name.end)]
        found = TaggedName(start, end, sentence, "ORG", 1.0, tuple(document[start:end].split()))
        found.evidence = "short form of a company named in full"
        out.append(found)
    out.sort(key=lambda name: name.start)
    return out


# A word that describes what follows rather than naming it: "Paris-based", "U.S.-backed".
_DESCRIBED = re.compile(r"-[a-z]+\Z")
_CAPITAL_AFTER = re.compile(r"[ \t]+(?:[A-Z][a-z]|&)")
# A capitalised word right before (not one that ends a sentence: "Krupe Inc. Krupe said").
_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+\Z")


# Words after which "on" continues an organisation's name ("Conference on Trade and Development",
# "Committee on Foreign Relations", "General Agreement on Tariffs and Trade").
_ON_HEADS = frozenset({"conference", "agreement", "convention", "committee", "commission", "council"})
_AND_AFTER = re.compile(r"\sand\s([A-Z][a-z]+)\b(?![ \t]*(?:[A-Z]|of\b|&))")
_ON_AFTER = re.compile(r"\son\s([A-Z][a-z]+)\b(?:\sand\s([A-Z][a-z]+)\b)?(?![ \t]*(?:[A-Z]|of\b|&))")
# Capitalised words right before a name: "the Canadian Import " before "Tribunal".
_CAPITALS_BEFORE = re.compile(r"((?:[A-Z][\w.-]*(?:['’]s?)?[ \t\n]){1,4})\Z")


def organisation_name_runs(
    document: str,
    sentences: Sequence[Sentence],
    names: list[TaggedName],
    places: Sequence[tuple[int, int, str]] = (),
) -> list[TaggedName]:
    """An organisation's name the tagger cut at a connector or before its first words: "Office of
    Management" + "and Budget", "United Nations Conference" + "on Trade and Development",
    "Canadian Import" + "Tribunal", "French Maize Producers' Association". Runs on over "and W"
    when the name holds "of"/"for", over "on W [and W]" after a word such as Conference, and
    back over the capitalised words before a name that ends in an organisation word (not an
    opener, a calendar word or a title; a possessive only before the organisation word, from a
    plural, a title or "People's")."""
    lex = lexicon()
    heads = lex.org_heads
    calendar = lex.calendar
    common = common_words()
    changed = False
    for name in names:
        if name.kind != "ORG":
            continue
        words = name.words
        run = None
        if len(words) > 2 and ("of" in words or "for" in words):
            run = _AND_AFTER.match(document, name.end)
        elif words[-1].lower() in _ON_HEADS:
            run = _ON_AFTER.match(document, name.end)
        if run is not None and not any(
            word.lower() in heads or word.lower() in calendar or word.lower() in lex.places
            for word in run.groups()
            if word
        ):
            name.end = run.end()
            name.words = tuple(document[name.start : name.end].split())
            name.evidence = (name.evidence + "; " if name.evidence else "") + "name runs on over a connector"
            changed = True
        if name.start < 2:
            continue
        gap = max(document.rfind(" ", 0, name.start - 1), document.rfind("\n", 0, name.start - 1))
        if not document[gap + 1].isupper() or heads.isdisjoint(map(str.lower, words)):
            continue  # no capitalised word right before (most names), or no organisation word
        before = _CAPITALS_BEFORE.search(document, max(0, name.start - 80), name.start)
        if before is None:
            continue
        capitals = before.group(1).split()
        keep: list[str] = []
        for position in range(len(capitals) - 1, -1, -1):
            word = capitals[position]
            bare = word.rstrip("'’s") if word.endswith(("'s", "’s", "'", "’")) else word
            lower = bare.lower()
            if bare != word and not (
                position == len(capitals) - 1
                and (word.endswith(("s'", "s’")) or lower in lex.titles or lower == "people")
            ):
                break  # "Japan's Finance Ministry": the possessive is not the name's
            if (
                lower in lex.skippable
                or lower in _COMPANY_OPENERS
                or (lower in lex.titles and bare == word)
                or lower in calendar
                or not bare[:1].isupper()
                or _DESCRIBED.search(bare)
                or (word.endswith(".") and not _DOTTED.fullmatch(word))
            ):
                break  # an opener, a title, a date, "Paris-based", a sentence's last word
            keep.insert(0, word)
        if not keep:
            continue
        start = name.start - len(" ".join(keep)) - 1
        if document[start : name.start].split() != keep:
            continue
        # A common word that opens the sentence is no part of the name ("Four National Basketball
        # Association", "Former United States ..."), nor is a word of a person or organisation
        # that starts before the run (one that lies wholly inside it is taken in: "French Maize
        # Producers" + "' Association").
        while keep and keep[0].lower() in common and _SENTENCE_OPENS.search(document, 0, start):
            start += len(keep.pop(0)) + 1
        taken = max(
            (
                other.end
                for other in names
                if other is not name
                and other.kind in ("PER", "ORG")
                and other.start < start < other.end <= name.start
            ),
            default=-1,
        )
        while keep and start < taken:
            start += len(keep.pop(0)) + 1
        if not keep:
            continue
        last = name.start - len(keep[-1]) - 1
        if keep[-1].endswith(("'", "’")) and any(a <= last < b for a, b, _ in places):
            continue  # "United States' National Science Foundation": the country's, not the name's
        for place_start, place_end, _ in places:
            if place_start < start < place_end:
                start = place_start  # "South Africa Clearing House", not "Africa Clearing House"
                keep = document[start : name.start].split()
        name.start = start
        name.words = (*keep, *name.words)
        name.evidence = (name.evidence + "; " if name.evidence else "") + "capitalised words before it"
        changed = True
    if not changed:
        return names
    # Names now inside a longer one give way to it.
    out: list[TaggedName] = []
    for name in sorted(names, key=lambda n: (n.start, -n.end)):
        if out and name.start < out[-1].end:
            continue
        out.append(name)
    return out


# The start of a text or a sentence: nothing, or a full stop, question or exclamation mark, a line
# break or an opening quote, then spaces.
_SENTENCE_OPENS = re.compile(r"(?:\A|[.!?\n\"“‘']|\n)\s*\Z")


_ADMINISTRATION_AFTER = re.compile(r"\s+administration\b")
_INITIAL = re.compile(r"[A-Z]\.")


def people_by_office(document: str, names: list[TaggedName]) -> list[TaggedName]:
    """People the tagger read as places or organisations though the text says person: a name of
    one or two words right before a lower-case "administration" ("the Reagan administration"),
    not a place or a name holding an organisation word; and a name that opens with an initial
    then a known first name ("R. Steven Lutterbach")."""
    lex = lexicon()
    for name in names:
        if name.kind == "PER":
            continue
        words = name.words
        if (
            len(words) > 2
            and _INITIAL.fullmatch(words[0])
            and words[1].lower() in lex.first_names
            and lex.org_heads.isdisjoint(map(str.lower, words))
        ):
            name.kind = "PER"
            name.evidence = "an initial and a first name open it"
        elif (
            len(words) <= 2
            and _ADMINISTRATION_AFTER.match(document, name.end)
            and words[-1].lower() not in lex.places
            and lex.org_heads.isdisjoint(map(str.lower, words))
            and words[-1][:1].isupper()
            and not words[-1].isupper()
        ):
            name.kind = "PER"
            name.evidence = "before 'administration'"
    return names
