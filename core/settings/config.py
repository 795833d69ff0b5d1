"""newsdesk's settings file: which feeds to read, how often, and which folders to watch.

The file is TOML at `$NEWSDESK_CONFIG_DIR/config.toml`, else the user config dir plus
`newsdesk/config.toml` (`~/.config/newsdesk/config.toml` on Linux). It is optional; every key is too.

```toml
refresh_minutes = 30          # how often the dashboard refreshes feeds (at least 1)
full_text = false             # fetch each linked page when a feed entry is only a summary

[[feeds]]                     # one table per feed; `newsdesk feeds add/remove/import` edit these
name = "BBC World"            # optional: defaults to the feed's host name
url = "https://feeds.bbci.co.uk/news/world/rss.xml"
full_text = true              # optional: overrides the top-level full_text for this feed

[watch]
folders = ["~/news/inbox"]    # article files appearing here are added live; relative to this file

[dashboard]                   # written by the dashboard itself (theme, which panes show)
theme = "textual-dark"
```

Precedence, lowest first: built-in defaults (30 minutes, no full text, no feeds, no folders) < the
config file < environment variables (`NEWSDESK_REFRESH_MINUTES`, `NEWSDESK_FULL_TEXT` = 1/0,
true/false, yes/no, on/off; `NEWSDESK_CACHE_DIR` for the cache) < command-line flags
(`--full-text`/`--no-full-text`, `--cache-dir`). A feed's own `full_text` beats the environment and
the top-level default, but not a command-line flag. An empty environment variable counts as unset.

Mistakes are `ConfigError`s naming the file, the line and the key (unknown keys too, with a
"did you mean" hint), so a typo never silently turns a setting off. `feeds add/remove` rewrite the
file through tomlkit, keeping comments and layout, and replace it atomically (temp file + rename).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from core.settings.feedspec import FeedSpec, default_name, same_url, url_problem

CONFIG_DIR_ENV = "NEWSDESK_CONFIG_DIR"
REFRESH_ENV = "NEWSDESK_REFRESH_MINUTES"
FULL_TEXT_ENV = "NEWSDESK_FULL_TEXT"
DEFAULT_REFRESH_MINUTES = 30.0
# Feeds update every few minutes at best; polling faster only burdens their servers.
MIN_REFRESH_MINUTES = 1.0
_KEYS = {
    "": ("refresh_minutes", "full_text", "feeds", "watch", "dashboard"),
    "feeds": ("name", "url", "full_text"),
    "watch": ("folders",),
}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class ConfigError(ValueError):
    """The config file or a setting cannot be used: the message names the file or variable, line and key."""


@dataclass
class NewsdeskConfig:
    """The settings of one run, after defaults, file and environment are combined."""

    feeds: list[FeedSpec] = field(default_factory=list)
    refresh_minutes: float = DEFAULT_REFRESH_MINUTES
    full_text: bool = False
    watch_folders: list[Path] = field(default_factory=list)

    def full_text_for(self, feed: FeedSpec, flag: bool | None = None) -> bool:
        """Whether to fetch `feed`'s linked pages: the flag, else the feed's own setting, else the default."""
        if flag is not None:
            return flag
        return self.full_text if feed.full_text is None else feed.full_text

    def sources(self) -> list[str]:
        """What a run with no PATH reads: every configured feed URL, then every watch folder."""
        return [feed.url for feed in self.feeds] + [str(folder) for folder in self.watch_folders]


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """`$NEWSDESK_CONFIG_DIR/config.toml`, else the platform's user config dir plus `newsdesk/config.toml`."""
    override = (os.environ if env is None else env).get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser() / "config.toml"
    import platformdirs  # imported here: only needed when no directory is given

    return Path(platformdirs.user_config_dir("newsdesk", appauthor=False)) / "config.toml"


def key_line(text: str, key: str | None, table: str | None = None, index: int = 0) -> int | None:
    """1-based line of `key` in `table` (the `index`-th `[[table]]`), else of that table's header.

    tomllib and tomlkit do not report where a value sits, so the source is scanned: headers switch
    the current table and `key =` lines are matched within it. Dotted or quoted table names are not
    followed; the message then simply has no line.
    """
    inside, seen, header = table is None, -1, None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            inside = match.group(2) == table
            if inside and match.group(1) == "[[":
                seen += 1
                inside = seen == index
            header = number if inside else header
        elif inside and key and re.match(rf"""\s*["']?{re.escape(key)}["']?\s*=""", line):
            return number
    return header


def _fail(
    path: Path, text: str, message: str, key: str | None, table: str | None = None, index: int = 0
) -> NoReturn:
    # An inline `feeds = [{...}]` has no [[feeds]] header: point at the `feeds =` line instead.
    line = key_line(text, key, table, index) or (key_line(text, table) if table else None)
    raise ConfigError(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """The file's data, or a ConfigError with the file, line and column of the syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _AT.search(message)
        where = f", line {at.group(1)}, column {at.group(2)}" if at else ""
        raise ConfigError(f"{path}{where}: invalid TOML: {_AT.sub('', message)}") from error


def _check_keys(path: Path, text: str, data: Mapping[str, Any], table: str, index: int = 0) -> None:
    for key in data:
        if key not in _KEYS[table]:
            close = difflib.get_close_matches(key, _KEYS[table], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(_KEYS[table])})"
            where = f"[{table}] " if table else ""
            _fail(path, text, f"unknown {where}key {key!r}{hint}", key, table or None, index)


def _feeds(path: Path, text: str, raw: Any) -> list[FeedSpec]:
    if not isinstance(raw, list):
        _fail(path, text, "feeds must be [[feeds]] tables with a url each", "feeds")
    feeds: list[FeedSpec] = []
    for index, item in enumerate(raw):
        label = f"feed #{index + 1}"
        if not isinstance(item, dict):
            _fail(path, text, f"{label} must be a table with a url", "feeds")
        _check_keys(path, text, item, "feeds", index)
        url, name, full_text = item.get("url"), item.get("name"), item.get("full_text")
        if url is None:
            _fail(path, text, f"{label} has no url", None, "feeds", index)
        if not isinstance(url, str) or (problem := url_problem(url.strip())):
            _fail(path, text, f"{label}: url {problem or 'must be a string'}", "url", "feeds", index)
        if name is not None and (not isinstance(name, str) or not name.strip()):
            _fail(path, text, f"{label}: name must be a non-empty string", "name", "feeds", index)
        if full_text is not None and not isinstance(full_text, bool):
            _fail(path, text, f"{label}: full_text must be true or false", "full_text", "feeds", index)
        for earlier, feed in enumerate(feeds):
            if same_url(feed.url, url):
                first = key_line(text, "url", "feeds", earlier)
                also = f" (first at line {first})" if first else f" (also feed #{earlier + 1})"
                message = f"{label}: url {url} is listed twice{also}"
                _fail(path, text, message, "url", "feeds", index)
        feeds.append(FeedSpec(name.strip() if name else default_name(url), url.strip(), full_text))
    return feeds


def parse_config(text: str, path: Path) -> NewsdeskConfig:
    """The settings in a config file's `text` (defaults for what it leaves out); `path` is for messages."""
    data = parse_toml(text, path)
    _check_keys(path, text, data, "")
    config = NewsdeskConfig()
    refresh = data.get("refresh_minutes", DEFAULT_REFRESH_MINUTES)
    if isinstance(refresh, bool) or not isinstance(refresh, int | float):
        _fail(path, text, f"refresh_minutes must be a number, not {refresh!r}", "refresh_minutes")
    if refresh < MIN_REFRESH_MINUTES:
        _fail(path, text, f"refresh_minutes must be at least {MIN_REFRESH_MINUTES:g}", "refresh_minutes")
    config.refresh_minutes = float(refresh)
    full_text = data.get("full_text", False)
    if not isinstance(full_text, bool):
        _fail(path, text, f"full_text must be true or false, not {full_text!r}", "full_text")
    config.full_text = full_text
    config.feeds = _feeds(path, text, data.get("feeds", []))
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        _fail(path, text, "watch must be a table: [watch] folders = [...]", "watch")
    _check_keys(path, text, watch, "watch")
    folders = watch.get("folders", [])
    if not isinstance(folders, list) or not all(isinstance(f, str) and f.strip() for f in folders):
        _fail(path, text, "[watch] folders must be a list of folder names", "folders", "watch")
    # Relative folders are relative to the config file, not to wherever newsdesk happens to start.
    config.watch_folders = [path.parent / Path(f).expanduser() for f in folders]
    if not isinstance(data.get("dashboard", {}), dict):
        _fail(path, text, "dashboard must be a table", "dashboard")
    return config


def apply_env(config: NewsdeskConfig, env: Mapping[str, str]) -> NewsdeskConfig:
    """`config` with the NEWSDESK_* environment variables applied; a bad value names its variable."""
    changes: dict[str, Any] = {}
    if refresh := env.get(REFRESH_ENV, "").strip():
        try:
            minutes = float(refresh)
        except ValueError:
            raise ConfigError(f"{REFRESH_ENV}={refresh!r}: must be a number of minutes") from None
        if not minutes >= MIN_REFRESH_MINUTES:  # also rejects nan
            raise ConfigError(f"{REFRESH_ENV}={refresh!r}: must be at least {MIN_REFRESH_MINUTES:g}")
        changes["refresh_minutes"] = minutes
    if full_text := env.get(FULL_TEXT_ENV, "").strip():
        if full_text.lower() not in _TRUE | _FALSE:
            raise ConfigError(f"{FULL_TEXT_ENV}={full_text!r}: must be 1/0, true/false, yes/no or on/off")
        changes["full_text"] = full_text.lower() in _TRUE
    return dataclasses.replace(config, **changes)


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> NewsdeskConfig:
    """Defaults, overridden by the config file (if there is one), overridden by the environment."""
    env = os.environ if env is None else env
    path = path or config_path(env)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return apply_env(NewsdeskConfig(), env)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from error
    return apply_env(parse_config(text, path), env)
