"""CPU per broad key of the keyword and entity sums: rows picked in blocks vs. the mask expanded over rows.

One process reads a dataset into a DatasetSession, then for the first letters of words that
make the slowest keys (each keeps or drops a third to two thirds of the articles) sums the
smaller side's cells two ways and checks they agree bit for bit:

- baseline: the mask expanded over every row (`np.repeat`), the rows picked, `bincount`, and the
  (key, value) counts multiplied by the weight tables in floats (what the panes did before);
- now: `_Grid.sums`, i.e. `_Blocks` (whole blocks picked per article where that pays) and the
  product in integers.

CPU time (thread and process, best of 5; "now" first, and a pause after the baseline, whose
float product wakes OpenBLAS threads that spin on and would bill "now") is what is compared:
this machine is shared, and wall time moves with the load far more than CPU time does.

Run: uv run python benchmarks/pick_blocks.py --dataset DIR
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

KEYS = ["go", "en", "ke", "pa", "el", "mo", "ir", "gov"]


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    args = parser.parse_args()

    from core.corpus.query import parse_query
    from core.dataset.corpus import DatasetCorpus
    from core.dataset.session import DatasetSession

    session = DatasetSession(args.dataset)
    for part in session.analyse(session.load().articles):
        session.add(part)
    corpus, _ = session.corpus()
    assert isinstance(corpus, DatasetCorpus)
    print("load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg()))
    tables = {
        "keywords": (corpus.keywords.aggregates._grid, corpus.keywords.aggregates.rows.lengths),
        "entities": (corpus.entities.aggregates._grid, corpus.entities.aggregates.rows.lengths),
    }
    totals = {"baseline": 0.0, "now": 0.0}
    process_totals = {"baseline": 0.0, "now": 0.0}
    for name, (grid, lengths) in tables.items():
        assert grid is not None, f"{name}: not counted in cells on this dataset"
        held = grid.cells.grid.reshape(-1)
        cells = held[held != grid.keys * grid.values]  # the rows' cells in article order, no pads
        weights = grid.tables.astype(np.float64)
        for key in KEYS:
            mask = corpus.index.matching_mask(parse_query(key))
            assert mask is not None
            kept = mask.to_numpy()
            arts = kept if kept.mean() <= 0.5 else ~kept  # the smaller side, as Reuse picks it
            best = {"baseline": (np.inf, np.inf), "now": (np.inf, np.inf)}
            for _ in range(5):
                cpu, began = _process_cpu(), time.thread_time()
                now = grid.sums(arts)
                spent = (time.thread_time() - began, _process_cpu() - cpu)
                best["now"] = min(best["now"], spent)
            for _ in range(5):
                cpu, began = _process_cpu(), time.thread_time()
                counts = np.bincount(cells[np.repeat(arts, lengths)], minlength=grid.keys * grid.values)
                before = counts.reshape(grid.keys, grid.values).astype(np.float64) @ weights
                spent = (time.thread_time() - began, _process_cpu() - cpu)
                best["baseline"] = min(best["baseline"], spent)
            # OpenBLAS's threads spin on after a product: let them stop before the next key's "now".
            time.sleep(0.5)
            assert all(np.array_equal(before[:, i], now[i]) for i in range(len(now)))
            for way, (thread, process) in best.items():
                totals[way] += thread
                process_totals[way] += process
            (base_thread, base_process), (now_thread, now_process) = best["baseline"], best["now"]
            print(
                f"{name:8} {key!r:6} {arts.mean():.0%} of articles summed: "
                f"baseline {base_thread * 1000:5.1f} ms thread / {base_process * 1000:5.1f} ms process, "
                f"now {now_thread * 1000:5.1f} / {now_process * 1000:5.1f} ms "
                f"(block width {grid.cells.width})"
            )
    print(
        f"sum of thread CPU: baseline {totals['baseline'] * 1000:.0f} ms, now {totals['now'] * 1000:.0f} ms "
        f"({totals['now'] / totals['baseline']:.2f}x); of process CPU: baseline "
        f"{process_totals['baseline'] * 1000:.0f} ms, now {process_totals['now'] * 1000:.0f} ms "
        f"({process_totals['now'] / process_totals['baseline']:.2f}x)"
    )
    print("load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
