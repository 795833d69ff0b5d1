"""The CAMEO event coder: each operator, reporting and intent verbs, clauses, roles, the dictionaries.

Sentences are written for these tests (not taken from the dev set or the issue).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.countries.resolve import find_country_mentions
from core.paths import data_dir
from core.relations.cameo import ROOT_NAMES, parse_verb_dictionary, quad_of, stance_of
from core.relations.event_coder import PairEvent, _firm_home, code_sentence, load_rules, parse_rules
from core.text.sentences import split_sentences


def coded(text: str) -> dict[tuple[str, str], PairEvent]:
    mentions = find_country_mentions(text, split_sentences(text))
    return code_sentence(text, [(m.start, m.end, m.code, m.locative) for m in mentions])


def event(text: str, pair: tuple[str, str]) -> tuple[str | None, str | None, str | None, str]:
    """(root, source, target, stance) of one pair."""
    found = coded(text)[tuple(sorted(pair))]  # type: ignore[index]
    return found.event, found.source, found.target, found.stance


# --- operators ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru rejected a trade offer from Chile.",
        "Peru refused to sign the border treaty with Chile.",
        "Peru declined an invitation from Chile.",
    ],
)
def test_reject_operator_makes_a_cooperative_object_a_rejection(sentence: str) -> None:
    assert event(sentence, ("PE", "CL"))[0::3] == ("12", "conflict")


def test_failed_talks_are_a_rejection() -> None:
    assert event("Norway failed to reach an agreement with Sweden.", ("NO", "SE")) == (
        "12",
        "NO",
        "SE",
        "conflict",
    )


def test_operator_nouns_with_their_object() -> None:
    text = "Chile's refusal to sign the treaty with Peru surprised observers."
    assert event(text, ("CL", "PE")) == ("12", "CL", "PE", "conflict")
    # The noun alone is still no predicate: here the sentence's verb decides.
    assert event("Chile welcomed the refusal of Peru.", ("CL", "PE"))[0] == "05"


def test_a_vote_is_an_intent_followed_to_its_event() -> None:
    text = "The parliament of Chile voted to expel the ambassador of Peru."
    assert event(text, ("CL", "PE")) == ("17", "CL", "PE", "conflict")


def test_amplify_operator_takes_its_objects_event() -> None:
    # PETRARCH files "increase"/"boost" under 06 whatever follows: the object decides instead.
    assert event("France tightened sanctions on Iran.", ("FR", "IR")) == ("16", "FR", "IR", "conflict")
    assert event("Japan expanded trade with Vietnam.", ("JP", "VN")) == ("06", "JP", "VN", "cooperation")
    assert event("Brazil strengthened ties with Angola.", ("BR", "AO"))[3] == "cooperation"


@pytest.mark.parametrize(
    "sentence",
    [
        "Canada lifted its sanctions on Cuba.",
        "Canada eased the embargo against Cuba.",
        "Canada withdrew its troops from Cuba.",
    ],
)
def test_reverse_operator_on_a_conflictual_object_is_a_yield(sentence: str) -> None:
    assert event(sentence, ("CA", "CU")) == ("08", "CA", "CU", "cooperation")


@pytest.mark.parametrize(
    "sentence",
    [
        "Kenya suspended its aid to Uganda.",
        "Kenya called off the planned talks with Uganda.",
        "Kenya froze cooperation with Uganda.",
    ],
)
def test_reverse_operator_on_a_cooperative_object_reduces_relations(sentence: str) -> None:
    assert event(sentence, ("KE", "UG")) == ("16", "KE", "UG", "conflict")


@pytest.mark.parametrize(
    "sentence",
    [
        "Poland urged Belarus to open the border.",
        "Poland demanded compensation from Belarus.",
        "Poland called on Belarus to release the journalists.",
    ],
)
def test_demand_operator(sentence: str) -> None:
    assert event(sentence, ("PL", "BY")) == ("10", "PL", "BY", "conflict")


def test_a_demand_to_stop_something_says_it_is_happening() -> None:
    # Without the frame, "halt" + an unknown object read as a cooperative yield between them.
    text = "Ministers called on Chile to halt its fishing operations in the waters of Peru."
    assert event(text, ("CL", "PE")) == ("10", "CL", "PE", "conflict")
    assert coded(text)[("CL", "PE")].rule.startswith("demanded reversal")
    text = "Cuba urged the United States to lift its sanctions on Venezuela."
    assert event(text, ("US", "VE")) == ("16", "US", "VE", "conflict")
    # A warning about cooperation is no frame: the cooperation stays cooperation.
    text = "Peru warned Chile against extending military cooperation with Bolivia."
    assert event(text, ("CL", "BO"))[3] == "cooperation"


def test_must_is_a_demand_not_cooperation() -> None:
    assert event("Serbia must cooperate with Croatia on the missing persons.", ("RS", "HR"))[0::3] == (
        "10",
        "conflict",
    )


def test_threats_and_unless() -> None:
    assert event("Ghana threatened Togo with new tariffs.", ("GH", "TG")) == ("13", "GH", "TG", "conflict")
    # "unless" turns the clause's event into a threat.
    assert event("Ghana will impose tariffs on Togo unless the debt is paid.", ("GH", "TG"))[0] == "13"


@pytest.mark.parametrize(
    "sentence",
    [
        "Egypt accused Sudan of backing the rebels.",
        "Egypt blamed Sudan for the flooding.",
        "Egypt condemned Sudan.",
    ],
)
def test_accuse_operator_is_disapproval(sentence: str) -> None:
    assert event(sentence, ("EG", "SD")) == ("11", "EG", "SD", "conflict")


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru denied allegations by Chile that its troops crossed the border.",
        "Peru has denied Chilean charges that it funds the rebels.",
        "Peru denies any role in the attack on Chile's embassy.",
        # "all of" does not count against the reach of the charge word
        "Peru denied all of the charges made by Chile.",
    ],
)
def test_denying_charges_is_a_statement_not_a_rejection(sentence: str) -> None:
    # CAMEO 016 Deny responsibility (PETRARCH: DENY + ACCUSATIONS/CHARGES/ROLE): verbal cooperation.
    found = coded(sentence)[("CL", "PE")]
    assert (found.event, found.stance) == ("01", "cooperation")
    assert "016 Deny responsibility" in found.rule


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru denied Chile access to its ports.",
        # a charge word that is not what was denied
        "Peru denied Chile a role in the talks.",
        "Peru denied Chile's request for a rail link.",
        "Peru denied Chilean ships access to its ports, citing reports of smuggling.",
    ],
)
def test_denying_a_country_something_is_still_a_rejection(sentence: str) -> None:
    assert event(sentence, ("PE", "CL"))[0::3] == ("12", "conflict")


def test_denying_or_rejecting_an_offer_is_still_a_rejection() -> None:
    # Rejecting charges stays 12: the labelled splits read it so (event_rules.toml [statements]).
    assert event("Peru rejected accusations from Chile that it funds the rebels.", ("PE", "CL"))[0] == "12"


def test_a_warning_that_something_will_happen_is_a_pessimistic_comment() -> None:
    found = coded("A senior Peruvian official warned that Chile's economy is likely to get worse.")[
        ("CL", "PE")
    ]
    assert (found.event, found.stance) == ("01", "cooperation")
    assert "012 Make pessimistic comment" in found.rule


@pytest.mark.parametrize(
    "sentence",
    [
        # the party warned is named before "that"
        "Peru warned Chile that time is running out.",
        # a condition makes the warning a threat
        "Peru warned that relations with Chile would suffer if the dispute goes on.",
        # a warning against an act, not "that"
        "Peru warned Chile against sending troops to the border.",
        # a condition before the warning
        "If talks fail, Peru warned that relations with Chile would suffer.",
        "Unless talks resume, Peru warned that relations with Chile would suffer.",
        # the speaker's own act
        "Peru warned that it would attack Chile.",
        "Peru warned on Monday that it would retaliate against Chile.",
        # the speaker's own forces
        "Peru warned that its army would attack Chile.",
        "Peru warned that its troops were ready to strike Chile.",
    ],
)
def test_warnings_to_a_party_or_with_a_condition_stay_threats(sentence: str) -> None:
    assert event(sentence, ("PE", "CL"))[0::3] == ("13", "conflict")


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru did not deny allegations by Chile that its troops crossed the border.",
        "Peru did not warn that Chile's economy would get worse.",
    ],
)
def test_a_negated_statement_is_no_event(sentence: str) -> None:
    assert event(sentence, ("PE", "CL")) == (None, None, None, "neutral")


def test_negation_turns_cooperation_into_rejection_and_conflict_into_nothing() -> None:
    assert event("Chile did not support Bolivia at the court.", ("CL", "BO"))[0::3] == ("12", "conflict")
    assert event("Chile never attacked Bolivia.", ("CL", "BO")) == (None, None, None, "neutral")


def test_a_possessive_subject_of_a_warning_is_a_comment_unless_it_names_forces() -> None:
    found = coded("Peru warned that its economy would suffer from Chile's tariffs.")[("CL", "PE")]
    assert "012 Make pessimistic comment" in found.rule


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The contracted auxiliary is one token: its "n't" negates as "not" does.
        ("Chile didn't attack Bolivia.", (None, None, None, "neutral")),
        ("Chile won't attack Bolivia.", (None, None, None, "neutral")),
        ("Chile can't attack Bolivia.", (None, None, None, "neutral")),
        ("Chile cannot attack Bolivia.", (None, None, None, "neutral")),
        ("Chile didn't sign the treaty with Bolivia.", ("12", "CL", "BO", "conflict")),
        ("Chile doesn't want talks with Bolivia.", ("12", "CL", "BO", "conflict")),
    ],
)
def test_contracted_negation_negates(sentence: str, expected: tuple[object, ...]) -> None:
    assert event(sentence, ("CL", "BO")) == expected


# --- predicates, clauses and roles ---------------------------------------------------------------


def test_reporting_verbs_lead_to_the_reported_event() -> None:
    found = coded("Officials said that Vietnam had agreed to buy rice from Cambodia.")[("KH", "VN")]
    assert (found.event, found.source, found.target, found.cues) == ("06", "VN", "KH", ("buy",))
    assert "agreed" in found.rule


def test_a_statement_alone_is_no_event() -> None:
    assert event("Mexico said it had spoken to Guatemala.", ("MX", "GT"))[3] in {"neutral", "cooperation"}
    assert event("Mexico said Guatemala was sunny.", ("MX", "GT")) == (None, None, None, "neutral")


def test_relative_clause_does_not_decide_the_main_clause() -> None:
    text = "Jordan, which was attacked by rebels last year, signed a trade deal with Egypt."
    assert event(text, ("JO", "EG")) == ("05", "JO", "EG", "cooperation")


def test_main_clause_decides_before_a_background_clause_naming_both() -> None:
    # Both countries are also in the relative clause (its antecedent and "Peruvian"): the main
    # clause's withdrawal decides, the negotiation in the background does not.
    text = "Peru pulled out of the trade pact with Chile, which had been negotiated by Peruvian diplomats."
    assert event(text, ("PE", "CL")) == ("16", "PE", "CL", "conflict")


def test_temporal_clause_holds_its_own_pair() -> None:
    text = "After Turkey shelled Syria, Greece sent aid to Lebanon."
    assert event(text, ("TR", "SY")) == ("19", "TR", "SY", "conflict")
    assert event(text, ("GR", "LB")) == ("07", "GR", "LB", "cooperation")


def test_coordinated_targets_share_the_role() -> None:
    pairs = coded("Australia imposed sanctions on Iran, Syria and Myanmar.")
    for target in ("IR", "SY", "MM"):
        pair = pairs[tuple(sorted(("AU", target)))]  # type: ignore[index]
        assert (pair.source, pair.target, pair.stance) == ("AU", target, "conflict")
    # The targets share no event among themselves.
    assert pairs[("IR", "SY")].event is None


def test_joint_subjects_of_a_reciprocal_event_are_undirected() -> None:
    assert event("Austria and Hungary signed a water agreement.", ("AT", "HU")) == (
        "05",
        None,
        None,
        "cooperation",
    )
    # A shared non-reciprocal act: co-participants, undirected, coded as a guess.
    pair = coded("Austria and Hungary criticised the plan.")[("AT", "HU")]
    assert (pair.event, pair.source, pair.target) == ("11", None, None)
    assert pair.rule.startswith("shared event")


def test_co_targets_of_one_act_share_no_event_but_co_guests_do() -> None:
    pairs = coded("Canada expelled diplomats of Iran and Syria.")
    assert pairs[("IR", "SY")].event is None
    assert pairs[("IR", "SY")].rule.startswith("co-targets")
    # A reciprocal event before the list (a meeting) is shared by its members.
    met = coded("Canada held talks with Iran and Syria on Monday.")[("IR", "SY")]
    assert met.stance == "cooperation"


def test_passive_with_by_swaps_the_roles() -> None:
    assert event("Armenia was attacked by Azerbaijan.", ("AM", "AZ")) == ("19", "AZ", "AM", "conflict")


def test_between_and_hyphenated_pairs() -> None:
    assert event("Talks between Ethiopia and Eritrea resumed.", ("ET", "ER"))[0::3] == ("04", "cooperation")
    assert event("The India-Pakistan war ended decades ago.", ("IN", "PK"))[0::3] == ("19", "conflict")


def test_an_object_word_between_a_pair_is_material_cooperation() -> None:
    text = "The pipeline project between Chile and Peru is in its planning stage."
    assert event(text, ("CL", "PE")) == ("06", None, None, "cooperation")


def test_a_stop_word_turns_over_the_event_between_a_pair() -> None:
    assert event("The talks ended the long war between Peru and Chile.", ("PE", "CL")) == (
        "08",
        None,
        None,
        "cooperation",
    )
    assert event("The talks ended the trade agreement between Peru and Chile.", ("PE", "CL"))[0] == "16"


def test_nested_event_in_the_object() -> None:
    pairs = coded("Brussels fretted over Moscow deepening ties with Minsk")
    assert (pairs[("BY", "RU")].stance, pairs[("BY", "RU")].source) == ("cooperation", "RU")


def test_venue_only_pair_has_no_event() -> None:
    found = coded("Speaking to reporters in Paris on Monday, Italy criticised Spain.")
    assert found[("ES", "FR")].venue and found[("ES", "FR")].event is None
    assert found[("ES", "IT")].event == "11"


def test_visited_country_takes_part() -> None:
    assert event("The Japanese prime minister began a three-day visit to Vietnam.", ("JP", "VN"))[0::3] == (
        "04",
        "cooperation",
    )


# --- dictionaries ---------------------------------------------------------------------------------


def test_a_country_moved_into_takes_part() -> None:
    # "into" names where a move is aimed, also past a region word; "moved to" stays an intent.
    assert event("Chilean troops moved into northern Peru.", ("CL", "PE")) == ("19", "CL", "PE", "conflict")
    assert event("Chile moved to block Peru.", ("CL", "PE"))[0] == "16"
    assert coded("Chilean officials met in northern Peru.")[("CL", "PE")].venue


def test_quadclass_convention() -> None:
    borders = (1, 5, 6, 9, 10, 14, 15, 20)
    assert [quad_of(f"{n:02d}") for n in borders] == [
        "verbal_cooperation",
        "verbal_cooperation",
        "material_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "verbal_conflict",
        "material_conflict",
        "material_conflict",
    ]
    assert (stance_of("09"), stance_of("10"), stance_of("14")) == ("cooperation", "conflict", "conflict")
    assert len(ROOT_NAMES) == 20
    with pytest.raises(ValueError, match="CAMEO root"):
        quad_of("21")


def test_petrarch_verb_blocks_and_patterns() -> None:
    text = """
---  HALT   [---]  ---
STOP {STOPS STOPPING STOPPED }
+CALL_OFF [160]
- * AID                                               [162]         # HALT
- * {AIR RAIDS}                                       [087]         # HALT
"""
    verbs = parse_verb_dictionary(text)
    stopped = verbs.forms["stopped"][0]
    assert (stopped.block.name, stopped.code, stopped.block.code) == ("halt", "", "")
    assert verbs.forms["called off"][0].code == "160"
    # Patterns are parsed on first use, and offered only when their first word follows the verb.
    matches = stopped.block.candidates(verbs.synsets, ["its", "aid"])
    assert [(p.after, p.code) for _, _, p in matches] == [(("aid",), "162")]
    assert [(p.after, p.code) for p in stopped.block.patterns] == [
        (("aid",), "162"),
        (("air", "raids"), "087"),
    ]
    with pytest.raises(ValueError, match="line 2"):
        parse_verb_dictionary("# a comment\n---  \n")


def test_rules_file_errors_name_the_entry(tmp_path: Path) -> None:
    verbs = load_rules().verbs
    with pytest.raises(ValueError, match=r"\[verbs\] snub"):
        parse_rules({"verbs": {"snub": "99"}}, verbs)
    with pytest.raises(ValueError, match=r"\[nouns\] war"):
        parse_rules({"nouns": {"war": "x"}}, verbs)
    with pytest.raises(ValueError, match=r"\[statements\] charges"):
        parse_rules({"statements": {"charges": "allegations"}}, verbs)


def test_rules_are_data(tmp_path: Path) -> None:
    # A copy with one verb edited is picked up from its own path.
    edited = (data_dir() / "event_rules.toml").read_text(encoding="utf-8") + "\n[verbs_extra]\n"
    edited = edited.replace('confront = "150"', 'confront = "150"\nwave = "051"')
    path = tmp_path / "rules.toml"
    path.write_text(edited, encoding="utf-8")
    text = "Nepal waved at Bhutan."
    mentions = [(0, 5, "NP", False), (15, 21, "BT", False)]
    assert code_sentence(text, mentions, load_rules(path))[("BT", "NP")].event == "05"
    assert code_sentence(text, mentions)[("BT", "NP")].event is None


def test_petrarch_files_ship_with_their_licence() -> None:
    licence = (data_dir() / "petrarch2" / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2014 Open Event Data" in licence and "MIT" in licence


def test_common_misspellings_are_countries() -> None:
    found = coded("Pakistan closed its border with Afganistan after the Phillipines protested.")
    assert ("AF", "PK") in found and ("AF", "PH") in found


# --- part-of-speech tags ------------------------------------------------------------------------


def coded_both(text: str, pair: tuple[str, str]) -> tuple[PairEvent, PairEvent]:
    """The pair's event with the tagger, and by word order alone."""
    mentions = [
        (m.start, m.end, m.code, m.locative) for m in find_country_mentions(text, split_sentences(text))
    ]
    return code_sentence(text, mentions)[pair], code_sentence(text, mentions, use_tagger=False)[pair]


def test_a_word_the_tagger_reads_as_a_noun_is_not_the_predicate() -> None:
    tagged, plain = coded_both(
        "Chilean attack helicopters flew over Peru on a training mission.", ("CL", "PE")
    )
    assert tagged.rule == "event_rules [nouns] attack"
    assert plain.rule == "event_rules [verbs] attack"  # word order alone reads a verb


def test_a_particle_or_adverb_is_not_the_predicate() -> None:
    tagged, plain = coded_both(
        "Chile has two million Peruvian workers, down from three million.", ("CL", "PE")
    )
    assert plain.event == "19"  # word order alone reads "down" as "shot down"
    assert tagged.event is None
    assert event("Chile downed a Peruvian drone.", ("CL", "PE"))[0] == "19"


def test_a_headlines_present_tense_verb_is_its_predicate() -> None:
    # No closing punctuation, short: a headline, where the tagger reads "-s" verbs as plural nouns.
    assert event("Chilean envoy condemns Peru fishing ban", ("CL", "PE"))[0::3] == ("11", "conflict")
    assert event("Chile and Peru hold talks", ("CL", "PE"))[0] == "04"  # a noun stays a noun
    # In a full sentence the tagger decides as before.
    assert event("The Chilean envoy visits were praised in Peru.", ("CL", "PE"))[0] != "04"


def test_a_word_the_tagger_reads_as_a_verb_is_not_an_event_noun() -> None:
    text = "Troops were sent to the Chilean-Peruvian border to help the refugees."
    tagged, plain = coded_both(text, ("CL", "PE"))
    assert plain.rule.startswith("hyphen pair")
    assert not tagged.rule.startswith("hyphen pair")  # "help" here is a verb, not help between them


# --- business and economic events (issue 11, fourth round) ---------------------------------------


@pytest.mark.parametrize(
    ("sentence", "pair", "expected"),
    [
        ("A Dutch brewer acquired a 20% stake in a Kenyan dairy.", ("NL", "KE"), ("06", "NL", "KE")),
        ("Argentina shipped 30,000 tonnes of soybeans to Vietnam.", ("AR", "VN"), ("06", "AR", "VN")),
        ("Uruguay exported more beef to Japan this year.", ("UY", "JP"), ("06", "UY", "JP")),
        ("Qatar extended credit worth $1bn to Sudan.", ("QA", "SD"), ("07", "QA", "SD")),
        (
            "The Chinese firm agreed to acquire Finland's biggest lift maker.",
            ("CN", "FI"),
            ("06", "CN", "FI"),
        ),
    ],
)
def test_business_verbs_are_material_cooperation(
    sentence: str, pair: tuple[str, str], expected: tuple[str, str, str]
) -> None:
    assert event(sentence, pair) == (*expected, "cooperation")


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        ("Portugal's contract with an Angolan oil firm runs to 2030.", ("PT", "AO")),
        ("Malaysia's imports of Brazilian sugar rose by a third.", ("MY", "BR")),
        ("The first shipments of Norwegian salmon reached China in May.", ("NO", "CN")),
    ],
)
def test_business_nouns_are_material_cooperation(sentence: str, pair: tuple[str, str]) -> None:
    assert event(sentence, pair)[0::3] == ("06", "cooperation")


def test_singular_export_is_a_modifier_not_the_event() -> None:
    # "an export ban": the ban decides, not the word "export".
    assert event("Indonesia announced an export ban on nickel to Australia.", ("ID", "AU"))[3] == "conflict"


def test_withholding_aid_reduces_relations() -> None:
    assert event("Denmark withheld aid to Tanzania.", ("DK", "TZ")) == ("16", "DK", "TZ", "conflict")
    text = "Britain's withholding of payments to France delayed the project."
    assert event(text, ("GB", "FR")) == ("16", "GB", "FR", "conflict")


def test_pressure_on_is_a_demand_and_ending_isolation_a_yield() -> None:
    text = "The move was the latest application of pressure on Iran by Canada."
    assert event(text, ("IR", "CA"))[0::3] == ("10", "conflict")
    text = "Spain wants to end the isolation of Cuba with a new agreement."
    assert event(text, ("ES", "CU"))[0::3] == ("08", "cooperation")


def test_a_call_named_as_a_noun_is_a_phone_call() -> None:
    text = "Officials in Chile described the call between Chile and Peru as friendly."
    assert event(text, ("CL", "PE"))[0::3] == ("04", "cooperation")
    assert event("Norway described its call with Sweden as friendly.", ("NO", "SE"))[0::3] == (
        "04",
        "cooperation",
    )


def test_a_list_of_places_after_a_participant_shares_its_role() -> None:
    text = "Envoys from Peru, Chile and Bolivia will meet here on Friday to discuss trade."
    for pair in (("PE", "CL"), ("CL", "BO"), ("PE", "BO")):
        assert event(text, pair)[0::3] == ("04", "cooperation")
    # A list of venues with no participant before it stays a list of venues.
    assert coded("Prices rose in Peru, Chile and Bolivia.")[("BO", "CL")].venue


def test_title_case_headline_verb_after_an_adjective() -> None:
    assert event("French Military Kills Malian Rebel Commander", ("FR", "ML")) == (
        "19",
        "FR",
        "ML",
        "conflict",
    )


def test_a_country_invested_in_takes_part() -> None:
    text = "Austria's biggest bank will invest $500m in Serbia."
    assert event(text, ("AT", "RS")) == ("06", "AT", "RS", "cooperation")
    # Without an investment word the country after "in" stays a venue.
    assert coded("Austria's biggest bank opened an office in Serbia.")[("AT", "RS")].venue


def test_cutting_off_supplies_and_expropriating() -> None:
    assert event("Algeria cut off gas to Morocco.", ("DZ", "MA")) == ("16", "DZ", "MA", "conflict")
    assert event("Bolivia expropriated Spanish power assets.", ("BO", "ES")) == ("17", "BO", "ES", "conflict")


def test_recalling_an_ambassador_is_not_a_report() -> None:
    text = "Uruguay recalled its ambassador from Paraguay."
    assert event(text, ("UY", "PY")) == ("16", "UY", "PY", "conflict")
    # "recalled that ..." still reports what follows.
    assert event("Uruguay recalled that Paraguay had attacked it.", ("UY", "PY"))[3] == "conflict"


def test_an_intent_before_a_closing_reporting_verb_counts() -> None:
    text = "Tunisia and Italy agreed on a new migration plan, officials said."
    assert event(text, ("TN", "IT"))[0::3] == ("05", "cooperation")


def test_owners_of_one_trade_noun_do_nothing_to_each_other() -> None:
    text = "Firms from Spain and Italy have large investments in Morocco."
    assert event(text, ("ES", "IT"))[0] is None
    assert event(text, ("ES", "MA"))[0::3] == ("06", "cooperation")
    # A trade verb with joint subjects is still reciprocal.
    assert event("Chile and Peru agreed to expand trade.", ("CL", "PE"))[0::3] == ("06", "cooperation")


def test_joint_ventures_and_trade_retaliation() -> None:
    text = "Korea's Kia formed a joint venture with a Slovak parts maker."
    assert event(text, ("KR", "SK")) == ("06", "KR", "SK", "cooperation")
    text = "The duties on Thai rice were Filipino retaliation against Thailand."
    assert event(text, ("TH", "PH"))[0::3] == ("16", "conflict")


@pytest.mark.parametrize(
    ("sentence", "pair", "expected"),
    [
        ("Canada lifted its trade ban on Cuba.", ("CA", "CU"), ("08", "cooperation")),
        ("Canada ended the trade war with Mexico.", ("CA", "MX"), ("08", "cooperation")),
        ("Canada eased the arms embargo on Cuba.", ("CA", "CU"), ("08", "cooperation")),
        ("Canada suspended its peace talks with Mexico.", ("CA", "MX"), ("16", "conflict")),
    ],
)
def test_an_operators_object_is_the_head_of_its_noun_compound(
    sentence: str, pair: tuple[str, str], expected: tuple[str, str]
) -> None:
    # "trade" alone would be a cooperative object; the compound's last noun decides.
    assert event(sentence, pair)[0::3] == expected


def test_a_country_naming_a_state_body_is_that_bodys_country_not_a_venue() -> None:
    # "in the U.S. Congress": the place is a modifier of a legislature, so the US takes part.
    text = "Peru condemned the trade bill introduced in the U.S. Congress last week."
    assert event(text, ("PE", "US"))[1:] == ("PE", "US", "conflict")
    # A court is where a case is heard: a court in London, or in the U.K. High Court, does not make
    # the UK a party.
    assert coded("Peru sued Chile in a court in London.")[("GB", "PE")].venue
    assert coded("Peru sought an injunction in the U.K. High Court against Chile.")[("GB", "PE")].venue
    # Only capitalised words of the body's name may stand between the country and the agent.
    text = "A researcher in Kobe, Japan came across military records of a raid on Peru."
    assert event(text, ("JP", "PE"))[0] is None


def test_a_datelines_own_official_acts_for_its_country() -> None:
    # Wire copy does not repeat the country of the official who opens a datelined story.
    text = "LIMA, May 2 - Foreign Minister Carlos Paz criticised Chile over the border."
    assert event(text, ("PE", "CL"))[1:] == ("PE", "CL", "conflict")
    # A title that names its own country, or an international body's official, leaves the dateline a venue.
    text = "LIMA, May 2 - Chilean Foreign Minister Carlos Paz criticised Bolivia over the border."
    assert coded(text)[("BO", "PE")].venue
    text = "LIMA, May 2 - World Bank President John Smith criticised Chile over its debt."
    assert coded(text)[("CL", "PE")].venue
    # A firm after a dateline is not the country's: the dateline stays where the story was filed.
    text = "LIMA, May 2 - Andes Mining Corp said it sold a copper mine to Chile."
    assert coded(text)[("CL", "PE")].venue


def test_a_demand_addressed_to_a_non_party_passes_the_demanded_act_on() -> None:
    # The farmers press their own government: between Canada and Cuba the act is an offer.
    text = "Farmers from Canada urged the administration to offer Cuba more wheat."
    assert event(text, ("CA", "CU")) == ("03", "CA", "CU", "cooperation")
    text = "Farmers from Canada urged the administration to impose sanctions on Cuba."
    assert event(text, ("CA", "CU"))[0] == "16"
    # Addressed to a country, or not addressed at all, it stays a demand.
    assert event("Canada urged Mexico to offer Cuba more wheat.", ("CA", "MX"))[0] == "10"
    assert event("Canada must offer Cuba more wheat.", ("CA", "CU"))[0] == "10"
    # The other country belongs to a later act, not to the demanded one.
    assert event("Canada urged the embassy to reconsider and spoke with Cuba.", ("CA", "CU"))[0] == "10"


def test_a_trip_to_a_country_is_a_visit() -> None:
    text = "The Chilean president announced the plan on a trip to Peru."
    assert event(text, ("CL", "PE"))[0::3] == ("04", "cooperation")


def test_a_verb_after_an_auxiliary_and_not_is_a_verb_whatever_the_tagger_says() -> None:
    # The tagger reads "abide" as an adverb after "in any case not": the auxiliary says it is a verb.
    text = "Peru said it would in any case not abide by the rulings of Chilean courts."
    assert event(text, ("PE", "CL")) == ("12", "PE", "CL", "conflict")


def test_charged_someone_with_a_deed_is_an_accusation() -> None:
    text = "Peru charged three Chilean firms with helping Bolivian smugglers."
    assert event(text, ("PE", "CL")) == ("11", "PE", "CL", "conflict")
    # A price charged "with every shipment" is no accusation.
    assert event("Peru charges Chile a fee with every shipment.", ("CL", "PE"))[0] != "11"


def test_a_relation_that_worsened_is_no_cooperation() -> None:
    text = "Ties between Peru and Chile deteriorated sharply last year."
    assert event(text, ("CL", "PE")) == ("16", None, None, "conflict")
    # Improving relations stay cooperation; a worsening verb in a relative clause does not count.
    assert event("Relations between Peru and Chile have improved.", ("CL", "PE"))[0] == "05"
    text = "Relations between Peru and Chile, which soured in May, improved."
    assert event(text, ("CL", "PE"))[0] == "05"


def test_relations_section_is_checked() -> None:
    with pytest.raises(ValueError, match=r"\[relations\] worsen"):
        parse_rules({"relations": {"worsen": "sour"}}, load_rules().verbs)


def test_too_adjective_to_negates_the_verb() -> None:
    text = "The positions of Peru and Chile were too far apart to allow a prompt agreement."
    assert event(text, ("CL", "PE"))[0::3] == ("12", "conflict")
    assert event("Peru was too weak to attack Chile.", ("CL", "PE"))[0] is None
    # "too" meaning "also" negates nothing.
    assert event("Peru, too, signed a deal with Chile.", ("CL", "PE"))[0] == "05"


# --- attribution, month "May", pressure on a market ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru shelled border posts in Ecuador on Monday, Chilean officials said.",
        "Peru shelled border posts in Ecuador on Monday, said a spokesman for the Chilean army.",
        "Peru shelled border posts in Ecuador on Monday, according to Chilean radio.",
    ],
)
def test_a_country_only_in_a_closing_attribution_is_the_speaker(sentence: str) -> None:
    found = coded(sentence)
    assert found[("CL", "PE")].event is None
    assert "speaker" in found[("CL", "PE")].rule
    assert found[("CL", "EC")].event is None


def test_a_closing_attribution_may_name_the_unnamed_subject() -> None:
    # The rest of the sentence names one country only: the speaker may be the one who acted.
    found = coded("The firm sought a loan from Japanese banks, the Peruvian company said.")[("JP", "PE")]
    assert "speaker" not in found.rule


def test_a_mid_sentence_according_to_is_no_closing_attribution() -> None:
    root, *_ = event(
        "Peru has a policy which, according to reports, Chile and Ecuador have condemned.", ("CL", "PE")
    )
    assert root == "11"


@pytest.mark.parametrize(
    "sentence",
    [
        "LIMA, May 2 - Peru and Chile Sign Border Accord In Lima",
        "Peru Said In May It Would Meet Chile",
    ],
)
def test_the_month_may_is_no_modal(sentence: str) -> None:
    found = coded(sentence)[("CL", "PE")]
    assert "may" not in found.rule.split(" > ")


def test_the_modal_may_is_still_followed() -> None:
    found = coded("Peru may sign a border accord with Chile.")[("CL", "PE")]
    assert found.rule.startswith("may > ")


def test_pressure_on_a_market_is_no_demand() -> None:
    for sentence in (
        "The U.S. Congress will put more pressure on the dollar against the yen and Japan.",
        "Japan's exporters fear the U.S. Congress will put pressure on the dollar.",
    ):
        found = coded(sentence)[("JP", "US")]
        assert found.event != "10" and "pressure" not in found.rule
    root, source, target, _ = event(
        "The United States put pressure on Japan to open its markets.", ("JP", "US")
    )
    assert (root, source, target) == ("10", "US", "JP")


def test_a_firms_home_named_by_a_place_makes_the_country_a_party() -> None:
    root, source, target, _ = event(
        "Frankfurt-based Deutsche Boerse has offered to buy the London Stock Exchange.", ("DE", "GB")
    )
    assert root is not None and (source, target) == ("DE", "GB")
    assert (
        coded("Henkel KGaA of West Germany bought a plant from a Japanese firm.")[("DE", "JP")].event == "06"
    )


def test_a_place_based_unit_is_no_firm_home() -> None:
    text = "A Jakarta-based subsidiary of <Siemens AG> of West Germany"
    assert not _firm_home(text, text.index("Jakarta"), text.index("-based"))
    assert _firm_home(text, text.index("West"), len(text))
    text = "Frankfurt-based Deutsche Boerse"
    assert _firm_home(text, 0, text.index("-based"))


# --- round seven: participles, orders, pattern scope, pattern owners ----------------------------


def test_a_participle_before_a_noun_is_no_predicate() -> None:
    # "ruling" (PETRARCH RULE) modifies the party; the clause's event is the proposal of sanctions.
    found = coded("Norway's ruling Labour Party proposed sanctions against Chile.")[("CL", "NO")]
    assert "ruling" not in found.cues
    found = coded('Peru voiced "restricted optimism" about its border talks with Chile.')[("CL", "PE")]
    assert "restricted" not in found.cues and found.stance != "conflict"


def test_an_order_to_a_non_party_passes_the_ordered_act_on() -> None:
    text = "The Peruvian government ordered its oil companies to end all Chilean operations."
    _, source, target, stance = event(text, ("CL", "PE"))
    assert stance == "conflict" and (source, target) == ("PE", "CL")
    assert "ordered" in coded(text)[("CL", "PE")].rule


def test_a_pattern_noun_stays_in_the_verbs_own_phrase() -> None:
    # QUOTE + PLANS would be an intent (03); the reported clause says Chile has no plans to yield.
    text = "Chilean officials reiterated that Chile had no plans to bow to Peruvian pressure."
    found = coded(text)[("CL", "PE")]
    assert found.stance == "conflict" and "reiterated" not in found.cues


def test_a_pattern_applies_to_the_verb_it_was_written_for() -> None:
    dictionary = parse_verb_dictionary(
        "---  MANAGE   [060]  ---\nDIRECT \nHEAD \n- * TO    [030]   # HEAD\n- * BANKS  [061]\n"
    )
    for lemma, wanted in (("head", {"to", "banks"}), ("direct", {"banks"})):
        entry = dictionary.forms[lemma][0]
        patterns = [p for *_, p in entry.block.candidates(dictionary.synsets, ["to", "banks"])]
        assert {p.after[0] for p in patterns if p.verb in ("", entry.lemma)} == wanted


def test_would_like_to_see_is_an_appeal() -> None:
    text = "Peru would like to see greater openness of Chilean markets to Peruvian firms."
    assert event(text, ("CL", "PE"))[0::3] == ("02", "cooperation")


def test_a_negator_reaches_across_a_country_name() -> None:
    # "nor" is five words before "endorse", but three of them are the country's name and an auxiliary.
    text = (
        "Bolivia held a referendum, but neither Chile nor the United States would endorse Bolivia's result."
    )
    assert event(text, ("BO", "US"))[0::3] == ("12", "conflict")
    # Other words still close the window: the negator says nothing about a far-off event. (Not
    # "did not comment ...": a reporting verb ends a negation whatever the window.)
    text = (
        "Chile was not surprised by the long and bitter dispute over fishing rights and signed a pact"
        " with Peru."
    )
    assert event(text, ("CL", "PE"))[0::3] == ("05", "cooperation")


def test_a_country_before_a_firm_noun_is_the_firms_country() -> None:
    # "in UK" is a place to the country finder; the firm noun after it makes the UK a party.
    text = "Shares in UK retailer Tesco rose after it held merger talks with French group Carrefour."
    assert _firm_home(text, text.index("UK"), text.index(" retailer"))
    assert coded(text)[("FR", "GB")].stance == "cooperation"
    # A unit or market in a country stays a venue; so does a firm word that is a place's noun.
    text = "Shares in UK markets rose after Japan cut its rates."
    assert not _firm_home(text, text.index("UK"), text.index(" markets"))
    text = "It sold assets in Italy to a group of investors."
    assert not _firm_home(text, text.index("Italy"), text.index(" to"))


def test_a_bid_for_a_firm_is_an_offer_to_buy_not_a_demand() -> None:
    text = "Canada's Alcan has bid for the Swiss aluminium maker Algroup."
    assert event(text, ("CA", "CH"))[0::3] == ("03", "cooperation")
    text = "Peru and Chile agreed to reschedule their official debt."
    assert event(text, ("CL", "PE"))[0::3] == ("06", "cooperation")


def test_a_verb_after_a_relative_that_or_a_pronoun_contraction_is_a_predicate() -> None:
    # "that" and "it's" before a participle are no determiner or possessive: the verb is an event.
    text = "Chilean troops that attacked Peruvian positions withdrew."
    assert event(text, ("CL", "PE"))[0::3] == ("19", "conflict")
    text = "Peru said it's sending Chilean exporters new offers."
    assert "sending" in coded(text)[("CL", "PE")].cues


@pytest.mark.parametrize(
    "text",
    [
        "Protests spread in Peru as the company said Chile had cut supplies.",
        "Rebels fought in Peru and the group said Chile armed them.",
        "Bolivia sold its assets in Peru to a group led by Chile's Codelco.",
    ],
)
def test_a_firm_noun_after_a_function_word_leaves_a_place_a_venue(text: str) -> None:
    # The firm noun starts another phrase: Peru is where things happen, not a firm's country.
    assert not _firm_home(text, text.index("Peru"), text.index("Peru") + len("Peru"))
    assert coded(text)[("CL", "PE")].venue


def test_a_pattern_that_spells_a_clause_word_still_matches() -> None:
    # PETRARCH's "- * DEMAND THAT +" (REPEAT) reads past "that": the stop is for other patterns.
    text = "Peru repeated its demand that Chile withdraw its troops."
    assert event(text, ("CL", "PE")) == ("10", "PE", "CL", "conflict")


def test_an_order_verbs_own_pattern_beats_passing_the_order_on() -> None:
    # PETRARCH's ORDER + DIPLOMAT (TO LEAVE) is an expulsion (16); the ordered "leave" alone is a
    # visit (04), which would make an expulsion cooperation.
    text = "Peru ordered its diplomats to leave Chile."
    assert event(text, ("CL", "PE")) == ("16", "PE", "CL", "conflict")


def test_a_wished_for_act_is_coded_through_would_like_to_see() -> None:
    # "would like to see" is an Appeal only when no act follows: the wished-for sanctions are 17.
    text = "Peru would like to see sanctions imposed on Chile."
    assert event(text, ("CL", "PE"))[0::3] == ("17", "conflict")
    assert "like to see" in coded(text)[("CL", "PE")].rule


# --- round eight: conflict words and markers ------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Peru has been increasingly critical of Chile's fishing policy.",
        "The Peruvian minister has long been a critic of Chile.",
    ],
)
def test_critical_of_and_critic_of_are_disapproval(sentence: str) -> None:
    assert event(sentence, ("PE", "CL"))[0::3] == ("11", "conflict")


def test_by_force_makes_the_intended_event_a_threat() -> None:
    text = "Peru wants to unite the islands with Chile's mainland, by force if necessary."
    found = coded(text)[("CL", "PE")]
    assert (found.event, found.stance) == ("13", "conflict")
    assert "by force" in found.cues and "threaten: by force" in found.rule
    # Without the marker the same intent is no threat.
    assert coded("Peru wants to unite the islands with Chile's mainland.")[("CL", "PE")].event != "13"


def test_or_face_makes_an_ultimatum_a_threat() -> None:
    text = "Peru told Chile to settle the fishing quarrel or face higher tariffs."
    assert event(text, ("PE", "CL"))[0::3] == ("13", "conflict")
    assert "or face" in coded(text)[("CL", "PE")].cues


def test_cutting_purchase_commitments_reduces_relations() -> None:
    assert event("Peru is cutting its wheat commitments to Chile.", ("PE", "CL")) == (
        "16",
        "PE",
        "CL",
        "conflict",
    )


@pytest.mark.parametrize(
    ("sentence", "root"),
    [
        ("Peru severed diplomatic ties with Chile.", "16"),
        ("Peru defaulted on its loans from Chile.", "16"),
        ("Peru resisted Chilean pressure on fishing quotas.", "12"),
        ("Peru rebutted Chile's charges.", "12"),
        ("Peru will penalise Chile for its trade surplus.", "17"),
        ("Peruvian gunboats intercepted a Chilean trawler.", "17"),
        ("A Peruvian submarine torpedoed a Chilean freighter.", "19"),
        ("Peru summoned the Chilean ambassador on Monday.", "11"),
        ("Peru flouted its fishing agreement with Chile.", "12"),
    ],
)
def test_conflict_verbs_round_eight(sentence: str, root: str) -> None:
    assert event(sentence, ("PE", "CL")) == (root, "PE", "CL", "conflict")


def test_a_violated_agreement_is_no_cooperation() -> None:
    # The speaker judges what Chile did: the agreement noun no longer decides.
    assert event("Peru said Chile had violated the fishing agreement.", ("PE", "CL"))[3] == "conflict"


def test_going_ahead_with_sanctions_is_no_journey() -> None:
    # PETRARCH's GO_SOMEWHERE (040) made this a cooperation; the sanctions decide.
    text = "Chile said it goes ahead with the sanctions against Peru."
    assert event(text, ("PE", "CL")) == ("16", "CL", "PE", "conflict")


@pytest.mark.parametrize(
    "sentence",
    [
        "The standoff between Peru and Chile continued.",
        "The rift between Peru and Chile deepened.",
        "Chile faces a border row with Peru.",
        "Peru said the killings of Chilean fishermen would be investigated.",
    ],
)
def test_quarrel_and_violence_nouns(sentence: str) -> None:
    assert coded(sentence)[("CL", "PE")].stance == "conflict"


def test_a_row_in_a_row_is_no_quarrel() -> None:
    text = "Peru beat Chile for the third year in a row."
    assert "row" not in coded(text)[("CL", "PE")].cues


def test_an_event_noun_before_another_modifies_it() -> None:
    # "trade sanctions" are sanctions, "a trade war" a war: the compound's head is the event.
    assert event("Peru plans trade sanctions against Chile.", ("PE", "CL"))[0::3] == ("16", "conflict")
    assert event("Peru and Chile are locked in a trade war.", ("PE", "CL"))[0::3] == ("19", "conflict")
    assert event("Peru wants a trade agreement with Chile.", ("PE", "CL"))[0::3] == ("05", "cooperation")


def test_a_recommendation_is_coded_as_what_it_recommends() -> None:
    text = "Peru's cabinet recommended trade sanctions against Chile."
    assert event(text, ("PE", "CL"))[0::3] == ("16", "conflict")
    assert event("Peru recommended talks with Chile.", ("PE", "CL"))[3] == "cooperation"


def test_threat_markers_must_be_a_list() -> None:
    with pytest.raises(ValueError, match="threat_markers"):
        parse_rules({"operators": {"threat_markers": "by force"}}, load_rules().verbs)


def test_a_country_at_the_end_of_an_attack_is_its_target() -> None:
    # "at" after a material-conflict verb or weapon names the target, not a place.
    assert event("Peru fired rockets at Chile.", ("PE", "CL")) == ("19", "PE", "CL", "conflict")
    # An event noun before "at" leaves a place a venue ("the raid at Lima airport").
    assert coded("Chile carried out the airstrike at Lima airport.")[("CL", "PE")].venue


@pytest.mark.parametrize(
    "sentence",
    [
        "Peruvian lawmakers are angry at Chile.",
        "Peru charged that Chile was dumping copper.",
    ],
)
def test_anger_and_charges_are_disapproval(sentence: str) -> None:
    assert event(sentence, ("PE", "CL")) == ("11", "PE", "CL", "conflict")


def test_at_odds_with_is_disapproval_but_at_odds_over_names_no_target() -> None:
    assert event("Peru is at odds with Chile over fishing quotas.", ("PE", "CL")) == (
        "11",
        "PE",
        "CL",
        "conflict",
    )
    # Two people of one country at odds over its dealings with another: no event with that country.
    text = "Peru's president and his minister are at odds over talks with Chile."
    assert coded(text)[("CL", "PE")].stance != "conflict"


def test_chadian_forces_routed_libyan_troops() -> None:
    assert event("Chadian forces routed Libyan troops.", ("TD", "LY")) == ("19", "TD", "LY", "conflict")


def test_a_trade_figure_is_no_trade_event() -> None:
    # "trade surplus" is an amount (relations_dev.md: a trade figure without an action is neutral).
    assert coded("Peru's trade surplus with Chile widened.")[("CL", "PE")].event is None
    assert event("Peru expanded its trade with Chile.", ("PE", "CL"))[3] == "cooperation"


# --- round nine: wire capitals, compound heads -----------------------------------------------------


def test_a_wire_capital_after_an_abbreviation_is_an_ordinary_word() -> None:
    # Reuters capitalises the word after "U.S." / "U.K."; a lower-case word after it shows the
    # capital is no name, so "Pressure on" is the demand, "Suggestion" the rejected proposal's noun.
    assert event("Despite U.S. Pressure on Peru to open its markets, prices rose.", ("US", "PE")) == (
        "10",
        "US",
        "PE",
        "conflict",
    )
    # A name goes on in capitals: "U.S. Trade Representative" is an office, not trade.
    text = "The U.S. Trade Representative said on Monday that he would meet the trade minister of Peru."
    assert coded(text)[("PE", "US")].event == "04"


@pytest.mark.parametrize(
    ("sentence", "root"),
    [
        ("The Peruvian-Chilean trade dispute went on.", "11"),
        ("Analysts Warn Peru And Chile On Trade Tensions", "11"),
        ("Chile was ready to step up the Pacific shipping war against Peru.", "19"),
    ],
)
def test_a_compound_is_coded_by_its_head_noun(sentence: str, root: str) -> None:
    # "trade dispute" is a dispute and "shipping war" a war, not trade or shipping.
    assert coded(sentence)[("CL", "PE")].event == root


def test_pressing_a_country_to_drop_its_restrictions_gives_the_restriction() -> None:
    # As "urged X to lift its sanctions on Y": the restriction is what the pressed country does now.
    assert event("Chile pressed Peru to drop its curbs on fruit imports.", ("CL", "PE")) == (
        "16",
        "PE",
        "CL",
        "conflict",
    )
    # A third country after the addressee owns the act: no reversal between the two.
    assert coded("Peru pressed Chile to lift its sanctions on Bolivia.")[("CL", "PE")].event == "10"
    # Asking is an Appeal (CAMEO 0243, 0256), cooperation, whatever is asked.
    assert event("Peru asked Chile to withdraw its troops.", ("PE", "CL")) == (
        "02",
        "PE",
        "CL",
        "cooperation",
    )


@pytest.mark.parametrize(
    ("sentence", "root"),
    [
        ("Chile defended the new sanctions against Peru.", "16"),
        ("Chile justified its tariffs on Peruvian copper.", "16"),
    ],
)
def test_defending_an_act_is_coded_as_the_act(sentence: str, root: str) -> None:
    assert event(sentence, ("CL", "PE"))[0] == root


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Officials proposed steps to curb Peruvian exports to Chile.", "conflict"),
        ("The council voted to lift Peruvian sanctions on Chile.", "cooperation"),
    ],
)
def test_an_operator_before_the_first_name_takes_the_owned_object(sentence: str, stance: str) -> None:
    # "curb Japanese exports to the U.S.": the curb reduces the exports between the pair, undirected.
    found = coded(sentence)[("CL", "PE")]
    assert (found.stance, found.source, found.target) == (stance, None, None)


def test_reneging_on_a_deal_is_a_rejection_and_pressure_for_a_demand() -> None:
    assert event("Peru is reneging on its fishing pact with Chile.", ("PE", "CL")) == (
        "12",
        "PE",
        "CL",
        "conflict",
    )
    found = coded("Peru raised rates because of Chilean pressure for a stronger currency.")[("CL", "PE")]
    assert (found.event, found.stance) == ("10", "conflict")


def test_the_state_that_jails_someone_is_no_venue() -> None:
    # "jailed in Chile": Chile's authorities act (CAMEO 17); "talks held in Chile" stays a venue.
    assert event("A Peruvian man was jailed in Chile for theft.", ("CL", "PE"))[::3] == ("17", "conflict")
    assert coded("Peruvian and Bolivian officials held talks in Chile.")[("CL", "PE")].venue


def test_arriving_in_a_country_visits_it() -> None:
    # "arrives in Indonesia for a summit" is a visit to the host, not a venue.
    assert event("Peru's president arrived in Chile on Monday.", ("PE", "CL")) == (
        "04",
        "PE",
        "CL",
        "cooperation",
    )


def test_a_hyphen_pair_yields_to_what_both_countries_do_elsewhere() -> None:
    # Both act in the main clause (speak with): the hyphen compound in its object is background.
    text = "The Peruvian president wants to speak with the Chilean president about Peruvian-Chilean disputes."
    assert event(text, ("PE", "CL")) == ("04", "PE", "CL", "cooperation")
    # Alone, the hyphen compound decides.
    assert coded("The Peruvian-Chilean dispute went on.")[("CL", "PE")].event == "11"


def test_benefit_is_an_effect_not_aid() -> None:
    # "a Chilean boycott would benefit Peruvian firms": the boycott is the event, not aid.
    assert event("A Chilean trade boycott would benefit Peruvian firms.", ("CL", "PE"))[3] == "conflict"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chilean troops have killed six rebels in northern Peru.", ("19", "CL", "PE", "conflict")),
        ("Chilean marines seized a rebel camp in Peru on Sunday.", ("17", "CL", "PE", "conflict")),
        # The force named right before the place acts later in the sentence: no direction.
        ("The Chilean forces in Peru say their soldiers killed ten rebels.", ("19", None, None, "conflict")),
    ],
)
def test_force_used_on_a_countrys_soil_makes_it_the_target(text: str, expected: tuple[object, ...]) -> None:
    assert event(text, ("CL", "PE")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Chilean-led coalition in Peru said one of its soldiers was killed in a fight with rebels.",
        "The Chilean military forces in Peru say a dozen militants were killed in a battle on Saturday.",
        "Chilean coalition forces in Peru are hunting rebel loyalists.",
    ],
)
def test_forces_placed_in_a_country_take_part_in_the_fighting_reported_of_them(text: str) -> None:
    assert not coded(text)[("CL", "PE")].venue


@pytest.mark.parametrize(
    "text",
    [
        "Two Chilean soldiers were killed in Peru on Monday.",  # a passive: the author is not named
        "Chilean soldiers killed in Peru were flown home.",  # a passive without "were"
        "Three Chilean soldiers captured in Peru were freed.",
        "Two Chilean soldiers were killed by a roadside bomb in southern Peru.",
        "Chilean tourists photographed the ruins in Peru after troops killed a bandit.",
    ],
)
def test_a_place_where_force_was_used_on_others_stays_a_venue(text: str) -> None:
    assert event(text, ("CL", "PE"))[3] == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        # The fighting is aimed at another country: the host is only where the forces are.
        "Chilean forces in Peru launched airstrikes against Bolivia.",
        "Chilean troops in Peru began an offensive into northern Bolivia on Monday.",
        # A new clause: the fighting is not theirs.
        "Chilean forces in Peru are on alert; rebels attacked a convoy in Bolivia.",
    ],
)
def test_forces_placed_in_a_country_do_not_fight_it_when_they_fight_elsewhere(text: str) -> None:
    found = coded(text)
    assert found[("CL", "PE")].venue
    assert found[("BO", "PE")].venue


def test_forces_placed_in_a_country_still_fight_beside_allies_named_there() -> None:
    text = "Chilean forces in Peru say militants were killed in a battle with Bolivian troops."
    assert not coded(text)[("BO", "PE")].venue


@pytest.mark.parametrize(
    "text",
    [
        "Chile's president is heading to Peru on Monday.",
        "Chile's foreign minister is in Peru for talks on fishing rights.",
    ],
)
def test_the_host_of_a_visit_takes_part(text: str) -> None:
    assert event(text, ("CL", "PE"))[3] == "cooperation"


@pytest.mark.parametrize(
    "text",
    [
        "Chilean tourists who were in Peru returned home.",
        "Chile's largest market is in Peru.",
        "Chile's president was in Peru when the quake struck.",
    ],
)
def test_being_in_a_country_is_no_visit_without_its_purpose(text: str) -> None:
    assert coded(text)[("CL", "PE")].venue


def test_opening_fire_is_an_attack_though_opening_is_no_event() -> None:
    assert event("Chilean gunmen opened fire on a Peruvian patrol boat.", ("CL", "PE")) == (
        "19",
        "CL",
        "PE",
        "conflict",
    )
    assert event("Chile opened its market to Peru.", ("CL", "PE"))[3] == "neutral"


def test_being_sworn_in_is_taking_office_not_an_allegation() -> None:
    # PETRARCH files SWEAR under ALLEGE (110); event_rules.toml turns it off.
    assert event("A Peruvian envoy was sworn in as Chile's new governor.", ("CL", "PE"))[3] == "neutral"


def test_a_short_modifier_in_brackets_stays_in_its_clause() -> None:
    # "(the Chilean-led) mission" modifies the noun after it: not an aside, so Chile is the subject.
    text = "Officials said that (the Chilean-led) mission would reduce its troops in Peru."
    assert event(text, ("CL", "PE")) == ("08", "CL", "PE", "cooperation")
    # A longer bracket is an aside, as before: what it names is background.
    aside = "Officials said the mission (which Chile has led since it began in 2004) would leave Peru."
    assert coded(aside)[("CL", "PE")].rule.startswith("nearest event")
    # So is a short one that is no hyphenated modifier: Bolivia is no joint subject of the attack
    # (a backing aside: see test_a_backing_aside_is_about_the_country_before_it).
    backed = coded("Chile (backed by Bolivia) attacked Peru.")
    assert backed[("BO", "PE")].event is None and backed[("BO", "CL")].source == "BO"
    # A hyphenated modifier of the name before the bracket, not of a noun phrase the bracket opens.
    backed = coded("Chile (Bolivia-backed) attacked Peru.")
    assert all(backed[pair].rule.startswith("nearest event") for pair in (("BO", "PE"), ("BO", "CL")))
    # A dotted name makes the bracket longer: "(the U.S.-led)" is ( the u . s . - led ).
    text = "Officials said that (the U.S.-led) mission would reduce its troops in Peru."
    assert event(text, ("US", "PE")) == ("08", "US", "PE", "cooperation")


# --- backing asides, clauses about another country, co-hosts -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chile (backed by Bolivia) attacked Peru.",
        "Chile, backed by Bolivia, attacked Peru.",
        "Chile, supported by Bolivia, attacked Peru on Monday.",
        "Chile, which is backed by Bolivia, attacked Peru.",
    ],
)
def test_a_backing_aside_is_about_the_country_before_it(text: str) -> None:
    # The backer backs Chile (its own event, passive: the "by" agent is the source) and takes no
    # part in the attack: no joint subject, no nearest-event guess for Bolivia and Peru.
    found = coded(text)
    assert event(text, ("CL", "PE")) == ("19", "CL", "PE", "conflict")
    assert event(text, ("BO", "CL")) == ("05", "BO", "CL", "cooperation")
    assert found[("BO", "PE")].event is None
    assert "BO is named only in" in found[("BO", "PE")].rule


def test_a_backing_aside_takes_a_list_and_a_noun_phrase() -> None:
    text = "Chile, backed by Bolivia, Brazil and Argentina, attacked Peru."
    found = coded(text)
    for backer in ("BO", "BR", "AR"):
        pair = tuple(sorted((backer, "CL")))
        assert (found[pair].source, found[pair].target, found[pair].stance) == (backer, "CL", "cooperation")  # type: ignore[index]
        assert found[tuple(sorted((backer, "PE")))].event is None  # type: ignore[index]
    assert found[("AR", "BR")].event is None  # co-backers do nothing to each other
    # The aside may follow a noun the country modifies ("a Chilean-led force, backed by ...").
    text = "A Chilean-led force, backed by Bolivia, has shelled Peru for weeks."
    assert event(text, ("BO", "CL"))[1:] == ("BO", "CL", "cooperation")
    assert coded(text)[("BO", "PE")].event is None


def test_a_backing_aside_is_about_the_nearest_country_before_it() -> None:
    text = "Peru attacked Chile, backed by Bolivia, on Monday."
    assert event(text, ("BO", "CL"))[1:] == ("BO", "CL", "cooperation")
    assert event(text, ("CL", "PE"))[1:] == ("PE", "CL", "conflict")
    assert coded(text)[("BO", "PE")].event is None


def test_a_co_acting_participle_is_no_backing_aside() -> None:
    # "joined by" and "led by" make the agent an actor of the main event: not in [asides] backers.
    found = coded("Chile, joined by Bolivia, attacked Peru.")
    assert found[("BO", "PE")].stance == "conflict"


def test_the_backers_are_editable_in_the_rules_file() -> None:
    path = data_dir() / "event_rules.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["asides"]["backers"] = []
    rules = parse_rules(data, load_rules().verbs)
    text = "Chile, backed by Bolivia, attacked Peru."
    mentions = find_country_mentions(text, split_sentences(text))
    found = code_sentence(text, [(m.start, m.end, m.code, m.locative) for m in mentions], rules)
    assert found[("BO", "PE")].stance == "conflict"  # no aside: Bolivia reads as a joint subject


def test_a_place_relative_clause_is_not_about_its_antecedent() -> None:
    # "Chile, where ..." tells what happened there, often done by the main clause's actor: the
    # country named in it keeps its reading with the others.
    text = "The envoy flew to Peru from Chile, where she denied that Bolivia had attacked it."
    assert "named only in" not in coded(text)[("BO", "PE")].rule
    # "which"/"who" clauses are about their antecedent.
    text = "Chile condemned Peru, which had attacked Bolivia."
    found = coded(text)
    assert event(text, ("BO", "PE"))[1:] == ("PE", "BO", "conflict")
    assert found[("BO", "CL")].event is None


def test_hosts_listed_after_forces_in_do_nothing_to_each_other() -> None:
    found = coded("Chilean forces in Peru and Bolivia killed dozens of militants.")
    assert found[("BO", "PE")].event is None
    assert found[("BO", "PE")].rule.startswith("co-hosts")
    # Two countries listed as joint subjects still share a reciprocal event.
    assert coded("Peru and Bolivia fought a border war.")[("BO", "PE")].stance == "conflict"
