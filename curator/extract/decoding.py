"""Turn the bytes of a document into text without ever failing on them.

The first block decides: a byte order mark names the encoding; otherwise a block that is
valid UTF-8 means UTF-8 (the fast path, no detection); otherwise charset-normalizer guesses.
Whatever the choice, bytes that do not decode become U+FFFD, so a wrong guess or a stray
byte later in the file costs some characters, never the run: links are ASCII and survive.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Protocol

import charset_normalizer

HEAD_SIZE = 64 * 1024
"""How many bytes are read first to sniff binary content, encoding and format."""
CHUNK_SIZE = 1024 * 1024
"""How many bytes streaming formats read at a time."""

_BINARY_SNIFF = 8 * 1024
_ASCII_SAMPLE = b"See arXiv:2304.02643, https://arxiv.org/abs/hep-th/9901001v2?x=1+2#y [cs.CL]\n"
_BOMS = (
    # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Readable(Protocol):
    """What documents are read from: a binary stream, of which only ``read`` is used."""

    def read(self, size: int = -1, /) -> bytes:
        """Return up to ``size`` bytes (all that is left when negative); empty at the end."""
        ...


def looks_binary(head: bytes) -> bool:
    """Tell whether the first bytes of a document look like a binary file rather than text."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\0" in head[:_BINARY_SNIFF]


def encoding_of(head: bytes) -> str:
    """Return the name of the codec to decode a document whose first bytes are ``head``."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    try:
        # Not final: the block may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(head).best()
        # A guess that would turn ASCII into something else (EBCDIC, UTF-16) loses every link.
        if best is not None and _keeps_ascii(best.encoding):
            return best.encoding
    return "utf-8"


def _keeps_ascii(encoding: str) -> bool:
    return _ASCII_SAMPLE.decode(encoding, errors="replace") == _ASCII_SAMPLE.decode("ascii")


def decode(data: bytes) -> str:
    """Return the text of a whole document."""
    return data.decode(encoding_of(data[:HEAD_SIZE]), errors="replace")


def decode_stream(head: bytes, rest: Readable, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """Yield the text of a document piece by piece: ``head``, then what ``rest`` holds."""
    decoder = codecs.getincrementaldecoder(encoding_of(head))(errors="replace")
    data = head
    while data:
        text = decoder.decode(data)
        if text:
            yield text
        data = rest.read(chunk_size)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail
