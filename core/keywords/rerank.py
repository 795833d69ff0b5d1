"""Per-article keywords: YAKE's statistics re-ranked by how much text a word covers, then de-duplicated,
with editor-style multi-word keyphrases (core.keywords.phrases) competing with words for each place.

Measured on 500N-KPCrowd (benchmarks/keyword_quality.py), plain YAKE's ordering loses to a simpler
signal: how often a word occurs times how long it is. YAKE still supplies tokenising, stopwords,
candidate phrases and a tie-breaking word score. YAKE's own dedup compares strings by edit
similarity, which keeps shifted windows of one phrase ("Baghdad growing ties", "Baghdad growing",
"growing ties"); ours compares word stems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.keywords.phrases import (
    KeyphraseConfig,
    default_config,
    is_filler,
    phrases_and_stickiness,
    term_key,
    word_classes,
)
from core.keywords.stopwords import yake_stopwords
from core.text.stem import stem

# Longest article text handed to YAKE. Its cost grows faster than linearly with length and the
# keywords of a very long document are settled well before this point.
MAX_KEYWORD_INPUT_CHARS = 100_000

# YAKE's word features minus "wcase" (the capitalisation boost); "KPF" is its phrase-frequency switch.
YAKE_FEATURES_WITHOUT_CASE = ["wrel", "wfreq", "wspread", "wpos", "KPF"]


@dataclass(frozen=True)
class KeywordConfig:
    """How newsdesk ranks keywords; every default below was chosen by benchmarks/keyword_quality.py.

    Word score (lower = better) = yake_word_score ** yake_weight / (occurrences * min(letters, cap)).
    The word ranking alone (issue 3) scored KPCrowd macro-F1@10 0.198 against plain YAKE n=1/2/3's
    0.164/0.112/0.079; nearly all of that gain is occurrences x letters (the crowd marked frequent,
    longer words, which YAKE ranks too low). The list that mixes these words with phrases, and its
    current figures on KPCrowd and DUC, are described in docs/keyphrases.md.
    """

    # Longest candidate phrase YAKE proposes (see phrase_share for why 2).
    max_ngram: int = 2
    # YAKE's co-occurrence window for its relatedness feature (its default).
    window_size: int = 1
    # Exponent on YAKE's word score: it orders words of (nearly) equal coverage by YAKE's position,
    # spread and context statistics instead of alphabetically. 0..0.25 score the same within noise
    # (0 gave 0.199); 1.0 (YAKE at full weight) loses 0.008 F1.
    yake_weight: float = 0.125
    # Word length is a cheap specificity signal (frequent words are short: Zipf's law of
    # abbreviation), but beyond ~12 letters it says nothing more, and the cap stops a junk token
    # (a URL, a run of letters) from topping the list on length alone. Ignoring length: 0.182 F1;
    # no cap: 0.197.
    max_word_chars: int = 12
    # YAKE's capitalisation feature favours names; crowd annotators favoured topic words (in plain
    # n=1 top-10s, lower-case words were gold 54% of the time, mostly-capitalised ones 40%), and
    # newsdesk lists entities in their own view. Off: +0.006 F1 on YAKE alone, +0.001 in this blend.
    case_feature: bool = False
    # A multi-word phrase is listed (and replaces its words) only when it occurs at least this often
    # and accounts for at least `phrase_share` of each of its words' occurrences: "Buenos Aires",
    # "foreign minister". Multi-word phrases were gold far less often than single words (~20-30%
    # against ~50%), so looser rules cost F1 (share 0.65: -0.003); this rule costs 0.001 against
    # single words only, and keeps names and set phrases whole. 3-grams: no gain, ~10% more time.
    phrase_min_count: int = 2
    phrase_share: float = 0.8
    # Keywords kept per article (the cache stores them; the benchmark scores the first 10).
    top: int = 20
    # Drop near-duplicates (is_near_duplicate); off, shifted windows and -s/-ed/-ing variants repeat.
    stem_dedup: bool = True
    # Editor-style phrases and the filler list (data/keyphrases.toml). None: the word ranking
    # alone, as before issue 13 (filler words included).
    phrases: KeyphraseConfig | None = field(default_factory=default_config)


DEFAULT_CONFIG = KeywordConfig()

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_HAS_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stemmed words of a phrase, in order."""
    return tuple(stem(w) for w in _WORD.findall(phrase))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def is_near_duplicate(candidate: tuple[str, ...], kept: tuple[str, ...]) -> bool:
    """True when `candidate` says what an already kept phrase says.

    Same stems; or one multi-word phrase inside the other; or two overlapping windows over the same
    words ("Baghdad growing" / "growing ties"). A single word inside a phrase is *not* a duplicate:
    "Iraq" stays beside "Iraq's sovereignty".
    """
    if candidate == kept:
        return True
    if len(candidate) < 2 or len(kept) < 2:
        return False
    if _contains(kept, candidate) or _contains(candidate, kept):
        return True
    return candidate[1:] == kept[:-1] or kept[1:] == candidate[:-1]


def remove_near_duplicates(scored: list[tuple[str, float]], top: int) -> list[tuple[str, float]]:
    """Keep the best-scored phrase of each near-duplicate group, in score order, at most `top`."""
    kept: list[tuple[str, float]] = []
    seen = KeptPhrases()
    for phrase, score in scored:
        if not seen.add(phrase):
            continue
        kept.append((phrase, score))
        if len(kept) >= top:
            break
    return kept


class KeptPhrases:
    """Phrases kept so far; `add` keeps one unless it is a near-duplicate of one already kept.

    is_near_duplicate reduces to equality unless both sides have two or more words, and for those
    each of its tests is a set lookup: the candidate equals, or lies inside, a kept phrase (every
    run of 2+ stems of each kept phrase is in `inside`); a kept phrase lies inside the candidate;
    or the two overlap by all but one word at either end (`heads`, `tails`). So the cost per
    candidate does not grow with the number kept.
    """

    def __init__(self, exact_only: bool = False) -> None:
        self.exact_only = exact_only  # only the very same stems count as a duplicate
        self.phrases: list[str] = []
        self._stems: set[tuple[str, ...]] = set()
        self._multi: set[tuple[str, ...]] = set()
        self._inside: set[tuple[str, ...]] = set()
        self._heads: set[tuple[str, ...]] = set()  # kept[:-1]
        self._tails: set[tuple[str, ...]] = set()  # kept[1:]

    def add(self, phrase: str) -> bool:
        stems = phrase_stems(phrase)
        if not stems or stems in self._stems:
            return False
        n = len(stems)
        if n >= 2 and not self.exact_only:
            runs = [stems[i:j] for i in range(n) for j in range(i + 2, n + 1)]
            if (
                stems in self._inside
                or any(run in self._multi for run in runs)
                or stems[1:] in self._heads
                or stems[:-1] in self._tails
            ):
                return False
            self._multi.add(stems)
            self._inside.update(runs)
            self._heads.add(stems[:-1])
            self._tails.add(stems[1:])
        self.phrases.append(phrase)
        self._stems.add(stems)
        return True


def word_score(yake_h: float, occurrences: float, letters: int, config: KeywordConfig) -> float:
    """One word's score, lower = better: YAKE's word score tempered by how much text the word covers."""
    # h/(1+h) maps YAKE's unbounded h into (0, 1) so the exponent only reorders near-ties.
    tempered = (yake_h / (1.0 + yake_h)) ** config.yake_weight
    return float(tempered / (occurrences * min(letters, config.max_word_chars)))


def is_sticky_phrase(phrase_count: float, word_counts: list[float], config: KeywordConfig) -> bool:
    """True when a phrase recurs and its words rarely occur without it, so it should replace them."""
    return (
        len(word_counts) >= 2
        and phrase_count >= config.phrase_min_count
        and all(phrase_count >= config.phrase_share * count for count in word_counts)
    )


def display_form(surface: str, document: str) -> str:
    """How to show a keyword: lower-case when the text also uses it so (see below), else as found."""
    # A headline in title case capitalises common words ("Bomb Plot"); show the lower-case form when
    # the text also uses it, so names keep their capitals and ordinary words lose them.
    lower = surface.lower()
    if surface == lower:
        return surface
    return lower if _occurs_as_word(lower, document) else surface


def _occurs_as_word(needle: str, text: str) -> bool:
    r"""`re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)` without compiling a pattern per call."""
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        if not (start and _is_word_char(text[start - 1])) and not (
            end < len(text) and _is_word_char(text[end])
        ):
            return True
        start = text.find(needle, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    # What re's \w matches in a str pattern: str.isalnum() characters and the underscore.
    return char.isalnum() or char == "_"


def _ranked(document: str, config: KeywordConfig) -> list[tuple[str, float]]:
    """Every candidate word or sticky phrase of a document with its score, best first."""
    from yake.data import DataCore

    core: Any = DataCore(
        text=document.replace("\n", " "),
        stopword_set=yake_stopwords(),
        config={"windows_size": config.window_size, "n": config.max_ngram},
    )
    # YAKE's build_single_terms_features, minus scoring stopwords (a third of the time, never used).
    content_terms = [term for term in core.terms.values() if not term.stopword]
    if not content_terms:
        return []
    counts = [float(term.tf) for term in content_terms]
    mean = sum(counts) / len(counts)
    stats = {
        "max_tf": max(float(term.tf) for term in core.terms.values()),
        "avg_tf": mean,
        "std_tf": (sum((c - mean) ** 2 for c in counts) / len(counts)) ** 0.5,
        "number_of_sentences": core.number_of_sentences,
    }
    features = None if config.case_feature else YAKE_FEATURES_WITHOUT_CASE
    for term in content_terms:
        term.update_h(stats, features=features)

    # One entry per YAKE term (YAKE already folds case and a plural -s): its score and the surface
    # form the text uses most.
    words: dict[str, tuple[float, str, float]] = {}
    for candidate in core.candidates.values():
        if candidate.size != 1 or not candidate.is_valid():
            continue
        term = candidate.terms[0]
        key = term.unique_term
        if key in words and words[key][2] >= candidate.tf:
            continue
        score = word_score(float(term.h), float(term.tf), len(candidate.kw), config)
        words[key] = (score, candidate.kw, float(candidate.tf))

    scores = {surface: score for score, surface, _ in words.values()}
    absorbed: set[str] = set()
    for candidate in core.candidates.values():
        if candidate.size < 2 or not candidate.is_valid():
            continue
        content = [t for t in candidate.terms if not t.stopword]
        if any(t.unique_term not in words for t in content):
            continue
        if not is_sticky_phrase(float(candidate.tf), [float(t.tf) for t in content], config):
            continue
        # The phrase inherits its best word's score and stands in for all of its words.
        parts = [words[t.unique_term] for t in content]
        scores[candidate.kw] = min(score for score, _, _ in parts)
        absorbed.update(surface for _, surface, _ in parts)

    ranked = sorted(((score, surface) for surface, score in scores.items() if surface not in absorbed))
    return [(surface, score) for score, surface in ranked if _HAS_LETTER.search(surface)]


def compose(
    phrases: list[str],
    words: list[str],
    stickiness: Mapping[str, float],
    config: KeyphraseConfig,
    top: int,
    dedup: bool = True,
    phrase_scores: Sequence[float] = (),
) -> tuple[list[tuple[str, float]], bool]:
    """The final list: phrases and words by one value ([list] in data/keyphrases.toml), skipping
    near-duplicates (dedup) or repeats of anything listed earlier. Also says whether `words` may
    have run out (a caller that passed only the first few words must then pass them all).

    A phrase's value falls with its rank among the phrases and rises with its own score
    (`phrase_scores`, one per phrase, from core.keywords.phrases.phrase_score; none given: 0); a
    word's falls with its rank among the words, and it loses value when one phrase accounts for
    most of its occurrences (stickiness, by term_key) and when the lexicon calls it verb- or
    adjective-like. A keyword's score is minus its value, so lower is better as before.
    """
    weight = dict(config.list_weights)
    verbs, adjectives = word_classes()
    candidates: list[tuple[float, int, int, str]] = []
    for rank, phrase in enumerate(phrases):
        value = weight["phrase_value"] - weight["phrase_rank"] * math.log1p(rank)
        if rank < len(phrase_scores):
            value += weight["phrase_score"] * phrase_scores[rank]
        candidates.append((value, 0, rank, phrase))
    for rank, word in enumerate(words):
        value = -weight["word_rank"] * math.log1p(rank)
        if " " not in word:  # a set phrase of the word ranking ("Buenos Aires") keeps its value
            lower = word.lower()
            value += weight["sticky_word"] * stickiness.get(term_key(lower), 0.0)
            if word == lower and (lower in verbs or lower in adjectives):
                value += weight["verb_like_word"]
        candidates.append((value, 1, rank, word))
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    kept = KeptPhrases(exact_only=not dedup)
    values: list[float] = []
    for value, _, _, surface in candidates:
        if kept.add(surface):
            values.append(value)
            if len(values) >= top:
                break
    # The best value a word beyond the ones given could have: if the list reached below it (or
    # stayed short), words further down might have belonged in it.
    bonus = max(0.0, weight["sticky_word"]) + max(0.0, weight["verb_like_word"])
    unseen = -weight["word_rank"] * math.log1p(len(words)) + bonus
    words_ran_out = len(values) < top or values[-1] < unseen
    listed = [(phrase, round(0.0 - value, 6)) for phrase, value in zip(kept.phrases, values, strict=True)]
    return listed, words_ran_out


def keyword_document(title: str, text: str) -> str:
    """The text keywords are drawn from: headline, line break, body, cut at MAX_KEYWORD_INPUT_CHARS.

    A headline without a final ".", "!" or "?" gets a full stop, so that it is a sentence of its
    own: otherwise the sentence splitter runs it into the body's first sentence and phrases
    straddle the two ("over border" + "Russia ..." -> "border Russia").
    """
    if not title:
        return text[:MAX_KEYWORD_INPUT_CHARS]
    stop = "" if title.rstrip()[-1:] in (".", "!", "?") else "."
    return f"{title}{stop}\n{text}"[:MAX_KEYWORD_INPUT_CHARS]


def extract_keywords(
    title: str, text: str, config: KeywordConfig = DEFAULT_CONFIG
) -> list[tuple[str, float]]:
    """Keywords of one article as (phrase, score), best (lowest score) first, scores plain floats."""
    document = keyword_document(title, text)
    if not _HAS_LETTER.search(document):
        return []
    scored = _ranked(document, config)
    if config.phrases is not None:
        filler = config.phrases.filler
        words = [phrase for phrase, _ in scored if not is_filler(phrase, filler)]
        found, stickiness = phrases_and_stickiness(document, config.phrases, yake_stopwords())
        phrases = [phrase for phrase, _ in found]
        phrase_scores = [phrase_score for _, phrase_score in found]
        scored = compose(
            phrases, words, stickiness, config.phrases, config.top, config.stem_dedup, phrase_scores
        )[0]
    elif config.stem_dedup:
        scored = remove_near_duplicates(scored, config.top)
    return [(display_form(phrase, document), score) for phrase, score in scored[: config.top]]
