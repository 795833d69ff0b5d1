"""Editing the config file's feed list through tomlkit, keeping its comments and layout (`newsdesk feeds`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.atomic import write_atomically
from core.settings.config import ConfigError, NewsdeskConfig, config_path, load_config
from core.settings.feedspec import FeedSpec, default_name, same_url, url_problem

STARTER = "# newsdesk settings: see `newsdesk feeds --help` and the README.\n\n"


def _edit(path: Path | None) -> tuple[Path, Any, NewsdeskConfig]:
    """The config path, its tomlkit document and its validated settings, ready to change."""
    import tomlkit  # imported here: only the editing commands need it

    path = path or config_path()
    config = load_config(path, env={})  # refuse to edit a file we cannot read back
    text = path.read_text(encoding="utf-8") if path.exists() else STARTER
    return path, tomlkit.parse(text), config


def add_feeds(
    specs: Sequence[FeedSpec], path: Path | None = None
) -> tuple[list[FeedSpec], list[tuple[FeedSpec, str]]]:
    """Append the feeds not yet configured, in one write; returns (added, [(skipped, why)])."""
    import tomlkit
    from tomlkit.items import AoT

    path, document, config = _edit(path)
    added: list[FeedSpec] = []
    skipped: list[tuple[FeedSpec, str]] = []
    for spec in specs:
        spec = FeedSpec(spec.name.strip() or default_name(spec.url), spec.url.strip(), spec.full_text)
        if problem := url_problem(spec.url):
            skipped.append((spec, f"url {problem}"))
        elif any(same_url(spec.url, known.url) for known in [*config.feeds, *added]):
            skipped.append((spec, "already configured"))
        else:
            added.append(spec)
    if not added:
        return added, skipped
    feeds = document.get("feeds")
    if feeds is None:
        feeds = tomlkit.aot()
        document.append("feeds", feeds)
    for spec in added:
        entry = tomlkit.table() if isinstance(feeds, AoT) else tomlkit.inline_table()
        entry.update({"name": spec.name, "url": spec.url})
        if spec.full_text is not None:
            entry["full_text"] = spec.full_text
        if isinstance(feeds, AoT):
            entry.add(tomlkit.nl())  # a blank line before whatever table follows
        feeds.append(entry)
    write_atomically(path, document.as_string())
    return added, skipped


def add_feed(
    url: str, name: str | None = None, full_text: bool | None = None, path: Path | None = None
) -> FeedSpec:
    """Add one feed (named after its host unless `name` is given); a bad or duplicate URL is an error."""
    spec = FeedSpec(name or default_name(url), url, full_text)
    added, skipped = add_feeds([spec], path)
    if skipped:
        raise ConfigError(f"{path or config_path()}: cannot add {url}: {skipped[0][1]}")
    return added[0]


def remove_feed(name_or_url: str, path: Path | None = None) -> FeedSpec:
    """Remove the feed with this URL, else with this name; unknown or ambiguous names are errors."""
    path, document, config = _edit(path)
    wanted = name_or_url.strip()
    matches = [i for i, f in enumerate(config.feeds) if same_url(f.url, wanted)]
    matches = matches or [i for i, f in enumerate(config.feeds) if f.name == wanted]
    matches = matches or [i for i, f in enumerate(config.feeds) if f.name.casefold() == wanted.casefold()]
    if not matches:
        known = ", ".join(repr(f.name) for f in config.feeds) or "none"
        raise ConfigError(f"{path}: no feed named or with url {wanted!r} (configured: {known})")
    if len(matches) > 1:
        urls = ", ".join(config.feeds[i].url for i in matches)
        raise ConfigError(f"{path}: {len(matches)} feeds are named {wanted!r}; give the url instead: {urls}")
    if len(config.feeds) == 1:
        del document["feeds"]  # tomlkit would leave a stray `feeds = []` at the top of the file
    else:
        del document["feeds"][matches[0]]
    write_atomically(path, document.as_string())
    return config.feeds[matches[0]]
