"""Actors that stand for a country (leaders, officials, armed groups), and agents placed in one.

Sentences and actor entries are written for these tests (not taken from the dev set or the issue).
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.pipeline import analyse_article
from core.relations.actors import find_actor_mentions, load_actors, normalise, parse_actor_file
from core.relations.event_coder import code_sentence

ALPHA3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}


@dataclass(frozen=True)
class Name:
    text: str
    surface: str
    start: int
    end: int
    sentence: int
    kind: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def test_actor_file_format_main_spelling_alternatives_and_codes() -> None:
    text = "# comment\nJANE_ROE_  # note\n+ROE_\n+PRESIDENT_JANE_ROE\n\t[NORGOV 150101-200101]\n\t[NORELI]\n"
    actors = parse_actor_file(text, "test.txt", ALPHA3)
    assert set(actors) == {"JANE ROE", "ROE", "PRESIDENT JANE ROE"}
    assert actors["ROE"].code == "NO" and actors["ROE"].name == "Jane Roe"
    # A code on the name's own line counts too.
    assert parse_actor_file("RED_BAND_ [CHLREB]\n", "t", ALPHA3)["RED BAND"].code == "CL"


def test_a_block_naming_no_country_or_two_is_an_error_naming_the_line() -> None:
    with pytest.raises(ValueError, match=r"test.txt, line 2: actor 'NOBODY'"):
        parse_actor_file("# x\nNOBODY_\n\t[XXXGOV]\n", "test.txt", ALPHA3)
    with pytest.raises(ValueError, match="several countries"):
        parse_actor_file("TWO_FACED_\n\t[NORGOV]\n\t[SWEGOV]\n", "test.txt", ALPHA3)


def test_names_are_matched_whole_or_by_a_listed_surname() -> None:
    actors = parse_actor_file("JANE_ROE_\n+ROE_\n\t[NORGOV]\nJOHN_DOE_\n\t[CHLGOV]\n", "t", ALPHA3)
    names = [
        Name("Jane Roe", "Jane Roe", 0, 8, 0, "person"),
        Name("Ann Roe", "Ann Roe", 10, 17, 0, "person"),  # surname listed alone: still Norway's
        Name("Mary Doe", "Mary Doe", 20, 28, 0, "person"),  # DOE is not listed alone: no actor
        Name("Jane Roe", "Jane Roe", 30, 38, 0, "person"),
    ]
    found = find_actor_mentions(names, [Span(29, 39)], actors, {"NO": "Norway"})
    assert [(m.start, m.code, m.name) for m in found] == [(0, "NO", "Norway"), (10, "NO", "Norway")]
    assert found[0].how == "Jane Roe → NO, actor" and not found[0].locative
    assert normalise("Kim Jong-un") == normalise("KIM_JONG_UN") == "KIM JONG UN"


def test_shipped_files_map_leaders_and_armed_groups() -> None:
    actors = load_actors()
    assert actors["VLADIMIR PUTIN"].code == "RU"
    assert actors["PUTIN"].code == "RU"
    assert actors["TALIBAN"].code == "AF"
    assert actors["EMMANUEL MACRON"].code == "FR"  # newsdesk's additions (after 2014)
    # Leaders in office since 1980 (wire archives of the 1980s name them): Nakasone, Thatcher.
    assert actors["YASUHIRO NAKASONE"].code == "JP"
    assert actors["MARGARET THATCHER"].code == "GB"
    assert actors["REAGAN ADMINISTRATION"].code == "US"


def test_a_leader_stands_for_his_country_and_the_mapping_is_shown() -> None:
    text = "Vladimir Putin sent warplanes to bomb rebel positions, Norway said on Monday."
    row = analyse_article("h", "Headline", text, keywords=[])
    pair = next(p for p in row["pairs"] if (p["code_a"], p["code_b"]) == ("NO", "RU"))
    assert pair is not None
    text = "President Vladimir Putin threatened Estonia with sanctions."
    row = analyse_article("h", "Putin and the Baltics", text, keywords=[])
    pair = next(p for p in row["pairs"] if (p["code_a"], p["code_b"]) == ("EE", "RU"))
    assert (pair["source"], pair["target"], pair["stance"]) == ("RU", "EE", "conflict")
    assert "Vladimir Putin → RU, actor" in pair["cues"]
    assert "actors: Vladimir Putin → RU, actor" in pair["rule"]


def coded(text: str, mentions: list[tuple[str, str, bool]]) -> dict[tuple[str, str], object]:
    spans = [(text.index(s), text.index(s) + len(s), code, loc) for s, code, loc in mentions]
    return code_sentence(text, spans)  # type: ignore[return-value]


def test_an_agent_placed_in_a_country_makes_it_a_participant() -> None:
    text = "Chile protested to the Peruvian embassy in Oslo about the fishing ban."
    pairs = code_sentence(
        text,
        [
            (text.index("Chile"), text.index("Chile") + 5, "CL", False),
            (text.index("Oslo"), text.index("Oslo") + 4, "NO", True),
        ],
    )
    assert not pairs[("CL", "NO")].venue
    # A plain place stays a venue.
    text = "Chile protested about the fishing ban at a meeting in Oslo."
    pairs = code_sentence(
        text,
        [
            (text.index("Chile"), text.index("Chile") + 5, "CL", False),
            (text.index("Oslo"), text.index("Oslo") + 4, "NO", True),
        ],
    )
    assert pairs[("CL", "NO")].venue


def test_nested_brackets_do_not_break_the_clause_cutter() -> None:
    text = "Chile (with help (from Peru) and others) attacked Bolivia."
    spans = [
        (text.index(w), text.index(w) + len(w), c, False)
        for w, c in (("Chile", "CL"), ("Peru", "PE"), ("Bolivia", "BO"))
    ]
    pairs = code_sentence(text, spans)
    assert pairs[("BO", "CL")].stance == "conflict"


_WORDS = st.sampled_from(
    ["(", ")", "[", "]", "in", "embassy", "troops", "Chile", "Peru", "attacked", "talks", "the", ",", "and"]
)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(_WORDS, max_size=30))
def test_bracket_and_agent_soup_never_crashes(words: list[str]) -> None:
    text = " ".join(words)
    spans = []
    for word, code in (("Chile", "CL"), ("Peru", "PE")):
        at = text.find(word)
        while at >= 0:
            spans.append((at, at + len(word), code, at % 2 == 0))
            at = text.find(word, at + 1)
    for pair in code_sentence(text, spans).values():
        assert pair.stance in {"cooperation", "conflict", "neutral"}
