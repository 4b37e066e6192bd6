"""curator: harvest arXiv links into TOML reading lists and render awesome-list Markdown."""

from __future__ import annotations

import functools

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up on first use: importlib.metadata is slow to import and
    # ``curator --help`` (and most commands) never need it.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 (slow import)

    try:
        return version("paper-curator")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
