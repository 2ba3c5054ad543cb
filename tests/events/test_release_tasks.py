"""Dataset releases: idempotent tasks retried only on transient errors,
failures recorded, one snapshot, a real worker, and the admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from events.choices import ReleaseState
from events.models import Event, Release
from events.selectors.releases import read_snapshot
from events.services import release_files as writing
from events.services.releases import release_build, release_cut
from events.tasks import DB_MAX_RETRIES, cut_release
from tests.events.admin_support import change_url, changelist_url, form_data
from tests.events.release_support import built, publish
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("releases_root")]
BROKER_DOWN = KombuOperationalError("Error 111 connecting. Connection refused.")


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


# --- Builds never sent are sent again -------------------------------------------


def _age(release: Release, **delta: float) -> None:
    Release.objects.filter(pk=release.pk).update(
        created_at=timezone.now() - dt.timedelta(**delta)
    )


def test_release_cut_while_the_broker_was_down_is_sent_again(editor):
    from events.tasks import dispatch_unsent_releases

    with (
        mock.patch.object(cut_release, "delay", side_effect=BROKER_DOWN),
        transaction.atomic(),
    ):
        stale = release_cut(user=editor, title="", notes="")
    fresh = release_cut(user=editor, title="", notes="")
    _age(stale, minutes=5)

    with mock.patch.object(cut_release, "delay") as delay:
        assert dispatch_unsent_releases() == [stale.pk]
    delay.assert_called_once_with(stale.pk)
    assert Release.objects.get(pk=fresh.pk).state == ReleaseState.PENDING


def test_a_build_older_than_its_time_limit_is_sent_again_a_recent_one_not(editor):
    from events.tasks import RELEASE_TIME_LIMIT, dispatch_unsent_releases

    lost, running = (release_cut(user=editor, title="", notes="") for _ in range(2))
    Release.objects.update(state=ReleaseState.BUILDING)
    _age(lost, seconds=RELEASE_TIME_LIMIT + 700)
    _age(running, seconds=RELEASE_TIME_LIMIT - 60)

    with mock.patch.object(cut_release, "delay"):
        assert dispatch_unsent_releases() == [lost.pk]


def test_unsent_releases_wait_for_the_broker(editor):
    from events.tasks import dispatch_unsent_releases

    release = release_cut(user=editor, title="", notes="")
    _age(release, minutes=5)

    with mock.patch.object(cut_release, "delay", side_effect=BROKER_DOWN):
        assert dispatch_unsent_releases() == []
    assert Release.objects.get(pk=release.pk).state == ReleaseState.PENDING
