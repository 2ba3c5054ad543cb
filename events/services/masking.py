"""Masking a target, to protect a person at risk (see events.masking).

A curator masks a target: it only hides more, so no editor is needed. The
public then sees its pseudonym and no URL, on every surface and at every past
moment. Unmasking makes more public, so it is an editor's decision
(`events.publish_event`), with a reason kept in the target's history.

Both write the target (its history records who and why), then set
`masked_as` on all its events in one UPDATE, moving their `updated_at` so that
clients syncing by it fetch them again, and record one history row per event
with the same user and reason; events_written then logs `updated` in the
change feed for the published ones. Events of the target written later take
its mask when they are linked to it (events.services.targets).

Release files cut before a masking still hold the real values: an editor
withdraws them (events.services.releases.release_withdraw).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import Event, Target, history_reason
from events.models.targets import PSEUDONYM_LENGTH
from events.services.history_sync import events_history_recorded
from events.services.record_hooks import events_written

User = AbstractBaseUser | AnonymousUser
MASK_PERMISSION = "events.change_target"
UNMASK_PERMISSION = "events.publish_event"


def default_pseudonym(target: Target) -> str:
    """A pseudonym that names nobody: "Account 12 (masked)"."""
    return f"{capfirst(target.get_target_type_display())} {target.pk} (masked)"


@transaction.atomic
def target_mask(*, target: Target, user: User, pseudonym: str = "") -> Target:
    """Mask `target` under `pseudonym` (a default one when blank); masking an
    already masked target changes its pseudonym. Raises NotPermitted,
    EventInvalid (a pseudonym too long or naming the target) or
    TransitionNotAllowed (a target merged into another: mask that one)."""
    if not (user.is_active and user.has_perm(MASK_PERMISSION)):
        raise NotPermitted("you may not mask targets")
    locked = Target.objects.select_for_update().get(pk=target.pk)
    if locked.merged_into_id is not None:
        raise TransitionNotAllowed(
            "this target was merged into another: mask the one it was merged into"
        )
    pseudonym = " ".join(pseudonym.split()) or default_pseudonym(locked)
    _check_pseudonym(locked, pseudonym)
    locked.masked, locked.pseudonym = True, pseudonym
    _save(locked, user, f"masked as “{pseudonym}”")
    _mark_events(locked, pseudonym, user, "masked with its target")
    return locked


@transaction.atomic
def target_unmask(*, target: Target, user: User, reason: str) -> Target:
    """Show `target` under its real name again; editors only, with a reason.
    Raises NotPermitted, EventInvalid (no reason) or TransitionNotAllowed
    (not masked)."""
    if not (user.is_active and user.has_perm(UNMASK_PERMISSION)):
        raise NotPermitted("only editors may unmask a target")
    reason = reason.strip()
    if not reason:
        raise EventInvalid("a reason is required to unmask a target")
    locked = Target.objects.select_for_update().get(pk=target.pk)
    if not locked.masked:
        raise TransitionNotAllowed("this target is not masked")
    locked.masked, locked.pseudonym = False, ""
    _save(locked, user, f"unmasked: {reason}")
    _mark_events(locked, "", user, f"unmasked with its target: {reason}")
    return locked


def _check_pseudonym(target: Target, pseudonym: str) -> None:
    if len(pseudonym) > PSEUDONYM_LENGTH:
        raise EventInvalid(f"a pseudonym has at most {PSEUDONYM_LENGTH} characters")
    folded = pseudonym.casefold()
    real = {target.name.casefold(), target.key.casefold()} - {""}
    if any(name in folded for name in real):
        raise EventInvalid("the pseudonym must not contain the target's name")


def _save(target: Target, user: User, reason: str) -> None:
    target._history_user = user  # type: ignore[attr-defined]
    target._change_reason = history_reason(reason)  # type: ignore[attr-defined]
    target.full_clean()
    target.save(update_fields=["masked", "pseudonym"])


def _mark_events(target: Target, masked_as: str, user: User, reason: str) -> None:
    """Every event of `target` takes `masked_as`, in one UPDATE, with one
    history row each by `user` (so `?as_of=` and the audit trail follow)."""
    events = Event.objects.filter(target_ref=target)
    events.update(masked_as=masked_as, updated_at=timezone.now())
    changed = list(events)
    if not changed:
        return
    Event.history.bulk_history_create(
        changed,
        update=True,
        default_user=user,
        default_change_reason=history_reason(reason),
    )
    ids = [event.pk for event in changed]
    events_history_recorded(event_ids=ids)
    events_written(event_ids=ids)
