"""/metrics adds up the requests of every gunicorn worker: the repository's
own gunicorn.conf.py, two workers, serving the test database."""

from __future__ import annotations

import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.faults.services import wait_until
from tests.faults.stack import Web, gunicorn, stack_env
from tests.worker import current_database_url

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-of-the-gunicorn-test"
UNKNOWN = "/api/v1/nosuch/"  # a JSON 404: no other request answers 404 here


def web_env(metrics_dir: Path) -> dict[str, str]:
    env = stack_env(
        database_url=current_database_url(),
        redis_url=os.environ.get("REDIS_URL", ""),
    )
    return {**env, "METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}


def access_log_options(path: Path) -> list[str]:
    """Log each request as "<worker pid> <path> <status>"."""
    return ["--access-logfile", str(path), "--access-logformat", "%(p)s %(U)s %(s)s"]


def both_workers_booted(log_path: Path) -> bool:
    return len(re.findall(r"Booting worker", log_path.read_text())) >= 2


def not_found_count(web: Web) -> float:
    """The request counter of GETs answered 404, as /metrics reports it."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = requests.get(web.url("/metrics"), headers=auth, timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "tracker_http_requests_total" and sample.labels == {
                "method": "GET",
                "status": "404",
            }:
                return sample.value
    return 0.0


def get_unknown(web: Web, times: int) -> None:
    """`times` requests at once from eight clients, so both workers serve."""

    def one(_: int) -> int:
        return requests.get(web.url(UNKNOWN), timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(one, range(times))) == {404}


def test_metrics_count_the_requests_of_every_worker(tmp_path):
    log, access = tmp_path / "web.log", tmp_path / "access.log"
    options = access_log_options(access)
    with gunicorn(web_env(tmp_path / "metrics"), log, extra=options) as web:
        wait_until(lambda: both_workers_booted(log), seconds=30, what="two workers")
        get_unknown(web, 40)
        counted = not_found_count(web)

    served = Counter(
        line.split()[0] for line in access.read_text().splitlines() if UNKNOWN in line
    )
    assert len(served) == 2, served  # each worker answered some
    assert counted == sum(served.values()) == 40


def test_metrics_start_from_zero_at_each_gunicorn_start(tmp_path):
    env = web_env(tmp_path / "metrics")
    with gunicorn(env, tmp_path / "first.log") as web:
        get_unknown(web, 5)
        assert not_found_count(web) == 5

    with gunicorn(env, tmp_path / "second.log") as web:
        get_unknown(web, 3)
        assert not_found_count(web) == 3
