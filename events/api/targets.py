"""The API's representation of a target and its lifecycle, and its OpenAPI shape.

Built by hand from the target and its lifecycle (events.selectors.targets), as
events are (events/api/representation.py); the serializers below only
describe the shape for the schema, and a test checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from rest_framework import serializers

from events.api.representation import Links
from events.api.serializers import PlatformRefSerializer
from events.choices import Action, DatePrecision, TargetType
from events.dates import format_partial_date
from events.models import Target
from events.selectors.targets import STATES, Lifecycle, Period, public_url

PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_PLACEHOLDER = 987654321


@dataclass(frozen=True)
class TargetLinks:
    """Absolute URLs of targets (API and public page) and of events."""

    api_prefix: str
    web_prefix: str
    web_suffix: str
    events: Links

    @classmethod
    def for_request(cls, request: HttpRequest) -> TargetLinks:
        api = request.build_absolute_uri(reverse("api:target-list"))
        web = request.build_absolute_uri(reverse("public:target", args=[_PLACEHOLDER]))
        prefix, _, suffix = web.partition(str(_PLACEHOLDER))
        return cls(api, prefix, suffix, Links.for_request(request))

    def api(self, pk: int) -> str:
        return f"{self.api_prefix}{pk}/"

    def web(self, pk: int) -> str:
        return f"{self.web_prefix}{pk}{self.web_suffix}"

    def event(self, row: Any) -> dict[str, str]:
        public_id = str(row.public_id)
        return {
            "id": public_id,
            "url": self.events.api(public_id),
            "web_url": self.events.web(public_id),
        }


def _partial(day: Any, precision: str | None) -> str | None:
    return (
        None
        if day is None or precision is None
        else format_partial_date(day, precision)
    )


def target_dict(target: Target, cycle: Lifecycle, links: TargetLinks) -> dict[str, Any]:
    """A target as the API lists it: what it is and where it stands now."""
    since = cycle.since
    return {
        "id": target.pk,
        "url": links.api(target.pk),
        "web_url": links.web(target.pk),
        "name": target.name,
        "platform": {"slug": target.platform.slug, "name": target.platform.name},
        "target_type": target.target_type,
        "target_url": public_url(target, cycle),
        "state": cycle.state,
        "since": _partial(since.start, since.start_precision) if since else None,
        "since_precision": since.start_precision if since else None,
        "countries": sorted({str(row.country) for row in cycle.events}),
        "event_count": len(cycle.events),
        "latest_event": links.event(cycle.events[-1]) if cycle.events else None,
    }


def period_dict(period: Period, links: TargetLinks) -> dict[str, Any]:
    return {
        "state": period.state,
        "action": period.action,
        "start": _partial(period.start, period.start_precision),
        "start_precision": period.start_precision,
        "end": _partial(period.end, period.end_precision),
        "end_precision": period.end_precision,
        "duration_days": period.duration_days,
        "duration_approximate": period.duration_approximate,
        "country": str(period.event.country),
        "event": links.event(period.event),
    }


def target_detail_dict(
    target: Target, cycle: Lifecycle, links: TargetLinks
) -> dict[str, Any]:
    """A target with its whole lifecycle."""
    return {
        **target_dict(target, cycle, links),
        "periods": [period_dict(period, links) for period in cycle.periods],
    }


# --- OpenAPI shapes -----------------------------------------------------------


class TargetEventLinkSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField(help_text="The event in the API.")
    web_url = serializers.URLField(help_text="The event's public page.")


class TargetSerializer(serializers.Serializer):
    """A target: the account, site, app or platform-in-a-country that events
    are about, and its current state (from its published events only)."""

    id = serializers.IntegerField(help_text="Stable identifier of the target.")
    url = serializers.URLField(help_text="This target in the API.")
    web_url = serializers.URLField(help_text="This target's public page.")
    name = serializers.CharField()
    platform = PlatformRefSerializer()
    target_type = serializers.ChoiceField(TargetType.choices)
    target_url = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(
        STATES,
        help_text="blocked: the latest event is a block without an end date; "
        "restored; ended: a block ended with no restoration recorded.",
    )
    since = serializers.RegexField(
        PARTIAL_DATE,
        allow_null=True,
        help_text="Start of the current state, at its precision: the first of "
        "the latest run of periods in this state.",
    )
    since_precision = serializers.ChoiceField(DatePrecision.choices, allow_null=True)
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 3166-1 alpha-2, of its events."
    )
    event_count = serializers.IntegerField(help_text="Published events.")
    latest_event = TargetEventLinkSerializer(allow_null=True)


class TargetPeriodSerializer(serializers.Serializer):
    """One period of a lifecycle, opened by `event` (for `ended`, the block
    whose end date opens it)."""

    state = serializers.ChoiceField(STATES)
    action = serializers.ChoiceField(
        Action.choices, allow_null=True, help_text="Null for `ended`."
    )
    start = serializers.RegexField(PARTIAL_DATE)
    start_precision = serializers.ChoiceField(DatePrecision.choices)
    end = serializers.RegexField(
        PARTIAL_DATE,
        allow_null=True,
        help_text="The next event's date, or the block's end date; null while so.",
    )
    end_precision = serializers.ChoiceField(DatePrecision.choices, allow_null=True)
    duration_days = serializers.IntegerField(
        allow_null=True,
        help_text="Days from start to end, counted from the first day of a "
        "partial date; null while open or when a bound is known only to the year.",
    )
    duration_approximate = serializers.BooleanField(
        help_text="True when a bound is known only to the month."
    )
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    event = TargetEventLinkSerializer()


class TargetDetailSerializer(TargetSerializer):
    periods = TargetPeriodSerializer(many=True, help_text="Oldest first.")


class TargetPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TargetSerializer(many=True)
