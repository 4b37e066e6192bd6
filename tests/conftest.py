"""Shared fixtures: replaying recorded HTTP (vcrpy cassettes) and the local API stand-ins."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import vcr
from standin import ArxivStandin
from standin_s2 import S2Standin

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORDING = os.environ.get("CURATOR_RECORD") == "1"
"""``CURATOR_RECORD=1`` records cassettes that do not exist yet against the live APIs."""


CLOSED = "http://127.0.0.1:9"
"""A loopback address where nothing listens: a service left unconfigured is refused at once."""


@pytest.fixture(autouse=True)
def _off_the_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Keep every test off the network and away from the user's keys, settings and cache."""
    for name in os.environ:
        if name.startswith("CURATOR_") or name in {"S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CURATOR_ARXIV_API", f"{CLOSED}/api/query")
    monkeypatch.setenv("CURATOR_S2_API", CLOSED)
    monkeypatch.setenv("CURATOR_ARXIV_DELAY", "0")
    monkeypatch.setenv("CURATOR_S2_DELAY", "0")
    monkeypatch.setenv("CURATOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    if RECORDING:
        return
    resolve = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise OSError(f"tests must not touch the network (tried to resolve {host!r})")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


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


@pytest.fixture
def s2_standin() -> Iterator[S2Standin]:
    """Run the Semantic Scholar stand-in (tests/standin_s2.py), knowing no papers, for one test."""
    with S2Standin() as standin:
        yield standin
