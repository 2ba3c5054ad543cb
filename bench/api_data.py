"""A large synthetic published record, loaded by SQL (seconds, not hours), for
bench/api_latency.py. Deterministic: the same rows every run."""

from __future__ import annotations

import time

import psycopg

# Sixteen notices in four scripts; one in sixteen events names Roskomnadzor.
NOTICES = [
    ("The account is currently blocked, and content is not available.", "en"),
    (
        "This account has been withheld in your country in response to a legal demand.",
        "en",
    ),
    ("Доступ к ресурсу ограничен на основании Федерального закона.", "ru"),
    ("Доступ ограничен по требованию Роскомнадзора.", "ru"),
    ("该账号因违反相关法律法规，已被屏蔽。", "zh"),
    ("根据相关法律法规和政策，该内容无法显示。", "zh"),
    ("دسترسی به این وب‌سایت امکان‌پذیر نمی‌باشد", "fa"),
    ("This channel can't be displayed because it violated local laws.", "en"),
    ("Video unavailable in your country.", "en"),
    ("Страница заблокирована.", "ru"),
    ("此内容因违反相关规定已被删除。", "zh"),
    ("", ""),
    ("The site has been blocked by order of the court.", "en"),
    ("Content removed following a government request.", "en"),
    ("Ресурс внесён в единый реестр запрещённой информации.", "ru"),
    ("", ""),
]
PLATFORMS = ["wechat", "telegram", "wikipedia", "x", "facebook", "youtube", "tiktok"]
COUNTRIES = ["CN", "RU", "IR", "TR", "IN", "PK", "EG", "BR", "VN", "ET"]
ACTIONS = ["blocked", "suspended", "withheld_in_country", "throttled", "removed"]

INSERT_EVENTS = """
INSERT INTO events_event (public_id, platform_id, target, target_type, target_url,
  authority_id, country, action, date, date_precision, ended_on,
  ended_on_precision, notice_text, notice_language, summary, extraction, status,
  created_at, updated_at, published_at, notice_match)
SELECT gen_random_uuid(),
  (%(platforms)s::bigint[])[1 + n %% 7],
  'Account number ' || n, 'account', '',
  CASE WHEN n %% 5 = 0 THEN NULL
       ELSE (%(authorities)s::bigint[])
            [1 + n %% cardinality(%(authorities)s::bigint[])] END,
  (%(countries)s::text[])[1 + (n / 7) %% 10],
  (%(actions)s::text[])[1 + (n / 3) %% 5],
  CASE n %% 5 WHEN 3 THEN date_trunc('month', day)::date
              WHEN 4 THEN date_trunc('year', day)::date ELSE day END,
  CASE n %% 5 WHEN 3 THEN 'month' WHEN 4 THEN 'year' ELSE 'day' END,
  CASE WHEN n %% 10 < 3 AND n %% 5 < 3 THEN day + 30 END, 'day',
  (%(notices)s::text[])[1 + (n * 31) %% 16],
  (%(languages)s::text[])[1 + (n * 31) %% 16],
  'Synthetic benchmark event ' || n || '.', '{}', 'published',
  stamp, stamp, stamp, ''
FROM (
  SELECT n, date '2010-01-01' + ((n::bigint * 7919) %% 5840)::int AS day,
         now() - make_interval(secs => %(rows)s - n) AS stamp
  FROM generate_series(1, %(rows)s) AS n
) AS generated"""
INSERT_SOURCES = """
INSERT INTO events_source (event_id, url, title, publisher, published_at, archive_url)
SELECT id, 'https://news.example.org/' || id, 'Story ' || id, 'Example News',
       published_at, '' FROM events_event"""
TRIGRAM = (
    "CREATE INDEX event_search_trgm ON events_event USING gin "
    "((target || ' ' || notice_text || ' ' || summary) gin_trgm_ops)"
)
# The SQL that the API's CSV export hands to COPY (events.selectors.csv_copy),
# printed by the app itself, so that COPY's own rate is measured on the query
# the API runs, whatever it becomes.
EXPORT_QUERY = """
import django
django.setup()
from events.selectors.api import ORDERINGS, visible_events
from events.selectors.csv_copy import _export_sql
queryset = visible_events(all_statuses=False).order_by(*ORDERINGS["-date"])
print(_export_sql(queryset, "http://127.0.0.1/api/v1/events/",
                  "http://127.0.0.1/events/", "/"))
"""


def export_query(env: dict[str, str]) -> str:
    """The SQL of the API's CSV export of every published event, newest first."""
    import os
    import subprocess
    import sys

    from bench.procs import REPO

    return subprocess.run(
        [sys.executable, "-c", EXPORT_QUERY],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def load(url: str, rows: int) -> float:
    """Insert `rows` published events with a source each; seconds taken."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        platforms = [
            conn.execute(
                "SELECT id FROM events_platform WHERE slug = %s", [slug]
            ).fetchone()[0]
            for slug in PLATFORMS
        ]
        authorities = [
            r[0] for r in conn.execute("SELECT id FROM events_authority ORDER BY id")
        ]
        conn.execute("DROP INDEX IF EXISTS event_search_trgm")
        conn.execute(
            INSERT_EVENTS,
            {
                "platforms": platforms,
                "authorities": authorities,
                "countries": COUNTRIES,
                "actions": ACTIONS,
                "notices": [text for text, _ in NOTICES],
                "languages": [language for _, language in NOTICES],
                "rows": rows,
            },
        )
        # The sources' trigger writes each event a second time, with its
        # sources' JSON (migration 0015); compact the table again, as after a
        # restore, so that both readers below meet the same tidy table.
        conn.execute(INSERT_SOURCES)
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("VACUUM (FULL) events_event")
        conn.execute(TRIGRAM)
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def cursor_at(url: str, position: int) -> tuple[str, str]:
    """The key ("date,id") of the event at `position` in the default order, and
    the API cursor of the page after it."""
    import datetime as dt

    from events.api.pagination import Cursor

    with psycopg.connect(url, autocommit=True) as conn:
        date, pk = conn.execute(
            "SELECT date, id FROM events_event WHERE status = 'published' "
            "ORDER BY date DESC, id DESC OFFSET %s LIMIT 1",
            [position - 1],
        ).fetchone()
    assert isinstance(date, dt.date)
    return f"{date.isoformat()},{pk}", Cursor("-date", date, pk).encode()
