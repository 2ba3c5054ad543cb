"""Dataset releases: cutting, building (files, checksums, manifest, counts,
changelog), failures, idempotent tasks, one snapshot, and the admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from events.choices import ChangeKind, ReleaseState, Status
from events.exceptions import NotPermitted
from events.models import Event, EventChange, Release
from events.selectors.releases import read_snapshot
from events.services import event_publish, event_unpublish, event_update
from events.services import release_files as writing
from events.services.releases import release_build, release_cut
from events.tasks import DB_MAX_RETRIES, cut_release
from tests.events.admin_support import change_url, changelist_url, form_data
from tests.factories import EventFactory, SourceFactory
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def releases_root(settings, tmp_path):
    settings.RELEASES_ROOT = tmp_path / "releases"
    settings.SITE_URL = "http://testserver"
    return settings.RELEASES_ROOT


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


# --- Tasks: idempotent, retried only on transient errors, failures recorded ----


def test_task_run_twice_changes_nothing(editor, releases_root):
    publish()
    release = built(editor)
    files = {p.name: p.read_bytes() for p in releases_root.iterdir()}
    publish()  # the record moves on; the release must not

    outcome = cut_release(release.pk)

    again = Release.objects.get(pk=release.pk)
    assert outcome == {"release": release.pk, "number": 1, "state": "ready"}
    assert {p.name: p.read_bytes() for p in releases_root.iterdir()} == files
    assert (again.event_count, again.csv_sha256, again.published_at) == (
        1,
        release.csv_sha256,
        release.published_at,
    )


def test_release_left_building_by_a_lost_worker_is_built_again(editor):
    publish()
    release = release_cut(user=editor, title="", notes="")
    Release.objects.filter(pk=release.pk).update(state=ReleaseState.BUILDING)

    cut_release(release.pk)

    assert Release.objects.get(pk=release.pk).state == ReleaseState.READY


def test_missing_previous_manifest_fails_the_release_with_the_reason(
    editor, releases_root
):
    first = built(editor)
    (releases_root / first.file_name("manifest")).unlink()

    second = built(editor)

    assert second.state == ReleaseState.FAILED
    assert "manifest of release 1 is missing" in second.error
    assert not (releases_root / second.file_name("csv")).exists()
    assert [p.name for p in releases_root.iterdir() if p.name.startswith(".")] == []


def test_failed_release_stays_failed_and_a_new_cut_builds(editor, releases_root):
    publish()
    releases_root.parent.mkdir(parents=True, exist_ok=True)
    releases_root.write_text("a file where the folder should be")
    failed = built(editor)
    assert failed.state == ReleaseState.FAILED
    assert failed.error
    releases_root.unlink()

    cut_release(failed.pk)
    retry = built(editor)

    assert Release.objects.get(pk=failed.pk).state == ReleaseState.FAILED
    assert (retry.number, retry.state) == (2, ReleaseState.READY)
    assert retry.changelog["previous"] is None


def test_task_retries_a_transient_database_error(editor):
    release = release_cut(user=editor, title="", notes="")
    error = OperationalError("terminating connection")
    with (
        mock.patch("events.tasks.release_build", side_effect=error),
        mock.patch.object(cut_release, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        cut_release(release.pk)
    assert retry.call_args.kwargs == {
        "exc": error,
        "countdown": 1,
        "max_retries": DB_MAX_RETRIES,
    }


def test_transient_error_leaves_the_release_to_the_retry(editor):
    publish()
    release = release_cut(user=editor, title="", notes="")
    with (
        mock.patch.object(
            writing, "record_counts", side_effect=OperationalError("gone")
        ),
        pytest.raises(OperationalError),
    ):
        release_build(release_id=release.pk)
    assert Release.objects.get(pk=release.pk).state == ReleaseState.BUILDING

    cut_release(release.pk)

    assert Release.objects.get(pk=release.pk).state == ReleaseState.READY


def test_task_of_a_deleted_release_does_nothing():
    assert cut_release(12345) == {"release": 12345, "outcome": "release deleted"}


# --- One snapshot ------------------------------------------------------------


def _publish_elsewhere() -> None:
    """Publish an event from another connection (another thread), committed."""
    try:
        publish(target="Committed during the read")
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_snapshot_does_not_see_what_commits_during_it():
    publish()
    with read_snapshot():
        before = Event.objects.published().count()
        writer = threading.Thread(target=_publish_elsewhere)
        writer.start()
        writer.join()
        during = Event.objects.published().count()
    after = Event.objects.published().count()

    assert (before, during, after) == (1, 1, 2)


@pytest.mark.django_db(transaction=True)
def test_build_outside_a_transaction_reads_one_snapshot(releases_root):
    publish()
    pending = Release.objects.create(number=1)

    release = release_build(release_id=pending.pk)

    assert release.state == ReleaseState.READY
    assert release.event_count == release.counts["total"] == 1


@pytest.mark.django_db(transaction=True)
def test_failure_in_the_middle_of_the_snapshot_ends_it_cleanly(releases_root):
    for _ in range(3):
        publish()
    first = Release.objects.create(number=1)
    broken = mock.patch.object(
        writing, "_manifest_line", side_effect=writing.ReleaseFileError("bad line")
    )

    with broken:
        failed = release_build(release_id=first.pk)
    second = Release.objects.create(number=2)
    ready = release_build(release_id=second.pk)

    assert (failed.state, failed.error) == ("failed", "ReleaseFileError: bad line")
    assert (ready.state, ready.event_count) == ("ready", 3)
    assert not connection.in_atomic_block


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_builds_a_release(tmp_path, releases_root):
    publish()
    publish(country="RU")
    release = Release.objects.create(number=1, title="Through the broker")
    log = tmp_path / "worker.log"
    env = {"RELEASES_ROOT": str(releases_root), "SITE_URL": "http://testserver"}

    with celery_worker(log, env=env) as worker:
        cut_release.apply_async(args=[release.pk], queue=worker.queue)
        wait_for(
            lambda: (
                Release.objects.get(pk=release.pk).state
                in (ReleaseState.READY, ReleaseState.FAILED)
            ),
            seconds=90,
            log_path=log,
        )

    release.refresh_from_db()
    assert release.state == ReleaseState.READY, release.error
    assert release.event_count == 2
    data = (releases_root / release.file_name("csv")).read_bytes()
    assert hashlib.sha256(data).hexdigest() == release.csv_sha256


# --- Admin -------------------------------------------------------------------


def cut_url() -> str:
    return reverse("admin:events_release_cut")


def test_editor_cuts_a_release_through_the_admin(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    changelist = client.get(changelist_url("release"))
    assert changelist.status_code == 200
    assert cut_url() in changelist.content.decode()
    page = client.get(cut_url())
    data = {**form_data(page, "release_form"), "title": "Spring", "notes": "Notes"}

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(cut_url(), data)

    release = Release.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(release, "release")
    assert (release.number, release.title, release.state) == (1, "Spring", "pending")
    assert release.created_by == editor
    assert len(callbacks) == 1
    detail = client.get(response.url).content.decode()
    assert "pending" in detail


def test_curator_may_neither_cut_nor_see_releases(client, curator):
    client.force_login(curator)

    assert client.get(cut_url()).status_code == 403
    assert client.post(cut_url(), {"title": "x"}).status_code == 403
    assert client.get(changelist_url("release")).status_code == 403
    assert not Release.objects.exists()


def test_admin_shows_a_ready_release_with_checksums_and_changes(client, editor):
    publish()
    release = built(editor)
    client.force_login(editor)

    listing = client.get(changelist_url("release")).content.decode()
    detail = client.get(change_url(release, "release")).content.decode()

    assert "1 added, 0 changed, 0 removed" in listing
    assert release.csv_sha256 in detail
    assert release.manifest_sha256 in detail
    assert "tracker-events-r1.jsonl" in detail
    assert 'name="_save"' not in detail  # read-only


def test_admin_shows_a_failed_release_with_its_error(client, editor):
    release = Release.objects.create(
        number=1, state=ReleaseState.FAILED, error="OSError: disk full"
    )
    client.force_login(editor)

    detail = client.get(change_url(release, "release")).content.decode()

    assert "failed" in detail
    assert "OSError: disk full" in detail


def test_admin_release_list_has_a_query_budget(
    client, editor, django_assert_max_num_queries
):
    for n in range(1, 6):
        Release.objects.create(number=n, created_by=editor)
    client.force_login(editor)

    with django_assert_max_num_queries(12):
        assert client.get(changelist_url("release")).status_code == 200
