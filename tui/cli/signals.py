"""How a command-line run ends when it is asked to stop: Ctrl+C (exit 130) or SIGTERM (exit 143).

SIGTERM's default action kills the process on the spot: no `finally` runs, so worker processes and
temporary files would be left behind. While a command runs, SIGTERM instead raises `Terminated` in
the main thread, which unwinds like Ctrl+C's KeyboardInterrupt (core.parallel stops its workers,
temporary files are removed) and ends in one line and the conventional status 128 + signal number.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

INTERRUPTED_STATUS = 128 + signal.SIGINT  # 130
TERMINATED_STATUS = 128 + signal.SIGTERM  # 143


class Terminated(BaseException):
    """SIGTERM arrived (a BaseException, like KeyboardInterrupt, so `except Exception` lets it pass)."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """For the block, SIGTERM raises Terminated (main thread only; elsewhere this does nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_now_if_threads_linger(status: int) -> None:
    """End the process at once when threads still run after a stop request (a fetch waiting on the
    network): the interpreter would otherwise join them at exit, up to the fetch timeout."""
    lingering = [
        t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()
    ]
    if lingering:
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        os._exit(status)
