"""Run a command in a subprocess and measure its wall time and peak RSS."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    output: str


def measure(argv: list[str], env: dict[str, str] | None = None) -> Measured:
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{argv} failed ({process.returncode}):\n{output[-3000:]}")
    return Measured(seconds, usage.ru_maxrss / 1024, output)


def fresh_database_env(tmp: Path, name: str) -> dict[str, str]:
    """Environment for a fresh, empty database of the configured kind."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {"TRACKER_VAR_DIR": str(tmp), "DATABASE_URL": ""}
    import psycopg

    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return {"DATABASE_URL": f"{base}/{name}"}
