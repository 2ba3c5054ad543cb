"""The public pages of dataset releases and their downloads. Only ready
releases exist here: a pending, building or failed one is a 404."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django_countries import countries

from events.models import Release
from events.selectors.releases import (
    live_releases,
    ready_release,
    ready_releases,
    release_citation,
    release_file,
    release_files,
)
from events.services.release_files import CHANGE_KINDS

# A release never changes once ready: caches may keep its files for good.
IMMUTABLE = "public, max-age=31536000, immutable"


def _changes(release: Release) -> list[tuple[str, int]]:
    return [(kind, release.changelog[kind]["count"]) for kind in CHANGE_KINDS]


def _ready(number: int) -> Release:
    try:
        return ready_release(number)
    except Release.DoesNotExist as exc:
        raise Http404(_("No published release has this number.")) from exc


def release_list(request: HttpRequest) -> HttpResponse:
    newest = live_releases().first()
    releases = [
        {
            "release": r,
            "files": release_files(r),
            "changes": _changes(r),
            "newest": newest,
        }
        for r in ready_releases()
    ]
    return render(request, "public/releases.html", {"releases": releases})


def _withdrawn(request: HttpRequest, release: Release) -> HttpResponse:
    """410 Gone for a withdrawn release and its files: why, and which
    release to use instead."""
    context = {"release": release, "newest": live_releases().first()}
    return render(request, "public/release_withdrawn.html", context, status=410)


def _count_tables(counts: dict[str, Any]) -> list[tuple[str, list[tuple[str, int]]]]:
    """(title, [(label, count)]) of each grouping; countries by name."""
    country = [(str(countries.name(c["key"])), c["count"]) for c in counts["country"]]
    return [
        (_("Platform"), [(c["key"], c["count"]) for c in counts["platform"]]),
        (_("Country"), country),
        (_("Action"), [(c["key"], c["count"]) for c in counts["action"]]),
        (_("Year"), [(c["key"], c["count"]) for c in counts["year"]]),
    ]


def release_detail(request: HttpRequest, number: int) -> HttpResponse:
    release = _ready(number)
    if release.withdrawn_at is not None:
        return _withdrawn(request, release)
    context = {
        "release": release,
        "files": release_files(release),
        "changes": _changes(release),
        "previous": release.changelog.get("previous"),
        "count_tables": _count_tables(release.counts),
        "citation": release_citation(release),
    }
    return render(request, "public/release.html", context)


def release_download(request: HttpRequest, number: int, filename: str) -> HttpResponse:
    """A file of a ready release, streamed from RELEASES_ROOT; its ETag is
    its SHA-256, so a client can check what it has without downloading."""
    release = _ready(number)
    if release.withdrawn_at is not None:
        return _withdrawn(request, release)
    try:
        file, path = release_file(release, filename)
    except LookupError as exc:
        raise Http404(_("This release has no file of this name.")) from exc
    etag = f'"{file.sha256}"'
    if response := get_conditional_response(request, etag=etag):
        response["ETag"] = etag
        return response
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=file.name,
        content_type=file.media_type,
    )
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    return response
