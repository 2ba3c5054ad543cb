"""Lifecycles of targets and the blocked-now rule, from published events only."""

from __future__ import annotations

import datetime as dt

import pytest

from events.choices import Action, DatePrecision, Status, TargetType
from events.models import Event, Target
from events.selectors.targets import (
    BLOCKED,
    ENDED,
    RESTORED,
    TargetFilters,
    filter_targets,
    target_lifecycles,
)
from events.services import event_publish, event_unpublish
from tests.events.target_support import make
from tests.factories import PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db
M, Y = DatePrecision.MONTH, DatePrecision.YEAR


# --- Lifecycles --------------------------------------------------------------


def lifecycle_of(event):
    return target_lifecycles([event.target_ref_id])[event.target_ref_id]


def test_blocked_restored_blocked_again_with_durations():
    first = make(target="Wikipedia", date=dt.date(2017, 4, 29))
    platform = first.platform
    make(
        platform=platform,
        target="Wikipedia",
        action=Action.RESTORED,
        date=dt.date(2020, 1, 15),
    )
    make(
        platform=platform,
        target="Wikipedia",
        action=Action.THROTTLED,
        date=dt.date(2022, 3, 1),
    )

    cycle = lifecycle_of(first)

    shape = [
        (p.state, p.action, p.start, p.end, p.duration_days) for p in cycle.periods
    ]
    assert shape == [
        (BLOCKED, "blocked", dt.date(2017, 4, 29), dt.date(2020, 1, 15), 991),
        (RESTORED, "restored", dt.date(2020, 1, 15), dt.date(2022, 3, 1), 776),
        (BLOCKED, "throttled", dt.date(2022, 3, 1), None, None),
    ]
    assert not any(p.duration_approximate for p in cycle.periods)
    assert (cycle.state, cycle.since.start) == (BLOCKED, dt.date(2022, 3, 1))


def test_an_end_date_ends_the_block_and_leaves_it_ended():
    event = make(
        target="Telegram",
        date=dt.date(2018, 4, 16),
        ended_on=dt.date(2020, 6, 18),
    )
    cycle = lifecycle_of(event)
    assert [(p.state, p.start, p.end) for p in cycle.periods] == [
        (BLOCKED, dt.date(2018, 4, 16), dt.date(2020, 6, 18)),
        (ENDED, dt.date(2020, 6, 18), None),
    ]
    assert cycle.state == ENDED
    assert cycle.periods[0].duration_days == 794


def test_an_end_date_before_the_next_event_leaves_a_gap_and_one_on_it_none():
    first = make(target="X", date=dt.date(2020, 1, 1), ended_on=dt.date(2020, 2, 1))
    make(
        platform=first.platform,
        target="X",
        date=dt.date(2020, 3, 1),
        ended_on=dt.date(2020, 4, 1),
    )
    make(
        platform=first.platform,
        target="X",
        action=Action.RESTORED,
        date=dt.date(2020, 4, 1),
    )
    states = [(p.state, p.start, p.end) for p in lifecycle_of(first).periods]
    assert states == [
        (BLOCKED, dt.date(2020, 1, 1), dt.date(2020, 2, 1)),
        (ENDED, dt.date(2020, 2, 1), dt.date(2020, 3, 1)),
        (BLOCKED, dt.date(2020, 3, 1), dt.date(2020, 4, 1)),
        (RESTORED, dt.date(2020, 4, 1), None),
    ]


def test_partial_dates_give_approximate_or_no_durations():
    first = make(target="Y", date=dt.date(2018, 8, 1), date_precision=M)
    platform = first.platform
    make(
        platform=platform,
        target="Y",
        action=Action.RESTORED,
        date=dt.date(2018, 10, 15),
    )
    make(platform=platform, target="Y", date=dt.date(2019, 1, 1), date_precision=Y)
    make(
        platform=platform, target="Y", action=Action.RESTORED, date=dt.date(2020, 5, 1)
    )

    periods = lifecycle_of(first).periods
    assert [(p.duration_days, p.duration_approximate) for p in periods] == [
        (75, True),  # from 1 August 2018
        (None, False),  # ends at a year-precise date
        (None, False),  # starts at a year-precise date
        (None, False),  # open
    ]
    assert (periods[0].start_precision, periods[1].end_precision) == (M, Y)


def test_since_is_the_start_of_the_run_of_blocking_periods():
    first = make(target="Z", date=dt.date(2019, 1, 1))
    make(
        platform=first.platform,
        target="Z",
        action=Action.THROTTLED,
        date=dt.date(2021, 1, 1),
    )
    cycle = lifecycle_of(first)
    assert (cycle.state, cycle.since.start) == (BLOCKED, dt.date(2019, 1, 1))


def test_unpublished_events_are_not_part_of_a_lifecycle():
    first = make(target="W", date=dt.date(2019, 1, 1))
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED):
        make(
            platform=first.platform,
            target="W",
            action=Action.RESTORED,
            date=dt.date(2020, 1, 1),
            status=status,
        )
    cycle = lifecycle_of(first)
    assert [p.state for p in cycle.periods] == [BLOCKED]
    assert len(cycle.events) == 1


# --- Blocked now -------------------------------------------------------------


def blocked_now_names(**filters) -> list[str]:
    rows = filter_targets(TargetFilters(blocked_now=True, **filters))
    return [row.target_ref.name for row in rows]


@pytest.fixture
def situations():
    """One target per situation, on one platform."""
    platform = PlatformFactory()

    def story(name: str, *steps: dict) -> Target:
        for step in steps:
            event = make(platform=platform, target=name, **step)
        return event.target_ref

    day = dt.date
    return {
        "blocked": story("Blocked", {"date": day(2020, 1, 1)}),
        "restored": story(
            "Restored",
            {"date": day(2020, 1, 1)},
            {"date": day(2021, 1, 1), "action": Action.RESTORED},
        ),
        "reblocked": story(
            "Reblocked",
            {"date": day(2020, 1, 1)},
            {"date": day(2021, 1, 1), "action": Action.RESTORED},
            {"date": day(2022, 1, 1), "action": Action.WITHHELD, "country": "RU"},
        ),
        "ended": story("Ended", {"date": day(2020, 1, 1), "ended_on": day(2020, 6, 1)}),
        "draft restore": story(
            "Draft restore",
            {"date": day(2020, 1, 1)},
            {
                "date": day(2021, 1, 1),
                "action": Action.RESTORED,
                "status": Status.DRAFT,
            },
        ),
        "draft block": story(
            "Draft block",
            {"date": day(2020, 1, 1), "action": Action.RESTORED},
            {"date": day(2021, 1, 1), "status": Status.IN_REVIEW},
        ),
        "only draft": story("Only draft", {"status": Status.DRAFT}),
        "same day": story(
            "Same day",
            {"date": day(2020, 1, 1), "action": Action.RESTORED},
            {"date": day(2020, 1, 1)},
        ),
    }


def test_blocked_now_lists_targets_whose_latest_published_event_is_an_open_block(
    situations,
):
    assert sorted(blocked_now_names()) == [
        "Blocked",
        "Draft restore",  # the restoration is not published
        "Reblocked",
        "Same day",  # the later id wins on the same date
    ]


def test_blocked_now_agrees_with_each_lifecycle(situations):
    public = [t for t in situations.values() if t.name != "Only draft"]
    cycles = target_lifecycles([t.pk for t in public])
    expected = sorted(t.name for t in public if cycles[t.pk].state == BLOCKED)
    assert sorted(blocked_now_names()) == expected
    listed = filter_targets(TargetFilters())
    assert sorted(r.target_ref.name for r in listed) == sorted(t.name for t in public)


def test_blocked_now_filters(situations):
    assert blocked_now_names(country=("RU",)) == ["Reblocked"]
    assert blocked_now_names(target_type=(TargetType.WEBSITE,)) == []
    platform = situations["blocked"].platform
    assert len(blocked_now_names(platforms=(platform,))) == 4
    assert blocked_now_names(q="reblock") == ["Reblocked"]


def test_a_publication_or_unpublication_changes_blocked_now(situations, editor):
    restore = Event.objects.get(target="Draft restore", status=Status.DRAFT)
    SourceFactory(event=restore)
    event_publish(event=restore, user=editor)
    assert "Draft restore" not in blocked_now_names()
    event_unpublish(event=restore, user=editor, reason="Not confirmed.")
    assert "Draft restore" in blocked_now_names()
