"""Run benchmarks and write their results into docs/benchmarks.md.

    python -m bench                 # every benchmark
    python -m bench import_memory   # only the named ones

Each benchmark module has `section()` (or `run()`) returning a Markdown section that
measures the project side by side with a baseline in the same run. A section
replaces the previous one of the same name in docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = [
    "import_memory",
    "ingest_throughput",
    "extraction_quality",
    "load",
    "timeline_depth",
    "api_latency",
]
DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Written by `make bench` (`python -m bench`); each section below is replaced when
its benchmark runs again. Every figure is measured next to a baseline in the same
run on the same machine; numbers from different machines are not comparable.
"""


def _machine() -> str:
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}, "
        f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}"
    )


def _replace(doc: str, name: str, section: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        f"<!-- bench:{name} -->\n{section.strip()}\n\n"
        f"_Measured {stamp} on {_machine()}._\n<!-- /bench:{name} -->"
    )
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    if pattern.search(doc):
        return pattern.sub(lambda _: block, doc)
    return doc.rstrip() + "\n\n" + block + "\n"


def main(names: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; known: {BENCHMARKS}")
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        # A module may keep run() for data and give its Markdown via section().
        section = getattr(module, "section", module.run)()
        print(section, flush=True)
        doc = _replace(doc, name, section)
        DOC.write_text(doc, encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main(sys.argv[1:])
