"""One feed to read, and the rules for its address and default name (shared by settings, OPML and ingest)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class FeedSpec:
    """One feed to read; `full_text` None means "use the run's default"."""

    name: str
    url: str
    full_text: bool | None = None


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a feed (not http(s), no host, spaces), or None when it can."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"must start with http:// or https://, not {url!r}"
    if not parts.hostname or any(c.isspace() for c in url):
        return f"is not a valid web address: {url!r}"
    return None


def same_url(a: str, b: str) -> bool:
    """The same feed address: scheme and host compared case-insensitively, the rest exactly."""
    # Scheme and host are case-insensitive; the path and query are not.
    one, two = (urlsplit(u.strip()) for u in (a, b))
    return (one.scheme.lower(), one.netloc.lower(), one[2:]) == (
        two.scheme.lower(),
        two.netloc.lower(),
        two[2:],
    )


def default_name(url: str) -> str:
    """A feed's name when none is given: its host without `www.`."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
