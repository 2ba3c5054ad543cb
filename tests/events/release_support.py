"""Helpers shared by the dataset release tests."""

from __future__ import annotations

from events.choices import Status
from events.models import Event, Release
from events.services.releases import release_cut
from events.tasks import cut_release
from tests.factories import EventFactory, SourceFactory


def publish(**fields) -> Event:
    event = EventFactory(status=Status.PUBLISHED, **fields)
    SourceFactory(event=event)
    return event


def built(editor, title: str = "") -> Release:
    """A release cut by `editor` and built by the task body, as a worker would."""
    release = release_cut(user=editor, title=title, notes="")
    cut_release(release.pk)
    release.refresh_from_db()
    return release


def manifest_of(root, release) -> dict[str, str]:
    lines = (root / release.file_name("manifest")).read_text().splitlines()
    assert lines[0] == "id\tsha256"
    return dict(line.split("\t") for line in lines[1:])
