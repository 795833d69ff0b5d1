"""An analysed dataset's layout and its manifest, the one record of which partitions are complete.

A dataset is a directory (a local path or an fsspec URL: s3://, gs://, file://) holding:

    manifest.json              this module's `Manifest`
    articles/<part>.parquet    ARTICLE_SCHEMA rows (id, title, text, date, url, source, origin, content_hash)
    keywords/<part>.parquet    Analysis.keywords rows (article_id, rank, phrase, score)
    mentions/<part>.parquet    Analysis.mentions rows (article_id + MENTION_STRUCT fields)
    pairs/<part>.parquet       Analysis.pairs rows (article_id + PAIR_STRUCT fields)
    index/<part>.parquet       the filter's word postings for the partition's articles
                               (core.dataset.search_index.build_index of the articles frame as written:
                               term, row = position in articles/<part>.parquet, positions)

A partition's keywords, mentions, pairs and index rows belong to that partition's articles only: the
dashboard reads and codes one partition at a time (core.dataset.held). Articles files are best written
with small row groups (core.dataset.build uses 512 rows) so that opening one article reads little.

A task writes its partition's files itself, under temporary names, then renames them; the partition
becomes visible only when the client commits a manifest naming it. Readers open the files the manifest
lists and never list directories, so a half-written or orphaned file is never read.
"""

from __future__ import annotations

import json
import posixpath
import secrets
from dataclasses import dataclass, field
from typing import Any

import fsspec

FORMAT = "newsdesk-dataset"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
TABLES = ("articles", "keywords", "mentions", "pairs", "index")


class DatasetError(Exception):
    """A path that is not a readable dataset, or one written by an incompatible release."""


@dataclass(frozen=True)
class Partition:
    """One complete slice of the dataset: its file stem and the rows each table holds for it."""

    name: str
    rows: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "rows": dict(self.rows)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Partition:
        return cls(name=str(data["name"]), rows={str(k): int(v) for k, v in data["rows"].items()})


@dataclass
class Manifest:
    """What a dataset holds: engine version, complete partitions, and each table's schema."""

    root: str
    engine_version: str
    partitions: list[Partition] = field(default_factory=list)
    schema: dict[str, dict[str, str]] = field(default_factory=dict)

    def files(self, table: str) -> list[str]:
        """The committed Parquet files of `table`, in partition order."""
        return [partition_path(self.root, table, p.name) for p in self.partitions if p.rows.get(table)]

    def count(self, table: str) -> int:
        return sum(p.rows.get(table, 0) for p in self.partitions)

    def counts(self) -> dict[str, int]:
        return {table: self.count(table) for table in TABLES}

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine_version": self.engine_version,
            "counts": self.counts(),
            "partitions": [p.to_json() for p in self.partitions],
            "schema": self.schema,
        }


def partition_path(root: str, table: str, name: str) -> str:
    return posixpath.join(root.rstrip("/"), table, f"{name}.parquet")


def new_partition_name() -> str:
    """A name no other task picks: partitions are written concurrently by independent workers."""
    return f"part-{secrets.token_hex(8)}"


def is_dataset(root: str) -> bool:
    fs, path = fsspec.core.url_to_fs(root)
    return bool(fs.isfile(posixpath.join(path, MANIFEST_NAME)))


def load_manifest(root: str) -> Manifest:
    """The dataset's manifest; DatasetError naming the path and what is wrong."""
    fs, path = fsspec.core.url_to_fs(root)
    where = posixpath.join(root.rstrip("/"), MANIFEST_NAME)
    try:
        with fs.open(posixpath.join(path, MANIFEST_NAME), "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError as error:
        raise DatasetError(f"{root}: not a newsdesk dataset (no {MANIFEST_NAME})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetError(f"{where}: not valid JSON ({error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DatasetError(f"{where}: not a newsdesk dataset manifest")
    if data.get("format_version") != FORMAT_VERSION:
        raise DatasetError(
            f"{where}: dataset format {data.get('format_version')!r}; this release reads {FORMAT_VERSION}"
        )
    try:
        partitions = [Partition.from_json(p) for p in data["partitions"]]
        return Manifest(
            root=root,
            engine_version=str(data["engine_version"]),
            partitions=partitions,
            schema={str(t): dict(s) for t, s in data.get("schema", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DatasetError(f"{where}: malformed manifest ({error!r})") from error


def commit_manifest(manifest: Manifest) -> None:
    """Replace the manifest in one step: write a temporary file beside it, then move it into place.

    Only the client commits, so there is one writer; readers see the old or the new manifest, whole.
    """
    fs, path = fsspec.core.url_to_fs(manifest.root)
    fs.makedirs(path, exist_ok=True)
    final = posixpath.join(path, MANIFEST_NAME)
    temporary = posixpath.join(path, f".{MANIFEST_NAME}.{secrets.token_hex(4)}.tmp")
    payload = json.dumps(manifest.to_json(), indent=1, sort_keys=True).encode("utf-8")
    with fs.open(temporary, "wb") as handle:
        handle.write(payload)
    fs.mv(temporary, final)
