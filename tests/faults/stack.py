"""The tracker's own processes for the fault tests (manage.py commands,
gunicorn, Celery beat, a Celery client), each pointed at the private services
of tests/faults/services.py through DATABASE_URL and REDIS_URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from celery import Celery

from tests.faults.services import free_port, wait_until

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
QUEUE = "celery"  # the private Redis serves this test alone


def stack_env(*, database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of every process of one test's stack."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CELERY_", "DATABASE_URL", "REDIS_URL"))
    }
    return {
        **inherited,
        "TRACKER_ENV": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "FEED_FETCH_ALLOWED_HOSTS": "127.0.0.1",
        "OTP_REQUIRED_FOR_EDITORS": "0",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    """Run a manage.py command; its stdout, or a failure with its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def shell(env: dict[str, str], code: str) -> str:
    """Run Python code in `manage.py shell`; what it printed."""
    return manage(env, "shell", "--no-imports", "-c", code)


def stop(process: subprocess.Popen, *, seconds: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def background(
    command: list[str], env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen]:
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            stop(process)


@dataclass
class Web:
    port: int
    log_path: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> requests.Response:
        return requests.get(self.url(path), timeout=10)

    def status(self, path: str) -> int | None:
        try:
            return self.get(path).status_code
        except requests.RequestException:
            return None


@contextmanager
def gunicorn(
    env: dict[str, str], log_path: Path, *, extra: Sequence[str] = ()
) -> Iterator[Web]:
    """Two gunicorn workers serving the tracker with the repository's own
    gunicorn.conf.py (and `extra` options), up once /livez answers."""
    web = Web(free_port(), log_path)
    command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"]
    command += ["tracker.wsgi:application"]
    command += ["-b", f"127.0.0.1:{web.port}", "--workers", "2"]
    command += ["--timeout", "30", "--graceful-timeout", "5", *extra]
    with background(command, env, log_path):
        wait_until(
            lambda: web.status("/livez") == 200, seconds=30, what="gunicorn serving"
        )
        yield web


@contextmanager
def celery_beat(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """`celery beat` with django-celery-beat's DatabaseScheduler (the
    settings' CELERY_BEAT_SCHEDULER), looking at its schedule every second."""
    command = [sys.executable, "-m", "celery", "-A", "tracker", "beat"]
    command += ["--loglevel=INFO", "--max-interval", "1"]
    with background(command, env, log_path) as process:
        yield process


@contextmanager
def celery_client(redis_url: str) -> Iterator[Celery]:
    """A Celery app of the test's own, sending to the private Redis."""
    app = Celery("fault-tests", broker=redis_url, set_as_current=False)
    app.conf.task_default_queue = QUEUE
    try:
        yield app
    finally:
        app.close()


def admin_login(web: Web, username: str, password: str) -> requests.Session:
    """A browser's session on the admin: the login form's CSRF cookie, then
    the credentials."""
    session = requests.Session()
    assert session.get(web.url("/admin/login/"), timeout=10).status_code == 200
    response = session.post(
        web.url("/admin/login/"),
        data={
            "username": username,
            "password": password,
            "next": "/admin/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=10,
    )
    assert response.url == web.url("/admin/"), response.text[:2000]
    return session


def admin_action(
    session: requests.Session,
    web: Web,
    model: str,
    action: str,
    ids: list[int],
    shown: str = "",
) -> requests.Response:
    """Run a changelist action on the selected rows; the page it leads to.
    `shown` is the changelist page the rows were picked on: the hidden
    fields it carries (the events' versions) are sent, as a browser would."""
    hidden = dict(
        re.findall(r'<input type="hidden" name="(version-\d+)" value="(\d+)"', shown)
    )
    return session.post(
        web.url(f"/admin/events/{model}/"),
        data={
            "action": action,
            "_selected_action": ids,
            "index": 0,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            **hidden,
        },
        timeout=30,
    )
