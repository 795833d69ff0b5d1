"""Analysing a corpus: the per-article pipeline, the result cache, worker processes, the frames."""
