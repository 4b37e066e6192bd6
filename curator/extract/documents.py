"""Turn sources (paths, directories, ``-``, URLs) into documents to read, one at a time."""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Literal
from urllib.parse import urlsplit

from curator.errors import InputError
from curator.extract.decoding import Readable

Format = Literal["text", "markdown", "html", "json", "bibtex"]

_FORMAT_OF_SUFFIX: dict[str, Format] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".bib": "bibtex",
}
# Skipped without a look when met in a directory; any other file is sniffed.
_BINARY_SUFFIXES = frozenset(
    (
        ".7z", ".a", ".avi", ".bin", ".bmp", ".bz2", ".class", ".db", ".dll", ".dylib", ".eot",
        ".exe", ".gif", ".gz", ".ico", ".jar", ".jpeg", ".jpg", ".mkv", ".mov", ".mp3", ".mp4",
        ".npy", ".npz", ".o", ".ogg", ".onnx", ".otf", ".parquet", ".pdf", ".pkl", ".png", ".pt",
        ".pth", ".pyc", ".safetensors", ".so", ".sqlite", ".tar", ".tgz", ".tif", ".tiff", ".ttf",
        ".wav", ".webm", ".webp", ".whl", ".woff", ".woff2", ".xz", ".zip",
    )
)  # fmt: skip
# A URL of a scheme curator does not fetch (ftp://, file://), told apart from a missing file.
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A BibTeX entry, string or comment ("@article{", "@misc (", "@string{"), after any lines
# of "%" comments ("% Encoding: UTF-8", as JabRef starts its files).
_BIBTEX_START = re.compile(rb"(?:%[^\n]*\n\s*)*@[a-z]+\s*[{(]")


@dataclass(frozen=True, slots=True)
class Document:
    """One document to read: its name for occurrences, and its bytes."""

    name: str
    """A file path, an http(s) URL, or ``-`` for standard input."""
    suffix: str
    """The lower-cased extension of its file or URL path, or ``""``."""
    stream: Readable
    """Its bytes; a failing read (a disk error) raises InputError naming the document."""
    remote: bool = False
    """True for standard input and web pages, whose unknown format defaults to Markdown."""

    def format(self, head: bytes) -> Format:
        """Return the format of this document, given its first bytes."""
        known = _FORMAT_OF_SUFFIX.get(self.suffix)
        if known is not None:
            return known
        start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:64].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return "html"
        if start[:1] in (b"{", b"["):
            return "json"
        if _BIBTEX_START.match(start):
            return "bibtex"
        return "markdown" if self.remote else "text"


class _Checked:
    """A stream whose read errors (EIO, a vanished network drive) name the document."""

    def __init__(self, name: str, stream: BinaryIO) -> None:
        self._name = name
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        """Return up to ``size`` bytes, or raise InputError saying which document failed."""
        try:
            return self._stream.read(size)
        except OSError as error:
            raise InputError(f"{self._name}: cannot read, {_reason(error)}") from error


def _document(name: str, suffix: str, stream: BinaryIO, *, remote: bool = False) -> Document:
    return Document(name, suffix, _Checked(name, stream), remote=remote)


def is_url(source: str) -> bool:
    """Tell whether a source names a web page rather than a file."""
    return source.startswith(("http://", "https://"))


def check(source: str, *, can_fetch: bool) -> None:
    """Raise InputError if ``source`` cannot be read at all."""
    if not source:
        # Path("") is the current directory, which nobody means by an empty argument.
        raise InputError("an empty SOURCE names nothing; give a file, a directory, '-' or a URL")
    if is_url(source):
        if not can_fetch:
            raise _cannot_fetch(source)
    elif source != "-" and not Path(source).exists():
        if _OTHER_SCHEME.match(source):
            raise InputError(f"{source}: only http and https URLs can be fetched")
        raise InputError(f"{source}: no such file or directory")


def documents(
    source: str,
    *,
    fetch: Callable[[str], bytes] | None,
    on_warning: Callable[[str], None],
) -> Iterator[Document]:
    """Yield the documents of one source, opening each file only while it is being read."""
    if source == "-":
        if sys.stdin is None:
            raise InputError("-: standard input is closed; pipe a document in or name a file")
        yield _document("-", "", sys.stdin.buffer, remote=True)
    elif is_url(source):
        if fetch is None:
            raise _cannot_fetch(source)
        suffix = PurePosixPath(urlsplit(source).path).suffix.lower()
        yield _document(source, suffix, io.BytesIO(fetch(source)), remote=True)
    elif Path(source).is_dir():
        unreadable: list[OSError] = []
        for path in _files_under(Path(source), on_error=unreadable.append):
            try:
                mode = path.stat().st_mode
            except OSError as error:  # a dangling link: there is no document
                on_warning(f"{path}: skipped, {_reason(error)}")
                continue
            # A FIFO or device met on the way would block or never end; only files are read.
            if not stat.S_ISREG(mode):
                on_warning(f"{path}: skipped, not a regular file")
                continue
            try:
                stream = path.open("rb")
            except OSError as error:
                unreadable.append(error)
                continue
            with stream:
                yield _document(str(path), path.suffix.lower(), stream)
        if unreadable:
            # Papers in files that could not be read are unknown, not absent: say so and fail.
            for failure in unreadable:
                on_warning(f"{failure.filename}: cannot read, {_reason(failure)}")
            raise InputError(
                f"{source}: could not read {len(unreadable)} of the files and folders in it; "
                "their papers are unknown"
            )
    else:
        try:
            with Path(source).open("rb") as stream:
                yield _document(source, Path(source).suffix.lower(), stream)
        except OSError as error:
            raise InputError(f"{source}: {_reason(error)}") from error


def _files_under(root: Path, *, on_error: Callable[[OSError], None]) -> Iterator[Path]:
    """Yield the files under ``root`` in sorted order, skipping hidden ones and known binaries.

    A directory that cannot be listed is passed to ``on_error``.
    """
    for directory, subdirectories, files in os.walk(root, onerror=on_error):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            if not name.startswith(".") and path.suffix.lower() not in _BINARY_SUFFIXES:
                yield path


def _cannot_fetch(source: str) -> InputError:
    return InputError(f"{source}: cannot fetch web pages here; save the page and pass the file")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
