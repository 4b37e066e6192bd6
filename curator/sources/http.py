"""What curator's HTTP clients share: sessions with a default timeout and a User-Agent,
bounded reading of answers, and one-line quotes of them for messages."""

from __future__ import annotations

from collections.abc import Mapping

import requests
from requests.adapters import HTTPAdapter

from curator import __version__
from curator.config import DEFAULT_TIMEOUT

USER_AGENT = f"curator/{__version__}"
MAX_ANSWER_BYTES = 20 * 2**20
"""No answer curator asks for is larger: a bigger one is refused, not read into memory."""
_CHUNK = 64 * 1024


class _DefaultTimeoutAdapter(HTTPAdapter):
    """Give every request that brings no timeout of its own the session's default."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def send(  # noqa: PLR0917 - the signature requests' HTTPAdapter.send dictates
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send ``request``, with the default timeout unless the caller chose one."""
        # requests passes timeout=None when the caller gave none; None would mean "wait forever".
        chosen = self.default_timeout if timeout is None else timeout
        return super().send(
            request, stream=stream, timeout=chosen, verify=verify, cert=cert, proxies=proxies
        )


def new_session(
    *, timeout: float = DEFAULT_TIMEOUT, user_agent: str = USER_AGENT
) -> requests.Session:
    """Return a session whose requests time out after ``timeout`` seconds and name curator."""
    session = requests.Session()
    adapter = _DefaultTimeoutAdapter(timeout)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def read_limited(response: requests.Response, max_bytes: int) -> bytes | None:
    """Read a streamed answer's body; None as soon as it proves longer than ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def first_line(body: bytes, limit: int = 60) -> str:
    """Return the first line of an answer's body, shortened, for a one-line message."""
    text = body.decode("utf-8", "replace").strip()
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"
