"""A Dask worker plugin: each worker reads newsdesk's tables and models as it joins the cluster.

Imported only when a cluster is used (it imports `distributed`). Without it a worker pays its
imports and table building (~1.5 s) inside its first task, after the client's scan; with it, while
the client scans, and the tables then leave the garbage collector's walks (see
core.analysis.pipeline.warm_up).
"""

from __future__ import annotations

import contextlib
from typing import Any

from distributed import WorkerPlugin

from core.keywords.batch import DEFAULT_KEYWORD_ENGINE

PLUGIN_NAME = "newsdesk-warm-up"


class WarmUpPlugin(WorkerPlugin):
    """Runs core.analysis.pipeline.warm_up on each worker as it is set up."""

    def __init__(self, engine: str = DEFAULT_KEYWORD_ENGINE) -> None:
        self.engine = engine

    def setup(self, worker: Any) -> None:
        from core.analysis.pipeline import warm_up

        # A fault here (a damaged model file, another release) is met again by the first task,
        # which reports it; a plugin that raised would only stop the worker from joining.
        with contextlib.suppress(Exception):
            warm_up(self.engine)
