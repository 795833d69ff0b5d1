"""Helpers shared by test modules (never import one test module from another).

- yake parity: bundled articles and yake's own answers, for the Polars-engine tests;
- the dashboard: build an app, wait for its workers, type a filter, read the shown articles;
- core conveniences used only by tests: one sentence's stance, one filter's matching ids.
"""

from __future__ import annotations

import contextlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.corpus.query import FilterIndex, parse_query
from core.keywords.rerank import YAKE_FEATURES_WITHOUT_CASE
from core.paths import data_dir
from core.relations.stance import Lexicon, Stance, find_cues, load_lexicon, score_cues
from tui.app import NewsdeskApp
from tui.components.filter_bar import FilterBar
from tui.components.frame_table import FrameTable
from tui.dashboard_config import DashboardConfig

# yake settings that match newsdesk's shipped keyword configuration (core.keywords.rerank.KeywordConfig).
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


# --- markup safety ---------------------------------------------------------------------------

HOSTILE_TITLE = "[bold red]Markup[/] \x1b[2J\x1b]52;c;ZXZpbA==\x07 [@click=app.quit]click me[/]"


# --- core conveniences used only by tests ----------------------------------------------------


def classify_stance(sentence_text: str, lexicon: Lexicon | None = None) -> Stance:
    """Stance of one sentence from all its cues (sentence-level scope)."""
    lex = lexicon or load_lexicon()
    return score_cues(find_cues(sentence_text, lex), lex)


def filter_articles(analysis: Analysis, text: str) -> pl.Series:
    """Ids of the articles a filter text matches: parse, index and match in one go."""
    return FilterIndex.build(analysis).matching_ids(parse_query(text))


# --- the dashboard ---------------------------------------------------------------------------


async def settle(app: NewsdeskApp, pilot: Pilot[None]) -> None:
    """Wait until every worker is done and every message they posted has been handled.

    The folder watcher runs for the app's lifetime, so it is not waited for. The dashboard screen
    mounts (and starts its first load) after the app reports ready, so that is waited for first.
    """
    for _ in range(1000):
        if app.dashboard.started:
            break
        await pilot.pause()
    else:
        raise AssertionError("the dashboard never started")
    for _ in range(100):
        finite = [worker for worker in app.workers if worker.group != "watch"]
        if finite:  # an empty list would mean "every worker", the watcher included
            # A worker replaced by a newer one (exclusive workers) is cancelled: it is done too.
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(finite)
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers if worker.group != "watch"):
            return
    raise AssertionError("workers never settled")


def make_app(paths: list[Path], tmp_path: Path, *, watch: bool = False) -> NewsdeskApp:
    """The dashboard on `paths` with a private cache and one worker; `watch` also watches them."""
    return NewsdeskApp(
        paths,
        cache=ResultCache(tmp_path / "cache"),
        workers=1,
        config=DashboardConfig(),
        watch=paths if watch else [],
    )


async def type_filter(app: NewsdeskApp, pilot: Pilot[None], text: str) -> None:
    await pilot.press("slash")
    app.query_one(FilterBar).input.value = ""
    await pilot.press(*text) if text else None
    await settle(app, pilot)


def shown_ids(app: NewsdeskApp) -> list[str]:
    return app.query_one("#articles", FrameTable).frame.get_column("id").to_list()
