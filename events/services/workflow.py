"""The status workflow: the only code that changes an event's status.

    draft ──submit──▶ in_review ──publish──▶ published
      ▲ │                 │                     │
      │ └─────reject──────┴──▶ rejected         └─unpublish─▶ draft
      └──────────revise───────────┘

Editors may also publish a draft directly (their review is the review).
Curators revise a rejected event (back to draft, with a note) to resubmit it.
Publishing asks for confirmation when a published or in-review event is a
likely duplicate (DUPLICATE_CONFIRM_SCORE).
Every transition writes a StatusChange row and a history record with its user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.choices import Status
from events.exceptions import (
    DuplicateRef,
    EventInvalid,
    LikelyDuplicate,
    NotPermitted,
    StaleVersion,
    TrackerError,
    TransitionNotAllowed,
)
from events.models import Event, history_reason
from events.selectors.duplicates import event_likely_duplicates
from events.services.record_hooks import events_written
from events.services.status import StatusMove, statuses_record

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    reason_required: bool


SUBMIT = Transition(
    "submit", frozenset({Status.DRAFT}), Status.IN_REVIEW, "events.submit_event", False
)
PUBLISH = Transition(
    "publish",
    frozenset({Status.DRAFT, Status.IN_REVIEW}),
    Status.PUBLISHED,
    "events.publish_event",
    False,
)
REJECT = Transition(
    "reject",
    frozenset({Status.DRAFT, Status.IN_REVIEW}),
    Status.REJECTED,
    "events.reject_event",
    True,
)
UNPUBLISH = Transition(
    "unpublish",
    frozenset({Status.PUBLISHED}),
    Status.DRAFT,
    "events.unpublish_event",
    True,
)
# A rejected event mended and sent round again: curators may (change_event,
# as events.services.status decides for rejected → draft); the note says why.
REVISE = Transition(
    "revise",
    frozenset({Status.REJECTED}),
    Status.DRAFT,
    "events.change_event",
    True,
)


def user_may(user: User, transition: Transition) -> bool:
    return bool(user.is_active and user.has_perm(transition.permission))


def event_can_edit(*, event: Event, user: User) -> bool:
    """Curators edit drafts and events in review; only editors touch the rest.
    A merged event is frozen for everyone (split it from its survivor first)."""
    if event.status == Status.MERGED:
        return False
    if not user.is_active or not user.has_perm("events.change_event"):
        return False
    if event.status in (Status.DRAFT, Status.IN_REVIEW):
        return True
    return bool(user.has_perm("events.publish_event"))


def _check_publishable(event: Event) -> None:
    try:
        event.full_clean()
    except ValidationError as exc:
        messages = "; ".join(
            f"{name}: {' '.join(errs)}" for name, errs in exc.message_dict.items()
        )
        raise EventInvalid(f"the event is not valid ({messages})") from exc
    if not event.sources.exists():
        raise EventInvalid("a published event needs at least one source")


def _check_complete(event: Event, transition: Transition) -> None:
    """An incomplete draft is neither submitted nor published."""
    missing = event.missing_fields
    if missing and transition.target in (Status.IN_REVIEW, Status.PUBLISHED):
        raise EventInvalid(
            f"the event is incomplete: set its {', '.join(missing)} before you "
            f"{transition.name} it"
        )


def event_check_version(locked: Event, version: str | None) -> None:
    """StaleVersion when `version` (if given) is not the locked event's."""
    if version is not None and version != locked.version:
        raise StaleVersion(
            "the event changed since you loaded it (someone edited it meanwhile); "
            "read it again before you decide"
        )


def _check_no_likely_duplicate(locked: Event) -> None:
    """LikelyDuplicate when a published or in-review event scores more than
    DUPLICATE_CONFIRM_SCORE as a duplicate of `locked`."""
    found = event_likely_duplicates(locked, above=settings.DUPLICATE_CONFIRM_SCORE)
    if not found:
        return
    refs = [
        DuplicateRef(
            public_id=str(d.event.public_id),
            title=str(d.event),
            status=d.event.status,
            score=d.score,
        )
        for d in found
    ]
    named = "; ".join(f"'{ref.title}' (score {ref.score})" for ref in refs)
    raise LikelyDuplicate(
        f"likely a duplicate of {named}; confirm to publish it anyway", refs
    )


def _move(locked: Event, transition: Transition, *, user: User, reason: str) -> None:
    """Give the locked event the transition's status and record it."""
    previous = locked.status
    locked.status = transition.target
    if transition.target == Status.PUBLISHED:
        locked.published_at = timezone.now()
    elif previous == Status.PUBLISHED:
        locked.published_at = None
    locked._history_user = user if user.is_authenticated else None  # type: ignore[attr-defined]
    # simple-history's reason column holds 100 characters; the whole
    # reason is kept in the StatusChange below.
    locked._change_reason = history_reason(  # type: ignore[attr-defined]
        f"{transition.name}: {reason}" if reason else transition.name
    )
    locked.save(update_fields=["status", "published_at", "updated_at"])
    statuses_record(
        moves=[StatusMove(locked, previous, transition.target)], user=user, note=reason
    )
    events_written(event_ids=[locked.pk])


def _apply(
    transition: Transition,
    *,
    event: Event,
    user: User,
    reason: str = "",
    version: str | None = None,
    confirm_duplicate: bool = False,
) -> Event:
    """Make one transition. `version` is the event's version the user saw
    (Event.version); when given, a later version refuses with StaleVersion.
    Into published, a likely duplicate refuses with LikelyDuplicate unless
    `confirm_duplicate`."""
    reason = reason.strip()
    if not user_may(user, transition):
        raise NotPermitted(f"you may not {transition.name} events")
    if transition.reason_required and not reason:
        raise EventInvalid(f"a reason is required to {transition.name} an event")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status not in transition.sources:
            current = locked.get_status_display()
            raise TransitionNotAllowed(
                f"cannot {transition.name} an event that is {current}"
            )
        event_check_version(locked, version)
        _check_complete(locked, transition)
        if transition.target == Status.PUBLISHED:
            _check_publishable(locked)
            if not confirm_duplicate:
                _check_no_likely_duplicate(locked)
        _move(locked, transition, user=user, reason=reason)
    event.refresh_from_db()
    return event


def event_submit(
    *, event: Event, user: User, note: str = "", version: str | None = None
) -> Event:
    return _apply(SUBMIT, event=event, user=user, reason=note, version=version)


def event_publish(
    *,
    event: Event,
    user: User,
    note: str = "",
    version: str | None = None,
    confirm_duplicate: bool = False,
) -> Event:
    """Publish; LikelyDuplicate (nothing done) when a published or in-review
    event is a likely duplicate and `confirm_duplicate` is not given."""
    return _apply(
        PUBLISH,
        event=event,
        user=user,
        reason=note,
        version=version,
        confirm_duplicate=confirm_duplicate,
    )


def event_reject(
    *, event: Event, user: User, reason: str, version: str | None = None
) -> Event:
    return _apply(REJECT, event=event, user=user, reason=reason, version=version)


def event_unpublish(
    *, event: Event, user: User, reason: str, version: str | None = None
) -> Event:
    return _apply(UNPUBLISH, event=event, user=user, reason=reason, version=version)


def event_revise(
    *, event: Event, user: User, reason: str, version: str | None = None
) -> Event:
    """Rejected → draft, to be mended and submitted again; reason required."""
    return _apply(REVISE, event=event, user=user, reason=reason, version=version)


@dataclass
class BulkResult:
    done: list[Event] = field(default_factory=list)
    skipped: list[tuple[Event, str]] = field(default_factory=list)


def events_apply_bulk(
    service: Callable[..., Event],
    *,
    events: Iterable[Event],
    versions: Mapping[int, str] | None = None,
    **kwargs: object,
) -> BulkResult:
    """Run one transition service over many events; each succeeds or is skipped
    with the reason, independently of the others. With `versions` (event id →
    the version the user saw), an event missing from it or changed since is
    skipped (StaleVersion)."""
    result = BulkResult()
    for event in events:
        seen = {} if versions is None else {"version": versions.get(event.pk, "")}
        try:
            result.done.append(service(event=event, **seen, **kwargs))
        except TrackerError as exc:
            result.skipped.append((event, str(exc)))
    return result
