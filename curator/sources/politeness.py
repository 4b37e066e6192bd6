"""What every adapter does before it asks a service: check the batch, wait its turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from curator.ids import is_canonical

log = logging.getLogger(__name__)


def checked_batch(
    ids: Sequence[str],
    *,
    max_batch: int,
    accepts: Callable[[str], bool] = is_canonical,
    kinds: str = "canonical arXiv identifiers",
) -> list[str]:
    """Return ``ids`` without repeats, refusing a batch no service should ever be sent.

    Raise TypeError for a lone string, ValueError for more than ``max_batch``
    identifiers or for any the service does not ``accepts`` (by default, any that is
    not a canonical arXiv identifier); ``kinds`` names what it accepts, for the message.
    """
    if isinstance(ids, str):
        raise TypeError("lookup() takes a sequence of identifiers, not one string")
    if len(ids) > max_batch:
        raise ValueError(f"at most {max_batch} identifiers per lookup, got {len(ids)}")
    malformed = [identifier for identifier in ids if not accepts(identifier)]
    if malformed:
        shown = ", ".join(repr(identifier) for identifier in malformed[:5])
        raise ValueError(f"not {kinds}: {shown}")
    return list(dict.fromkeys(ids))


class Pacer:
    """Keep at least ``delay`` seconds between one request's answer and the next request.

    Counting from the answer rather than the request's start keeps the gap a server sees
    between two requests at least ``delay`` even when the first one was slow to arrive
    (a new connection, a slow network), as rate limits count by arrival.
    """

    def __init__(
        self,
        delay: float,
        *,
        service: str,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.delay = delay
        self._service = service
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait until ``delay`` seconds have passed since the previous answer, then send."""
        if self._last is not None:
            remaining = self._last + self.delay - self._clock()
            if remaining > 0:
                log.debug("waiting %.2f s before the next %s request", remaining, self._service)
                self._sleep(remaining)
        self._last = self._clock()
        try:
            yield
        finally:
            self._last = self._clock()
