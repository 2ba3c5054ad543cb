"""Counts over a selection of published events, for summaries and charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Func, IntegerField

from events.choices import Action
from events.models import EventQuerySet


class YearOf(Func):
    """The year of a date, computed by the database itself (Django's ExtractYear
    is a Python function call per row on SQLite)."""

    template = "EXTRACT(YEAR FROM %(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores dates as "YYYY-MM-DD" text.
        template = "CAST(SUBSTR(%(expressions)s, 1, 4) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


@dataclass(frozen=True)
class ActionCount:
    action: str
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    """Totals of a selection: by action (most frequent first) and by year
    (every year from the first to the last, gaps as zero)."""

    total: int
    by_action: list[ActionCount]
    by_year: list[tuple[int, int]]


def summarise(queryset: EventQuerySet) -> Summary:
    """Count the events of `queryset` by year and by action, in one query."""
    rows = (
        queryset.order_by()
        .annotate(year=YearOf("date"))
        .values_list("year", "action")
        .annotate(n=Count("pk"))
    )
    per_year: Counter[int] = Counter()
    per_action: Counter[str] = Counter()
    for year, action, n in rows:
        per_year[int(year)] += n
        per_action[action] += n
    years = range(min(per_year), max(per_year) + 1) if per_year else range(0)
    labels = dict(Action.choices)
    return Summary(
        total=sum(per_action.values()),
        by_action=[
            ActionCount(action, str(labels.get(action, action)), n)
            for action, n in sorted(per_action.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        by_year=[(year, per_year[year]) for year in years],
    )
