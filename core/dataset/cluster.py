"""Where a dataset's tasks run: today's process pool, a local Dask cluster, or an existing scheduler.

`--cluster local` starts `distributed.LocalCluster` with one single-threaded worker process per core
(analysis is CPU-bound Python and Polars; threads would share one GIL) and one Polars thread per
worker, as the process pool does. `--cluster tcp://host:8786` connects to a scheduler whose workers
run the same newsdesk release and see the same files (shared storage).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.dataset.write import DaskRunner, ProcessPoolRunner, Runner

# A lost worker's task is re-run by Dask on its own; retries cover a task that raised (a flaky
# network filesystem, an out-of-memory kill reported as an error).
TASK_RETRIES = 2
CONNECT_TIMEOUT_SECONDS = 30
# Dask's statistical profiler samples every worker thread's stack every 10 ms; measured here it
# made a worker's analysis 15-20% slower than the same work in a plain process. Off for the local
# cluster (kept off for its whole life: its workers start after the scheduler); remote workers are
# told with DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False (docs/scaling.md).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


class ClusterError(Exception):
    """The cluster could not be started or reached; says which and why."""


@contextmanager
def open_runner(cluster: str | None, workers: int) -> Iterator[Runner]:
    """A runner for `cluster` (None: the process pool; "local": a LocalCluster; else a scheduler address)."""
    if cluster is None:
        yield ProcessPoolRunner(workers)
    elif cluster == "local":
        import dask
        import distributed  # noqa: F401  (its config defaults must exist before the set below, which
        # would otherwise drop them on the way out: a second local cluster then fails to start)

        with dask.config.set(WORKER_CONFIG), _local_cluster(workers) as runner:
            yield runner
    else:
        with _remote_cluster(cluster) as runner:
            yield runner


@contextmanager
def _local_cluster(workers: int) -> Iterator[Runner]:
    from distributed import Client, LocalCluster

    try:
        # No workers yet: the scheduler starts at once, then the workers boot in the background
        # (a few seconds of imports each) while this process reads the slices' ids and hashes.
        local = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=0,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,  # no fixed port: other runs and helpers may hold :8787
            env={"POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "1")},
            silence_logs=40,  # logging.ERROR: worker chatter would bury the progress line
        )
    except Exception as error:  # distributed raises many types while starting processes
        raise ClusterError(f"could not start a local Dask cluster: {error}") from error
    with local, Client(local) as client:  # type: ignore[no-untyped-call]
        _warm_workers(client)  # before they start: each warms up as it joins
        local.scale(workers)  # type: ignore[no-untyped-call]
        yield DaskRunner(client, retries=TASK_RETRIES, workers=workers, scans_here=True)


def _warm_workers(client: Any) -> None:
    """Have every worker, present or joining later, read newsdesk's tables and models now."""
    from core.dataset.worker_warm_up import PLUGIN_NAME, WarmUpPlugin

    client.register_plugin(WarmUpPlugin(), name=PLUGIN_NAME)


@contextmanager
def _remote_cluster(address: str) -> Iterator[Runner]:
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_SECONDS)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    with client:
        if not client.scheduler_info(n_workers=-1).get("workers"):
            # Tasks would wait forever for a worker; say so rather than hang.
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_SECONDS)
            except TimeoutError as error:
                raise ClusterError(
                    f"the Dask scheduler at {address} has no workers (waited {CONNECT_TIMEOUT_SECONDS} s)"
                ) from error
        _warm_workers(client)
        yield DaskRunner(client, retries=TASK_RETRIES)
