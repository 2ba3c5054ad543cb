"""OONI measurements (https://github.com/ooni/spec): one JSON object, a JSON
list of them, or JSON Lines.

A web_connectivity measurement is an event only when a blocking fingerprint
confirms it (a DNS answer or blockpage known for that country): the probe's
own verdict ("dns", "http-failure", "tcp_ip"…) flags anomalies, many of them
network errors, so an unconfirmed anomaly is kept as a non-event with the
reason. Instant-messaging tests are events when their test keys say blocked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from events.choices import Action, DatePrecision, FeedFormat, TargetType
from events.ingest.parse.blockpages import Fingerprints, Match, match_measurement
from events.ingest.parse.document import BadLine
from events.ingest.parse.guards import warn
from events.ingest.parse.text import clean_text, json_hash, one_line, to_jsonable
from events.ingest.types import Candidate, Guess, ParsedItem, ParseResult

EXPLORER = "https://explorer.ooni.org"
# Test name: (platform, test keys and the values that mean "blocked").
IM_TESTS: dict[str, tuple[str, tuple[tuple[str, Any], ...]]] = {
    "telegram": (
        "Telegram",
        (
            ("telegram_http_blocking", True),
            ("telegram_tcp_blocking", True),
            ("telegram_web_status", "blocked"),
        ),
    ),
    "whatsapp": (
        "WhatsApp",
        (
            ("whatsapp_endpoints_status", "blocked"),
            ("whatsapp_web_status", "blocked"),
            ("registration_server_status", "blocked"),
        ),
    ),
    "facebook_messenger": (
        "Facebook Messenger",
        (("facebook_tcp_blocking", True), ("facebook_dns_blocking", True)),
    ),
    "signal": ("Signal", (("signal_backend_status", "blocked"),)),
}


class MeasurementError(ValueError):
    """A measurement that cannot be read at all."""


def is_measurement(value: Any) -> bool:
    return isinstance(value, dict) and (
        "test_keys" in value or "measurement_start_time" in value
    )


def parse_ooni(
    measurements: list[tuple[str, Any]], fingerprints: Fingerprints
) -> ParseResult:
    """Items of (label, value) pairs; the label ("line 3") names a measurement
    in warnings."""
    result = ParseResult(format=FeedFormat.OONI)
    for label, value in measurements:
        if isinstance(value, BadLine):
            warn(result, None, f"{label}: {value.message}")
        elif not is_measurement(value):
            warn(result, None, f"{label}: not an OONI measurement")
        else:
            try:
                result.items.append(measurement_item(value, fingerprints))
            except MeasurementError as exc:
                warn(result, None, f"{label}: {exc}")
    return result


def explorer_url(measurement: dict[str, Any]) -> str:
    uid = _text(measurement, "measurement_uid")
    if uid:
        return f"{EXPLORER}/m/{quote(uid, safe='')}"
    report_id = _text(measurement, "report_id")
    if not report_id:
        return ""
    url = f"{EXPLORER}/measurement/{quote(report_id, safe='')}"
    given = _text(measurement, "input")
    return f"{url}?{urlencode({'input': given})}" if given else url


def measurement_item(measurement: dict[str, Any], fps: Fingerprints) -> ParsedItem:
    started = _start_time(measurement)
    test = _text(measurement, "test_name") or "unknown"
    test_keys = measurement.get("test_keys")
    test_keys = test_keys if isinstance(test_keys, dict) else {}
    if test == "web_connectivity":
        candidate = _web_candidate(measurement, test_keys, fps, started)
    elif test in IM_TESTS:
        candidate = _im_candidate(measurement, test_keys, IM_TESTS[test], started)
    else:
        candidate = Candidate(
            is_event=False,
            confidence=0.0,
            reason=f"OONI {test} measurement: not a test of a website or app",
        )
    given = _text(measurement, "input")
    subject = f"OONI {test}: {given}" if given else f"OONI {test} test"
    report = _text(measurement, "report_id")
    own_id = _text(measurement, "measurement_uid") or (report and f"{report}:{given}")
    return ParsedItem(
        guid=f"ooni:{own_id}" if own_id else json_hash(measurement),
        link=explorer_url(measurement),
        title=one_line(f"{subject} from {_network(measurement)}"),
        text=candidate.summary.value if candidate.summary else candidate.reason,
        published_at=started,
        raw=to_jsonable(measurement),
        candidate=candidate,
    )


def _text(measurement: dict[str, Any], key: str) -> str:
    value = measurement.get(key)
    return one_line(value) if isinstance(value, str) else ""


def _start_time(measurement: dict[str, Any]) -> dt.datetime:
    value = _text(measurement, "measurement_start_time")
    try:
        started = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise MeasurementError(f"measurement_start_time {value!r} unreadable") from exc
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)  # OONI times are UTC
    return started.astimezone(dt.UTC)


def _country(measurement: dict[str, Any]) -> str:
    code = _text(measurement, "probe_cc").upper()
    return code if len(code) == 2 and code.isalpha() and code != "ZZ" else ""


def _network(measurement: dict[str, Any]) -> str:
    asn = _text(measurement, "probe_asn")
    name = _text(measurement, "probe_network_name")
    where = f"{name} ({asn})" if name and asn else name or asn or "an unknown network"
    country = _country(measurement)
    return f"{where} in {country}" if country else where


def _base(
    measurement: dict[str, Any], started: dt.datetime, target: str, target_type: str
) -> Candidate:
    """A non-event with what every measurement gives: where, when, what."""
    country = _country(measurement)
    return Candidate(
        is_event=False,
        confidence=0.0,
        target=Guess(target, 1.0),
        target_type=Guess(target_type, 1.0),
        country=Guess(country, 1.0) if country else None,
        date=Guess((started.date(), str(DatePrecision.DAY)), 1.0),
    )


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _web_candidate(
    measurement: dict[str, Any],
    test_keys: dict[str, Any],
    fps: Fingerprints,
    started: dt.datetime,
) -> Candidate:
    url = _text(measurement, "input")
    domain = _domain(url)
    if not domain:
        raise MeasurementError(f"web_connectivity input {url!r} has no host name")
    base = _base(measurement, started, domain, str(TargetType.WEBSITE))
    base.target_url = Guess(url, 1.0)
    matches = match_measurement(test_keys, fps)
    confirming = [m for m in matches if m.fingerprint.confirms(_country(measurement))]
    if not confirming:
        reason = _unconfirmed(test_keys, matches, _country(measurement))
        anomaly = bool(matches) or test_keys.get("blocking") not in (False, None)
        return dataclasses.replace(
            base, confidence=0.2 if anomaly else 0.0, reason=reason
        )
    summary = (
        f"OONI web_connectivity measurement from {_network(measurement)} on "
        f"{started.date().isoformat()}: {url} is blocked by "
        f"{_method(confirming[0])}."
    )
    return dataclasses.replace(
        base,
        is_event=True,
        confidence=0.95,
        # A domain: the store stage maps it to a known platform if it is one.
        platform=Guess(domain, 0.9),
        action=Guess(str(Action.BLOCKED), 1.0),
        summary=Guess(clean_text(summary), 1.0),
        reason=f"confirmed by blocking fingerprint {confirming[0].fingerprint.name}",
    )


def _method(match: Match) -> str:
    name = match.fingerprint.name
    if match.where == "dns":
        return f"DNS injection (the resolver answered {match.value}; {name})"
    if match.where == "header.location":
        return f"a redirect to a blockpage ({match.value}; {name})"
    if match.where == "body":
        return f"a blockpage served in its place ({name})"
    header = match.where.removeprefix("header.")
    return f"a blockpage (HTTP header {header}: {match.value}; {name})"


def _unconfirmed(test_keys: dict[str, Any], matches: list[Match], country: str) -> str:
    blocking = test_keys.get("blocking")
    if test_keys.get("control_failure"):
        reason = f"inconclusive: the control failed ({test_keys['control_failure']})"
    elif blocking is None:
        reason = "inconclusive: OONI could not tell (blocking is null)"
    elif blocking is False:
        reason = "not blocked: the site was reachable and matches the control"
    else:
        reason = (
            f"an anomaly ({blocking}) that no known blockpage or DNS fingerprint "
            "confirms: often a network error or false positive, not an event"
        )
    unconfirming = sorted({m.fingerprint.name for m in matches})
    if unconfirming:
        reason += (
            f"; matched {', '.join(unconfirming)}, which does not confirm "
            f"blocking in {country or 'an unknown country'} (a commercial, local "
            "or false-positive fingerprint)"
        )
    return reason


def _im_candidate(
    measurement: dict[str, Any],
    test_keys: dict[str, Any],
    test: tuple[str, tuple[tuple[str, Any], ...]],
    started: dt.datetime,
) -> Candidate:
    platform, flags = test
    base = _base(measurement, started, platform, str(TargetType.WHOLE_PLATFORM))
    base.platform = Guess(platform, 1.0)
    blocked = [f"{key}={value}" for key, value in flags if test_keys.get(key) == value]
    if not blocked:
        reason = f"not blocked: the OONI test found {platform} reachable"
        return dataclasses.replace(base, reason=reason)
    summary = (
        f"OONI {platform} test from {_network(measurement)} on "
        f"{started.date().isoformat()} reports blocking ({', '.join(blocked)})."
    )
    return dataclasses.replace(
        base,
        is_event=True,
        confidence=0.6,  # the probe's verdict, not a fingerprint
        action=Guess(str(Action.BLOCKED), 0.8),
        summary=Guess(clean_text(summary), 1.0),
        reason="the test keys say blocked; no blockpage fingerprint applies",
    )
