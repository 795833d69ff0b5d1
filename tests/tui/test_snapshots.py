"""SVG snapshots of the dashboard's main states (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from core.analysis.cache import ResultCache
from core.paths import bundled_corpus
from tests.helpers import settle
from tui.app import NewsdeskApp
from tui.components.pair_table import PairTable
from tui.dashboard_config import DashboardConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def bundled_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the session: the bundled corpus is analysed once, not per snapshot."""
    return tmp_path_factory.mktemp("bundled-cache")


def _app(paths: list[Path], cache: Path) -> NewsdeskApp:
    return NewsdeskApp(paths, cache=ResultCache(cache), workers=2, config=DashboardConfig())


async def _ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, NewsdeskApp)
    await settle(app, pilot)
    for box in app.query(Input):
        box.cursor_blink = False


def test_startup_on_bundled_corpus(snap_compare: Any, bundled_cache: Path) -> None:
    assert snap_compare(_app(bundled_corpus(), bundled_cache), terminal_size=(120, 36), run_before=_ready)


def test_filtered_view(snap_compare: Any, small_corpus: Path, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"country:UA")
        await _ready(pilot)

    assert snap_compare(_app([small_corpus], tmp_path / "c"), terminal_size=(120, 36), run_before=run_before)


def test_evidence_view(snap_compare: Any, small_corpus: Path, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        pairs = pilot.app.query_one(PairTable)
        pairs.focus()
        await pilot.press("enter")
        await _ready(pilot)

    assert snap_compare(_app([small_corpus], tmp_path / "c"), terminal_size=(120, 36), run_before=run_before)


def test_help_screen(snap_compare: Any, small_corpus: Path, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app([small_corpus], tmp_path / "c"), terminal_size=(100, 40), run_before=run_before)


def test_small_terminal(snap_compare: Any, small_corpus: Path, tmp_path: Path) -> None:
    assert snap_compare(_app([small_corpus], tmp_path / "c"), terminal_size=(80, 24), run_before=_ready)
