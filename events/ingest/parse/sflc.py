"""SFLC.in's Internet Shutdowns Tracker (https://internetshutdowns.in) for
India: a JSON list of records, each with "state:name", "districts", "date"
(YYYY-MM-DD), "description" (plain text or HTML) and "source" (a news URL);
later records add "networksAffected", "nature", "duration", "active" and
"verified".

Each record is one shutdown in India, modelled as the #KeepItOn STOP adapter
models a full network shutdown: the platform "Internet", a whole-platform
target "Internet access in <districts>, <state>", action blocked. The
records name no order issuer, so the authority is left to curators. An end
date is given only when "duration" (hours) pins it down: to the day when the
hours are whole days, else to the month or year both possible end days share
(the start hour is unknown); without one the end stays open. Records that
share a source URL get an anchor on it ("#sflc-2"), because the store stage
treats a known link as the same story.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from events.choices import Action, DatePrecision, FeedFormat, TargetType
from events.dates import PartialDateError, parse_partial_date
from events.ingest.parse.guards import warn
from events.ingest.parse.text import content_hash, html_to_text, one_line, to_jsonable
from events.ingest.types import Candidate, Guess, ParsedItem, ParseError, ParseResult

STATE = "state:name"
_LISTED_DISTRICTS = 3  # a longer list is counted in the target, listed in the text
_MAX_HOURS = 24 * 366 * 20  # beyond this a duration is a typo, not hours
_NETWORKS = {"mobile": "mobile", "broadband": "broadband", "both": "mobile, broadband"}


class ShutdownRecordError(ValueError):
    """A record that gives no usable candidate; the message says why."""


def is_sflc_records(value: Any) -> bool:
    first = value[0] if isinstance(value, list) and value else None
    return isinstance(first, dict) and STATE in first and "date" in first


def parse_sflc(value: Any) -> ParseResult:
    """Candidates of the records; a bad record is a warning naming its
    position ("record 7") and the others are kept."""
    if not isinstance(value, list):
        raise ParseError("not SFLC.in shutdown records: not a JSON list")
    result = ParseResult(format=FeedFormat.SFLC_IN, title="SFLC.in shutdowns")
    shared = Counter(_source(record) for record in value if isinstance(record, dict))
    for number, record in enumerate(value, start=1):
        try:
            item = sflc_item(record)
        except ShutdownRecordError as exc:
            warn(result, None, f"record {number}: {exc}")
            continue
        if item.link and shared[item.link] > 1:
            item.link = f"{item.link}#sflc-{number}"
        result.items.append(item)
    return result


def sflc_item(record: Any) -> ParsedItem:
    """The candidate of one record."""
    if not isinstance(record, dict):
        raise ShutdownRecordError(f"a JSON {type(record).__name__}, not an object")
    state = _text(record, STATE)
    if not state:
        raise ShutdownRecordError(f"no {STATE!r}")
    start = _start(record)
    districts = _districts(record)
    place = _place(state, districts)
    ended = _end(record, start)
    candidate = Candidate(
        is_event=True,
        confidence=1.0,
        platform=Guess("Internet", 1.0),
        target=Guess(f"Internet access in {place}", 1.0),
        target_type=Guess(str(TargetType.WHOLE_PLATFORM), 1.0),
        country=Guess("IN", 1.0),
        action=Guess(str(Action.BLOCKED), 1.0),
        date=Guess(start, 1.0),
        ended_on=Guess(ended, 1.0) if ended else None,
        summary=Guess(_summary(record, state, districts), 1.0),
        reason="an SFLC.in Internet Shutdowns Tracker record",
    )
    key = json.dumps([start[0].isoformat(), state, districts, _source(record)])
    return ParsedItem(
        guid=content_hash("sflc", key),  # stable when the description is edited
        link=_source(record),
        title=f"Internet shut down in {place}, India from {start[0].isoformat()}",
        text=candidate.summary.value if candidate.summary else "",
        published_at=None,
        raw=to_jsonable(record),
        candidate=candidate,
    )


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return one_line(value) if isinstance(value, str) else ""


def _start(record: dict[str, Any]) -> tuple[dt.date, str]:
    value = _text(record, "date")
    try:
        day, precision = parse_partial_date(value)
    except (ValueError, PartialDateError) as exc:
        raise ShutdownRecordError(f"date {value!r} is not YYYY-MM-DD") from exc
    return day, str(precision)


def _districts(record: dict[str, Any]) -> list[str]:
    given = record.get("districts")
    if given is not None and not isinstance(given, list):
        raise ShutdownRecordError("districts is not a list")
    names = [one_line(name) for name in given or [] if isinstance(name, str)]
    return [name for name in names if name]


def _place(state: str, districts: list[str]) -> str:
    if not districts or districts == [state]:
        return state
    if len(districts) > _LISTED_DISTRICTS:
        return f"{len(districts)} districts of {state}"
    return f"{', '.join(districts)}, {state}"


def _source(record: dict[str, Any]) -> str:
    url = _text(record, "source") if isinstance(record, dict) else ""
    if url and "://" not in url and "." in url.split("/", 1)[0]:
        url = f"http://{url}"  # a few records drop the scheme
    return url if url.startswith(("http://", "https://")) else ""


def _end(record: dict[str, Any], start: tuple[dt.date, str]) -> tuple | None:
    """The end as (date, precision) that `duration` hours give, if any."""
    hours = record.get("duration")
    if not _is_hours(hours):
        return None
    if start[1] != DatePrecision.DAY:
        return None
    begin = dt.datetime.combine(start[0], dt.time())
    earliest = (begin + dt.timedelta(hours=hours)).date()
    latest = (begin + dt.timedelta(hours=hours, days=1, microseconds=-1)).date()
    if earliest == latest:
        return earliest, str(DatePrecision.DAY)
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return earliest.replace(day=1), str(DatePrecision.MONTH)
    if earliest.year == latest.year:
        return earliest.replace(month=1, day=1), str(DatePrecision.YEAR)
    return None


def _is_hours(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= _MAX_HOURS
    )


def _summary(record: dict[str, Any], state: str, districts: list[str]) -> str:
    networks = _NETWORKS.get(_text(record, "networksAffected").casefold(), "")
    hours = record.get("duration")
    active = record.get("active")
    verified = record.get("verified")
    description = record.get("description")
    facts = (
        ("Where", f"{', '.join(districts)} ({state})" if districts else state),
        ("Networks", networks),
        ("Nature", _text(record, "nature")),
        ("Duration", f"{hours} hours" if _is_hours(hours) else ""),
        ("Still active", {True: "yes", False: "no"}.get(active, "")),
        ("Verified by SFLC.in", {True: "yes", False: "no"}.get(verified, "")),
    )
    lines = [f"{label}: {value}" for label, value in facts if value]
    if isinstance(description, str) and description.strip():
        lines.append(html_to_text(description))
    lines.append("Source: SFLC.in Internet Shutdowns Tracker")
    return "\n".join(lines)
