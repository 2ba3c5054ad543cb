"""Bulk import: rows per second and peak memory of `import_events` on a large
file, next to a baseline that only reads and parses the same file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.gen_events import write_jsonl
from bench.procs import fresh_database_env, measure

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
PARSE_ONLY = """
import sys
from events.interchange import parse_row
from events.interchange_files import read_rows
n = 0
with open(sys.argv[1], "rb") as f:
    for line, raw in read_rows(f, "jsonl"):
        parse_row(line, raw)
        n += 1
print(n)
"""


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = write_jsonl(tmp / "events.jsonl", ROWS)
        size_mb = data.stat().st_size / 1024 / 1024
        env = fresh_database_env(tmp, "tracker_bench_import")
        env["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
        py = sys.executable
        measure([py, "manage.py", "migrate", "-v0"], env)
        parse = measure(
            [py, "-c", "import django; django.setup()\n" + PARSE_ONLY, str(data)], env
        )
        # The rows are published: an editor (here a superuser) imports them.
        admin = ["--username", "bench", "--email", "bench@example.org"]
        measure([py, "manage.py", "createsuperuser", "--noinput", *admin], env)
        importing = ["--no-progress", "--user", "bench"]
        imported = measure(
            [py, "manage.py", "import_events", str(data), *importing], env
        )
        again = measure([py, "manage.py", "import_events", str(data), *importing], env)
    rows = [
        ("read + parse only (baseline)", parse),
        ("import_events, empty database", imported),
        ("import_events again (all unchanged)", again),
    ]
    lines = [
        "## Bulk import (`import_events`)",
        "",
        f"{ROWS:,} JSON Lines rows ({size_mb:,.0f} MB), each with one source; "
        "history records and status changes written for every event.",
        "",
        "| run | seconds | rows/s | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, m in rows:
        rate = ROWS / m.seconds
        lines.append(
            f"| {label} | {m.seconds:,.1f} | {rate:,.0f} | {m.peak_rss_mb:,.0f} |"
        )
    lines += ["", f"Import output: `{imported.output.strip().splitlines()[-1]}`"]
    return "\n".join(lines)
