"""Shared helpers for the Polars-engine parity tests: bundled articles and yake's own answers."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from core.keywords import YAKE_FEATURES_WITHOUT_CASE
from core.paths import data_dir

# yake settings that match newsdesk's shipped keyword configuration (core.keywords.KeywordConfig).
SHIPPED_FEATURES = YAKE_FEATURES_WITHOUT_CASE


@lru_cache(maxsize=1)
def bundled_articles() -> list[tuple[str, str]]:
    """(title, text) of every article in the bundled Wikinews corpus."""
    path = data_dir() / "corpus" / "wikinews.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["title"], row["text"]) for row in rows]


def sample(every: int) -> list[tuple[str, str]]:
    """Every `every`-th bundled article: a spread over the corpus, not just its first stories."""
    return bundled_articles()[::every]


def data_core(text: str, n: int = 2, window: int = 1, features: list[str] | None = SHIPPED_FEATURES) -> Any:
    """yake's DataCore for a text, features built, as KeywordExtractor builds it."""
    import yake
    from yake.data import DataCore

    stopwords = yake.KeywordExtractor(lan="en").stopword_set
    core = DataCore(
        text=text.replace("\n", " "), stopword_set=stopwords, config={"windows_size": window, "n": n}
    )
    core.build_single_terms_features(features=features)
    core.build_mult_terms_features(features=features)
    return core
