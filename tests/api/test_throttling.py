"""Rate limits: per client address without a token, higher per user with one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from events.api.throttling import Allowances

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


def test_high_rates_are_counted_in_leases(api, settings, clock):
    """At 1,000/min a process leases ten requests at a time: thirty requests
    add to the shared counter three times, ten each."""
    settings.API_ANON_RATE = "1000/min"
    counter = f"throttle_anon_127.0.0.1:{int(clock[0] // 60)}"
    seen = []
    for _ in range(30):
        assert api.get("/api/v1/platforms/").status_code == 200
        seen.append(cache.get(counter))
    assert seen == [10] * 10 + [20] * 10 + [30] * 10


def test_low_rates_count_every_request(api, settings, clock):
    settings.API_ANON_RATE = "150/min"  # a lease of one
    counter = f"throttle_anon_127.0.0.1:{int(clock[0] // 60)}"
    for n in range(1, 6):
        api.get("/api/v1/platforms/")
        assert cache.get(counter) == n


def test_processes_sharing_a_counter_never_exceed_the_rate(clock):
    """Three processes (each its own Allowances) serve one client at 1,000/min
    in turn: together they let exactly 1,000 requests through, and refuse the
    first request only once fewer than a lease per other process is left."""
    processes = [Allowances() for _ in range(3)]
    window = int(clock[0] // 60)
    allowed, first_refusal = 0, None
    for n in range(1200):
        if processes[n % 3].take(cache, "client", window, 1000, 60):
            allowed += 1
        elif first_refusal is None:
            first_refusal = n
    assert allowed == 1000
    assert first_refusal is not None and first_refusal >= 1000 - 2 * 10
    assert cache.get(f"client:{window}") >= 1000


def test_a_new_window_drops_what_was_leased(clock):
    allowances = Allowances()
    window = int(clock[0] // 60)
    assert allowances.take(cache, "client", window, 1000, 60)  # leases ten
    assert cache.get(f"client:{window}") == 10
    assert allowances.take(cache, "client", window + 1, 1000, 60)
    assert cache.get(f"client:{window + 1}") == 10
    assert allowances.take(cache, "client", window, 1000, 60)  # nothing kept
    assert cache.get(f"client:{window}") == 20


def test_a_refused_token_is_a_401_counted_against_the_anonymous_rate(api, low_rates):
    bad = {"HTTP_AUTHORIZATION": "Token not-a-key", "REMOTE_ADDR": "10.0.0.7"}

    assert statuses(api, 3, **bad) == [401, 401, 401]
    response = api.get("/api/v1/platforms/", **bad)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_refused_tokens_spend_the_allowance_of_anonymous_reads(api, low_rates):
    statuses(api, 2, HTTP_AUTHORIZATION="Token not-a-key", REMOTE_ADDR="10.0.0.8")

    assert statuses(api, 2, REMOTE_ADDR="10.0.0.8") == [200, 429]


def test_a_malformed_authorization_header_is_counted_too(api, low_rates):
    codes = statuses(api, 4, HTTP_AUTHORIZATION="Token a b", REMOTE_ADDR="10.0.0.9")

    assert codes == [401, 401, 401, 429]
