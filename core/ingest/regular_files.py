"""Reading an input file without letting it hang or swamp the program.

A named pipe, socket or device among the inputs would block `open()` or `read()` forever (and a
blocked `open()` in C code cannot be interrupted by Ctrl+C), and a 40 GB log would be read whole
into memory. So a file is checked with `stat` before it is opened (only regular files pass), opened
non-blocking (a FIFO swapped in after the check still cannot block), checked again on the open
descriptor, and its size is compared with a cap before the first byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_MB_ENV = "NEWSDESK_MAX_FILE_MB"
# Bigger than any news file or feed dump we have seen (the largest bundled corpus is 5 MB), small
# enough that reading one cannot exhaust a laptop's memory. Raised with $NEWSDESK_MAX_FILE_MB.
DEFAULT_MAX_FILE_MB = 512

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


class InputFileError(OSError):
    """A file newsdesk will not read: not a regular file, too large, or unreadable; says which and why."""


def max_file_bytes() -> int:
    """The size cap in bytes: $NEWSDESK_MAX_FILE_MB if it is a positive number, else the default."""
    value = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    try:
        megabytes = float(value) if value else DEFAULT_MAX_FILE_MB
    except ValueError:
        megabytes = DEFAULT_MAX_FILE_MB
    return int((megabytes if megabytes > 0 else DEFAULT_MAX_FILE_MB) * 1024 * 1024)


def file_kind(mode: int) -> str:
    """'a named pipe (FIFO)', 'a socket', … for a stat mode that is not a regular file."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


def not_regular_reason(path: Path) -> str | None:
    """Why `path` must not be read (a FIFO, a socket, a device…), or None for a regular file.

    Uses `stat`, which never opens the file, so a FIFO cannot block here. A missing file gives None:
    the read that follows reports it.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return f"{file_kind(mode)}, not a regular file; skipped"


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` (default: `max_file_bytes()`).

    Raises InputFileError naming the problem for a FIFO, socket, device, folder or a file over the
    cap (nothing is read then), and for any OSError while opening or reading.
    """
    cap = max_file_bytes() if limit is None else limit
    if reason := not_regular_reason(path):
        raise InputFileError(reason)
    try:
        # O_NONBLOCK: a FIFO put in place after the check above opens without waiting for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputFileError(f"cannot read: {error.strerror or error}") from error
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{file_kind(info.st_mode)}, not a regular file; skipped")
        if info.st_size > cap:
            raise InputFileError(
                f"too large to read ({_megabytes(info.st_size)}, the limit is {_megabytes(cap)}; "
                f"raise it with ${MAX_FILE_MB_ENV}); skipped"
            )
        try:
            # One byte more than the cap: a file that grew since fstat is caught, not read whole.
            data = handle.read(cap + 1)
        except OSError as error:
            raise InputFileError(f"cannot read: {error.strerror or error}") from error
    if len(data) > cap:
        raise InputFileError(f"grew past the size limit ({_megabytes(cap)}) while being read; skipped")
    return data


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"
