"""The database settings: PostgreSQL when DATABASE_URL is set; otherwise an
SQLite file in WAL mode, so the web server, the worker and the scheduler can
write at the same time."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url

from tracker.env import env_bool, env_int


def database_settings(database_url: str, var_dir: Path) -> dict[str, Any]:
    """Django's DATABASES for this URL (empty: the embedded SQLite file)."""
    if database_url:
        databases = {
            "default": dj_database_url.parse(
                database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
            )
        }
        databases["default"]["CONN_HEALTH_CHECKS"] = True
        if databases["default"]["ENGINE"] == "django.db.backends.postgresql":
            # Django's, with cheaper health checks and timestamps (its docstring).
            databases["default"]["ENGINE"] = "tracker.postgresql"
            # Parameters bound by the server, so psycopg prepares a statement run
            # five times on a connection and PostgreSQL stops parsing it anew
            # for every API page. Off behind a pooler in transaction mode
            # (prepared statements are per server connection).
            #
            # Plans stay custom: after five runs of a prepared statement
            # PostgreSQL may switch to one generic plan for all values, and for
            # a list filtered by platform, country and dates that plan walks
            # a whole platform's events (45 ms instead of 2.5 ms at a million
            # events). A custom plan costs a fraction of a millisecond.
            if env_bool("DB_SERVER_SIDE_BINDING", True):
                databases["default"]["OPTIONS"] = {
                    "server_side_binding": True,
                    "prepare_threshold": 5,
                    "options": "-c plan_cache_mode=force_custom_plan",
                }
    else:
        var_dir.mkdir(parents=True, exist_ok=True)
        databases = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": var_dir / "tracker.sqlite3",
                "OPTIONS": {
                    "timeout": 30,
                    "transaction_mode": "IMMEDIATE",
                    "init_command": (
                        "PRAGMA journal_mode=WAL;"
                        "PRAGMA synchronous=NORMAL;"
                        "PRAGMA busy_timeout=30000;"
                    ),
                },
            }
        }
    if databases["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not :memory:, so a real Celery worker process can share the
        # test database; the pid keeps parallel runs apart.
        databases["default"]["TEST"] = {
            "NAME": str(
                Path(tempfile.gettempdir()) / f"tracker-test-{os.getpid()}.sqlite3"
            )
        }
    else:
        # Parallel test runs on one server must not drop each other's database.
        databases["default"]["TEST"] = {
            "NAME": f"test_{databases['default']['NAME']}_{os.getpid()}"
        }
    return databases
