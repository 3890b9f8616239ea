"""A small in-process sliding-window rate limiter (login attempts per address and per user)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from cardscan.errors import RateLimitedError


class RateLimiter:
    """Allow at most ``limit`` hits per key within ``window`` seconds.

    Thread-safe; state lives in memory, so a restart forgets it (good enough for one
    waitress process guarding a login form).
    """

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _sweep(self, now: float) -> None:
        """Drop keys with no hit inside the window (once a window), so guessing with
        endless made-up names cannot grow memory without bound."""
        if now - self._swept < self.window:
            return
        self._swept = now
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]:
            del self._hits[key]

    def check(self, *keys: str) -> None:
        """Raise when any key has used up its allowance.

        Raises:
            RateLimitedError: too many recent hits; the message says how long to wait.
        """
        now = self._clock()
        with self._lock:
            for key in keys:
                hits = self._recent(key, now)
                if self.limit > 0 and len(hits) >= self.limit:
                    wait = max(1, int(hits[0] + self.window - now) + 1)
                    raise RateLimitedError(
                        f"too many failed attempts; wait {wait} seconds and try again."
                    )

    def hit(self, *keys: str) -> None:
        """Record one (failed) attempt for every key."""
        now = self._clock()
        with self._lock:
            self._sweep(now)
            for key in keys:
                self._hits[key] = hits = self._recent(key, now)
                hits.append(now)

    def reset(self, *keys: str) -> None:
        """Forget the attempts of these keys (after a successful login)."""
        with self._lock:
            for key in keys:
                self._hits.pop(key, None)
