"""Settings from the environment: the one place curator reads environment variables."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from curator.errors import ConfigError

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_ARXIV_DELAY = 3.0
DEFAULT_S2_API = "https://api.semanticscholar.org"
DEFAULT_S2_DELAY = 1.0
DEFAULT_TIMEOUT = 30.0
"""Seconds allowed for connecting to a service, and for each read of its answer."""
S2_KEY_VARIABLES = ("S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")
"""Where the Semantic Scholar API key may come from, in order of preference."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where curator's services are and how politely to use them."""

    arxiv_api: str = DEFAULT_ARXIV_API
    """The arXiv query endpoint (``CURATOR_ARXIV_API``)."""
    arxiv_delay: float = DEFAULT_ARXIV_DELAY
    """Seconds between two arXiv requests (``CURATOR_ARXIV_DELAY``)."""
    s2_api: str = DEFAULT_S2_API
    """The Semantic Scholar API root (``CURATOR_S2_API``); ``/graph/v1/...`` is appended."""
    s2_delay: float = DEFAULT_S2_DELAY
    """Seconds between two Semantic Scholar requests (``CURATOR_S2_DELAY``)."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds a request may wait to connect, and for each read (``CURATOR_TIMEOUT``)."""
    s2_api_key: str | None = field(default=None, repr=False)
    """The Semantic Scholar API key (``S2_API_KEY`` or ``SEMANTIC_SCHOLAR_API_KEY``).

    Kept out of ``repr`` so that no log line or traceback can show it.
    """
    cache_dir: Path | None = None
    """Where to keep the local cache (``CURATOR_CACHE_DIR``; None: the user cache directory)."""

    def cache_directory(self) -> Path:
        """Return the cache directory: ``CURATOR_CACHE_DIR``, else the platform's user cache."""
        return self.cache_dir or Path(platformdirs.user_cache_dir("curator"))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (by default the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            arxiv_api=_url(env, "CURATOR_ARXIV_API", DEFAULT_ARXIV_API),
            arxiv_delay=_seconds(env, "CURATOR_ARXIV_DELAY", DEFAULT_ARXIV_DELAY),
            s2_api=_url(env, "CURATOR_S2_API", DEFAULT_S2_API),
            s2_delay=_seconds(env, "CURATOR_S2_DELAY", DEFAULT_S2_DELAY),
            timeout=_seconds(env, "CURATOR_TIMEOUT", DEFAULT_TIMEOUT, positive=True),
            s2_api_key=_api_key(env),
            cache_dir=Path(env["CURATOR_CACHE_DIR"]) if env.get("CURATOR_CACHE_DIR") else None,
        )


def no_color(environ: Mapping[str, str] | None = None) -> bool:
    """Tell whether the user asked for output without colour (``NO_COLOR``, see no-color.org)."""
    env = os.environ if environ is None else environ
    return bool(env.get("NO_COLOR"))


def _api_key(env: Mapping[str, str]) -> str | None:
    for name in S2_KEY_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            if not value.isprintable() or any(char.isspace() for char in value):
                # Never echo the value: it is a secret even when it is malformed.
                raise ConfigError(f"{name} contains spaces or control characters; check its value")
            return value
    return None


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        parts = urlsplit(value)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        usable = False
    if not usable or any(char.isspace() for char in value):
        raise ConfigError(f"{name} must be an http(s) URL, not {value!r}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float, *, positive: bool = False) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None
    if positive and not (math.isfinite(seconds) and seconds > 0):
        # Zero would fail every request at once; "never time out" would let a silent server
        # stall the run.
        raise ConfigError(f"{name} must be a positive number of seconds, not {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(f"{name} must be a non-negative number of seconds, not {value!r}")
    return seconds
