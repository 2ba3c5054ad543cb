"""The home page: the timeline of published events, filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS

from events.choices import DatePrecision
from events.models import Event
from events.selectors.keyset import Page, keyset_page
from events.selectors.public import filter_choices, filtered_events
from events.selectors.stats import summarise
from events.views.params import (
    active_filters,
    filter_pairs,
    filter_query,
    parse_cursors,
    parse_filters,
    rejects_invalid_queries,
)

PAGE_SIZE = 25


@dataclass
class MonthGroup:
    month: int | None  # None: events known only to the year
    name: str
    events: list[Event] = field(default_factory=list)


@dataclass
class YearGroup:
    year: int
    months: list[MonthGroup] = field(default_factory=list)


def group_by_month(events: list[Event]) -> list[YearGroup]:
    """Events (newest first) under their year and month. Events known only to
    the year come last in their year, under no month: none is invented."""
    years: dict[int, dict[int, MonthGroup]] = {}
    for event in events:
        month = 0 if event.date_precision == DatePrecision.YEAR else event.date.month
        months = years.setdefault(event.date.year, {})
        if month not in months:
            months[month] = MonthGroup(
                month or None, str(MONTHS[month]) if month else ""
            )
        months[month].events.append(event)
    return [
        YearGroup(year, [months[m] for m in sorted(months, key=_latest_first)])
        for year, months in sorted(years.items(), reverse=True)
    ]


def _latest_first(month: int) -> int:
    return -month if month else 1


def paged_list(
    request: HttpRequest, page: Page, pairs: list[tuple[str, str]]
) -> dict[str, object]:
    """Context for a paged list of events: the groups and the pager's links,
    which keep the filters `pairs`."""

    def link(cursor_name: str, cursor: object) -> str:
        return request.path + "?" + urlencode([*pairs, (cursor_name, str(cursor))])

    return {
        "page": page,
        "groups": group_by_month(page.events),
        "older_url": link("before", page.older) if page.older else "",
        "newer_url": link("after", page.newer) if page.newer else "",
        "newest_url": request.path + ("?" + urlencode(pairs) if pairs else ""),
    }


@rejects_invalid_queries
def timeline(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    before, after = parse_cursors(request.GET)
    events = filtered_events(filters)
    page = keyset_page(events, size=PAGE_SIZE, before=before, after=after)
    context = {
        **paged_list(request, page, filter_pairs(request.GET)),
        "filters": filters,
        "chips": active_filters(request.GET, filters),
        "choices": filter_choices(),
        "summary": summarise(events),
        "feed_query": filter_query(request.GET),
        "paged": bool(before or after),
    }
    return render(request, "public/timeline.html", context)
