"""A Redis cache that an unreachable Redis turns into misses, not errors.

The cache only saves work (aggregates of the public pages, the API's
rate-limit counters), so a stopped Redis must make pages slower, never take
them down: every operation that cannot reach Redis logs a warning and acts as
a miss (reads return the default, writes are dropped, rate limits are not
counted). Short socket timeouts (settings.CACHES) bound the wait, and after
a failure Redis is not tried again for PAUSE_SECONDS.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
F = TypeVar("F", bound=Callable[..., Any])


# After a failure, Redis is left alone this long: a hung Redis costs one
# timeout per process and pause, not one per cache operation.
PAUSE_SECONDS = 5.0


def _or(fallback: Callable[..., Any]) -> Callable[[F], F]:
    """Run the method; on an unreachable Redis, `fallback(*args, **kwargs)`."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def safe(self: FailSafeRedisCache, *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self.paused_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self.paused_until = time.monotonic() + PAUSE_SECONDS
                logger.warning(
                    "cache unreachable, %s skipped: %s", method.__name__, exc
                )
                return fallback(*args, **kwargs)

        return safe  # type: ignore[return-value]

    return decorate


def _default(key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


def _empty(*args: Any, **kwargs: Any) -> dict:
    return {}


def _zero(*args: Any, **kwargs: Any) -> int:
    return 0


def _missing(key: str, *args: Any, **kwargs: Any) -> int:
    raise ValueError(f"Key '{key}' not found")


def _all_failed(data: dict, *args: Any, **kwargs: Any) -> list:
    return list(data)


class FailSafeRedisCache(RedisCache):
    paused_until = 0.0

    get = _or(_default)(RedisCache.get)
    get_many = _or(_empty)(RedisCache.get_many)
    has_key = _or(_false)(RedisCache.has_key)
    set = _or(_nothing)(RedisCache.set)
    set_many = _or(_all_failed)(RedisCache.set_many)
    add = _or(_false)(RedisCache.add)
    incr = _or(_missing)(RedisCache.incr)
    touch = _or(_false)(RedisCache.touch)
    delete = _or(_false)(RedisCache.delete)
    delete_many = _or(_nothing)(RedisCache.delete_many)
    clear = _or(_false)(RedisCache.clear)

    @_or(_zero)
    def count(self, key: str, timeout: int, amount: int = 1) -> int:
        """Add `amount` to the integer at `key` and return it; a missing key
        starts at 0 and lives `timeout` seconds. One round trip (the API's rate
        limits, events/api/throttling.py); INCRBY is atomic, so no MULTI."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipe:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incrby(key, amount)
            _, value = pipe.execute()
        return int(value)


def cache_settings(redis_url: str) -> dict[str, Any]:
    """The default cache: Redis when `redis_url` is set (shared by every web
    process: the rate-limit counters), else memory local to each process, so
    with several gunicorn workers each one counts on its own."""
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        # A stopped Redis turns into cache misses, not errors (and with short
        # timeouts, no long waits): the site keeps working.
        "BACKEND": "tracker.cache.FailSafeRedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "tracker",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
