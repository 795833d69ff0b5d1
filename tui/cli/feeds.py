"""The `newsdesk feeds ...` subcommand: add, list, remove, import and export the configured feeds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.settings.config import ConfigError, NewsdeskConfig, config_path
from core.settings.edit import add_feed, add_feeds, remove_feed
from core.settings.feedspec import FeedSpec
from tui.cli.common import PROG, CliError, CliParser, user_config


def feeds_parser() -> argparse.ArgumentParser:
    feeds = CliParser(
        prog=f"{PROG} feeds",
        description="Edit the feeds newsdesk reads when given no PATH. Changes keep the config file's "
        "comments and layout and are written atomically.",
        epilog=f"config file: {config_path()}",
    )
    actions = feeds.add_subparsers(dest="action", required=True, metavar="COMMAND")
    add = actions.add_parser("add", help="add a feed", description="Add a feed to the config file.")
    add.add_argument("url", metavar="URL", help="the feed's http(s) address (RSS or Atom)")
    add.add_argument("--name", metavar="NAME", help="what to call it (default: the URL's host)")
    add.add_argument(
        "--full-text",
        action=argparse.BooleanOptionalAction,
        help="always (or, with --no-full-text, never) fetch each entry's linked page for this feed "
        "(default: the config file's top-level full_text)",
    )
    listing = actions.add_parser("list", help="list the feeds", description="List the configured feeds.")
    listing.add_argument(
        "--format",
        "-f",
        choices=("text", "jsonl"),
        default="text",
        help="text: name, url and full-text setting per line; jsonl: one {name, url, full_text} "
        "object per line (default: text)",
    )
    remove = actions.add_parser("remove", help="remove a feed", description="Remove a feed from the config.")
    remove.add_argument(
        "feed", metavar="NAME_OR_URL", help="the feed's URL or its name (as `feeds list` shows)"
    )
    imports = actions.add_parser(
        "import",
        help="add every feed of an OPML file",
        description="Add every feed listed in an OPML file that is not configured already.",
    )
    imports.add_argument("file", type=Path, metavar="FILE.opml", help="an OPML export from a feed reader")
    export = actions.add_parser(
        "export", help="write the feeds as OPML", description="Write the configured feeds as OPML 2.0."
    )
    export.add_argument("file", type=Path, nargs="?", metavar="FILE", help="write here (default: stdout)")
    return feeds


def run_feeds(args: argparse.Namespace) -> int:
    """`newsdesk feeds ACTION`: changes go through core.settings.edit, which keeps the file's comments."""
    from core.ingest.opml import OpmlError, read_opml, write_opml

    try:
        if args.action == "add":
            spec = add_feed(args.url, name=args.name, full_text=args.full_text)
            print(f"added {spec.name!r} ({spec.url}) to {config_path()}")
        elif args.action == "remove":
            spec = remove_feed(args.feed)
            print(f"removed {spec.name!r} ({spec.url}) from {config_path()}")
        elif args.action == "list":
            _list_feeds(user_config(), args.format)
        elif args.action == "import":
            added, skipped = add_feeds(read_opml(args.file))
            for spec, why in skipped:
                print(f"{PROG}: skipped {spec.url}: {why}", file=sys.stderr)
            print(f"added {len(added)} feed{'s' * (len(added) != 1)}, skipped {len(skipped)}")
        elif args.action == "export":
            text = write_opml(user_config().feeds, args.file)
            if args.file is None:
                sys.stdout.write(text)
            else:
                print(f"wrote {len(user_config().feeds)} feeds to {args.file}")
    except (ConfigError, OpmlError) as error:
        raise CliError(str(error)) from error
    except OSError as error:
        raise CliError(f"{error.filename or config_path()}: {error.strerror or error}") from error
    return 0


def _list_feeds(config: NewsdeskConfig, form: str) -> None:
    if not config.feeds and form == "text":
        print(f"{PROG}: no feeds configured (add one: newsdesk feeds add URL)", file=sys.stderr)
    width = max((len(feed.name) for feed in config.feeds), default=0)
    for feed in config.feeds:
        if form == "jsonl":
            print(json.dumps({"name": feed.name, "url": feed.url, "full_text": feed.full_text}))
        else:
            setting = _full_text_label(feed)
            print(f"{feed.name:<{width}}  {feed.url}{setting}")


def _full_text_label(feed: FeedSpec) -> str:
    return {None: "", True: "  (full text)", False: "  (summaries only)"}[feed.full_text]
