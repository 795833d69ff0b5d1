"""Batches run in worker processes, and with help_here in the calling process too; none is lost."""

from __future__ import annotations

import os

import pytest

from core.parallel import run_batches


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
