"""Start a real Celery worker process on the configured broker (Redis on CI,
the filesystem transport locally), reading and writing the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parent.parent


def current_database_url() -> str:
    """A DATABASE_URL naming the database the tests are using right now."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@contextmanager
def celery_worker(
    log_path: Path, *, queue: str | None = None, env: dict[str, str] | None = None
) -> Iterator[Worker]:
    """Run a worker consuming a queue of its own (so no other worker on the same
    broker can take the test's messages), which is also the queue of every task
    it sends."""
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **(env or {}),
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield Worker(queue=queue, process=process)
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(predicate: Callable[[], bool], *, seconds: float, log_path: Path) -> None:
    """Poll until `predicate()` holds; fail with the worker's log otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(
        f"condition not met within {seconds}s; worker log:\n{log_path.read_text()}"
    )
