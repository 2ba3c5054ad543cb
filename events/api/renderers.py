"""The API's formats: JSON (through orjson), CSV and JSON Lines.

Lists of events in CSV and JSON Lines are streamed by the views (every row of
the filtered record, not one page); these renderers write the small responses:
one event, counts, reference lists. Both take a list of flat dicts (or one dict)
and the column names from the view's `csv_columns`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from rest_framework.renderers import BaseRenderer
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from events.csv_cells import safe_cell

# What orjson leaves to DRF's encoder, so both write the same text: datetimes
# (DRF's "…Z" style), lazy translations, querysets and anything else unusual.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class JSONRenderer(DRFJSONRenderer):
    """DRF's JSON (compact, UTF-8, U+2028 and U+2029 escaped) written by
    orjson, which encodes a page of events ten times faster than the json
    module. An indented rendering (`Accept: application/json; indent=4`)
    stays DRF's own."""

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if data is None or indent is not None:
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=JSONEncoder().default, option=_ORJSON_OPTIONS)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in body:
                body = body.replace(raw, escaped)
        return body


def _rows(data: Any) -> list[dict[str, Any]]:
    return [data] if isinstance(data, dict) else list(data or [])


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text, one record at a time: every cell quoted (as PostgreSQL's
    COPY … FORCE_QUOTE * writes them, so both exports agree), text cells safe
    for spreadsheets (events.csv_cells), LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        view = (renderer_context or {}).get("view")
        columns: Sequence[str] = getattr(view, "csv_columns", ())
        rows = _rows(data)
        if not columns and rows:
            columns = list(rows[0])
        table = [columns, *([row.get(name) for name in columns] for row in rows)]
        cells = ([("" if cell is None else cell) for cell in row] for row in table)
        return "".join(csv_lines(cells)).encode("utf-8")


class JSONLinesRenderer(BaseRenderer):
    """One JSON object per line (https://jsonlines.org/)."""

    media_type = "application/jsonl"
    format = "jsonl"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return "".join(json_line(row) for row in _rows(data)).encode("utf-8")


def json_line(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"
