"""The backup and restore drill of docs/operations.md, run for real: the record
is exported, restored into a brand-new database by separate processes, and
exported again — byte for byte the same. On PostgreSQL, a pg_dump/pg_restore
round trip is checked the same way."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from events.choices import DatePrecision, Status
from tests.factories import EventFactory, PlatformFactory, SourceFactory
from tests.worker import current_database_url

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def make_record() -> None:
    wechat = PlatformFactory(slug="wechat")
    # Every status a file can carry (merges live only in database backups).
    statuses = [status for status in Status.values if status != Status.MERGED]
    for n, status in enumerate(statuses):
        event = EventFactory(
            platform=wechat,
            status=status,
            target=f"账号 {n}",
            date=dt.date(2018, 8, 1),
            date_precision=DatePrecision.MONTH,
            notice_text="该账号已被屏蔽。\n  Line two.",
            notice_language="zh",
            published_at=(
                dt.datetime(2018, 9, 1, 12, tzinfo=dt.UTC)
                if status == Status.PUBLISHED
                else None
            ),
        )
        SourceFactory(event=event, published_at=dt.datetime(2018, 8, 2, tzinfo=dt.UTC))


def manage(database_url: str, tmp: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "TRACKER_VAR_DIR": str(tmp)}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def new_database(tmp: Path) -> str:
    """A URL for an empty database of the kind the tests run on."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp / 'restored.sqlite3'}"
    name = f"drill_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    return current_database_url().rsplit("/", 1)[0] + f"/{name}"


def drop(url: str) -> None:
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_restore_into_a_new_database_export_is_identical(tmp_path, fmt):
    make_record()
    before = tmp_path / f"before.{fmt}"
    after = tmp_path / f"after.{fmt}"
    call_command("export_events", str(before))
    url = new_database(tmp_path)
    try:
        manage(url, tmp_path, "migrate", "-v0")
        # The file has published events: an editor (here a superuser) imports.
        admin = ["--username", "drill", "--email", "drill@example.org"]
        manage(url, tmp_path, "createsuperuser", "--noinput", *admin)
        manage(
            url,
            tmp_path,
            "import_events",
            str(before),
            "--no-progress",
            "--user",
            "drill",
        )
        manage(url, tmp_path, "export_events", str(after))
    finally:
        drop(url)
    assert after.read_bytes() == before.read_bytes()


def backup_and_restore(tmp: Path) -> str:
    """The documented backup routine: pg_dump -Fc and pg_restore on
    PostgreSQL, SQLite's online backup (sqlite3 .backup) on SQLite."""
    if connection.vendor == "sqlite":
        copy = tmp / "copy.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        with source, sqlite3.connect(copy) as dst:
            source.backup(dst)
        return f"sqlite:///{copy}"
    dump = tmp / "tracker.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "-f", str(dump), current_database_url()], check=True
    )
    target = new_database(tmp)
    subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], check=True)
    return target


def test_a_database_backup_restores_the_same_record(tmp_path):
    make_record()
    before = tmp_path / "before.jsonl"
    after = tmp_path / "after.jsonl"
    call_command("export_events", str(before))
    target = backup_and_restore(tmp_path)
    try:
        manage(target, tmp_path, "export_events", str(after))
    finally:
        drop(target)
    assert after.read_bytes() == before.read_bytes()
