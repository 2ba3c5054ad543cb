"""Fetching feeds over HTTP(S), safely.

requests-hardened refuses private, loopback, link-local, multicast and reserved
addresses after DNS resolution (so decimal, hex and IPv4-mapped spellings of
127.0.0.1 are caught too). Redirects are followed here, one hop at a time, so
that every hop is checked again and at most `max_redirects` are taken. Hosts
named in FEED_FETCH_ALLOWED_HOSTS (local development, tests) skip the address
check, and only them.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from requests_hardened import HTTPSession
from requests_hardened.config import Config
from requests_hardened.ip_filter import InvalidIPAddress, get_ip_address

REDIRECTS = {301, 302, 303, 307, 308}
# Content types that can never be a feed; anything else is sniffed by the parser.
REFUSED_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf")
REFUSED_TYPES += ("application/zip", "application/x-tar", "application/vnd.")


class FetchError(Exception):
    """A fetch that failed. `transient` failures are worth retrying."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 10 * 1024 * 1024  # decoded (after gzip)
    max_redirects: int = 3

    @classmethod
    def from_settings(cls) -> FetchLimits:
        return cls(
            connect_timeout=settings.FEED_CONNECT_TIMEOUT,
            read_timeout=settings.FEED_READ_TIMEOUT,
            deadline=settings.FEED_DEADLINE,
            max_bytes=settings.FEED_MAX_BYTES,
        )


@dataclass(frozen=True)
class Fetched:
    status: int  # 200 or 304
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    url: str  # after redirects


def _session(
    host: str, allowed_hosts: frozenset[str], limits: FetchLimits
) -> HTTPSession:
    return HTTPSession(
        Config(
            ip_filter_enable=host not in allowed_hosts,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(limits.connect_timeout, limits.read_timeout),
            user_agent_override=settings.FEED_USER_AGENT,
        )
    )


def _refused(host: str) -> str:
    """Why `host` is refused, and what to do about it."""
    return (
        f"refused: {host} is not a public address (for local development or "
        "tests, name it in the FEED_FETCH_ALLOWED_HOSTS setting)"
    )


def url_refusal(url: str) -> str:
    """Why the fetcher will refuse `url` whatever it serves (not http(s), no
    host, a host that resolves to a non-public address), else "". The same
    checks as fetch() makes at its first hop, without a request; a host that
    does not resolve now is not refused (the fetch log will say)."""
    try:
        host = _check_url(url)
    except FetchError as exc:
        return str(exc)
    allowed = {h.lower() for h in settings.FEED_FETCH_ALLOWED_HOSTS}
    if host in allowed:
        return ""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        get_ip_address(host.strip("[]"), port, allow_loopback=False)
    except InvalidIPAddress:
        return _refused(host)
    except (OSError, ValueError, UnicodeError):
        return ""
    return ""


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs are fetched, not {url!r}", transient=False
        )
    if not parts.hostname:
        raise FetchError(f"no host in {url!r}", transient=False)
    return parts.hostname.lower()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed is None:
        return None
    return max(0.0, parsed.timestamp() - time.time())


def _read_body(
    response: requests.Response, limits: FetchLimits, started: float
) -> bytes:
    try:
        return _read_capped(response, limits, started)
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise FetchError("timed out reading the body", transient=True) from exc
    except urllib3.exceptions.DecodeError as exc:
        raise FetchError("the body is not valid gzip/deflate", transient=False) from exc
    except urllib3.exceptions.ProtocolError as exc:
        raise FetchError("the connection broke while reading", transient=True) from exc


def _read_capped(
    response: requests.Response, limits: FetchLimits, started: float
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.raw.stream(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(
                f"body larger than {limits.max_bytes} bytes (decoded)", transient=False
            )
        if time.monotonic() - started > limits.deadline:
            raise FetchError(
                f"fetch took longer than {limits.deadline}s", transient=True
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _classify(response: requests.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        raise FetchError(
            f"HTTP {status}",
            transient=True,
            status=status,
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )
    if status >= 400 or status not in (200, 304):
        raise FetchError(f"HTTP {status}", transient=False, status=status)


def _get(url: str, headers: dict[str, str], limits: FetchLimits) -> requests.Response:
    host = _check_url(url)
    allowed = frozenset(h.lower() for h in settings.FEED_FETCH_ALLOWED_HOSTS)
    session = _session(host, allowed, limits)
    try:
        return session.get(url, headers=headers, stream=True, allow_redirects=False)
    except InvalidIPAddress as exc:
        raise FetchError(_refused(host), transient=False) from exc
    except requests.Timeout as exc:
        raise FetchError(f"timed out fetching {host}", transient=True) from exc
    except requests.ConnectionError as exc:
        if isinstance(exc.__context__, InvalidIPAddress) or "InvalidIPAddress" in str(
            exc
        ):
            raise FetchError(_refused(host), transient=False) from exc
        raise FetchError(f"cannot connect to {host}", transient=True) from exc
    except requests.RequestException as exc:
        raise FetchError(
            f"request failed: {exc.__class__.__name__}", transient=False
        ) from exc


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: FetchLimits | None = None,
) -> Fetched:
    """GET a feed with a conditional request; raise FetchError on failure."""
    limits = limits or FetchLimits.from_settings()
    headers = {"Accept-Encoding": "gzip, deflate", "Accept": settings.FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    for _hop in range(limits.max_redirects + 1):
        response = _get(url, headers, limits)
        with response:
            if response.status_code in REDIRECTS and "Location" in response.headers:
                url = urljoin(url, response.headers["Location"])
                continue
            _classify(response)
            content_type = response.headers.get("Content-Type", "")
            if content_type.lower().startswith(REFUSED_TYPES):
                raise FetchError(
                    f"content type {content_type} is not a feed", transient=False
                )
            body = (
                b""
                if response.status_code == 304
                else _read_body(response, limits, started)
            )
            return Fetched(
                status=response.status_code,
                body=body,
                content_type=content_type,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
                url=url,
            )
    raise FetchError(f"more than {limits.max_redirects} redirects", transient=False)
