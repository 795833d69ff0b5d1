"""Writing the BBC corpus as a dataset: `--cluster local` against the process pool, in the same run.

Both write the same dataset with the same slices (fresh directories, nothing skipped):
  pool     no --cluster: today's process pool, this process working too (the baseline);
  local    --cluster local: a distributed.LocalCluster with one single-threaded worker per core,
           its start-up included (what a user waits for: the scheduler starts at once, the workers
           boot while the client reads the slices' ids, then take the analysis tasks).
Also measured: Dask's per-task scheduling overhead (trivial tasks through the same local cluster),
per-worker throughput (articles per second per worker, both passes), bytes per article on disk,
the client's peak RSS (it never holds the corpus) and the workers' memory at the end, and the load
average before and after (the machine may be shared).
Run: uv run python benchmarks/cluster_speed.py [--workers N] [--rounds R] [--limit FILES]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import corpus_dir, peak_rss_mb
from core.analysis.run import default_workers
from core.dataset.cluster import open_runner
from core.dataset.manifest import load_manifest
from core.dataset.write import DaskRunner, WriteResult, write_dataset


def _identity(value: int) -> int:
    return value


def _sources(limit: int | None) -> list[str]:
    bbc = corpus_dir("bbc")  # exits 0 with a message when ../shared is absent
    if limit is None:
        return [str(bbc)]
    files = sorted(bbc.glob("*/*.txt"))[:limit]
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bbc-"))
    for file in files:
        target = folder / "bbc" / file.parent.name / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, target)
    return [str(folder / "bbc")]


def _disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*.parquet"))


def _line(name: str, seconds: float, result: WriteResult, workers: int) -> str:
    per_worker = result.added / max(seconds, 1e-9) / workers
    return (
        f"{name:>6}: {seconds:6.2f} s  ({result.added:,} articles, {result.partitions} partitions; "
        f"scan {result.scan_seconds:.2f} s, analyse+write {result.analyse_seconds:.2f} s; "
        f"{per_worker:.1f} articles/s per worker)"
    )


def _task_overhead(runner: DaskRunner, tasks: int) -> tuple[float, float]:
    """Seconds per trivial task: all submitted at once and gathered (throughput), and one at a time
    through the writer's own loop (as_completed, each result released: the latency a status sees)."""
    started = time.perf_counter()
    futures = runner.client.map(_identity, list(range(tasks)), pure=False)
    assert runner.client.gather(futures) == list(range(tasks))
    batched = (time.perf_counter() - started) / tasks
    del futures
    started = time.perf_counter()
    done = sum(1 for _ in runner.map_unordered(_identity, list(range(tasks))))
    assert done == tasks
    return batched, (time.perf_counter() - started) / tasks


def _cache_bytecode() -> None:
    """Compile the modules the client and workers import to cached bytecode, as an installer does
    (pip, `uv --compile`). This sandbox sets PYTHONDONTWRITEBYTECODE: without this every Dask worker
    compiled `distributed` from source (~2 s of CPU a process, measured), which no real install pays,
    and which fell on the cluster run alone. Up-to-date files are only checked: quick after once."""
    import importlib.util

    names = ["core", "tui", "distributed", "dask", "tornado", "cloudpickle", "msgpack", "toolz", "tlz"]
    names += ["zict", "tblib", "sortedcontainers", "psutil", "yaml", "fsspec", "polars", "numpy", "yake"]
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    command = [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; the best of each is kept")
    parser.add_argument("--limit", type=int, help="only the first N BBC files (a quick run)")
    parser.add_argument("--slice-bytes", type=int, help="bytes per slice (default: the writer's choice)")
    parser.add_argument("--overhead-tasks", type=int, default=1000)
    args = parser.parse_args()
    _cache_bytecode()
    sources = _sources(args.limit)
    load_before = os.getloadavg()
    print(f"BBC: {sources[0]}; {args.workers} workers; load average before: {load_before[0]:.2f}")
    pool_times: list[float] = []
    local_times: list[float] = []
    startup_times: list[float] = []
    overhead = (0.0, 0.0)
    memory: list[float] = []
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-cluster-speed-"))
    try:
        for round_number in range(args.rounds):
            root = scratch / f"pool-{round_number}"
            started = time.perf_counter()
            with open_runner(None, args.workers) as runner:
                pool = write_dataset(sources, str(root), runner, slice_bytes=args.slice_bytes)
            pool_times.append(time.perf_counter() - started)
            print(_line("pool", pool_times[-1], pool, args.workers))
            disk = _disk_bytes(root)

            root = scratch / f"local-{round_number}"
            started = time.perf_counter()
            with open_runner("local", args.workers) as runner:
                startup_times.append(time.perf_counter() - started)
                local = write_dataset(sources, str(root), runner, slice_bytes=args.slice_bytes)
                local_times.append(time.perf_counter() - started)
                assert isinstance(runner, DaskRunner)
                workers = runner.client.scheduler_info(n_workers=-1)["workers"].values()
                memory = [w["metrics"]["memory"] / 2**20 for w in workers]
                if round_number == 0:
                    overhead = _task_overhead(runner, args.overhead_tasks)
            startup = f"; scheduler start {startup_times[-1]:.2f} s"
            print(_line("local", local_times[-1], local, args.workers) + startup)
            pool_root = str(scratch / f"pool-{round_number}")
            assert load_manifest(str(root)).counts() == load_manifest(pool_root).counts()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best_pool, best_local = min(pool_times), min(local_times)
    print()
    pairs = zip(local_times, pool_times, strict=True)
    rounds = ", ".join(f"{local_s / pool_s:.2f}x" for local_s, pool_s in pairs)
    print(
        f"--cluster local / process pool: {best_local / best_pool:.2f}x (target <= 1.3x); "
        f"best of {args.rounds}: {best_local:.2f} s / {best_pool:.2f} s; each round: {rounds}"
    )
    print(
        f"Dask per-task overhead, trivial tasks ({args.overhead_tasks}): {overhead[0] * 1000:.2f} ms "
        f"submitted together, {overhead[1] * 1000:.2f} ms through the writer's loop; a partition's "
        f"task here took {best_local * args.workers / max(local.partitions, 1):.1f} s"
    )
    print(
        f"per-worker throughput: pool {pool.added / best_pool / args.workers:.1f}, "
        f"local cluster {local.added / best_local / args.workers:.1f} articles/s "
        f"(both passes, load and write included)"
    )
    print(f"on disk: {disk / max(pool.added, 1) / 1024:.2f} KB per article ({disk / 2**20:.1f} MB)")
    print(
        f"client peak RSS: {peak_rss_mb():.0f} MB; worker memory at the end: "
        + ", ".join(f"{m:.0f} MB" for m in memory)
    )
    print(f"load average after: {os.getloadavg()[0]:.2f} (before: {load_before[0]:.2f})")


if __name__ == "__main__":
    main()
