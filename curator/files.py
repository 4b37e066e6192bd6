"""Write files so that a crash, a full disk or a kill never leaves a half-written one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from curator.errors import InputError, WriteError


def read_text(path: Path) -> str | None:
    """Return the text of ``path`` as UTF-8 (line endings kept), or None when it does not exist."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a directory, not a file") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step, keeping its permissions.

    The text goes to a temporary file in the same directory, is flushed to disk,
    and is renamed over the target, so readers see the old or the new file, never
    a mix. On failure the target is untouched and the temporary file removed. A
    read-only target is refused: the rename would replace it although its owner
    marked it as not to be changed.
    """
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
        if not path.parent.is_dir():
            raise WriteError(f"{path}: cannot write (no directory {path.parent})") from None
    except OSError as error:
        raise WriteError(f"{path}: cannot write ({error.strerror or error})") from error
    else:
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


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    current = os.umask(0)
    os.umask(current)
    return current
