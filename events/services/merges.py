"""Merging duplicate events, and undoing a wrong merge.

A merge keeps both rows. The absorbed event becomes `merged`, points at the
survivor (its public id redirects there) and leaves the public record; its
sources move to the survivor, except those whose URL the survivor already
cites; the survivor takes its notice only if it has none. No other field of
the survivor changes: curators compare them on the confirmation page. An
EventMerge row remembers what moved, so that `event_split` undoes exactly that.

Who may: curators merge and split drafts and events in review; as soon as a
published (or rejected) event is involved it takes an editor, as for edits.
Every change writes StatusChange rows and history records with the user and
the reason, and calls events_written inside the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.choices import Status
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import (
    EDITABLE_EVENT_FIELDS,
    Event,
    EventMerge,
    Source,
    history_reason,
)
from events.selectors.merges import cited_urls, sources_partition
from events.services.record_hooks import events_written
from events.services.status import StatusMove, statuses_record
from events.services.workflow import User, _check_publishable

CURATED = (Status.DRAFT, Status.IN_REVIEW)
NOTICE_FIELDS = ("notice", "notice_match", "notice_match_score")


def _required_reason(reason: str, verb: str) -> str:
    reason = reason.strip()
    if not reason:
        raise EventInvalid(f"a reason is required to {verb} events")
    return reason


def _check_user(user: User, verb: str) -> None:
    if not (user.is_active and user.has_perm("events.change_event")):
        raise NotPermitted(f"you may not {verb} events")


def user_may_merge(user: User, *statuses: str) -> bool:
    """Whether `user` may merge or split events in these statuses: curators
    drafts and events in review, editors any."""
    if not (user.is_active and user.has_perm("events.change_event")):
        return False
    curated = all(status in CURATED for status in statuses)
    return curated or bool(user.has_perm("events.publish_event"))


def _check_may_touch(user: User, status: str, what: str, verb: str) -> None:
    if user_may_merge(user, status):
        return
    label = Status(status).label
    raise NotPermitted(
        f"{what} is {label}: only editors may {verb} events that are not "
        "drafts or in review"
    )


def _lock(ids: Collection[int], *, absorbed_by: Collection[int] = ()) -> list[Event]:
    """Lock the events (and those merged into `absorbed_by`) in one statement,
    in id order, so that concurrent merges and splits cannot deadlock."""
    wanted = Q(pk__in=list(ids)) | Q(merged_into_id__in=list(absorbed_by))
    return list(Event.objects.select_for_update().filter(wanted).order_by("pk"))


def _save(obj: Event | Source, *, user: User, why: str, fields: Sequence[str]) -> None:
    obj._history_user = user if user.is_authenticated else None  # type: ignore[union-attr]
    obj._change_reason = history_reason(why)  # type: ignore[union-attr]
    obj.save(
        update_fields=[*fields, "updated_at"] if isinstance(obj, Event) else fields
    )


def _log(event: Event, *, previous: str, user: User, note: str) -> None:
    statuses_record(
        moves=[StatusMove(event, previous, event.status)], user=user, note=note
    )


def _move_sources(
    sources: Sequence[Source], to: Event, *, user: User, why: str
) -> list[int]:
    for source in sources:
        source.event = to
        _save(source, user=user, why=why, fields=["event"])
    return [source.pk for source in sources]


def _check_mergeable(survivor: Event, absorbed: Sequence[Event], user: User) -> None:
    if survivor.status == Status.MERGED:
        into = survivor.merged_into.public_id if survivor.merged_into else "?"
        raise TransitionNotAllowed(
            f"'{survivor}' is itself merged into event {into}; merge into that one"
        )
    if survivor.status == Status.REJECTED:
        raise TransitionNotAllowed(f"cannot merge into '{survivor}': it is rejected")
    for event in absorbed:
        if event.status == Status.MERGED:
            into = event.merged_into.public_id if event.merged_into else "?"
            raise TransitionNotAllowed(f"'{event}' is already merged into event {into}")
    for event in (survivor, *absorbed):
        _check_may_touch(user, event.status, f"'{event}'", "merge")


def _absorb(
    survivor: Event, event: Event, urls: set[str], *, user: User, reason: str
) -> EventMerge:
    """Merge one event into the survivor; `urls` are the survivor's source
    URL keys, updated as sources arrive."""
    why = f"merged into {survivor.public_id}: {reason}"
    moving, _ = sources_partition(urls, event.sources.order_by("id"))
    moved = _move_sources(moving, survivor, user=user, why=why)
    notice_taken = survivor.notice_id is None and event.notice_id is not None
    if notice_taken:
        for name in NOTICE_FIELDS:
            setattr(survivor, name, getattr(event, name))
    previous = event.status
    event.status, event.merged_into, event.published_at = Status.MERGED, survivor, None
    _save(event, user=user, why=why, fields=["status", "merged_into", "published_at"])
    _log(event, previous=previous, user=user, note=why)
    return EventMerge.objects.create(
        survivor=survivor,
        absorbed=event,
        user=user if user.is_authenticated else None,
        reason=reason,
        absorbed_status=previous,
        moved_source_ids=moved,
        notice_taken=notice_taken,
    )


def _repoint(chained: Sequence[Event], survivor: Event, *, user: User) -> None:
    """Events merged into an event that is now merged point at the survivor
    directly (no chains), and so do their merge records."""
    for event in chained:
        event.merged_into = survivor
        why = f"now merged into {survivor.public_id}"
        _save(event, user=user, why=why, fields=["merged_into"])
    EventMerge.objects.filter(absorbed__in=chained, split_at__isnull=True).update(
        survivor=survivor
    )


def events_merge(
    *, survivor: Event, absorbed: Event | Sequence[Event], user: User, reason: str
) -> list[EventMerge]:
    """Merge `absorbed` (one event or several) into `survivor`, all or none.
    Raises NotPermitted, EventInvalid (no reason, nothing or itself to merge)
    or TransitionNotAllowed (an event already merged, a rejected survivor)."""
    reason = _required_reason(reason, "merge")
    _check_user(user, "merge")
    others = [absorbed] if isinstance(absorbed, Event) else list(absorbed)
    other_ids = {event.pk for event in others}
    if not other_ids:
        raise EventInvalid("choose at least one event to merge")
    if survivor.pk in other_ids:
        raise EventInvalid("an event cannot be merged into itself")
    with transaction.atomic():
        rows = _lock({survivor.pk, *other_ids}, absorbed_by=other_ids)
        by_id = {event.pk: event for event in rows}
        if not {survivor.pk, *other_ids} <= set(by_id):
            raise EventInvalid("an event to merge no longer exists")
        locked = by_id[survivor.pk]
        merging = [by_id[pk] for pk in sorted(other_ids)]
        chained = [e for e in rows if e.merged_into_id in other_ids]
        _check_mergeable(locked, merging, user)
        urls = cited_urls(locked)
        merges = [
            _absorb(locked, event, urls, user=user, reason=reason) for event in merging
        ]
        _repoint(chained, locked, user=user)
        names = ", ".join(str(event.public_id) for event in merging)
        why = f"absorbed {names}: {reason}"
        _save(locked, user=user, why=why, fields=NOTICE_FIELDS)
        _log(locked, previous=locked.status, user=user, note=why)
        events_written(event_ids=[locked.pk, *other_ids, *(e.pk for e in chained)])
    survivor.refresh_from_db()
    return merges


def _check_splittable(
    merge: EventMerge, survivor: Event | None, event: Event, user: User
) -> Event:
    if survivor is None:
        raise TransitionNotAllowed("the merge changed meanwhile; try again")
    if merge.split_at is not None:
        raise TransitionNotAllowed(
            f"this merge was already split on {merge.split_at:%Y-%m-%d %H:%M}"
        )
    if event.status != Status.MERGED or event.merged_into_id != survivor.pk:
        raise TransitionNotAllowed(f"'{event}' is not merged into '{survivor}'")
    _check_may_touch(user, survivor.status, f"'{survivor}'", "split")
    _check_may_touch(user, merge.absorbed_status, f"'{event}' (before)", "split")
    return survivor


def _sources_back(merge: EventMerge, survivor: Event, event: Event) -> list[Source]:
    """The sources this merge moved that are still on the survivor. Those an
    earlier merge into the same survivor also moved (a re-pointed chain)
    belong to that earlier merge's event and stay."""
    claimed: set[int] = set()
    for ids in EventMerge.objects.filter(
        survivor=survivor, split_at__isnull=True, pk__lt=merge.pk
    ).values_list("moved_source_ids", flat=True):
        claimed.update(ids)
    wanted = [pk for pk in merge.moved_source_ids if pk not in claimed]
    sources = Source.objects.filter(pk__in=wanted, event=survivor).order_by("id")
    moving, _ = sources_partition(cited_urls(event), sources)
    return moving


def _restore_status(event: Event, merge: EventMerge) -> str:
    """Give the event its status from before the merge; a published one is
    published again only if it still may be. Returns what to add to the note."""
    event.merged_into = None
    before = merge.absorbed_status
    if before != Status.PUBLISHED:
        restorable = (*CURATED, Status.REJECTED)
        event.status = before if before in restorable else Status.DRAFT
        return ""
    try:
        _check_publishable(event)
    except EventInvalid as exc:
        event.status = Status.DRAFT
        return f" (not published again: {exc}; back to draft)"
    event.status = Status.PUBLISHED
    event.published_at = (
        event.history.filter(history_date__lte=merge.at)
        .exclude(status=Status.MERGED)
        .order_by("-history_date", "-history_id")
        .values_list("published_at", flat=True)
        .first()
    ) or timezone.now()
    return ""


def event_split(*, merge: EventMerge, user: User, reason: str) -> Event:
    """Undo one merge: the absorbed event gets back its status, the sources
    the merge moved and (if the survivor took it) its notice; its id stops
    redirecting. Returns the event, which is a draft when it was published
    but no longer validates (the StatusChange note says why)."""
    reason = _required_reason(reason, "split")
    _check_user(user, "split")
    with transaction.atomic():
        rows = {e.pk: e for e in _lock([merge.survivor_id, merge.absorbed_id])}
        current = EventMerge.objects.select_for_update().get(pk=merge.pk)
        event = rows[current.absorbed_id]
        survivor = _check_splittable(
            current, rows.get(current.survivor_id), event, user
        )
        why = f"split from {survivor.public_id}: {reason}"
        _move_sources(
            _sources_back(current, survivor, event), event, user=user, why=why
        )
        if current.notice_taken and survivor.notice_id == event.notice_id:
            survivor.notice, survivor.notice_match = None, ""
            survivor.notice_match_score = None
        note = why + _restore_status(event, current)
        _save(
            event, user=user, why=note, fields=["status", "merged_into", "published_at"]
        )
        _log(event, previous=Status.MERGED, user=user, note=note)
        current.split_at, current.split_by = timezone.now(), user
        current.save(update_fields=["split_at", "split_by"])
        why = f"split off {event.public_id}: {reason}"
        _save(survivor, user=user, why=why, fields=NOTICE_FIELDS)
        _log(survivor, previous=survivor.status, user=user, note=why)
        events_written(event_ids=[survivor.pk, event.pk])
    merge.refresh_from_db()
    return event


def _copy_as_draft(event: Event, *, user: User, why: str) -> Event:
    copy = Event(
        status=Status.DRAFT,
        **{name: getattr(event, name) for name in EDITABLE_EVENT_FIELDS},
    )
    try:
        copy.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise EventInvalid(f"the event cannot be copied as it stands: {exc}") from exc
    copy._history_user = user if user.is_authenticated else None  # type: ignore[attr-defined]
    copy._change_reason = history_reason(why)  # type: ignore[attr-defined]
    copy.save()
    _log(copy, previous="", user=user, note=why)
    return copy


def event_split_off(
    *, event: Event, source_ids: Collection[int], user: User, reason: str
) -> Event:
    """Make a new draft, a copy of `event`'s fields, out of the chosen sources
    of an event that wrongly combines two: the sources move to the draft,
    which curators then correct. Returns the draft."""
    reason = _required_reason(reason, "split")
    _check_user(user, "split")
    if not user.has_perm("events.add_event"):
        raise NotPermitted("you may not create events")
    wanted = set(source_ids)
    if not wanted:
        raise EventInvalid("choose the sources that belong to another event")
    with transaction.atomic():
        (locked,) = _lock([event.pk])
        if locked.status == Status.MERGED:
            raise TransitionNotAllowed(f"'{locked}' is merged; split it off first")
        _check_may_touch(user, locked.status, f"'{locked}'", "split")
        sources = list(locked.sources.filter(pk__in=wanted).order_by("id"))
        if len(sources) != len(wanted):
            raise EventInvalid("some of the chosen sources are not this event's")
        if not locked.sources.exclude(pk__in=wanted).exists():
            raise EventInvalid("leave at least one source with the event")
        copy = _copy_as_draft(
            locked, user=user, why=f"split off from {locked.public_id}: {reason}"
        )
        _move_sources(sources, copy, user=user, why=f"split off: {reason}")
        why = f"{len(sources)} source(s) split off into {copy.public_id}: {reason}"
        _save(locked, user=user, why=why, fields=[])
        _log(locked, previous=locked.status, user=user, note=why)
        events_written(event_ids=[locked.pk, copy.pk])
    return copy
