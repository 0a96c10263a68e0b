"""Decoding raw article files.

Users paste text from web pages, so files arrive in any encoding. The decoded text is the
reference for every offset in the records: nothing here normalises line ends or repairs
characters, it only chooses how to turn bytes into text and says what it assumed.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field


class UnreadableFile(Exception):
    """The file is not text newsgen can read (binary, undecodable)."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Sequences that UTF-8 French text takes when it was decoded as Latin-1/Windows-1252 once too often.
_MOJIBAKE = ("Ã©", "Ã¨", "Ã ", "Ãª", "Ã§", "Ã´", "Ã®", "â€™", "â€œ", "Å“")


def decode(data: bytes) -> Decoded:
    """Decode bytes: BOM first, then strict UTF-8, then charset detection; refuse binaries."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(enc), enc, [])
            except UnicodeDecodeError:
                raise UnreadableFile(f"starts like {enc} but is not valid {enc}; save the article as UTF-8") from None
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return _finish(data.decode(utf16), utf16, [f"read as {utf16} (no byte order mark)"])
        except UnicodeDecodeError:
            pass  # NULs, but not UTF-16 after all: let the checks below judge
    if _looks_binary(data):
        raise UnreadableFile("this is not a text file (it holds binary data); save the article as plain text")
    try:
        return _finish(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("could not tell the text encoding; save the article as UTF-8")
    enc = best.encoding
    return _finish(str(best), enc, [f"not UTF-8: read as {enc}; save the file as UTF-8 to be sure"])


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs on every other byte and printable text once decoded."""
    head = data[: min(len(data), 4096) // 2 * 2]
    if len(head) < 2 or head.count(0) < max(1, len(head) // 4):
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            txt = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c.isspace() for c in txt):
            return enc
    return None


def _looks_binary(data: bytes) -> bool:
    """Control bytes (NUL aside, which `_finish` handles) beyond a trace mean binary."""
    head = data[:4096]
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return head.count(0) > max(8, len(head) // 100) or controls > len(head) // 20


def _finish(text: str, encoding: str, warnings: list[str]) -> Decoded:
    if "\x00" in text:
        warnings.append("NUL characters in the text were kept as spaces")
        text = text.replace("\x00", " ")  # same length: offsets stay valid
    if any(m in text for m in _MOJIBAKE):
        warnings.append("the text looks double-encoded (mojibake such as 'Ã©'); re-save it as UTF-8")
    return Decoded(text, encoding, warnings)
