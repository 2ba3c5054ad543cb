"""Targets as the public sees them: lifecycles, the latest event, blocked now.

Only published events count: a target exists for the public through its
published events alone, and its lifecycle is computed from them when read.

The lifecycle of a target is its published events in (date, id) order, each
opening a period that lasts until the next event's date:

- blocked, suspended, withheld in country, throttled and removed open a
  "blocked" period (the period keeps its action); restored opens "restored".
- A block with an end date (`ended_on`) ends at that date if it comes before
  the next event. From then until the next event, or from then on, the state
  is "ended": the block ended without a recorded restoration. A restoration's
  own end date means nothing and is ignored.
- Partial dates count from their first day (2018-08 is 1 August 2018): the
  duration of a period with a bound known only to the month is marked
  approximate, and a period with a bound known only to the year, or still
  open, has no duration (a year's uncertainty swamps most blocks). A coarse
  end inside the start's own month or year counts as zero days, never fewer.
- The current state is the state of the last period, "since" the start of
  the run of periods in that state (blocked then throttled: blocked since the
  first).

"Blocked now" is the same rule read from one row: a target whose latest
published event is a block without an end date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from events.choices import Action, DatePrecision
from events.dates import format_partial_date
from events.models import Event, EventQuerySet, Platform, Target
from events.models.targets import normalise_name
from events.selectors.filters import MAX_VALUES, PARSERS, FilterError
from events.selectors.masking import PublicEventIterable, mask_target
from events.selectors.search import MAX_QUERY_LENGTH

BLOCKED, RESTORED, ENDED = "blocked", "restored", "ended"
STATES = (BLOCKED, RESTORED, ENDED)
BLOCK_ACTIONS = tuple(a for a in Action.values if a != Action.RESTORED)
# The columns of an event that a lifecycle needs.
LIFECYCLE_COLUMNS = (
    "id",
    "public_id",
    "target_ref_id",
    "action",
    "country",
    "date",
    "date_precision",
    "ended_on",
    "ended_on_precision",
    "target_url",
)


@dataclass(frozen=True)
class Period:
    """One state of a target from `start` to `end` (None: still so), opened by
    `event` (for "ended", the block whose end date opens it)."""

    state: str
    action: str | None
    event: Any
    start: dt.date
    start_precision: str
    end: dt.date | None
    end_precision: str | None

    @property
    def start_display(self) -> str:
        """The start at its precision, ISO 8601 style ("2018-08")."""
        return format_partial_date(self.start, self.start_precision)

    @property
    def end_display(self) -> str:
        if self.end is None or self.end_precision is None:
            return ""
        return format_partial_date(self.end, self.end_precision)

    @property
    def duration_days(self) -> int | None:
        precisions = {self.start_precision, self.end_precision}
        if self.end is None or DatePrecision.YEAR in precisions:
            return None
        return max(0, (self.end - self.start).days)

    @property
    def duration_approximate(self) -> bool:
        """Whether the duration counts from the first day of a month."""
        return self.duration_days is not None and DatePrecision.MONTH in {
            self.start_precision,
            self.end_precision,
        }


@dataclass(frozen=True)
class Lifecycle:
    """The periods of a target, oldest first, and the events they come from."""

    periods: list[Period] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    @property
    def current(self) -> Period | None:
        return self.periods[-1] if self.periods else None

    @property
    def state(self) -> str | None:
        return self.current.state if self.current else None

    @property
    def since(self) -> Period | None:
        """The first period of the current run of the current state."""
        run = None
        for period in reversed(self.periods):
            if period.state != self.state:
                break
            run = period
        return run


def public_url(target: Target, cycle: Lifecycle) -> str:
    """A curator's URL for the target, else its latest published event's:
    never one that only an unpublished event gave."""
    if target.masked:  # a person at risk: no URL at all (events.masking)
        return ""
    if target.url:
        return target.url
    return next((e.target_url for e in reversed(cycle.events) if e.target_url), "")


def lifecycle(events: Sequence[Any]) -> Lifecycle:
    """The lifecycle of events (rows with LIFECYCLE_COLUMNS) in (date, id)
    order; see the module's docstring for the rule."""
    periods: list[Period] = []
    for index, event in enumerate(events):
        following = events[index + 1] if index + 1 < len(events) else None
        end = (following.date, following.date_precision) if following else None
        if event.action == Action.RESTORED:
            periods.append(
                _period(RESTORED, event, (event.date, event.date_precision), end)
            )
            continue
        start = (event.date, event.date_precision)
        ended = (event.ended_on, event.ended_on_precision) if event.ended_on else None
        if ended and (end is None or ended[0] < end[0]):
            periods.append(_period(BLOCKED, event, start, ended))
            periods.append(_period(ENDED, event, ended, end))
        else:
            periods.append(_period(BLOCKED, event, start, end))
    return Lifecycle(periods=periods, events=list(events))


def _period(
    state: str,
    event: Any,
    start: tuple[dt.date, str],
    end: tuple[dt.date, str] | None,
) -> Period:
    return Period(
        state=state,
        action=None if state == ENDED else event.action,
        event=event,
        start=start[0],
        start_precision=start[1],
        end=end[0] if end else None,
        end_precision=end[1] if end else None,
    )


def published_events() -> EventQuerySet:
    """Published events, masked ones (and their joined targets) as the public
    sees them (events.selectors.masking)."""
    events = Event.objects.published()
    events._iterable_class = PublicEventIterable
    return events


def target_lifecycles(target_ids: Collection[int]) -> dict[int, Lifecycle]:
    """The lifecycle of each target, from one query over its published events
    (served on PostgreSQL by the index event_target_lifecycle, migration 0011)."""
    rows = (
        published_events()
        .filter(target_ref__in=list(target_ids))
        .order_by("target_ref", "date", "id")
        .values_list(*LIFECYCLE_COLUMNS, named=True)
    )
    by_target: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_target[row.target_ref_id].append(row)
    return {pk: lifecycle(by_target.get(pk, [])) for pk in target_ids}


def public_targets() -> QuerySet[Target]:
    """Targets with a published event (never a merged one: its events moved)."""
    return Target.objects.filter(
        Exists(published_events().filter(target_ref=OuterRef("pk")))
    )


def public_target(pk: int) -> Target:
    """The target with its platform, if it has a published event (merged
    targets included: their page redirects); else Target.DoesNotExist."""
    has_published = Exists(published_events().filter(target_ref=OuterRef("pk")))
    merged_into_public = Exists(
        published_events().filter(target_ref=OuterRef("merged_into"))
    )
    target = (
        Target.objects.select_related("platform")
        .filter(has_published | (Q(merged_into__isnull=False) & merged_into_public))
        .get(pk=pk)
    )
    return mask_target(target)


def target_events(target: Target) -> list[Event]:
    """The target's published events, oldest first, with what a list shows."""
    return list(
        published_events()
        .filter(target_ref=target)
        .select_related("platform", "authority")
        .order_by("date", "id")
    )


def latest_events() -> EventQuerySet:
    """Each target's latest published event, and only that: published events
    with no later published event of the same target. One row per target with
    a published event; its target and the target's platform joined."""
    later = published_events().filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")),
        target_ref=OuterRef("target_ref"),
        # Implied by the OR; spelled out so that the probe is an index range.
        date__gte=OuterRef("date"),
    )
    return (
        published_events()
        .filter(target_ref__isnull=False)
        .filter(~Exists(later))
        .select_related("target_ref__platform")
    )


def blocked_now_condition() -> Q:
    """On a target's latest event: the target is blocked now."""
    return Q(action__in=BLOCK_ACTIONS, ended_on__isnull=True)


@dataclass(frozen=True)
class TargetFilters:
    """A selection of public targets; empty fields select every one."""

    platforms: tuple[Platform, ...] = ()
    country: tuple[str, ...] = ()
    target_type: tuple[str, ...] = ()
    blocked_now: bool | None = None
    q: str = ""


TARGET_FILTER_NAMES = ("platform", "country", "target_type", "blocked_now", "q")
_REPEATABLE = ("platform", "country", "target_type")


def target_filters_from_params(params: Mapping[str, Sequence[str]]) -> TargetFilters:
    """The filters in `params` (name → values), each checked as the events'
    are (events.selectors.filters); FilterError naming each bad parameter. An
    unknown platform, or one without a published event, is an error."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in TARGET_FILTER_NAMES:
        given = list(params.get(name, []))
        if not given:
            continue
        try:
            values[name] = _parse_filter(name, given)
        except ValueError as exc:
            errors[name] = str(exc)
    if "platform" in values:
        found = public_platforms_by_slug(values["platform"])
        unknown = [slug for slug in values["platform"] if slug not in found]
        if unknown:
            errors["platform"] = f"no platform has the slug {', '.join(unknown)}"
        values["platforms"] = tuple(found.values())
        del values["platform"]
    if errors:
        raise FilterError(errors)
    return TargetFilters(**values)


def _parse_filter(name: str, given: list[str]) -> Any:
    if any("\x00" in value for value in given):
        raise ValueError("contains a NUL character")
    if name in _REPEATABLE:
        if len(given) > MAX_VALUES:
            raise ValueError(f"at most {MAX_VALUES} values")
        return tuple(dict.fromkeys(PARSERS[name](value) for value in given))
    if len(given) > 1:
        raise ValueError("give it at most once")
    if name == "blocked_now":
        return PARSERS["ongoing"](given[0])
    text = given[0].strip()
    if not text or len(text) > MAX_QUERY_LENGTH:
        raise ValueError(f"give from 1 to {MAX_QUERY_LENGTH} characters")
    return text


def filter_targets(filters: TargetFilters) -> EventQuerySet:
    """The latest events (see latest_events) of the targets matching every
    filter, newest first. `country`: the target has a published event there;
    `q`: a substring of the target's name or of its key (of a masked
    target's pseudonym only)."""
    rows = latest_events()
    if filters.platforms:
        rows = rows.filter(platform__in=filters.platforms)
    if filters.target_type:
        rows = rows.filter(target_ref__target_type__in=filters.target_type)
    if filters.country:
        there = published_events().filter(
            target_ref=OuterRef("target_ref"), country__in=filters.country
        )
        rows = rows.filter(Exists(there))
    if filters.blocked_now is not None:
        blocked = blocked_now_condition()
        rows = rows.filter(blocked if filters.blocked_now else ~blocked)
    if filters.q:
        real = Q(target_ref__name__icontains=filters.q) | Q(
            target_ref__key__contains=normalise_name(filters.q)
        )
        rows = rows.filter(
            (real & Q(target_ref__masked=False))
            | Q(target_ref__masked=True, target_ref__pseudonym__icontains=filters.q)
        )
    return rows.order_by("-date", "-id")


def public_platforms_by_slug(slugs: Iterable[str]) -> dict[str, Platform]:
    """The platforms with these slugs that have a published event."""
    has_published = Exists(published_events().filter(platform=OuterRef("pk")))
    return {p.slug: p for p in Platform.objects.filter(has_published, slug__in=slugs)}
