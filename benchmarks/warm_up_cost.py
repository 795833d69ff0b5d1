"""What every analysis process pays before its first article: core.analysis.pipeline.warm_up, by loader.

Each figure is CPU time (time.process_time) in a fresh Python process, since the tables and models
are read once per process; the best of --runs processes is printed, loader by loader, in the order
warm_up meets them ("rest" is what warm_up still does once they are loaded), with the garbage
collector paused in both checkouts so that each figure is the loader's own work; then "warm_up, one
call": warm_up alone in another fresh process, as each checkout runs it (collector and all): what a
worker pays after its imports, the headline figure. With --baseline DIR
(another checkout, e.g. `git worktree add /tmp/wu-base main`), the same child runs with DIR's code
first on the import path, in the same run, and the ratios are printed beside.

    uv run python benchmarks/warm_up_cost.py --runs 7 --baseline /tmp/wu-base
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, module, function): each called with no arguments, in this order, in the child.
LOADERS = (
    ("gazetteer", "core.countries.gazetteer", "gazetteer"),
    ("entity model", "core.entities.model", "load_model"),
    ("actors", "core.relations.actors", "load_actors"),
    ("pos model", "core.text.pos", "load_pos_model"),
    ("verb dictionary", "core.relations.cameo", "load_verb_dictionary"),
    ("event rules", "core.relations.event_coder", "load_rules"),
)


def child_whole() -> None:
    """Time warm_up in one call in a fresh process (what a worker pays); print JSON."""
    import importlib

    pipeline = importlib.import_module("core.analysis.pipeline")
    start = time.process_time()
    pipeline.warm_up("polars")
    figures = {"warm_up, one call": time.process_time() - start}
    print(json.dumps({"figures": figures, "core": str(Path(pipeline.__file__).resolve().parents[2])}))


def child() -> None:
    """Time one fresh process: the import, each loader, then warm_up itself; print JSON."""
    import importlib

    clock = time.process_time
    start = clock()
    pipeline = importlib.import_module("core.analysis.pipeline")
    figures = {"import pipeline": clock() - start}
    # The collector's automatic passes land in whichever loader happens to allocate past its
    # threshold: paused, each loader's figure is its own work (warm_up pauses it too, since this
    # branch; its one collection at the end is in "rest of warm_up").
    gc.disable()
    for label, module, name in LOADERS:
        loader = getattr(importlib.import_module(module), name)
        start = clock()
        loader()
        figures[label] = clock() - start
    start = clock()
    pipeline.warm_up("polars")
    figures["rest of warm_up"] = clock() - start
    figures["loaders + rest"] = sum(v for k, v in figures.items() if k != "import pipeline")
    print(json.dumps({"figures": figures, "core": str(Path(pipeline.__file__).resolve().parents[2])}))


def measure(checkout: Path, runs: int) -> dict[str, float]:
    """Best of `runs` fresh processes, figure by figure, with `checkout` first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    best: dict[str, float] = {}
    for _ in range(runs):
        for mode in ("--child", "--child-whole"):
            out = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), mode],
                cwd=checkout,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            if Path(result["core"]) != checkout.resolve():
                raise SystemExit(f"the child imported core from {result['core']}, not {checkout}")
            for label, value in result["figures"].items():
                best[label] = min(best.get(label, value), value)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per checkout (best of)")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure in the same run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-whole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    if args.child_whole:
        child_whole()
        return
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Interleaved rounds, so both checkouts see the same machine load.
    this: dict[str, float] = {}
    base: dict[str, float] = {}
    for _ in range(args.runs):
        for checkout, into in ((ROOT, this), (args.baseline, base)):
            if checkout is None:
                continue
            for label, value in measure(checkout, 1).items():
                into[label] = min(into.get(label, value), value)
    print(f"CPU seconds, best of {args.runs} fresh processes (time.process_time)")
    if not base:
        for label, value in this.items():
            print(f"  {label:<18} {value:7.3f}")
        return
    print(f"  {'':<18} {'this':>7} {'baseline':>9} {'ratio':>6}")
    for label, value in this.items():
        ratio = value / base[label] if base[label] else float("nan")
        print(f"  {label:<18} {value:7.3f} {base[label]:9.3f} {ratio:6.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
