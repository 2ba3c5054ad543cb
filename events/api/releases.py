"""The API's representation of a dataset release, and its documented shape."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from events.models import Release
from events.selectors.api import utc_timestamp
from events.selectors.releases import (
    COUNT_GROUPS,
    live_releases,
    release_citation,
    release_files,
)
from events.services.release_files import CHANGE_KINDS


def release_dict(release: Release, request: Request) -> dict[str, Any]:
    """A ready release as the API shows it."""
    number = release.number
    citation = release_citation(release)
    changelog = {"previous": release.changelog.get("previous")}
    changelog.update({kind: release.changelog[kind]["count"] for kind in CHANGE_KINDS})
    return {
        "number": number,
        "title": release.title,
        "notes": release.notes,
        "url": request.build_absolute_uri(reverse("api:release-detail", args=[number])),
        "web_url": request.build_absolute_uri(reverse("public:release", args=[number])),
        "as_of": utc_timestamp(release.as_of),
        "published_at": utc_timestamp(release.published_at),
        "event_count": release.event_count,
        "change_cursor": release.change_cursor,
        # In a fixed order: jsonb keeps keys in an order of its own.
        "counts": {key: release.counts[key] for key in ("total", *COUNT_GROUPS)},
        "changelog": changelog,
        "files": [
            {
                "format": file.format,
                "name": file.name,
                "url": request.build_absolute_uri(
                    reverse("public:release-file", args=[number, file.name])
                ),
                "media_type": file.media_type,
                "sha256": file.sha256,
                "bytes": file.bytes,
            }
            for file in release_files(release)
        ],
        "citation": {"text": citation.text, "bibtex": citation.bibtex},
        "withdrawn": _withdrawn(release, request),
    }


def _withdrawn(release: Release, request: Request) -> dict[str, Any] | None:
    if release.withdrawn_at is None:
        return None
    newest = live_releases().first()
    return {
        "at": utc_timestamp(release.withdrawn_at),
        "reason": release.withdrawn_reason,
        "use_instead": None
        if newest is None
        else request.build_absolute_uri(
            reverse("api:release-detail", args=[newest.number])
        ),
    }


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    count = serializers.IntegerField()


class ReleaseCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    platform = CountSerializer(many=True, help_text="By platform slug, largest first.")
    country = CountSerializer(many=True, help_text="By ISO 3166-1 alpha-2 code.")
    action = CountSerializer(many=True)
    year = CountSerializer(many=True, help_text="In time order.")


class ChangelogSummarySerializer(serializers.Serializer):
    previous = serializers.IntegerField(
        allow_null=True, help_text="The release compared with; null for the first."
    )
    added = serializers.IntegerField()
    changed = serializers.IntegerField()
    removed = serializers.IntegerField()


class ReleaseFileSerializer(serializers.Serializer):
    format = serializers.ChoiceField(["csv", "jsonl", "tsv", "json"])
    name = serializers.CharField()
    url = serializers.URLField()
    media_type = serializers.CharField()
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    bytes = serializers.IntegerField()


class CitationSerializer(serializers.Serializer):
    text = serializers.CharField()
    bibtex = serializers.CharField()


class WithdrawnSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    use_instead = serializers.URLField(
        allow_null=True, help_text="The newest release that was not withdrawn."
    )


class ReleaseSerializer(serializers.Serializer):
    """A numbered, frozen release of the published record."""

    number = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    web_url = serializers.URLField()
    as_of = serializers.DateTimeField(help_text="The moment of the record it holds.")
    published_at = serializers.DateTimeField()
    event_count = serializers.IntegerField()
    change_cursor = serializers.IntegerField(
        allow_null=True, help_text="The last id of /api/v1/changes/ it includes."
    )
    counts = ReleaseCountsSerializer()
    changelog = ChangelogSummarySerializer(
        help_text="Events added, changed and removed since the previous release; "
        "the changelog file lists their ids."
    )
    files = ReleaseFileSerializer(
        many=True, help_text="Empty once the release was withdrawn."
    )
    citation = CitationSerializer()
    withdrawn = WithdrawnSerializer(
        allow_null=True,
        help_text="Set when editors withdrew the release (its files answer 410).",
    )
