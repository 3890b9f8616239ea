"""The login rate limiter (web.ratelimit)."""

from __future__ import annotations

import pytest

from cardscan.errors import RateLimitedError
from web.ratelimit import RateLimiter


def test_rate_limiter_window():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    limiter.hit("k")
    limiter.hit("k")
    limiter.check("other")
    with pytest.raises(RateLimitedError, match="wait 61 seconds"):
        limiter.check("k")
    now[0] = 60.5
    limiter.check("k")
    limiter.hit("k")
    limiter.reset("k")
    limiter.check("k")
