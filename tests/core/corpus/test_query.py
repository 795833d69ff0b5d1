"""The filter language: every query form, negation, errors with positions, relevance, and totality."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.frames import Analysis
from core.articles import ARTICLE_SCHEMA
from core.corpus.query import FilterIndex, Query, QueryError, Term, parse_query
from core.schema import MENTION_STRUCT, PAIR_STRUCT
from tests.helpers import filter_articles

ARTICLES = [
    # id, title, text, date, source
    (
        "a1",
        "Iraq talks resume",
        "US and Iraqi officials met in Baghdad. The red line was discussed. Jaafari spoke.",
        date(2004, 6, 1),
        "BBC News",
    ),
    (
        "a2",
        "Business update",
        "Because of business, markets rose. The US economy grew.",
        date(2004, 12, 31),
        "Reuters",
    ),
    (
        "a3",
        "Russia and Iraq",
        "Moscow and Baghdad signed a deal over military bases. A red\nline.",
        None,
        "bbc",
    ),
    ("a4", "Music awards", "A British band won an award.", date(2005, 1, 1), "guardian"),
]
MENTIONS = [
    # article_id, entity, surface, kind, code, how
    ("a1", "Iraq", "Iraqi", "country", "IQ", "demonym"),
    ("a1", "United States", "US", "country", "US", "alias"),
    ("a1", "Iraq", "Baghdad", "country", "IQ", "capital"),
    ("a1", "Ibrahim Jaafari", "Jaafari", "person", None, "title"),
    ("a2", "United States", "US", "country", "US", "alias"),
    ("a3", "Russia", "Moscow", "country", "RU", "capital"),
    ("a3", "Iraq", "Baghdad", "country", "IQ", "capital"),
    ("a3", "Iraq", "Iraq", "country", "IQ", "name"),
    ("a3", "Iraq", "Iraq", "country", "IQ", "name"),
    ("a4", "United Kingdom", "British", "country", "GB", "demonym"),
]
PAIRS = [("a1", "IQ", "US"), ("a3", "IQ", "RU")]
KEYWORDS = [
    ("a1", 1, "Iraq talks"),
    ("a1", 2, "red line"),
    ("a2", 1, "markets"),
    ("a3", 1, "military bases"),
    ("a3", 2, "Russia"),
    ("a4", 1, "award"),
]


def _fields(struct: pl.Struct) -> dict[str, pl.DataType]:
    return {field.name: field.dtype for field in struct.fields}


def make_analysis() -> Analysis:
    articles = pl.DataFrame(
        [
            {
                "id": i,
                "title": t,
                "text": x,
                "date": d,
                "url": "",
                "source": s,
                "origin": i,
                "content_hash": i,
            }
            for i, t, x, d, s in ARTICLES
        ],
        schema=ARTICLE_SCHEMA,
    )
    mention_rows: list[dict[str, Any]] = [
        {"article_id": a, "entity": e, "surface": s, "kind": k, "code": c, "how": h, "locative": False}
        for a, e, s, k, c, h in MENTIONS
    ]
    mentions = pl.DataFrame(mention_rows, schema={"article_id": pl.String(), **_fields(MENTION_STRUCT)})
    pair_rows = [{"article_id": a, "code_a": x, "code_b": y} for a, x, y in PAIRS]
    pairs = pl.DataFrame(pair_rows, schema={"article_id": pl.String(), **_fields(PAIR_STRUCT)})
    keywords = pl.DataFrame(
        [{"article_id": a, "rank": r, "phrase": p, "score": 0.1 * r} for a, r, p in KEYWORDS],
        schema={"article_id": pl.String(), "rank": pl.Int32(), "phrase": pl.String(), "score": pl.Float64()},
    )
    return Analysis(articles=articles, keywords=keywords, mentions=mentions, pairs=pairs)


@pytest.fixture(scope="module")
def index() -> FilterIndex:
    return FilterIndex.build(make_analysis())


def ids(index: FilterIndex, text: str) -> list[str]:
    return index.matching_ids(parse_query(text)).to_list()


ALL = ["a1", "a2", "a3", "a4"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ALL),
        ("   \t ", ALL),
        # plain words: headline or text, word start, case-insensitive, all must match
        ("iraq", ["a1", "a3"]),
        ("IRAQ", ["a1", "a3"]),
        ("iraqi", ["a1"]),
        ("siness", []),  # word start: not inside "business"
        ("ward", []),  # not inside "award"
        ("award", ["a4"]),  # a word start, also of "awards"
        ("iraq deal", ["a3"]),
        ("iraq music", []),
        # quoted phrases: any whitespace between the words
        ('"red line"', ["a1", "a3"]),
        ('"RED   LINE was"', ["a1"]),
        ('"line was"', ["a1"]),
        # country: code (any case), name, wording; an ISO country absent from the corpus matches nothing
        ("country:IQ", ["a1", "a3"]),
        ("country:us", ["a1", "a2"]),
        ("country:Iraq", ["a1", "a3"]),
        ('country:"united states"', ["a1", "a2"]),
        ("country:british", ["a4"]),
        ("country:UK", ["a4"]),
        ("country:France", []),
        ("country:FR", []),
        # pair: either order, codes or names
        ("pair:IQ-US", ["a1"]),
        ("pair:us-iq", ["a1"]),
        ("pair:Iraq-Russia", ["a3"]),
        ('pair:"Russia-United States"', []),
        ("pair:IQ/RU", ["a3"]),
        ("pair:Guinea-Bissau-FR", []),  # a hyphenated name: every '-' is tried as the separator
        # keyword: word start within a keyword phrase
        ('keyword:"military bases"', ["a3"]),
        ("keyword:MILITARY", ["a3"]),
        ("keyword:iraq", ["a1"]),
        ("keyword:bases", ["a3"]),
        ("keyword:ases", []),
        # entity: canonical name or wording
        ("entity:Jaafari", ["a1"]),
        ('entity:"ibrahim jaafari"', ["a1"]),
        ("entity:moscow", ["a3"]),
        # source: substring, case-insensitive
        ("source:bbc", ["a1", "a3"]),
        ("source:NEWS", ["a1"]),
        ("source:uter", ["a2"]),
        # dates: after inclusive, before exclusive, undated articles never match
        ("after:2004-06-01", ["a1", "a2", "a4"]),
        ("after:2004-06-02", ["a2", "a4"]),
        ("before:2005-01-01", ["a1", "a2"]),
        ("after:2004-07 before:2005", ["a2"]),
        ("after:2005-01-01", ["a4"]),
        # fields are case-insensitive
        ("Country:iq SOURCE:bbc", ["a1", "a3"]),
        # combined
        ("iraq country:RU -source:news", ["a3"]),
        ('"red line" country:US', ["a1"]),
    ],
)
def test_query_forms(index: FilterIndex, text: str, expected: list[str]) -> None:
    assert ids(index, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-iraq", ["a2", "a4"]),
        ('-"red line"', ["a2", "a4"]),
        ("-country:US", ["a3", "a4"]),
        ("-pair:US-IQ", ["a2", "a3", "a4"]),
        ('-keyword:"military bases"', ["a1", "a2", "a4"]),
        ("-entity:jaafari", ["a2", "a3", "a4"]),
        ("-source:bbc", ["a2", "a4"]),
        # the undated a3 fails a date term whether or not it is negated
        ("-after:2004-07", ["a1"]),
        ("-before:2005", ["a4"]),
        ("iraq -iraqi", ["a3"]),
        ("-iraq -music", ["a2"]),
    ],
)
def test_negation(index: FilterIndex, text: str, expected: list[str]) -> None:
    assert ids(index, text) == expected


def test_country_names_from_the_gazetteer(index: FilterIndex) -> None:
    assert ids(index, "country:USSR") == ["a3"]  # an alias folded into today's code
    assert ids(index, "country:Burma") == []  # known, absent from the corpus


def test_cached_terms_give_the_same_answers(index: FilterIndex) -> None:
    # The second round is served from the term cache, including negations of cached terms.
    for _ in range(2):
        assert ids(index, "Iraq") == ["a1", "a3"]
        assert ids(index, "-iraq") == ["a2", "a4"]
        assert ids(index, "-after:2004-07") == ["a1"]


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("iraq foo:bar", "unknown field 'foo:'", 5),
        ('iraq "red line', "unterminated quote", 5),
        ('keyword:"military', "unterminated quote", 8),
        ("country:", "'country:' needs a value", 8),
        ("iraq -source: x", "'source:' needs a value", 13),
        ('entity:""', "'entity:' needs a value", 7),
        ("after:2004-13-01", "bad date '2004-13-01'", 6),
        ("before:yesterday", "bad date 'yesterday'", 7),
        ("-", "'-' must be followed by a term", 0),
        ("iraq - us", "'-' must be followed by a term", 5),
        ('""', "empty quotes", 0),
    ],
)
def test_parse_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in caught.value.message
    assert caught.value.position == position
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("country:Narnia", "unknown country 'Narnia'", 8),
        ("iraq -country:ZZ", "unknown country 'ZZ'", 14),
        ('country:"Middle Earth"', "unknown country 'Middle Earth'", 9),
        ("pair:IQ", "pair needs two countries", 5),
        ("pair:IQ-", "unknown country ''", 8),
        ("pair:IQ-Narnia", "unknown country 'Narnia'", 8),
        ("pair:Narnia-IQ", "unknown country 'Narnia'", 5),
        ("pair:IQ-Iraq", "names IQ twice", 5),
    ],
)
def test_resolution_errors(index: FilterIndex, text: str, message: str, position: int) -> None:
    query = parse_query(text)  # well-formed: only the corpus can tell these countries apart
    with pytest.raises(QueryError) as caught:
        index.matching_ids(query)
    assert message in caught.value.message
    assert caught.value.position == position


def test_parse_terms() -> None:
    query = parse_query('iraq -"red line" -Country:IQ keyword:"military bases" 10:30')
    assert query == Query(
        terms=(
            Term(None, "iraq", False, False, 0),
            Term(None, "red line", True, True, 5),
            Term("country", "IQ", True, False, 17),
            Term("keyword", "military bases", False, True, 29),
            Term(None, "10:30", False, False, 54),
        ),
        text='iraq -"red line" -Country:IQ keyword:"military bases" 10:30',
    )
    assert query.terms[2].value_position == 26


def test_relevance_orders_by_occurrences_title_first() -> None:
    analysis = make_analysis()
    extra = pl.DataFrame(
        [
            # "oil" in 3 of 7 articles: rare enough to rank by.
            {"id": "b1", "title": "Markets", "text": "oil oil oil", "source": "x"},
            {"id": "b2", "title": "Oil prices", "text": "oil", "source": "x"},
            {"id": "b3", "title": "Quiet day", "text": "oil", "source": "x"},
        ],
        schema=ARTICLE_SCHEMA,
    )
    analysis.articles = pl.concat([analysis.articles, extra])
    index = FilterIndex.build(analysis)
    query = parse_query("oil")
    found = index.matching_ids(query)
    assert found.to_list() == ["b1", "b2", "b3"]
    ranked = index.relevance(query, found)
    assert ranked.columns == ["id", "relevance"]
    # b2: headline hit (3) + body hit (1) = 4 beats b1's three body hits, beats b3's one.
    assert ranked.get_column("id").to_list() == ["b2", "b1", "b3"]
    scores = ranked.get_column("relevance").to_list()
    assert scores[0] / scores[2] == pytest.approx(4.0)


def test_relevance_of_field_terms_and_ties(index: FilterIndex) -> None:
    # a3 mentions Iraq three times (Baghdad, Iraq, Iraq), a1 twice (Iraqi, Baghdad).
    query = parse_query("country:IQ")
    assert index.relevance(query, index.matching_ids(query)).get_column("id").to_list() == ["a3", "a1"]
    # One Baghdad mention each: a tie keeps the given order.
    query = parse_query("entity:baghdad")
    assert index.relevance(query, pl.Series(["a3", "a1"])).get_column("id").to_list() == ["a3", "a1"]
    assert index.relevance(query, pl.Series(["a1", "a3"])).get_column("id").to_list() == ["a1", "a3"]
    # No rankable terms: every score 0, the given order kept; unknown ids score 0 too.
    query = parse_query("-source:bbc")
    ranked = index.relevance(query, pl.Series(["a4", "a2", "zz"]))
    assert ranked.rows() == [("a4", 0.0), ("a2", 0.0), ("zz", 0.0)]


def test_relevance_skips_terms_in_most_articles(index: FilterIndex) -> None:
    # "the"-like terms (here "a", in 3 of 4 articles) are too common to rank by.
    query = parse_query("a")
    ranked = index.relevance(query, index.matching_ids(query))
    assert set(ranked.get_column("relevance").to_list()) == {0.0}


def test_filter_articles_convenience() -> None:
    assert filter_articles(make_analysis(), "country:IQ -pair:IQ-RU").to_list() == ["a1"]


def test_rebuild_after_new_articles() -> None:
    analysis = make_analysis()
    extra = pl.DataFrame(
        [{"id": "a5", "title": "Iraq again", "text": "", "source": "bbc"}], schema=ARTICLE_SCHEMA
    )
    analysis.articles = pl.concat([analysis.articles, extra])
    assert FilterIndex.build(analysis).matching_ids(parse_query("iraq source:bbc")).to_list() == [
        "a1",
        "a3",
        "a5",
    ]


QUERY_PIECES = st.sampled_from(
    ["iraq", "-", '"', ":", " ", "country:", "pair:", "keyword:", "entity:", "source:", "after:", "before:",
     "IQ", "US-IQ", "Iraq", "2004-06-01", "2005", "foo:", "\t", "é", "$", "red line", "(", "\\", "*"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(QUERY_PIECES, max_size=8).map("".join)))
def test_any_text_parses_or_raises_query_error_and_matches_a_subset(text: str) -> None:
    index = _SHARED_INDEX
    try:
        query = parse_query(text)
        found = index.matching_ids(query)
        ranked = index.relevance(query, found)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        return
    assert set(found.to_list()) <= set(ALL)
    assert found.to_list() == [i for i in ALL if i in set(found.to_list())]  # articles-frame order
    assert sorted(ranked.get_column("id").to_list()) == sorted(found.to_list())


_SHARED_INDEX = FilterIndex.build(make_analysis())
