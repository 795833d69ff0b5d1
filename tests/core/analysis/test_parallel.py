"""Batches run in worker processes, and with help_here in the calling process too; none is lost."""

from __future__ import annotations

import os

import pytest

from core.analysis.parallel import run_batches


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
