"""Dates at a precision: a year, a month or a day, never a day the source did not give.

A partial date is stored as the first day of its period plus its precision, and is
written back at that precision: (2018-08-01, "month") is "2018-08", never "2018-08-01".
"""

from __future__ import annotations

import datetime as dt
import re

from events.choices import DatePrecision

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


class PartialDateError(ValueError):
    """The text is not a date at year, month or day precision."""


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into (first day, precision)."""
    match = _PARTIAL.match(text.strip())
    if not match:
        raise PartialDateError(
            f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    year, month, day = match.groups()
    try:
        value = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise PartialDateError(f"{text!r} is not a valid date: {exc}") from exc
    if day:
        return value, DatePrecision.DAY
    if month:
        return value, DatePrecision.MONTH
    return value, DatePrecision.YEAR


def format_partial_date(value: dt.date, precision: str) -> str:
    """Write a date at its precision, ISO 8601 style."""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def precision_error(value: dt.date, precision: str) -> str | None:
    """Why `value` cannot stand at `precision`, or None when it can."""
    if precision == DatePrecision.MONTH and value.day != 1:
        return "a day is given but the precision is month"
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        return "a month or day is given but the precision is year"
    return None


def period_end(value: dt.date, precision: str) -> dt.date:
    """The last day of the period a partial date stands for."""
    if precision == DatePrecision.YEAR:
        return dt.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        following = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return value
