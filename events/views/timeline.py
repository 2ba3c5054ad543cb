"""The home page: the timeline of published events, filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS
from django_countries.fields import Country

from events.choices import Action, DatePrecision
from events.models import Event
from events.selectors.cached import choices as cached_choices
from events.selectors.cached import record_version, summary_of
from events.selectors.keyset import Page, keyset_page
from events.selectors.public import filtered_events
from events.selectors.stats import Summary
from events.views.params import (
    FILTER_PARAMS,
    active_filters,
    facet_links,
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


def country_choices(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by the name in the active language."""
    named = [(code, str(Country(code=code).name)) for code in codes]
    return sorted(named, key=lambda pair: pair[1])


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


def summary_context(query: QueryDict, summary: Summary) -> dict[str, object]:
    """The summary of a selection with each action and year as a link that
    narrows the timeline to it."""
    by_action = summary.by_action
    action_links = facet_links(
        query, "action", [(a.action, a.label) for a in by_action]
    )
    years = [(str(year), str(year)) for year, _count in summary.by_year]
    year_links = facet_links(query, "year", years)
    return {
        "summary": summary,
        "action_rows": list(zip(by_action, action_links, strict=True)),
        "year_rows": [
            (year, count, link.url)
            for (year, count), link in zip(summary.by_year, year_links, strict=True)
        ],
    }


@rejects_invalid_queries
def timeline(request: HttpRequest) -> HttpResponse:
    if any(
        not request.GET[name].strip() for name in FILTER_PARAMS if name in request.GET
    ):
        # The form sends every field; the shareable address names only the
        # filters in force.
        return redirect(request.path + filter_query(request.GET))
    filters = parse_filters(request.GET)
    before, after = parse_cursors(request.GET)
    events = filtered_events(filters)
    page = keyset_page(events, size=PAGE_SIZE, before=before, after=after)
    version = record_version()
    choices = cached_choices(version=version)
    platforms = [(p.slug, p.name) for p in choices.platforms]
    context = {
        **paged_list(request, page, filter_pairs(request.GET)),
        **summary_context(request.GET, summary_of(filters, version=version)),
        "filters": filters,
        "chips": active_filters(request.GET, filters),
        "choices": choices,
        "actions": Action.choices,
        "countries": country_choices(choices.countries),
        "platform_links": facet_links(request.GET, "platform", platforms),
        "feed_query": filter_query(request.GET),
        "paged": bool(before or after),
    }
    return render(request, "public/timeline.html", context)
