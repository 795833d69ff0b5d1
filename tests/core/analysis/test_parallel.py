"""Batches run in worker processes, and with help_here in the calling process too; none is lost."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from core.analysis.parallel import WorkerPool, run_batches


def _square_with_pid(batch: list[int]) -> tuple[list[int], int]:
    return [x * x for x in batch], os.getpid()


@pytest.mark.parametrize("help_here", [False, True])
def test_every_batch_runs_once(help_here: bool) -> None:
    batches = [[i, i + 100] for i in range(8)]
    results = list(run_batches(_square_with_pid, batches, workers=2, help_here=help_here))
    assert sorted(r for r, _ in results) == sorted(_square_with_pid(b)[0] for b in batches)
    here = [pid for _, pid in results if pid == os.getpid()]
    # Without help the caller only waits; with it, it takes queued batches while workers start.
    assert (len(here) > 0) == help_here


def test_one_worker_or_one_batch_runs_in_process() -> None:
    assert [pid for _, pid in run_batches(_square_with_pid, [[1]], workers=4)] == [os.getpid()]
    assert {pid for _, pid in run_batches(_square_with_pid, [[1], [2]], workers=1)} == {os.getpid()}


def _fail_on_three(batch: list[int]) -> int:
    if 3 in batch:
        raise ValueError("bad batch 3")
    return len(batch)


def _threads_setting(batch: list[int]) -> str | None:
    return os.environ.get("POLARS_MAX_THREADS")


@pytest.mark.parametrize("help_here", [False, True])
def test_a_failing_batch_raises_to_the_caller(help_here: bool) -> None:
    with pytest.raises(ValueError, match="bad batch 3"):
        list(run_batches(_fail_on_three, [[i] for i in range(6)], workers=2, help_here=help_here))


def test_workers_get_one_polars_thread_and_the_caller_keeps_its_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    settings = set(run_batches(_threads_setting, [[i] for i in range(4)], workers=2))
    assert settings == {"1"}
    assert "POLARS_MAX_THREADS" not in os.environ


def _slow_in_a_worker(batch: tuple[int, int]) -> int:
    """A batch that takes 2 s in a worker process and 20 ms in the calling one."""
    _, caller = batch
    time.sleep(0.02 if os.getpid() == caller else 2.0)
    return os.getpid()


def test_no_batch_waits_in_a_worker_queue_while_the_caller_could_take_it() -> None:
    # Batches are handed to a worker one at a time: while its first (slow) batch runs, the caller
    # takes all the others. Submitted all at once, the pool would move the next one into the
    # worker's queue at once, where the caller cannot take it back, and the run would end with
    # the caller idle and the worker still holding it (seconds of a core idle at the end).
    batches = [(i, os.getpid()) for i in range(8)]
    pids = list(run_batches(_slow_in_a_worker, batches, workers=2, help_here=True))
    assert len(pids) == 8
    assert sum(pid != os.getpid() for pid in pids) == 1


_WARMED = False


def _warm_up_flag() -> None:
    global _WARMED
    _WARMED = True


def _warmed_and_pid(batch: list[int]) -> tuple[bool, int]:
    return _WARMED, os.getpid()


def _warm_up_writing_pid(folder: str) -> None:
    (Path(folder) / str(os.getpid())).write_text("warm")


def _warm_up_failing() -> None:
    raise OSError("model file unreadable")


def test_workers_warm_up_before_their_first_batch() -> None:
    with WorkerPool(2, warm_up=_warm_up_flag) as pool:
        results = list(pool.run(_warmed_and_pid, [[i] for i in range(4)]))
    assert {warmed for warmed, pid in results if pid != os.getpid()} == {True}


def test_started_workers_warm_up_before_any_work_is_given(tmp_path: Path) -> None:
    pool = WorkerPool(2, help_here=True, warm_up=partial(_warm_up_writing_pid, str(tmp_path)))
    with pool:
        pool.start()
        deadline = time.monotonic() + 60
        while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        warmed = [int(p.name) for p in tmp_path.iterdir()]
        # The same process then takes the batches: the warm-up was not wasted on a throwaway one.
        pids = {pid for _, pid in pool.run(_square_with_pid, [[i] for i in range(6)])}
    assert len(warmed) == 1 and warmed[0] != os.getpid()
    assert pids - {os.getpid()} <= set(warmed)


def test_a_pool_serves_several_runs_with_the_same_workers() -> None:
    with WorkerPool(2) as pool:
        first = {pid for _, pid in pool.run(_square_with_pid, [[i] for i in range(4)])}
        second = {pid for _, pid in pool.run(_square_with_pid, [[i] for i in range(4)])}
    # Two workers in all, whichever of them took each batch: one worker may take every batch of a
    # run on a loaded machine, so the two runs need not meet the same one.
    assert len(first | second) <= 2 and os.getpid() not in first | second


def test_a_failing_warm_up_leaves_the_fault_to_the_batches() -> None:
    # The first batch meets the same fault and reports it with its own message; the pool must not
    # break (a broken pool's error names no file).
    with WorkerPool(2, warm_up=_warm_up_failing) as pool:
        assert sorted(r for r, _ in pool.run(_square_with_pid, [[1], [2]])) == [[1], [4]]
