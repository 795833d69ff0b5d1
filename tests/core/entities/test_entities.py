"""People and organisations: the seed article, folding, cues, place exclusion and robustness."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.articles import article_document, split_headline
from core.entities.find import EntityMention, find_entities
from core.entities.words import load_cues, parse_cues
from core.text.sentences import split_sentences

# Stand-in for the countries module: the place words of the seed article.
PLACES = re.compile(
    r"\b(?:Iraq|Iraqi|Baghdad|US|Washington|Moscow|Russia|Russian|Tehran|Iranian|American"
    r"|Afghanistan|Syria|South Korea|Turkey|Japan)\b"
)


def places(document: str) -> list[tuple[int, int]]:
    return [match.span() for match in PLACES.finditer(document)]


def found(document: str, exclude: list[tuple[int, int]] | None = None) -> dict[str, str]:
    """Canonical name -> kind."""
    return {mention.text: mention.kind for mention in find_entities(document, exclude=exclude or [])}


def mention_of(document: str, surface: str) -> EntityMention:
    matches = [mention for mention in find_entities(document) if mention.surface == surface]
    assert matches, f"{surface!r} not found in {[m.surface for m in find_entities(document)]}"
    return matches[0]


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> tuple[str, list[EntityMention]]:
    title, body = split_headline(seed_path.read_text(encoding="utf-8"))
    document = article_document(title, body)
    return document, find_entities(document, split_sentences(document), places(document))


def test_seed_people_and_organisations(seed: tuple[str, list[EntityMention]]) -> None:
    _, mentions = seed
    counts = Counter((mention.text, mention.kind) for mention in mentions)
    assert counts[("Ibrahim Jaafari", "person")] == 4
    assert counts[("Nuri al-Maliki", "person")] == 2
    for person in ("Saad al-Hadithi", "Saddam Hussein", "Heather Neuert"):
        assert counts[(person, "person")] == 1
    assert counts[("Daesh", "organisation")] == 4
    assert counts[("IS", "organisation")] == 2
    for organisation in ("TASS", "Department of Defense", "State Department"):
        assert counts[(organisation, "organisation")] == 1


def test_seed_has_no_places_and_no_sentence_starters(seed: tuple[str, list[EntityMention]]) -> None:
    _, mentions = seed
    names = {mention.text for mention in mentions}
    words = {word for mention in mentions for word in mention.surface.split()}
    assert not words & {"Iraq", "Baghdad", "US", "Washington", "Moscow", "Russia", "Iraqi"}
    starters = {"However", "Earlier", "During", "According", "The", "In", "Observers", "Recently", "Late"}
    assert not words & starters
    assert not words & {"Friday", "Wednesday", "Tuesday", "Thursday", "February", "December"}
    assert "S-400" not in names
    kinds = {mention.text: mention.kind for mention in mentions}
    assert kinds.get("World War II") == "other"
    assert kinds.get("Sunni Muslims") == "other"


def test_seed_folding_keeps_offsets_and_surfaces(seed: tuple[str, list[EntityMention]]) -> None:
    document, mentions = seed
    jaafari = [mention for mention in mentions if mention.text == "Ibrahim Jaafari"]
    assert sorted({mention.surface for mention in jaafari}) == [
        "Ibrahim Jaafari",
        "Ibrahim al-Jaafari",
        "Jaafari",
    ]
    assert {mention.surface for mention in mentions if mention.text == "Nuri al-Maliki"} == {
        "Nuri al-Maliki",
        "Maliki",
    }
    sentences = split_sentences(document)
    for mention in mentions:
        assert document[mention.start : mention.end] == mention.surface
        sentence = sentences[mention.sentence]
        assert sentence.start <= mention.start < mention.end <= sentence.end
    assert [mention.start for mention in mentions] == sorted(mention.start for mention in mentions)


def test_kind_learnt_once_applies_to_every_folded_mention() -> None:
    text = "Jaafari arrived on Monday. Iraq's foreign minister Ibrahim al-Jaafari spoke. Later Jaafari left."
    mentions = find_entities(text, exclude=places(text))
    assert [(m.surface, m.text, m.kind) for m in mentions] == [
        ("Jaafari", "Ibrahim al-Jaafari", "person"),
        ("Ibrahim al-Jaafari", "Ibrahim al-Jaafari", "person"),
        ("Jaafari", "Ibrahim al-Jaafari", "person"),
    ]
    assert [m.cue for m in mentions] == ["folded", "title:minister", "folded"]


def test_possessive_and_curly_apostrophe() -> None:
    text = "Officials met Ibrahim Jaafari. Jaafari’s plan was praised, and Jaafari's aides agreed."
    mentions = find_entities(text)
    assert [m.surface for m in mentions] == ["Ibrahim Jaafari", "Jaafari", "Jaafari"]
    assert {m.text for m in mentions} == {"Ibrahim Jaafari"}


@pytest.mark.parametrize(
    ("text", "surface", "cue"),
    [
        ("The talks were led by President Vladimir Putin on the day.", "Vladimir Putin", "title:president"),
        ("A statement came from Prime Minister Theresa May later on.", "Theresa May", "title:prime minister"),
        ("It was confirmed by Mr Blair in the evening.", "Blair", "title:mr"),
        ("It was confirmed by Dr. Okonkwo in the evening.", "Okonkwo", "title:dr"),
        ("The claim was denied by Senator Wyden on the floor.", "Wyden", "title:senator"),
        ("The visit was welcomed by King Abdullah in the city.", "Abdullah", "title:king"),
        (
            "The figures were given by a spokeswoman, Zoltana Brekk, on Monday.",
            "Zoltana Brekk",
            "title:spokeswoman",
        ),
        ("Then Ardo Velk, the defence spokesperson, replied.", "Ardo Velk", "title:spokesperson"),
    ],
)
def test_titles_make_people(text: str, surface: str, cue: str) -> None:
    mention = mention_of(text, surface)
    assert (mention.kind, mention.cue) == ("person", cue)


def test_first_name_and_said_cues() -> None:
    assert mention_of("Later on, Heather Nauert spoke to reporters.", "Heather Nauert").cue == "first-name"
    said = mention_of("The report was late. Kovacsics said it would come.", "Kovacsics")
    assert (said.kind, said.cue) == ("person", "said")


@pytest.mark.parametrize(
    ("text", "surface", "cue"),
    [
        (
            "The plan came from the Ministry of Foreign Affairs on Monday.",
            "Ministry of Foreign Affairs",
            "org-word:Ministry",
        ),
        ("A spokesman for the Bank of England declined to comment.", "Bank of England", "org-word:Bank"),
        (
            "Officials at the Department of Defense declined to comment.",
            "Department of Defense",
            "org-word:Department",
        ),
        ("Shares in Acme Widgets Inc fell sharply.", "Acme Widgets Inc", "org-word:Inc"),
        ("The Labour Party met in the city.", "Labour Party", "org-word:Party"),
        (
            "It was covered by the Department for Trade and Industry at length.",
            "Department for Trade and Industry",
            "org-word:Department",
        ),
        ("Members of the European Commission voted.", "European Commission", "org-word:Commission"),
    ],
)
def test_organisation_words(text: str, surface: str, cue: str) -> None:
    mention = mention_of(text, surface)
    assert (mention.kind, mention.cue) == ("organisation", cue)


@pytest.mark.parametrize("acronym", ["TASS", "NATO", "UN", "EU", "IS", "ISIS", "FBI"])
def test_known_acronyms_are_organisations(acronym: str) -> None:
    mention = mention_of(f"The statement was issued by {acronym} on Friday.", acronym)
    assert (mention.kind, mention.cue) == ("organisation", "acronym")


def test_daesh_and_is_are_the_militant_group() -> None:
    text = "Forces fought Daesh (IS) militants near the border. IS later retreated."
    mentions = find_entities(text)
    assert [(m.surface, m.kind) for m in mentions] == [
        ("Daesh", "organisation"),
        ("IS", "organisation"),
        ("IS", "organisation"),
    ]


def test_acronym_defined_in_brackets_folds_into_full_name() -> None:
    text = "The Equal Opportunities Commission (EOC) said so. Later the EOC agreed."
    mentions = find_entities(text)
    assert {m.text for m in mentions} == {"Equal Opportunities Commission"}
    assert [m.surface for m in mentions] == ["Equal Opportunities Commission", "EOC", "EOC"]
    assert all(m.kind == "organisation" for m in mentions)


def test_sentence_initial_common_words_are_not_entities() -> None:
    text = (
        "However, the talks went on. Earlier that week nothing moved. During the night it rained. "
        "According to aides it was calm. Observers believe otherwise. Recently there were reports. "
        "In Late February it snowed. The end came on Tuesday in March."
    )
    assert find_entities(text) == []


def test_sentence_initial_name_seen_elsewhere_is_kept() -> None:
    text = "Kovalenko spoke first. The speech by Kovalenko was long."
    assert [m.surface for m in find_entities(text)] == ["Kovalenko", "Kovalenko"]


def test_calendar_words_do_not_stick_to_names_unless_a_person() -> None:
    assert found("The vote happened on Friday.") == {}
    assert found("A speech by Prime Minister Theresa May followed.") == {"Theresa May": "person"}


def test_names_join_across_particles() -> None:
    kinds = found("A speech by Osama bin Laden aired, and Charles de Gaulle was quoted by Saad al-Hadithi.")
    assert kinds == {"Osama bin Laden": "person", "Charles de Gaulle": "person", "Saad al-Hadithi": "person"}


def test_names_split_at_a_bare_and() -> None:
    assert found("A dinner for Tony Blair and Gordon Brown was held.") == {
        "Tony Blair": "person",
        "Gordon Brown": "person",
    }


def test_excluded_place_splits_a_name() -> None:
    text = "Iraq’s foreign minister Ibrahim Jaafari met the US State Department on Friday."
    spans = [(0, 4), (text.index("US"), text.index("US") + 2)]
    mentions = find_entities(text, exclude=spans)
    assert [(m.surface, m.kind) for m in mentions] == [
        ("Ibrahim Jaafari", "person"),
        ("State Department", "organisation"),
    ]


def test_excluded_place_after_connector_drops_bare_org_word() -> None:
    text = "A spokesman for the Bank of England declined to comment."
    start = text.index("England")
    assert find_entities(text, exclude=[(start, start + len("England"))]) == []


def test_all_caps_headline_gives_no_flood() -> None:
    document = "IRAQ REJECTS PLAN AS JAAFARI IS IN MOSCOW FOR TALKS\n\nThe minister Ibrahim Jaafari said no."
    mentions = find_entities(document)
    assert [(m.surface, m.text) for m in mentions] == [
        ("JAAFARI", "Ibrahim Jaafari"),
        ("Ibrahim Jaafari", "Ibrahim Jaafari"),
    ]


def test_title_case_headline_only_keeps_names_named_in_the_body() -> None:
    document = (
        "Jaafari Rejects Bases Talk With Moscow Officials\n\nThe minister Ibrahim Jaafari rejected bases."
    )
    assert [m.surface for m in find_entities(document)] == ["Jaafari", "Ibrahim Jaafari"]


def test_cue_file_is_validated() -> None:
    with pytest.raises(ValueError, match="titles"):
        parse_cues({"persons": {"titles": "minister"}}, "bad.toml")
    cues = load_cues()
    assert "minister" in cues.titles and "TASS" in cues.acronyms and "friday" in cues.calendar


def test_empty_and_blank_documents() -> None:
    assert find_entities("") == []
    assert find_entities("   \n\t ") == []
    assert find_entities("Hello", sentences=[]) == []


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("AaBIJSUMmr .,’'-()“”\n\t")),
        st.characters(codec="utf-8"),
    ),
    max_size=200,
)
_WORDS = st.lists(
    st.sampled_from(
        [
            "Ibrahim",
            "al-Jaafari",
            "Jaafari’s",
            "of",
            "the",
            "Department",
            "IS",
            "TASS",
            "and",
            "Mr.",
            "Mr",
            "minister",
            "said",
            ",",
            "(",
            ")",
            "Friday",
            "May",
            "Theresa",
            "S-400",
            "\n",
            "😀",
            "\x00",
            "US-led",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_TEXT, _WORDS))
def test_no_text_crashes_and_offsets_hold(text: str) -> None:
    exclude = [match.span() for match in re.finditer(r"US|Iraq", text)]
    mentions = find_entities(text, exclude=exclude)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.kind in ("person", "organisation", "other")
        assert not any(start < mention.end and mention.start < end for start, end in exclude)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_pathological_inputs() -> None:
    for text in ("A" * 100_000, "a" * 100_000, "Ab " * 30_000, "😀" * 1000, "\x00\x01\x02", "\u200b" * 50):
        for mention in find_entities(text):
            assert text[mention.start : mention.end] == mention.surface


def test_organisation_word_then_first_name_starts_a_person() -> None:
    kinds = found("He met the chief-minister of Civil House José Dirceu there.")
    assert kinds == {"Civil House": "organisation", "José Dirceu": "person"}


def test_headline_split_from_a_title_keeps_the_organisation() -> None:
    kinds = found("It was said by European Commission President Jean-Claude Juncker on the day.")
    assert kinds == {"European Commission": "organisation", "Jean-Claude Juncker": "person"}
