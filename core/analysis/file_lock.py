"""An advisory lock shared by every newsdesk process that uses a folder (POSIX flock on a lock file).

flock locks belong to an open file description, so they are released when the process dies, even
by SIGKILL: a crashed run never leaves the folder locked. Where flock does not exist (Windows) or
the lock file cannot be created (a read-only folder), the block runs unlocked: readers still work.
The lock file sits beside the folder (`<folder>.lock`), so the folder holds only its own files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def _open_lock_file(folder: Path) -> int | None:
    """A descriptor of `folder`'s lock file, or None where locking is not possible (no flock, or
    the lock file cannot be created)."""
    if fcntl is None:
        return None
    try:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        return os.open(folder.with_name(f"{folder.name}.lock"), flags, 0o666)
    except OSError:
        return None


@contextmanager
def folder_lock(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold `folder`'s lock (`<folder>.lock`) for the block: shared for readers, exclusive for writers."""
    descriptor = _open_lock_file(folder)
    if descriptor is None:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextmanager
def folder_lock_if_free(folder: Path) -> Iterator[bool]:
    """Hold `folder`'s exclusive lock for the block if no other process holds it now (True), else
    run the block without it (False): for work that may simply be skipped, as pruning a stale
    cache folder another run is using."""
    descriptor = _open_lock_file(folder)
    if descriptor is None:
        yield False
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)
