"""The notice registry: match events' notice text to known notices, and keep
the registry's notices and variants.

An event's `notice_match` says who linked it: `auto` (this module, from the
text), `confirmed` (a curator chose the notice) or `rejected` (a curator said
it shows none of the registry's notices). Matching never touches an event a
curator decided about; their decisions go through notice_curation.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from events.choices import NoticeMatch, Status
from events.exceptions import NotPermitted
from events.models import Event, Notice, NoticeVariant
from events.services.notice_matching import Matcher, current_matcher, normalise

User = AbstractBaseUser | AnonymousUser
DECIDED = (NoticeMatch.CONFIRMED, NoticeMatch.REJECTED)
MATCH_FIELDS = ["notice", "notice_match", "notice_match_score", "updated_at"]
MAX_OUTCOMES = 8


def events_match_notices(*, event_ids: Collection[int]) -> set[int]:
    """Link each event's notice text to the registry notice it matches, or to
    none; events a curator decided about are left alone. Returns the ids of
    the events whose link changed.

    Called by events_written inside every write, once per importer batch of
    1,000 events: one query for the registry's version (two more when it
    changed since this process compiled it), one for the events, one UPDATE
    per outcome (notice and score; one bulk update when there are many) and
    one update of their notices' first and last sightings. `updated_at`
    moves when the linked notice changes, since the API shows it (sync
    clients must fetch the event again)."""
    matcher = current_matcher()
    if not matcher or not event_ids:
        return set()
    rows = Event.objects.filter(pk__in=list(event_ids)).values_list(
        "pk",
        "platform_id",
        "notice_text",
        "notice_id",
        "notice_match",
        "notice_match_score",
        "updated_at",
    )
    now = timezone.now()
    outcomes: dict[tuple, list[int]] = defaultdict(list)
    stamps: dict[int, dt.datetime] = {}
    touched: set[int | None] = set()
    for pk, platform_id, text, notice_id, how, score, updated_at in rows:
        touched.add(notice_id)
        if how in DECIDED:
            continue
        found = matcher.match(platform_id, text) if text.strip() else None
        new = (
            (found.notice_id, NoticeMatch.AUTO, found.score)
            if found
            else (None, NoticeMatch.NONE, None)
        )
        if new == (notice_id, how, score):
            continue
        touched.add(new[0])
        moved = new[0] != notice_id
        outcomes[(*new, moved)].append(pk)
        stamps[pk] = now if moved else updated_at
    _write(outcomes, stamps)
    notices_refresh_seen(notice_ids=touched)
    return {pk for pks in outcomes.values() for pk in pks}


def notice_match_for(
    event: Event, matcher: Matcher
) -> tuple[int | None, str, float | None] | None:
    """The (notice id, how, score) an event's notice text gets from
    `matcher` (current_matcher(): the registry as it is now), by the rule of
    events_match_notices; None when a curator decided about it or there is
    no registry to match against."""
    if not matcher or event.notice_match in DECIDED:
        return None
    text = event.notice_text or ""
    found = matcher.match(event.platform_id, text) if text.strip() else None
    if found is None:
        return (None, NoticeMatch.NONE, None)
    return (found.notice_id, NoticeMatch.AUTO, found.score)


def _write(outcomes: dict[tuple, list[int]], stamps: dict[int, dt.datetime]) -> None:
    """One UPDATE per outcome (a batch of an import repeats a few notices);
    past MAX_OUTCOMES, one bulk update of them all (every text different)."""
    if len(outcomes) <= MAX_OUTCOMES:
        for (notice_id, how, score, moved), pks in outcomes.items():
            fields = {"notice_id": notice_id, "notice_match": how}
            fields["notice_match_score"] = score
            if moved:
                fields["updated_at"] = stamps[pks[0]]
            Event.objects.filter(pk__in=pks).update(**fields)
        return
    changed = [
        Event(
            pk=pk,
            notice_id=notice_id,
            notice_match=how,
            notice_match_score=score,
            updated_at=stamps[pk],
        )
        for (notice_id, how, score, _moved), pks in outcomes.items()
        for pk in pks
    ]
    Event.objects.bulk_update(changed, MATCH_FIELDS, batch_size=1000)


def notices_refresh_seen(*, notice_ids: Iterable[int | None]) -> None:
    """Set each notice's first and last sighting to the earliest and latest
    date of the published events linked to it (None when there are none), in
    one UPDATE. Not a save: the registry's version, and so the compiled
    matcher, stay as they are."""
    ids = sorted({pk for pk in notice_ids if pk is not None})
    if not ids:
        return
    seen = (
        Event.objects.published()
        .filter(notice_id=OuterRef("pk"))
        .order_by()
        .values("notice_id")
    )
    Notice.objects.filter(pk__in=ids).update(
        first_seen=Subquery(seen.annotate(day=Min("date")).values("day")),
        last_seen=Subquery(seen.annotate(day=Max("date")).values("day")),
    )


def notice_wording_record(*, notice: Notice, event: Event, user: User | None) -> None:
    """Record the event's notice text as a variant of the notice unless the
    notice has that wording (as normalised) already. The variant remembers
    the event: the public reads it only while that event is published. A
    wording that an unpublished event brought is handed to this event when
    this one is published, so that it shows."""
    fingerprint = normalise(event.notice_text)
    if not fingerprint or fingerprint == normalise(notice.canonical_text):
        return
    known = notice.variants.filter(fingerprint=fingerprint).first()
    if known is None:
        variant = NoticeVariant(
            notice=notice,
            text=event.notice_text,
            language=event.notice_language,
            event=event,
        )
        _variant_write(variant, user)
    elif _hidden(known) and event.status == Status.PUBLISHED:
        known.event = event
        _variant_write(known, user)


def _hidden(variant: NoticeVariant) -> bool:
    return variant.event is not None and variant.event.status != Status.PUBLISHED


def registry_check_may(user: User | None, codename: str) -> None:
    """The registry is public: only users holding the model permission (the
    editors, migration 0017) change it; no user means seeding or matching."""
    if user is not None and not (
        user.is_active and user.has_perm(f"events.{codename}")
    ):
        raise NotPermitted("only editors change the notice registry")


def notice_save(*, notice: Notice, user: User | None) -> Notice:
    """Create or change a notice; its fingerprint follows its canonical text.
    Raises NotPermitted for a user who may not."""
    registry_check_may(user, "change_notice" if notice.pk else "add_notice")
    notice.fingerprint = normalise(notice.canonical_text)
    notice.full_clean()
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    return notice


def notice_variant_save(*, variant: NoticeVariant, user: User | None) -> NoticeVariant:
    """Create or change a curated variant (an editor's); raises NotPermitted
    for a user who may not."""
    registry_check_may(
        user, "change_noticevariant" if variant.pk else "add_noticevariant"
    )
    return _variant_write(variant, user)


def _variant_write(variant: NoticeVariant, user: User | None) -> NoticeVariant:
    """Save a variant; its fingerprint follows its text."""
    variant.fingerprint = normalise(variant.text)
    variant.full_clean()
    variant._history_user = user  # type: ignore[attr-defined]
    variant.save()
    return variant


def notice_variant_delete(*, variant: NoticeVariant, user: User | None) -> None:
    registry_check_may(user, "delete_noticevariant")
    variant._history_user = user  # type: ignore[attr-defined]
    variant.delete()
