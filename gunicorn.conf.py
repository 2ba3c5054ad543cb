"""gunicorn's settings for the tracker (gunicorn reads this file from the
working directory; the Dockerfile and the tests name it with -c).

Request metrics are counted by each worker; prometheus-client's multiprocess
mode adds them up across workers at each scrape of /metrics. Each process
writes its counts to files in PROMETHEUS_MULTIPROC_DIR, which must be in the
environment before a worker imports prometheus_client: it is set here, in the
master, which the workers inherit it from. Unset, it is a fresh temporary
directory, removed when gunicorn exits; a configured one is emptied at start,
so that counts of an earlier run are not added to this one's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

wsgi_app = "tracker.wsgi:application"

# Marks a directory made here (this file is read again when gunicorn reloads).
_MADE_HERE = "TRACKER_METRICS_DIR_IS_TEMPORARY"
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="tracker-metrics-")
    os.environ[_MADE_HERE] = "1"
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server: Any) -> None:
    """Before any worker starts: an empty metrics directory."""
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    # Only prometheus-client's own files, should the directory hold others.
    for stale in METRICS_DIR.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker exited: its live gauges no longer count (its counters do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(METRICS_DIR))


def on_exit(server: Any) -> None:
    if os.environ.get(_MADE_HERE):
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
