"""curator: harvest arXiv links into TOML reading lists and render awesome-list Markdown."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paper-curator")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
