"""Run a function over batches in worker processes, optionally with the caller as one more worker.

A fresh worker spends about half a second importing Polars and newsdesk before its first batch.
A command-line run has nothing else to do meanwhile, so it can work too: it starts one process
fewer and takes batches from the back of the queue (the shortest, as analysis orders them) while
the workers take them from the front. A dashboard must keep its own process free for the UI and
leaves `help_here` off.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def run_batches(
    function: Callable[[Batch], Result],
    batches: Sequence[Batch],
    workers: int,
    *,
    help_here: bool = False,
) -> Iterator[Result]:
    """`function(batch)` for every batch, yielded as each finishes (in any order).

    `workers` counts every process doing the work, the caller included when `help_here`.
    """
    processes = workers - 1 if help_here else workers
    if workers <= 1 or processes < 1 or len(batches) < 2:
        yield from map(function, batches)
        return
    # spawn, not fork: the caller may be a threaded app (Textual workers) and Polars' thread
    # pool does not survive fork().
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
    finished = False
    try:
        # Workers start on submit and copy os.environ then: one worker per core gets one Polars
        # thread, rather than every worker a pool as large as the machine. The lock keeps two
        # analyses started at once (a load and a live update) from undoing each other's setting.
        with _ENVIRONMENT_LOCK, _environment(POLARS_MAX_THREADS="1"):
            queued: list[tuple[Future[Result], Batch]] = [(pool.submit(function, b), b) for b in batches]
        running: set[Future[Result]] = set()
        while queued or running:
            if help_here and queued:
                # cancel() only succeeds for a batch no worker has picked up yet.
                future, batch = queued.pop()
                if future.cancel():
                    yield function(batch)
                else:
                    running.add(future)
            else:
                running.update(future for future, _ in queued)
                queued.clear()
            # While the caller still has batches to take, only collect what is already done.
            timeout = 0 if help_here and queued else None
            done, running = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()  # a batch's exception is raised here, to the caller
        finished = True
    finally:
        # Stopped early (an exception, or an app closing mid-analysis): do not wait for batches
        # still running, and drop those not started.
        pool.shutdown(wait=finished, cancel_futures=not finished)


_ENVIRONMENT_LOCK = threading.Lock()


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables the user has not set, for the duration of the block."""
    added = [name for name in values if name not in os.environ]
    os.environ.update({name: values[name] for name in added})
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)
