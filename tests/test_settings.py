"""Production settings refuse to start when they would be unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-key-of-fifty-chars"


def start(**env: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "METRICS_TOKEN", "METRICS_PUBLIC"}
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(DJANGO_SETTINGS_MODULE="tracker.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


PROD = {"TRACKER_ENV": "production", "ALLOWED_HOSTS": "tracker.example.org"}
METRICS = {"METRICS_TOKEN": "m" * 32}


def test_production_starts_with_its_secrets():
    assert start(**PROD, **METRICS, SECRET_KEY=GOOD_KEY).returncode == 0


def test_production_serves_public_metrics_without_a_token_only_when_told():
    result = start(**PROD, SECRET_KEY=GOOD_KEY, METRICS_PUBLIC="1")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**PROD}, "SECRET_KEY"),
        ({**PROD, "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {**PROD, "SECRET_KEY": "dev-only-insecure-key-never-use-in-production"},
            "SECRET_KEY",
        ),
        ({**PROD, **METRICS, "SECRET_KEY": GOOD_KEY, "DEBUG": "1"}, "DEBUG"),
        (
            {**PROD, **METRICS, "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""},
            "ALLOWED_HOSTS",
        ),
        ({**PROD, "SECRET_KEY": GOOD_KEY}, "METRICS_TOKEN must be set"),
        (
            {**PROD, "SECRET_KEY": GOOD_KEY, "METRICS_TOKEN": "short"},
            "METRICS_TOKEN must be 20+",
        ),
        (
            {**PROD, **METRICS, "SECRET_KEY": GOOD_KEY, "FETCH_LOG_KEEP_DAYS": "0"},
            "FETCH_LOG_KEEP_DAYS",
        ),
        ({"TRACKER_ENV": "staging"}, "TRACKER_ENV"),
    ],
)
def test_production_refuses_to_start_unsafe(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
