"""Atomic writes: regular files are replaced whole; devices and pipes are written to, never replaced."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from core.atomic import write_bytes_atomically
from tui.cli.main import main


def _drain(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            into.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    return reader


def test_regular_file_is_replaced_keeping_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o640)
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind


def test_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _drain(fifo, received)
    write_bytes_atomically(fifo, b"through the pipe")
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_cli_output_to_a_pipe_keeps_the_pipe(tmp_path: Path, seed_path: Path) -> None:
    """`-o /dev/null` once replaced the device with a plain file; a FIFO stands in for it here."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _drain(fifo, received)
    assert main(["analyze", str(seed_path), "-o", str(fifo), "--quiet"]) == 0
    reader.join(timeout=30)
    assert received and received[0].startswith(b'{"id":')
    assert stat.S_ISFIFO(fifo.stat().st_mode)
