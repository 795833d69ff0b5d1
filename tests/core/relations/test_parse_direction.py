"""The dependency parse decides the direction of the event coder's undirected and reciprocal guesses.

Sentences are written for these tests (not taken from the dev set or the issue).
"""

from __future__ import annotations

import pytest

from core.countries.resolve import find_country_mentions
from core.relations.event_coder import PairEvent, code_sentence
from core.relations.syntax import parse_direction
from core.text.sentences import split_sentences


def coded(text: str, use_parser: bool = True) -> dict[tuple[str, str], PairEvent]:
    mentions = find_country_mentions(text, split_sentences(text))
    spans = [(m.start, m.end, m.code, m.locative) for m in mentions]
    return code_sentence(text, spans, use_parser=use_parser)


# --- parse_direction on hand-built trees (heads 1-based, 0 = root) ---------------------------------


def test_subject_is_the_source_and_object_the_target() -> None:
    # Peru(1) warned(2) Chile(3) .(4)
    heads, labels = [2, 0, 2, 2], ["nsubj", "root", "obj", "punct"]
    found = parse_direction(heads, labels, {"PE": {0}, "CL": {2}}, "CL", "PE")
    assert found is not None
    assert (found.source, found.target, found.predicate) == ("PE", "CL", 1)
    assert (found.source_role, found.target_role) == ("nsubj", "obj")


def test_passive_subject_is_the_target_and_the_agent_the_source() -> None:
    # Chile(1) was(2) warned(3) by(4) Peru(5)
    heads, labels = [3, 3, 0, 5, 3], ["nsubj:pass", "aux:pass", "root", "case", "obl:agent"]
    found = parse_direction(heads, labels, {"PE": {4}, "CL": {0}}, "CL", "PE")
    assert found is not None
    assert (found.source, found.target) == ("PE", "CL")
    assert (found.source_role, found.target_role) == ("obl:agent", "nsubj:pass")


def test_a_reporting_verb_is_followed_to_its_complement() -> None:
    # Officials(1) said(2) Peru(3) warned(4) Chile(5)
    heads, labels = [2, 0, 4, 2, 4], ["nsubj", "root", "nsubj", "ccomp", "obj"]
    found = parse_direction(heads, labels, {"PE": {2}, "CL": {4}}, "PE", "CL")
    assert found is not None
    assert (found.source, found.target, found.predicate) == ("PE", "CL", 3)


def test_an_xcomp_keeps_the_subject_it_inherits() -> None:
    # Peru(1) agreed(2) to(3) help(4) Chile(5)
    heads, labels = [2, 0, 4, 2, 4], ["nsubj", "root", "mark", "xcomp", "obj"]
    found = parse_direction(heads, labels, {"PE": {0}, "CL": {4}}, "PE", "CL")
    assert found is not None
    assert (found.source, found.target, found.predicate) == ("PE", "CL", 3)


def test_both_countries_on_one_side_give_no_direction() -> None:
    # Peru(1) and(2) Chile(3) signed(4) a(5) deal(6)
    heads, labels = [4, 3, 1, 0, 6, 4], ["nsubj", "cc", "conj", "root", "det", "obj"]
    assert parse_direction(heads, labels, {"PE": {0}, "CL": {2}}, "PE", "CL") is None


def test_a_country_on_both_sides_gives_no_direction() -> None:
    # Peru(1) warned(2) Peru(3) Chile(4): Peru on both sides
    heads, labels = [2, 0, 2, 3], ["nsubj", "root", "obj", "conj"]
    assert parse_direction(heads, labels, {"PE": {0, 2}, "CL": {3}}, "PE", "CL") is None


# --- wired into the event coder ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "pair", "direction"),
    [
        # Both countries stand before the event noun, so the word-order coder calls them one side
        # (undirected); the parse reads Poland as the subject and Russia as the object of "sees".
        ("Poland sees Russia as a threat to its security.", ("PL", "RU"), ("PL", "RU")),
        # "treaty" alone reads as a reciprocal event; the parse says who handed it to whom.
        ("Chile handed Bolivia a peace treaty.", ("BO", "CL"), ("CL", "BO")),
    ],
)
def test_the_parse_directs_an_undirected_guess(
    sentence: str, pair: tuple[str, str], direction: tuple[str, str]
) -> None:
    before = coded(sentence, use_parser=False)[pair]
    after = coded(sentence)[pair]
    assert (before.source, before.target) == (None, None)  # the guess the parse corrects
    assert (after.source, after.target) == direction
    assert (after.event, after.cues) == (before.event, before.cues)  # only the direction changes
    assert "direction from the parse" in after.rule  # explainable: the rule says so
    assert after.rule.startswith(before.rule)


def test_a_word_order_direction_is_kept_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.text.parse

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("parsed a sentence whose direction is not a guess the parse may change")

    monkeypatch.setattr(core.text.parse, "parse", refuse)
    found = coded("Canada signed a trade deal with Mexico.")[("CA", "MX")]
    assert (found.source, found.target) == ("CA", "MX")
    assert "parse" not in found.rule


def test_a_list_of_countries_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.text.parse

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("parsed a pair with no verb between its countries")

    monkeypatch.setattr(core.text.parse, "parse", refuse)
    found = coded("Canada and Mexico signed a trade deal.")[("CA", "MX")]
    assert (found.event, found.source, found.target) == ("05", None, None)


def test_without_the_parser_the_guess_stays_recorded() -> None:
    found = coded("Poland sees Russia as a threat to its security.", use_parser=False)[("PL", "RU")]
    assert (found.source, found.target, found.guess) == (None, None, "shared")
    assert "parse" not in found.rule
