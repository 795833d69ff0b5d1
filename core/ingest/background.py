"""Running blocking I/O (HTTP fetches) on daemon threads, so nobody ever has to wait for it to end.

`concurrent.futures` threads are joined when the interpreter exits, and a Textual thread worker is
joined when the app's event loop closes: a fetch stalled on a slow server would hold `q` or Ctrl+C
for up to its 30 s deadline. Daemon threads are not joined; the caller waits on a queue, which a
signal interrupts, and a caller that stops waiting simply leaves the threads to finish or die
with the process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_on_daemon_threads(
    function: Callable[[Item], Result], items: Sequence[Item], max_parallel: int, name: str = "newsdesk-io"
) -> list[Result]:
    """`[function(item) for item in items]`, at most `max_parallel` at once, results in input order.

    An exception from `function` is raised here once every earlier-started call is collected or the
    caller is interrupted; calls not yet started are then skipped.
    """
    if len(items) <= 1:
        return [function(item) for item in items]
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(items)):
        pending.put(index)
    finished: queue.SimpleQueue[tuple[int, Result | None, BaseException | None]] = queue.SimpleQueue()
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            try:
                finished.put((index, function(items[index]), None))
            except BaseException as error:  # handed to the caller, which decides
                finished.put((index, None, error))

    for number in range(min(max_parallel, len(items))):
        threading.Thread(target=run, name=f"{name}-{number}", daemon=True).start()
    results: dict[int, Result] = {}
    try:
        for _ in items:
            index, result, error = finished.get()  # interruptible: a signal's exception leaves from here
            if error is not None:
                raise error
            results[index] = result  # type: ignore[assignment]  # no error: function returned a Result
    finally:
        stop.set()  # on an error or interruption, threads take no new items
    return [results[index] for index in range(len(items))]


def call_on_daemon_thread(
    function: Callable[[], Result], cancelled: Callable[[], bool], poll_seconds: float = 0.1
) -> Result | None:
    """`function()` on a daemon thread; None as soon as `cancelled()` says the caller gave up.

    For a caller that is itself joined on exit (a Textual thread worker): it checks `cancelled`
    between polls and returns, leaving a stalled fetch to finish or die with the process.
    """
    finished: queue.SimpleQueue[tuple[Result | None, BaseException | None]] = queue.SimpleQueue()

    def run() -> None:
        try:
            finished.put((function(), None))
        except BaseException as error:  # handed to the caller
            finished.put((None, error))

    threading.Thread(target=run, name="newsdesk-io-call", daemon=True).start()
    while True:
        try:
            result, error = finished.get(timeout=poll_seconds)
        except queue.Empty:
            if cancelled():
                return None
            continue
        if error is not None:
            raise error
        return result
