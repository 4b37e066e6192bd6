"""Presentation of reading lists: Markdown, README regions, terminal tables and JSON records.

:class:`CountStyle` lives here, apart from the Markdown renderer, so that the command line
can offer it as an option without importing the renderer.
"""

from __future__ import annotations

from enum import Enum


class CountStyle(str, Enum):
    """How ``render_list`` shows the citation count of each paper."""

    PLAIN = "plain"
    """As words: "1,234 citations."."""
    BADGE = "badge"
    """As a shields.io static badge image."""
    NONE = "none"
    """Not at all."""
