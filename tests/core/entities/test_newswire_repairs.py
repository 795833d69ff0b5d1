"""Repairs found on the news-wire dev set (issue 12, fourth round), each on sentences written here:
company names cut before their legal form, partnerships "X and Co", events, people read as
organisations or places although their parts say person, and team line-ups."""

from __future__ import annotations

from core.analysis.pipeline import analyse_article
from core.entities.recognise import (
    TaggedName,
    events_are_other,
    join_broken_names,
    lineup_lists,
    people_by_name_parts,
)
from core.text.sentences import split_sentences


def names(text: str) -> dict[str, str]:
    """Entity text -> kind, as `analyze` reports them (countries by their own resolver)."""
    row = analyse_article("test", "", text)
    return {m["entity"]: m["kind"] for m in row["mentions"] if m["kind"] != "country"}


def at(text: str, span: str, kind: str) -> TaggedName:
    start = text.index(span)
    return TaggedName(start, start + len(span), 0, kind, 1.0, tuple(span.split()))


def spans(text: str, found: list[TaggedName]) -> list[tuple[str, str]]:
    return [(text[name.start : name.end], name.kind) for name in found]


def test_legal_form_ends_a_name_cut_before_it() -> None:
    text = "Shares of Hollin Brask Ltd and Orvel Tamsin Corp rose."
    cut = [
        at(text, "Hollin", "PER"),
        at(text, "Brask Ltd", "ORG"),
        at(text, "Orvel", "ORG"),
        at(text, "Tamsin Corp", "ORG"),
    ]
    assert spans(text, join_broken_names(text, cut, [])) == [
        ("Hollin Brask Ltd", "ORG"),
        ("Orvel Tamsin Corp", "ORG"),
    ]


def test_partnership_legal_form_after_and() -> None:
    text = "Auditors Velm Orsk and Co and Pardo & Co said so."
    cut = [at(text, "Velm Orsk", "PER"), at(text, "Co", "ORG"), at(text, "Pardo", "PER")]
    cut.append(TaggedName(text.rindex("Co"), text.rindex("Co") + 2, 0, "ORG", 1.0, ("Co",)))
    assert spans(text, join_broken_names(text, cut, [])) == [
        ("Velm Orsk and Co", "ORG"),
        ("Pardo & Co", "ORG"),
    ]


def test_events_are_other() -> None:
    text = "Ana Ruiz won the Kessel Cup and the Varna Open, sponsored by Varna Bank."
    found = events_are_other(
        [
            at(text, "Ana Ruiz", "PER"),
            at(text, "Kessel Cup", "PER"),
            at(text, "Varna Open", "ORG"),
            at(text, "Varna Bank", "ORG"),
        ]
    )
    assert [name.kind for name in found] == ["PER", "MISC", "MISC", "ORG"]
    assert names(text).get("Kessel Cup") not in ("person", "organisation")


def test_people_by_name_parts() -> None:
    text = (
        "Jens Olbrecht saved twice and Olbrecht said so. Henry Talvik scored, and so on. "
        "K Lomart Corp owns K Lomart. The Jordan Valley flooded. Pius XI was pope. Kora Bank lent."
    )
    found = people_by_name_parts(
        [
            at(text, "Jens Olbrecht", "ORG"),
            at(text, "Olbrecht", "PER"),
            at(text, "Henry Talvik", "LOC"),
            at(text, "K Lomart Corp", "ORG"),
            TaggedName(text.rindex("K Lomart"), text.rindex("K Lomart") + 8, 0, "ORG", 1.0, ("K", "Lomart")),
            at(text, "Jordan Valley", "LOC"),
            at(text, "Pius XI", "ORG"),
            at(text, "Kora Bank", "ORG"),
        ]
    )
    assert [name.kind for name in found] == ["PER", "PER", "PER", "ORG", "ORG", "LOC", "ORG", "ORG"]


def test_lineup_players_are_people_and_the_team_an_organisation() -> None:
    text = (
        "The side is unchanged. Dunmore: Balsar; Reesk, Christo, Bellamy, Dorrity; McMullan, Dickon; "
        "Palmer (capt), Parks. Replacements: Kalmar, Regin, Hydel, Rigby.\n\n"
        "J Laharrow; A Rougel, Y Jauzin, D Traillet (Bourgo)."
    )
    found = spans(text, lineup_lists(text, split_sentences(text), [], set()))
    assert ("Dunmore", "ORG") in found
    for player in ("Balsar", "Dorrity", "McMullan", "Palmer", "Kalmar", "Rigby", "J Laharrow", "A Rougel"):
        assert (player, "PER") in found, (player, found)
    assert ("Bourgo", "ORG") in found
    assert not any(span in ("capt", "Replacements") for span, _ in found), found
    whole = names(text)
    assert whole.get("Balsar") == "person", whole
    assert whole.get("D Traillet") == "person", whole


def test_prose_lists_are_not_lineups() -> None:
    text = "Prices rose in Oslo, Bergen, Tromso and Bodo, while Alpha, Beta, Gamma and Delta fell."
    assert lineup_lists(text, split_sentences(text), [], set()) == []


def test_legal_form_mends_a_name_cut_twice() -> None:
    text = "Shares of Garnet Velloway Corp rose."
    cut = [at(text, "Garnet", "ORG"), at(text, "Velloway", "PER"), at(text, "Corp", "ORG")]
    assert spans(text, join_broken_names(text, cut, [])) == [("Garnet Velloway Corp", "ORG")]


def test_short_form_of_an_organisation_named_in_full() -> None:
    from core.entities.recognise import organisation_short_forms

    text = (
        "Tarsel Hune Bank Ltd lends. Later Tarsel Hune said so, and Tarsel Orvo agreed. "
        "Varna City Council met in Varna City."
    )
    short = text.index("Tarsel Hune said")
    found = organisation_short_forms(
        [
            at(text, "Tarsel Hune Bank Ltd", "ORG"),
            TaggedName(short, short + len("Tarsel Hune"), 0, "PER", 1.0, ("Tarsel", "Hune")),
            at(text, "Tarsel Orvo", "PER"),
            at(text, "Varna City Council", "ORG"),
            TaggedName(text.rindex("Varna City"), len(text) - 1, 0, "LOC", 1.0, ("Varna", "City")),
        ]
    )
    assert [name.kind for name in found] == ["ORG", "ORG", "PER", "ORG", "LOC"]  # a place stays a place


def test_a_hard_wrapped_line_break_does_not_cut_a_name() -> None:
    wrapped = (
        "WASHINGTON, March 5 - The agency's new president, said to be John\n"
        "Bohn, spoke on Tuesday about the new fees for exporters.\n"
    )
    assert names(wrapped).get("John Bohn") == "person", names(wrapped)
    # A short line (a heading, a list) still ends a name, as does a blank line.
    listed = "Players named today:\nMartin Olsen\nPeter Ruud\n\nCoach Ana Berg said so."
    found = names(listed)
    assert found.get("Martin Olsen") == "person", found
    assert "Martin Olsen Peter Ruud" not in found, found


def test_unknown_first_name_before_a_one_word_person() -> None:
    text = "Meanwhile, Theo Henry believes he will start."
    cut = [at(text, "Theo", "ORG"), at(text, "Henry", "PER")]
    assert spans(text, join_broken_names(text, cut, [])) == [("Theo Henry", "PER")]


def test_teams_after_facing_words_in_a_sports_story() -> None:
    from core.entities.recognise import teams_by_context

    story = (
        "The coach said the striker is fit. Almora will start the league match against Rosvik and "
        "is likely to face Kelsby on Sunday, the club said."
    )
    found = teams_by_context(
        story, [at(story, "Almora", "PER"), at(story, "Rosvik", "LOC"), at(story, "Kelsby", "PER")]
    )
    assert [name.kind for name in found] == ["PER", "ORG", "ORG"]
    news = "Protesters marched against Rosvik, the minister said, and will face Kelsby on Sunday."
    found = teams_by_context(news, [at(news, "Rosvik", "PER"), at(news, "Kelsby", "PER")])
    assert [name.kind for name in found] == ["PER", "PER"]  # no sports story: no teams


def test_demonym_read_into_a_persons_name_is_cut() -> None:
    found = names("Kosen won the race in 21.07 secs with Dutchman Pieter van Balkan second.")
    assert found.get("Pieter van Balkan") == "person", found
    assert "Dutchman Pieter van Balkan" not in found, found


def test_players_role_before_a_one_word_name_is_cut() -> None:
    found = names("The hosts led 2-0 at the break. Midfielder Edu reduced the deficit.")
    assert found.get("Edu") == "person", found
    assert "Midfielder Edu" not in found, found


def test_two_organisations_joined_by_and_are_split() -> None:
    from core.entities.recognise import split_coordinated_organisations

    text = "Tarsel Bank and Orvo Hune Bank control half; Ways and Means Committee met; Velm and Co."
    found = split_coordinated_organisations(
        text,
        [
            at(text, "Tarsel Bank and Orvo Hune Bank", "ORG"),
            at(text, "Ways and Means Committee", "ORG"),
        ],
    )
    assert spans(text, found) == [
        ("Tarsel Bank", "ORG"),
        ("Orvo Hune Bank", "ORG"),
        ("Ways and Means Committee", "ORG"),
    ]
    assert [name.words for name in found][:2] == [("Tarsel", "Bank"), ("Orvo", "Hune", "Bank")]


def test_partnership_form_after_a_wrapped_and() -> None:
    text = "Brokers Velm Orsk and\nCo said so."
    cut = [at(text, "Velm Orsk", "PER"), at(text, "Co", "ORG")]
    assert spans(text, join_broken_names(text, cut, [])) == [("Velm Orsk and\nCo", "ORG")]


def test_lineup_in_tokenised_text() -> None:
    text = (
        "The game went ahead . Dunmore : Balsar ; Reesk , Christo , Dorrity ; "
        "Palmer ( capt ) , Parks ( Bourgo ) ."
    )
    found = spans(text, lineup_lists(text, split_sentences(text), [], set()))
    assert ("Dunmore", "ORG") in found and ("Bourgo", "ORG") in found, found
    assert ("Palmer", "PER") in found and ("Balsar", "PER") in found, found
    assert not any(span.strip() == "capt" for span, _ in found), found


def test_a_month_beside_a_number_is_a_date_not_a_name() -> None:
    from core.entities.recognise import drop_dates

    text = "Talks end on Jan 31 in Oslo. On 4 Dec the firm paid. Jan Rusk came on Sept. 9; Jan left."
    found = drop_dates(
        text,
        [
            at(text, "Jan", "PER"),
            at(text, "Dec", "LOC"),
            at(text, "Jan Rusk", "PER"),
            at(text, "Sept.", "ORG"),
            TaggedName(text.rindex("Jan"), text.rindex("Jan") + 3, 0, "PER", 1.0, ("Jan",)),
        ],
    )
    # Dates go; a first name before a surname, and "Jan" with no number beside it, stay.
    assert spans(text, found) == [("Jan Rusk", "PER"), ("Jan", "PER")]


def test_a_dateline_month_is_no_entity() -> None:
    found = names(
        "OSLO, Jan 31 - Norvik Holdings said on Feb 2 it had sold the unit, chairman Jan Berg said."
    )
    assert "Jan" not in found and "Feb" not in found
    assert found.get("Jan Berg") == "person"


def test_short_form_evidence_names_the_first_full_name_in_the_text() -> None:
    from core.entities.recognise import organisation_short_forms

    text = "Tarsel Hune Bank met Tarsel Hune Trust Co. Tarsel Hune said so."
    short = text.rindex("Tarsel Hune")
    found = organisation_short_forms(
        [
            at(text, "Tarsel Hune Bank", "ORG"),
            at(text, "Tarsel Hune Trust Co", "ORG"),
            TaggedName(short, short + len("Tarsel Hune"), 0, "PER", 1.0, ("Tarsel", "Hune")),
        ]
    )
    assert found[2].kind == "ORG" and "Tarsel Hune Bank" in found[2].evidence
