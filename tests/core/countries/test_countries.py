"""Country resolution: the seed article, each known trap, locative rules, data loading, no crashes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.articles import article_document, split_headline
from core.countries.gazetteer import build, gazetteer
from core.countries.resolve import CountryMention, country_name, find_country_mentions
from core.text.sentences import split_sentences


def codes(text: str) -> list[str]:
    return [m.code for m in find_country_mentions(text)]


def only(text: str) -> CountryMention:
    mentions = find_country_mentions(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> tuple[str, list[CountryMention]]:
    title, body = split_headline(seed_path.read_text("utf-8"))
    document = article_document(title, body)
    return document, find_country_mentions(document)


# --- the seed article -------------------------------------------------------------------------


def test_seed_countries_are_exactly_the_nine(seed: tuple[str, list[CountryMention]]) -> None:
    _, mentions = seed
    assert {m.code for m in mentions} == {"IQ", "US", "RU", "IR", "SY", "AF", "KR", "TR", "JP"}
    assert Counter(m.code for m in mentions).most_common(1)[0][0] == "IQ"


def test_seed_headline_is_three_capitals(seed: tuple[str, list[CountryMention]]) -> None:
    document, mentions = seed
    headline = [m for m in mentions if m.sentence == 0]
    assert [(m.surface, m.code, m.how) for m in headline] == [
        ("Washington", "US", "capital"),
        ("Baghdad", "IQ", "capital"),
        ("Moscow", "RU", "capital"),
    ]
    assert document.startswith("Washington worried over Baghdad growing ties with Moscow")


def test_seed_demonyms(seed: tuple[str, list[CountryMention]]) -> None:
    document, mentions = seed
    by_surface = {(m.surface, document[m.end : m.end + 10]): m for m in mentions}
    assert by_surface[("Iranian", " influence")].code == "IR"
    assert by_surface[("Iranian", " influence")].how == "demonym"
    assert by_surface[("American", " troops in")].code == "US"
    assert by_surface[("American", " troops in")].how == "demonym"


def test_seed_names_no_iceland_and_no_department(seed: tuple[str, list[CountryMention]]) -> None:
    document, mentions = seed
    assert all(m.code != "IS" for m in mentions)
    department = document.index("State Department")
    assert not any(department <= m.start < department + len("State Department") for m in mentions)
    tass = document.index("TASS")
    assert not any(m.start == tass for m in mentions)


def test_seed_names_common_english(seed: tuple[str, list[CountryMention]]) -> None:
    _, mentions = seed
    names = {m.code: m.name for m in mentions}
    assert names["US"] == "United States" and names["RU"] == "Russia" and names["KR"] == "South Korea"
    assert names["IR"] == "Iran" and names["SY"] == "Syria" and names["TR"] == "Turkey"


def test_seed_locatives(seed: tuple[str, list[CountryMention]]) -> None:
    document, mentions = seed
    by_end = {m.end: m for m in mentions}

    def locative(phrase: str) -> bool:
        return by_end[document.index(phrase) + len(phrase)].locative

    assert locative("talking to journalists in Moscow") is True
    assert locative("A report from Baghdad") is True
    assert locative("bases in “South Korea") is True
    assert all(m.locative for m in mentions if m.surface in {"Turkey", "Japan"})
    assert locative("growing ties with Moscow") is False
    assert locative("In a major setback to Washington, Iraq") is False


# --- the traps --------------------------------------------------------------------------------


def test_us_pronoun_is_not_the_us() -> None:
    assert codes("Let us know what you think; they told us so.") == []
    assert codes("US troops and U.S. diplomats left.") == ["US", "US"]
    assert codes("Us and them.") == []


def test_is_and_daesh_are_not_iceland() -> None:
    assert codes("The fight against Daesh (IS) and ISIS militants IS over.") == []
    assert codes("Iceland and Icelandic fishermen.") == ["IS", "IS"]


def test_turkey_the_bird() -> None:
    assert codes("We ate roast turkey, then Thanksgiving turkey leftovers.") == []
    assert codes("Officials in Turkey and Greece met.") == ["TR", "GR"]


def test_jordan_the_person_and_the_river() -> None:
    assert codes("Michael Jordan scored 40 points.") == []
    assert codes("Sports\n\nMichael Jordan And Scottie Pippen Won.") == []
    assert codes("Pilgrims were baptised in the Jordan River.") == []
    assert codes("King Abdullah of Jordan met Jordanian officials.") == ["JO", "JO"]


def test_chad_the_person() -> None:
    assert codes("Chad Smith played the drums.") == []
    assert codes("French troops in Chad and Lake Chad.") == ["FR", "TD", "TD"]


def test_georgia_the_us_state() -> None:
    assert [(m.code, m.how, m.surface) for m in find_country_mentions("He lives in Atlanta, Georgia.")] == [
        ("US", "city", "Atlanta, Georgia")
    ]
    assert codes("Georgia's governor signed the bill.") == []
    assert codes("Georgia and Armenia signed a treaty in Tbilisi.") == ["GE", "AM", "GE"]
    assert codes("Trade between Armenia, Georgia and Azerbaijan.") == ["AM", "GE", "AZ"]


def test_niger_is_not_nigeria() -> None:
    assert codes("Nigeria and Nigerian banks.") == ["NG", "NG"]
    assert codes("Niger and the Nigerien army.") == ["NE", "NE"]


def test_korea_south_north_and_bare() -> None:
    assert codes("South Korea and North Korea held talks.") == ["KR", "KP"]
    assert codes("Korea's exports rose.") == ["KR"]
    assert codes("Korea is divided; North Korea fired a missile.") == ["KP"]


def test_washington_person_state_and_dc() -> None:
    assert codes("Heroes\n\nGeorge Washington and Denzel Washington.") == []
    assert codes("Wildfires in Washington state.") == []
    mention = only("The meeting in Washington, D.C. ended.")
    assert (mention.code, mention.how, mention.surface) == ("US", "capital", "Washington, D.C.")


def test_new_mexico_and_new_jersey() -> None:
    assert codes("He moved from New Mexico to New Jersey.") == []
    assert codes("Mexico and Jersey.") == ["MX", "JE"]


def test_the_guineas() -> None:
    assert codes("Guinea-Bissau") == ["GW"]
    assert codes("Guinea") == ["GN"]
    assert codes("Papua New Guinea") == ["PG"]
    assert codes("Equatorial Guinea") == ["GQ"]


def test_all_caps_dateline_counts() -> None:
    mention = only("MOSCOW, March 3 - The talks resumed.")
    assert (mention.code, mention.how, mention.locative, mention.surface) == ("RU", "capital", True, "MOSCOW")
    assert codes("NEW YORK, March 3 - Stocks fell.") == ["US"]
    assert codes("SAN MATEO, Calif., March 3 - The firm said.") == ["US"]
    assert only("KABUL (Reuters) - Talks resumed.").locative is True


def test_all_caps_headline_is_not_a_dateline() -> None:
    mentions = find_country_mentions("US TROOPS LEAVE IRAQ, SAYS PENTAGON\n\nThe troops left.")
    assert [(m.code, m.locative) for m in mentions] == [("US", False), ("IQ", False)]


def test_person_names_paris_hilton_and_paris_texas() -> None:
    assert codes("Paris Hilton arrived.") == []
    assert codes("A ranch near Paris, Texas.") == ["US"]
    assert codes("Talks in Paris ended.") == ["FR"]


def test_lowercase_words_are_not_countries() -> None:
    assert codes("fine china plates and a chile pepper, a guinea pig") == []


def test_congo_sudan_dominica() -> None:
    assert codes("Congo") == ["CD"]
    assert codes("Democratic Republic of Congo and the Republic of the Congo") == ["CD", "CG"]
    assert codes("Sudan and South Sudan") == ["SD", "SS"]
    assert codes("Dominica and the Dominican Republic") == ["DM", "DO"]


def test_possessives_and_hyphens() -> None:
    assert [(m.surface, m.code) for m in find_country_mentions("Iraq’s and Iran's")] == [
        ("Iraq", "IQ"),
        ("Iran", "IR"),
    ]
    assert codes("the US-led coalition in the Iraq-Iran war") == ["US", "IQ", "IR"]


def test_currencies_are_not_mentions() -> None:
    assert codes("It paid US$5 million in Swiss francs.") == []


def test_title_case_headline_keeps_person_like_names() -> None:
    assert codes("Jordan Signs Trade Pact With Iraq") == ["JO", "IQ"]


def test_how_values() -> None:
    got = {m.surface: m.how for m in find_country_mentions("Russian Federation, Britain, Iranian, Kabul.")}
    assert got == {"Russian Federation": "name", "Britain": "alias", "Iranian": "demonym", "Kabul": "capital"}


# --- locative rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("talking to journalists in Moscow", True),
        ("a report from Baghdad said", True),
        ("during his visit to Tehran", True),
        ("troops in northern Iraq", True),
        ("moving troops from Iraq to Afghanistan", True),
        ("Washington sent a letter", False),
        ("permission to Iran", False),
        ("in the history of Iraq", False),
        ("in Iraq's parliament", False),
        ("in Iranian waters", False),
    ],
)
def test_locative(text: str, expected: bool) -> None:
    assert find_country_mentions(text)[-1].locative is expected


def test_locative_spreads_along_a_list() -> None:
    mentions = find_country_mentions("bases in South Korea, Turkey, Japan and Germany. Russia said no.")
    assert [m.locative for m in mentions] == [True, True, True, True, False]


# --- names, data and loading ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("US", "United States"),
        ("RU", "Russia"),
        ("KR", "South Korea"),
        ("IR", "Iran"),
        ("SY", "Syria"),
        ("VN", "Vietnam"),
        ("BO", "Bolivia"),
        ("TR", "Turkey"),
        ("IQ", "Iraq"),
        ("gb", "United Kingdom"),
    ],
)
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


def test_country_name_unknown_code() -> None:
    with pytest.raises(KeyError):
        country_name("XX")


def test_data_is_loaded_lazily() -> None:
    script = (
        "import core.countries.resolve, core.countries.gazetteer\n"
        "assert core.countries.gazetteer.gazetteer.cache_info().currsize == 0\n"
        "core.countries.resolve.find_country_mentions('Iraq')\n"
        "assert core.countries.gazetteer.gazetteer.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_data_file_conflict_is_reported() -> None:
    data = {"countries": {"IQ": {"aliases": ["Mesopotamia"]}, "SY": {"aliases": ["Mesopotamia"]}}}
    with pytest.raises(ValueError, match="Mesopotamia"):
        build(data)


def test_data_file_unknown_code_is_reported() -> None:
    with pytest.raises(ValueError, match="XX"):
        build({"countries": {"XX": {"aliases": ["Utopia"]}}})


def test_every_data_surface_resolves_to_its_country() -> None:
    gaz = gazetteer()
    for key, entry in gaz.entries.items():
        if entry.code and not entry.yield_to and not entry.person and not entry.us_state:
            found = find_country_mentions(f"Officials of {key} spoke.")
            assert found and found[0].code == entry.code, key


# --- robustness -------------------------------------------------------------------------------


def check_invariants(document: str) -> None:
    sentences = split_sentences(document)
    mentions = find_country_mentions(document)
    assert mentions == find_country_mentions(document, sentences)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        assert document[m.start : m.end] == m.surface
        assert 0 <= m.sentence < max(1, len(sentences))
        assert m.how in {"name", "alias", "demonym", "capital", "city"}


@pytest.mark.parametrize(
    "document",
    [
        "",
        " ",
        "\n\n\t",
        "🇮🇶 Iraq 🇺🇸",
        "\x00\x01Iraq\x7f",
        "a" * 100_000,
        "Iraq" * 25_000,
        "IRAQ\n" * 1000,
        "A, Ga.",
        "U.S.",
        "’s",
        ", Calif.",
    ],
)
def test_edge_cases_do_not_crash(document: str) -> None:
    check_invariants(document)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Iraq US U.S. Korea North Georgia, Ga.\n’'-$ ")), max_size=80))
def test_country_shaped_text_never_crashes(document: str) -> None:
    check_invariants(document)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_crashes(document: str) -> None:
    check_invariants(document)


def test_a_time_word_before_a_comma_is_no_town_of_the_state() -> None:
    # "On Friday, Washington announced ..." is the capital acting, not a town in Washington state.
    mention = only("On Friday, Washington announced new tariffs.")
    assert (mention.surface, mention.how, mention.locative) == ("Washington", "capital", False)
    assert only("Yesterday, Washington said no.").how == "capital"
    assert only("A plant in Spokane, Washington, closed.").how == "city"


def test_sino_compounds_name_china() -> None:
    assert codes("Sino-U.S. talks resumed.") == ["CN", "US"]
    assert codes("Sino Land Co said profits rose.") == []
