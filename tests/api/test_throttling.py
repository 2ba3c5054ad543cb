"""Rate limits: per client address without a token, higher per user with one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_ANON_RATE = "3/min"
    settings.API_USER_RATE = "6/min"


def statuses(client, count: int, **extra) -> list[int]:
    return [client.get("/api/v1/platforms/", **extra).status_code for _ in range(count)]


def test_anonymous_reads_are_limited_with_retry_after(api, low_rates):
    assert statuses(api, 3) == [200, 200, 200]
    response = api.get("/api/v1/platforms/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_each_address_has_its_own_limit(api, low_rates):
    assert statuses(api, 4, REMOTE_ADDR="10.0.0.1")[-1] == 429
    assert statuses(api, 1, REMOTE_ADDR="10.0.0.2") == [200]


def test_forwarded_for_cannot_dodge_the_limit(api, low_rates):
    codes = [
        api.get("/api/v1/platforms/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert codes[-1] == 429


def test_tokens_get_the_higher_rate(curator_api, low_rates):
    assert statuses(curator_api, 6) == [200] * 6
    assert curator_api.get("/api/v1/platforms/").status_code == 429


def test_every_endpoint_is_limited(api, low_rates):
    urls = ["/api/v1/events/", "/api/v1/stats/?group_by=year", "/api/v1/schema/"]
    codes = [api.get(url).status_code for url in urls] + [api.get(urls[0]).status_code]
    assert codes[-1] == 429


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, set by the test: 10 s into a minute."""
    now = [600_010.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    return now


def test_the_limit_resets_when_the_window_ends(api, low_rates, clock):
    assert statuses(api, 4) == [200, 200, 200, 429]
    assert api.get("/api/v1/platforms/")["Retry-After"] == "50"
    clock[0] += 50
    assert statuses(api, 3) == [200, 200, 200]


def test_requests_are_counted_once_each_whatever_the_rate(api, settings, clock):
    settings.API_ANON_RATE = "1000/min"
    assert statuses(api, 30) == [200] * 30
    key = f"throttle_anon_127.0.0.1:{int(clock[0] // 60)}"
    assert cache.get(key) == 30
