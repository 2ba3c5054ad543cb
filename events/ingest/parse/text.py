"""Text helpers shared by the format parsers: cleaning what must never be
stored, HTML to plain text, content hashes and JSON-safe copies."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import re
import time
from collections.abc import Mapping
from typing import Any

import nh3

# C0 controls other than tab and newline, and DEL. A carriage return is turned
# into a newline first. NUL cannot be stored by PostgreSQL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # JSON can escape one; UTF-8 cannot
_LINE_BREAK = "\ue000"  # private-use markers that survive nh3 untouched
_PARAGRAPH = "\ue001"
_BR = re.compile(r"<br\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|section|article"
    r"|header|footer|figure|figcaption|hr|address|aside|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_DEPTH = 50


def clean_text(value: str) -> str:
    """`value` without C0 control characters (except tab and newline) and
    unpaired surrogates; line ends become "\\n"."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


def one_line(value: str) -> str:
    """Cleaned, whitespace runs collapsed to one space, stripped (for titles)."""
    return " ".join(clean_text(value).split())


def plain_block(value: str) -> str:
    """Cleaned multi-line text: spaces collapsed within lines, at most one
    blank line between paragraphs, stripped."""
    lines = (" ".join(line.split()) for line in clean_text(value).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags removed (script and style with
    their content), entities decoded, whitespace collapsed; paragraphs and
    other blocks become blank-line separated, <br> a line break."""
    fragment = fragment.replace(_LINE_BREAK, "").replace(_PARAGRAPH, "")
    fragment = " ".join(fragment.split())  # source line breaks are not text
    fragment = _BLOCK.sub(_PARAGRAPH, _BR.sub(_LINE_BREAK, fragment))
    text = html.unescape(nh3.clean(fragment, tags=set()))
    text = text.replace(_LINE_BREAK, "\n").replace(_PARAGRAPH, "\n\n")
    return plain_block(text)


def snippet(text: str, limit: int = 80) -> str:
    """The start of `text` on one line, cut at a word boundary, for items that
    have no title of their own."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,;:.") + "…"


def content_hash(*parts: str) -> str:
    """A stable id for content that has none: "sha256:" and the hex digest."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "replace"))
    return "sha256:" + digest.hexdigest()


def json_hash(value: Any) -> str:
    """content_hash of a JSON value, independent of key order."""
    return content_hash(json.dumps(value, sort_keys=True, ensure_ascii=False))


def to_jsonable(value: Any, depth: int = 0) -> Any:
    """A copy of `value` that json.dumps (and a PostgreSQL jsonb column)
    accepts: struct_time and dates as ISO strings, tuples as lists, cleaned
    strings, non-finite floats and unknown objects as text."""
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, time.struct_time):
        return _struct_time_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return clean_text(value.decode("utf-8", "replace"))
    if isinstance(value, Mapping):
        return {clean_text(str(k)): to_jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v, depth + 1) for v in value]
    return clean_text(str(value))


def struct_time_utc(value: Any) -> dt.datetime | None:
    """An aware UTC datetime from feedparser's UTC struct_time, or None."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except (ValueError, OverflowError):
        return None


def _struct_time_iso(value: time.struct_time) -> str:
    parsed = struct_time_utc(value)
    return parsed.isoformat() if parsed else str(tuple(value))
