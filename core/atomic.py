"""Writing a file so that a crash never leaves half of it, without clobbering what is not a file.

Output paths come from users: `-o /dev/null`, a named pipe or a terminal must be written to, not
replaced by a regular file (a rename onto /dev/null would swap the device for a plain file).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes, *, create_parents: bool = True) -> None:
    """Put `data` at `path`: via a temp file, fsync and rename for regular files, directly otherwise.

    `create_parents=False` for paths a user typed: a missing folder is more likely a typo.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with path.open("wb") as handle:  # a device, FIFO or socket: write through, never replace
            handle.write(data)
        return
    if create_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode & 0o777)  # keep the user's permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new hidden file beside `path`, created with mode 0666 less the umask like any new file.

    (tempfile.mkstemp would make it 0600, and the rename would give every export that mode.)
    """
    for _attempt in range(100):
        temporary = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomically(path: Path, text: str) -> None:
    """`write_bytes_atomically` for UTF-8 text."""
    write_bytes_atomically(path, text.encode("utf-8"))
