"""Fetch a web page, or a GitHub repository's README, for ``curator extract URL``."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urljoin, urlsplit

import requests

from curator.errors import InputError
from curator.sources.http import new_session, read_limited

log = logging.getLogger(__name__)

GITHUB_API = "https://api.github.com"
MAX_BYTES = 20 * 2**20
MAX_REDIRECTS = 10

_SCHEMES = frozenset({"http", "https"})
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
# First path segments of github.com pages that are not repository owners.
_NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "collections",
        "enterprise",
        "explore",
        "features",
        "issues",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "search",
        "settings",
        "sponsors",
        "topics",
        "trending",
        "users",
    ]
)
_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def github_readme_url(url: str, *, api_root: str = GITHUB_API) -> str | None:
    """Return the API URL of the README a ``github.com/OWNER/REPO`` URL means, else None."""
    parts = urlsplit(url)
    if parts.hostname not in _GITHUB_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    ref = None
    if len(segments) == 4 and segments[2] == "tree":
        ref = segments[3]
    elif len(segments) != 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if owner.lower() in _NOT_OWNERS or not _NAME.fullmatch(owner) or not _NAME.fullmatch(repo):
        return None
    readme = f"{api_root.rstrip('/')}/repos/{owner}/{repo}/readme"
    return readme if ref is None else f"{readme}?ref={quote(ref, safe='')}"


def fetch_document(
    url: str,
    *,
    session: requests.Session | None = None,
    max_bytes: int = MAX_BYTES,
    github_api: str = GITHUB_API,
) -> bytes:
    """Download the document ``url`` names, refusing anything but http(s) and oversized bodies."""
    _require_http(url, url)
    readme = github_readme_url(url, api_root=github_api)
    target = url if readme is None else readme
    # Ask the API for the README's raw bytes rather than its JSON description.
    headers = {} if readme is None else {"Accept": "application/vnd.github.raw"}
    http = new_session() if session is None else session
    try:
        return _download(http, url, target, headers=headers, max_bytes=max_bytes)
    finally:
        if session is None:
            http.close()


def _download(
    session: requests.Session,
    url: str,
    target: str,
    *,
    headers: dict[str, str],
    max_bytes: int,
) -> bytes:
    current = target
    for _ in range(MAX_REDIRECTS + 1):
        log.debug("GET %s", current)
        try:
            # Redirects are followed here, not by requests, so that each target is checked.
            with session.get(
                current, headers=headers, stream=True, allow_redirects=False
            ) as answer:
                if answer.is_redirect:
                    current = urljoin(current, answer.headers["location"])
                    _require_http(url, current, redirect=True)
                    continue
                if not 200 <= answer.status_code < 300:
                    origin = "" if current == url else f" from {current}"
                    reason = _shown(answer.reason or "", limit=40)
                    raise InputError(f"{url}: HTTP {answer.status_code} {reason}{origin}")
                return _read_limited(answer, url, max_bytes)
        except requests.Timeout as error:
            raise InputError(f"{url}: timed out waiting for {_host(current)}") from error
        except requests.ConnectionError as error:
            raise InputError(f"{url}: cannot connect to {_host(current)}") from error
        except requests.RequestException as error:
            raise InputError(f"{url}: download failed ({type(error).__name__})") from error
    raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _read_limited(answer: requests.Response, url: str, max_bytes: int) -> bytes:
    body = read_limited(answer, max_bytes)
    if body is None:
        raise InputError(f"{url}: the document is larger than the limit of {max_bytes} bytes")
    return body


def _require_http(url: str, target: str, *, redirect: bool = False) -> None:
    try:
        parts = urlsplit(target)
    except ValueError as error:
        raise InputError(f"{url}: not a valid URL ({error})") from error
    if redirect and parts.scheme.lower() not in _SCHEMES:
        raise InputError(f"{url}: refusing a redirect to {_shown(target)}")
    if parts.scheme.lower() not in _SCHEMES:
        raise InputError(f"{url}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise InputError(f"{url}: the URL names no host")


def _shown(target: str, limit: int = 80) -> str:
    """Return a URL a server sent, made safe for one line: no control characters, shortened.

    A ``data:`` URL can be kilobytes long, and a server chooses every character of it.
    """
    printable = "".join(char if char.isprintable() else "\ufffd" for char in target)
    return printable if len(printable) <= limit else printable[: limit - 1] + "\u2026"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
