"""Dashboard speed and memory: keystroke to all panes updated with 10,000 articles, launch, RSS.

1. Keystrokes: the BBC corpus repeated with distinct ids to 10,000 articles (analysed once: copies
   share a content hash), loaded into the real app (headless, Textual's Pilot); a scripted sequence
   of filter edits is typed one key at a time, and each key is timed from the press until every
   worker has finished and every pane has handled its new view. Baseline, same run: filling a
   Textual DataTable with the unfiltered article rows once (what a naive dashboard redoes per key).
2. Launch: `newsdesk` on the bundled corpus, warm cache, in a real terminal (tmux): from process
   start until the articles table shows its count. Baseline: `python -c pass` under tmux the same way.
3. Memory: peak RSS of the benchmark process with the 10,000 articles loaded and filtered.
Run: uv run python benchmarks/dashboard_speed.py
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl

from benchmarks._shared import corpus_dir, peak_rss_mb
from core.analysis.cache import ResultCache
from core.analysis.run import analyse_corpus
from core.ingest.load import load_articles
from core.ingest.report import LoadReport, LoadResult

TARGET_ARTICLES = 10_000
EDITS = ["government", " country:GB", " -source:sport", ' "prime minister"', " after:2004-06-01"]


def build_corpus(scratch: Path, cache: ResultCache) -> pl.DataFrame:
    """10,000 BBC articles with distinct ids; analyses the distinct texts once (copies share a hash).

    Handed to the app as a ready frame: loading it from a file would (rightly) fold the copies
    into one article each, since the same text twice is one story.
    """
    bbc = load_articles([corpus_dir("bbc")]).articles
    copies = -(-TARGET_ARTICLES // bbc.height)
    repeated = pl.concat(
        [bbc.with_columns(id=pl.col("id") + f"-{copy}") for copy in range(copies)], how="vertical"
    ).head(TARGET_ARTICLES)
    started = time.perf_counter()
    analyse_corpus(bbc, cache=cache)
    print(
        f"analysed {bbc.height} distinct BBC articles in {time.perf_counter() - started:.1f} s "
        "(cache warm now)"
    )
    return repeated


async def keystrokes(corpus: pl.DataFrame, cache_dir: Path) -> tuple[list[float], float, int]:
    """Per keystroke: ms from the edit until every pane has handled the new view and the screen repainted.

    Keys are applied straight to the filter Input (as its key handler would) rather than through
    Pilot.press, whose idle detection waits for the CPU to go quiet and so measures itself.
    """
    from textual.widgets import DataTable, Input

    from tests.helpers import settle
    from tui.app import NewsdeskApp
    from tui.components.frame_table import FrameTable
    from tui.dashboard_config import DashboardConfig
    from tui.messages import QueryRejected, ViewComputed
    from tui.screens.dashboard import DashboardScreen

    updated = asyncio.Event()

    class TimedDashboard(DashboardScreen):
        def on_view_computed(self, message: ViewComputed) -> None:
            super().on_view_computed(message)
            self.call_after_refresh(updated.set)

        def on_query_rejected(self, message: QueryRejected) -> None:
            # Half-typed terms (`country:G`, an open quote) are rejected, and that too is an update.
            super().on_query_rejected(message)
            self.call_after_refresh(updated.set)

    class TimedApp(NewsdeskApp):
        def make_dashboard(self, watch: Sequence[Path], refresh_minutes: float) -> DashboardScreen:
            return TimedDashboard(
                self.session,
                config=self.config,
                save_config=self.save_config,
                read_state=self.read_state,
                sources=self.paths,
            )

    app = TimedApp(
        [],
        cache=ResultCache(cache_dir),
        config=DashboardConfig(),
        loader=lambda: LoadResult(corpus, LoadReport()),
    )
    timings: list[float] = []
    slowest: list[tuple[float, str]] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        loaded = app.query_one("#articles", FrameTable).row_count
        box = app.query_one("#filter-input", Input)
        box.focus()
        edits: list[str | None] = [key for edit in EDITS for key in edit]
        edits += [None] * (len(edits) // 2)  # then backspace half of it away
        for key in edits:
            updated.clear()
            started = time.perf_counter()
            if key is None:
                box.action_delete_left()
            else:
                box.insert_text_at_cursor(key)
            await asyncio.wait_for(updated.wait(), timeout=30)
            timings.append((time.perf_counter() - started) * 1000)
            slowest.append((timings[-1], box.value))
        await settle(app, pilot)
        print("slowest keystrokes: " + "; ".join(f"{ms:.0f} ms {q!r}" for ms, q in sorted(slowest)[-5:]))
        # Baseline: what refilling a DataTable with every row costs, once.
        rows = app.dashboard.view.articles.frame if app.dashboard.view is not None else pl.DataFrame()
        table: DataTable[str] = DataTable()
        await app.screen.mount(table)
        table.add_columns("date", "source", "title", "countries")
        started = time.perf_counter()
        table.add_rows(
            [
                (str(d), s, t, c)
                for d, s, t, c in rows.select("date", "source", "title", "countries").iter_rows()
            ]
        )
        await pilot.pause()
        baseline = (time.perf_counter() - started) * 1000
    return timings, baseline, loaded


def launch_seconds(command: list[str], ready: str, timeout: float = 60.0) -> float:
    """Seconds from starting `command` in a fresh 120x36 tmux session until `ready` is on screen."""
    name = f"newsdesk-bench-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    started = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "36", *command], check=True)
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True)
            if ready in screen.stdout:
                return time.perf_counter() - started
            time.sleep(0.01)
        raise SystemExit(f"launch: {ready!r} never appeared")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        cache = ResultCache(scratch / "cache")
        corpus = build_corpus(scratch, cache)
        timings, baseline, loaded = asyncio.run(keystrokes(corpus, scratch / "cache"))
        rss = peak_rss_mb()
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"keystroke to all panes updated, {loaded:,} articles, {len(timings)} keys:")
        print(f"  median {median:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms (targets: 50 / 100 ms)")
        print(
            f"  baseline, one DataTable refill with all rows: {baseline:.1f} ms "
            f"(median keystroke = {median / baseline:.2f}x of it)"
        )
        print(f"peak RSS with {loaded:,} articles loaded: {rss:.0f} MB (target: 1024 MB)")

        if shutil.which("tmux") is None:
            print("launch: skipped (tmux not installed)")
            return
        launch_cache = scratch / "launch-cache"
        newsdesk = [sys.executable, "-m", "tui.cli", "--cache-dir", str(launch_cache)]
        launch_seconds(newsdesk, "Articles 362/362", timeout=300)  # cold run fills the cache
        warm = min(launch_seconds(newsdesk, "Articles 362/362") for _ in range(3))
        python = min(
            launch_seconds([sys.executable, "-c", "print('ready'); import time; time.sleep(5)"], "ready")
            for _ in range(3)
        )
        print(
            f"launch to first full paint, bundled corpus, warm cache: {warm:.2f} s (target: 1.5 s); "
            f"bare Python start under tmux: {python:.2f} s ({warm / python:.1f}x)"
        )


if __name__ == "__main__":
    main()
