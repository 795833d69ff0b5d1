"""Run a function over batches in worker processes, optionally with the caller as one more worker.

A fresh worker spends about half a second importing Polars and newsdesk before its first batch.
A command-line run has nothing else to do meanwhile, so it can work too: it starts one process
fewer and takes batches from the back of the queue (the shortest, as analysis orders them) while
the workers take them from the front. A dashboard must keep its own process free for the UI and
leaves `help_here` off.

Workers never outlive the run: they ignore SIGINT (Ctrl+C reaches the whole process group; the
parent decides what stopping means, so no worker prints a KeyboardInterrupt traceback), ask the
kernel to kill them when their parent dies (Linux PR_SET_PDEATHSIG), and watch their parent's pid
(everywhere else, and as a second line of defence). A run stopped early terminates its workers
instead of waiting for their current batch.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
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
    with WorkerPool(workers, help_here=help_here) as pool:
        yield from pool.run(function, batches)


class WorkerPool:
    """Worker processes for `run`, which may be started before the work is known (`start`).

    A fresh worker spends over a second importing Polars and newsdesk and reading its tables and
    models (`warm_up`) before it can work; started while the caller is still reading the articles,
    it does that on a core that would otherwise be idle. Not started, `run` starts it.
    Use as a context manager, or call `close`.
    """

    def __init__(
        self, workers: int, *, help_here: bool = False, warm_up: Callable[[], object] | None = None
    ) -> None:
        """`workers` counts every process doing the work, the caller included when `help_here`;
        `warm_up` runs in each worker as it starts (picklable: a module-level function)."""
        self.workers = workers
        self.help_here = help_here
        self.warm_up = warm_up
        self.processes = workers - 1 if help_here else workers
        self._pool: ProcessPoolExecutor | None = None
        self._starting = threading.Lock()  # `start` may be called from a loader's thread
        self._warm_here = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def has_processes(self) -> bool:
        """Whether any work goes to other processes (else `run` works in this one)."""
        return self.workers > 1 and self.processes >= 1

    def start(self) -> None:
        """Start the worker processes now (they warm up meanwhile); no-op if there are none."""
        if self.has_processes:
            self._executor()

    def close(self) -> None:
        """Stop the workers: at once, since any batch they run now is no longer wanted."""
        pool, self._pool = self._pool, None
        if pool is not None:
            _stop_pool(pool)

    def _executor(self) -> ProcessPoolExecutor:
        with self._starting:
            return self._pool or self._started()

    def _started(self) -> ProcessPoolExecutor:
        # spawn, not fork: the caller may be a threaded app (Textual workers) and Polars' thread
        # pool does not survive fork().
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(), self.warm_up),
        )
        # Workers start on the first submit and copy os.environ then: one worker per core gets
        # one Polars thread, rather than every worker a pool as large as the machine. The lock
        # keeps two analyses started at once (a load and a live update) from undoing each
        # other's setting. SIGINT stays blocked while they start: a child inherits the mask, so
        # a Ctrl+C during its first second of imports cannot kill it with a traceback (it is
        # delivered to us after).
        # Each submit to a spawning pool starts one more process (up to max_workers) when none
        # is idle; these empty tasks start them all now, without waiting for them.
        with _ENVIRONMENT_LOCK, _environment(POLARS_MAX_THREADS="1"), _sigint_blocked():
            for _ in range(self.processes):
                pool.submit(int)
        self._pool = pool
        return pool

    def run(self, function: Callable[[Batch], Result], batches: Sequence[Batch]) -> Iterator[Result]:
        """`function(batch)` for every batch, yielded as each finishes (in any order).

        Stopped early (the generator closed: Ctrl+C, an error, an app closing mid-analysis), the
        workers are stopped too, without waiting for their current batch; a later `run` starts
        new ones.
        """
        if not self.has_processes or len(batches) < 2:
            yield from map(function, batches)
            return
        pool = self._executor()
        finished = False
        # Batches are handed to the pool one per worker at a time, each as another finishes (from
        # the pool's callback thread), rather than all at once: the pool moves submitted batches
        # into its workers' queue ahead of time, and a queued batch cannot be taken back, so with
        # everything submitted the caller ran out of batches to take while a worker still had two
        # or three queued (~2.8 s of one core idle at the end of a BBC analysis).
        waiting = list(batches)  # the workers take from the front, the caller from the back
        finished_futures: queue.SimpleQueue[Future[Result]] = queue.SimpleQueue()
        lock = threading.Lock()
        stopping = False

        def hand_out() -> None:
            """Submit the next waiting batch to the pool (a submit that fails is reported as that
            batch's outcome, so the caller never waits for a batch nobody runs)."""
            with lock:
                if stopping or not waiting:
                    return
                batch = waiting.pop(0)
            try:
                future = pool.submit(function, batch)
            except Exception as error:  # a broken pool (a worker died) or one shut down meanwhile
                future = Future()
                future.set_exception(error)
                finished_futures.put(future)
                return
            future.add_done_callback(collected)

        def collected(future: Future[Result]) -> None:
            if future.cancelled():
                return
            finished_futures.put(future)
            hand_out()

        try:
            for _ in range(self.processes):
                hand_out()
            if self.help_here and self.warm_up is not None and not self._warm_here:
                self._warm_here = True
                self.warm_up()  # here too, before this process's first batch (see warm_up)
            remaining = len(batches)
            while remaining:
                with lock:
                    mine = waiting.pop() if self.help_here and waiting else None
                if mine is not None:
                    yield function(mine)
                    remaining -= 1
                    ready = []
                    while not finished_futures.empty():
                        ready.append(finished_futures.get())
                else:
                    ready = [finished_futures.get()]
                for future in ready:
                    remaining -= 1
                    yield future.result()  # a batch's exception is raised here, to the caller
            finished = True
        finally:
            with lock:
                stopping = True
            if not finished:
                # Drop the batches not started and end the running ones now.
                self.close()


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


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel pending batches, terminate the workers and wait (briefly) for them to be gone.

    Uses the executor's private `_processes` and `_executor_manager_thread`: Python 3.11 has no
    public way to stop running workers (3.14 adds `terminate_workers`). The shutdown request goes
    first, so the manager thread drops the cancelled futures before it sees the workers die.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    steps: list[Callable[[], object]] = [lambda: pool.shutdown(wait=False, cancel_futures=True)]
    steps += [process.terminate for process in processes]
    steps += [partial(process.join, timeout=5) for process in processes]
    if manager is not None:
        steps.append(partial(manager.join, timeout=5))
    for step in steps:
        # A second Ctrl+C (or one Polars re-raises) must not abandon the workers half-stopped;
        # the exception already on its way out carries on once they are gone.
        for _attempt in range(3):
            try:
                step()
                break
            except KeyboardInterrupt:
                continue


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Start processes in this block that ignore SIGINT from their first instruction.

    A spawned child inherits an ignored disposition (exec keeps SIG_IGN) but not the signal mask
    (subprocess resets it). Dispositions can only be set from the main thread; the dashboard runs
    analysis in another thread, but its terminal is in raw mode and Ctrl+C sends no SIGINT there.
    The mask, meanwhile, keeps a Ctrl+C that arrives now pending for us rather than lost.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    main = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        yield
    finally:
        if main:
            # None: a handler not set from Python; the default is the closest we can restore.
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous_handler is None else previous_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)


# How often a worker checks that its parent is alive where PR_SET_PDEATHSIG is unavailable.
PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int, warm_up: Callable[[], object] | None = None) -> None:
    """Worker initializer: leave Ctrl+C to the parent, die with the parent, then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still works
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="newsdesk-parent-watch", daemon=True).start()
    if warm_up is not None:
        # A fault here (a damaged model file) is met again by the first batch, which reports it.
        with contextlib.suppress(Exception):
            warm_up()


def _watch_parent(parent: int) -> None:
    # Re-parented (to init or a subreaper) means the parent is gone: nobody will read our results.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
