"""YAKE's English stopword list: one source for the per-article path and the Polars engine."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def yake_stopwords() -> frozenset[str]:
    """YAKE's English stopword list (the set its KeywordExtractor uses), read from its data file.

    The file is located without importing yake, whose import (networkx and more) costs ~0.5 s.
    """
    spec = importlib.util.find_spec("yake")
    if spec is None or spec.origin is None:
        raise RuntimeError("the yake package is not installed; newsdesk needs its stopword list")
    path = Path(spec.origin).parent / "core" / "StopwordsList" / "stopwords_en.txt"
    text = path.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())
