"""Turning an article's capitalised runs into name candidates, each with its folding key and strongest cue."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.entities.words import CAP, CONN, Token, TokenisedDocument, load_cues
from core.text.sentences import Sentence

# Cue strength: an organisation word or acronym inside the name beats a title beside it, which
# beats a first name, which beats the weak "X said".
RANK_ORG, RANK_TITLE, RANK_FIRST_NAME, RANK_SAID, RANK_NONE = 4, 3, 2, 1, 0

_ARTICLES = frozenset({"the", "a", "an"})


@dataclass(slots=True)
class Candidate:
    """A name before folding: its span, folding key, strongest own cue, and the group it joins."""

    start: int
    end: int
    sentence: int
    key: tuple[str, ...]
    rank: int
    cue: str
    shouty: bool
    root: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Patterns:
    """The regular expressions that read a name's surroundings."""

    word_before: re.Pattern[str]
    apposition: re.Pattern[str]
    word_after: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Context patterns, compiled on first use so importing the module costs nothing."""
    return _Patterns(
        word_before=re.compile(r"([^\W\d_]+),?[ \t\u00a0]+\Z"),  # "minister Jaafari", "a spokeswoman, Brekk"
        # ", the then PM", ", a spokesperson of": up to four words after a comma, no other punctuation.
        apposition=re.compile(r"\A[ \t]*,[ \t]+((?:[\w'’-]+[ \t]+){0,3}[\w'’-]+)"),
        word_after=re.compile(r"\A[ \t]+([^\W\d_]+)"),
    )


class CandidateFinder(TokenisedDocument):
    """One find_entities call: the tokenised document plus the rules that turn runs into names."""

    def __init__(self, document: str, sentences: list[Sentence], exclude: Sequence[tuple[int, int]]) -> None:
        super().__init__(document, sentences, exclude, load_cues())
        self.patterns = _patterns()

    def _known(self, token: Token) -> bool:
        """Whether a sentence-initial word has a reason to be a name beyond its capital letter."""
        cues = self.cues
        return (
            token.key in self.mid_keys
            or token.lower in cues.first_names
            or token.text in cues.org_heads
            or token.text in cues.acronyms
            or token.lower in cues.titles
            or token.lower in cues.org_names
        )

    def shape(self, tokens: list[Token], cut: bool, shouty: bool) -> list[Candidate]:
        """Turn one run into candidates: split at a bare "and", strip non-name edges, split off titles."""
        pieces = self._split_and(tokens)
        if len(pieces) == 1:
            return self._shape_piece(pieces[0], cut, shouty)
        found: list[Candidate] = []
        for number, piece in enumerate(pieces):
            found.extend(self._shape_piece(piece, cut and number == len(pieces) - 1, shouty))
        return found

    def _split_and(self, toks: list[Token]) -> list[list[Token]]:
        # "Tony Blair and Gordon Brown" is two names; "Department of Trade and Industry" and
        # "Trade and Industry Secretary" are one name whose head comes before or after the "and".
        cues = self.cues
        ands = [index for index, token in enumerate(toks) if token.kind == CONN and token.lower == "and"]
        if not ands:
            return [toks]
        heads = [token.text in cues.org_heads or token.lower in cues.titles for token in toks]
        # Since the last cut: has an organisation word come, and then an "of"/"for" after it?
        pieces: list[list[Token]] = []
        start = 0
        scanned = 0
        seen_head = org_of_left = False
        for number, index in enumerate(ands):
            stop = ands[number + 1] if number + 1 < len(ands) else len(toks)
            heads_right = any(heads[index + 1 : stop])
            for position in range(scanned, index):
                if toks[position].text in cues.org_heads:
                    seen_head = True
                elif seen_head and toks[position].lower in ("of", "for"):
                    org_of_left = True
            scanned = index
            left = toks[start:index]
            portfolio = len(left) == 1 and left[0].lower in self.vocabulary and heads_right
            if not ((org_of_left and not heads_right) or portfolio):
                pieces.append(left)
                start = scanned = index + 1
                seen_head = org_of_left = False
        pieces.append(toks[start:])
        return [piece for piece in pieces if piece]

    def _shape_piece(self, tokens: list[Token], cut: bool, shouty: bool) -> list[Candidate]:
        """Strip sentence starters, function words and calendar words from a piece, then judge it."""
        cues = self.cues
        first_initial = bool(tokens) and tokens[0].initial and not shouty
        begin = 0
        while begin < len(tokens):
            head = tokens[begin]
            following = tokens[begin + 1] if begin + 1 < len(tokens) else None
            # "Observers Believe", "Members of the European Commission": an unknown capitalised
            # sentence start that is a common word, an adverb, or hangs off a connector.
            common_start = (
                first_initial
                and following is not None
                and not self._known(head)
                and (
                    head.lower in self.vocabulary
                    or (head.lower.endswith("ly") and len(head.lower) > 4)
                    or following.kind == CONN
                )
            )
            if not (
                head.kind == CONN
                or (
                    head.kind == CAP
                    and head.lower in cues.function_words
                    and (first_initial or head.lower in _ARTICLES)
                )
                or common_start
            ):
                break
            begin += 1
        toks = tokens[begin:]
        if not toks:
            return []
        anchored = (
            (len(toks) > 1 and toks[0].lower in cues.first_names)
            or any(token.lower in cues.titles for token in toks)
            or bool(self._title_before(toks[0]))
        )
        if not anchored:
            toks = self._strip_edges(toks, cues.calendar)
            if not toks:
                return []
        name = cues.org_names.get(" ".join(token.lower for token in toks))
        if name is not None:
            return [self._candidate(toks, RANK_ORG, f"org-name:{name}", shouty)]
        for index in range(len(toks) - 2):
            # "Civil House José Dirceu", "State Department Heather Nauert": an organisation word
            # then a first name starts a person.
            if toks[index].text in cues.org_heads and toks[index + 1].lower in cues.first_names:
                organisation = self._classify(toks[: index + 1], False, shouty, first_initial, only_orgs=True)
                return [*organisation, *self._split_titles(toks[index + 1 :], cut, shouty, False)]
        return self._split_titles(toks, cut, shouty, first_initial)

    def _strip_edges(self, toks: list[Token], words: frozenset[str]) -> list[Token]:
        """Drop connectors (and `words`) at either end: a name never starts or ends with "of"."""
        start, end = 0, len(toks)
        while start < end and (
            toks[start].kind == CONN or (toks[start].kind == CAP and toks[start].lower in words)
        ):
            start += 1
        while end > start and (
            toks[end - 1].kind == CONN or (toks[end - 1].kind == CAP and toks[end - 1].lower in words)
        ):
            end -= 1
        return toks[start:end]

    def _split_titles(self, toks: list[Token], cut: bool, shouty: bool, initial: bool) -> list[Candidate]:
        """Cut "European Commission President Jean-Claude Juncker" at its title: organisation, person."""
        cues = self.cues
        lowers = [token.lower for token in toks]
        if cues.title_words.isdisjoint(lowers):
            return self._classify(toks, cut, shouty, initial, only_orgs=False)
        last: tuple[int, int] | None = None
        index = 0
        while index < len(toks):
            width = 0
            if lowers[index] in cues.title_words:
                for phrase in cues.title_phrases:
                    if phrase[0] == lowers[index] and tuple(lowers[index : index + len(phrase)]) == phrase:
                        width = len(phrase)
                        break
            if not width and toks[index].lower in cues.titles:
                width = 1
            if width:
                last = (index, index + width)
                index += width
            else:
                index += 1
        if last is None:
            return self._classify(toks, cut, shouty, initial, only_orgs=False)
        begin, end = last
        title = " ".join(token.lower for token in toks[begin:end])
        # "Leader of the House Andrea Leadsom": the title takes "of [the] X" with it.
        if end + 1 < len(toks) and toks[end].lower in ("of", "for"):
            end += 2 if toks[end + 1].lower != "the" else 3
        prefix, suffix = toks[:begin], self._strip_edges(toks[end:], frozenset())
        if not suffix:
            if prefix and prefix[0].lower in cues.first_names:
                # "John Major": the title word is the surname.
                return self._classify(toks, cut, shouty, initial, only_orgs=False)
            return self._classify(prefix, cut, shouty, initial, only_orgs=True)
        if any(token.text in cues.org_heads for token in suffix) or suffix[-1].text in cues.org_tails:
            return self._classify(toks, cut, shouty, initial, only_orgs=False)
        if (
            title in cues.capitalised_only_titles
            and len(suffix) == 1
            and suffix[0].lower not in cues.first_names
        ):
            return self._classify(toks, cut, shouty, initial, only_orgs=False)  # "the General Election"
        person = self._candidate(suffix, RANK_TITLE, f"title:{title}", shouty)
        return [*self._classify(prefix, cut, shouty, initial, only_orgs=True), person]

    def _classify(
        self, toks: list[Token], cut: bool, shouty: bool, initial: bool, *, only_orgs: bool
    ) -> list[Candidate]:
        """Rank a title-free piece by its own words and its context; drop it if it names nothing."""
        cues = self.cues
        toks = self._strip_edges(toks, frozenset())
        if not toks:
            return []
        rank, cue = RANK_NONE, ""
        for token in toks:
            if token.text in cues.org_heads:
                rank, cue = RANK_ORG, f"org-word:{token.text}"
                break
            if token.text in cues.acronyms:
                rank, cue = RANK_ORG, "acronym"
        if toks[-1].text in cues.org_tails:
            rank, cue = RANK_ORG, f"org-word:{toks[-1].text}"
        if rank == RANK_ORG and cut and len(toks) == 1 and toks[0].text in cues.org_heads:
            return []  # "Bank of England" with England excluded: a bare "Bank" names nothing.
        if only_orgs and rank != RANK_ORG:
            return []
        single = toks[0] if len(toks) == 1 else None
        if (
            single is not None
            and single.kind == CAP
            and (single.lower in cues.function_words or single.lower in cues.titles)
        ):
            return []
        if rank == RANK_NONE:
            rank, cue = self._person_cue(toks)
        if single is not None and single.kind == CAP and single.lower in cues.calendar and rank < RANK_TITLE:
            return []
        if (
            single is not None
            and initial
            and single.key not in self.mid_keys
            and (rank in (RANK_NONE, RANK_FIRST_NAME) or cue.startswith("org-word"))
        ):
            return []  # "Observers believe", "Forces fought": capitalised only as the sentence start.
        return [self._candidate(toks, rank, cue, shouty)]

    def _person_cue(self, toks: list[Token]) -> tuple[int, str]:
        """Person evidence around a name: a title before or in apposition, a first name, "X said"."""
        cues, document, patterns = self.cues, self.document, self.patterns
        title = self._title_before(toks[0])
        if title:
            return RANK_TITLE, f"title:{title}"
        sentence_end = self.sentences[toks[-1].sentence].end
        after = document[toks[-1].end : min(sentence_end, toks[-1].end + 80)]
        if toks[-1].stop and after[:2] in ("’s", "'s"):
            after = after[2:]
        match = patterns.apposition.match(after)
        if match:
            for word in match.group(1).split():
                lowered = word.lower()
                if lowered in cues.titles and (
                    word[0].isupper() or lowered not in cues.capitalised_only_titles
                ):
                    return RANK_TITLE, f"title:{lowered}"
        if len(toks) > 1 and toks[0].lower in cues.first_names:
            return RANK_FIRST_NAME, "first-name"
        match = patterns.word_after.match(after)
        if (
            match
            and match.group(1).lower() in cues.said_verbs
            and (len(toks) > 1 or toks[0].lower not in self.vocabulary)
        ):
            return RANK_SAID, "said"
        return RANK_NONE, ""

    def _title_before(self, token: Token) -> str:
        """The title word right before a name ("foreign minister Ibrahim Jaafari"), else ""."""
        sentence_start = self.sentences[token.sentence].start
        window = self.document[max(sentence_start, token.start - 30) : token.start]
        match = self.patterns.word_before.search(window)
        if not match:
            return ""
        word = match.group(1)
        lowered = word.lower()
        if lowered in self.cues.titles and (
            word[0].isupper() or lowered not in self.cues.capitalised_only_titles
        ):
            return lowered
        return ""

    def _candidate(self, toks: list[Token], rank: int, cue: str, shouty: bool) -> Candidate:
        """A candidate whose key leaves out connectors, so "Ibrahim al Jaafari" folds with the rest."""
        key = tuple(token.key for token in toks if token.lower not in self.cues.connectors)
        return Candidate(
            toks[0].start, toks[-1].end, toks[0].sentence, key or (toks[0].key,), rank, cue, shouty
        )

    def shouty_parts(self, toks: list[Token], known: set[str]) -> Iterator[list[Token]]:
        """Pieces of a headline-style run made only of words this article names elsewhere."""
        cues = self.cues
        part: list[Token] = []
        for token in toks:
            if (
                token.key in known
                or token.lower in cues.org_names
                or (token.text in cues.acronyms and token.lower not in cues.function_words)
            ) or (part and token.lower in cues.connectors):
                part.append(token)
            else:
                if part:
                    yield part
                part = []
        if part:
            yield part
