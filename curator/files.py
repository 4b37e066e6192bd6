"""Read and write files so that a crash, a full disk, a kill or a named pipe does no harm.

Reads take regular files only: a named pipe, a device or a socket could block
forever or never end, so it is refused with an error that names it. Writes go
to a temporary file that replaces the target in one step.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from curator.errors import InputError, WriteError

# O_NONBLOCK: opening a named pipe must not wait for a writer before it can be refused.
# O_NOCTTY: opening a terminal device must not make it the controlling terminal.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def special_kind(mode: int) -> str | None:
    """Name what a file of ``mode`` is when it is neither a regular file nor a directory."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def refuse_special(path: Path, *, role: str = "a file") -> None:
    """Raise InputError when ``path`` names a named pipe, device or socket rather than ``role``.

    A missing or unreadable path passes: whoever reads it next says why it cannot.
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return
    kind = special_kind(mode)
    if kind is not None:
        raise InputError(f"{path}: is {kind}, not {role}")


def read_bytes(path: Path) -> bytes | None:
    """Return the bytes of the regular file ``path``, or None when it does not exist.

    Never blocks on a named pipe and never reads a device: anything but a regular
    file is an InputError naming it.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unreadable(path, error) from error
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a directory, not a file")
        kind = special_kind(mode)
        if kind is not None:
            raise InputError(f"{path}: is {kind}, not a file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as error:
        raise _unreadable(path, error) from error
    finally:
        os.close(descriptor)


def read_text(path: Path) -> str | None:
    """Return the text of ``path`` as UTF-8 (line endings kept), or None when it does not exist."""
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from error


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step, keeping its permissions.

    The text goes to a temporary file in the same directory, is flushed to disk,
    and is renamed over the target, so readers see the old or the new file, never
    a mix. On failure the target is untouched and the temporary file removed. A
    read-only target is refused: the rename would replace it although its owner
    marked it as not to be changed. So is anything but a regular file (a named
    pipe, ``/dev/null``): the rename would put a file in its place.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
        if not path.parent.is_dir():
            raise WriteError(f"{path}: cannot write (no directory {path.parent})") from None
    except OSError as error:
        raise WriteError(f"{path}: cannot write ({error.strerror or error})") from error
    else:
        kind = "a directory" if stat.S_ISDIR(mode) else special_kind(mode)
        if kind is not None:
            raise WriteError(f"{path}: cannot write (it is {kind}, not a regular file)")
        mode &= 0o7777
        # The write bits are checked too: root may write anything, so os.access says yes.
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            raise WriteError(
                f"{path}: cannot write (the file is read-only); the file was not changed"
            )
    temporary: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
        temporary = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteError(f"{path}: cannot write ({reason}); the file was not changed") from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _unreadable(path: Path, error: OSError) -> InputError:
    if isinstance(error, IsADirectoryError):
        return InputError(f"{path}: is a directory, not a file")
    return InputError(f"{path}: cannot read ({error.strerror or error})")


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    current = os.umask(0)
    os.umask(current)
    return current
