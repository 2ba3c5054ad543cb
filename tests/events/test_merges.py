"""Merging duplicates and splitting wrong merges: the services."""

from __future__ import annotations

import datetime as dt

import pytest

from events.choices import NoticeKind, Status
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import Event, EventMerge, Notice, Source, StatusChange
from events.services import event_publish, event_submit
from events.services.merges import event_split, event_split_off, events_merge
from tests.events.merge_support import (
    urls,
    with_sources,
)
from tests.factories import EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


# The service


def test_merge_moves_new_sources_and_leaves_the_cited_ones(curator, pair):
    survivor, absorbed = pair

    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="same block"
    )

    assert urls(survivor) == {
        "https://a.example/1",
        "https://shared.example/story",
        "https://b.example/2",
    }
    assert urls(absorbed) == {"http://www.shared.example/story/"}
    moved = Source.objects.get(url="https://b.example/2")
    assert merge.moved_source_ids == [moved.pk]


def test_merge_marks_the_absorbed_event_merged(curator, pair):
    survivor, absorbed = pair

    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")

    absorbed.refresh_from_db()
    assert absorbed.status == Status.MERGED
    assert absorbed.merged_into == survivor
    assert absorbed.published_at is None
    merge = EventMerge.objects.get()
    assert (merge.survivor, merge.absorbed, merge.user) == (survivor, absorbed, curator)
    assert (merge.reason, merge.absorbed_status) == ("dup", Status.DRAFT)


def test_merge_logs_status_changes_on_both_events(curator, pair):
    survivor, absorbed = pair

    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")

    gone = StatusChange.objects.filter(event=absorbed).last()
    assert (gone.from_status, gone.to_status, gone.user) == ("draft", "merged", curator)
    assert gone.note == f"merged into {survivor.public_id}: dup"
    kept = StatusChange.objects.filter(event=survivor).last()
    assert (kept.from_status, kept.to_status) == ("draft", "draft")
    assert kept.note == f"absorbed {absorbed.public_id}: dup"


def test_merge_writes_history_with_user_and_reason(curator, pair):
    survivor, absorbed = pair

    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")

    gone = absorbed.history.get(
        history_change_reason=f"merged into {survivor.public_id}: dup"
    )
    assert (gone.status, gone.merged_into_id, gone.history_user) == (
        Status.MERGED,
        survivor.pk,
        curator,
    )
    kept = survivor.history.get(
        history_change_reason=f"absorbed {absorbed.public_id}: dup"
    )
    assert kept.history_user == curator
    moved = Source.objects.get(url="https://b.example/2").history.first()
    assert (moved.event_id, moved.history_user) == (survivor.pk, curator)


def test_merge_history_reason_fits_its_column(curator, pair):
    survivor, absorbed = pair

    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="x" * 500)

    assert len(absorbed.history.first().history_change_reason) == 100
    assert EventMerge.objects.get().reason == "x" * 500


def test_survivor_takes_the_notice_only_if_it_has_none(curator, pair):
    survivor, absorbed = pair
    notice = Notice.objects.create(
        kind=NoticeKind.PLATFORM, title="Blocked account", canonical_text="blocked"
    )
    Event.objects.filter(pk=absorbed.pk).update(notice=notice, notice_match="confirmed")

    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="dup"
    )

    survivor.refresh_from_db()
    assert (survivor.notice, survivor.notice_match) == (notice, "confirmed")
    assert merge.notice_taken


def test_survivor_keeps_its_own_notice_and_fields(curator, pair):
    survivor, absorbed = pair
    own, other = (
        Notice.objects.create(kind=NoticeKind.PLATFORM, title=t, canonical_text=t)
        for t in ("own", "other")
    )
    Event.objects.filter(pk=survivor.pk).update(notice=own, notice_match="confirmed")
    Event.objects.filter(pk=absorbed.pk).update(
        notice=other, notice_match="confirmed", summary="Other words"
    )
    before = survivor.summary

    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="dup"
    )

    survivor.refresh_from_db()
    assert (survivor.notice, survivor.summary) == (own, before)
    assert not merge.notice_taken


def test_merging_several_brings_each_story_once(curator, pair):
    survivor, absorbed = pair
    third = with_sources("https://b.example/2", platform=survivor.platform)

    merges = events_merge(
        survivor=survivor, absorbed=[absorbed, third], user=curator, reason="dups"
    )

    assert len(merges) == 2
    assert Source.objects.filter(event=survivor, url="https://b.example/2").count()
    assert urls(third) == {"https://b.example/2"}


def test_merge_re_points_events_merged_into_the_absorbed(curator, pair):
    survivor, middle = pair
    first = with_sources("https://c.example/3", platform=survivor.platform)
    events_merge(survivor=middle, absorbed=first, user=curator, reason="one")

    events_merge(survivor=survivor, absorbed=middle, user=curator, reason="two")

    first.refresh_from_db()
    assert first.merged_into == survivor
    assert EventMerge.objects.get(absorbed=first).survivor == survivor
    assert "https://c.example/3" in urls(survivor)


@pytest.mark.parametrize(
    ("field", "message"),
    [("reason", "a reason is required"), ("self", "cannot be merged into itself")],
)
def test_merge_refuses_bad_requests(curator, pair, field, message):
    survivor, absorbed = pair
    target = survivor if field == "self" else absorbed
    reason = "" if field == "reason" else "dup"

    with pytest.raises(EventInvalid, match=message):
        events_merge(survivor=survivor, absorbed=target, user=curator, reason=reason)


def test_merging_an_already_merged_event_is_a_clear_error(curator, pair):
    survivor, absorbed = pair
    other = EventFactory(platform=survivor.platform)
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")

    with pytest.raises(TransitionNotAllowed, match="already merged into event"):
        events_merge(survivor=other, absorbed=absorbed, user=curator, reason="again")
    assert EventMerge.objects.count() == 1


def test_cannot_merge_into_a_merged_or_rejected_event(editor, pair):
    survivor, absorbed = pair
    third = EventFactory(platform=survivor.platform)
    events_merge(survivor=survivor, absorbed=absorbed, user=editor, reason="dup")

    with pytest.raises(TransitionNotAllowed, match="itself merged into"):
        events_merge(survivor=absorbed, absorbed=third, user=editor, reason="x")
    Event.objects.filter(pk=survivor.pk).update(status=Status.REJECTED)
    with pytest.raises(TransitionNotAllowed, match="rejected"):
        events_merge(survivor=survivor, absorbed=third, user=editor, reason="x")


def test_curator_cannot_merge_a_published_event(curator, draft, published):
    with pytest.raises(NotPermitted, match="only editors"):
        events_merge(survivor=published, absorbed=draft, user=curator, reason="dup")
    with pytest.raises(NotPermitted, match="only editors"):
        events_merge(survivor=draft, absorbed=published, user=curator, reason="dup")
    assert not EventMerge.objects.exists()


def test_editor_merges_a_published_event_into_another(editor, published):
    other = EventFactory(status=Status.PUBLISHED, platform=published.platform)
    SourceFactory(event=other, url="https://other.example/")

    events_merge(survivor=published, absorbed=other, user=editor, reason="dup")

    other.refresh_from_db()
    assert (other.status, other.published_at) == (Status.MERGED, None)
    assert "https://other.example/" in urls(published)


def test_merged_event_is_frozen_for_edits_and_transitions(editor, pair):
    from events.services import event_can_edit

    survivor, absorbed = pair
    events_merge(survivor=survivor, absorbed=absorbed, user=editor, reason="dup")
    absorbed.refresh_from_db()

    assert not event_can_edit(event=absorbed, user=editor)
    with pytest.raises(TransitionNotAllowed):
        event_publish(event=absorbed, user=editor)


def test_user_without_change_permission_cannot_merge(pair):
    from tests.factories import UserFactory

    survivor, absorbed = pair
    with pytest.raises(NotPermitted):
        events_merge(
            survivor=survivor, absorbed=absorbed, user=UserFactory(), reason="dup"
        )


# Splitting


def test_split_restores_the_event_exactly(curator, pair):
    survivor, absorbed = pair
    event_submit(event=absorbed, user=curator)
    before = (urls(survivor), urls(absorbed))
    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="dup"
    )

    restored = event_split(merge=merge, user=curator, reason="not the same block")

    assert (urls(survivor), urls(absorbed)) == before
    assert (restored.status, restored.merged_into) == (Status.IN_REVIEW, None)
    merge.refresh_from_db()
    assert (merge.split_by, merge.split_at is not None) == (curator, True)
    change = StatusChange.objects.filter(event=absorbed).last()
    assert (change.from_status, change.to_status) == ("merged", "in_review")
    version = absorbed.history.get(history_change_reason__startswith="split from")
    assert (version.status, version.history_user) == (Status.IN_REVIEW, curator)


def test_split_republishes_with_the_original_publication_time(editor, published):
    other = with_sources("https://other.example/", platform=published.platform)
    first_published = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Event.objects.filter(pk=published.pk).update(published_at=first_published)
    published.refresh_from_db()
    published._change_reason = "published in 2020"
    published.save()
    (merge,) = events_merge(survivor=other, absorbed=published, user=editor, reason="x")

    restored = event_split(merge=merge, user=editor, reason="wrong")

    assert (restored.status, restored.published_at) == (
        Status.PUBLISHED,
        first_published,
    )


def test_split_of_an_invalid_published_event_leaves_a_draft_and_says_so(editor):
    survivor = with_sources("https://a.example/", status=Status.DRAFT)
    published = EventFactory(platform=survivor.platform)
    SourceFactory(event=published, url="https://a.example/")
    event_publish(event=published, user=editor)
    (merge,) = events_merge(
        survivor=survivor, absorbed=published, user=editor, reason="dup"
    )
    # The absorbed event's only source stayed behind (the survivor cites it),
    # and someone removes it meanwhile.
    Source.objects.filter(event=published).delete()

    restored = event_split(merge=merge, user=editor, reason="wrong")

    assert restored.status == Status.DRAFT
    note = StatusChange.objects.filter(event=published).last().note
    assert "not published again" in note
    assert "at least one source" in note


def test_split_gives_back_a_taken_notice(curator, pair):
    survivor, absorbed = pair
    notice = Notice.objects.create(
        kind=NoticeKind.PLATFORM, title="Blocked", canonical_text="blocked"
    )
    Event.objects.filter(pk=absorbed.pk).update(notice=notice, notice_match="confirmed")
    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="dup"
    )

    event_split(merge=merge, user=curator, reason="wrong")

    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert (survivor.notice, survivor.notice_match) == (None, "")
    assert (absorbed.notice, absorbed.notice_match) == (notice, "confirmed")


def test_splitting_twice_is_a_clear_error(curator, pair):
    survivor, absorbed = pair
    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=curator, reason="dup"
    )
    event_split(merge=merge, user=curator, reason="wrong")

    with pytest.raises(TransitionNotAllowed, match="already split"):
        event_split(merge=merge, user=curator, reason="again")


def test_curator_cannot_split_a_merge_of_published_events(curator, editor, published):
    other = with_sources("https://other.example/", platform=published.platform)
    (merge,) = events_merge(survivor=published, absorbed=other, user=editor, reason="x")

    with pytest.raises(NotPermitted, match="only editors"):
        event_split(merge=merge, user=curator, reason="wrong")


def test_split_of_a_re_pointed_chain_gives_each_event_its_own_sources(curator, pair):
    survivor, middle = pair
    first = with_sources("https://c.example/3", platform=survivor.platform)
    events_merge(survivor=middle, absorbed=first, user=curator, reason="one")
    (second,) = events_merge(
        survivor=survivor, absorbed=middle, user=curator, reason="two"
    )

    event_split(merge=second, user=curator, reason="wrong")

    assert urls(middle) == {"https://b.example/2", "http://www.shared.example/story/"}
    assert "https://c.example/3" in urls(survivor)
    event_split(
        merge=EventMerge.objects.get(absorbed=first), user=curator, reason="wrong"
    )
    assert urls(first) == {"https://c.example/3"}


def test_split_off_makes_a_draft_of_the_chosen_sources(curator, pair):
    event, _ = pair
    chosen = Source.objects.get(event=event, url="https://a.example/1")

    draft = event_split_off(
        event=event, source_ids=[chosen.pk], user=curator, reason="two blocks"
    )

    assert (draft.status, draft.target, draft.platform) == (
        Status.DRAFT,
        event.target,
        event.platform,
    )
    assert urls(draft) == {"https://a.example/1"}
    assert urls(event) == {"https://shared.example/story"}
    assert (
        StatusChange.objects.filter(event=draft)
        .get()
        .note.startswith(f"split off from {event.public_id}")
    )


def test_split_off_keeps_a_source_with_the_event(curator, pair):
    event, _ = pair
    every = list(event.sources.values_list("pk", flat=True))

    with pytest.raises(EventInvalid, match="leave at least one source"):
        event_split_off(event=event, source_ids=every, user=curator, reason="x")
