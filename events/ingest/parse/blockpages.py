"""Blocking fingerprints (the OONI / Citizen Lab list format) and matching
them against an OONI web_connectivity measurement.

A fingerprint is a DNS answer or a piece of an HTTP response (body or a
header) known to come from a censor's blockpage or DNS injection. The full
lists live at https://github.com/ooni/blocking-fingerprints; the repository
ships a small list of our own (fingerprints/*.json), and load_fingerprints
reads either.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DIRECTORY = Path(__file__).resolve().parent / "fingerprints"
_PATTERN_TYPES = {"full", "prefix", "contains", "regexp"}
_MAX_BODY = 1024 * 1024  # OONI truncates bodies anyway; bounds regexp work


@dataclass(frozen=True)
class Fingerprint:
    name: str
    location: str  # "dns", "body" or "header.<name>"
    pattern_type: str  # full, prefix, contains or regexp
    pattern: str
    countries: frozenset[str]  # expected ISO codes; empty for "anywhere"
    scope: str  # nat, isp, prod, inst, vbw, fp (known false positive)…
    regexp: re.Pattern[str] | None = None

    def matches(self, value: str) -> bool:
        if self.pattern_type == "full":
            return value == self.pattern
        if self.pattern_type == "prefix":
            return value.startswith(self.pattern)
        if self.pattern_type == "contains":
            return self.pattern in value
        return bool(self.regexp and self.regexp.search(value))

    def confirms(self, country: str) -> bool:
        """Whether a match is confirmed blocking in `country`: the fingerprint
        is not a known false positive and names that country, or names none
        and has national or ISP scope. (Stricter than OONI's fastpath, which
        also confirms a national or ISP match in an unlisted country.)"""
        if self.scope == "fp":
            return False
        if self.countries:
            return country in self.countries
        return self.scope in ("nat", "isp")


@dataclass(frozen=True)
class Fingerprints:
    dns: dict[str, tuple[Fingerprint, ...]]  # by answer, all "full" patterns
    http: tuple[Fingerprint, ...]


@dataclass(frozen=True)
class Match:
    fingerprint: Fingerprint
    where: str  # "dns", "body" or "header.<name>"
    value: str  # the answer or header value that matched ("" for a body)


def load_fingerprints(dns_json: bytes, http_json: bytes) -> Fingerprints:
    """Fingerprints from two JSON documents in the OONI format: a list of
    entries, or an object whose "fingerprints" key holds one (ours, which
    documents where each entry comes from). Raises ValueError if malformed."""
    dns: dict[str, list[Fingerprint]] = {}
    for fingerprint in _entries(dns_json):
        if fingerprint.pattern_type != "full":
            raise ValueError(f"{fingerprint.name}: DNS patterns must be full")
        dns.setdefault(fingerprint.pattern, []).append(fingerprint)
    return Fingerprints(
        dns={answer: tuple(fps) for answer, fps in dns.items()},
        http=tuple(_entries(http_json)),
    )


@functools.cache
def default_fingerprints() -> Fingerprints:
    """The list shipped in the repository, read once."""
    return load_fingerprints(
        (_DIRECTORY / "dns.json").read_bytes(),
        (_DIRECTORY / "http.json").read_bytes(),
    )


def _entries(document: bytes) -> list[Fingerprint]:
    data = json.loads(document)
    if isinstance(data, dict):
        data = data.get("fingerprints")
    if not isinstance(data, list):
        raise ValueError("a fingerprint list must be a JSON list of entries")
    return [_fingerprint(entry) for entry in data]


def _fingerprint(entry: Any) -> Fingerprint:
    try:
        pattern_type = str(entry["pattern_type"])
        pattern = str(entry["pattern"])
        countries = str(entry.get("expected_countries") or "")
        fingerprint = Fingerprint(
            name=str(entry["name"]),
            location=str(entry["location_found"]).lower(),
            pattern_type=pattern_type,
            pattern=pattern,
            countries=frozenset(c.strip().upper() for c in countries.split(",") if c),
            scope=str(entry.get("scope") or ""),
            regexp=re.compile(pattern) if pattern_type == "regexp" else None,
        )
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ValueError(f"malformed fingerprint {entry!r:.120}: {exc}") from exc
    if pattern_type not in _PATTERN_TYPES or not pattern:
        raise ValueError(f"{fingerprint.name}: bad pattern type or empty pattern")
    return fingerprint


def match_measurement(test_keys: dict[str, Any], fps: Fingerprints) -> list[Match]:
    """Every fingerprint that matches a DNS answer or an HTTP response of a
    web_connectivity measurement's test_keys."""
    found = []
    for query in _list(test_keys.get("queries")):
        for answer in _list(query.get("answers") if isinstance(query, dict) else None):
            if not isinstance(answer, dict):
                continue
            for key in ("ipv4", "ipv6", "hostname"):
                value = answer.get(key)
                if isinstance(value, str):
                    found += [Match(fp, "dns", value) for fp in fps.dns.get(value, ())]
    for request in _list(test_keys.get("requests")):
        response = request.get("response") if isinstance(request, dict) else None
        if isinstance(response, dict):
            found += _match_response(response, fps)
    return found


def _match_response(response: dict[str, Any], fps: Fingerprints) -> list[Match]:
    body = _decoded(response.get("body"), "utf-8")[:_MAX_BODY]
    headers = _headers(response)
    found = []
    for fp in fps.http:
        if fp.location == "body":
            if body and fp.matches(body):
                found.append(Match(fp, "body", ""))
            continue
        value = headers.get(fp.location.removeprefix("header."))
        if value is not None and fp.matches(value):
            found.append(Match(fp, fp.location, value))
    return found


def _headers(response: dict[str, Any]) -> dict[str, str]:
    """Header values by lower-case name, from headers_list or headers."""
    pairs = response.get("headers_list")
    if not isinstance(pairs, list):
        headers = response.get("headers")
        pairs = list(headers.items()) if isinstance(headers, dict) else []
    result = {}
    for pair in pairs:
        if isinstance(pair, list | tuple) and len(pair) == 2:
            result.setdefault(str(pair[0]).lower(), _decoded(pair[1], "latin-1"))
    return result


def _decoded(value: Any, encoding: str) -> str:
    """A body or header value as text; OONI stores non-UTF-8 ones in base64."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("format") == "base64":
        try:
            data = base64.b64decode(str(value.get("data", "")))
        except (binascii.Error, ValueError):
            return ""
        return data.decode(encoding, "replace")
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
