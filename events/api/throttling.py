"""Rate limits per client: by IP address without a token, by user with one.

The rates are read from settings at each request (API_ANON_RATE, API_USER_RATE),
so tests and deployments can change them; counts live in the default cache.

Each client has one counter per fixed window of the rate's period (a minute
for "120/min"), added to atomically: one cache round trip per request, however
many requests the rate allows. DRF's own throttle keeps a list of every
request's time in the window, reads and rewrites it whole on each request
(milliseconds at a rate of a thousand a minute) and loses counts when two
workers update it at once. The price of fixed windows: a client may spend one
window's allowance at its end and the next one's at the start of the next.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)


class WindowThrottle(SimpleRateThrottle):
    """SimpleRateThrottle with a counter per client and window."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        window, elapsed = divmod(self.timer(), self.duration)
        self.window_left = self.duration - elapsed
        return self.count(f"{key}:{int(window)}") <= self.num_requests

    def count(self, key: str) -> int:
        """Add one to the counter `key`, made to outlive its window, and return
        it; 0 when the cache cannot count (the request is then let through)."""
        counter = getattr(self.cache, "count", None)
        if counter is not None:  # tracker.cache.FailSafeRedisCache: one round trip
            return counter(key, self.duration)
        self.cache.add(key, 0, self.duration)
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr, or the cache is away
            return 0

    def wait(self) -> float:
        """Seconds until the window ends and the client may ask again."""
        return max(1, math.ceil(self.window_left))


class AnonymousThrottle(WindowThrottle, AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.API_ANON_RATE


class TokenThrottle(WindowThrottle, UserRateThrottle):
    def get_rate(self) -> str:
        return settings.API_USER_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # AnonymousThrottle's business
        return super().get_cache_key(request, view)
