"""The fetcher against a real local HTTP server, and its SSRF guard."""

import pytest

from events.ingest.fetch import FetchError, FetchLimits, fetch
from tests.httpserver import Route, http_server

FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
)


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        yield srv


def test_fetches_a_feed_with_its_validators(server):
    server.routes["/feed"] = Route(
        body=FEED,
        etag='"v1"',
        headers={"Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
    )
    fetched = fetch(server.url("/feed"))
    assert fetched.status == 200
    assert fetched.body == FEED
    assert fetched.etag == '"v1"'
    assert fetched.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_conditional_get_sends_validators_and_gets_304(server):
    server.routes["/feed"] = Route(body=FEED, etag='"v1"')
    fetched = fetch(
        server.url("/feed"), etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT"
    )
    assert fetched.status == 304
    assert fetched.body == b""
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_gzip_bodies_are_decoded(server):
    server.routes["/feed"] = Route(body=FEED, gzip=True)
    assert fetch(server.url("/feed")).body == FEED


def test_decoded_size_is_capped_even_when_compressed(server):
    server.routes["/bomb"] = Route(body=b"<" + b"a" * 5_000_000, gzip=True)
    with pytest.raises(FetchError, match="larger than") as info:
        fetch(server.url("/bomb"), limits=FetchLimits(max_bytes=1_000_000))
    assert not info.value.transient


def test_follows_up_to_three_redirects(server):
    server.routes["/feed"] = Route(body=FEED)
    for i in range(3):
        nxt = "/feed" if i == 2 else f"/r{i + 1}"
        server.routes[f"/r{i}"] = Route(status=302, headers={"Location": nxt})
    assert fetch(server.url("/r0")).url == server.url("/feed")


def test_refuses_a_fourth_redirect(server):
    for i in range(4):
        server.routes[f"/r{i}"] = Route(status=301, headers={"Location": f"/r{i + 1}"})
    server.routes["/r4"] = Route(body=FEED)
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(server.url("/r0"))


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",
        "http://2130706433/feed",
        "http://localhost/feed",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_a_private_address_is_refused(server, location):
    server.routes["/r"] = Route(status=302, headers={"Location": location})
    with pytest.raises(FetchError) as info:
        fetch(server.url("/r"))
    assert not info.value.transient
    assert "refused" in str(info.value) or "only http" in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",  # decimal
        "http://0x7f000001/",  # hex
        "http://0177.0.0.1/",  # octal
        "http://127.1/",  # short form
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://localhost/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/",  # link-local (cloud metadata)
        "http://[fe80::1]/",
        "http://224.0.0.1/",  # multicast
        "http://240.0.0.1/",  # reserved
        "http://0.0.0.0/",
        "http://100.64.0.1/",  # carrier-grade NAT
    ],
)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(FetchError, match="refused") as info:
        fetch(url)
    assert not info.value.transient


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/"]
)
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only http"):
        fetch(url)


def test_allowed_hosts_are_exact_names(settings, server):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    server.routes["/feed"] = Route(body=FEED)
    with pytest.raises(FetchError, match="refused"):
        fetch(f"http://localhost:{server.port}/feed")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(server, status):
    server.routes["/feed"] = Route(status=status)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/feed"))
    assert info.value.transient
    assert info.value.status == status


def test_429_is_transient_with_retry_after(server):
    server.routes["/feed"] = Route(status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        fetch(server.url("/feed"))
    assert info.value.transient
    assert info.value.retry_after == 120


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_client_errors_are_permanent(server, status):
    server.routes["/feed"] = Route(status=status)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/feed"))
    assert not info.value.transient


def test_connection_refused_is_transient(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        port = srv.port
    with pytest.raises(FetchError, match="cannot connect") as info:
        fetch(f"http://127.0.0.1:{port}/feed")
    assert info.value.transient


def test_read_timeout_is_transient(server):
    import time

    def slow(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"<rss")
        handler.wfile.flush()
        time.sleep(3)

    server.routes["/slow"] = Route(handler=slow)
    with pytest.raises(FetchError, match="timed out") as info:
        fetch(server.url("/slow"), limits=FetchLimits(read_timeout=0.5))
    assert info.value.transient


@pytest.mark.parametrize("ctype", ["image/png", "application/pdf", "video/mp4"])
def test_content_types_that_are_never_feeds_are_refused(server, ctype):
    server.routes["/x"] = Route(body=b"\x89PNG\r\n", content_type=ctype)
    with pytest.raises(FetchError, match="not a feed"):
        fetch(server.url("/x"))
