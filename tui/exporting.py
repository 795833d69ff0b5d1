"""Exporting the filtered set (articles, corpus keywords, relations with evidence) from the palette.

A mixin for NewsdeskApp: a prompt for the file name, then a worker writes the three files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from core.export import article_records, write_frame
from core.view import Corpus, CorpusView
from tui.messages import ExportWritten, LoadFailed
from tui.screens.export import ExportScreen

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


class Exporting:
    """`action_export(fmt)`: NAME-articles, NAME-keywords and NAME-relations in CSV, JSON or Parquet."""

    def action_export(self: NewsdeskApp, fmt: str) -> None:
        default = f"newsdesk-{date.today().isoformat()}"
        self.push_screen(ExportScreen(fmt, default), lambda name: self._export_named(name, fmt))

    def _export_named(self: NewsdeskApp, name: str | None, fmt: str) -> None:
        if name and self.corpus is not None and self.view is not None:
            self.export_view(self.corpus, self.view, Path(name), fmt)

    @work(thread=True, group="export")
    def export_view(self: NewsdeskApp, corpus: Corpus, view: CorpusView, base: Path, fmt: str) -> None:
        try:
            ids = view.articles.get_column("id")
            outputs = {
                "articles": article_records(corpus.analysis, top=10, article_ids=ids),
                "keywords": view.keywords,
                "relations": corpus.relations(view.subset),
            }
            written = []
            for label, frame in outputs.items():
                path = base.with_name(f"{base.name}-{label}.{fmt}")
                write_frame(frame, fmt, path)  # type: ignore[arg-type]
                written.append(str(path))
            self.post_message(ExportWritten(written))
        except (OSError, ValueError) as error:
            self.post_message(LoadFailed(f"export failed: {error}"))

    def on_export_written(self: NewsdeskApp, message: ExportWritten) -> None:
        self.notify("Exported " + ", ".join(message.paths), timeout=8)
