"""Dataset releases: cutting a numbered release and building its files.

    release_cut ──▶ pending ──(task: release_build)──▶ building ──▶ ready
                                                           └──────▶ failed
    ready ──release_withdraw──▶ withdrawn (files deleted, pages say why)

A release is built once: the files are written in a work folder inside
RELEASES_ROOT and moved into place, together with the row turning ready, under
a lock of the row, so a build run twice (a redelivered task) leaves one
consistent set. A failed release stays failed; an editor cuts a new one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from events.choices import ReleaseState
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import Release
from events.selectors.releases import (
    previous_ready_release,
    release_files,
    releases_root,
)
from events.services.queue import enqueue_on_commit
from events.services.release_files import (
    ReleaseFileError,
    Snapshot,
    WrittenFile,
    changelog_write,
    manifest_diff,
    manifest_write,
    snapshot_write,
)

User = AbstractBaseUser | AnonymousUser
logger = logging.getLogger(__name__)
NUMBER_ATTEMPTS = 5


def release_cut(*, user: User, title: str, notes: str) -> Release:
    """Number a new release and queue its build (after the commit). Two
    editors cutting at once get consecutive numbers: the losing insert of a
    number is retried with the next one."""
    if not (user.is_active and user.has_perm("events.cut_release")):
        raise NotPermitted("you may not cut releases")
    # events.tasks imports the services; this module is imported first.
    from events.tasks import cut_release

    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                release = _release_numbered(user, title, notes)
                enqueue_on_commit(cut_release, release.pk)
            return release
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _release_numbered(user: User, title: str, notes: str) -> Release:
    last = Release.objects.aggregate(last=Max("number"))["last"] or 0
    release = Release(
        number=last + 1,
        title=title,
        notes=notes,
        created_by=user if isinstance(user, AbstractBaseUser) else None,
    )
    # The number's uniqueness is the database's to check, race included.
    release.full_clean(validate_unique=False)
    release.save()
    return release


def _claim(release_id: int) -> bool:
    """Mark the release building. A release left building by a lost worker
    is claimed again; a ready or failed one is not."""
    claimed = Release.objects.filter(
        pk=release_id, state__in=[ReleaseState.PENDING, ReleaseState.BUILDING]
    ).update(state=ReleaseState.BUILDING, error="")
    return claimed == 1


def release_build(*, release_id: int) -> Release:
    """Build a pending release: its files, counts and changelog; then it is
    ready. Any failure but a transient database error (raised, for the task
    to retry) makes it failed, with the error. Release.DoesNotExist when it
    was deleted."""
    if not _claim(release_id):
        return Release.objects.get(pk=release_id)
    release = Release.objects.get(pk=release_id)
    try:
        return _build(release)
    except (OperationalError, InterfaceError):
        raise
    except Exception as exc:
        logger.exception("release %s failed", release.number)
        return _fail(release_id, exc)


def _build(release: Release) -> Release:
    """Write the files in a work folder next to their place, then finish."""
    root = releases_root()
    root.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f".r{release.number}-", dir=root))
    try:
        return _build_in(release, root, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _build_in(release: Release, root: Path, workdir: Path) -> Release:
    previous = previous_ready_release(release.number)
    old_manifest = None
    if previous is not None:
        old_manifest = root / previous.file_name("manifest")
        if not old_manifest.is_file():
            raise ReleaseFileError(
                f"the manifest of release {previous.number} is missing from {root}"
            )
    snapshot = snapshot_write(workdir=workdir)
    manifest = manifest_write(
        unsorted=snapshot.unsorted_manifest,
        path=workdir / release.file_name("manifest"),
    )
    changelog = changelog_write(
        number=release.number,
        previous=previous.number if previous else None,
        diff=manifest_diff(manifest.path, old_manifest),
        path=workdir / release.file_name("changelog"),
    )
    files = {
        "csv": snapshot.csv,
        "jsonl": snapshot.jsonl,
        "manifest": manifest,
        "changelog": changelog.file,
    }
    return _finish(release.pk, snapshot, files, changelog.summary, root)


def _finish(
    release_id: int,
    snapshot: Snapshot,
    files: dict[str, WrittenFile],
    changelog: dict[str, object],
    root: Path,
) -> Release:
    """Move the files into place and mark the release ready, under a lock of
    its row: of two runs of one build, the second finds it ready and leaves
    the first one's files alone."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release_id)
        if release.state != ReleaseState.BUILDING:
            return release
        for kind, written in files.items():
            os.replace(written.path, root / release.file_name(kind))
            setattr(release, f"{kind}_sha256", written.sha256)
            setattr(release, f"{kind}_bytes", written.bytes)
        release.csv_file = release.file_name("csv")
        release.jsonl_file = release.file_name("jsonl")
        release.as_of = snapshot.as_of
        release.change_cursor = snapshot.change_cursor
        release.event_count = snapshot.event_count
        release.counts = snapshot.counts
        release.changelog = changelog
        release.state = ReleaseState.READY
        release.error = ""
        release.published_at = timezone.now()
        release.save()
    return release


def _fail(release_id: int, exc: Exception) -> Release:
    release = Release.objects.get(pk=release_id)
    if release.state == ReleaseState.BUILDING:
        release.state = ReleaseState.FAILED
        release.error = f"{type(exc).__name__}: {exc}"[:2000]
        release.save(update_fields=["state", "error"])
    return release


@transaction.atomic
def release_withdraw(*, release: Release, user: User, reason: str) -> Release:
    """Withdraw a ready release (it holds an event taken down since, or an
    error): its files are deleted, its downloads answer 410 Gone with a
    pointer to the newest release, and the release list says why. The row
    stays, so the number is never reused and the decision stays on record.
    Raises NotPermitted, EventInvalid (no reason) or TransitionNotAllowed."""
    if not (user.is_active and user.has_perm("events.withdraw_release")):
        raise NotPermitted("you may not withdraw releases")
    reason = reason.strip()
    if not reason:
        raise EventInvalid("a reason is required to withdraw a release")
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.state != ReleaseState.READY or locked.withdrawn_at is not None:
        raise TransitionNotAllowed(f"release {locked.number} is not a ready release")
    names = [file.name for file in release_files(locked)]
    locked.withdrawn_at, locked.withdrawn_by = timezone.now(), user
    locked.withdrawn_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    root = releases_root()
    transaction.on_commit(lambda: _delete_files(root, names))
    return locked


def _delete_files(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).unlink(missing_ok=True)
