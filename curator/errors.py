"""The one exception family of curator.

``str(error)`` is shown to the user as one line, so every message names the thing
that went wrong and, where there is one, the fix. ``exit_code`` is the process
exit status the command line uses for it.
"""

from __future__ import annotations

from pathlib import Path


class CuratorError(Exception):
    """Base class of every error curator reports to its user."""

    exit_code: int = 1


class UsageError(CuratorError):
    """The command line or the environment asked for something impossible."""

    exit_code = 2


class ConfigError(UsageError):
    """An environment variable has a value curator cannot use."""


class InputError(CuratorError):
    """A source document could not be read."""


class ListFormatError(CuratorError):
    """A reading list file is not valid TOML or does not follow the list format."""

    exit_code = 2

    def __init__(
        self, path: Path | str, reason: str, *, line: int | None = None, column: int | None = None
    ):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.column = column
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


class ListLockedError(CuratorError):
    """Another curator process holds the lock on a reading list."""


class WriteError(CuratorError):
    """A file could not be written; the previous content is left as it was."""


class MarkerError(CuratorError):
    """A README lacks, repeats or unbalances the curator markers of a list."""

    exit_code = 2


class SourceError(CuratorError):
    """A remote service failed, refused or answered with something unusable."""

    def __init__(self, service: str, cause: str, *, retryable: bool = False):
        self.service = service
        self.cause = cause
        self.retryable = retryable
        super().__init__(f"{service}: {cause}")
