"""What the command line says on stderr while it loads: a progress line, then the load report.

A load of a big folder spends seconds listing and reading before analysis starts; a terminal gets a
one-line counter meanwhile (redrawn in place at most ten times a second, erased when done). Pipes
and --quiet get nothing. A report of hundreds of issues of a few kinds (the BBC corpus has 138
duplicate warnings) is shown one line per kind with its count, unless --verbose asks for each.
"""

from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from core.ingest.report import LoadIssue, LoadProgress
from core.wording import plural
from tui.safety import printable

# Up to this many issues are always listed one per line; more are grouped by kind.
LIST_EACH_UP_TO = 10
REDRAW_SECONDS = 0.1
# A kind is the message's leading words: "duplicate article id 'x' (first…)" -> "duplicate article id".
_KIND = re.compile(r"^[^:;(\"'\d]*")


def issue_kind(issue: LoadIssue) -> str:
    """The leading words of an issue's message, shared by every issue of its kind."""
    match = _KIND.match(issue.message)
    kind = match.group(0).strip(" ,.-") if match else ""
    return kind or issue.message


def report_lines(issues: list[LoadIssue], prog: str, verbose: bool) -> list[str]:
    """The stderr lines for a load report: each issue, or one line per kind when there are many.

    File names and feed titles in them are untrusted: control characters are shown, not sent.
    """
    return [printable(line, single_line=True) for line in _report_lines(issues, prog, verbose)]


def _report_lines(issues: list[LoadIssue], prog: str, verbose: bool) -> list[str]:
    if verbose or len(issues) <= LIST_EACH_UP_TO:
        return [f"{prog}: {issue}" for issue in issues]
    groups: dict[tuple[str, str], list[LoadIssue]] = defaultdict(list)
    for issue in issues:
        groups[(issue.severity, issue_kind(issue))].append(issue)
    lines = []
    for (severity, kind), members in groups.items():
        if len(members) == 1:
            lines.append(f"{prog}: {members[0]}")
            continue
        first = members[0]
        where = f"{first.path}, {first.location}" if first.location else first.path
        lines.append(
            f"{prog}: {severity}: {kind}: {plural(len(members), 'file or record', 'files or records')} "
            f"(first: {where}); --verbose lists each"
        )
    return lines


@contextmanager
def load_progress(stream: TextIO | None = None, enabled: bool = True) -> Iterator[LoadProgress | None]:
    """A progress callback drawing "reading files: N listed, M read" on a terminal, else None."""
    out = sys.stderr if stream is None else stream
    if not enabled or not out.isatty():
        yield None
        return
    counts = {"listed": 0, "read": 0}
    last_draw = 0.0
    drawn = False

    def update(what: str, count: int) -> None:
        nonlocal last_draw, drawn
        counts[what] = count
        now = time.monotonic()
        if now - last_draw >= REDRAW_SECONDS:
            last_draw, drawn = now, True
            out.write(f"\r\x1b[Kloading: {counts['listed']:,} files listed, {counts['read']:,} read")
            out.flush()

    try:
        yield update
    finally:
        if drawn:
            out.write("\r\x1b[K")
            out.flush()
