"""Turning feed documents (RSS 0.9x/1.0/2.0, Atom) and HTML article pages into article fields.

Parsers here never raise on bad bytes except `FeedError`, whose one-line message the loader reports.
XML is screened with defusedxml first, so entity bombs and external entities never reach feedparser.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core.articles import parse_date
from core.ingest.fetch import Fetcher, FetchError

# Block-level tags whose boundaries are line breaks in the extracted text.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table td th tr ul".split()
)
# lxml refuses these code points outright; they carry no text anyway.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Sniffing looks at the root element only, so an article that mentions "<rss>" stays an article.
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>/]")
_HTML_ROOT = re.compile(r"<(?:html|head|body)[\s>]")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# trafilatura's fallbacks return whatever text a page has; a few words are menus or a login form.
MIN_PAGE_WORDS = 10
# In full-text mode a feed body shorter than this, or only a summary, is replaced by the linked page's text.
FULL_TEXT_BELOW = 500


class FeedError(Exception):
    """A document that yields no articles, with a one-line reason for the load report."""


@dataclass(frozen=True)
class Entry:
    """One feed entry or article page, in make_article's terms."""

    title: str
    text: str
    url: str | None = None
    date_value: Any = None
    given_id: str | None = None
    from_content: bool = True  # False when the body is only the feed's summary


@dataclass
class ParsedFeed:
    """A feed's title, its entries in document order, and warnings about how it was read."""

    title: str | None
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """An article page's extracted main text with its headline, date, canonical URL and site name."""

    entry: Entry
    sitename: str | None


def _head(data: bytes) -> str:
    start = data[:4096]
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return start.decode("utf-16", "replace").lower()
    return start.removeprefix(b"\xef\xbb\xbf").decode("latin-1").lower()


def _root(head: str) -> str:
    """The text from the root element on, past the XML declaration, comments, PIs and DOCTYPE.

    A plain scan, not a regex: nested optional groups backtrack catastrophically on hostile input.
    """
    at = 0
    while True:
        at = len(head) - len(head[at:].lstrip())
        if head.startswith("<?", at):
            end = head.find("?>", at)
            at = end + 2 if end >= 0 else len(head)
        elif head.startswith("<!--", at):
            end = head.find("-->", at)
            at = end + 3 if end >= 0 else len(head)
        elif head.startswith("<!doctype", at):
            end, subset = head.find(">", at), head.find("[", at)
            if 0 <= subset < end:  # an internal subset may hold ">" inside its declarations
                end = head.find(">", max(head.find("]", subset), subset))
            at = end + 1 if end >= 0 else len(head)
        else:
            return head[at:]


def looks_like_feed(data: bytes) -> bool:
    """True when the document's root element (within its first 4 KB) is RSS, RDF or Atom."""
    return _FEED_ROOT.match(_root(_head(data))) is not None


def looks_like_html(data: bytes) -> bool:
    """True when the document opens as HTML (an html doctype, or an html/head/body root)."""
    head = _head(data)
    return head.lstrip().startswith("<!doctype html") or _HTML_ROOT.match(_root(head)) is not None


def normalize_url(url: str) -> str:
    """The URL as a duplicate key: lower-case scheme/host, no fragment, trailing slash or utm_* params."""
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # an unparseable URL (bad port, broken IPv6) is only ever equal to itself
        return raw
    scheme = parts.scheme.lower()
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")
    ]
    return urlunsplit((scheme, host, parts.path.rstrip("/"), urlencode(query), ""))


def normalize_text(text: str) -> str:
    """The text as a duplicate key: whitespace collapsed, lower-cased."""
    return " ".join(text.lower().split())


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one line per paragraph or block; never raises."""
    import lxml.etree
    import lxml.html

    cleaned = _CONTROL.sub("", html)
    if not cleaned.strip():
        return ""
    try:
        # A whole document, not a fragment: summaries sometimes carry their own <html> and <body>.
        root = lxml.html.document_fromstring(cleaned)
    except (lxml.etree.ParserError, ValueError):  # nothing lxml can build a tree from
        return ""
    lxml.etree.strip_elements(root, "head", "script", "style", "noscript", "template", with_tail=False)
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        if element.tag == "br" or element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def screen_xml(data: bytes) -> str | None:
    """Reject entity declarations and external entities before any parser expands them.

    Returns what is wrong when the XML is merely malformed (feedparser may still read it leniently);
    raises FeedError for hostile documents.
    """
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree

    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as error:
        if error.sysid or error.pubid:
            raise FeedError(f"external XML entity {error.name!r} refused; not parsed") from None
        raise FeedError(
            f"XML entity declaration {error.name!r} refused (entity-expansion bomb?); not parsed"
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise FeedError(f"unsafe XML refused ({type(error).__name__}); not parsed") from None
    except (ParseError, ValueError) as error:
        # Expat stopped early (or refused a multi-byte encoding), so declarations further on were never
        # screened: refuse any. NULs are dropped so UTF-16/32 spellings of "<!ENTITY" match too.
        if _ENTITY_DECLARATION.search(data.replace(b"\x00", b"")):
            raise FeedError("XML entity declarations refused (not screened: the XML is malformed)") from None
        if not isinstance(error, ParseError):  # an encoding expat lacks: feedparser transcodes it
            return None
        line, column = error.position
        return f"malformed XML ({str(error).split(':')[0]} at line {line}, column {column + 1})"
    return None


def _detail_text(value: str, detail: Any) -> str:
    kind = detail.get("type", "text/html") if isinstance(detail, dict) else "text/html"
    return html_to_text(value) if "html" in str(kind) else value.strip()


def _entry_date(entry: Any) -> Any:
    """The entry's own date string (publisher's local date); feedparser's UTC parse only as fallback."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except ValueError:
            parsed = entry.get(f"{key}_parsed")
            return date(*parsed[:3]) if parsed else raw
    return None


def _entry(entry: Any) -> Entry:
    title = _detail_text(str(entry.get("title") or ""), entry.get("title_detail"))
    bodies = [_detail_text(str(c.get("value") or ""), c) for c in entry.get("content") or []]
    body = max(bodies, key=len, default="")
    from_content = bool(body)
    if not body:
        body = _detail_text(str(entry.get("summary") or ""), entry.get("summary_detail"))
    link = entry.get("link")
    given = entry.get("id")
    return Entry(
        title=title,
        text=body,
        url=str(link) if link else None,
        date_value=_entry_date(entry),
        given_id=str(given) if given else None,
        from_content=from_content,
    )


def parse_feed(data: bytes, base_url: str | None = None) -> ParsedFeed:
    """Parse an RSS or Atom document (screened first); raises FeedError when it holds no feed."""
    if not data.strip():
        raise FeedError("empty document")
    malformed = screen_xml(data)
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    try:
        # A stream, never bytes or str: feedparser treats those as a URL or a path to open.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as error:  # a third-party parser on hostile input: any failure is this document's
        raise FeedError(f"unreadable feed ({type(error).__name__}: {error})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    if not parsed.entries and malformed:
        raise FeedError(f"{malformed}; no entries could be read")
    warnings = [f"{malformed}; read leniently"] if malformed else []
    if not parsed.entries:
        warnings.append("feed has no entries")
    title = html_to_text(str(parsed.feed.get("title") or "")) or None
    return ParsedFeed(title, [_entry(e) for e in parsed.entries], warnings)


def parse_page(data: bytes, url: str | None = None) -> Page:
    """Main text, headline and date of an article page via trafilatura; FeedError when there is none."""
    if not data.strip():
        raise FeedError("empty document")
    import trafilatura

    # trafilatura logs every unusable page; without a handler Python would print those to stderr.
    for name in ("trafilatura", "htmldate", "courlan"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
    try:
        document = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as error:  # a third-party extractor on hostile input: any failure is this page's
        raise FeedError(f"unreadable HTML page ({type(error).__name__}: {error})") from None
    text = str(getattr(document, "text", None) or "").strip()
    if len(text.split()) < MIN_PAGE_WORDS:
        raise FeedError("no main article text found in the HTML page")
    title = str(getattr(document, "title", None) or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # trafilatura often repeats the headline as the first line
        text = rest.strip() or text
    return Page(
        Entry(
            title=title,
            text=text,
            url=str(getattr(document, "url", None) or url or "") or None,
            date_value=getattr(document, "date", None),
        ),
        sitename=str(getattr(document, "sitename", None) or "").strip() or None,
    )


def with_full_text(entries: list[Entry], fetcher: Fetcher) -> tuple[list[Entry], dict[int, str]]:
    """Entries carrying only a summary get their linked page's main text; failures (by index) keep it."""
    from dataclasses import replace

    wanted = [
        i for i, e in enumerate(entries) if e.url and (not e.from_content or len(e.text) < FULL_TEXT_BELOW)
    ]
    result = list(entries)
    problems: dict[int, str] = {}
    for index, page in zip(wanted, fetcher.fetch_many([str(entries[i].url) for i in wanted]), strict=True):
        if isinstance(page, FetchError):
            problems[index] = page.message
            continue
        try:
            found = parse_page(page.body, page.final_url).entry
        except FeedError as error:
            problems[index] = str(error)
            continue
        entry = entries[index]
        result[index] = replace(entry, text=found.text, date_value=entry.date_value or found.date_value)
    return result, problems
