"""Filters of the event record, parsed from query parameters: checked, never guessed.

`EventFilters.from_params` turns a query string's values into typed filters or
raises FilterError naming each bad parameter; `filter_events` applies them.
Parameters of one name combine with OR (country=CN&country=RU), different names
with AND. Nothing here knows about HTTP, so any interface can use it.

Dates: `date_after` and `date_before` take YYYY, YYYY-MM or YYYY-MM-DD and name
a period (its first day for `date_after`, its last day for `date_before`, so both
ends are inclusive). An event's date stands for a period too (a month-precision
event is the whole month), and it matches when its period overlaps the range:
an event dated 2018-08 matches date_after=2018-08-15 and date_before=2018-08-01.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Model, Q
from django_countries import countries

from events.choices import Action, DatePrecision, Status, TargetType
from events.dates import PartialDateError, parse_partial_date, period_end
from events.models import Authority, Event, EventQuerySet, Notice, Platform
from events.selectors.batch import read_all
from events.selectors.search import SearchQueryError, search_events, search_terms

MAX_VALUES = 50
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,150}$", re.ASCII)
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class FilterError(ValueError):
    """Bad filter values: {parameter name: what is wrong with it}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class EventFilters:
    """A selection of events; empty fields select everything."""

    platform: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    action: tuple[str, ...] = ()
    target_type: tuple[str, ...] = ()
    target: tuple[int, ...] = ()  # target ids (events.models.Target)
    notice: tuple[int, ...] = ()  # notice ids (events.models.Notice)
    status: tuple[str, ...] = ()
    date_after: dt.date | None = None  # first day of the period given
    date_before: dt.date | None = None  # last day of the period given
    ongoing: bool | None = None
    has_notice: bool | None = None
    q: str = ""
    updated_after: dt.datetime | None = None

    @classmethod
    def from_params(
        cls, params: Mapping[str, Sequence[str]], *, allow_status: bool = False
    ) -> EventFilters:
        """Parse the filter parameters found in `params` (name → values);
        other names are left to the caller."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name, parser in PARSERS.items():
            given = list(params.get(name, []))
            if not given:
                continue
            try:
                values[name] = _parse(name, given, parser)
            except ValueError as exc:
                errors[name] = str(exc)
        if "status" in values and not allow_status:
            errors["status"] = (
                "only a token with permission to view drafts may filter by status"
            )
        after, before = values.get("date_after"), values.get("date_before")
        if after and before and after > before:
            errors["date_after"] = "the range is empty: date_after is after date_before"
        if errors:
            raise FilterError(errors)
        return cls(**values)


def _parse(name: str, given: list[str], parser: Callable[[str], Any]) -> Any:
    if any("\x00" in value for value in given):
        raise ValueError("contains a NUL character")
    if name not in REPEATABLE:
        if len(given) > 1:
            raise ValueError("give it at most once")
        return parser(given[0])
    if len(given) > MAX_VALUES:
        raise ValueError(f"at most {MAX_VALUES} values")
    return tuple(dict.fromkeys(parser(value) for value in given))


def _not_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text.strip()


def _slug(text: str) -> str:
    text = _not_empty(text)
    if not _SLUG.match(text):
        raise ValueError(f"{text!r} is not a slug (letters, digits, - and _)")
    return text


def _choice(options: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = _not_empty(text)
        if text not in options:
            raise ValueError(f"{text!r} is not one of {', '.join(options)}")
        return text

    return parse


def _country(text: str) -> str:
    code = _not_empty(text).upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha() and code in countries):
        raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _date_start(text: str) -> dt.date:
    try:
        return parse_partial_date(_not_empty(text))[0]
    except PartialDateError as exc:
        raise ValueError(str(exc)) from None


def _date_end(text: str) -> dt.date:
    try:
        return period_end(*parse_partial_date(_not_empty(text)))
    except PartialDateError as exc:
        raise ValueError(str(exc)) from None


def _target_id(text: str) -> int:
    text = _not_empty(text)
    if not (text.isascii() and text.isdigit() and len(text) <= 18 and int(text)):
        raise ValueError(f"{text!r} is not a target id (see /api/v1/targets/)")
    return int(text)


def _notice_id(text: str) -> int:
    text = _not_empty(text)
    if not (text.isascii() and text.isdigit() and len(text) <= 18 and int(text)):
        raise ValueError(f"{text!r} is not a notice id (see /api/v1/notices/)")
    return int(text)


def _boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.strip().lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not true or false") from None


def _search(text: str) -> str:
    try:
        search_terms(text)
    except SearchQueryError as exc:
        raise ValueError(str(exc)) from None
    return text.strip()


def _timestamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(_not_empty(text))
    except ValueError:
        raise ValueError(
            f"{text!r} is not an ISO 8601 date-time such as 2024-05-01T12:00:00Z "
            "(write + as %2B in a URL)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


PARSERS: dict[str, Callable[[str], Any]] = {
    "platform": _slug,
    "country": _country,
    "authority": _slug,
    "action": _choice(Action.values),
    "target_type": _choice(TargetType.values),
    "target": _target_id,
    "notice": _notice_id,
    "status": _choice(Status.values),
    "date_after": _date_start,
    "date_before": _date_end,
    "ongoing": _boolean,
    "has_notice": _boolean,
    "q": _search,
    "updated_after": _timestamp,
}
REPEATABLE = frozenset(
    {
        "platform",
        "country",
        "authority",
        "action",
        "target_type",
        "target",
        "notice",
        "status",
    }
)
FILTER_NAMES = tuple(PARSERS)


def _period_ends_on_or_after(day: dt.date) -> Q:
    """Events whose period (day, month or year) ends on or after `day`. The
    first condition is a plain range, so an index on date can serve it."""
    month_start, year_start = day.replace(day=1), day.replace(month=1, day=1)
    return Q(date__gte=year_start) & (
        Q(date__gte=day)
        | Q(date_precision=DatePrecision.MONTH, date__gte=month_start)
        | Q(date_precision=DatePrecision.YEAR)
    )


def events_in_period(
    queryset: EventQuerySet, *, after: dt.date | None, before: dt.date | None
) -> EventQuerySet:
    """The events of `queryset` whose period (their date at its precision)
    overlaps the days from `after` to `before`, both inclusive; an open end
    when None (the rule of the module docstring)."""
    if before:
        queryset = queryset.filter(date__lte=before)
    if after:
        queryset = queryset.filter(_period_ends_on_or_after(after))
    return queryset


class StaleSlugIds(Exception):
    """A platform or authority slug names another row than remembered (one
    was renamed or replaced): the events read with the remembered ids are not
    the ones asked for. Read them again without deferring the checks."""


class SlugIds:
    """The id of each platform and authority slug this process has met.
    Slugs seldom change, so a filter can use the remembered ids and check
    them in the same round trip as the rest of a request (SlugCheck)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def known(self, model: type[Model], slugs: tuple[str, ...]) -> list[int] | None:
        """The ids of all the slugs, or None when one is not remembered."""
        label = model._meta.label
        ids = [self._ids.get((label, slug)) for slug in slugs]
        return None if None in ids else ids  # type: ignore[return-value]

    def remember(self, model: type[Model], found: Mapping[str, int]) -> None:
        label = model._meta.label
        self._ids.update(((label, slug), pk) for slug, pk in found.items())


SLUG_IDS = SlugIds()


@dataclass(frozen=True)
class SlugCheck:
    """That the slugs of a filter exist (for the public: through a published
    event) and have the ids `assumed`. Its statement is read with others
    (events.selectors.batch), then `verify` takes its rows."""

    model: type[Model]
    name: str
    slugs: tuple[str, ...]
    public_only: bool
    assumed: tuple[int, ...] = ()

    def statement(self) -> tuple[str, list[Any]]:
        """(slug, id) of the named rows. In SQL: the ORM takes longer to
        build this query (with EXISTS) than the database to run it, on a list
        request that otherwise costs a few milliseconds."""
        # Table and column names come from the models; every value is bound.
        quote = connection.ops.quote_name
        events = quote(Event._meta.db_table)
        column = Event._meta.get_field(self.name).column
        published = (
            f"AND EXISTS (SELECT 1 FROM {events} e "  # noqa: S608
            f"WHERE e.{quote(column)} = t.id AND e.status = %s)"
            if self.public_only
            else ""
        )
        sql = (
            f"SELECT t.slug, t.id FROM {quote(self.model._meta.db_table)} t "  # noqa: S608
            f"WHERE t.slug IN ({', '.join(['%s'] * len(self.slugs))}) {published}"
        )
        params = list(self.slugs)
        return sql, [*params, Status.PUBLISHED.value] if self.public_only else params

    def verify(self, rows: list[tuple]) -> list[int]:
        """The ids of the slugs, from the statement's rows; FilterError for
        slugs unknown, StaleSlugIds when they are not the ids assumed."""
        found = dict(rows)
        SLUG_IDS.remember(self.model, found)
        unknown = [slug for slug in self.slugs if slug not in found]
        if unknown:
            raise FilterError(
                {self.name: f"no {self.name} has the slug {', '.join(unknown)}"}
            )
        ids = [found[slug] for slug in self.slugs]
        if self.assumed and sorted(ids) != sorted(self.assumed):
            raise StaleSlugIds(self.name)
        return ids


def _known_notices(ids: tuple[int, ...]) -> list[int]:
    """The given notice ids; unknown ones are a FilterError. The registry is
    public, so a notice exists for everyone, whatever its events."""
    found = set(Notice.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise FilterError({"notice": f"no notice has the id {', '.join(unknown)}"})
    return list(found)


def filter_events(
    queryset: EventQuerySet,
    filters: EventFilters,
    *,
    public_only: bool = True,
    checks: list[SlugCheck] | None = None,
) -> EventQuerySet:
    """The events of `queryset` that match every filter. Platform and
    authority slugs are checked (a FilterError when unknown) by one query
    each, unless `checks` is given: slugs whose ids this process remembers
    are then used at once, and their checks added to `checks`, for the caller
    to read with its other statements and verify before it answers."""
    for name, model in (("platform", Platform), ("authority", Authority)):
        slugs: tuple[str, ...] = getattr(filters, name)
        if not slugs:
            continue
        check = SlugCheck(model, name, slugs, public_only)
        assumed = None if checks is None else SLUG_IDS.known(model, slugs)
        if checks is None or assumed is None:
            ids = check.verify(read_all([check.statement()])[0])
        else:
            checks.append(replace(check, assumed=tuple(assumed)))
            ids = assumed
        queryset = queryset.filter(**{f"{name}_id__in": ids})
    for name in ("country", "action", "target_type", "status"):
        if chosen := getattr(filters, name):
            queryset = queryset.filter(**{f"{name}__in": chosen})
    if not public_only and not filters.status:
        # A merged event lives on in its survivor (its URL redirects there):
        # listed only when asked for by status=merged.
        queryset = queryset.exclude(status=Status.MERGED)
    if filters.target:
        queryset = queryset.filter(target_ref__in=filters.target)
    if filters.notice:
        queryset = queryset.filter(notice_id__in=_known_notices(filters.notice))
    queryset = events_in_period(
        queryset, after=filters.date_after, before=filters.date_before
    )
    if filters.ongoing is not None:
        queryset = queryset.filter(ended_on__isnull=filters.ongoing)
    if filters.has_notice is not None:
        has_notice = ~Q(notice_text="")
        queryset = queryset.filter(has_notice if filters.has_notice else ~has_notice)
    if filters.updated_after:
        queryset = queryset.filter(updated_at__gt=filters.updated_after)
    if filters.q:
        queryset = search_events(queryset, filters.q, public=public_only)
    return queryset
