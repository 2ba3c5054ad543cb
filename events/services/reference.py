"""Reference data (platforms, authorities, targets) and who may change it.

The policy: whatever a public page shows is changed by an editor. A platform,
an authority or a target is public once a published event refers to it (a
target also through the targets merged into it); the notice registry is
public as a whole, so only editors hold its add and change permissions
(migration 0017). Curators create reference rows and correct them freely while
only drafts use them; once public, a change needs `events.publish_event`,
exactly like an edit of a published event. The admin asks the same question
(`reference_may_change`) to decide whether to show a form or a read-only page,
and every write goes through `reference_save` or `targets_merge`, which ask it
again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q

from events.exceptions import NotPermitted
from events.models import Authority, Event, Platform, Target, history_reason
from events.services.changes import changes_record_reference_edited

User = AbstractBaseUser | AnonymousUser
Reference = Platform | Authority | Target
EDITOR_PERMISSION = "events.publish_event"


def reference_is_public(obj: Reference) -> bool:
    """Whether a public page shows this row (one query)."""
    if obj.pk is None:
        return False
    published = Event.objects.published()
    if isinstance(obj, Platform):
        return published.filter(platform=obj).exists()
    if isinstance(obj, Authority):
        return published.filter(authority=obj).exists()
    return published.filter(Q(target_ref=obj) | Q(target_ref__merged_into=obj)).exists()


def reference_may_change(*, obj: Reference, user: User) -> bool:
    """Whether `user` may change this row as the policy says (the model
    permission is the admin's to check)."""
    if not reference_is_public(obj):
        return True
    return bool(user.is_active and user.has_perm(EDITOR_PERMISSION))


def reference_check_change(*, objs: Iterable[Reference], user: User) -> None:
    """Raise NotPermitted naming the first public row `user` may not change."""
    for obj in objs:
        if not reference_may_change(obj=obj, user=user):
            kind = obj._meta.verbose_name
            raise NotPermitted(
                f"the {kind} “{obj}” is shown on public pages: only editors may "
                "change it"
            )


@transaction.atomic
def reference_save(
    *, obj: Reference, user: User, changed_fields: Iterable[str] = ()
) -> Reference:
    """Create or change a platform, an authority or a target as `user`;
    raises NotPermitted or ValidationError. A change of what events' JSON
    shows (a platform's or an authority's name, slug, country) is logged in
    the change feed for each of their published events."""
    if obj.pk is not None:
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        reference_check_change(objs=[current], user=user)
    obj.full_clean()
    obj._history_user = user  # type: ignore[union-attr]
    obj._change_reason = history_reason("edited in the admin")  # type: ignore[union-attr]
    created = obj.pk is None
    obj.save()
    if not created and not isinstance(obj, Target):
        changes_record_reference_edited(instance=obj, changed_fields=changed_fields)
    return obj
