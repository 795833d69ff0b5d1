"""Editor-style keyphrases: the candidate rules, filler, the list's composition, and both engines agreeing."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.keywords.phrase_frames import phrase_candidate_rows
from core.keywords.phrases import (
    LIST_WEIGHTS,
    PHRASE_POOL,
    KeyphraseConfig,
    default_config,
    editor_phrases,
    is_filler,
    parse_config,
    phrases_and_stickiness,
    word_classes,
)
from core.keywords.rerank import (
    DEFAULT_CONFIG,
    compose,
    extract_keywords,
    is_near_duplicate,
    phrase_stems,
    remove_near_duplicates,
)
from core.keywords.stopwords import yake_stopwords
from core.keywords.yake.frames import yake_plan
from tests.helpers import sample

CONFIG = default_config()


def _phrases(text: str) -> list[str]:
    return [p.lower() for p, _ in editor_phrases(text, CONFIG, yake_stopwords())]


def _batch_phrases(documents: list[str]) -> list[list[tuple[str, float]]]:
    return _batch_phrases_and_stickiness(documents)[0]


def _batch_phrases_and_stickiness(
    documents: list[str],
) -> tuple[list[list[tuple[str, float]]], list[dict[str, float]]]:
    plan = yake_plan(documents)
    phrases, sticky = phrase_candidate_rows(plan.tokens, plan.words, plan.terms, plan.vocab, CONFIG)
    out: list[list[tuple[str, float]]] = [[] for _ in documents]
    for doc, surface, score in phrases.collect().iter_rows():
        out[doc].append((surface, score))  # rows come best first within each doc
    term_names = plan.vocab.select("term_id", "term").unique("term_id")
    stickiness: list[dict[str, float]] = [{} for _ in documents]
    named = sticky.join(term_names, on="term_id", how="left").select("doc", "term", "share")
    for doc, term, share in named.collect().iter_rows():
        stickiness[doc][term] = share
    return out, stickiness


def test_noun_phrases_are_candidates() -> None:
    text = "The oil spill reached the coast. Cleanup crews fought the oil spill with booms."
    found = _phrases(text)
    assert "oil spill" in found
    assert "cleanup crews" in found


def test_no_candidate_starts_or_ends_with_a_stopword() -> None:
    found = _phrases("The oil spill of the tanker was in the sound. An oil spill is bad for the sound.")
    assert found, "the text has noun phrases"
    stopwords = yake_stopwords()
    for phrase in found:
        words = phrase.split()
        assert words[0] not in stopwords and words[-1] not in stopwords, phrase


def test_verbs_do_not_join_phrases() -> None:
    found = _phrases("Police said protesters gathered. Police said officers killed nobody.")
    assert not any("said" in p.split() or "killed" in p.split() for p in found), found
    verbs, _ = word_classes()
    assert {"said", "killed"} <= verbs


def test_an_adjective_modifies_but_does_not_end_a_phrase() -> None:
    found = _phrases("Environmental damage was severe. The damage looked environmental and severe to all.")
    assert "environmental damage" in found
    assert "damage looked environmental" not in found
    assert not any(p.endswith(" environmental") for p in found), found


def test_names_are_phrases_whatever_the_lexicon_says() -> None:
    # "cook" is a verb in the lexicon, but written as a name mid-sentence it is one.
    found = _phrases("Reporters met Tim Cook in London. The tanker Exxon Valdez ran aground near Valdez.")
    assert "tim cook" in found
    assert "exxon valdez" in found
    assert "valdez ran" not in found


def test_punctuation_splits_phrases() -> None:
    assert "oil spill" not in _phrases("They talked about oil, spill risks and tankers.")


def test_filler_never_starts_or_ends_a_phrase() -> None:
    found = _phrases(
        "On Saturday morning 10 million barrels spilled. Saturday protests grew, and protest leaders "
        "met in March. Officials said 40 percent of the oil was lost."
    )
    assert "protest leaders" in found
    assert not any(p.split()[0] in CONFIG.filler or p.split()[-1] in CONFIG.filler for p in found), found
    assert "million barrels" not in found and "saturday protests" not in found


@pytest.mark.parametrize("keyword", ["Saturday", "million", "percent", "10", "2,500", "March", "10 percent"])
def test_filler_keywords(keyword: str) -> None:
    assert is_filler(keyword, CONFIG.filler)


@pytest.mark.parametrize("keyword", ["oil", "oil spill", "Exxon Valdez", "marches", "sun"])
def test_not_filler(keyword: str) -> None:
    assert not is_filler(keyword, CONFIG.filler)


def test_shipped_keywords_have_no_filler() -> None:
    text = (
        "On Saturday, 10 million gallons of oil spilled. The spill on Saturday covered 40 percent of "
        "the sound. By Monday, in March, the spill had spread 7 miles. Millions of dollars were spent."
    )
    listed = [k for k, _ in extract_keywords("Oil spill on Saturday", text)]
    assert listed
    assert not [k for k in listed if is_filler(k, CONFIG.filler)]
    # Without the filler list (the word ranking as it was), a weekday made the list.
    old = [
        k
        for k, _ in extract_keywords(
            "Oil spill on Saturday", text, dataclasses.replace(DEFAULT_CONFIG, phrases=None)
        )
    ]
    assert any(is_filler(k, CONFIG.filler) for k in old)


def _listing(**weights: float) -> KeyphraseConfig:
    """The shipped config with some [list] weights replaced (the rest as shipped)."""
    merged = dict(CONFIG.list_weights) | weights
    return dataclasses.replace(CONFIG, list_weights=tuple((k, merged[k]) for k in LIST_WEIGHTS))


def _listed(phrases: list[str], words: list[str], config: KeyphraseConfig, **kw: object) -> list[str]:
    stickiness = kw.get("stickiness", {})
    assert isinstance(stickiness, dict)
    return [k for k, _ in compose(phrases, words, stickiness, config, top=int(str(kw.get("top", 10))))[0]]


def test_compose_ranks_phrases_and_words_by_one_value() -> None:
    phrases = [f"phrase{i} topic{i}" for i in range(5)]
    words = [f"word{i}" for i in range(5)]
    even = _listing(phrase_value=0.0, phrase_rank=1.0, word_rank=1.0)
    # Equal values at equal ranks: the phrase goes first, then the word of the same rank.
    assert _listed(phrases, words, even)[:4] == ["phrase0 topic0", "word0", "phrase1 topic1", "word1"]
    assert _listed(phrases, words, _listing(phrase_value=10.0))[:5] == phrases
    assert _listed(phrases, words, _listing(phrase_value=-10.0))[:5] == words


def test_a_phrase_with_a_higher_score_earns_a_better_place() -> None:
    config = _listing(phrase_value=-1.0, phrase_rank=1.0, phrase_score=0.5, word_rank=1.0, sticky_word=0.0)
    words = ["tanker", "coast", "crew"]

    def listed(scores: list[float]) -> list[str]:
        return [k for k, _ in compose(["oil spill", "cleanup crews"], words, {}, config, 10, True, scores)[0]]

    # Without scores only the ranks count: the best phrase (value -1) sits below two words.
    assert listed([])[:3] == ["tanker", "coast", "oil spill"]
    # A phrase that recurs (score 4: value -1 + 2 = +1) goes above every word...
    assert listed([4.0, 0.0])[0] == "oil spill"
    # ...and the score keeps the phrases' own order by rank: "cleanup crews" gains as much.
    assert listed([4.0, 4.0])[:2] == ["oil spill", "cleanup crews"]
    # The shipped weights use the score term.
    assert dict(CONFIG.list_weights)["phrase_score"] > 0


def test_a_word_mostly_inside_one_phrase_yields_its_place() -> None:
    config = _listing(phrase_value=-10.0, word_rank=0.1, sticky_word=-1.0, verb_like_word=0.0)
    # "Valdez" nearly always as "Exxon Valdez" (stickiness by YAKE's term key, plural folded).
    assert _listed([], ["Valdez", "tanker"], config, stickiness={"valdez": 0.9}) == ["tanker", "Valdez"]
    assert _listed([], ["Valdez", "tanker"], config, stickiness={"valdez": 0.05}) == ["Valdez", "tanker"]
    assert _listed([], ["tankers", "oil"], config, stickiness={"tanker": 0.9}) == ["oil", "tankers"]


def test_verb_like_words_yield_unless_written_as_names() -> None:
    config = _listing(word_rank=0.1, sticky_word=0.0, verb_like_word=-1.0)
    verbs, _ = word_classes()
    assert "said" in verbs
    assert _listed([], ["said", "tanker"], config) == ["tanker", "said"]
    assert _listed([], ["Said", "tanker"], config) == ["Said", "tanker"]


def test_compose_skips_duplicates_and_scores_are_minus_the_value() -> None:
    config = _listing(phrase_value=0.0, phrase_rank=1.0, word_rank=1.0, sticky_word=0.0)
    listed = _listed(["oil spill", "oil spills"], ["spill", "oil spill", "tanker"], config)
    # "oil spills" and the second "oil spill" say what "oil spill" says; single words stay.
    assert listed == ["oil spill", "spill", "tanker"]
    scores = [s for _, s in compose(["a b"], ["c", "d"], {}, config, 10)[0]]
    assert scores == [0.0, 0.0, round(math.log(2), 6)]
    assert all(type(s) is float for s in scores)


def test_shipped_lists_mix_phrases_and_words() -> None:
    articles = sample(30)
    sizes = [len(k.split()) for title, text in articles for k, _ in extract_keywords(title, text)[:10]]
    multi = sum(size >= 2 for size in sizes) / len(sizes)
    assert 0.2 <= multi <= 0.6, multi


def test_both_paths_find_the_same_phrases_with_the_same_scores() -> None:
    documents = [f"{title}\n{text}" for title, text in sample(12)] + [
        "",
        "Tim Cook met the Exxon Valdez crew. Cook said so. Exxon Valdez, Exxon Valdez!",
        "ÉCOLE Normale students. École normale students.",
    ]
    batch, batch_sticky = _batch_phrases_and_stickiness(documents)
    for document, ours, sticky in zip(documents, batch, batch_sticky, strict=True):
        reference, reference_sticky = phrases_and_stickiness(document, CONFIG, yake_stopwords())
        assert sticky == reference_sticky
        assert [p for p, _ in ours] == [p for p, _ in reference]
        assert all(
            abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(ours, reference, strict=True)
        )
        assert len(ours) <= PHRASE_POOL


def test_config_errors_name_the_file_and_the_problem() -> None:
    text = "[phrases]\nmax_words = 3\n[phrases.weights]\nword_frequency = 1.0\nrarity = 2.0\n"
    with pytest.raises(ValueError, match=r"my\.toml: \[phrases.weights\]: unknown key\(s\) rarity"):
        parse_config(text + _LIST, "my.toml")
    with pytest.raises(ValueError, match=r"my\.toml: missing key 'max_words'"):
        parse_config("[phrases]\n[phrases.weights]\n" + _LIST, "my.toml")
    with pytest.raises(ValueError, match=r"my\.toml: missing key 'list'"):
        parse_config("[phrases]\nmax_words = 2\n[phrases.weights]\n", "my.toml")
    with pytest.raises(ValueError, match=r"my\.toml: \[list\]: unknown key\(s\) slots"):
        parse_config("[phrases]\nmax_words = 2\n[phrases.weights]\n" + _LIST + "slots = 3\n", "my.toml")
    with pytest.raises(ValueError, match="max_words must be"):
        parse_config("[phrases]\nmax_words = 4\n[phrases.weights]\n" + _LIST, "my.toml")


_LIST = "[list]\n" + "".join(f"{name} = 1.0\n" for name in LIST_WEIGHTS)


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.lists(
    st.sampled_from(
        ["Oil", "oil", "spill", "Saturday", "Exxon", "said", ".", ",", "\n", "the", "of", "🙂", "42"]
    ),
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(text=_TEXT)
def test_phrases_never_crash_and_both_paths_agree(text: str) -> None:
    reference, reference_sticky = phrases_and_stickiness(text, CONFIG, yake_stopwords())
    ours, sticky = _batch_phrases_and_stickiness([text])
    assert [p for p, _ in ours[0]] == [p for p, _ in reference]
    assert sticky[0] == reference_sticky
    assert all(0.0 < share <= 1.0 for share in reference_sticky.values())


def _pairwise_dedup(phrases: list[str]) -> list[str]:
    """remove_near_duplicates as first written: each candidate against every kept phrase."""
    kept: list[str] = []
    for phrase in phrases:
        stems = phrase_stems(phrase)
        if stems and not any(is_near_duplicate(stems, phrase_stems(other)) for other in kept):
            kept.append(phrase)
    return kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["oil", "spill", "oils", "tanker", "Exxon", "Valdez"]), max_size=4)))
def test_set_based_dedup_matches_the_pairwise_rule(word_lists: list[list[str]]) -> None:
    phrases = [" ".join(words) for words in word_lists]
    expected = _pairwise_dedup(phrases)
    assert [p for p, _ in remove_near_duplicates([(p, 0.0) for p in phrases], top=100)] == expected


def test_compose_says_when_the_words_ran_out() -> None:
    config = _listing(phrase_value=0.0, phrase_rank=1.0, word_rank=1.0, sticky_word=0.0)
    listed, ran_out = compose(["a b"], ["c", "d", "e"], {}, config, 3)
    assert [k for k, _ in listed] == ["a b", "c", "d"] and not ran_out
    # Duplicates left the list short: words beyond the two given might belong in it.
    listed, ran_out = compose(["a b", "f g"], ["c", "c"], {}, config, 4)
    assert [k for k, _ in listed] == ["a b", "c", "f g"] and ran_out
    # The last place went to a phrase worth less than an unseen third word could be.
    listed, ran_out = compose(["a b", "f g", "h i"], ["c", "d"], {}, config, 5)
    assert [k for k, _ in listed][-1] == "h i" and not ran_out  # a tie goes to the phrase
    listed, ran_out = compose(["a b", "f g", "h i", "j k"], ["c", "d"], {}, config, 6)
    assert [k for k, _ in listed][-1] == "j k" and ran_out


def test_a_phrases_words_carry_where_the_text_first_uses_them() -> None:
    from core.keywords.phrases import found_features, phrase_candidates

    document = "Oil spill.\nThe tanker crew watched. Oil spill crews met the tanker crew."
    found, terms = phrase_candidates(document, CONFIG, yake_stopwords())
    # Each word's own first sentence counts (the headline is sentence 0), not the phrase's:
    # "spill crews" first occurs in sentence 2, but "spill" is in the headline, "crews" (term
    # "crew") first in sentence 1.
    assert terms.firsts["spill"] == 0 and terms.firsts["crew"] == 1
    expected = {
        ("oil", "spill"): (1.0, 0.0),
        ("tanker", "crew"): (0.0, -math.log(2)),
        ("spill", "crews"): (0.5, -math.log(2) / 2),
    }
    for key, (headline, position) in expected.items():
        features = found_features(found[key], terms)
        assert features["words_headline"] == headline, key
        assert features["words_position"] == pytest.approx(position), key
    assert found[("spill", "crews")].first_sentence == 2
