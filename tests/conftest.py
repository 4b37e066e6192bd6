"""Shared fixtures: replaying recorded HTTP (vcrpy cassettes) and the arXiv stand-in."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import vcr
from standin import ArxivStandin

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORDING = os.environ.get("CURATOR_RECORD") == "1"
"""``CURATOR_RECORD=1`` records cassettes that do not exist yet against the live APIs."""


def make_vcr() -> vcr.VCR:
    """Return the project's VCR: replay only (unless recording), body matched, secrets filtered."""
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="once" if RECORDING else "none",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        filter_headers=["x-api-key"],
        decode_compressed_response=True,
    )


@contextmanager
def _replay(name: str) -> Iterator[Any]:
    with make_vcr().use_cassette(name) as cassette:
        yield cassette
    # A recording the code no longer asks for is a test that no longer tests what it says.
    if not RECORDING and not cassette.all_played:
        unplayed = len(cassette) - len(cassette.play_counts)
        pytest.fail(
            f"cassette {name}: {unplayed} of {len(cassette)} recorded answers never requested"
        )


@pytest.fixture
def cassette() -> Callable[[str], AbstractContextManager[Any]]:
    """Give ``cassette("arxiv/x.yaml")``: replay that cassette, failing if any of it is unused."""
    return _replay


@pytest.fixture
def arxiv_standin() -> Iterator[ArxivStandin]:
    """Run the arXiv stand-in (tests/standin.py) on a loopback port for one test."""
    with ArxivStandin() as standin:
        yield standin
