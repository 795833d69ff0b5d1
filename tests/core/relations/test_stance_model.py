"""The stance model: its features, the policy that combines it with the event coder, its file, its
place in the pipeline. Policy tests use hand-built weights, so that they say what the code does
whatever the shipped weights learned; the shipped file is checked for its shape here and on the
seed article in test_relations."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.relations.event_coder import PairEvent, load_rules, tokenize
from core.relations.pairs import event_headline, pair_mentions
from core.relations.stance_model import (
    MODEL_RULE,
    Judgement,
    LogisticModel,
    StanceModel,
    Thresholds,
    decide,
    judge,
    load_stance_model,
    may_fill,
    model_from_json,
    model_to_json,
    pair_features,
    read_stance_model,
    rule_kind,
    sentence_evidence,
)
from core.text.sentences import split_sentences
from tests.core.relations.test_relations import toy_mentions

NO_EVENT = PairEvent(None, None, None, None, (), "no event links the pair")
VENUE = PairEvent(None, None, None, None, (), "venue: a country named only as a place", True)
CONSULT = PairEvent("04", "040", "TR", "GR", ("left",), "PETRARCH GO_SOMEWHERE [040]")


def evidence_of(text: str, spans: list[tuple[int, int, str, bool]] = []):  # noqa: B006
    return sentence_evidence(tokenize(text), text, load_rules(), spans)


def model(
    event: dict[str, float], conflict: dict[str, float], venue: float = 1.01, margin: float = 0.0
) -> StanceModel:
    return StanceModel(LogisticModel(event), LogisticModel(conflict), Thresholds(0.5, 0.8, venue, margin))


# --- features ------------------------------------------------------------------------------------


def test_sentence_evidence_reads_lexicon_dictionary_and_content_words() -> None:
    evidence = evidence_of("Turkey attacked rebel bases in Syria")
    assert "w:attack" in evidence.features and "w:rebel" in evidence.features
    assert "lex:material_conflict" in evidence.features  # "attacked" is a cue of relation_cues.toml
    assert any(f.startswith("verb:") for f in evidence.features)  # a PETRARCH verb
    assert "w:in" not in evidence.features  # "in" is in the sentence: function words carry no stance
    assert ("attacked", "material_conflict") in evidence.cues


def test_pair_features_say_where_the_two_countries_stand() -> None:
    text = "Turkey attacked rebel bases in Syria"
    spans = [(0, 6, "TR", False), (31, 36, "SY", True)]
    features = pair_features(evidence_of(text, spans), CONSULT, "SY", "TR")
    assert {"bias", "coder:verbal_cooperation", "rule:petrarch", "root:04", "cue:left"} <= set(features)
    assert "before:in|place" in features and "before:^|actor" in features
    assert {"mid:attack", "mid:rebel"} <= set(features)  # the words between them, stemmed
    assert "actors:1" in features  # Turkey an actor, Syria only a place
    assert {"near:attack", "near:rebel", "near:bas"} <= set(features)  # three words either side
    # The sentence's classes beside the coder's answer, and newsdesk's own verb table's class.
    assert "lex:material_conflict|coder=verbal_cooperation" in features


def test_a_third_countrys_name_is_no_word_between_or_around_the_pair() -> None:
    text = "Turkey and Iran attacked Syria"
    spans = [(0, 6, "TR", False), (11, 15, "IR", False), (25, 30, "SY", False)]
    features = set(pair_features(evidence_of(text, spans), CONSULT, "SY", "TR"))
    assert "mid:attack" in features and not {"mid:iran", "near:iran", "w:iran"} & features


def test_newsdesks_own_verb_table_speaks_beside_petrarchs() -> None:
    # event_rules.toml: "shell" is an attack (190), "open" alone no event ("---").
    features = evidence_of("Turkey shelled Syria and opened a border post").features
    assert "rule_verb:material_conflict" in features and "rule_verb:none" in features


def test_the_countries_own_names_are_no_evidence() -> None:
    # The model judges what the sentence says, not who is in it.
    text = "Iranian officials met Syria's foreign minister"
    evidence = evidence_of(text, [(0, 7, "IR", False), (22, 29, "SY", False)])
    assert "w:official" in evidence.features
    assert not {"w:iranian", "w:syria", "w:syria's"} & set(evidence.features)


def test_negated_words_are_features_of_their_own() -> None:
    evidence = evidence_of("Iran has not threatened Israel and never attacked it")
    assert {"neg:threaten", "neg:attack"} <= set(evidence.features)
    assert "w:threaten" in evidence.features  # the word itself stays: the weights tell them apart


def test_a_country_after_a_negator_is_no_negated_word() -> None:
    text = "Iran did not attack Israel"
    evidence = evidence_of(text, [(0, 4, "IR", False), (20, 26, "IL", False)])
    assert "neg:attack" in evidence.features and "neg:israel" not in evidence.features
    assert "neg:israel" in evidence_of(text).features  # unnamed, it is a word like any other


def test_rule_kind_is_the_rule_family() -> None:
    assert rule_kind("PETRARCH ACCLAIM [051]") == "petrarch"
    assert rule_kind("venue: a country named only as a place") == "venue"
    assert rule_kind("event_rules [verbs] ask") == "event_rules"
    assert rule_kind("") == "none"


# --- the policy ------------------------------------------------------------------------------------


def test_a_neutral_pair_takes_the_model_stance_only_above_the_fill_threshold() -> None:
    evidence = evidence_of("Turkey attacked Syria")
    sure = model({"w:attack": 3.0}, {"w:attack": 2.0})
    verdict = judge(sure, evidence, NO_EVENT)
    assert verdict is not None and verdict.stance == "conflict"
    assert verdict.reasons[0] == "w:attack" and verdict.p_event > 0.5
    assert verdict.quad == "material_conflict"  # the lexicon's cue "attacked"
    doubtful = model({"w:attack": -3.0}, {"w:attack": 2.0})
    assert judge(doubtful, evidence, NO_EVENT) is None


def test_a_third_country_leaves_the_neutral_pairs_to_the_coder() -> None:
    # The model reads the sentence, not the pair: with three countries it may not fill in a pair
    # the coder found no event between, whatever it thinks of the sentence.
    evidence = evidence_of("Turkey attacked Syria")
    sure = model({"w:attack": 3.0}, {"w:attack": 2.0})
    assert judge(sure, evidence, NO_EVENT, only_pair=False) is None
    agrees = model({}, {"w:attack": -9.0})
    assert judge(agrees, evidence, CONSULT, only_pair=False) is None  # cooperation, as the coder says
    verdict = judge(model({}, {"w:attack": 9.0}), evidence, CONSULT, only_pair=False)
    assert verdict is not None and verdict.stance == "conflict"  # a coded event may still be flipped


def test_the_coder_event_stands_unless_the_model_is_sure_of_the_other_polarity() -> None:
    evidence = evidence_of("A Turkish ship left for the Aegean in a row with Greece")
    flips = model({}, {"w:row": 3.0})  # P(conflict) 0.95 >= 0.8
    verdict = judge(flips, evidence, CONSULT)
    assert verdict is not None and verdict.stance == "conflict"
    rule = verdict.rule(CONSULT)
    assert rule.startswith(f"{MODEL_RULE}: conflict 0.95") and "row" in rule and "coder said Consult" in rule
    assert judge(model({}, {"w:row": 1.0}), evidence, CONSULT) is None  # 0.73 < 0.8: the coder stands
    assert judge(model({}, {"w:row": -3.0}), evidence, CONSULT) is None  # agrees with the coder


def test_a_venue_pair_is_judged_only_under_its_own_threshold() -> None:
    evidence = evidence_of("U.S. forces in Afghanistan killed militants")
    weights = ({"w:kill": 3.0}, {"w:kill": 3.0})
    assert judge(model(*weights), evidence, VENUE) is None  # venue threshold off (1.01)
    verdict = judge(model(*weights, venue=0.9), evidence, VENUE)
    assert verdict is not None and verdict.stance == "conflict"
    assert judge(model(*weights, venue=0.9), evidence, VENUE, only_pair=False) is None


def test_a_fill_needs_a_polarity_margin() -> None:
    evidence = evidence_of("Turkey attacked Syria")
    leaning = ({"w:attack": 3.0}, {"w:attack": 0.2})  # P(conflict) 0.55
    assert judge(model(*leaning), evidence, NO_EVENT) is not None
    assert judge(model(*leaning, margin=0.1), evidence, NO_EVENT) is None


def test_the_decision_quad_is_the_commonest_lexicon_class_first_found_on_a_tie() -> None:
    # "attacked" (material) and "threatened" (verbal) tie: the first found wins, in every process.
    evidence = evidence_of("Turkey attacked and threatened Syria")
    verdict = judge(model({"bias": 9.0}, {"bias": 9.0}), evidence, NO_EVENT)
    assert verdict is not None and verdict.quad == "material_conflict"
    assert [quad for _, quad in evidence.cues] == ["material_conflict", "verbal_conflict"]


def test_decide_is_the_policy_training_and_pipeline_share() -> None:
    thresholds = Thresholds(fill=0.5, flip=0.8, venue=0.9, margin=0.1)
    assert decide(thresholds, NO_EVENT, 0.6, 0.9, fillable=True) == "conflict"
    assert decide(thresholds, NO_EVENT, 0.6, 0.55, fillable=True) is None  # within the margin
    assert decide(thresholds, NO_EVENT, 0.6, 0.9, fillable=False) is None  # see may_fill
    assert decide(thresholds, VENUE, 0.6, 0.9, fillable=True) is None  # below the venue threshold
    assert decide(thresholds, VENUE, 0.95, 0.9, fillable=True) == "conflict"
    assert decide(thresholds, CONSULT, 0.1, 0.85, fillable=False) == "conflict"  # sure: flipped
    assert decide(thresholds, CONSULT, 0.9, 0.75, fillable=True) is None  # not sure enough


def test_a_pair_is_filled_in_only_alone_in_its_sentence_and_with_no_negated_conflict() -> None:
    assert may_fill(evidence_of("Turkey attacked Syria"), only_pair=True)
    assert not may_fill(evidence_of("Turkey attacked Syria"), only_pair=False)  # a third country
    for negated in (
        "Turkey did not attack Syria",
        "Turkey has never threatened Syria",
        "no war with Syria",
        "Turkey didn't attack Syria",
        "Turkey cannot attack Syria",
        "neither Turkey nor Iran will attack Syria",
    ):
        assert evidence_of(negated).negated_conflict
        assert not may_fill(evidence_of(negated), only_pair=True)
    # A negated cooperation word, or a conflict word out of the negator's reach, is no such thing.
    assert not evidence_of("Turkey did not sign the deal with Syria").negated_conflict
    assert not evidence_of("Turkey did not say whether it will soon attack Syria").negated_conflict


def test_the_model_never_fills_in_a_negated_conflict() -> None:
    evidence = evidence_of("Turkey did not attack Syria")
    sure = model({"bias": 9.0}, {"bias": 9.0})
    assert judge(sure, evidence, NO_EVENT) is None
    assert judge(sure, evidence_of("Turkey attacked Syria"), NO_EVENT) is not None


def test_a_coded_pair_loses_its_stance_only_below_the_clear_threshold() -> None:
    thresholds = Thresholds(fill=0.5, flip=0.8, clear=0.2)
    assert decide(thresholds, CONSULT, 0.1, 0.2, fillable=False) == "neutral"  # sure: no event
    assert decide(thresholds, CONSULT, 0.1, 0.9, fillable=True) == "neutral"  # before any flip
    assert decide(thresholds, CONSULT, 0.25, 0.2, fillable=True) is None  # above it: the coder stands
    assert decide(thresholds, NO_EVENT, 0.1, 0.9, fillable=True) is None  # nothing to take off
    assert decide(Thresholds(0.5, 0.8), CONSULT, 0.01, 0.2, fillable=True) is None  # off by default


def test_a_cleared_pair_says_what_weighed_against_an_event() -> None:
    evidence = evidence_of("A Turkish ship left for the Aegean, far from Greece")
    clearing = StanceModel(
        LogisticModel({"bias": -1.0, "w:far": -2.0, "w:ship": 0.5}),
        LogisticModel({}),
        Thresholds(0.5, 0.8, clear=0.2),
    )
    verdict = judge(clearing, evidence, CONSULT)
    assert verdict is not None and (verdict.stance, verdict.quad) == ("neutral", "neutral")
    assert verdict.reasons == ("w:far",)  # only what pushed towards "no event"
    assert verdict.rule(CONSULT) == f"{MODEL_RULE}: no event 0.92 (far; coder said Consult)"
    # The bias alone: nothing of the sentence to name.
    alone = judge(
        StanceModel(LogisticModel({"bias": -3.0}), LogisticModel({}), Thresholds(0.5, 0.8, clear=0.2)),
        evidence,
        CONSULT,
    )
    assert alone is not None and alone.rule(CONSULT) == f"{MODEL_RULE}: no event 0.95 (coder said Consult)"


def test_a_decision_shows_words_of_the_sentence_as_its_cues() -> None:
    verdict = Judgement(
        "conflict", "verbal_conflict", 0.9, 0.9, ("w:row", "mid:far", "lex:verbal_conflict", "neg:agre")
    )
    assert verdict.words == ("row", "not agre")
    assert "the two far apart" in verdict.rule(CONSULT) and "lex: verbal_conflict" in verdict.rule(CONSULT)


def test_reasons_leave_out_features_that_pushed_the_other_way() -> None:
    weights = LogisticModel({"w:row": 2.0, "w:deal": -1.0, "bias": 5.0})
    features = ["bias", "w:row", "w:deal"]
    assert weights.strongest(features, +1) == ["w:row"]
    assert weights.strongest(features, -1) == ["w:deal"]


# --- the file ------------------------------------------------------------------------------------------


def test_shipped_model_loads_with_thresholds_and_both_heads() -> None:
    shipped = load_stance_model()
    assert shipped.event.weights and shipped.conflict.weights
    thresholds = shipped.thresholds
    assert 0 < thresholds.fill <= 1.01 and 0.5 <= thresholds.flip <= 1.01 and 0 <= thresholds.margin < 0.5
    assert "bias" in shipped.event.weights
    assert shipped.trained_on


def test_model_round_trips_and_a_broken_file_names_itself(tmp_path: Path) -> None:
    original = model({"w:a": 1.0, "bias": -0.5}, {"w:b": 2.0}, venue=0.7)
    path = tmp_path / "stance.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(model_to_json(original), handle)
    assert read_stance_model(path) == original
    broken = model_to_json(original)
    del broken["conflict"]
    with pytest.raises(ValueError, match="my file: not a stance model"):
        model_from_json(broken, "my file")
    with pytest.raises(ValueError, match="format"):
        model_from_json({**model_to_json(original), "format": 99}, "my file")


# --- in the pipeline ---------------------------------------------------------------------------------


def test_a_model_decision_is_shown_as_such_in_the_pair_and_its_headline() -> None:
    text = "Iraq attacked Syria."
    sentences = split_sentences(text)
    mentions = toy_mentions(text, sentences)
    alone = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, use_model=False)}
    assert (alone["IQ", "SY"].event_name, alone["IQ", "SY"].stance) == ("Fight", "conflict")
    # A model sure of cooperation overrules the coder: the pair says so, and what weighed.
    sure = StanceModel(
        LogisticModel({"bias": 9.0}),
        LogisticModel({"bias": -9.0, "w:attack": -1.0, "lex:material_conflict": -0.5}),
        Thresholds(0.5, 0.6),
    )
    judged = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, stance_model=sure)}
    pair = judged["IQ", "SY"]
    assert (pair.stance, pair.event, pair.event_name) == ("cooperation", None, "")
    assert pair.rule.startswith(f"{MODEL_RULE}: cooperation 1.00 (attack, lex: material_conflict;")
    assert "coder said Fight" in pair.rule
    # The cues are the sentence's words that weighed (not feature names); the score is halved like
    # the coder's guesses (it orders the evidence), the weight in `net` is a whole sentence.
    assert pair.cues == ("attack",) and pair.quad == "verbal_cooperation"
    assert (pair.score, pair.weight, pair.venue) == (0.25, 1.0, False)
    assert (pair.source, pair.target) == ("IQ", "SY")  # who acted on whom is still the coder's reading
    headline = event_headline({"stance": pair.stance, "event": None, "cues": list(pair.cues)}, "IQ", "SY")
    assert headline == f"IQ – SY · cooperation ({MODEL_RULE}) · attack"
    # With the model off, or agreeing, the coder's event stands untouched.
    agreeing = StanceModel(LogisticModel({"bias": 9.0}), LogisticModel({"bias": 9.0}), Thresholds(0.5, 0.6))
    same = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, stance_model=agreeing)}
    assert same["IQ", "SY"] == alone["IQ", "SY"]


def test_the_pipeline_leaves_a_neutral_pair_alone_when_a_third_country_is_named() -> None:
    text = "Iraq and Syria met while Russia watched."
    sentences = split_sentences(text)
    mentions = toy_mentions(text, sentences)
    sure = StanceModel(LogisticModel({"bias": 9.0}), LogisticModel({"bias": 9.0}), Thresholds(0.5, 0.6))
    alone = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, use_model=False)}
    judged = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, stance_model=sure)}
    assert len(judged) == 3
    for key, pair in judged.items():
        if alone[key].event is None:
            assert pair == alone[key]  # three countries: no fill-in
        else:
            assert pair.stance == "conflict"  # a coded event may still be overruled


def test_a_model_decision_on_a_venue_pair_makes_it_count() -> None:
    text = "Iraq troops fought rebels in Syria."
    sentences = split_sentences(text)
    mentions = toy_mentions(text, sentences)
    alone = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, use_model=False)}
    assert alone["IQ", "SY"].venue and alone["IQ", "SY"].weight == 0.0
    sure = StanceModel(LogisticModel({"bias": 9.0}), LogisticModel({"bias": 9.0}), Thresholds(0.5, 0.6, 0.9))
    pair = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, stance_model=sure)}[
        "IQ", "SY"
    ]
    assert (pair.stance, pair.venue, pair.weight) == ("conflict", False, 1.0)


def test_the_pipeline_takes_a_coded_stance_off_when_the_model_is_sure_there_is_no_event() -> None:
    text = "Iraq attacked Syria."
    sentences = split_sentences(text)
    mentions = toy_mentions(text, sentences)
    clearing = StanceModel(
        LogisticModel({"bias": -9.0}), LogisticModel({"bias": 9.0}), Thresholds(0.5, 0.6, clear=0.2)
    )
    pair = {(p.code_a, p.code_b): p for p in pair_mentions(text, sentences, mentions, stance_model=clearing)}[
        "IQ", "SY"
    ]
    # A neutral sentence between the two (weight 1): it dilutes `net`, as any neutral one does.
    assert (pair.stance, pair.event, pair.quad, pair.score, pair.weight) == (
        "neutral",
        None,
        "neutral",
        0.0,
        1.0,
    )
    assert (pair.source, pair.target, pair.quads) == (None, None, ())  # no event, so no direction
    assert pair.cues == ()  # what weighed against an event is in the rule, not the cue words
    assert pair.rule.startswith(f"{MODEL_RULE}: no event 1.00") and "coder said Fight" in pair.rule
    evidence = {"stance": pair.stance, "event": None, "rule": pair.rule, "cues": list(pair.cues)}
    assert event_headline(evidence, "IQ", "SY") == f"IQ – SY · no event ({MODEL_RULE})"


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200), start=st.integers(0, 200), end=st.integers(0, 200))
def test_evidence_never_crashes_on_free_text(text: str, start: int, end: int) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    evidence = sentence_evidence(
        tokenize(text), text, load_rules(), [(start, end, "AA", False), (0, end, "BB", True)]
    )
    features = pair_features(evidence, NO_EVENT, "AA", "BB")
    assert features[0] == "bias"
    judge(load_stance_model(), evidence, NO_EVENT, "AA", "BB")
