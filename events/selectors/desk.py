"""The review desk's dashboard (the admin index) and the changelist filters
its numbers link to: one definition of "origin" and of "activity in a week"
serves both, so a number and the list behind it cannot disagree.

Origin of an event, derived from what is stored (no field records it):

- ``feed-<id>``: a feed item of that feed created it (FeedItem with outcome
  draft_created; the item keeps the event);
- ``import``: its creation StatusChange (from_status "") has the importer's
  note, which always starts with "import" (events.services.imports);
- ``manual``: its creation StatusChange has a user (the admin's add form, the
  API, a split), and no import note;
- ``other``: none of these, e.g. an event older than the recording of
  creations, or a draft whose feed was deleted with its items.

Activity comes from StatusChange rows: an event *came in* with its creation
row, was *published* by a move into published from another status, was
*rejected* by a move into rejected. Weeks start on Monday, in TIME_ZONE.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from events.choices import ItemOutcome, Status
from events.models import Event, Feed, FeedItem, StatusChange

WEEKS = 8
WAITING = (Status.DRAFT, Status.IN_REVIEW)
ORIGIN_IMPORT, ORIGIN_MANUAL, ORIGIN_OTHER = "import", "manual", "other"
FEED_PREFIX = "feed-"
ORIGIN_LABELS = {
    ORIGIN_IMPORT: "import",
    ORIGIN_MANUAL: "manual (admin or API)",
    ORIGIN_OTHER: "other (no record of its creation)",
}
# What counts as each kind of activity, on StatusChange rows.
ACTIVITIES: dict[str, Q] = {
    "came_in": Q(from_status=""),
    "published": Q(to_status=Status.PUBLISHED) & ~Q(from_status=Status.PUBLISHED),
    "rejected": Q(to_status=Status.REJECTED) & ~Q(from_status=Status.REJECTED),
}
ACTIVITY_LABELS = {
    "came_in": "came in",
    "published": "published",
    "rejected": "rejected",
}


class DeskInputError(ValueError):
    """A filter value of the desk that means nothing (the message says why)."""


def _created_by_feed(feed_id: int | None = None) -> Exists:
    items = FeedItem.objects.filter(
        event=OuterRef("pk"), outcome=ItemOutcome.DRAFT_CREATED
    )
    return Exists(items if feed_id is None else items.filter(feed_id=feed_id))


def _creation(**conditions: object) -> Exists:
    return Exists(
        StatusChange.objects.filter(event=OuterRef("pk"), from_status="", **conditions)
    )


def _imported() -> Exists:
    return _creation(note__startswith="import")


def _by_hand() -> Exists:
    return _creation(user__isnull=False)


def events_with_origin(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """`queryset` with `origin_feed` (the id of the feed whose item created
    the event, or None), `imported` and `by_hand` (see the module)."""
    first_item = FeedItem.objects.filter(
        event=OuterRef("pk"), outcome=ItemOutcome.DRAFT_CREATED
    ).order_by("id")
    return queryset.annotate(
        origin_feed=Subquery(first_item.values("feed_id")[:1]),
        imported=_imported(),
        by_hand=_by_hand(),
    )


def origin_key(origin_feed: int | None, imported: bool, by_hand: bool) -> str:
    if origin_feed is not None:
        return f"{FEED_PREFIX}{origin_feed}"
    if imported:
        return ORIGIN_IMPORT
    return ORIGIN_MANUAL if by_hand else ORIGIN_OTHER


def events_of_origin(queryset: QuerySet[Event], key: str) -> QuerySet[Event]:
    """The events of `queryset` with this origin key; DeskInputError for a key
    that names no origin."""
    if key.startswith(FEED_PREFIX):
        feed_id = key.removeprefix(FEED_PREFIX)
        if not (feed_id.isascii() and feed_id.isdigit() and len(feed_id) < 12):
            raise DeskInputError(f"origin {key!r}: feed-<number> expected")
        return queryset.filter(_created_by_feed(int(feed_id)))
    not_feed = ~_created_by_feed()
    if key == ORIGIN_IMPORT:
        return queryset.filter(not_feed, _imported())
    if key == ORIGIN_MANUAL:
        return queryset.filter(not_feed, ~_imported(), _by_hand())
    if key == ORIGIN_OTHER:
        return queryset.filter(not_feed, ~_imported(), ~_by_hand())
    raise DeskInputError(f"origin {key!r} is none of feed-<id>, import, manual, other")


def origin_choices() -> list[tuple[str, str]]:
    """Every origin key with its label (one query, for the feeds)."""
    feeds = Feed.objects.order_by("name").values_list("pk", "name")
    return [
        *((f"{FEED_PREFIX}{pk}", f"feed: {name}") for pk, name in feeds),
        *ORIGIN_LABELS.items(),
    ]


def week_start(day: dt.date) -> dt.datetime:
    """The aware start of the week (Monday 00:00, current time zone) of `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time.min))


def parse_week(value: str) -> dt.datetime:
    """The start of the week a YYYY-MM-DD value falls in; DeskInputError if it
    is not a date."""
    try:
        return week_start(dt.date.fromisoformat(value))
    except (ValueError, OverflowError):
        raise DeskInputError(f"week {value!r}: a date YYYY-MM-DD expected") from None


def events_with_activity(
    queryset: QuerySet[Event],
    kind: str,
    *,
    week: dt.datetime | None = None,
    user_id: int | None = None,
) -> QuerySet[Event]:
    """The events of `queryset` with activity `kind` (came_in, published,
    rejected) in the week starting at `week` (any time without), by the user
    `user_id` (anyone without); DeskInputError for an unknown kind."""
    if kind not in ACTIVITIES:
        raise DeskInputError(f"activity {kind!r} is none of {', '.join(ACTIVITIES)}")
    rows = StatusChange.objects.filter(ACTIVITIES[kind], event=OuterRef("pk"))
    if week is not None:
        rows = rows.filter(at__gte=week, at__lt=week + dt.timedelta(days=7))
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return queryset.filter(Exists(rows))


@dataclass
class OriginRow:
    """Events waiting (draft, in review) of one origin."""

    key: str
    label: str
    draft: int = 0
    in_review: int = 0


@dataclass
class WeekCounts:
    """Events that came in, were published, were rejected in one week."""

    start: dt.date
    came_in: int = 0
    published: int = 0
    rejected: int = 0


@dataclass
class PersonRow:
    user_id: int
    name: str
    weeks: list[WeekCounts]


@dataclass
class Desk:
    origins: list[OriginRow]
    oldest: dict[str, Event | None]  # status → the event waiting longest in it
    unhealthy_feeds: list[Feed]
    weeks: list[WeekCounts]
    people: list[PersonRow]


def _origin_rows(feed_names: dict[int, str]) -> list[OriginRow]:
    grouped = (
        events_with_origin(Event.objects.filter(status__in=WAITING))
        .values("status", "origin_feed", "imported", "by_hand")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[str, OriginRow] = {}
    for item in grouped:
        key = origin_key(item["origin_feed"], item["imported"], item["by_hand"])
        if key not in rows:
            feed = feed_names.get(item["origin_feed"] or 0, "")
            label = f"feed: {feed}" if feed else ORIGIN_LABELS.get(key, key)
            rows[key] = OriginRow(key, label)
        row = rows[key]
        setattr(row, item["status"], getattr(row, item["status"]) + item["n"])
    return sorted(
        rows.values(), key=lambda row: (-row.draft - row.in_review, row.label)
    )


def _oldest(status: str) -> Event | None:
    """The event that has been in `status` longest (since it last moved into
    it, or since its creation)."""
    return (
        Event.objects.filter(status=status)
        .annotate(
            waiting_since=Coalesce(
                Max(
                    "status_changes__at",
                    filter=Q(status_changes__to_status=F("status")),
                ),
                "created_at",
            )
        )
        .select_related("platform")
        .order_by("waiting_since", "id")
        .first()
    )


def _activity_counts(rows: QuerySet[StatusChange]) -> QuerySet[StatusChange]:
    return rows.annotate(
        **{
            kind: Count("event_id", distinct=True, filter=condition)
            for kind, condition in ACTIVITIES.items()
        }
    )


def _weeks(starts: list[dt.date], found: dict[dt.date, dict]) -> list[WeekCounts]:
    return [
        WeekCounts(
            start, **{kind: found.get(start, {}).get(kind, 0) for kind in ACTIVITIES}
        )
        for start in starts
    ]


def _activity(since: dt.datetime) -> tuple[list[WeekCounts], list[PersonRow]]:
    starts = [(since + dt.timedelta(weeks=n)).date() for n in range(WEEKS)]
    recent = StatusChange.objects.filter(at__gte=since).annotate(week=TruncWeek("at"))
    totals = _activity_counts(recent.values("week").order_by("week"))
    by_week = {timezone.localdate(row["week"]): row for row in totals}
    per_person = _activity_counts(
        recent.filter(user__isnull=False)
        .values("week", "user_id", "user__username")
        .order_by("user__username", "week")
    )
    people: dict[int, tuple[str, dict[dt.date, dict]]] = {}
    for row in per_person:
        name, found = people.setdefault(row["user_id"], (row["user__username"], {}))
        found[timezone.localdate(row["week"])] = row
    return _weeks(starts, by_week), [
        PersonRow(user_id, name, _weeks(starts, found))
        for user_id, (name, found) in people.items()
    ]


def desk_dashboard(*, now: dt.datetime | None = None) -> Desk:
    """Everything the admin index shows, in a fixed number of queries (6)
    whatever the size of the record."""
    now = now or timezone.now()
    since = week_start(timezone.localdate(now)) - dt.timedelta(weeks=WEEKS - 1)
    feeds = list(Feed.objects.order_by("name"))
    weeks, people = _activity(since)
    return Desk(
        origins=_origin_rows({feed.pk: feed.name for feed in feeds}),
        oldest={status: _oldest(status) for status in (Status.IN_REVIEW, Status.DRAFT)},
        # Health as the feeds' admin shows it; an inactive feed is not fetched.
        unhealthy_feeds=[feed for feed in feeds if feed.active and not feed.healthy],
        weeks=weeks,
        people=people,
    )
