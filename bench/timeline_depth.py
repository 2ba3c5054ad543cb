"""Timeline depth: the public timeline's first page next to its 10,000th, with
1,000,000 published events. Keyset pagination should make them cost the same
(target: the deep page within 1.2x of the first). Baseline in the same run: the
same deep page fetched with LIMIT/OFFSET, which keyset pagination replaces.

    python -m bench timeline_depth                 # via the bench runner
    BENCH_TIMELINE_EVENTS=100000 python -m bench timeline_depth
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.gen_events import ACTIONS, COUNTRIES, NOTICES, PLATFORMS
from bench.procs import fresh_database_env, measure

EVENTS = int(os.environ.get("BENCH_TIMELINE_EVENTS", "1000000"))
DEEP_PAGE = 10_000
REQUESTS = int(os.environ.get("BENCH_TIMELINE_REQUESTS", "15"))
BATCH = 50_000
COLUMNS = (
    "public_id, platform_id, authority_id, target, target_type, target_url, "
    "country, action, date, date_precision, ended_on, ended_on_precision, "
    "notice_text, notice_language, summary, extraction, status, created_at, "
    "updated_at, published_at"
)


def _rows(
    count: int, platforms: list[int], authorities: list[int | None]
) -> Iterator[tuple]:
    """Rows for the SQLite loader, a fifth of them without authority."""
    from django.db import connection

    rng = random.Random(7)
    now = connection.ops.adapt_datetimefield_value(
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    for n in range(count):
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))
        precision = rng.choice(["day", "day", "day", "month", "year"])
        if precision == "month":
            day = day.replace(day=1)
        elif precision == "year":
            day = day.replace(month=1, day=1)
        yield (
            uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            rng.choice(platforms),
            rng.choice(authorities) if rng.random() < 0.8 else None,
            f"Account number {n}",
            "account",
            "",
            rng.choice(COUNTRIES),
            rng.choice(ACTIONS),
            day.isoformat(),
            precision,
            None,
            "day",
            rng.choice(NOTICES),
            "",
            f"Synthetic benchmark event {n}.",
            "{}",
            "published",
            now,
            now,
            now,
        )


# PostgreSQL builds the rows itself: pseudo-random dates from 2010 on, one in
# five at month and one in five at year precision, a fifth without authority.
GENERATE = f"""
INSERT INTO events_event ({COLUMNS})
SELECT md5(g.i::text)::uuid, (%(platforms)s::bigint[])[1 + g.i %% %(n_platforms)s],
  CASE WHEN g.i %% 5 = 0 THEN NULL
       ELSE (%(authorities)s::bigint[])[1 + g.i %% %(n_authorities)s] END,
  'Account number ' || g.i, 'account', '',
  (%(countries)s::text[])[1 + (g.i * 7) %% %(n_countries)s],
  (%(actions)s::text[])[1 + (g.i * 13) %% %(n_actions)s],
  CASE x.p WHEN 'month' THEN date_trunc('month', x.d)::date
           WHEN 'year' THEN date_trunc('year', x.d)::date ELSE x.d END,
  x.p, NULL, 'day', (%(notices)s::text[])[1 + g.i %% %(n_notices)s], '',
  'Synthetic benchmark event ' || g.i, '{{}}', 'published', now(), now(), now()
FROM generate_series(1, %(count)s) AS g(i)
CROSS JOIN LATERAL (
  SELECT DATE '2010-01-01' + ((g.i::bigint * 7919) %% 5840)::int AS d,
         (ARRAY['day', 'day', 'day', 'month', 'year'])[1 + g.i %% 5] AS p
) AS x
"""  # noqa: S608 - constant columns


def _load_postgresql(
    count: int, platforms: list[int], authorities: list[int | None]
) -> None:
    from django.db import connection

    values: dict[str, object] = {"count": count}
    lists = {
        "platforms": platforms,
        "authorities": authorities,
        "countries": COUNTRIES,
        "actions": ACTIONS,
        "notices": NOTICES,
    }
    for name, items in lists.items():
        values[name] = list(items)
        values[f"n_{name}"] = len(items)
    with connection.cursor() as cursor:
        cursor.execute(GENERATE, values)


def _load_sqlite(
    count: int, platforms: list[int], authorities: list[int | None]
) -> None:
    from django.db import connection, transaction

    sql = (
        f"INSERT INTO events_event ({COLUMNS}) "  # noqa: S608 - constant columns
        f"VALUES ({', '.join(['%s'] * len(COLUMNS.split(',')))})"
    )
    rows = _rows(count, platforms, authorities)
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)


def load(count: int) -> None:
    """Insert `count` published events without the ORM: INSERT … SELECT over
    generate_series on PostgreSQL, executemany in big batches on SQLite."""
    from django.db import connection

    from events.models import Authority, Platform

    platforms = [
        Platform.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0].pk
        for name in PLATFORMS
    ]
    authorities = list(Authority.objects.values_list("pk", flat=True)[:50]) or [None]
    if connection.vendor == "postgresql":
        _load_postgresql(count, platforms, authorities)
    else:
        _load_sqlite(count, platforms, authorities)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _p50s(first: Callable[[], object], deep: Callable[[], object]) -> list[float]:
    """p50 milliseconds of both actions, run alternately so that a busy machine
    weighs on both alike; each is run once first to warm caches."""
    first(), deep()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(REQUESTS):
        samples[0].append(_ms(first))
        samples[1].append(_ms(deep))
    return [statistics.median(series) for series in samples]


def time_pages() -> dict[str, float | str]:
    """p50 milliseconds of the first and the 10,000th page, whole requests and
    the page query alone, and the OFFSET baseline."""
    from django.core.cache import cache
    from django.test import Client

    from events.models import Event
    from events.selectors.keyset import Cursor, keyset_page
    from events.views.timeline import PAGE_SIZE

    events = Event.objects.published()
    newest_first = events.order_by("-date", "-id")
    # A scaled-down record has fewer pages: then its last page is the deep one.
    deep_page = min(DEEP_PAGE, events.count() // PAGE_SIZE)
    skip = (deep_page - 1) * PAGE_SIZE
    last_of_previous = newest_first[skip - 1]
    cursor = Cursor.of(last_of_previous)
    client = Client()

    def get(path: str) -> None:
        assert client.get(path).status_code == 200

    def get_cold(path: str) -> None:
        cache.clear()  # as after any change to the record (a local cache: see run())
        get(path)

    deep = f"/?before={cursor}"
    timings: dict[str, float | str] = {
        "cursor": str(cursor),
        "deep_page": deep_page,
        "page_size": PAGE_SIZE,
    }
    pairs = {
        "request": (lambda: get("/"), lambda: get(deep)),
        "cold": (lambda: get_cold("/"), lambda: get_cold(deep)),
        "query": (
            lambda: keyset_page(events, size=PAGE_SIZE),
            lambda: keyset_page(events, size=PAGE_SIZE, before=cursor),
        ),
        "offset": (
            lambda: keyset_page(events, size=PAGE_SIZE),
            lambda: list(newest_first[skip : skip + PAGE_SIZE + 1]),
        ),
    }
    for name, (first, deeper) in pairs.items():
        timings[f"first_{name}"], timings[f"deep_{name}"] = _p50s(first, deeper)
    return timings


def _table(timings: dict, load_seconds: float) -> str:
    ratio = timings["deep_request"] / timings["first_request"]
    page_ratio = timings["deep_query"] / timings["first_query"]
    lines = [
        "## Timeline depth (keyset pagination)",
        "",
        f"{EVENTS:,} published events (loaded in {load_seconds:,.0f} s); pages of "
        f"{timings['page_size']}; page {timings['deep_page']:,} starts after cursor "
        f"`{timings['cursor']}`. p50 of {REQUESTS} runs each, first and deep "
        "alternately, Django test client "
        "(whole request: middleware, queries, template). Counts, the chart and the "
        "filter choices are cached per version of the record.",
        "",
        f"| what | first page (ms) | page {timings['deep_page']:,} (ms) "
        "| deep / first |",
        "| --- | ---: | ---: | ---: |",
        f"| GET / (whole page) | {timings['first_request']:,.1f} | "
        f"{timings['deep_request']:,.1f} | {ratio:.2f}x |",
        f"| GET /, counts not cached (first view after a change) | "
        f"{timings['first_cold']:,.1f} | {timings['deep_cold']:,.1f} | "
        f"{timings['deep_cold'] / timings['first_cold']:.2f}x |",
        f"| page query alone, keyset | {timings['first_query']:,.1f} | "
        f"{timings['deep_query']:,.1f} | {page_ratio:.2f}x |",
        f"| page query alone, OFFSET (baseline) | {timings['first_offset']:,.1f} | "
        f"{timings['deep_offset']:,.1f} | "
        f"{timings['deep_offset'] / timings['first_offset']:.2f}x |",
        "",
        f"Target: page {timings['deep_page']:,} within 1.2x of the first: "
        f"**{'met' if ratio <= 1.2 else 'missed'}** ({ratio:.2f}x).",
    ]
    return "\n".join(lines)


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        env = fresh_database_env(Path(tmp_name), "tracker_bench_timeline")
        # A process-local cache: clearing it must not touch a shared Redis.
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tracker.settings",
                "DEBUG": "0",
                "REDIS_URL": "",
            }
        )
        py = sys.executable
        measure([py, "manage.py", "migrate", "-v0"], env)
        loaded = measure([py, "-m", "bench.timeline_depth", "load", str(EVENTS)], env)
        timed = measure([py, "-m", "bench.timeline_depth", "time"], env)
    timings = json.loads(timed.output.strip().splitlines()[-1])
    return _table(timings, loaded.seconds)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    if sys.argv[1] == "load":
        load(int(sys.argv[2]))
    else:
        print(json.dumps(time_pages()))
