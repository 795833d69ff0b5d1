"""Fault injection: hostile or broken inputs and environments, one test per case, each bounded in time.

Every subprocess runs with a timeout, so a regression (a FIFO that blocks `open`, a signal that is
ignored) fails the test instead of hanging the suite. Cases: a FIFO among the inputs and in a watched
folder, a file over the size cap, hostile markup and control sequences in every field, a full disk
(an injected ENOSPC) while caching and while writing the output, an unusable cache folder, SIGTERM,
Ctrl+C and SIGKILL of `newsdesk analyze` with a check that no worker outlives it, and two runs
writing one cache at once.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from core.analysis.cache import ResultCache
from core.ingest.load import load_articles
from core.ingest.regular_files import MAX_FILE_MB_ENV
from core.schema import RESULT_SCHEMA
from tui.cli.main import main

REPO = Path(__file__).resolve().parent.parent
# Generous for a loaded 2-core CI machine; a hang (the failure these tests catch) never ends at all.
RUN_TIMEOUT = 45
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="child processes via /proc")


def _cli(*arguments: str, **options: Any) -> subprocess.Popen[str]:
    """The real entry point (argv from the command line) in a new session, so a group signal stays ours."""
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *arguments],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **options,
    )


def _run(*arguments: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    process = _cli(*arguments)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"newsdesk {' '.join(arguments)} did not finish within {timeout} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _article_file(folder: Path, name: str = "good.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "Iraq and Turkey sign a water deal\n\nIraq and Turkey signed an agreement on water in Ankara.",
        encoding="utf-8",
    )
    return path


# ---------------------------------------------------------------- inputs that are not regular files


@needs_fifo
def test_fifo_among_the_inputs_is_reported_and_skipped(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no writer ever opens it: reading it would block forever
    good = _article_file(tmp_path)
    result = _run("summary", str(fifo), str(good), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert f"{fifo}: a named pipe (FIFO), not a regular file; skipped" in result.stderr
    assert result.stdout.startswith("1 article from")


@needs_fifo
def test_fifo_in_a_watched_folder_is_reported_and_skipped(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _article_file(inbox)
    os.mkfifo(inbox / "incoming.jsonl")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(f"[watch]\nfolders = [{json.dumps(str(inbox))}]\n")
    process = _cli("summary", "--no-cache", env={**os.environ, "NEWSDESK_CONFIG_DIR": str(config)})
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("a FIFO in a watched folder hung the load")
    assert process.returncode == 0, err
    assert "incoming.jsonl: a named pipe (FIFO), not a regular file; skipped" in err
    assert out.startswith("1 article from")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Headline\n\n".ljust(10 * 1024, b"w"))  # 10 KB
    small = _article_file(tmp_path)
    monkeypatch.setenv(MAX_FILE_MB_ENV, "0.005")  # 5 KB
    result = load_articles([big, small])
    assert result.articles.height == 1
    [issue] = result.report.issues
    assert issue.path == str(big)
    assert issue.message == (
        f"too large to read (10.0 KB, the limit is 5.1 KB; raise it with ${MAX_FILE_MB_ENV}); skipped"
    )


# ---------------------------------------------------------------- hostile text


HOSTILE = "[@click=app.quit]L[/] [b]bold[/b] \x1b[2J\x1b]52;c;ZXZpbA==\x07 \u202e evil"


@pytest.mark.parametrize("command", ["summary", "analyze"])
def test_hostile_markup_and_controls_in_every_field_stay_inert_on_the_command_line(
    tmp_path: Path, command: str
) -> None:
    folder = tmp_path / f"feed{HOSTILE.replace('/', '')}"  # the file name and source are hostile too
    folder.mkdir()
    record = {
        "title": f"Iraq and Turkey talk {HOSTILE}",
        "text": f"Iraq and Turkey signed an agreement on water. {HOSTILE} Officials met in Ankara.",
        "source": HOSTILE,
        "url": f"http://host/x/{HOSTILE}",
        "id": f"id-{HOSTILE}",
    }
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n{broken\n", encoding="utf-8")
    result = _run(command, str(folder), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert not {"\x1b", "\x07", "\u202e"} & set(result.stderr)
    if command == "analyze":  # JSON keeps the text (control characters escaped) for the script reading it
        assert not {"\x1b", "\x07"} & set(result.stdout)
        [line] = result.stdout.splitlines()
        assert json.loads(line)["source"] == HOSTILE
    else:
        assert not {"\x1b", "\x07", "\u202e"} & set(result.stdout)
        assert "[@click=app.quit]" in result.stdout  # shown literally, not interpreted


# ---------------------------------------------------------------- full disk, unusable cache


def _no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _write_half_then_no_space(frame: pl.DataFrame, target: Any, *args: Any, **kwargs: Any) -> None:
    """DataFrame.write_parquet on a full disk: some bytes land, then ENOSPC."""
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(b"PAR1 half a part")
    else:
        target.write(b"PAR1 half a part")
    _no_space()


def test_full_disk_while_caching_is_one_line_and_the_results_are_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _article_file(tmp_path / "in")
    cache = tmp_path / "cache"
    output = tmp_path / "out.jsonl"
    monkeypatch.setattr(pl.DataFrame, "write_parquet", _write_half_then_no_space)
    arguments = ["analyze", str(tmp_path / "in"), "--cache-dir", str(cache), "-o", str(output)]
    status = main([*arguments, "--workers", "1"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert len(output.read_text(encoding="utf-8").splitlines()) == 1
    [warning] = [line for line in err.splitlines() if "warning" in line]
    assert "No space left on device" in warning and str(cache) in warning
    assert "Traceback" not in err
    leftovers = [p.name for p in cache.rglob("*") if p.is_file() and not p.name.startswith("part-")]
    assert [name for name in leftovers if name.endswith(".tmp")] == []


def test_full_disk_while_writing_the_output_is_one_line_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _article_file(tmp_path / "in")
    output = tmp_path / "out" / "records.jsonl"
    output.parent.mkdir()
    monkeypatch.setattr(os, "fsync", _no_space)
    status = main(["analyze", str(tmp_path / "in"), "--no-cache", "-o", str(output)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert err == f"newsdesk: error: cannot write {output}: No space left on device"
    assert list(output.parent.iterdir()) == []


@pytest.mark.parametrize("layout", ["cache dir is a file", "cache dir under a file"])
def test_unusable_cache_dir_is_one_line_before_the_analysis_and_the_results_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str
) -> None:
    _article_file(tmp_path / "in")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    cache_dir = blocker if layout == "cache dir is a file" else blocker / "sub"
    output = tmp_path / "out.jsonl"
    status = main(["analyze", str(tmp_path / "in"), "--cache-dir", str(cache_dir), "-o", str(output)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert len(output.read_text(encoding="utf-8").splitlines()) == 1
    [line] = [line for line in err.splitlines() if "warning" in line]
    assert line.startswith("newsdesk: warning: cache folder") and f"{blocker} is a file, not a folder" in line
    assert "Traceback" not in err


# ---------------------------------------------------------------- stopping analyze


def _big_corpus(folder: Path, articles: int = 6000) -> Path:
    """Distinct articles (distinct hashes), enough that analysis outlasts the test's signal (1,500 no
    longer did once the keyword engine got faster: a run finished before its SIGINT arrived)."""
    folder.mkdir()
    words = "Iraq Turkey Russia water talks agreement sanctions troops border energy deal minister".split()
    with (folder / "many.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(articles):
            text = " ".join(f"{words[(number * 7 + i) % len(words)]}{i % 13}" for i in range(120))
            record = {"title": f"Report {number}", "text": f"Iraq and Turkey met on {number}. {text}."}
            handle.write(json.dumps(record) + "\n")
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


def _started_workers(process: subprocess.Popen[str], deadline: float) -> list[int]:
    """Wait until the CLI runs a worker process; its children then (workers and the resource tracker)."""
    while time.monotonic() < deadline:
        children = _children(process.pid)
        commands = []
        for child in children:
            try:
                commands.append(Path(f"/proc/{child}/cmdline").read_bytes())
            except OSError:
                continue
        if any(b"spawn_main" in command for command in commands):
            time.sleep(0.5)  # into the analysis proper
            return _children(process.pid)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"no worker process started (exit status {process.poll()})")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if _alive(pid)]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def analyze_run(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    corpus = _big_corpus(tmp_path / "corpus")
    # As from a terminal's foreground: Ctrl+C at its default, whatever the test runner inherited
    # (a shell's background job ignores SIGINT, and that disposition passes down to children).
    out = str(tmp_path / "out.jsonl")
    process = _cli(
        "analyze", str(corpus), "--no-cache", "--workers", "2", "-o", out, preexec_fn=_default_sigint
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


@needs_proc
@pytest.mark.parametrize(
    ("how", "status", "line"), [("SIGTERM", 143, "terminated"), ("SIGINT", 130, "interrupted")]
)
def test_stopping_analyze_ends_workers_and_says_one_line(
    analyze_run: subprocess.Popen[str], how: str, status: int, line: str
) -> None:
    children = _started_workers(analyze_run, time.monotonic() + RUN_TIMEOUT)
    if how == "SIGINT":
        os.killpg(analyze_run.pid, signal.SIGINT)  # Ctrl+C: the whole foreground group gets it
    else:
        analyze_run.send_signal(signal.SIGTERM)  # kill -TERM: the CLI alone
    _out, err = analyze_run.communicate(timeout=RUN_TIMEOUT)
    assert analyze_run.returncode == status
    assert err == f"newsdesk: {line}\n"
    assert _gone_within(children, 10) == []


@needs_proc
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killed_analyze_leaves_no_worker_behind(analyze_run: subprocess.Popen[str]) -> None:
    children = _started_workers(analyze_run, time.monotonic() + RUN_TIMEOUT)
    analyze_run.send_signal(signal.SIGKILL)  # no handler runs: the workers must notice by themselves
    analyze_run.communicate(timeout=RUN_TIMEOUT)
    assert _gone_within(children, 10) == []


# ---------------------------------------------------------------- concurrent cache writers


def _rows(hashes: list[str]) -> pl.DataFrame:
    rows = [{"content_hash": h, "keywords": [], "mentions": [], "pairs": []} for h in hashes]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA)


def _store_after_lookup(root: str, hashes: list[str], looked: Any, go: Any) -> None:
    cache = ResultCache(root)
    cache.lookup(hashes)  # both runs find nothing cached...
    looked.wait()
    go.wait()
    cache.store(_rows(hashes))  # ...and both computed every row


def _hashes_per_part(root: Path) -> list[list[str]]:
    parts = sorted((root / f"results-v{ResultCache(root).engine_version}").glob("part-*.parquet"))
    return [pl.read_parquet(part).get_column("content_hash").to_list() for part in parts]


def test_two_runs_writing_one_cache_store_each_result_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    looked, go = context.Barrier(2), context.Barrier(2)
    hashes = [f"h{i}" for i in range(50)]
    arguments = (str(tmp_path), hashes, looked, go)
    runs = [context.Process(target=_store_after_lookup, args=arguments) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=RUN_TIMEOUT)
        assert run.exitcode == 0
    stored = [h for part in _hashes_per_part(tmp_path) for h in part]
    assert sorted(stored) == sorted(hashes)  # every result, once
    assert ResultCache(tmp_path).lookup(hashes).height == len(hashes)


def test_a_run_stores_only_what_no_other_run_stored_since_its_lookup(tmp_path: Path) -> None:
    first, second = ResultCache(tmp_path), ResultCache(tmp_path)
    first.lookup(["a", "b", "c"])
    second.lookup(["b", "c", "d"])
    second.store(_rows(["b", "c", "d"]))
    first.store(_rows(["a", "b", "c"]))
    assert sorted(map(sorted, _hashes_per_part(tmp_path))) == [["a"], ["b", "c", "d"]]
