"""Rate limits per client: by IP address without a token, by user with one.

A request whose token is refused (a 401) counts against the anonymous rate of
its address (refused_token_counted), so guessing keys is limited like reading.

The rates are read from settings at each request (API_ANON_RATE, API_USER_RATE),
so tests and deployments can change them; counts live in the default cache.

Each client has one counter per fixed window of the rate's period (a minute for
"120/min"), added to atomically. DRF's own throttle keeps a list of every
request's time in the window, reads and rewrites it whole on each request
(milliseconds at a rate of a thousand a minute) and loses counts when two
workers update it at once. The price of fixed windows: a client may spend one
window's allowance at its end and the next one's at the start of the next.

A process takes a client's allowance from the shared counter in leases of a
hundredth of the rate (at least one request): at the default anonymous rate
(120/min) every request is counted in the cache as it comes, at 1,200/min one
request in twelve takes a lease of twelve. The counter never hands out more
than the rate, so no client gets more than its rate across all processes; a
client spread over several processes may be refused up to a lease per other
process early, while those hold what it has not used yet.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

LEASE_FRACTION = 100  # a lease is 1/LEASE_FRACTION of the rate


class Allowances:
    """What this process has leased and not spent yet, per client and window.
    Only the current window is kept: a new window drops what was left."""

    def __init__(self) -> None:
        self._window: int | None = None
        self._left: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(
        self, cache: BaseCache, key: str, window: int, rate: int, ttl: int
    ) -> bool:
        """Whether one more request of client `key` fits in its `rate` for
        `window`: spend one this process holds, or lease more from the
        counter `key:window` in `cache` (which outlives the window by `ttl`)."""
        counter = f"{key}:{window}"
        held = cache.make_key(counter)  # the counter's own name, cache prefix too
        with self._lock:
            if window != self._window:
                self._window, self._left = window, {}
            left = self._left.pop(held, 0)
            if left:
                if left > 1:
                    self._left[held] = left - 1
                return True
        lease = max(1, rate // LEASE_FRACTION)
        total = add(cache, counter, lease, ttl)
        if total == 0:  # the cache cannot count: let the request through
            return True
        granted = min(lease, rate - (total - lease))
        if granted > 1:
            with self._lock:
                if window == self._window:
                    self._left[held] = self._left.get(held, 0) + granted - 1
        return granted > 0


def add(cache: BaseCache, key: str, amount: int, ttl: int) -> int:
    """Add `amount` to the counter `key` (a missing one starts at 0 and lives
    `ttl` seconds) and return its new value; 0 when the cache cannot count."""
    counter = getattr(cache, "count", None)
    if counter is not None:  # tracker.cache.FailSafeRedisCache: one round trip
        return counter(key, ttl, amount)
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr, or the cache is away
        return 0


ALLOWANCES = Allowances()


class WindowThrottle(SimpleRateThrottle):
    """SimpleRateThrottle with a counter per client and window, leased."""

    allowances = ALLOWANCES

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        window, elapsed = divmod(self.timer(), self.duration)
        self.window_left = self.duration - elapsed
        return self.allowances.take(
            self.cache, key, int(window), self.num_requests, self.duration
        )

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


def refused_token_counted(request: Request, view: Any) -> None:
    """Count a request whose token was refused (its user is now anonymous)
    against the anonymous rate of its client address; Throttled (a 429) once
    that rate is spent. DRF authenticates before it throttles, so without this
    a client could send bad keys without limit."""
    throttle = AnonymousThrottle()
    if not throttle.allow_request(request, view):
        raise Throttled(wait=throttle.wait())
