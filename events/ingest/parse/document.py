"""A body that passed the guards, with its text and JSON value computed at
most once whichever stage (detection or a parser) asks first."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from events.ingest.parse.guards import MAX_JSON_CONTAINERS
from events.ingest.types import HostileInput, ParseError


class JsonLines:
    """The JSON value of a document that holds one value a line."""


JSON_LINES = JsonLines()


@dataclass(frozen=True)
class BadLine:
    message: str


@dataclass
class Document:
    body: bytes
    content_type: str = ""
    url: str = ""

    @functools.cached_property
    def text(self) -> str:
        try:
            return self.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"not UTF-8 text (byte {exc.start}): this format must be UTF-8"
            ) from exc

    @functools.cached_property
    def json(self) -> Any:
        """The document's JSON value, or JSON_LINES when it holds several."""
        if self.body.count(b"{") + self.body.count(b"[") > MAX_JSON_CONTAINERS:
            raise HostileInput(f"over {MAX_JSON_CONTAINERS:,} JSON objects: refused")
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":
                return JSON_LINES
            raise ParseError(
                f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from exc
        except RecursionError as exc:
            raise HostileInput("JSON nested too deeply to read") from exc
        except ValueError as exc:  # e.g. an integer of thousands of digits
            raise ParseError(f"invalid JSON: {exc}") from exc

    def json_lines(self) -> list[tuple[int, Any]]:
        """(line number, value or BadLine) for each non-blank line."""
        # Not splitlines(): it also splits at U+2028 and others inside strings.
        lines = enumerate(self.text.split("\n"), start=1)
        return [(number, _line_value(line)) for number, line in lines if line.strip()]

    def first_json_line(self) -> Any:
        """The value of the first non-blank line (a BadLine if it is not JSON)."""
        line = next((line for line in self.text.split("\n") if line.strip()), "")
        return _line_value(line)


def _line_value(line: str) -> Any:
    try:
        return json.loads(line)
    except RecursionError as exc:
        raise HostileInput("JSON nested too deeply to read") from exc
    except ValueError as exc:  # JSONDecodeError, or an over-long integer
        return BadLine(f"not valid JSON: {getattr(exc, 'msg', exc)}")
