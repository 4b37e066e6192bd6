"""The ``curator`` command line: parse options, call one use case, print its result.

Each module of this package registers its commands on the one app of
:mod:`curator.cli.app`; importing the package registers them all.
"""

from __future__ import annotations

from curator.cli import collecting, maintaining, publishing
from curator.cli.app import app, main

__all__ = ["app", "collecting", "main", "maintaining", "publishing"]
