"""Dataset releases: cutting and building (files, checksums, manifest, counts,
changelog)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from unittest import mock

import pytest
from django.utils import timezone

from events.choices import ChangeKind, ReleaseState, Status
from events.exceptions import NotPermitted
from events.models import EventChange, Release
from events.services import event_publish, event_unpublish, event_update
from events.services import release_files as writing
from events.services.releases import release_cut
from tests.events.release_support import built, manifest_of, publish
from tests.factories import EventFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("releases_root")]


# --- Cutting -----------------------------------------------------------------


def test_cut_numbers_releases_and_queues_one_build_after_commit(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = release_cut(user=editor, title="Spring", notes="First one")
    second = release_cut(user=editor, title="", notes="")

    assert (first.number, second.number) == (1, 2)
    assert first.state == ReleaseState.PENDING
    assert first.created_by == editor
    assert len(callbacks) == 1


def test_cut_takes_the_next_number_when_another_cut_took_it(editor):
    taken = Release.objects.create(number=1)
    real_save = Release.save
    calls = []

    def racing_save(self, *args, **kwargs):
        # Another editor's cut commits the number this one chose.
        if not calls and self.pk is None:
            calls.append(1)
            Release.objects.create(number=self.number)
        return real_save(self, *args, **kwargs)

    with mock.patch.object(Release, "save", racing_save):
        release = release_cut(user=editor, title="", notes="")

    # The first attempt's savepoint (the rival's row with it) was rolled back.
    assert calls == [1]
    assert release.number == 2
    assert list(Release.objects.values_list("number", flat=True)) == [2, taken.number]


def test_curator_may_not_cut_a_release(curator):
    with pytest.raises(NotPermitted):
        release_cut(user=curator, title="", notes="")
    assert not Release.objects.exists()


# --- Building ----------------------------------------------------------------


def test_build_writes_the_files_with_checksums_that_verify(editor, releases_root):
    publish(country="RU", notice_text="Доступ ограничен.")
    publish(date=dt.date(2019, 5, 1))

    release = built(editor)

    assert release.state == ReleaseState.READY
    assert release.event_count == 2
    for kind in ("csv", "jsonl", "manifest", "changelog"):
        data = (releases_root / release.file_name(kind)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == getattr(release, f"{kind}_sha256")
        assert len(data) == getattr(release, f"{kind}_bytes")
    assert release.csv_file == "tracker-events-r1.csv"
    assert release.jsonl_file == "tracker-events-r1.jsonl"
    assert [p.name for p in releases_root.iterdir() if p.name.startswith(".")] == []


def test_manifest_has_each_events_json_line_checksum_sorted_by_id(
    editor, releases_root
):
    events = [publish() for _ in range(5)]
    EventFactory(status=Status.DRAFT)

    release = built(editor)

    lines = (releases_root / release.file_name("jsonl")).read_bytes().splitlines()
    expected = {
        json.loads(line)["id"]: hashlib.sha256(line).hexdigest() for line in lines
    }
    manifest = manifest_of(releases_root, release)
    assert manifest == expected
    assert list(manifest) == sorted(str(e.public_id) for e in events)


def test_manifest_sorted_in_small_runs_is_the_same(editor, releases_root):
    for _ in range(7):
        publish()
    whole = built(editor)

    with mock.patch.object(writing, "SORT_RUN_LINES", 2):
        runs = built(editor)

    assert runs.manifest_sha256 == whole.manifest_sha256


def test_counts_cover_the_published_record_only(editor):
    publish(country="RU", date=dt.date(2018, 1, 2))
    publish(country="RU", date=dt.date(2019, 1, 2))
    publish(country="CN", date=dt.date(2019, 3, 2))
    EventFactory(status=Status.DRAFT, country="KP")

    counts = built(editor).counts

    assert counts["total"] == 3
    assert counts["country"] == [
        {"key": "RU", "count": 2},
        {"key": "CN", "count": 1},
    ]
    assert counts["year"] == [
        {"key": "2018", "count": 1},
        {"key": "2019", "count": 2},
    ]
    assert counts["action"] == [{"key": "blocked", "count": 3}]
    assert sum(c["count"] for c in counts["platform"]) == 3


def test_release_records_its_moment_and_the_change_feed_cursor(editor):
    publish()
    before = timezone.now()
    last = EventChange.objects.create(
        event_public_id=uuid.uuid4(), kind=ChangeKind.UPDATED
    )

    release = built(editor)

    assert release.change_cursor == last.id
    assert before <= release.as_of <= release.published_at


def test_first_release_adds_every_event(editor):
    events = [publish() for _ in range(3)]

    changelog = built(editor).changelog

    assert changelog["previous"] is None
    assert changelog["added"]["count"] == 3
    assert changelog["added"]["ids"] == sorted(str(e.public_id) for e in events)
    assert changelog["changed"]["count"] == changelog["removed"]["count"] == 0


def test_second_release_counts_added_changed_and_removed_events(editor, releases_root):
    kept, edited, withdrawn = publish(), publish(), publish()
    first = built(editor)
    added = publish()
    event_update(event=edited, user=editor, data={"summary": "Corrected."})
    event_unpublish(event=withdrawn, user=editor, reason="duplicate")
    draft = EventFactory(status=Status.DRAFT)
    SourceFactory(event=draft)
    event_publish(event=draft, user=editor)

    second = built(editor)

    log = second.changelog
    assert log["previous"] == first.number
    assert sorted(log["added"]["ids"]) == sorted(
        [str(added.public_id), str(draft.public_id)]
    )
    assert log["changed"] == {"count": 1, "ids": [str(edited.public_id)]}
    assert log["removed"] == {"count": 1, "ids": [str(withdrawn.public_id)]}
    assert str(kept.public_id) not in json.dumps(log)
    full = json.loads((releases_root / second.file_name("changelog")).read_text())
    assert full["release"] == 2 and full["previous"] == 1
    assert full["changed"] == [str(edited.public_id)]
    assert full["removed"] == [str(withdrawn.public_id)]
    assert sorted(full["added"]) == sorted(log["added"]["ids"])


def test_changelog_field_keeps_the_first_ids_and_the_file_has_them_all(
    editor, releases_root
):
    events = [publish() for _ in range(4)]

    with mock.patch.object(writing, "CHANGELOG_IDS_KEPT", 3):
        release = built(editor)

    ids = sorted(str(e.public_id) for e in events)
    assert release.changelog["added"] == {"count": 4, "ids": ids[:3]}
    full = json.loads((releases_root / release.file_name("changelog")).read_text())
    assert full["added"] == ids


def test_empty_record_makes_an_empty_release(editor, releases_root):
    release = built(editor)

    assert release.state == ReleaseState.READY
    assert release.event_count == 0
    assert (releases_root / release.file_name("jsonl")).read_bytes() == b""
    assert manifest_of(releases_root, release) == {}
