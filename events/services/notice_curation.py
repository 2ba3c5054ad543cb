"""Curators' decisions about notice matches, and changes to the registry that
reach the events linked to it.

Each decision is a save of the event with its user (history says who) and goes
through events_written, like every write. A wording is recorded as a new
variant of a notice only when a curator confirms it, never on an automatic
match. An automatic match is a guess at 85% similarity or so; if guesses became
variants, the next text would be compared with the guess, the one after with
that, and the registry would drift one plausible step at a time towards
wordings of other messages, with nobody having looked. A confirmed wording is
one a person read and judged to be this notice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from events.choices import NoticeMatch
from events.exceptions import EventInvalid, NotPermitted
from events.models import Event, Notice, history_reason
from events.services.notice_matching import current_matcher
from events.services.notices import (
    DECIDED,
    MATCH_FIELDS,
    events_match_notices,
    notice_wording_record,
    notices_refresh_seen,
    registry_check_may,
)
from events.services.record_hooks import events_written
from events.services.workflow import User, event_can_edit

REMATCH_BATCH = 1000


def notices_rematch(*, batch_size: int = REMATCH_BATCH) -> int:
    """Match every event that has notice text against the registry as it is
    now (after seeding, or after curators changed notices), a batch per
    transaction. The events whose link changed go through events_written, so
    the change log and history see the change. Returns how many changed."""
    changed = 0
    last = 0
    with_text = Event.objects.exclude(notice_text="").exclude(notice_match__in=DECIDED)
    while True:
        ids = list(
            with_text.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return changed
        with transaction.atomic():
            moved = events_match_notices(event_ids=ids)
            events_written(event_ids=moved)
        changed += len(moved)
        last = ids[-1]


def _check_may_decide(event: Event, user: User) -> None:
    if not event_can_edit(event=event, user=user):
        raise NotPermitted("you may not change this event's notice")


def _save_match(event: Event, *, user: User, reason: str) -> None:
    others = [field.name for field in Event._meta.fields]
    event.clean_fields(exclude=[name for name in others if name not in MATCH_FIELDS])
    event._history_user = user  # type: ignore[attr-defined]
    event._change_reason = history_reason(reason)  # type: ignore[attr-defined]
    event.save(update_fields=MATCH_FIELDS)


@transaction.atomic
def event_notice_confirm(
    *, event: Event, user: User, notice: Notice | None = None
) -> Event:
    """Confirm the event's matched notice or, with `notice`, link it to that
    one instead. The event's wording becomes a variant of the notice if it is
    not one yet. Raises NotPermitted, or EventInvalid when there is nothing to
    confirm."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _check_may_decide(locked, user)
    chosen = notice or locked.notice
    if chosen is None:
        raise EventInvalid("the event has no matched notice: choose one")
    previous = locked.notice_id
    corrected = chosen.pk != previous
    locked.notice = chosen
    locked.notice_match = NoticeMatch.CONFIRMED
    locked.notice_match_score = current_matcher().similarity(
        chosen.pk, locked.notice_text
    )
    verb = "corrected" if corrected else "confirmed"
    _save_match(locked, user=user, reason=f"notice match {verb}: {chosen}")
    notice_wording_record(notice=chosen, event=locked, user=user)
    events_written(event_ids=[locked.pk])
    notices_refresh_seen(notice_ids=[previous])
    return locked


@transaction.atomic
def event_notice_reject(*, event: Event, user: User) -> Event:
    """Record that the event shows none of the registry's notices: its link is
    removed and matching leaves it alone from now on."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _check_may_decide(locked, user)
    previous = locked.notice
    locked.notice = None
    locked.notice_match = NoticeMatch.REJECTED
    locked.notice_match_score = None
    about = f": {previous}" if previous else ""
    _save_match(locked, user=user, reason=f"notice match rejected{about}")
    events_written(event_ids=[locked.pk])
    notices_refresh_seen(notice_ids=[previous.pk if previous else None])
    return locked


@transaction.atomic
def event_notice_rematch(*, event: Event, user: User) -> Event:
    """Undo a curator's decision: the event is matched automatically again."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _check_may_decide(locked, user)
    previous = locked.notice_id
    locked.notice = None
    locked.notice_match = NoticeMatch.NONE
    locked.notice_match_score = None
    _save_match(locked, user=user, reason="notice matched automatically again")
    events_written(event_ids=[locked.pk])
    notices_refresh_seen(notice_ids=[previous])
    locked.refresh_from_db()
    return locked


@transaction.atomic
def notices_delete(*, notices: Iterable[Notice], user: User | None) -> int:
    """Delete notices. Their events lose the link (curators' decisions about
    them too) and are matched again against what remains. Returns how many
    were deleted. Raises NotPermitted for a user who may not."""
    registry_check_may(user, "delete_notice")
    doomed = list(notices)
    ids = [notice.pk for notice in doomed]
    linked = Event.objects.filter(notice_id__in=ids)
    event_ids = list(linked.values_list("pk", flat=True))
    linked.update(
        notice=None,
        notice_match=NoticeMatch.NONE,
        notice_match_score=None,
        updated_at=timezone.now(),
    )
    for notice in doomed:
        notice._history_user = user  # type: ignore[attr-defined]
        notice.delete()
    events_written(event_ids=event_ids)
    return len(doomed)
