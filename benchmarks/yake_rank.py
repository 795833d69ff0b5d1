"""yake.KeywordExtractor's ranking over `yake_frames`: sort candidates by score, drop near-duplicates.

This is the parity reference path: given the same settings it returns the keyword lists the yake
package returns. Sorting happens in Polars for the whole batch; only each document's best
candidates reach the (inherently sequential) near-duplicate filter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import polars as pl

from core.keywords.yake.frames import YakeFrames, YakeSettings, yake_frames

# How many of a document's best candidates the dedup sees at first; more are fetched if it runs dry.
_FIRST_LOOK = 4


def seqm_similarity(a: str, b: str) -> float:
    """yake's default "seqm" similarity: a cheap pre-filter, then length, character and trigram overlap.

    Re-implemented from yake 0.7.3's KeywordExtractor (`_aggressive_pre_filter` followed by
    `_ultra_fast_similarity`); tests/test_yake_rank.py checks it against yake on random strings.
    """
    if a == b:
        return 1.0
    len_a, len_b = len(a), len(b)
    longest, shortest = max(len_a, len_b), min(len_a, len_b)
    if abs(len_a - len_b) > longest * 0.6:
        return 0.0
    if longest > 3:
        if a[0] != b[0] or a[-1] != b[-1]:
            return 0.0
        if shortest >= 3 and a[:2].lower() != b[:2].lower():
            return 0.0
    if abs(a.count(" ") - b.count(" ")) > 1:
        return 0.0
    if longest == 0:
        return 0.0
    length_ratio = shortest / longest
    if length_ratio < 0.3:
        return 0.0
    lower_a, lower_b = a.lower(), b.lower()
    chars_a, chars_b = set(lower_a), set(lower_b)
    char_overlap = len(chars_a & chars_b) / len(chars_a | chars_b)
    if char_overlap < 0.2:
        return 0.0
    if longest <= 4:
        return char_overlap * length_ratio
    words_a, words_b = lower_a.split(), lower_b.split()
    if len(words_a) > 1 or len(words_b) > 1:
        word_union = set(words_a) | set(words_b)
        word_overlap = len(set(words_a) & set(words_b)) / len(word_union)
        if word_overlap > 0.4:
            return word_overlap
    trigrams_a = {lower_a[i : i + 3] for i in range(len(lower_a) - 2)}
    trigrams_b = {lower_b[i : i + 3] for i in range(len(lower_b) - 2)}
    union = trigrams_a | trigrams_b
    trigram_overlap = len(trigrams_a & trigrams_b) / len(union) if union else 0
    return min(0.3 * length_ratio + 0.2 * char_overlap + 0.5 * trigram_overlap, 1.0)


def _sorted_candidates(frames: YakeFrames, per_doc: int | None) -> pl.DataFrame:
    """Each document's candidates, best first; ties keep yake's creation order."""
    ranked = frames.candidates.sort("doc", "h", "first", "size")
    if per_doc is not None:
        ranked = ranked.group_by("doc", maintain_order=True).head(per_doc)
    return ranked.group_by("doc", maintain_order=True).agg(
        key=pl.col("surface").str.to_lowercase(), surface="surface", h="h"
    )


def _dedup(
    keys: list[str], surfaces: list[str], scores: list[float], top: int, limit: float
) -> tuple[list[tuple[str, float]], bool]:
    """yake's greedy filter; also says whether it ran out of candidates before `top`."""
    kept: list[tuple[str, float]] = []
    kept_keys: list[str] = []
    for key, surface, score in zip(keys, surfaces, scores, strict=True):
        if any(seqm_similarity(key, other) > limit for other in kept_keys):
            continue
        kept.append((surface, score))
        kept_keys.append(key)
        if len(kept) == top:
            return kept, False
    return kept, True


def _ranked_lists(
    frames: YakeFrames, top: int, limit: float
) -> Iterator[tuple[int, list[tuple[str, float]]]]:
    """(doc, keywords) for every document with candidates: first from its best few, then, for
    documents whose dedup ran dry, from all of them."""
    first_look = _sorted_candidates(frames, top * _FIRST_LOOK)
    short: list[int] = []
    for doc, keys, surfaces, scores in first_look.iter_rows():
        kept, ran_out = _dedup(keys, surfaces, scores, top, limit)
        if ran_out and len(keys) == top * _FIRST_LOOK:
            short.append(doc)
        else:
            yield doc, kept
    if short:
        rest = YakeFrames(frames.terms, frames.candidates.filter(pl.col("doc").is_in(short)), frames.vocab)
        for doc, keys, surfaces, scores in _sorted_candidates(rest, None).iter_rows():
            yield doc, _dedup(keys, surfaces, scores, top, limit)[0]


def yake_keywords_batch(
    documents: Sequence[str],
    settings: YakeSettings | None = None,
    top: int = 20,
    dedup_limit: float = 0.9,
) -> list[list[tuple[str, float]]]:
    """What `yake.KeywordExtractor(n, window_size, top, dedup_lim, features).extract_keywords`
    returns for each document (seqm dedup; `features` without "wcase" when case_feature is off)."""
    frames = yake_frames(documents, settings)
    result: list[list[tuple[str, float]]] = [[] for _ in documents]
    for doc, kept in _ranked_lists(frames, top, dedup_limit):
        result[doc] = kept
    return result
