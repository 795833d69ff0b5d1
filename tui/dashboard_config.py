"""The dashboard's saved preferences (theme, which panes show): the `[dashboard]` table of the config file.

The file and its location are described in core.settings.config (`$NEWSDESK_CONFIG_DIR` overrides the
location; tests use it). Saving rewrites only the `[dashboard]` values through tomlkit, so the
user's comments, feeds and other tables stay exactly as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from core.atomic import write_atomically
from core.settings.config import CONFIG_DIR_ENV, ConfigError, config_path, key_line, parse_toml

__all__ = ["CONFIG_DIR_ENV", "ConfigError", "DashboardConfig", "config_path"]


@dataclass
class DashboardConfig:
    """What the dashboard remembers between runs."""

    theme: str = "textual-dark"
    show_keywords: bool = True
    show_relations: bool = True
    show_timeline: bool = True

    @classmethod
    def load(cls, path: Path | None = None) -> DashboardConfig:
        """The saved preferences, defaults for any not saved; a wrong type names the file, line and key."""
        path = path or config_path()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from error
        table = parse_toml(text, path).get("dashboard", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}, line {key_line(text, 'dashboard')}: dashboard must be a table")
        config = cls()
        for field in fields(cls):
            if field.name in table:
                value, default = table[field.name], getattr(config, field.name)
                if not isinstance(value, type(default)):
                    line = key_line(text, field.name, "dashboard")
                    expected = "true or false" if isinstance(default, bool) else f"a {type(default).__name__}"
                    raise ConfigError(
                        f"{path}, line {line}: dashboard.{field.name} must be {expected}, not {value!r}"
                    )
                setattr(config, field.name, value)
        return config

    def save(self, path: Path | None = None) -> None:
        """Write these preferences into the `[dashboard]` table, atomically, keeping everything else."""
        import tomlkit
        from tomlkit.exceptions import ParseError

        path = path or config_path()
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        try:
            document = tomlkit.parse(text)
        except ParseError as error:
            # Never overwrite a file the user is midway through editing; say where it is broken.
            raise ConfigError(f"{path}, line {error.line}, column {error.col}: invalid TOML") from error
        table = document.get("dashboard")
        if not isinstance(table, dict):
            table = tomlkit.table()
            document["dashboard"] = table
        for key, value in asdict(self).items():
            table[key] = value  # assigning in place keeps any comment on the line
        write_atomically(path, document.as_string())
