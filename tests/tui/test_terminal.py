"""The real program in a real terminal: newsdesk under tmux, driven by send-keys, read by capture-pane."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One detached tmux session of a fixed size running one command."""

    def __init__(self, command: list[str], width: int = 120, height: int = 36) -> None:
        self.name = f"newsdesk-test-{uuid.uuid4().hex[:8]}"
        # A private server (own socket, no user config) so the session really gets width x height.
        self.tmux = ["tmux", "-L", self.name, "-f", "/dev/null"]
        shell_command = " ".join(shlex.quote(part) for part in command)
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                shell_command,
            ],
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(
            [*self.tmux, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True
        )

    def screen(self) -> str:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=False
        )
        return result.stdout

    def alive(self) -> bool:
        return (
            subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0
        )

    def wait_for(self, condition: Callable[[str], bool], timeout: float = 120.0) -> str:
        """Poll the screen until `condition` holds: a terminal offers no event to await."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def focus_filter(session: Tmux) -> None:
    """Press / until the filter has focus (the footer stops offering the articles list's keys).

    A key that reaches the terminal while Textual is still reading the terminal's answers to its
    start-up queries can be taken as part of them; a person would simply press it again.
    """
    for _ in range(5):
        session.keys("/")
        try:
            session.wait_for(lambda s: "Sort date/relevance" not in s.rstrip().splitlines()[-1], timeout=10)
            return
        except AssertionError:
            continue
    raise AssertionError(f"/ never focused the filter; the screen was:\n{session.screen()}")


@pytest.fixture
def tmux_app(small_corpus: Path, tmp_path: Path) -> Iterator[Tmux]:
    command = [sys.executable, "-m", "tui.cli", str(small_corpus), "--cache-dir", str(tmp_path / "cache")]
    # -u COLUMNS/LINES: the test runner may export them, and they would override the real size.
    session = Tmux(
        [
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            f"NEWSDESK_CONFIG_DIR={tmp_path / 'config'}",
            "TERM=xterm-256color",
            *command,
        ]
    )
    try:
        yield session
    finally:
        session.kill()


def test_type_a_filter_in_a_real_terminal(tmux_app: Tmux) -> None:
    screen = tmux_app.wait_for(lambda s: "Articles 5/5" in s and "IQ–US Iraq" in s)
    assert "Washington worried" in screen
    # The hostile headline is shown as text: its escape sequences did not clear or recolour the screen.
    assert "[bold red]Markup[/]" in screen and "␛[2J" in screen
    focus_filter(tmux_app)
    tmux_app.keys("ukraine", literal=True)
    screen = tmux_app.wait_for(lambda s: "Articles 2/5" in s)
    assert "Ukraine and Poland sign energy deal" in screen and "Russia warns Ukraine" in screen
    assert "Washington worried" not in screen
    tmux_app.keys("Escape")
    tmux_app.wait_for(lambda s: "Articles 5/5" in s)
    tmux_app.keys("q")
    deadline = time.monotonic() + 60
    while tmux_app.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux_app.alive(), "q did not quit"
