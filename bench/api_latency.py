"""API latency and export throughput at scale, next to raw SQL in the same run.

Loads BENCH_API_ROWS (default 1,000,000) published events into a fresh
PostgreSQL database, serves the API with gunicorn and, beside it, a minimal
raw-SQL + orjson WSGI app over the same database (bench/raw_api.py), and times
the same reads on both: p50/p95 of BENCH_API_REQUESTS sequential requests per
scenario, interleaved. Then streams the whole record as CSV from the API and
compares the rate with PostgreSQL's own COPY … TO STDOUT, and reads the API
worker's peak RSS. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.procs import REPO, fresh_database_env, measure

ROWS = int(os.environ.get("BENCH_API_ROWS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "200"))
STATS_REQUESTS = max(5, REQUESTS // 10)
# 10,000 pages of 50 deep, or half-way through a smaller record.
DEEP_PAGES = min(10_000, ROWS // 100)
TIMEOUT = 600.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(app: str, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
        ],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{app} did not start")


def _get(port: int, path: str) -> tuple[float, int, int]:
    """(seconds, status, bytes) of one GET, body read in full."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    conn.request("GET", path)
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
    conn.close()
    return time.perf_counter() - started, response.status, size


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        int(len(ordered) * 0.95) - 1
    ] * 1000


def _compare(
    api: int, raw: int, api_path: str, raw_path: str, count: int
) -> list[float]:
    for _ in range(5):  # warm up connections, caches and plans
        _get(api, api_path)
        _get(raw, raw_path)
    api_times, raw_times = [], []
    for _ in range(count):
        seconds, status, _size = _get(api, api_path)
        if status != 200:
            raise RuntimeError(f"{api_path}: HTTP {status}")
        api_times.append(seconds)
        raw_times.append(_get(raw, raw_path)[0])
    return [*_percentiles(api_times), *_percentiles(raw_times)]


def _worker_peak_rss_mb(master: subprocess.Popen) -> float:
    children = (
        Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    )
    status = Path(f"/proc/{children[0]}/status").read_text()
    peak_kb = next(
        line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")
    )
    return int(peak_kb) / 1024


def _copy_rate(url: str, query: str, options: str = "") -> tuple[float, int]:
    started = time.perf_counter()
    copy = f"COPY ({query}) TO STDOUT (FORMAT csv{options})"
    process = subprocess.Popen(
        ["psql", url, "-X", "-q", "-c", copy],
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    size = 0
    while chunk := process.stdout.read(1 << 20):
        size += len(chunk)
    if process.wait() != 0:
        raise RuntimeError("psql COPY failed")
    return time.perf_counter() - started, size


def run() -> str:
    if not os.environ.get("DATABASE_URL"):
        return (
            "## API latency and exports\n\nNot run: this benchmark needs PostgreSQL "
            "(set DATABASE_URL); the SQLite default is for one machine only."
        )
    from bench.api_data import cursor_at, load

    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_database_env(Path(tmp), "tracker_bench_api")
        env |= {
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "API_ANON_RATE": "100000000/min",
            "DB_CONN_MAX_AGE": "600",
        }
        measure([sys.executable, "manage.py", "migrate", "-v0"], env)
        loaded = load(env["DATABASE_URL"], ROWS)
        deep_key, deep_cursor = cursor_at(env["DATABASE_URL"], DEEP_PAGES * 50)
        api, api_port = _serve("tracker.wsgi:application", env)
        raw, raw_port = _serve("bench.raw_api:app", env)
        try:
            return _report(
                env["DATABASE_URL"],
                api,
                (api_port, raw_port),
                loaded,
                (deep_key, deep_cursor),
            )
        finally:
            for process in (api, raw):
                process.terminate()
                process.wait(timeout=30)


Q = "%D1%80%D0%BE%D1%81%D0%BA%D0%BE%D0%BC%D0%BD%D0%B0%D0%B4%D0%B7%D0%BE%D1%80"
FILTERED = "platform=telegram&country=RU&date_after=2018-01&date_before=2019-06"
RAW_FILTERED = "platform=telegram&country=RU&after=2018-01-01&before=2019-06-30"


def _scenarios(deep_key: str, deep_cursor: str) -> list[tuple[str, str, str, int]]:
    """(label, API path, baseline path, requests): the same read on both."""
    return [
        ("newest page", "/api/v1/events/", "/events", REQUESTS),
        (
            "platform + country + date range",
            f"/api/v1/events/?{FILTERED}",
            f"/events?{RAW_FILTERED}",
            REQUESTS,
        ),
        (
            "text search (q=роскомнадзор)",
            f"/api/v1/events/?q={Q}",
            f"/events?q={Q}",
            REQUESTS,
        ),
        (
            f"page {DEEP_PAGES:,} deep",
            f"/api/v1/events/?cursor={deep_cursor}",
            f"/events?key={deep_key}",
            REQUESTS,
        ),
        ("stats by month", "/api/v1/stats/?group_by=month", "/stats", STATS_REQUESTS),
    ]


def _report(
    url: str,
    api: subprocess.Popen,
    ports: tuple[int, int],
    loaded: float,
    deep: tuple[str, str],
) -> str:
    lines = [
        "## API latency and exports",
        "",
        f"{ROWS:,} published events (loaded in {loaded:,.0f} s), PostgreSQL, one "
        "gunicorn sync worker each for the API and for the baseline (raw SQL + "
        "orjson, bench/raw_api.py), requests interleaved, pages of 50, every "
        "statement planned for its values on both (plan_cache_mode="
        "force_custom_plan); the API's rate limits counted in "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'process memory'}.",
        "",
        "| scenario | requests | API p50 ms | API p95 ms | raw p50 ms | raw p95 ms "
        "| API/raw p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    paths = {}
    for label, api_path, raw_path, count in _scenarios(*deep):
        a50, a95, r50, r95 = _compare(*ports, api_path, raw_path, count)
        paths[label] = api_path
        lines.append(
            f"| {label} | {count} | {a50:.1f} | {a95:.1f} | {r50:.1f} | {r95:.1f} "
            f"| {a50 / r50:.2f}× |"
        )
    # The two pages of the API interleaved, as the API and the baseline above:
    # scenarios run one after another meet different loads on a shared machine.
    deep_path = paths[f"page {DEEP_PAGES:,} deep"]
    first, _, deepest, _ = _compare(
        ports[0], ports[0], paths["newest page"], deep_path, REQUESTS
    )
    lines += [
        "",
        f"Deep page / first page (API p50, {REQUESTS} of each, interleaved): "
        f"{deepest:.1f} / {first:.1f} ms = **{deepest / first:.2f}×** (target ≤ "
        "1.2×; targets above: API/raw ≤ 1.5×).",
        "",
    ]
    lines += _export_rows(url, api, ports[0])
    return "\n".join(lines)


def _export_rows(url: str, api: subprocess.Popen, api_port: int) -> list[str]:
    from bench.api_data import export_query

    table_s, table_bytes = _copy_rate(url, "SELECT * FROM events_event")
    ordered_s, ordered_bytes = _copy_rate(
        url,
        "SELECT * FROM events_event WHERE status = 'published' "
        "ORDER BY date DESC, id DESC",
    )
    # The API's own statement: every cell quoted, as the API writes it.
    query = export_query({"DATABASE_URL": url})
    query_s, query_bytes = _copy_rate(url, query, ", FORCE_QUOTE *")
    api_s, status, api_bytes = _get(api_port, "/api/v1/events/?format=csv")
    if status != 200:
        raise RuntimeError(f"CSV export: HTTP {status}")
    rss = _worker_peak_rss_mb(api)
    rows = [
        ("psql COPY events_event (the table as stored)", table_s, table_bytes),
        (
            "psql COPY events_event newest first (the export's order)",
            ordered_s,
            ordered_bytes,
        ),
        ("psql COPY (the API's export query)", query_s, query_bytes),
        ("API GET /api/v1/events/?format=csv (streamed over HTTP)", api_s, api_bytes),
    ]
    lines = [
        "| CSV export of every event | seconds | rows/s | MB/s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, seconds, size in rows:
        lines.append(
            f"| {label} | {seconds:,.1f} | {ROWS / seconds:,.0f} "
            f"| {size / seconds / 1e6:,.1f} |"
        )
    lines += [
        "",
        "API export rate (rows/s) / COPY of the table newest first: "
        f"**{ordered_s / api_s:.0%}** (target ≥ 50%); / COPY of the API's own "
        f"query: **{query_s / api_s:.0%}**; / COPY of the table as stored: "
        f"**{table_s / api_s:.0%}**. Peak RSS of the API's gunicorn worker after "
        f"every request above: **{rss:,.0f} MB** (target < 300 MB).",
        "",
        "The export is judged against PostgreSQL's COPY of the same rows in the "
        "same order: the table newest first, as the export (and the list) gives "
        "them. Reading a table in an index's order visits its pages in that "
        "order, not as stored; COPY of the table as stored, with no order, is "
        "reported beside it and bounds what reading the events costs at all. "
        "The export's own query adds the joins to platforms and authorities and "
        "dates written at their precision; each event's sources come from "
        "columns the events keep (migration 0015). The API's export is that "
        "query's COPY, streamed over HTTP.",
    ]
    return lines
