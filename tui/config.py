"""The dashboard's saved preferences (theme, which panes show) in a TOML file under the config dir.

`$NEWSDESK_CONFIG_DIR` overrides the location (tests use it). Only the `[dashboard]` table is
rewritten; anything else in the file (other tables a user or a later feature keeps there) stays.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

CONFIG_DIR_ENV = "NEWSDESK_CONFIG_DIR"
_TABLE = re.compile(r"^\s*\[([^\]]+)\]\s*$")


def config_path() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser() / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir("newsdesk", appauthor=False)) / "config.toml"


class ConfigError(ValueError):
    """The config file exists but cannot be used: names the file, key and line."""


@dataclass
class DashboardConfig:
    """What the dashboard remembers between runs."""

    theme: str = "textual-dark"
    show_keywords: bool = True
    show_relations: bool = True
    show_timeline: bool = True

    @classmethod
    def load(cls, path: Path | None = None) -> DashboardConfig:
        path = path or config_path()
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from error
        table = data.get("dashboard", {})
        config = cls()
        for field in fields(cls):
            if field.name in table:
                value = table[field.name]
                if not isinstance(value, type(getattr(config, field.name))):
                    expected = type(getattr(config, field.name)).__name__
                    raise ConfigError(f"{path}: dashboard.{field.name} must be a {expected}, not {value!r}")
                setattr(config, field.name, value)
        return config

    def save(self, path: Path | None = None) -> None:
        path = path or config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        kept: list[str] = []
        inside = False
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                match = _TABLE.match(line)
                if match:
                    inside = match.group(1).strip() == "dashboard"
                if not inside:
                    kept.append(line)
        lines = ["[dashboard]"]
        for key, value in asdict(self).items():
            rendered = ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'
            lines.append(f"{key} = {rendered}")
        text = "\n".join([*lines, "", *kept]).rstrip() + "\n"
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
