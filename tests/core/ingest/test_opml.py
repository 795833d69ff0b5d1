"""OPML: round trips with awkward names, nested categories, and hostile or broken documents refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ingest.opml import OpmlError, parse_opml, read_opml, write_opml
from core.settings.feedspec import FeedSpec

AWKWARD = [
    FeedSpec("Tom & Jerry <News>", "https://a.example/rss?x=1&y=2", True),
    FeedSpec("He said \"hi\" and 'bye'", "https://b.example/feed", False),
    FeedSpec("Zürich · 日本 ✓", "http://c.example/atom.xml", None),
    FeedSpec("two\nlines\tand\r tab", "https://d.example/", None),
]

NESTED = """<?xml version="1.0" encoding="utf-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="World">
      <outline text="Europe">
        <outline type="rss" text="Text only" xmlUrl="https://eu.example/rss"/>
      </outline>
      <outline title="Title wins" text="ignored" xmlUrl="https://world.example/rss"/>
    </outline>
    <outline text="Just a category with no feeds"/>
    <outline xmlURL="https://www.unnamed.example/feed"/>
    <outline text="Again" xmlUrl="https://eu.example/rss"/>
  </body>
</opml>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://bomb.example/"/></body></opml>
"""


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    text = write_opml(AWKWARD, path)
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["feeds.opml"]  # no temp file left behind
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"')
    assert "Tom &amp; Jerry &lt;News&gt;" in text and "x=1&amp;y=2" in text
    assert read_opml(path) == AWKWARD


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip()), st.booleans() | st.none())
def test_any_printable_name_round_trips(name: str, full_text: bool | None) -> None:
    feed = FeedSpec(name, "https://x.example/rss", full_text)
    (back,) = parse_opml(write_opml([feed]))
    legal = "".join(c for c in name if (c >= " " and c not in "\ufffe\uffff") or c in "\t\n\r").strip()
    # Names made only of characters XML cannot carry fall back to the host.
    assert back == FeedSpec(legal or "x.example", feed.url, full_text)


def test_control_characters_are_dropped_not_written() -> None:
    (back,) = parse_opml(write_opml([FeedSpec("bell\x07 and escape\x1b", "https://x.example/")]))
    assert back.name == "bell and escape"


def test_nested_outlines_are_flattened_in_order() -> None:
    assert parse_opml(NESTED, "subs.opml") == [
        FeedSpec("Text only", "https://eu.example/rss"),
        FeedSpec("Title wins", "https://world.example/rss"),
        FeedSpec("unnamed.example", "https://www.unnamed.example/feed"),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            "<opml><body><outline text='x' xmlUrl='https://a/'></body></opml>",
            r"line 1, column \d+: malformed XML",
        ),
        ("", "malformed XML"),
        ("<rss><channel/></rss>", r"not an OPML document \(the root element is <rss>\)"),
        ("<opml><body><outline text='only a category'/></body></opml>", "lists no feeds"),
    ],
)
def test_broken_documents_name_the_file(tmp_path: Path, document: str, expected: str) -> None:
    path = tmp_path / "subs.opml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(OpmlError, match=f"^{path}.*{expected}"):
        read_opml(path)


def test_missing_file_is_an_opml_error(tmp_path: Path) -> None:
    with pytest.raises(OpmlError, match=r"missing\.opml: cannot read"):
        read_opml(tmp_path / "missing.opml")


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.opml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(OpmlError, match=r"bomb\.opml: refused"):
        read_opml(path)


def test_external_entity_is_refused() -> None:
    document = (
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="refused"):
        parse_opml(document)
