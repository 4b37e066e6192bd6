"""What every adapter does before it asks a service: check the batch, wait its turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from curator.ids import is_canonical

log = logging.getLogger(__name__)


def checked_batch(ids: Sequence[str], *, max_batch: int) -> list[str]:
    """Return ``ids`` without repeats, refusing a batch no service should ever be sent.

    Raise TypeError for a lone string, ValueError for more than ``max_batch``
    identifiers or for any that is not a canonical arXiv identifier.
    """
    if isinstance(ids, str):
        raise TypeError("lookup() takes a sequence of identifiers, not one string")
    if len(ids) > max_batch:
        raise ValueError(f"at most {max_batch} identifiers per lookup, got {len(ids)}")
    malformed = [identifier for identifier in ids if not is_canonical(identifier)]
    if malformed:
        shown = ", ".join(repr(identifier) for identifier in malformed[:5])
        raise ValueError(f"not canonical arXiv identifiers: {shown}")
    return list(dict.fromkeys(ids))


class Pacer:
    """Keep at least ``delay`` seconds between the starts of consecutive requests."""

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
        self._last_start: float | None = None

    def wait_turn(self) -> None:
        """Sleep until ``delay`` seconds have passed since the previous request started."""
        if self._last_start is not None:
            remaining = self._last_start + self.delay - self._clock()
            if remaining > 0:
                log.debug("waiting %.2f s before the next %s request", remaining, self._service)
                self._sleep(remaining)
        self._last_start = self._clock()
