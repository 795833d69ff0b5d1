"""Analysis results persisted as Parquet, keyed by article content hash and engine version.

Layout: `<cache_dir>/results-v<ENGINE_VERSION>/part-*.parquet`, one file per write, each written to a
temporary name and renamed into place so a crash never leaves a half-written part that looks whole.
A part that fails to read is reported, removed and its articles analysed again.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core.paths import default_cache_dir
from core.schema import ENGINE_VERSION, RESULT_SCHEMA

# Above this many part files, a lookup merges them into one so opening a corpus stays fast.
COMPACT_AFTER_PARTS = 32


@dataclass
class CacheReport:
    """What a lookup found: hits, and any damaged files it removed (with why)."""

    hits: int = 0
    misses: int = 0
    problems: list[str] = field(default_factory=list)


class ResultCache:
    """Read and write per-article analysis rows (see core.schema.RESULT_SCHEMA)."""

    def __init__(self, root: Path | str | None = None, engine_version: str = ENGINE_VERSION) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.engine_version = engine_version
        self.report = CacheReport()

    @property
    def folder(self) -> Path:
        return self.root / f"results-v{self.engine_version}"

    def _parts(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("part-*.parquet") if p.is_file())

    def _read_part(self, part: Path) -> pl.DataFrame | None:
        try:
            frame = pl.read_parquet(part)
            if dict(frame.schema) != RESULT_SCHEMA:
                raise ValueError("unexpected columns or types")
            return frame
        except Exception as error:  # a damaged Parquet file raises several unrelated error types
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.report.problems.append(f"cache file {part} is damaged ({reason}); removed, will re-analyse")
            part.unlink(missing_ok=True)
            return None

    def lookup(self, content_hashes: Collection[str]) -> pl.DataFrame:
        """Cached rows for these hashes (one per hash); damaged parts are reported and removed."""
        frames = [f for f in (self._read_part(p) for p in self._parts()) if f is not None]
        if not frames:
            found = pl.DataFrame(schema=RESULT_SCHEMA)
        else:
            if len(frames) > COMPACT_AFTER_PARTS:
                self._compact(frames)
            wanted = pl.Series("content_hash", list(content_hashes), dtype=pl.String)
            found = (
                pl.concat(frames, how="vertical")
                .filter(pl.col("content_hash").is_in(wanted.implode()))
                .unique("content_hash", keep="last", maintain_order=True)
            )
        self.report.hits += found.height
        self.report.misses += len(set(content_hashes)) - found.height
        return found

    def store(self, rows: pl.DataFrame) -> Path | None:
        """Write rows as a new part, atomically (temp file, then rename)."""
        if rows.is_empty():
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{uuid.uuid4().hex}.parquet"
        temporary = self.folder / f".{name}.tmp"
        rows.select(list(RESULT_SCHEMA)).write_parquet(temporary)
        final = self.folder / name
        os.replace(temporary, final)
        return final

    def _compact(self, frames: list[pl.DataFrame]) -> None:
        old = self._parts()
        merged = pl.concat(frames, how="vertical").unique("content_hash", keep="last", maintain_order=True)
        self.store(merged)
        for part in old:
            part.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every cached result of this engine version."""
        shutil.rmtree(self.folder, ignore_errors=True)
