"""Failed logins, counted in memory: a sliding-window counter and the login guard built on it.

The guard slows the address that guesses, not the account's owner: ten wrong passwords for a
user from one address must not lock that user out everywhere (anyone could do it, and renew
it every minute). See :class:`LoginGuard`.
"""

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

    def count(self, key: str) -> int:
        """Hits of ``key`` inside the window."""
        with self._lock:
            return len(self._recent(key, self._clock()))

    def check(self, *keys: str, limit: int | None = None) -> None:
        """Raise when any key has used up its allowance (``limit``, else the limiter's).

        Raises:
            RateLimitedError: too many recent hits; the message says how long to wait.
        """
        now = self._clock()
        allowed = self.limit if limit is None else limit
        with self._lock:
            for key in keys:
                hits = self._recent(key, now)
                if allowed > 0 and len(hits) >= allowed:
                    wait = max(1, int(hits[-allowed] + self.window - now) + 1)
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


class LoginGuard:
    """Who may try a password now: per-address backoff, and care for an account under attack.

    - An address that fails ``limit`` times within ``window`` seconds waits ``window`` seconds,
      then twice as long after its next ``limit`` failures, and so on up to ``max_wait``. A
      successful login from it forgives it.
    - When an account has ``limit`` failures within the window from anywhere (guessing spread
      over many addresses), an address that has itself failed for that account in the window
      waits until its failures leave the window: each address gets one guess a window, while
      an address that has not failed (the owner's phone) still gets through.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        max_wait: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_wait = max_wait
        self._clock = clock
        self._failures = RateLimiter(limit, window, clock)
        self._blocked: dict[str, tuple[float, int]] = {}  # address -> (until, strikes)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str, str]:
        user = name.strip().lower()
        return f"ip:{address}", f"user:{user}", f"user:{user}@ip:{address}"

    def check(self, name: str, address: str) -> None:
        """Raise when this address must wait before trying a password for ``name``.

        Raises:
            RateLimitedError: the message says how many seconds to wait.
        """
        if self.limit <= 0:
            return
        now = self._clock()
        with self._lock:
            until, _ = self._blocked.get(address, (0.0, 0))
        if now < until:
            raise RateLimitedError(
                f"too many failed attempts from your address; wait {int(until - now) + 1}"
                " seconds and try again."
            )
        _, user_key, pair_key = self._keys(name, address)
        if self._failures.count(user_key) >= self.limit and self._failures.count(pair_key):
            self._failures.check(pair_key, limit=1)

    def failed(self, name: str, address: str) -> None:
        """Count a wrong password; block the address once it has failed ``limit`` times."""
        ip_key, user_key, pair_key = self._keys(name, address)
        self._failures.hit(ip_key, user_key, pair_key)
        if self.limit <= 0 or self._failures.count(ip_key) < self.limit:
            return
        now = self._clock()
        with self._lock:
            self._sweep(now)
            _, strikes = self._blocked.get(address, (0.0, 0))
            wait = min(self.max_wait, self.window * 2**strikes)
            self._blocked[address] = (now + wait, strikes + 1)
        self._failures.reset(ip_key)

    def succeeded(self, name: str, address: str) -> None:
        """A right password: forgive the address (the account's count of failures stays)."""
        ip_key, _, pair_key = self._keys(name, address)
        self._failures.reset(ip_key, pair_key)
        with self._lock:
            self._blocked.pop(address, None)

    def _sweep(self, now: float) -> None:
        """Forget addresses whose last block ended ``max_wait`` ago (memory stays bounded)."""
        for address in [
            a for a, (until, _) in self._blocked.items() if until + self.max_wait < now
        ]:
            del self._blocked[address]
