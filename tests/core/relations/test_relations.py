"""Country-pair relations: the cue lexicon, negation, venues, cue attribution, the summary frame, the seed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.articles import article_document, split_headline
from core.relations.pairs import (
    PAIR_MENTION_SCHEMA,
    PAIR_SUMMARY_SCHEMA,
    PairMention,
    pair_mention_frame,
    pair_mentions,
    summarise_pairs,
)
from core.relations.stance import QUADS, inflections, load_lexicon, parse_lexicon
from core.text.sentences import Sentence, sentence_at, split_sentences
from tests.helpers import classify_stance


@dataclass(frozen=True)
class FakeMention:
    """Stands in for core.countries.resolve.CountryMention."""

    surface: str
    start: int
    end: int
    sentence: int
    code: str
    name: str
    how: str = "name"
    locative: bool = False


# A toy gazetteer for hand-built mentions: surface -> (code, name).
GAZETTEER = {
    "Iraq": ("IQ", "Iraq"),
    "Iraqi": ("IQ", "Iraq"),
    "Baghdad": ("IQ", "Iraq"),
    "US": ("US", "United States"),
    "American": ("US", "United States"),
    "Washington": ("US", "United States"),
    "Russia": ("RU", "Russia"),
    "Moscow": ("RU", "Russia"),
    "Iranian": ("IR", "Iran"),
    "Tehran": ("IR", "Iran"),
    "Syria": ("SY", "Syria"),
    "Afghanistan": ("AF", "Afghanistan"),
    "South Korea": ("KR", "South Korea"),
    "Turkey": ("TR", "Turkey"),
    "Japan": ("JP", "Japan"),
    "Ukraine": ("UA", "Ukraine"),
    "France": ("FR", "France"),
}
_NAMES = re.compile(r"\b(" + "|".join(sorted(GAZETTEER, key=len, reverse=True)) + r")\b")
_VENUE_BEFORE = re.compile(r"\b(?:in|from)\s+$", re.IGNORECASE)


def toy_mentions(document: str, sentences: list[Sentence]) -> list[FakeMention]:
    """Hand-built mentions: gazetteer names, locative when right after "in"/"from"."""
    found = []
    for match in _NAMES.finditer(document):
        code, name = GAZETTEER[match.group()]
        locative = bool(_VENUE_BEFORE.search(document, max(0, match.start() - 6), match.start()))
        found.append(
            FakeMention(
                match.group(),
                match.start(),
                match.end(),
                sentence_at(sentences, match.start()),
                code,
                name,
                locative=locative,
            )
        )
    return found


def pairs_of(text: str, use_model: bool = False) -> list[PairMention]:
    """The pairs of a hand-written text by the event coder's rules (the stance model is tested on its
    own in test_stance_model.py and end to end on the seed below)."""
    sentences = split_sentences(text)
    return pair_mentions(text, sentences, toy_mentions(text, sentences), use_model=use_model)


def by_codes(pairs: list[PairMention]) -> dict[tuple[str, str], PairMention]:
    return {(p.code_a, p.code_b): p for p in pairs}


@pytest.fixture(scope="module")
def seed_document(seed_path: Path) -> str:
    raw = seed_path.read_text(encoding="utf-8")
    return article_document(*split_headline(raw))


# --- the lexicon -------------------------------------------------------------------------------


def test_every_quad_class_has_cues_and_material_outweighs_verbal() -> None:
    lexicon = load_lexicon()
    for quad in QUADS:
        assert lexicon.cues[quad], quad
    assert lexicon.weight("material_conflict") > lexicon.weight("verbal_conflict")
    assert abs(classify_stance("Russia attacked Ukraine.").score) > abs(
        classify_stance("Russia warned Ukraine.").score
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "They agreed.",
        "They assist.",
        "They exchange information.",
        "They signed.",
        "They purchase it.",
        "They bought it.",
        "A visit.",
        "They support it.",
        "They cooperate.",
        "Growing ties.",
        "A deal.",
        "Food aid.",
    ],
)
def test_cooperation_cues(sentence: str) -> None:
    assert classify_stance(sentence).stance == "cooperation"


@pytest.mark.parametrize(
    "sentence",
    [
        "They reject it.",
        "They denied it.",
        "They refuse.",
        "They warned.",
        "They threaten.",
        "They invaded.",
        "They sanctioned it.",
        "They forced the army to withdraw.",
        "They accused.",
        "They attacked.",
        "An air strike.",
        "They condemned it.",
        "Pressure grew.",
    ],
)
def test_conflict_cues(sentence: str) -> None:
    assert classify_stance(sentence).stance == "conflict"


@pytest.mark.parametrize("word", ["assist", "assists", "assisted", "assisting", "assistance"])
def test_inflections_and_derived_forms_match(word: str) -> None:
    stance = classify_stance(f"Russia {word} Iraq.")
    assert stance.stance == "cooperation"
    assert stance.cues == (word,)
    assert stance.quads == ("material_cooperation",)


def test_inflection_rules() -> None:
    assert {"agrees", "agreed", "agreeing"} <= inflections("agree")
    assert {"denies", "denied", "denying"} <= inflections("deny")
    assert {"bans", "banned", "banning"} <= inflections("ban")


def test_multi_word_cues_beat_their_parts() -> None:
    assert classify_stance("striking deals to buy arms").cues == ("striking deals", "buy")
    assert classify_stance("Paris cut ties with them").stance == "conflict"
    withdrawal = classify_stance("Baghdad virtually forced Washington to withdraw its forces")
    assert withdrawal.cues == ("forced washington to withdraw",)
    assert withdrawal.quads == ("material_conflict",)
    # "according" is not the cue "accord", nor "signs of" the cue "sign".
    assert classify_stance("According to officials there were signs of change").cues == ()


def test_malformed_lexicon_is_reported() -> None:
    with pytest.raises(ValueError, match="verbal_conflict"):
        parse_lexicon({"verbal_conflict": {"cues": ["warn", ""]}})
    with pytest.raises(ValueError, match="damping"):
        parse_lexicon({"settings": {"damping": "high"}, "verbal_conflict": {"cues": ["warn"]}})


# --- negation ----------------------------------------------------------------------------------


def test_did_not_agree_is_conflict() -> None:
    stance = classify_stance("Iraq did not agree to the proposal.")
    assert (stance.stance, stance.cues, stance.quads) == ("conflict", ("not+agree",), ("verbal_conflict",))
    assert classify_stance("Iraq didn’t agree.").cues == ("not+agree",)


def test_refused_to_sign_is_one_conflict_cue() -> None:
    stance = classify_stance("Iran refused to sign.")
    assert (stance.stance, stance.cues) == ("conflict", ("refused+sign",))
    # The negated verb's object is negated too; "refused" alone stays a conflict cue.
    assert classify_stance("Iran refused to sign the accord.").cues == ("refused+sign", "refused+accord")
    assert classify_stance("Iran refused the offer.").cues == ("refused",)


def test_negated_conflict_is_neutral() -> None:
    stance = classify_stance("Russia never threatened Ukraine.")
    assert (stance.stance, stance.score, stance.cues, stance.quads) == (
        "neutral",
        0.0,
        ("never+threatened",),
        ("neutral",),
    )
    assert classify_stance("France did not threaten anyone.").stance == "neutral"


@pytest.mark.parametrize(
    ("sentence", "cues"),
    [
        ("But no extension was given to the US military presence.", ("no+extension",)),
        ("They failed to reach an agreement.", ("failed+agreement",)),
        ("They acted without consultation.", ("without+consultation",)),
    ],
)
def test_other_negators(sentence: str, cues: tuple[str, ...]) -> None:
    stance = classify_stance(sentence)
    assert (stance.stance, stance.cues) == ("conflict", cues)


def test_negation_stops_at_clauses_and_exceptions() -> None:
    assert classify_stance("They did not attack, but agreed to talks.").stance == "cooperation"
    assert classify_stance("They did not only agree.").cues == ("agree",)
    # Too far: more than three words between the negator and the cue.
    assert classify_stance("Not one of the many delegates agreed.").cues == ("agreed",)


# --- pair mentions -----------------------------------------------------------------------------


def test_one_pair_per_unordered_pair_of_different_countries() -> None:
    pairs = pairs_of("Russia and Iraq signed a deal. Iraq thanked Baghdad. Russia, Iraq and the US met.")
    assert [(p.sentence, p.code_a, p.code_b) for p in pairs] == [
        (0, "IQ", "RU"),
        (2, "IQ", "RU"),
        (2, "IQ", "US"),
        (2, "RU", "US"),
    ]
    first = pairs[0]
    assert (first.name_a, first.name_b, first.text) == ("Iraq", "Russia", "Russia and Iraq signed a deal.")
    assert (first.start, first.end) == (0, len(first.text))


def test_cues_go_to_the_pair_named_closest_around_them() -> None:
    pairs = by_codes(pairs_of("Washington worried over Baghdad growing ties with Moscow"))
    assert (pairs["IQ", "US"].stance, pairs["IQ", "US"].cues) == ("conflict", ("worried",))
    assert (pairs["IQ", "RU"].stance, pairs["IQ", "RU"].cues) == ("cooperation", ("ties",))
    assert (pairs["RU", "US"].stance, pairs["RU", "US"].cues) == ("neutral", ())


def test_venue_only_country_stays_out_of_net() -> None:
    pairs = by_codes(pairs_of("Iraq’s minister, talking to journalists in Moscow, rejected US bases."))
    assert (pairs["IQ", "RU"].venue, pairs["IQ", "RU"].weight, pairs["IQ", "RU"].event) == (True, 0.0, None)
    assert (pairs["IQ", "US"].venue, pairs["IQ", "US"].weight) == (False, 1.0)
    assert (pairs["RU", "US"].venue, pairs["RU", "US"].weight, pairs["RU", "US"].stance) == (
        True,
        0.0,
        "neutral",
    )
    # An actor mention anywhere in the sentence makes the country an actor.
    assert by_codes(pairs_of("In Moscow, Iraq thanked Russia."))["IQ", "RU"].venue is False
    assert pairs_of("Storms in Iraq and in Turkey eased.")[0].weight == 0.0


def test_venue_pairs_get_no_event() -> None:
    text = "Iraq said US bases in Turkey and in Japan were a violation of their sovereignty."
    pairs = by_codes(pairs_of(text))
    # The speaker judges what it reports: Iraq -> US, Disapprove.
    iq_us = pairs["IQ", "US"]
    assert (iq_us.source, iq_us.target, iq_us.event, iq_us.cues) == ("IQ", "US", "11", ("violation",))
    assert all(p.event is None and p.cues == () for codes, p in pairs.items() if codes != ("IQ", "US"))
    visit = by_codes(pairs_of("Iraq’s minister, in Moscow on a visit, said Baghdad rejects US bases."))
    assert (visit["IQ", "RU"].event, visit["IQ", "US"].cues) == (None, ("rejects", "bases"))


def test_cue_inside_a_country_name_is_ignored() -> None:
    text = "Aid Land and Iraq met."  # a made-up country whose name holds a cue word
    mentions = [
        FakeMention("Aid Land", 0, 8, 0, "AL", "Aid Land"),
        FakeMention("Iraq", 13, 17, 0, "IQ", "Iraq"),
    ]
    (pair,) = pair_mentions(text, split_sentences(text), mentions)
    assert pair.cues == ("met",)


def test_mention_outside_the_sentences_is_an_error() -> None:
    with pytest.raises(ValueError, match="sentence 3"):
        pair_mentions("Iraq.", split_sentences("Iraq."), [FakeMention("Iraq", 0, 4, 3, "IQ", "Iraq")])


# --- the summary frame -------------------------------------------------------------------------


def _frame() -> pl.DataFrame:
    return pair_mention_frame(
        [
            ("a1", pairs_of("Russia attacked Ukraine. Russia and Ukraine agreed to talks.")),
            (
                "a2",
                pairs_of("Ukraine and Russia met. Iraq thanked Russia for aid. France and Iraq met in Iraq."),
            ),
            ("a3", pairs_of("Russia threatened Ukraine. In Moscow, Iraq spoke of Ukraine.")),
        ]
    )


def test_summary_columns_counts_and_net_bounds() -> None:
    keywords = pl.DataFrame(
        {
            "article_id": ["a1", "a1", "a2"],
            "rank": [1, 2, 1],
            "phrase": ["talks", "Ukraine", "aid"],
            "score": [0.1] * 3,
        }
    )
    summary = summarise_pairs(_frame(), keywords)
    assert summary.schema == pl.Schema(PAIR_SUMMARY_SCHEMA)
    assert summary["net"].is_between(-1, 1).all()
    ru_ua = summary.row(0, named=True)
    assert (ru_ua["code_a"], ru_ua["code_b"], ru_ua["sentences"], ru_ua["articles"]) == ("RU", "UA", 5, 3)
    assert (ru_ua["cooperation"], ru_ua["conflict"], ru_ua["neutral"]) == (2, 2, 1)
    assert ru_ua["net"] == 0.0
    # The material "attacked" is the strongest evidence; keywords come from the pair's sentences.
    assert ru_ua["evidence"][0]["text"] == "Russia attacked Ukraine."
    assert ru_ua["evidence"][0]["cues"] == ["attacked"]
    assert ru_ua["keywords"] == ["Ukraine", "talks"]
    # QuadClass counts for the pane's bar: met/agreed are verbal cooperation, attacked material conflict.
    assert (ru_ua["verbal_cooperation"], ru_ua["verbal_conflict"], ru_ua["material_conflict"]) == (2, 1, 1)
    assert ru_ua["evidence"][0]["event"] == "19" and ru_ua["evidence"][0]["source"] == "RU"
    iq_ru = summary.filter(pl.col("code_a") == "IQ", pl.col("code_b") == "RU").row(0, named=True)
    # One cooperative actor sentence (weight 1) and one venue-only sentence (weight 0): the venue
    # sentence is counted as neutral but does not enter net.
    assert (iq_ru["neutral"], iq_ru["net"], iq_ru["keywords"]) == (1, 1.0, ["aid"])
    assert summarise_pairs(_frame())["keywords"].to_list() == [[]] * summary.height


def test_summary_filters_by_articles_country_and_size() -> None:
    frame = _frame()
    only_a1 = summarise_pairs(frame, article_ids={"a1"})
    assert only_a1.select("code_a", "code_b", "sentences").rows() == [("RU", "UA", 2)]
    assert summarise_pairs(frame.lazy(), article_ids=["a2", "a3"])["sentences"].sum() == 7
    assert set(summarise_pairs(frame, country="iq")["code_a"]) == {"FR", "IQ"}
    assert summarise_pairs(frame, min_sentences=2).height == 2
    assert summarise_pairs(frame, evidence_limit=1)["evidence"].list.len().max() == 1
    empty = summarise_pairs(frame, article_ids=[])
    assert empty.height == 0 and empty.schema == pl.Schema(PAIR_SUMMARY_SCHEMA)
    assert summarise_pairs(pl.DataFrame(schema=PAIR_MENTION_SCHEMA)).height == 0


def test_summary_of_a_subset_of_fifty_thousand_pair_mentions() -> None:
    # Speed is measured in benchmarks/, not asserted here; this checks the subset arithmetic at scale.
    base = _frame()
    copies = 50_000 // base.height + 1
    frame = pl.concat([base.with_columns(article_id=pl.lit(f"x{i}")) for i in range(copies)])
    whole = summarise_pairs(frame)
    half = summarise_pairs(frame, article_ids=[f"x{i}" for i in range(0, copies, 2)])
    assert whole.get_column("sentences").sum() == frame.height
    assert half.get_column("sentences").sum() == base.height * len(range(0, copies, 2))


# --- the seed article --------------------------------------------------------------------------


def _check_seed_summary(pairs: list[PairMention]) -> None:
    summary = summarise_pairs(pair_mention_frame([("seed", pairs)]))
    rows = {(r["code_a"], r["code_b"]): r for r in summary.iter_rows(named=True)}
    iq_ru, iq_us = rows["IQ", "RU"], rows["IQ", "US"]
    assert iq_ru["net"] > 0.5 and iq_ru["conflict"] == 0
    assert iq_us["net"] < 0 and iq_us["conflict"] >= 5
    by_start = {p.text[:30]: p for p in pairs}

    def event_of(start: str, pair: tuple[str, str]) -> tuple[object, ...]:
        found = next(p for p in pairs if p.text.startswith(start) and (p.code_a, p.code_b) == pair)
        return (found.source, found.target, found.event_name, found.cues[0] if found.cues else None)

    assert by_start
    assert event_of("In a major setback", ("IQ", "US")) == ("IQ", "US", "Reject", "denied")
    assert event_of("In 2003, US invaded", ("IQ", "US")) == ("US", "IQ", "Fight", "invaded")
    assert event_of("Iraq’s foreign minister Ibrahim", ("IQ", "US"))[:3] == ("IQ", "US", "Reject")
    assert event_of("Washington worried", ("IQ", "US"))[:2] == ("US", "IQ")
    assert event_of("Washington worried", ("IQ", "RU")) == ("IQ", "RU", "Diplomatic cooperation", "ties")
    # Moscow is only where the minister spoke: no event, no weight.
    venue = next(
        p for p in pairs if p.text.startswith("Iraq’s foreign minister Ibrahim") and p.code_b == "RU"
    )
    assert (venue.event, venue.weight) == (None, 0.0)
    # The Neuert sentence: the warning goes to Iraq–US, the cooperation to Iraq–Russia.
    neuert = [p for p in pairs if "Heather Neuert" in p.text]
    stances = {(p.code_a, p.code_b): p.stance for p in neuert}
    assert (stances["IQ", "RU"], stances["IQ", "US"]) == ("cooperation", "conflict")


def test_seed_relations_with_hand_built_mentions(seed_document: str) -> None:
    sentences = split_sentences(seed_document)
    _check_seed_summary(pair_mentions(seed_document, sentences, toy_mentions(seed_document, sentences)))


def test_seed_relations_end_to_end(seed_document: str) -> None:
    countries: Any = pytest.importorskip("core.countries.resolve")
    sentences = split_sentences(seed_document)
    mentions = countries.find_country_mentions(seed_document, sentences)
    _check_seed_summary(pair_mentions(seed_document, sentences, mentions))


# --- robustness --------------------------------------------------------------------------------

_awkward_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "\n\t ", "🙂 Iraq 🙂", "\x00\x01\x7f\u200b", "not", "not not never no", "x" * 100_000]
    ),
    st.lists(
        st.sampled_from(["Iraq", "Russia", "not", "agreed", "’", "“", ".", "\n", "forced", "to", "🙂"])
    ).map(" ".join),
)


@settings(max_examples=150, deadline=None)
@given(text=_awkward_text)
def test_no_text_crashes_the_classifier_or_pairing(text: str) -> None:
    stance = classify_stance(text)
    assert -1 <= stance.score <= 1 and len(stance.cues) == len(stance.quads)
    sentences = split_sentences(text)
    pairs = pair_mentions(text, sentences, toy_mentions(text, sentences))
    assert all(p.code_a < p.code_b and -1 <= p.score <= 1 for p in pairs)
    if text:
        # Mentions at arbitrary valid offsets, of two countries, in the first sentence.
        pair_mentions(
            text,
            sentences or [Sentence(0, 0, len(text))],
            [
                FakeMention("?", 0, len(text), 0, "AA", "A"),
                FakeMention("?", len(text) // 2, len(text), 0, "BB", "B"),
            ],
        )


def test_cue_between_long_words_is_found() -> None:
    assert classify_stance("a" * 100_000 + " agreed " + "b" * 100_000).stance == "cooperation"


def test_lexicon_file_is_the_one_shipped(tmp_path: Path) -> None:
    # A copy with one cue edited is picked up from its own path: the lexicon is data, not code.
    from core.paths import data_dir

    edited = (
        (data_dir() / "relation_cues.toml")
        .read_text(encoding="utf-8")
        .replace('"visit",', '"visit", "wave",')
    )
    path = tmp_path / "cues.toml"
    path.write_text(edited, encoding="utf-8")
    assert classify_stance("They wave.", load_lexicon(path)).stance == "cooperation"
    assert classify_stance("They wave.").stance == "neutral"


def test_pair_keywords_do_not_depend_on_how_much_evidence_is_shown(seed_path: Path) -> None:
    from core.analysis.run import analyse_corpus
    from core.ingest.load import load_articles

    analysis = analyse_corpus(load_articles([seed_path]).articles, workers=1)
    keywords = {
        limit: summarise_pairs(analysis.pairs, analysis.keywords, evidence_limit=limit)
        .select("code_a", "code_b", "keywords")
        .rows()
        for limit in (0, 1, 2, 10)
    }
    assert keywords[0] == keywords[1] == keywords[2] == keywords[10]
    # Not vacuous: the seed's pairs have keywords even with no evidence sentence shown.
    assert sum(len(words) > 0 for _, _, words in keywords[0]) >= 3
