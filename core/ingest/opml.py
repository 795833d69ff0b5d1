"""OPML subscription lists in and out, so feeds move between newsdesk and any feed reader.

Reading takes every `<outline>` with an `xmlUrl`, however deeply nested in categories, named by its
`title` (else `text`, else the feed's host); a URL listed twice is kept once. URLs are returned as
written: callers decide what to do with a non-web one (`feeds import` skips it with a reason).
Documents are parsed with defusedxml, so entity bombs and external entities are refused before
any expansion. Writing produces OPML 2.0; a feed's `full_text` travels in a `newsdesk:` attribute
that other readers ignore.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.atomic import write_atomically
from core.ingest.regular_files import InputFileError, read_regular_file
from core.settings.feedspec import FeedSpec, default_name

# A URN, not a URL: namespace names need not resolve and we own no domain to put here.
NAMESPACE = "urn:newsdesk:opml"
_FULL_TEXT = f"{{{NAMESPACE}}}fullText"
# XML 1.0 cannot carry these characters even escaped (controls, lone surrogates); only broken input has them.
_ILLEGAL = {c: None for c in [*range(0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF] if c not in (9, 10, 13)}


class OpmlError(ValueError):
    """An OPML file that cannot be read: malformed, hostile, or listing no feeds; names the file.

    `str()` is the whole line ("NAME, line 2, column 5: malformed XML: …"); `name`, `location` and
    `reason` are its parts, for a load report that prints the file and the place itself.
    """

    def __init__(self, name: str, reason: str, location: str | None = None) -> None:
        super().__init__(f"{name}, {location}: {reason}" if location else f"{name}: {reason}")
        self.name = name
        self.reason = reason
        self.location = location


def read_opml(path: Path) -> list[FeedSpec]:
    """The feeds listed in the OPML file at `path`, in document order, categories flattened."""
    try:
        data = read_regular_file(path)  # never a FIFO or device, never a file past the size cap
    except InputFileError as error:
        raise OpmlError(str(path), str(error)) from error
    return parse_opml(data, str(path))


def parse_opml(data: bytes | str, name: str = "<opml>") -> list[FeedSpec]:
    """The feeds listed in an OPML document; `name` is the file named in error messages."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise OpmlError(name, "refused: the document declares entities or external references") from error
    except ParseError as error:
        line, column = error.position
        # expat's own text ends in "line L, column C" with a 0-based column: say the place once, 1-based.
        raise OpmlError(
            name, f"malformed XML: {ErrorString(error.code)}", f"line {line}, column {column + 1}"
        ) from error
    if _local(root) != "opml":
        raise OpmlError(name, f"not an OPML document (the root element is <{_local(root)}>)")
    feeds: list[FeedSpec] = []
    seen: set[str] = set()
    for outline in root.iter():
        if _local(outline) != "outline":
            continue
        attributes = {_local_name(k).lower(): v for k, v in outline.attrib.items()}
        url = attributes.get("xmlurl", "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = (attributes.get("title") or attributes.get("text") or "").strip()
        flag = outline.get(_FULL_TEXT, "").strip().lower()
        full_text = {"true": True, "false": False}.get(flag)
        feeds.append(FeedSpec(title or default_name(url), url, full_text))
    if not feeds:
        raise OpmlError(name, "lists no feeds (no <outline> with an xmlUrl)")
    return feeds


def _local(element: Element) -> str:
    return _local_name(element.tag) if isinstance(element.tag, str) else ""


def _local_name(tag: str) -> str:
    # ElementTree spells namespaced names "{uri}local"; OPML files in the wild vary in namespaces.
    return tag.rsplit("}", 1)[-1]


def write_opml(feeds: Sequence[FeedSpec], path: Path | None = None, title: str = "newsdesk feeds") -> str:
    """OPML 2.0 listing `feeds`; written atomically to `path` when given. Returns the document."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:newsdesk="{NAMESPACE}">',
        "  <head>",
        f"    <title>{escape(title.translate(_ILLEGAL))}</title>",
        "  </head>",
        "  <body>",
    ]
    for feed in feeds:
        name = _text(feed.name)
        extra = "" if feed.full_text is None else f' newsdesk:fullText="{str(feed.full_text).lower()}"'
        lines.append(f'    <outline type="rss" text={name} title={name} xmlUrl={_text(feed.url)}{extra}/>')
    lines += ["  </body>", "</opml>", ""]
    document = "\n".join(lines)
    if path is not None:
        write_atomically(path, document)
    return document


def _text(value: str) -> str:
    """`value` as a quoted XML attribute: &, <, > and quotes escaped, newlines kept as references."""
    return quoteattr(value.translate(_ILLEGAL), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
