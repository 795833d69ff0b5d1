"""Analysis results persisted as Parquet, keyed by article content hash and engine key.

Layout: `<cache_dir>/results-v<engine key>/part-*.parquet` (the engine version and a digest of the
data files, `core.schema.engine_key`: an edited rules file is a new key), one file per write, each
written to a temporary name and renamed into place so a crash never leaves a half-written part that
looks whole.
A part that fails to read is reported, removed and its articles analysed again.

Several runs may share a cache. Writes (and compaction) hold the folder's exclusive lock and first
read the hashes of parts other runs stored since this one looked (only that column, only those new
parts), so a result is stored once however many runs computed it; lookups hold the shared lock so
a compaction never removes a part while it is read. A cache that cannot be written (a file where
the folder should be, no permission, a full disk) costs speed, never the results: `check_writable`
says so up front in one line, and a failed write is one problem line, its temporary file removed,
after which this cache stores nothing more.

Each data edit or release makes a new key, so folders of other keys pile up: `check_writable`
marks this key's folder as used now and removes other keys' folders unused for
`STALE_AFTER_DAYS` (a folder another run holds locked is left alone).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core.analysis.file_lock import folder_lock, folder_lock_if_free
from core.paths import default_cache_dir
from core.schema import RESULT_SCHEMA, engine_key

# Above this many part files, a lookup merges them into one so opening a corpus stays fast.
COMPACT_AFTER_PARTS = 32
# Another key's results folder not used for this long is removed (results of an old release or of
# data files since edited; a folder's modification time is its last use).
STALE_AFTER_DAYS = 30


@dataclass
class CacheReport:
    """What a lookup found: hits, and any damaged files it removed (with why)."""

    hits: int = 0
    misses: int = 0
    problems: list[str] = field(default_factory=list)


class ResultCache:
    """Read and write per-article analysis rows (see core.schema.RESULT_SCHEMA)."""

    def __init__(self, root: Path | str | None = None, engine_version: str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.engine_version = engine_version or engine_key()
        self.report = CacheReport()
        # Why nothing more is stored (one line naming the path and the problem), once a write failed.
        self.unwritable: str | None = None
        # Parts whose hashes this cache has already seen (read by a lookup, or written here).
        self._known_parts: set[str] = set()

    @property
    def folder(self) -> Path:
        return self.root / f"results-v{self.engine_version}"

    def check_writable(self) -> str | None:
        """None when results can be stored; else why not, in one line naming the path (storing is off).

        Creates the folder and a probe file in it, so a run learns before the analysis, not after.
        """
        if self.unwritable is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                probe = self.folder / f".probe-{uuid.uuid4().hex}.tmp"
                os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                probe.unlink()
                os.utime(self.folder)  # used now: never stale while this key is in use
            except OSError as error:
                self._give_up(error, "cannot be used")
            else:
                self.prune_stale()
        return self.unwritable

    def prune_stale(self, now: float | None = None) -> list[Path]:
        """Remove other keys' results folders unused for STALE_AFTER_DAYS; return what was removed.
        Best effort: a folder that is locked or cannot be removed stays."""
        cutoff = (time.time() if now is None else now) - STALE_AFTER_DAYS * 86400
        removed = []
        for other in self.root.glob("results-v*"):
            if other == self.folder or not other.is_dir() or other.is_symlink():
                continue
            with contextlib.suppress(OSError):
                if other.stat().st_mtime >= cutoff:
                    continue
                with folder_lock_if_free(other) as free:
                    if not free:
                        continue
                    shutil.rmtree(other)
                    removed.append(other)
                other.with_name(f"{other.name}.lock").unlink(missing_ok=True)
        return removed

    def _give_up(self, error: OSError, what: str) -> None:
        # A file standing where a folder should be gives "File exists" or "Not a directory": name it.
        blocker = next((p for p in (self.folder, *self.folder.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            reason = f"{blocker} is a file, not a folder"
        else:
            reason = f"{error.strerror or error}"
            if error.filename:
                reason = f"{error.filename}: {reason}"
        self.unwritable = f"cache folder {self.folder} {what} ({reason}); results are not cached"
        self.report.problems.append(self.unwritable)

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
        except FileNotFoundError:
            return None  # compacted away by another run between listing and reading (no lock here)
        except Exception as error:  # a damaged Parquet file raises several unrelated error types
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.report.problems.append(f"cache file {part} is damaged ({reason}); removed, will re-analyse")
            with contextlib.suppress(OSError):  # a read-only cache: the part stays, skipped each time
                part.unlink(missing_ok=True)
            return None

    def lookup(self, content_hashes: Collection[str]) -> pl.DataFrame:
        """Cached rows for these hashes (one per hash); damaged parts are reported and removed."""
        read: list[tuple[Path, pl.DataFrame]] = []
        if self.folder.is_dir():
            with folder_lock(self.folder, exclusive=False):
                for part in self._parts():
                    frame = self._read_part(part)
                    if frame is not None:
                        read.append((part, frame))
        self._known_parts.update(part.name for part, _ in read)
        frames = [frame for _, frame in read]
        if not frames:
            found = pl.DataFrame(schema=RESULT_SCHEMA)
        else:
            if len(frames) > COMPACT_AFTER_PARTS:
                self._compact(read)
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
        """Write the rows no run has stored yet as a new part, atomically (temp file, then rename).

        An OSError (no space, no permission…) becomes one line in `report.problems`; nothing is
        raised, and later calls store nothing.
        """
        if rows.is_empty() or self.unwritable is not None:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with folder_lock(self.folder, exclusive=True):
                fresh = rows.join(self._stored_by_others(), on="content_hash", how="anti")
                return self._write_part(fresh) if fresh.height else None
        except OSError as error:
            self._give_up(error, "could not be written")
            return None

    def _stored_by_others(self) -> pl.DataFrame:
        """Hashes in parts this cache has not seen (written by another run since our lookup)."""
        hashes: list[pl.DataFrame] = []
        for part in self._parts():
            if part.name in self._known_parts:
                continue
            try:
                hashes.append(pl.read_parquet(part, columns=["content_hash"]))
            except Exception:  # damaged or gone: the next lookup reports it; we store our rows
                continue
            self._known_parts.add(part.name)
        return pl.concat(hashes) if hashes else pl.DataFrame(schema={"content_hash": pl.String})

    def _write_part(self, rows: pl.DataFrame) -> Path:
        """Write a part under the lock the caller holds; the temporary file never outlives a failure."""
        name = f"part-{uuid.uuid4().hex}.parquet"
        temporary = self.folder / f".{name}.tmp"
        final = self.folder / name
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                # Serialised in memory first: Polars wraps a write error (ENOSPC) in its own
                # exception type, while a plain write raises OSError with the errno.
                buffer = io.BytesIO()
                rows.select(list(RESULT_SCHEMA)).write_parquet(buffer)
                handle.write(buffer.getbuffer())
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        self._known_parts.add(name)
        return final

    def _compact(self, read: list[tuple[Path, pl.DataFrame]]) -> None:
        """Merge the parts a lookup read into one, unless another run changed them meanwhile."""
        if self.check_writable() is not None:
            return
        try:
            with folder_lock(self.folder, exclusive=True):
                if not all(part.exists() for part, _ in read):
                    return  # another run compacted them first
                merged = pl.concat([frame for _, frame in read], how="vertical").unique(
                    "content_hash", keep="last", maintain_order=True
                )
                self._write_part(merged)
                for part, _ in read:
                    part.unlink(missing_ok=True)
        except OSError as error:
            self._give_up(error, "could not be compacted")

    def clear(self) -> None:
        """Remove every cached result of this engine version."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._known_parts.clear()
