"""Per-article keywords: YAKE with newsdesk's measured configuration, then a near-duplicate filter.

YAKE's own dedup compares strings by edit similarity, which keeps shifted windows of one phrase
("Baghdad growing ties", "Baghdad growing", "growing ties"); ours compares word stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yake

# Longest article text handed to YAKE. Its cost grows faster than linearly with length and the
# keywords of a very long document are settled well before this point.
MAX_KEYWORD_INPUT_CHARS = 100_000


@dataclass(frozen=True)
class KeywordConfig:
    """The YAKE settings and post-filter newsdesk ships; chosen by benchmarks/keyword_quality.py."""

    max_ngram: int = 2
    window_size: int = 1
    dedup_lim: float = 0.9
    dedup_func: str = "seqm"
    # How many YAKE candidates to pull before our near-duplicate filter thins them to `top`.
    candidates: int = 40
    top: int = 20
    stem_dedup: bool = True


DEFAULT_CONFIG = KeywordConfig()

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_HAS_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=8)
def _extractor(config: KeywordConfig) -> yake.KeywordExtractor:
    return yake.KeywordExtractor(
        lan="en",
        n=config.max_ngram,
        dedup_lim=config.dedup_lim,
        dedup_func=config.dedup_func,
        window_size=config.window_size,
        top=config.candidates,
    )


def stem(word: str) -> str:
    """A light English suffix stripper: enough to fold plurals and -ing/-ed forms for dedup."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, min_len in (("ies", 5), ("sses", 6), ("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
        if w.endswith(suffix) and len(w) >= min_len and not w.endswith("ss"):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


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
    kept_stems: list[tuple[str, ...]] = []
    for phrase, score in scored:
        stems = phrase_stems(phrase)
        if not stems or any(is_near_duplicate(stems, other) for other in kept_stems):
            continue
        kept.append((phrase, score))
        kept_stems.append(stems)
        if len(kept) >= top:
            break
    return kept


def extract_keywords(
    title: str, text: str, config: KeywordConfig = DEFAULT_CONFIG
) -> list[tuple[str, float]]:
    """Keywords of one article as (phrase, score), best (lowest score) first, scores plain floats."""
    document = f"{title}\n{text}" if title else text
    document = document[:MAX_KEYWORD_INPUT_CHARS]
    if not _HAS_LETTER.search(document):
        return []
    raw = _extractor(config).extract_keywords(document)
    scored = [(str(phrase), float(score)) for phrase, score in raw if _HAS_LETTER.search(phrase)]
    scored.sort(key=lambda item: item[1])
    if not config.stem_dedup:
        return scored[: config.top]
    return remove_near_duplicates(scored, config.top)
