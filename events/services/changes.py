"""The public record's change log (the cursor of /api/v1/changes/), in commit order.

Each row says that an event entered, changed in, or left the published record.
Kinds follow from the event's state and the last change logged for it:
published now after nothing or after leaving → `published`; published now and
already public → `updated`; not published now but public in the log →
`unpublished`, or `merged` (with the survivor) when it was merged into a
published event (into one the public cannot see: `unpublished`, so that no
entry names an unpublished event); gone while public in the log →
`deleted`; taken down by an editor → `redacted` (changes_record_redacted).
An event never public logs nothing.

Write paths, each checked (grep for .save(, .update(, bulk_ in
events/services and events/admin):

- events_written → changes_sync, inside the writing transaction: admin add and
  edit (inline sources too), API create and PATCH, every workflow transition
  (admin buttons and bulk actions, API), ingestion drafts (a new draft, a
  source attached to a known event, whose `updated_at` is bumped with a
  queryset update), the importer (once per batch), merges and splits,
  target merges, notice curation (confirming, rejecting, deleting a notice).
- Admin deletion of events → changes_record_deleted.
- Admin edits of a platform's or an authority's name, slug or country, which
  every event's JSON embeds → changes_record_reference_edited.
- Not logged, because no event's JSON changes: the gazetteer and the importer
  creating platforms and authorities, demo_load adding aliases, renaming a
  notice or a target (events show only their ids), feeds, feed items, tokens
  and heartbeats.

Commit order: readers page by id, ids are taken at insert but become visible
at commit. If a transaction took id 10, another took 11 and committed first, a
reader could see 11, move its cursor past it and never see 10. So on
PostgreSQL every insert here first takes one transaction-level advisory lock,
held until commit: the next writer takes its ids only once the previous one
has committed (or rolled back, leaving a gap nobody waits for). It is taken
right before the insert, the last statement of a write, so writers queue only
for the short tail before their commit. SQLite lets one writer in at a time,
which gives the same order. (The last logged kind is read before the lock:
two writers racing on one event that neither locked may both log `updated`,
which is harmless, since every entry carries the event as it is now.)
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection
from django.db.models import F, Max, Model, OuterRef, Subquery
from django.utils import timezone

from events.choices import ChangeKind, Status
from events.models import Authority, Event, EventChange, Platform
from events.services.history_sync import TRACKED, events_history_catch_up

# The key of the log's advisory lock ("changes" in ASCII); used nowhere else.
LOG_LOCK = 0x6368616E676573
PUBLIC_KINDS = frozenset({ChangeKind.PUBLISHED, ChangeKind.UPDATED})
# The fields of a platform or an authority that appear in an event's JSON.
SHOWN_FIELDS: dict[type[Model], frozenset[str]] = {
    Platform: frozenset({"name", "slug"}),
    Authority: frozenset({"name", "slug", "country"}),
}


def _lock_log() -> None:
    """Make this transaction the only one appending until it commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])


def _last_kinds(public_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The kind of the last change logged for each of these events."""
    latest = (
        EventChange.objects.filter(event_public_id__in=list(public_ids))
        .order_by()
        .values("event_public_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    return dict(
        EventChange.objects.filter(id__in=latest).values_list("event_public_id", "kind")
    )


def _kind(status: str | None, last: str | None) -> str | None:
    """The change to log for an event now in `status` (None: deleted) whose
    last logged change is `last`; None when its public state is unchanged."""
    was_public = last in PUBLIC_KINDS
    if status == Status.PUBLISHED:
        return ChangeKind.UPDATED if was_public else ChangeKind.PUBLISHED
    if not was_public:
        return None
    if status is None:
        return ChangeKind.DELETED
    return ChangeKind.MERGED if status == Status.MERGED else ChangeKind.UNPUBLISHED


def _append(states: Iterable[dict[str, Any]]) -> None:
    """Log each event's change (a dict of public_id, status, last_kind and
    merged_into_public), then lock the log and insert them in one statement."""
    rows = []
    for state in states:
        kind = _kind(state["status"], state["last_kind"])
        if kind is None:
            continue
        merged = state["merged_into_public"] if kind == ChangeKind.MERGED else None
        if kind == ChangeKind.MERGED and state["survivor_status"] != Status.PUBLISHED:
            # Merged into an event the public cannot see: to the public it
            # left the record, and the survivor's id must not be named.
            kind, merged = ChangeKind.UNPUBLISHED, None
        rows.append(
            EventChange(
                event_public_id=state["public_id"], kind=kind, merged_into=merged
            )
        )
    if rows:
        _lock_log()
        EventChange.objects.bulk_create(rows)


def changes_sync(*, event_ids: Collection[int]) -> None:
    """Log each event whose public state changed, after bringing its history
    up to date; call inside the writing transaction, after everything else
    (events_written does). One query to read the events with their last
    logged change, then at most one per kind of write, whatever their
    number."""
    if not event_ids:
        return
    last_kind = (
        EventChange.objects.filter(event_public_id=OuterRef("public_id"))
        .order_by("-id")
        .values("kind")[:1]
    )
    states = list(
        Event.objects.filter(pk__in=list(event_ids))
        .annotate(
            merged_into_public=F("merged_into__public_id"),
            survivor_status=F("merged_into__status"),
            last_kind=Subquery(last_kind),
        )
        .order_by("pk")
        .values(*TRACKED, "merged_into_public", "survivor_status", "last_kind")
    )
    events_history_catch_up(
        event_ids=event_ids,
        states=[state for state in states if state["status"] == Status.PUBLISHED],
    )
    _append(states)


def changes_record_deleted(*, public_ids: Iterable[uuid.UUID]) -> None:
    """Log the deletion of events that were public; call in the deleting
    transaction, after the rows are gone."""
    wanted = list(dict.fromkeys(public_ids))
    lasts = _last_kinds(wanted)
    _append(
        {
            "public_id": public_id,
            "status": None,
            "last_kind": lasts.get(public_id),
            "merged_into_public": None,
            "survivor_status": None,
        }
        for public_id in wanted
    )


def changes_record_reference_edited(
    *, instance: Platform | Authority, changed_fields: Iterable[str]
) -> int:
    """Log an `updated` change for every published event of this platform or
    authority when a field their JSON shows was edited (one INSERT … SELECT,
    however many events). Returns the number of changes logged."""
    if not SHOWN_FIELDS[type(instance)] & set(changed_fields):
        return 0
    column = "platform_id" if isinstance(instance, Platform) else "authority_id"
    log, events = EventChange._meta.db_table, Event._meta.db_table
    _lock_log()
    sql = (
        f"INSERT INTO {log} (event_public_id, kind, merged_into, at) "  # noqa: S608
        f"SELECT public_id, %s, NULL, %s FROM {events} "
        f"WHERE {column} = %s AND status = %s ORDER BY id"
    )
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [ChangeKind.UPDATED, at, instance.pk, Status.PUBLISHED])
        return cursor.rowcount


def changes_record_redacted(*, public_id: uuid.UUID) -> bool:
    """Log that an event was taken down, if the feed ever named it; call in
    the redacting transaction. Returns whether a change was logged."""
    if not EventChange.objects.filter(event_public_id=public_id).exists():
        return False
    _lock_log()
    EventChange.objects.create(event_public_id=public_id, kind=ChangeKind.REDACTED)
    return True
