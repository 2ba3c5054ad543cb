"""The Redis cache turns an unreachable Redis into misses (a real stopped
Redis under the whole site is in tests/faults/test_broker_down.py)."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from tracker.cache import FailSafeRedisCache


@pytest.fixture
def unreachable():
    """A cache on a loopback port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return FailSafeRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})


def test_reads_are_misses(unreachable):
    assert unreachable.get("key", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("key") is False


def test_get_or_set_computes_the_value(unreachable):
    assert unreachable.get_or_set("key", lambda: 42) == 42


def test_writes_are_dropped(unreachable):
    unreachable.set("key", 1)
    assert unreachable.add("key", 1) is False
    assert unreachable.set_many({"a": 1}) == ["a"]
    unreachable.delete("key")


def test_incr_acts_as_on_a_missing_key(unreachable):
    with pytest.raises(ValueError, match="not found"):
        unreachable.incr("counter")


def test_a_failure_is_logged_and_pauses_further_attempts(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="tracker.cache"):
        unreachable.get("key")
    assert "cache unreachable, get skipped" in caplog.text
    started = time.monotonic()
    for _ in range(100):
        unreachable.get("key")
    assert time.monotonic() - started < 0.5
    assert caplog.text.count("cache unreachable") == 1


def test_count_lets_requests_through(unreachable):
    assert unreachable.count("counter", 60) == 0
