"""The baseline of bench/api_latency.py: the same reads as the API in raw SQL,
serialized with orjson, as a bare WSGI app (no Django, no DRF).

    DATABASE_URL=postgres://… gunicorn bench.raw_api:app

GET /events?[platform=slug][&country=CC][&after=YYYY-MM-DD&before=YYYY-MM-DD]
    [&q=term][&key=YYYY-MM-DD,id]   one page of 50, newest first, like the API
GET /stats?group_by=month          counts by month (year-precision under YYYY)
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any
from urllib.parse import parse_qs

import orjson
import psycopg

PAGE = 50
_conn: psycopg.Connection | None = None
SELECT = """
SELECT e.id, e.public_id, e.status, p.slug, p.name, e.target, e.target_type,
       e.target_url, a.slug, a.name, a.country, e.country, e.action, e.date,
       e.date_precision, e.ended_on, e.ended_on_precision, e.notice_text,
       e.notice_language, e.summary, e.published_at, e.updated_at
FROM events_event e JOIN events_platform p ON p.id = e.platform_id
LEFT JOIN events_authority a ON a.id = e.authority_id
WHERE e.status = 'published' {where}
ORDER BY e.date DESC, e.id DESC LIMIT {limit}"""
SOURCES = """SELECT event_id, url, title, publisher, archive_url, published_at
FROM events_source WHERE event_id = ANY(%s) ORDER BY id"""
STATS = """SELECT EXTRACT(YEAR FROM date)::int, EXTRACT(MONTH FROM date)::int,
date_precision, count(*) FROM events_event WHERE status = 'published'
GROUP BY 1, 2, 3"""


def connection() -> psycopg.Connection:
    global _conn
    if _conn is None or _conn.closed:
        # Planned for each request's values, as the API's connections are
        # (tracker/database.py): a generic plan of the filtered page reads a
        # whole platform's events.
        _conn = psycopg.connect(
            os.environ["DATABASE_URL"],
            autocommit=True,
            options="-c plan_cache_mode=force_custom_plan",
        )
    return _conn


def partial(value: dt.date | None, precision: str) -> str | None:
    if value is None:
        return None
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(
        precision, value.isoformat()
    )


def stamp(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else None


def conditions(query: dict[str, list[str]]) -> tuple[str, list[Any]]:
    sql, params = [], []
    if "platform" in query:
        sql.append("e.platform_id = (SELECT id FROM events_platform WHERE slug = %s)")
        params.append(query["platform"][0])
    if "country" in query:
        sql.append("e.country = %s")
        params.append(query["country"][0])
    if "before" in query:
        sql.append("e.date <= %s")
        params.append(query["before"][0])
    if "after" in query:
        day = dt.date.fromisoformat(query["after"][0])
        sql.append(
            "e.date >= %s AND (e.date >= %s OR (e.date_precision = 'month' "
            "AND e.date >= %s) OR e.date_precision = 'year')"
        )
        params += [day.replace(month=1, day=1), day, day.replace(day=1)]
    if "q" in query:
        sql.append("(e.target || ' ' || e.notice_text || ' ' || e.summary) ILIKE %s")
        params.append(f"%{query['q'][0]}%")
    if "key" in query:
        date, pk = query["key"][0].split(",")
        sql.append("e.date <= %s AND (e.date < %s OR e.id < %s)")
        params += [date, date, int(pk)]
    return "".join(f" AND {part}" for part in sql), params


def events(query: dict[str, list[str]]) -> bytes:
    where, params = conditions(query)
    with connection().cursor() as cursor:
        rows = cursor.execute(
            SELECT.format(where=where, limit=PAGE + 1), params
        ).fetchall()
        ids = [row[0] for row in rows[:PAGE]]
        sources: dict[int, list[dict]] = {pk: [] for pk in ids}
        for event_id, *source in cursor.execute(SOURCES, [ids]):
            url, title, publisher, archive_url, published_at = source
            sources[event_id].append(
                {
                    "url": url,
                    "title": title,
                    "publisher": publisher,
                    "archive_url": archive_url,
                    "published_at": stamp(published_at),
                }
            )
    results = [item(row, sources[row[0]]) for row in rows[:PAGE]]
    last = rows[PAGE - 1] if len(rows) > PAGE else None
    following = f"/events?key={last[13]},{last[0]}" if last else None
    return orjson.dumps({"next": following, "previous": None, "results": results})


COLUMNS = (
    "id",
    "public_id",
    "status",
    "p_slug",
    "p_name",
    "target",
    "target_type",
    "target_url",
    "a_slug",
    "a_name",
    "a_country",
    "country",
    "action",
    "date",
    "precision",
    "ended_on",
    "ended_precision",
    "notice",
    "language",
    "summary",
    "published_at",
    "updated_at",
)


def item(row: tuple, sources: list[dict]) -> dict:
    r = dict(zip(COLUMNS, row, strict=True))
    public_id = r["public_id"]
    authority = {"slug": r["a_slug"], "name": r["a_name"], "country": r["a_country"]}
    return {
        "id": str(public_id),
        "url": f"/api/v1/events/{public_id}/",
        "web_url": f"/events/{public_id}/",
        "status": r["status"],
        "platform": {"slug": r["p_slug"], "name": r["p_name"]},
        "target": r["target"],
        "target_type": r["target_type"],
        "target_url": r["target_url"],
        "authority": authority if r["a_slug"] else None,
        "country": r["country"],
        "action": r["action"],
        "date": partial(r["date"], r["precision"]),
        "date_precision": r["precision"],
        "ended_on": partial(r["ended_on"], r["ended_precision"]),
        "notice_text": r["notice"],
        "notice_language": r["language"],
        "summary": r["summary"],
        "sources": sources,
        "published_at": stamp(r["published_at"]),
        "updated_at": stamp(r["updated_at"]),
    }


def stats() -> bytes:
    totals: dict[str, int] = {}
    with connection().cursor() as cursor:
        for year, month, precision, n in cursor.execute(STATS):
            key = f"{year:04d}" if precision == "year" else f"{year:04d}-{month:02d}"
            totals[key] = totals.get(key, 0) + n
    return orjson.dumps([{"key": k, "count": n} for k, n in sorted(totals.items())])


def app(environ: dict, start_response: Any) -> list[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    path = environ.get("PATH_INFO", "")
    body = stats() if path == "/stats" else events(query)
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
