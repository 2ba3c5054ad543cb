"""Query-string parameters of the public pages: parsed, checked, never guessed.

An unknown platform or authority is a 404 (as its page would be); a value that
cannot be a country, an action, a year or a page cursor is a 400 with a reason.
Other parameters (utm_source…) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from events.choices import Action
from events.selectors.keyset import Cursor, CursorError
from events.selectors.public import (
    EventFilters,
    is_country_code,
    public_authority,
    public_platform,
)
from events.selectors.search import SearchQueryError

FILTER_PARAMS = ("q", "platform", "country", "authority", "action", "year")
MAX_QUERY_LENGTH = 200
FILTER_LABELS = {
    "q": gettext_lazy("Search"),
    "platform": gettext_lazy("Platform"),
    "country": gettext_lazy("Country"),
    "authority": gettext_lazy("Authority"),
    "action": gettext_lazy("Action"),
    "year": gettext_lazy("Year"),
}
T = TypeVar("T")


class InvalidQuery(ValueError):
    """A query-string value that cannot mean anything; its text says why."""


def rejects_invalid_queries(view: Callable[..., HttpResponse]) -> Callable:
    """Answer an InvalidQuery (or a search the engine refuses) raised by `view`
    with a 400 page that says what is wrong."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except InvalidQuery as exc:
            reason = str(exc)
        except SearchQueryError as exc:
            reason = _("This search cannot be run: %(why)s.") % {"why": exc}
        return render(request, "400.html", {"reason": reason}, status=400)

    return wrapped


def _entity(lookup: Callable[[str], T], slug: str) -> T | None:
    if not slug:
        return None
    try:
        return lookup(slug)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404(slug) from exc


def _year(text: str) -> int | None:
    if not text:
        return None
    # The year after it must exist too: its first day bounds the range.
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not (
        1 <= int(text) < 9999
    ):
        raise InvalidQuery(_("“%(value)s” is not a year.") % {"value": text})
    return int(text)


def query_values(query: QueryDict, names: tuple[str, ...]) -> dict[str, str]:
    """The named parameters of a query string, stripped ("" when absent);
    InvalidQuery when one holds a NUL character."""
    values = {name: query.get(name, "").strip() for name in names}
    if any("\x00" in value for value in values.values()):
        raise InvalidQuery(_("The query contains a NUL character."))
    return values


def country_value(text: str) -> str:
    """A country parameter as an upper-case code ("" for none); InvalidQuery
    when it cannot be a country."""
    country = text.upper()
    if country and not is_country_code(country):
        raise InvalidQuery(_("“%(value)s” is not a country code.") % {"value": text})
    return country


def parse_filters(query: QueryDict) -> EventFilters:
    """The filters named in a query string (absent or empty: no filter)."""
    values = query_values(query, FILTER_PARAMS)
    country = country_value(values["country"])
    if values["action"] and values["action"] not in Action.values:
        raise InvalidQuery(
            _("“%(value)s” is not an action.") % {"value": values["action"]}
        )
    if len(values["q"]) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            _("The search is longer than %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH}
        )
    return EventFilters(
        platform=_entity(public_platform, values["platform"]),
        country=country,
        authority=_entity(public_authority, values["authority"]),
        action=values["action"],
        year=_year(values["year"]),
        q=values["q"],
    )


def parse_cursors(query: QueryDict) -> tuple[Cursor | None, Cursor | None]:
    """The (before, after) cursors of a page; at most one of them."""
    before, after = query.get("before", ""), query.get("after", "")
    if before and after:
        raise InvalidQuery(_("A page cannot be both before and after a cursor."))
    try:
        return (
            Cursor.parse(before) if before else None,
            Cursor.parse(after) if after else None,
        )
    except CursorError as exc:
        raise InvalidQuery(
            _("“%(value)s” is not a page of this list.") % {"value": before or after}
        ) from exc


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, shown as a chip whose link removes it."""

    name: str
    label: str
    value: str
    remove_query: str


def filter_pairs(query: QueryDict, *, without: str = "") -> list[tuple[str, str]]:
    """The filter parameters given in `query`, minus `without`, in a fixed order;
    page cursors and unknown parameters dropped."""
    return [
        (name, query.get(name, "").strip())
        for name in FILTER_PARAMS
        if name != without and query.get(name, "").strip()
    ]


def filter_query(query: QueryDict, *, without: str = "") -> str:
    """filter_pairs() as a query string: "" or "?…"."""
    pairs = filter_pairs(query, without=without)
    return "?" + urlencode(pairs) if pairs else ""


def active_filters(query: QueryDict, filters: EventFilters) -> list[ActiveFilter]:
    """The filters in force, in the order of FILTER_PARAMS, with their values
    as people read them ("China", not "CN")."""
    shown = {
        "q": f"“{filters.q}”" if filters.q else "",
        "platform": filters.platform.name if filters.platform else "",
        "country": str(Country(code=filters.country).name) if filters.country else "",
        "authority": filters.authority.name if filters.authority else "",
        "action": str(Action(filters.action).label) if filters.action else "",
        "year": str(filters.year) if filters.year else "",
    }
    return [
        ActiveFilter(
            name=name,
            label=str(FILTER_LABELS[name]),
            value=shown[name],
            remove_query=filter_query(query, without=name),
        )
        for name in FILTER_PARAMS
        if shown[name]
    ]


@dataclass(frozen=True)
class FacetLink:
    """A plain link that sets one filter and keeps the others."""

    label: str
    url: str
    active: bool


def facet_links(
    query: QueryDict, name: str, options: list[tuple[str, str]]
) -> list[FacetLink]:
    """For each (value, label) option, the timeline with `name` set to it."""
    timeline = reverse("public:timeline")
    kept = filter_pairs(query, without=name)
    current = query.get(name, "").strip()
    return [
        FacetLink(
            label=label,
            url=timeline + "?" + urlencode([*kept, (name, value)]),
            active=value == current,
        )
        for value, label in options
    ]
