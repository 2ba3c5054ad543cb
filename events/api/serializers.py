"""Shapes of the API: output serializers document the representation built by
events/api/representation.py (OpenAPI); input serializers parse writes."""

from __future__ import annotations

from typing import Any

from django_countries import countries
from rest_framework import serializers

from events.api.representation import event_dict
from events.choices import Action, DatePrecision, Status, TargetType
from events.dates import PartialDateError, parse_partial_date
from events.models import Authority, Platform
from events.selectors.api import ApiEvent

PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class PlatformRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class AuthorityRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2")


class NoticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The notice's id in the registry.")
    url = serializers.URLField(help_text="The notice in the API.")


class TargetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    archive_url = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)


class EventSerializer(serializers.Serializer):
    """An event. Dates are at their precision (YYYY, YYYY-MM or YYYY-MM-DD);
    timestamps are UTC with microseconds."""

    id = serializers.UUIDField(help_text="Stable identifier of the event.")
    url = serializers.URLField(help_text="This event in the API.")
    web_url = serializers.URLField(help_text="This event's public page.")
    status = serializers.ChoiceField(Status.choices)
    platform = PlatformRefSerializer()
    target = serializers.CharField()
    target_type = serializers.ChoiceField(TargetType.choices)
    target_url = serializers.CharField(allow_blank=True)
    target_ref = TargetRefSerializer(
        allow_null=True,
        help_text="The target this event is grouped under (its lifecycle); "
        "see /api/v1/targets/.",
    )
    authority = AuthorityRefSerializer(allow_null=True)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    action = serializers.ChoiceField(Action.choices)
    date = serializers.RegexField(PARTIAL_DATE, help_text="At its precision.")
    date_precision = serializers.ChoiceField(DatePrecision.choices)
    ended_on = serializers.RegexField(
        PARTIAL_DATE, allow_null=True, help_text="Null while ongoing."
    )
    notice_text = serializers.CharField(allow_blank=True)
    notice_language = serializers.CharField(allow_blank=True)
    notice = NoticeRefSerializer(
        allow_null=True,
        help_text="The registry notice this text is a wording of (matched "
        "automatically or by a curator); null if none.",
    )
    summary = serializers.CharField(allow_blank=True)
    sources = SourceSerializer(many=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: ApiEvent) -> dict[str, Any]:
        return event_dict(instance, self.context["links"])


class EventPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EventSerializer(many=True)


class PlatformCountSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Published events.")


class AuthorityCountSerializer(PlatformCountSerializer):
    country = serializers.CharField(allow_null=True)


class CountryCountSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Published events.")


class StatSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()


class ErrorSerializer(serializers.Serializer):
    """Errors by parameter or field name; `detail` for the request as a whole."""

    detail = serializers.CharField(required=False)


# --- Writes ------------------------------------------------------------------


class SourceInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    archive_url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True
    )


class PartialDateInput(serializers.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD → (first day, precision)."""

    def to_internal_value(self, data: Any) -> Any:
        text = super().to_internal_value(data)
        try:
            return parse_partial_date(text)
        except PartialDateError as exc:
            raise serializers.ValidationError(str(exc)) from None


class SlugReference(serializers.SlugRelatedField):
    """A platform or authority named by its slug. Text a slug cannot be
    (a NUL byte, which PostgreSQL refuses in any string) is an invalid value,
    not a database error."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data or len(data) > 150:
            self.fail("invalid")
        return super().to_internal_value(data)


class EventWriteSerializer(serializers.Serializer):
    """A draft as curators write it. `status` and the record fields are not
    writable: status changes through the submit/publish/reject/unpublish
    endpoints. A precision, when given, must agree with the date as written."""

    platform = SlugReference(slug_field="slug", queryset=Platform.objects.all())
    target = serializers.CharField(max_length=500)
    target_type = serializers.ChoiceField(TargetType.choices)
    target_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    authority = SlugReference(
        slug_field="slug",
        queryset=Authority.objects.all(),
        required=False,
        allow_null=True,
    )
    country = serializers.ChoiceField(list(countries))
    action = serializers.ChoiceField(Action.choices)
    date = PartialDateInput(max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    date_precision = serializers.ChoiceField(DatePrecision.choices, required=False)
    ended_on = PartialDateInput(max_length=10, required=False, allow_null=True)
    ended_on_precision = serializers.ChoiceField(DatePrecision.choices, required=False)
    notice_text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False
    )
    notice_language = serializers.CharField(
        max_length=35, required=False, allow_blank=True
    )
    summary = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False
    )
    sources = SourceInputSerializer(many=True, required=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field cannot be written."] for name in unknown}
                )
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("date", "ended_on"):
            self._resolve_precision(attrs, name)
        return attrs

    @staticmethod
    def _resolve_precision(attrs: dict[str, Any], name: str) -> None:
        precision_name = f"{name}_precision"
        declared = attrs.pop(precision_name, None)
        if name not in attrs:
            if declared:
                raise serializers.ValidationError(
                    {precision_name: [f"give it with {name}"]}
                )
            return
        if attrs[name] is None:
            attrs[precision_name] = DatePrecision.DAY
            return
        value, precision = attrs[name]
        if declared and declared != precision:
            raise serializers.ValidationError(
                {
                    precision_name: [
                        f"{declared!r} does not agree with {name}, "
                        f"which is at {precision} precision"
                    ]
                }
            )
        attrs[name], attrs[precision_name] = value, precision


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PublishSerializer(TransitionSerializer):
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Publish although a published or in-review event is a likely "
        "duplicate (the 409 names them).",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Recorded in the history."
    )


class DuplicateSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The duplicate's public id.")
    title = serializers.CharField()
    status = serializers.CharField()
    score = serializers.IntegerField(help_text="0-100; see DUPLICATE_CONFIRM_SCORE.")
    url = serializers.URLField(help_text="The duplicate in the API.")


class LikelyDuplicateSerializer(serializers.Serializer):
    """The 409 of an unconfirmed publish: what the event likely duplicates."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="likely_duplicate")
    threshold = serializers.IntegerField(
        required=False, help_text="DUPLICATE_CONFIRM_SCORE"
    )
    duplicates = DuplicateSerializer(many=True, required=False)
