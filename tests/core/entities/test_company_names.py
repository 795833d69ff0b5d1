"""News-wire company names (issue 12, fourth round), on sentences written here: a company's name
that ends in a legal form is one organisation however the tagger cut it, and the first words of
that name written alone elsewhere in the story are the same company."""

from __future__ import annotations

from core.entities.recognise import (
    TaggedName,
    _company_spans,
    company_names,
    company_short_forms,
    organisation_name_runs,
    people_by_office,
)
from core.text.sentences import split_sentences
from tests.core.entities.test_newswire_repairs import names


def spans_of(text: str) -> list[str]:
    return [text[start:end] for start, end in _company_spans(text)]


def test_name_runs_back_over_places_connectors_and_brackets() -> None:
    text = (
        "Shares of Brolly Manhattan Corp rose. Velden and Krupe Publishers Inc said on Monday it "
        "had hired Ostrava Asia (Singapore) Ltd and Tamsin Orvel and Co Ltd as advisers."
    )
    assert spans_of(text) == [
        "Brolly Manhattan Corp",
        "Velden and Krupe Publishers Inc",
        "Ostrava Asia (Singapore) Ltd",
        "Tamsin Orvel and Co Ltd",
    ]


def test_name_stops_at_openers_lower_case_words_and_a_second_company() -> None:
    text = (
        "The Harrow Brask Co said. Unit Feldra Co grew, and Corvine Bank and Olma Trust Ltd "
        "merged, as did Velm Corp Ltd. Analysts at Pardine Mills Inc agreed."
    )
    assert spans_of(text) == [
        "Harrow Brask Co",
        "Feldra Co",
        "Olma Trust Ltd",
        "Velm Corp Ltd",
        "Pardine Mills Inc",
    ]


def test_place_after_of_belongs_to_the_company_and_angle_brackets_are_cut() -> None:
    text = "The loan was arranged by Halvard Guaranty Trust Co of New York and <Quell Rand Ltd>."
    assert spans_of(text) == ["Halvard Guaranty Trust Co of New York", "Quell Rand Ltd"]


def test_company_replaces_the_pieces_the_tagger_cut() -> None:
    text = "Brolly Manhattan Corp said it sold the unit."
    cut = [
        TaggedName(0, 6, 0, "PER", 2.0, ("Brolly",)),
        TaggedName(7, 21, 0, "ORG", 3.0, ("Manhattan", "Corp")),
    ]
    found = company_names(text, split_sentences(text), cut)
    assert [(text[n.start : n.end], n.kind) for n in found] == [("Brolly Manhattan Corp", "ORG")]


def test_short_forms_of_a_company_are_organisations() -> None:
    text = (
        "Velden and Krupe Publishers Inc rejected the bid. Velden said the board met, and Velden "
        "and Krupe shares rose."
    )
    full = TaggedName(0, 31, 0, "ORG", 3.0, tuple("Velden and Krupe Publishers Inc".split()))
    at = text.index("Velden said")
    person = TaggedName(at, at + 6, 1, "PER", 2.0, ("Velden",))
    found = company_short_forms(text, split_sentences(text), [full, person], [])
    assert [(text[n.start : n.end], n.kind) for n in found] == [
        ("Velden and Krupe Publishers Inc", "ORG"),
        ("Velden", "ORG"),
        ("Velden and Krupe", "ORG"),
    ]


def test_one_word_short_form_that_is_a_common_word_is_left_alone() -> None:
    text = "General Orvel Co said its General plant shut."
    full = TaggedName(0, 16, 0, "ORG", 3.0, ("General", "Orvel", "Co"))
    found = company_short_forms(text, split_sentences(text), [full], [])
    assert [(text[n.start : n.end], n.kind) for n in found] == [("General Orvel Co", "ORG")]


def test_analysis_reports_the_whole_company_and_its_short_form() -> None:
    text = (
        "NEW YORK, March 3 - Dravo Lynch and Co Inc said it is in talks to buy Tolland Fry "
        "Corp of Toronto. A spokesman said Dravo Lynch expects a deal soon."
    )
    found = names(text)
    assert found.get("Dravo Lynch and Co Inc") == "organisation"
    assert found.get("Tolland Fry Corp of Toronto") == "organisation"
    assert found.get("Dravo Lynch") == "organisation"


def org(text: str, span: str) -> TaggedName:
    start = text.index(span)
    return TaggedName(start, start + len(span), 0, "ORG", 2.0, tuple(span.split()))


def runs(text: str, cut: list[TaggedName]) -> list[str]:
    return [text[n.start : n.end] for n in organisation_name_runs(text, split_sentences(text), cut)]


def test_organisation_runs_on_over_and_after_of() -> None:
    text = "The Bureau of Roads and Harbours said fees would rise."
    assert runs(text, [org(text, "Bureau of Roads")]) == ["Bureau of Roads and Harbours"]


def test_and_before_another_organisation_is_not_joined() -> None:
    text = "The Bureau of Roads and Bank of Ulster agreed."
    assert runs(text, [org(text, "Bureau of Roads"), org(text, "Bank of Ulster")]) == [
        "Bureau of Roads",
        "Bank of Ulster",
    ]


def test_organisation_runs_on_over_on_after_conference() -> None:
    text = "A Northland Conference on Fisheries and Forests opened, the Northland Conference said."
    assert (
        runs(text, [org(text, "Northland Conference")])[0] == "Northland Conference on Fisheries and Forests"
    )


def test_organisation_runs_back_over_capitalised_words_and_a_plural_possessive() -> None:
    text = "A spokesman for the Velsk Grain Growers' Association said the Velsk Timber Tribunal ruled."
    found = runs(text, [org(text, "Association"), org(text, "Tribunal")])
    assert found == ["Velsk Grain Growers' Association", "Velsk Timber Tribunal"]


def test_a_possessive_owner_and_an_opener_are_not_joined() -> None:
    text = "Officials said Norland's Finance Ministry agreed. But Harbour Council members objected."
    found = runs(text, [org(text, "Finance Ministry"), org(text, "Council")])
    assert found == ["Finance Ministry", "Harbour Council"]


def test_name_before_administration_is_a_person() -> None:
    text = "Tariffs set by the Dolvane\nadministration stay, officials said."
    start = text.index("Dolvane")
    place = TaggedName(start, start + 7, 0, "LOC", 1.0, ("Dolvane",))
    assert people_by_office(text, [place])[0].kind == "PER"


def test_place_before_administration_stays_a_place() -> None:
    text = "The Tokyo administration agreed."
    start = text.index("Tokyo")
    place = TaggedName(start, start + 5, 0, "LOC", 1.0, ("Tokyo",))
    assert people_by_office(text, [place])[0].kind == "LOC"


def test_initial_then_first_name_is_a_person() -> None:
    text = "R. Steven Kowlard, chairman, said results improved."
    found = TaggedName(0, 17, 0, "ORG", 1.0, ("R.", "Steven", "Kowlard"))
    assert people_by_office(text, [found])[0].kind == "PER"


def test_name_after_association_is_an_organisation() -> None:
    text = "Talks with the growers' association Velmora stalled, and Velmora said so."
    assert names(text).get("Velmora") == "organisation"


def test_a_based_or_backed_word_is_no_part_of_the_name() -> None:
    text = "The Orlen-based Varda Trust Co and the Velsk-backed Timber Tribunal met."
    assert spans_of(text) == ["Varda Trust Co"]
    assert runs(text, [org(text, "Timber Tribunal")]) == ["Timber Tribunal"]


def test_name_runs_stop_at_a_sentence_end_and_a_common_opener() -> None:
    text = "They met the Velsk Authority. Velsk Authority staff left. Four Harbour Council members stayed."
    cut = [org(text, "Authority")]
    second = text.index("Authority staff")
    cut.append(TaggedName(second, second + 9, 1, "ORG", 2.0, ("Authority",)))
    cut.append(org(text, "Council"))
    assert runs(text, cut) == ["Velsk Authority", "Velsk Authority", "Harbour Council"]
