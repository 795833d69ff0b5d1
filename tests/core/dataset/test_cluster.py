"""A real Dask cluster on 127.0.0.1: a `dask scheduler` and two `dask worker` processes started here.

The tests run in file order against one cluster; the last kills a worker mid-run. Every process is
started in its own session, found by PID, and stopped in the fixture's finaliser.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.dataset.cluster import open_runner
from core.dataset.manifest import load_manifest
from core.dataset.tables import read_analysis
from core.dataset.write import ProcessPoolRunner, write_dataset
from tests.core.dataset.conftest import SLICE_BYTES, assert_same_tables, build_small_corpus

REPO = Path(__file__).resolve().parents[3]
START_SECONDS = 60


@dataclass
class LoopbackCluster:
    address: str
    workers: list[subprocess.Popen[bytes]]
    logs: Path

    def wait_for_workers(self) -> None:
        """Both workers connected (they boot while the local run is written)."""
        from distributed import Client

        with Client(self.address, timeout=START_SECONDS) as client:
            try:
                client.wait_for_workers(2, timeout=START_SECONDS)
            except TimeoutError:
                logs = "".join(p.read_text()[-1000:] for p in sorted(self.logs.glob("worker-*.log")))
                pytest.fail(f"the workers did not start: {logs}")


def _dask_command(*arguments: str) -> list[str]:
    # The `dask` script of this environment (beside the interpreter), run by that interpreter.
    return [sys.executable, str(Path(sys.executable).parent / "dask"), *arguments]


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "POLARS_MAX_THREADS": "1",
        "PYTHONPATH": str(REPO),
        "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",  # as docs/scaling.md advises
    }
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackCluster]:
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            _start(
                _dask_command(
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(scheduler_file),
                ),
                folder / "scheduler.log",
            )
        )
        deadline = time.monotonic() + START_SECONDS
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                pytest.fail(f"the scheduler did not start: {(folder / 'scheduler.log').read_text()[-2000:]}")
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        # --no-nanny: the PID we hold is the worker itself, so killing it loses the worker for real.
        workers = [
            _start(
                _dask_command(
                    "worker",
                    address,
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    f"worker-{number}",
                    "--death-timeout",
                    "60",
                ),
                folder / f"worker-{number}.log",
            )
            for number in range(2)
        ]
        processes.extend(workers)
        yield LoopbackCluster(address, workers, folder)
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus and its dataset written by the process pool (in this process), for comparison."""
    folder = tmp_path_factory.mktemp("local")
    corpus = build_small_corpus(folder)
    root = folder / "ds"
    write_dataset([str(corpus)], str(root), ProcessPoolRunner(1), slice_bytes=SLICE_BYTES)
    return corpus, root


def test_the_cluster_writes_the_same_tables_as_the_process_pool(
    cluster: LoopbackCluster,
    local_run: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, local_root = local_run
    cluster.wait_for_workers()
    root = str(tmp_path / "ds")
    with open_runner(cluster.address, 2) as runner:
        result = write_dataset([str(corpus)], root, runner, slice_bytes=SLICE_BYTES)
        assert runner.workers == 2
    assert result.analysed == result.added == 30 and result.partitions >= 5
    assert_same_tables(read_analysis(load_manifest(root)), read_analysis(load_manifest(str(local_root))))
    # A rerun asks the cluster to analyse nothing (here through the command line).
    from tui.cli.main import main

    capsys.readouterr()
    assert main(["analyze", str(corpus), "--dataset", root, "--cluster", cluster.address]) == 0
    assert "30 articles in" in (err := capsys.readouterr().err) and "analysed 0; 30 already" in err
    assert len(load_manifest(root).partitions) == result.partitions


def test_workers_read_their_tables_as_the_runner_opens(cluster: LoopbackCluster) -> None:
    # The warm-up plugin reads the tables and freezes them out of the collector's walks; a worker
    # that had only run tasks (the test above) would have read them but frozen nothing.
    import gc

    cluster.wait_for_workers()
    with open_runner(cluster.address, 2) as runner:
        frozen = runner.client.run(gc.get_freeze_count)  # type: ignore[attr-defined]
    assert len(frozen) == 2 and all(count > 0 for count in frozen.values())


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(
    cluster: LoopbackCluster, local_run: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, local_root = local_run
    cluster.wait_for_workers()
    root = str(tmp_path / "ds")
    victim = cluster.workers[0]
    held: list[int] = []  # tasks the victim was processing or had queued when it was killed

    with open_runner(cluster.address, 2) as runner:
        client = runner.client  # type: ignore[attr-defined]

        def kill_after_first(done: int, total: int) -> None:
            # Slices of a few hundred bytes (one or two articles each): ~20 tasks, so both workers
            # still hold tasks when the first result arrives.
            if not held:
                workers = client.scheduler_info(n_workers=-1)["workers"]
                address = next(a for a, w in workers.items() if w["name"] == "worker-0")
                held.append(len(client.processing([address]).get(address, ())))
                os.kill(victim.pid, signal.SIGKILL)

        result = write_dataset([str(corpus)], root, runner, slice_bytes=600, progress=kill_after_first)
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert held and held[0] > 0  # its tasks were lost with it and had to run elsewhere
    assert result.slices >= 15
    articles = read_analysis(load_manifest(root)).articles
    assert articles.height == articles.get_column("id").n_unique() == 30
    assert_same_tables(read_analysis(load_manifest(root)), read_analysis(load_manifest(str(local_root))))
