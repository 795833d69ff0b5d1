"""What every `newsdesk` subcommand shares: its name, its one-line error and parser, and config loading."""

from __future__ import annotations

import argparse
from typing import NoReturn

from core.settings.config import ConfigError, NewsdeskConfig, load_config

PROG = "newsdesk"


class CliError(Exception):
    """An unusable request or input: reported as one line, exit status 2 (or 1 for no articles)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class CliParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line and exit status 2, like every other newsdesk error."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see: {self.prog} --help)")


def user_config() -> NewsdeskConfig:
    try:
        return load_config()
    except ConfigError as error:
        raise CliError(str(error)) from error
