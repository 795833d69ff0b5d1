"""A light English suffix stripper, shared by the keyword list (folding plurals and -ing/-ed forms when
it removes near-duplicate phrases) and the relations stance model (its word features).

Changing it changes both: the keyword list's dedup and the stance model's inputs (retrain the model,
benchmarks/train_stance.py, and bump core.schema.ENGINE_VERSION).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English suffix stripper: enough to fold plurals and -ing/-ed forms for dedup."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, min_len in (("ies", 5), ("sses", 6), ("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
        if w.endswith(suffix) and len(w) >= min_len and not w.endswith("ss"):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w
