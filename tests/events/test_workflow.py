import pytest
from django.contrib.auth.models import AnonymousUser

from events.choices import Status
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import StatusChange
from events.services import (
    event_publish,
    event_reject,
    event_submit,
    event_unpublish,
    events_apply_bulk,
)
from tests.factories import EventFactory, SourceFactory, UserFactory


@pytest.fixture
def rejected(db):
    event = EventFactory(status=Status.REJECTED)
    SourceFactory(event=event)
    return event


@pytest.fixture
def events_by_status(draft, in_review, published, rejected):
    return {
        Status.DRAFT: draft,
        Status.IN_REVIEW: in_review,
        Status.PUBLISHED: published,
        Status.REJECTED: rejected,
    }


def submit(event, user):
    return event_submit(event=event, user=user)


def publish(event, user):
    return event_publish(event=event, user=user)


def reject(event, user):
    return event_reject(event=event, user=user, reason="Duplicate of another event")


def unpublish(event, user):
    return event_unpublish(event=event, user=user, reason="The source was retracted")


ALLOWED = [
    ("curator", submit, Status.DRAFT, Status.IN_REVIEW),
    ("editor", submit, Status.DRAFT, Status.IN_REVIEW),
    ("editor", publish, Status.DRAFT, Status.PUBLISHED),
    ("editor", publish, Status.IN_REVIEW, Status.PUBLISHED),
    ("editor", reject, Status.DRAFT, Status.REJECTED),
    ("editor", reject, Status.IN_REVIEW, Status.REJECTED),
    ("editor", unpublish, Status.PUBLISHED, Status.DRAFT),
]
ALLOWED_IDS = [f"{r}-{t.__name__}-{s}" for r, t, s, _ in ALLOWED]

NOT_PERMITTED_FOR_CURATORS = [
    (publish, Status.DRAFT),
    (publish, Status.IN_REVIEW),
    (reject, Status.DRAFT),
    (reject, Status.IN_REVIEW),
    (unpublish, Status.PUBLISHED),
]

NOT_ALLOWED_FROM = [
    (submit, Status.IN_REVIEW),
    (submit, Status.PUBLISHED),
    (submit, Status.REJECTED),
    (publish, Status.PUBLISHED),
    (publish, Status.REJECTED),
    (reject, Status.PUBLISHED),
    (reject, Status.REJECTED),
    (unpublish, Status.DRAFT),
    (unpublish, Status.IN_REVIEW),
    (unpublish, Status.REJECTED),
]

EVERY_TRANSITION = [
    (submit, Status.DRAFT),
    (publish, Status.DRAFT),
    (reject, Status.DRAFT),
    (unpublish, Status.PUBLISHED),
]


@pytest.mark.parametrize(
    ("role", "transition", "start", "end"), ALLOWED, ids=ALLOWED_IDS
)
def test_allowed_transition_moves_the_event(
    request, events_by_status, role, transition, start, end
):
    event = events_by_status[start]
    transition(event, request.getfixturevalue(role))
    event.refresh_from_db()
    assert event.status == end


@pytest.mark.parametrize(
    ("role", "transition", "start", "end"), ALLOWED, ids=ALLOWED_IDS
)
def test_allowed_transition_writes_one_status_change(
    request, events_by_status, role, transition, start, end
):
    event = events_by_status[start]
    user = request.getfixturevalue(role)
    transition(event, user)
    changes = list(StatusChange.objects.filter(event=event))
    assert [(c.from_status, c.to_status, c.user) for c in changes] == [
        (start, end, user)
    ]


@pytest.mark.parametrize(
    ("role", "transition", "start", "end"), ALLOWED, ids=ALLOWED_IDS
)
def test_allowed_transition_writes_one_history_record_by_its_user(
    request, events_by_status, role, transition, start, end
):
    event = events_by_status[start]
    user = request.getfixturevalue(role)
    before = event.history.count()
    transition(event, user)
    latest = event.history.first()
    assert (event.history.count() - before, latest.history_user, latest.status) == (
        1,
        user,
        end,
    )


@pytest.mark.parametrize(
    ("transition", "reason"),
    [
        (submit, "submit"),
        (publish, "publish"),
        (reject, "reject: Duplicate of another event"),
        (unpublish, "unpublish: The source was retracted"),
    ],
)
def test_history_change_reason_names_the_transition_and_its_reason(
    events_by_status, editor, transition, reason
):
    start = Status.PUBLISHED if transition is unpublish else Status.DRAFT
    event = events_by_status[start]
    transition(event, editor)
    assert event.history.first().history_change_reason == reason


def test_reject_records_its_reason_as_the_status_change_note(draft, editor):
    event_reject(event=draft, user=editor, reason="  Duplicate of another event \n")
    assert StatusChange.objects.get(event=draft).note == "Duplicate of another event"


def test_unpublish_records_its_reason_as_the_status_change_note(published, editor):
    event_unpublish(event=published, user=editor, reason="The source was retracted")
    assert StatusChange.objects.get(event=published).note == "The source was retracted"


def test_a_long_reason_is_kept_whole_and_shortened_only_in_the_history(
    published, editor
):
    reason = "The source was retracted after the outlet's editors " * 5

    event_unpublish(event=published, user=editor, reason=reason)

    assert StatusChange.objects.get(event=published).note == reason.strip()
    recorded = published.history.first().history_change_reason
    assert len(recorded) == 100
    assert recorded.startswith("unpublish: The source was retracted")


def test_submit_records_an_optional_note(draft, curator):
    event_submit(event=draft, user=curator, note="Checked against Caixin")
    assert StatusChange.objects.get(event=draft).note == "Checked against Caixin"


def test_submit_without_note_records_an_empty_note(draft, curator):
    event_submit(event=draft, user=curator)
    assert StatusChange.objects.get(event=draft).note == ""


def test_transition_returns_the_refreshed_event(draft, editor):
    assert event_publish(event=draft, user=editor).status == Status.PUBLISHED


@pytest.mark.parametrize(("transition", "start"), NOT_PERMITTED_FOR_CURATORS)
def test_curator_may_only_submit(events_by_status, curator, transition, start):
    with pytest.raises(NotPermitted):
        transition(events_by_status[start], curator)


@pytest.mark.parametrize(("transition", "start"), NOT_PERMITTED_FOR_CURATORS)
def test_refused_transition_leaves_the_event_unchanged(
    events_by_status, curator, transition, start
):
    event = events_by_status[start]
    history_before = event.history.count()
    with pytest.raises(NotPermitted):
        transition(event, curator)
    event.refresh_from_db()
    assert (event.status, event.history.count(), StatusChange.objects.count()) == (
        start,
        history_before,
        0,
    )


@pytest.mark.parametrize(("transition", "start"), NOT_ALLOWED_FROM)
def test_transition_from_the_wrong_status_is_not_allowed(
    events_by_status, editor, transition, start
):
    with pytest.raises(TransitionNotAllowed):
        transition(events_by_status[start], editor)


@pytest.mark.parametrize(("transition", "start"), NOT_ALLOWED_FROM)
def test_transition_not_allowed_leaves_the_event_unchanged(
    events_by_status, editor, transition, start
):
    event = events_by_status[start]
    history_before = event.history.count()
    with pytest.raises(TransitionNotAllowed):
        transition(event, editor)
    event.refresh_from_db()
    assert (event.status, event.history.count(), StatusChange.objects.count()) == (
        start,
        history_before,
        0,
    )


def test_transition_checks_the_stored_status_not_a_stale_copy(draft, editor):
    stale = type(draft).objects.get(pk=draft.pk)
    event_publish(event=draft, user=editor)
    with pytest.raises(TransitionNotAllowed):
        event_submit(event=stale, user=editor)


@pytest.mark.parametrize("role", ["curator", "editor"])
@pytest.mark.parametrize(("transition", "start"), EVERY_TRANSITION)
def test_inactive_user_may_do_nothing(
    request, events_by_status, role, transition, start
):
    user = request.getfixturevalue(role)
    user.is_active = False
    user.save()
    with pytest.raises(NotPermitted):
        transition(events_by_status[start], user)


@pytest.mark.parametrize(("transition", "start"), EVERY_TRANSITION)
def test_anonymous_user_may_do_nothing(events_by_status, transition, start):
    with pytest.raises(NotPermitted):
        transition(events_by_status[start], AnonymousUser())


@pytest.mark.parametrize(("transition", "start"), EVERY_TRANSITION)
def test_user_outside_the_review_groups_may_do_nothing(
    events_by_status, transition, start
):
    with pytest.raises(NotPermitted):
        transition(events_by_status[start], UserFactory())


@pytest.mark.parametrize("reason", ["", "   ", "\n\t "])
def test_reject_requires_a_reason(draft, editor, reason):
    with pytest.raises(EventInvalid):
        event_reject(event=draft, user=editor, reason=reason)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t "])
def test_unpublish_requires_a_reason(published, editor, reason):
    with pytest.raises(EventInvalid):
        event_unpublish(event=published, user=editor, reason=reason)


def test_reject_without_reason_leaves_the_event_unchanged(in_review, editor):
    history_before = in_review.history.count()
    with pytest.raises(EventInvalid):
        event_reject(event=in_review, user=editor, reason=" ")
    in_review.refresh_from_db()
    assert (
        in_review.status,
        in_review.history.count(),
        StatusChange.objects.count(),
    ) == (Status.IN_REVIEW, history_before, 0)


def test_unpublish_without_reason_leaves_the_event_published(published, editor):
    published_at = published.published_at
    with pytest.raises(EventInvalid):
        event_unpublish(event=published, user=editor, reason="")
    published.refresh_from_db()
    assert (published.status, published.published_at, StatusChange.objects.count()) == (
        Status.PUBLISHED,
        published_at,
        0,
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_publishing_an_event_without_source_is_refused(db, editor, status):
    event = EventFactory(status=status)
    with pytest.raises(EventInvalid, match="source"):
        event_publish(event=event, user=editor)


def test_refused_publication_leaves_the_event_unchanged(db, editor):
    event = EventFactory(status=Status.IN_REVIEW)
    with pytest.raises(EventInvalid):
        event_publish(event=event, user=editor)
    event.refresh_from_db()
    assert (event.status, event.published_at, StatusChange.objects.count()) == (
        Status.IN_REVIEW,
        None,
        0,
    )


def test_publishing_an_invalid_event_is_refused(db, editor):
    event = EventFactory(status=Status.IN_REVIEW, notice_language="Chinese")
    SourceFactory(event=event)
    with pytest.raises(EventInvalid, match="notice_language"):
        event_publish(event=event, user=editor)


def test_publish_sets_published_at(draft, editor):
    event_publish(event=draft, user=editor)
    draft.refresh_from_db()
    assert draft.published_at is not None


def test_unpublish_clears_published_at(draft, editor):
    event_publish(event=draft, user=editor)
    event_unpublish(event=draft, user=editor, reason="The source was retracted")
    draft.refresh_from_db()
    assert draft.published_at is None


def test_an_unpublished_event_can_be_resubmitted(draft, editor, curator):
    event_publish(event=draft, user=editor)
    event_unpublish(event=draft, user=editor, reason="The source was retracted")
    event_submit(event=draft, user=curator)
    assert [
        (c.from_status, c.to_status)
        for c in StatusChange.objects.filter(event=draft).order_by("id")
    ] == [
        (Status.DRAFT, Status.PUBLISHED),
        (Status.PUBLISHED, Status.DRAFT),
        (Status.DRAFT, Status.IN_REVIEW),
    ]


def test_bulk_reports_events_done(draft, in_review, published, editor):
    result = events_apply_bulk(
        event_publish, events=[draft, in_review, published], user=editor
    )
    assert result.done == [draft, in_review]


def test_bulk_reports_events_skipped_with_their_reason(
    draft, in_review, published, editor
):
    result = events_apply_bulk(
        event_publish, events=[draft, in_review, published], user=editor
    )
    assert result.skipped == [(published, "cannot publish an event that is published")]


def test_bulk_publishes_the_good_events_despite_a_bad_one(db, draft, editor):
    no_source = EventFactory(status=Status.DRAFT)
    events_apply_bulk(event_publish, events=[no_source, draft], user=editor)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_bulk_skips_every_event_the_user_may_not_change(draft, in_review, curator):
    result = events_apply_bulk(
        event_reject, events=[draft, in_review], user=curator, reason="Off topic"
    )
    assert [reason for _, reason in result.skipped] == [
        "you may not reject events",
        "you may not reject events",
    ]
