"""Drafts written through the API: create and edit an event and its sources.

The permission rules are the admin's: adding needs events.add_event, editing
follows workflow.event_can_edit. Status never changes here (workflow.py does
that); a new event is a draft with a StatusChange '' → draft by its author.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from events.choices import Status
from events.exceptions import NotPermitted, TrackerError
from events.models import EDITABLE_EVENT_FIELDS, Event, Source
from events.services.derive import event_derive
from events.services.record_hooks import events_deleted, events_written
from events.services.status import StatusMove, status_check, statuses_record
from events.services.workflow import (
    BulkResult,
    User,
    event_can_edit,
    event_check_version,
)

EDITABLE_FIELDS = frozenset(EDITABLE_EVENT_FIELDS)
SOURCE_FIELDS = ("url", "title", "publisher", "published_at", "archive_url")


def _assign(event: Event, data: Mapping[str, Any]) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            {name: "This field cannot be written." for name in unknown}
        )
    for name, value in data.items():
        setattr(event, name, value)


def _check_sources(sources: Sequence[Mapping[str, Any]]) -> list[Source]:
    """Source rows for `sources`, each checked; a repeated URL is an error."""
    rows: list[Source] = []
    errors: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(sources, start=1):
        source = Source(**{name: item[name] for name in SOURCE_FIELDS if name in item})
        try:
            source.full_clean(exclude=["event"], validate_unique=False)
        except ValidationError as exc:
            errors += [
                f"{index}: {k}: {' '.join(v)}" for k, v in exc.message_dict.items()
            ]
        if source.url in seen:
            errors.append(f"{index}: url: {source.url} is given twice")
        seen.add(source.url)
        rows.append(source)
    if errors:
        raise ValidationError({"sources": errors})
    return rows


def _save(event: Event, *, user: User, reason: str) -> None:
    event.full_clean(validate_unique=False)
    event_derive(event)
    event._history_user = user  # type: ignore[attr-defined]
    event._change_reason = reason  # type: ignore[attr-defined]
    event.save()


def _replace_sources(event: Event, sources: list[Source], *, user: User) -> None:
    """Make the event's sources exactly `sources`, matched by URL; history
    records each change with the user."""
    current = {source.url: source for source in event.sources.all()}
    for source in sources:
        known = current.pop(source.url, None)
        if known is None:
            source.event = event
            target = source
        elif any(getattr(known, f) != getattr(source, f) for f in SOURCE_FIELDS):
            for name in SOURCE_FIELDS:
                setattr(known, name, getattr(source, name))
            target = known
        else:
            continue
        target._history_user = user  # type: ignore[attr-defined]
        target.save()
    for gone in current.values():
        gone._history_user = user  # type: ignore[attr-defined]
        gone.delete()


# The fields a form may write; everything else (status, publication time, merge,
# target and notice links, extraction) belongs to other services.
_FORM_ATTNAMES = frozenset(
    Event._meta.get_field(name).attname for name in EDITABLE_EVENT_FIELDS
) | {"updated_at"}


@transaction.atomic
def event_save_from_form(*, event: Event, user: User) -> Event:
    """Save an edited existing event (the admin's change form) without
    overwriting what changed since the form was loaded: the row is locked,
    the fields the form does not own are taken from the database, and the
    edit is refused if the event became uneditable meanwhile (an editor
    published it while a curator was typing)."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not event_can_edit(event=locked, user=user):
        raise NotPermitted(
            f"this event is now {locked.get_status_display()}; "
            "you may no longer edit it"
        )
    for field in Event._meta.concrete_fields:
        if field.attname not in _FORM_ATTNAMES:
            setattr(event, field.attname, getattr(locked, field.attname))
    event_derive(event)
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    return event


@transaction.atomic
def event_create_from_form(*, event: Event, user: User) -> Event:
    """Save a new draft from the admin's add form and record its creation;
    the admin saves its inline sources and calls events_written after."""
    status_check(user=user, previous="", current=Status.DRAFT)
    event.status = Status.DRAFT
    _save(event, user=user, reason="created in the admin")
    statuses_record(moves=[StatusMove(event, "", Status.DRAFT)], user=user)
    return event


@transaction.atomic
def event_create(
    *, user: User, data: Mapping[str, Any], sources: Sequence[Mapping[str, Any]] = ()
) -> Event:
    """A new draft with its sources; raises NotPermitted or ValidationError."""
    status_check(user=user, previous="", current=Status.DRAFT)
    event = Event(status=Status.DRAFT)
    _assign(event, data)
    rows = _check_sources(sources)
    _save(event, user=user, reason="created through the API")
    _replace_sources(event, rows, user=user)
    statuses_record(moves=[StatusMove(event, "", Status.DRAFT)], user=user)
    events_written(event_ids=[event.pk])
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    user: User,
    data: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] | None = None,
    version: str | None = None,
    reason: str = "edited through the API",
) -> Event:
    """Change the given fields (and replace the sources when `sources` is given),
    with `reason` in the history row; raises NotPermitted, ValidationError or,
    when `version` is given and the event changed since, StaleVersion."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not event_can_edit(event=locked, user=user):
        raise NotPermitted("you may not edit this event")
    event_check_version(locked, version)
    _assign(locked, data)
    rows = _check_sources(sources) if sources is not None else None
    _save(locked, user=user, reason=reason)
    if rows is not None:
        _replace_sources(locked, rows, user=user)
    events_written(event_ids=[locked.pk])
    return locked


def events_edit_bulk(
    *,
    events: Iterable[Event],
    user: User,
    data: Mapping[str, Any],
    reason: str,
    versions: Mapping[int, str],
) -> BulkResult:
    """Set the same fields on many events, each through event_update (its
    history row has the user and `reason`); an event the user may not edit,
    changed since the version seen (`versions`: id → version) or made invalid
    by the change is skipped with the reason, the others are saved."""
    result = BulkResult()
    for event in events:
        try:
            result.done.append(
                event_update(
                    event=event,
                    user=user,
                    data=data,
                    version=versions.get(event.pk, ""),
                    reason=reason,
                )
            )
        except TrackerError as exc:
            result.skipped.append((event, str(exc)))
        except ValidationError as exc:
            result.skipped.append((event, "; ".join(exc.messages)))
    return result


@transaction.atomic
def events_delete(*, events: Iterable[Event], user: User) -> int:
    """Delete events for good (superusers: curators and editors hold no
    delete permission; unpublishing or a takedown is the editors' way). The
    change feed says the public ones left and their notices' sightings are
    counted again. Returns how many were deleted."""
    if not (user.is_active and user.has_perm("events.delete_event")):
        raise NotPermitted("you may not delete events")
    doomed = Event.objects.filter(pk__in=[event.pk for event in events])
    gone = list(doomed.values_list("public_id", "notice_id"))
    doomed.delete()
    events_deleted(
        public_ids=[public_id for public_id, _ in gone],
        notice_ids=[notice_id for _, notice_id in gone],
    )
    return len(gone)
