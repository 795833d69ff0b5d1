"""Turning bytes from disk into text: encoding detection and binary sniffing.

News files arrive in whatever encoding their tool wrote; we try the likely ones in a fixed order
and say which one we fell back to, rather than guessing silently.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class BinaryFileError(ValueError):
    """The bytes are not text (NUL bytes without a UTF-16 byte-order mark)."""


@dataclass(frozen=True)
class DecodedText:
    """Text plus the encoding it was read with, and a note when that was a fallback."""

    text: str
    encoding: str
    note: str | None = None


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KB mean this is not a text file (UTF-16 is recognised by its BOM first)."""
    return b"\x00" in data[:8192]


def decode_bytes(data: bytes) -> DecodedText:
    """Decode with: BOM (UTF-8/UTF-16), then strict UTF-8, then cp1252, then Latin-1 (never fails)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise BinaryFileError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from error
    if looks_binary(data):
        raise BinaryFileError("binary file (contains NUL bytes), not text")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        where = f"byte {error.start}"
    for fallback in ("cp1252", "latin-1"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        return DecodedText(text, fallback, f"not valid UTF-8 (at {where}); read as {fallback}")
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover
