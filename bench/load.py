"""Load test: wrk against gunicorn on 127.0.0.1 — the API's event list, event
detail and search, the public timeline and event pages — for 60 s at 32
concurrent connections, while a Celery worker imports feeds. Zero errors
expected. The baseline is /livez (one SELECT 1) under the same load."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.gen_events import write_jsonl
from bench.procs import REPO, fresh_database_env, measure
from tracker.corpus import corpus_dir

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "32"))
EVENTS = int(os.environ.get("BENCH_LOAD_EVENTS", "20000"))
CORPUS_FEEDS = corpus_dir() / "feeds"

LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("P95: %%.2fms\\n", latency:percentile(95) / 1000))
end
"""

FEEDER = r"""
import sys, time
import django
django.setup()
from events.models import Feed
from events.tasks import dispatch_due_feeds
base, until = sys.argv[1], time.time() + float(sys.argv[2])
names = sys.argv[3:]
for i, name in enumerate(names):
    Feed.objects.get_or_create(url=f"{base}/{name}?r={i}", defaults={"name": name})
while time.time() < until:
    Feed.objects.update(next_due_at=None)
    dispatch_due_feeds.delay()
    time.sleep(5)
"""


LATEST_IDS = (
    "from events.models import Event; print(','.join(str(u) for u in "
    "Event.objects.published().order_by('-date')"
    ".values_list('public_id', flat=True)[:50]))"
)
ITEM_COUNT = "from events.models import FeedItem; print(FeedItem.objects.count())"


def _shell(env: dict[str, str], code: str) -> str:
    argv = [sys.executable, "manage.py", "shell", "-c", code]
    return measure(argv, env).output.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _process(
    argv: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_http(url: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def _wrk(url: str, paths: list[str], tmp: Path, seconds: int) -> dict:
    script = tmp / "paths.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(
        [
            "wrk",
            "-t4",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def grab(pattern: str) -> str:
        m = re.search(pattern, out)
        return m.group(1) if m else "0"

    non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)"))
    sock = sum(
        int(x)
        for x in re.findall(
            r"(?:connect|read|write|timeout) (\d+)",
            grab(r"Socket errors: ([^\n]+)") or "",
        )
    )
    return {
        "rps": float(grab(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(grab(r"(\d+) requests in")),
        "p50": grab(r"50%\s+(\S+)"),
        "p95": grab(r"P95: (\S+)"),
        "p99": grab(r"99%\s+(\S+)"),
        "errors": non2xx + sock,
    }


def run() -> str:
    if shutil.which("wrk") is None:
        raise RuntimeError("bench load needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        env = fresh_database_env(tmp, "tracker_bench_load")
        env.update(
            DJANGO_SETTINGS_MODULE="tracker.settings",
            API_ANON_RATE="100000000/min",
            API_USER_RATE="100000000/min",
            FEED_FETCH_ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL="WARNING",
            CELERY_BROKER_DIR=str(tmp / "broker"),
        )
        py = sys.executable
        measure([py, "manage.py", "migrate", "-v0"], env)
        data = write_jsonl(tmp / "events.jsonl", EVENTS)
        # The rows are published: an editor (here a superuser) imports them.
        admin = ["--username", "bench", "--email", "bench@example.org"]
        measure([py, "manage.py", "createsuperuser", "--noinput", *admin], env)
        importing = ["--no-progress", "--user", "bench"]
        measure([py, "manage.py", "import_events", str(data), *importing], env)
        measure([py, "manage.py", "load_demo"], env)
        ids = _shell(env, LATEST_IDS).split(",")
        feeds_port, web_port = _free_port(), _free_port()
        log = tmp / "procs.log"
        stack.enter_context(
            _process(
                [
                    py,
                    "-m",
                    "http.server",
                    str(feeds_port),
                    "--bind",
                    "127.0.0.1",
                    "--directory",
                    str(CORPUS_FEEDS),
                ],
                env,
                log,
            )
        )
        stack.enter_context(
            _process(
                [
                    str(Path(py).parent / "gunicorn"),
                    "tracker.wsgi:application",
                    "-b",
                    f"127.0.0.1:{web_port}",
                    "--workers",
                    "3",
                    "--threads",
                    "4",
                ],
                env,
                log,
            )
        )
        stack.enter_context(
            _process(
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "tracker",
                    "worker",
                    "--concurrency=1",
                    "--loglevel=WARNING",
                ],
                env,
                log,
            )
        )
        base = f"http://127.0.0.1:{web_port}"
        _wait_http(base + "/livez")
        names = sorted(
            p.name
            for p in CORPUS_FEEDS.iterdir()
            if p.suffix in {".xml", ".atom", ".json", ".rdf"}
        )
        stack.enter_context(
            _process(
                [
                    py,
                    "-c",
                    FEEDER,
                    f"http://127.0.0.1:{feeds_port}",
                    str(SECONDS * 2 + 30),
                    *names,
                ],
                env,
                log,
            )
        )
        mixed = ["/api/v1/events/", "/", "/?q=blocked", "/api/v1/events/?q=account"]
        mixed += [f"/api/v1/events/{i}/" for i in ids[:10]] + [
            f"/events/{i}/" for i in ids[:10]
        ]
        baseline = _wrk(base, ["/livez"], tmp, max(10, SECONDS // 3))
        loaded = _wrk(base, mixed, tmp, SECONDS)
        items = _shell(env, ITEM_COUNT)
    rows = [
        ("/livez (baseline: one SELECT 1)", baseline),
        ("mixed: API list, detail, search; timeline, search, event pages", loaded),
    ]
    lines = [
        "## Load (wrk against gunicorn, 3 workers × 4 threads)",
        "",
        f"{CONNECTIONS} connections for {SECONDS} s on 127.0.0.1 with {EVENTS:,} "
        "published events, while a Celery worker imported feeds "
        f"({items} feed items stored during the run).",
        "",
        "| target | requests | req/s | p50 | p95 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in rows:
        cells = [f"{r['requests']:,}", f"{r['rps']:,.0f}", r["p50"], r["p95"]]
        cells += [r["p99"], str(r["errors"])]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
