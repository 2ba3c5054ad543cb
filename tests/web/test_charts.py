import datetime as dt

import pytest

from events.charts import HEIGHT, bar_chart, nice_ceiling
from events.choices import Action
from events.models import Event
from events.selectors.stats import summarise
from tests.factories import EventFactory
from tests.web.conftest import published


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (480, 500)],
)
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_no_years_no_chart():
    assert bar_chart([]) is None


def test_bars_are_proportional_and_sit_on_the_baseline():
    chart = bar_chart([(2017, 5), (2018, 10), (2019, 0)])

    heights = [bar.height for bar in chart.bars]
    assert heights[0] * 2 == pytest.approx(heights[1])
    assert heights[2] == 0
    assert all(
        bar.y + bar.height == pytest.approx(chart.baseline) for bar in chart.bars
    )
    assert chart.baseline < HEIGHT
    assert (chart.peak_year, chart.peak_count) == (2018, 10)
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]


def test_long_ranges_label_only_some_years_always_the_last():
    chart = bar_chart([(year, 1) for year in range(1990, 2026)])

    labelled = [bar.year for bar in chart.bars if bar.labelled]
    assert len(labelled) <= 8
    assert labelled[-1] == 2025


@pytest.mark.django_db
def test_summarise_counts_by_year_and_action_with_gaps_as_zero():
    published(date=dt.date(2015, 3, 1))
    published(date=dt.date(2018, 1, 1), action=Action.RESTORED)
    published(date=dt.date(2018, 6, 9))
    EventFactory(date=dt.date(2012, 1, 1))  # a draft: not counted

    summary = summarise(Event.objects.published())

    assert summary.total == 3
    assert summary.by_year == [(2015, 1), (2016, 0), (2017, 0), (2018, 2)]
    assert [(a.action, a.count) for a in summary.by_action] == [
        ("blocked", 2),
        ("restored", 1),
    ]


@pytest.mark.django_db
def test_summarise_nothing():
    summary = summarise(Event.objects.none())

    assert (summary.total, summary.by_year, summary.by_action) == (0, [], [])
