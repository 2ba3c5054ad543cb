"""Curators' fixes to the grouping of events into targets: merges.

A merge moves the events of the absorbed targets to the survivor and marks the
absorbed targets merged, so that events with their keys (new ones, and edited
ones whose text still gives that key) belong to the survivor from then on; see
events.services.targets for the assignment rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from events.exceptions import NotPermitted
from events.models import Event, Target, history_reason
from events.services.record_hooks import events_written
from events.services.reference import reference_check_change


@transaction.atomic
def targets_merge(
    *, survivor: Target, others: Sequence[Target], user: AbstractBaseUser
) -> list[int]:
    """Merge `others` into `survivor`: their events move to it, and events with
    their keys belong to it from now on (their rows stay, marked merged, so
    their pages redirect). Recorded in each target's history. Returns the ids
    of the events moved. Raises NotPermitted or ValidationError."""
    if not (user.is_active and user.has_perm("events.change_target")):
        raise NotPermitted("you may not merge targets")
    locked = {
        t.pk: t
        for t in Target.objects.select_for_update().filter(
            pk__in=[survivor.pk, *(o.pk for o in others)]
        )
    }
    head = locked[survivor.pk]
    absorbed = [locked[o.pk] for o in others if o.pk != head.pk]
    _check_merge(head, absorbed)
    # A merge renames what public pages show (the survivor's name replaces
    # the others'), so a public target is merged by an editor only.
    reference_check_change(objs=[head, *absorbed], user=user)
    absorbed_ids = [t.pk for t in absorbed]
    # Targets merged earlier into one of these follow them: one hop, always.
    Target.objects.filter(merged_into__in=absorbed_ids).update(merged_into=head)
    for target in absorbed:
        target.merged_into = head
        _save_with_reason(target, user, f"merged into target {head.pk}")
    listed = ", ".join(str(pk) for pk in absorbed_ids)
    _save_with_reason(head, user, f"absorbed target(s) {listed}")
    ids = _move_events(head, absorbed_ids, user)
    events_written(event_ids=ids)
    return ids


def _move_events(
    head: Target, absorbed_ids: list[int], user: AbstractBaseUser
) -> list[int]:
    """Each event of the absorbed targets moves to `head`, recorded in its
    history; updated_at changes because the event's representation names its
    target (clients syncing by updated_at must fetch it again)."""
    moved = list(Event.objects.filter(target_ref__in=absorbed_ids))
    now = timezone.now()
    # They take the survivor's mask (_check_merge keeps a masked one masked).
    masked_as = head.pseudonym if head.masked else ""
    for event in moved:
        event.target_ref, event.updated_at, event.masked_as = head, now, masked_as
    bulk_update_with_history(
        moved,
        Event,
        ["target_ref", "updated_at", "masked_as"],
        batch_size=500,
        default_user=user,
        default_change_reason=f"moved to target {head.pk} by a merge",
    )
    return [event.pk for event in moved]


def _check_merge(head: Target, absorbed: list[Target]) -> None:
    if not absorbed:
        raise ValidationError("Choose at least one target besides the survivor.")
    if head.merged_into_id is not None:
        raise ValidationError(
            f"“{head.name}” was itself merged into another target; "
            "merge into that one instead."
        )
    for target in absorbed:
        if target.platform_id != head.platform_id:
            raise ValidationError(
                f"“{target.name}” is on another platform than “{head.name}”."
            )
        if target.merged_into_id is not None:
            raise ValidationError(f"“{target.name}” is already merged.")
        if target.masked and not head.masked:
            # Its events would show the real name: the person stays masked.
            raise ValidationError(
                f"“{target.name}” is masked: mask “{head.name}” before merging into it."
            )


def _save_with_reason(target: Target, user: AbstractBaseUser, reason: str) -> None:
    target._change_reason = history_reason(reason)  # type: ignore[attr-defined]
    target._history_user = user  # type: ignore[attr-defined]
    target.save()
