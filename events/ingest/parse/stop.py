"""Access Now's #KeepItOn STOP data (Shutdown Tracker Optimization Project),
CSV as published yearly: a note row may precede the header; header names
carry stray spaces; dates are M/D/YYYY; an end date may be "Ongoing" or
"Unknown".

Each row becomes one candidate per thing shut down: "Internet" for a full
network shutdown, and each platform named for a service-based one (a row
that is both gives both). Countries are mapped with django-countries; a name
it does not know (e.g. "Tanzania, United Republic of") is retried without its
parenthesised or after-comma part, at a lower confidence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django_countries import countries

from events.choices import Action, DatePrecision, FeedFormat, TargetType
from events.dates import PartialDateError, parse_partial_date
from events.ingest.parse.guards import warn
from events.ingest.parse.text import clean_text, content_hash, one_line
from events.ingest.types import Candidate, Guess, ParsedItem, ParseError, ParseResult

HEADER = {"start_date", "country", "ordered_by", "full or service-based"}
_HEADER_WITHIN = 3  # records: the header, after at most two note rows
_SERVICES = (
    ("Facebook_affected", "Facebook"),
    ("Twitter_affected", "Twitter"),
    ("WhatsApp_affected", "WhatsApp"),
    ("Instagram_affected", "Instagram"),
    ("Telegram_affected", "Telegram"),
)
# Services named in free text (other_service_details), by word.
_OTHER_SERVICES = {
    "youtube": "YouTube",
    "facebook messenger": "Facebook Messenger",
    "viber": "Viber",
    "imo": "imo",
    "tango": "Tango",
    "line": "LINE",
    "skype": "Skype",
    "signal": "Signal",
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "wechat": "WeChat",
    "google translate": "Google Translate",
}
_UNKNOWN = {"", "unknown", "n/a", "na", "none", "-"}
_OPEN_END = {"", "ongoing", "unknown"}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_US_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
# Excel and LibreOffice count days from 1899-12-30; five digits are 1927-2173.
_SERIAL_DAY = re.compile(r"[1-9]\d{4}")
_SPREADSHEET_EPOCH = dt.date(1899, 12, 30)
_URL = re.compile(r"https?://[^\s;]+")
_SOURCE_COLUMNS = ("news_link", "off_statement", "telco_resp", "an_link")


class StopRowError(ValueError):
    """A row that gives no usable candidate; the message says why."""


@dataclass
class _Shared:
    """What all candidates of one row have in common."""

    country: Guess
    country_name: str
    place: str
    date: Guess
    ended_on: Guess | None
    authority: Guess | None
    action: Guess
    summary: str
    link: str
    raw: dict[str, Any]


def is_stop_header(cells: list[str]) -> bool:
    return {cell.strip() for cell in cells} >= HEADER


def parse_stop(text: str) -> ParseResult:
    """Candidates of a STOP CSV; a bad row is a warning with its line number."""
    result = ParseResult(format=FeedFormat.STOP_CSV)
    header: list[str] | None = None
    for count, (line, record) in enumerate(_records(text), start=1):
        if isinstance(record, str):
            warn(result, None, f"line {line}: {record}")
            break
        if header is None:
            if is_stop_header(record):
                header = [cell.strip() for cell in record]
            elif count >= _HEADER_WITHIN:
                break
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problem = f"expected {len(header)} cells, found {len(record)}"
            warn(result, None, f"line {line}: {problem}")
            continue
        try:
            result.items.extend(
                stop_items(line, dict(zip(header, record, strict=True)))
            )
        except StopRowError as exc:
            warn(result, None, f"line {line}: {exc}")
    if header is None:
        raise ParseError(
            "not a #KeepItOn STOP CSV: no header with start_date, country, "
            "ordered_by and 'full or service-based' in its first lines"
        )
    return result


def _records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, cells) per record; a message ends a broken file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, f"not valid CSV ({exc}); the rest was not read"
            return
        yield start, record
        start = reader.line_num + 1


def stop_items(line: int, cells: dict[str, str]) -> list[ParsedItem]:
    """The candidates of one row (header names and cells as in the file)."""
    row = {name: one_line(value) for name, value in cells.items()}
    kinds = row.get("full or service-based", "").lower()
    targets = [("Internet", 1.0)] if "full" in kinds else []
    if "service" in kinds:
        targets += _platforms(row)
    if not targets:
        raise StopRowError(
            "names neither a full network shutdown nor an affected platform"
        )
    shared = _shared(line, row)
    digest = json.dumps(list(cells.values()), ensure_ascii=False)
    return [_item(shared, name, weight, digest) for name, weight in targets]


def _shared(line: int, row: dict[str, str]) -> _Shared:
    country, country_name = _country(row.get("country", ""))
    place = _place(row, country_name)
    start = _date(row.get("start_date", ""), "start_date")
    end = row.get("end_date", "")
    ordered_by = row.get("ordered_by", "")
    urls = _URL.findall(" ".join(row.get(name, "") for name in _SOURCE_COLUMNS))
    return _Shared(
        country=country,
        country_name=country_name,
        place=place,
        date=Guess(start, 1.0),
        ended_on=None
        if end.lower() in _OPEN_END
        else Guess(_date(end, "end_date"), 1.0),
        authority=None if ordered_by.lower() in _UNKNOWN else Guess(ordered_by, 1.0),
        action=_action(row),
        summary=_summary(row, _where(place, country_name)),
        link=urls[0].rstrip(".,)") if urls else "",
        raw={"line": line, **row},
    )


def _country(name: str) -> tuple[Guess, str]:
    name = one_line(name)
    tries = (
        (name, 1.0),
        (re.sub(r"\s*\(.*?\)", "", name), 0.9),  # "Iran (Islamic Republic of)"
        (name.split(",")[0], 0.9),  # "Tanzania, United Republic of"
    )
    for candidate, confidence in tries:
        code = str(countries.by_name(candidate)) if candidate else ""
        if code:
            return Guess(code, confidence), name
    raise StopRowError(f"country {name!r} is not a country name django-countries knows")


def _date(value: str, column: str) -> tuple[dt.date, str]:
    """(date, precision) from M/D/YYYY, M/YYYY, ISO YYYY[-MM[-DD]] or a
    spreadsheet's day number (a cell that lost its date format)."""
    try:
        if _SERIAL_DAY.fullmatch(value):
            day = _SPREADSHEET_EPOCH + dt.timedelta(days=int(value))
            return day, str(DatePrecision.DAY)
        if match := _US_DATE.fullmatch(value):
            month, day, year = (int(part) for part in match.groups())
            return dt.date(year, month, day), str(DatePrecision.DAY)
        if match := _US_MONTH.fullmatch(value):
            month, year = (int(part) for part in match.groups())
            return dt.date(year, month, 1), str(DatePrecision.MONTH)
        parsed, precision = parse_partial_date(value)
    except (ValueError, PartialDateError) as exc:
        raise StopRowError(f"{column}: {value!r} is not a date (M/D/YYYY)") from exc
    return parsed, str(precision)


def _platforms(row: dict[str, str]) -> list[tuple[str, float]]:
    named = [(name, 1.0) for column, name in _SERVICES if row.get(column, "") == "Yes"]
    details = row.get("other_service_details (specify)", "")
    for word, name in _OTHER_SERVICES.items():
        if re.search(rf"\b{word}\b", details, re.IGNORECASE):
            named.append((name, 0.8))  # read from free text
    return named


def _place(row: dict[str, str], country_name: str) -> str:
    area = row.get("area_name", "")
    parts = [] if area.lower() in ("", "national", "nationwide") else [area]
    state = row.get("State/India", "")
    if state and not any(state.lower() in part.lower() for part in parts):
        parts.append(state)
    return ", ".join(parts) or country_name


def _where(place: str, country_name: str) -> str:
    return place if place == country_name else f"{place}, {country_name}"


def _action(row: dict[str, str]) -> Guess:
    kinds = [k.strip().lower() for k in row.get("shutdown_type_new", "").split(",")]
    kinds = [kind for kind in kinds if kind]
    throttling = [("throttl" in kind or "bandwidth" in kind) for kind in kinds]
    if throttling and all(throttling):
        return Guess(str(Action.THROTTLED), 1.0)
    # A shutdown, or a shutdown that was a throttling elsewhere or at times.
    return Guess(str(Action.BLOCKED), 0.9 if any(throttling) else 1.0)


def _known(*values: str) -> str:
    return ": ".join(value for value in values if value.lower() not in _UNKNOWN)


def _ordered_by(row: dict[str, str]) -> str:
    ordered_by = _known(row.get("ordered_by", ""))
    decision_maker = _known(row.get("decision_maker", ""))
    if not decision_maker or decision_maker.lower() == ordered_by.lower():
        return ordered_by
    return f"{ordered_by} ({decision_maker})" if ordered_by else decision_maker


def _summary(row: dict[str, str], where: str) -> str:
    facts = (
        ("Type", _known(row.get("full or service-based", ""))),
        ("Shutdown type", _known(row.get("shutdown_type_new", ""))),
        ("Networks", _known(row.get("affected_network", ""))),
        ("Where", where),
        ("Ordered by", _ordered_by(row)),
        ("Official justification", _known(row.get("official_just", ""))),
        ("Details", _known(row.get("other_just_details", ""))),
        ("Actual cause", _known(row.get("actual_cause", ""))),
        ("Cause details", _known(row.get("other_cause_details", ""))),
        ("Legal basis", _known(row.get("legal_method", ""))),
        ("Other services", _known(row.get("other_service_details (specify)", ""))),
        ("Telecom operators", _known(row.get("telcos_involved", ""))),
    )
    lines = [f"{label}: {value}" for label, value in facts if value]
    lines.append(f"Source: Access Now #KeepItOn STOP data, ID {row.get('ID', '?')}")
    return clean_text("\n".join(lines))


def _item(shared: _Shared, platform: str, weight: float, digest: str) -> ParsedItem:
    action = shared.action.value
    verb = (
        "shut down" if platform == "Internet" and action == Action.BLOCKED else action
    )
    start = shared.date.value[0].isoformat()
    candidate = Candidate(
        is_event=True,
        confidence=1.0,
        platform=Guess(platform, weight),
        target=Guess(f"{platform} access in {shared.place}", weight),
        target_type=Guess(str(TargetType.WHOLE_PLATFORM), 1.0),
        authority=shared.authority,
        country=shared.country,
        action=shared.action,
        date=shared.date,
        ended_on=shared.ended_on,
        summary=Guess(shared.summary, 1.0),
        reason="a #KeepItOn STOP row",
    )
    return ParsedItem(
        guid=content_hash(digest, platform),  # the row's cells: stable on replay
        link=shared.link,
        title=f"{platform} {verb} in {_where(shared.place, shared.country_name)} "
        f"from {start}",
        text=shared.summary,
        published_at=None,
        raw=shared.raw,
        candidate=candidate,
    )
