"""Ingestion throughput: items per second through the whole pipeline (parse,
extract, deduplicate, store) next to the parser alone, on the same real feeds
from ../shared/corpus/feeds, in the same run. Target: pipeline ≥ 0.5× parser."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.procs import fresh_database_env, measure
from tracker.corpus import corpus_dir

CORPUS = corpus_dir()
ROUNDS = 3  # each document is ingested this many times, as separate feeds

CHILD = r"""
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from events.ingest.fetch import Fetched
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from events.models import Feed
from events.services.feeds import feed_fetch, feed_items_process

paths = [Path(p) for p in json.loads(sys.argv[1])]
rounds = int(sys.argv[2])
bodies = [(p, p.read_bytes()) for p in paths]

def parse_all():
    n = 0
    for _ in range(rounds):
        for _, body in bodies:
            try:
                n += len(parse_document(body).items)
            except ParseError:
                pass
    return n

start = time.perf_counter(); parsed = parse_all(); parse_s = time.perf_counter() - start

def loader_for(body):
    return lambda feed: Fetched(200, body, "", "", "", feed.url)

start = time.perf_counter(); stored = 0
for r in range(rounds):
    for path, body in bodies:
        feed = Feed.objects.create(name=path.name, url=f"https://bench.invalid/{r}/{path.name}")
        try:
            stored += feed_fetch(feed_id=feed.pk, loader=loader_for(body)).items_new
        except Exception:
            continue
        feed_items_process(feed_id=feed.pk)
pipe_s = time.perf_counter() - start
result = dict(parsed=parsed, parse_s=parse_s, stored=stored, pipe_s=pipe_s)
print(json.dumps(result))
"""


def run() -> str:
    paths = sorted(
        str(p) for p in (CORPUS / "feeds").iterdir() if p.name != "MANIFEST.tsv"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_database_env(Path(tmp), "tracker_bench_ingest")
        env["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
        result = measure(
            [sys.executable, "-c", CHILD, json.dumps(paths), str(ROUNDS)], env
        )
    data = json.loads(result.output.strip().splitlines()[-1])
    parse_rate = data["parsed"] / data["parse_s"]
    pipe_rate = data["stored"] / data["pipe_s"]
    ratio = pipe_rate / parse_rate
    verdict = "meets" if ratio >= 0.5 else "MISSES"
    return "\n".join(
        [
            "## Ingestion throughput",
            "",
            f"{len(paths)} real feed documents from `shared/corpus/feeds`, "
            f"{ROUNDS} rounds (each round as new feeds, so every item is new).",
            "",
            "| stage | items | seconds | items/s |",
            "| --- | ---: | ---: | ---: |",
            f"| parser alone (baseline) | {data['parsed']:,} | "
            f"{data['parse_s']:.2f} | {parse_rate:,.0f} |",
            f"| whole pipeline (parse, extract, dedup, store) | {data['stored']:,} | "
            f"{data['pipe_s']:.2f} | {pipe_rate:,.0f} |",
            "",
            f"Pipeline / parser = **{ratio:.2f}** ({verdict} the ≥ 0.5 target).",
        ]
    )
