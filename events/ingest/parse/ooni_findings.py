"""OONI Findings (https://explorer.ooni.org/findings): the incidents API's
JSON, a search page {"incidents": [...]} or one incident {"incident": {...}}.

A finding is an analyst's published report of blocking, so each one is an
event, in each country it lists (CCs) and of each thing it names: a website
per domain, and a whole app for each instant-messaging test it cites. An
incident listing two countries gives two candidates, never one folded
together. Each candidate links to the finding's page; when an incident gives
several, each link carries its own anchor ("#MY-weechookeong.com"), because
the store stage treats a known link as the same story.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from events.choices import Action, DatePrecision, FeedFormat, TargetType
from events.ingest.parse.guards import warn
from events.ingest.parse.ooni import IM_TESTS
from events.ingest.parse.text import clean_text, one_line, to_jsonable
from events.ingest.types import Candidate, Guess, ParsedItem, ParseError, ParseResult

FINDING_URL = "https://explorer.ooni.org/findings/{id}"
_COUNTRY = re.compile(r"[A-Z]{2}")
_DOMAIN = re.compile(r"^(?=.{4,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$")


class FindingError(ValueError):
    """An incident that gives no usable candidate; the message says why."""


@dataclass(frozen=True)
class _Thing:
    """What a candidate is about: a website (by domain) or a whole app."""

    platform: str
    target: str
    target_type: str
    url: str = ""


def is_findings(value: Any) -> bool:
    return isinstance(value, dict) and (
        isinstance(value.get("incidents"), list)
        or isinstance(value.get("incident"), dict)
    )


def parse_findings(value: Any) -> ParseResult:
    """Candidates of an incidents API response; a bad incident (or a bad
    country code in one) is a warning naming its position ("incident 2")."""
    if not is_findings(value):
        raise ParseError("not an OONI Findings response: no 'incidents' list")
    incidents = value.get("incidents") or [value.get("incident")]
    result = ParseResult(format=FeedFormat.OONI_FINDINGS, title="OONI Findings")
    for number, incident in enumerate(incidents, start=1):
        try:
            items, problems = finding_items(incident)
        except FindingError as exc:
            warn(result, None, f"incident {number}: {exc}")
            continue
        result.items.extend(items)
        for problem in problems:
            warn(result, None, f"incident {number}: {problem}")
    return result


def finding_items(incident: Any) -> tuple[list[ParsedItem], list[str]]:
    """The candidates of one incident, and the problems that dropped parts
    of it (a country code that is none)."""
    if not isinstance(incident, dict):
        raise FindingError(f"a JSON {type(incident).__name__}, not an object")
    finding_id = _text(incident, "id")
    if not finding_id:
        raise FindingError("no incident id")
    countries, problems = _countries(incident)
    if not countries:
        raise FindingError("lists no country (CCs)")
    start = _time(incident, "start_time")
    if start is None:
        raise FindingError("no start_time")
    end = _time(incident, "end_time")
    things = _things(incident)
    link = FINDING_URL.format(id=quote(finding_id, safe=""))
    several = len(countries) * len(things) > 1
    items = []
    for country in countries:
        for thing in things:
            anchor = f"{country}-{thing.target}" if thing.target else country
            candidate = _candidate(incident, country, thing, start, end, link)
            items.append(
                ParsedItem(
                    guid=f"ooni-finding:{finding_id}:{anchor}",
                    link=f"{link}#{quote(anchor)}" if several else link,
                    title=_title(incident, country, thing),
                    text=candidate.summary.value if candidate.summary else "",
                    published_at=_time(incident, "create_time") or start,
                    raw=to_jsonable(incident),
                    candidate=candidate,
                )
            )
    return items, problems


def _text(incident: dict[str, Any], key: str) -> str:
    value = incident.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return one_line(str(value))


def _strings(incident: dict[str, Any], key: str) -> list[str]:
    value = incident.get(key)
    given = value if isinstance(value, list) else []
    return [one_line(str(v)) for v in given if isinstance(v, str | int) and str(v)]


def _countries(incident: dict[str, Any]) -> tuple[list[str], list[str]]:
    codes, problems = [], []
    for code in _strings(incident, "CCs"):
        if _COUNTRY.fullmatch(code.upper()) and code.upper() != "ZZ":
            if code.upper() not in codes:
                codes.append(code.upper())
        else:
            problems.append(f"{code!r} in CCs is not a country code; left out")
    return codes, problems


def _time(incident: dict[str, Any], key: str) -> dt.datetime | None:
    value = _text(incident, key)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise FindingError(f"{key} {value!r} is not an ISO 8601 time") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)  # OONI times are UTC
    return parsed.astimezone(dt.UTC)


def _things(incident: dict[str, Any]) -> list[_Thing]:
    """Websites from the domains, whole apps from the IM tests; one thing
    with no platform when the incident names neither (a curator picks)."""
    things = []
    for domain in _strings(incident, "domains"):
        host = domain.casefold().rstrip(".")
        if _DOMAIN.match(host):
            bare = host.removeprefix("www.")
            things.append(
                # A domain: the store stage maps it to a known platform if any.
                _Thing(bare, bare, str(TargetType.WEBSITE), f"https://{host}/")
            )
    for test in _strings(incident, "test_names"):
        if test in IM_TESTS:
            app = IM_TESTS[test][0]
            things.append(_Thing(app, app, str(TargetType.WHOLE_PLATFORM)))
    return things or [_Thing("", "", str(TargetType.WEBSITE))]


def _candidate(
    incident: dict[str, Any],
    country: str,
    thing: _Thing,
    start: dt.datetime,
    end: dt.datetime | None,
    link: str,
) -> Candidate:
    published = incident.get("published") is not False
    reason = (
        "an OONI finding: blocking reported by OONI's analysts"
        if published
        else "an unpublished OONI finding (a draft of OONI's): not yet an event"
    )
    if not thing.platform:
        reason += "; it names no domain or app, so a curator must choose the target"
    return Candidate(
        is_event=published,
        confidence=0.9 if published else 0.0,
        platform=Guess(thing.platform, 0.9) if thing.platform else None,
        target=Guess(thing.target, 1.0) if thing.target else None,
        target_type=Guess(thing.target_type, 1.0),
        target_url=Guess(thing.url, 1.0) if thing.url else None,
        country=Guess(country, 1.0),
        action=Guess(str(Action.BLOCKED), 0.9),
        date=Guess((start.date(), str(DatePrecision.DAY)), 1.0),
        ended_on=Guess((end.date(), str(DatePrecision.DAY)), 1.0) if end else None,
        summary=Guess(_summary(incident, link), 1.0),
        reason=reason,
    )


def _title(incident: dict[str, Any], country: str, thing: _Thing) -> str:
    title = _text(incident, "title") or "OONI finding"
    about = f" ({thing.target} in {country})" if thing.target else f" ({country})"
    return one_line(title + about)


def _summary(incident: dict[str, Any], link: str) -> str:
    asns = ", ".join(f"AS{asn}" for asn in dict.fromkeys(_strings(incident, "ASNs")))
    facts = (
        ("Finding", _text(incident, "title")),
        ("Description", _text(incident, "short_description")),
        ("Countries", ", ".join(_strings(incident, "CCs"))),
        ("Networks", asns),
        ("Domains", ", ".join(_strings(incident, "domains"))),
        ("Tests", ", ".join(_strings(incident, "test_names"))),
        ("Tags", ", ".join(_strings(incident, "tags"))),
        ("Themes", ", ".join(_strings(incident, "themes"))),
        ("Start", _text(incident, "start_time")),
        ("End", _text(incident, "end_time") or "ongoing"),
        ("Reported by", _text(incident, "reported_by")),
    )
    lines = [f"{label}: {value}" for label, value in facts if value]
    lines.append(f"Source: OONI finding {link}")
    return clean_text("\n".join(lines))
