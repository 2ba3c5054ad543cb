"""Reading interchange files (JSON Lines or CSV) into numbered raw rows.

A file is read as bytes, one line (ending at LF) at a time with a bounded
readline, so no line costs more than MAX_ROW_BYTES of memory whatever its
length: the rest of a longer line is read a chunk at a time and dropped, and
the row is reported. Each line is decoded on its own, so bytes that are not
UTF-8 fail their row only. Whatever the file holds, reading it raises nothing:
a bad row comes out as a RowError with its line number. The limits are
documented in docs/data-format.md ("Limits").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from events.csv_cells import restore
from events.interchange import COLUMNS, FORMATS, RowError

MAX_ROW_BYTES = 1024 * 1024  # a JSON line or a CSV row, line ends included
_CHUNK_BYTES = 64 * 1024
_BOM = b"\xef\xbb\xbf"
TOO_LONG = f"longer than the limit of {MAX_ROW_BYTES:,} bytes (1 MiB); not read"
# A row within MAX_ROW_BYTES never holds a longer cell: the csv module's own
# limit (131,072 characters by default) must not be lower.
csv.field_size_limit(max(csv.field_size_limit(), MAX_ROW_BYTES))

RawRow = dict[str, Any] | RowError


def read_rows(stream: IO[bytes], fmt: str) -> Iterator[tuple[int, RawRow]]:
    """Yield (line number, raw row) pairs, or (line number, RowError) for a
    line that is not a row at all, from a binary stream."""
    if fmt == "jsonl":
        yield from _read_jsonl(stream)
    elif fmt == "csv":
        yield from _read_csv(stream)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _lines(stream: IO[bytes]) -> Iterator[tuple[bytes | None, int]]:
    """Each line of `stream` with its line end (None if it is over
    MAX_ROW_BYTES), and how many double quotes it holds. A line over the
    limit is read and dropped a chunk at a time."""
    line = stream.readline(MAX_ROW_BYTES + 1).removeprefix(_BOM)
    while line:
        if len(line) <= MAX_ROW_BYTES:
            yield line, line.count(b'"')
        else:
            quotes = line.count(b'"')
            while not line.endswith(b"\n") and (line := stream.readline(_CHUNK_BYTES)):
                quotes += line.count(b'"')
            yield None, quotes
        line = stream.readline(MAX_ROW_BYTES + 1)


def _not_utf8(data: bytes, exc: UnicodeDecodeError, line: int | None = None) -> str:
    where = f"byte {exc.start + 1}" + ("" if line is None else f" of line {line}")
    return f"not valid UTF-8 (0x{data[exc.start]:02x} at {where})"


def _read_jsonl(stream: IO[bytes]) -> Iterator[tuple[int, RawRow]]:
    for number, (data, _quotes) in enumerate(_lines(stream), 1):
        if data is None:
            yield number, RowError(TOO_LONG)
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, RowError(_not_utf8(data, exc))
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, RowError(f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield number, RowError("not read: JSON nested too deeply")
            continue
        if not isinstance(value, dict):
            yield number, RowError("each line must be a JSON object")
            continue
        yield number, value


class _RecordTooLong(Exception):
    """Raised to the csv module in place of the rest of a record over the
    limit, which was skipped: it starts afresh on the next line."""


class _CsvLines:
    """The lines of a CSV file as text for the csv module, noting what is
    wrong with the record being read (not UTF-8), and skipping the rest of a
    record over the limit."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._lines = _lines(stream)
        self.count = 0
        self._record_bytes = 0
        self._record_quotes = 0
        self._problem: str | None = None

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        data, quotes = next(self._lines)
        self.count += 1
        self._record_quotes += quotes
        self._record_bytes += MAX_ROW_BYTES + 1 if data is None else len(data)
        if data is None or self._record_bytes > MAX_ROW_BYTES:
            self._skip_rest()
            raise _RecordTooLong
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._problem = self._problem or _not_utf8(data, exc, self.count)
            return data.decode("utf-8", "replace")

    def _skip_rest(self) -> None:
        """Read up to the end of the record: the first line end with an even
        number of double quotes since the record started (outside quotes, in
        CSV as RFC 4180 writes it)."""
        while self._record_quotes % 2:
            line = next(self._lines, None)
            if line is None:
                return  # the file ends inside the record
            self.count += 1
            self._record_quotes += line[1]

    def take_problem(self) -> str | None:
        """What was wrong with the record just read; starts the next one."""
        problem, self._problem = self._problem, None
        self._record_bytes = self._record_quotes = 0
        return problem


def _csv_records(stream: IO[bytes]) -> Iterator[tuple[int, list[str] | RowError]]:
    """(first line number, cells restored by csv_cells.restore) per record."""
    lines = _CsvLines(stream)
    reader = csv.reader(lines)
    start = 1
    while True:
        try:
            record: list[str] | RowError = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            record = RowError(TOO_LONG)
        except csv.Error as exc:  # the csv module starts afresh on the next line
            record = RowError(f"not valid CSV ({exc})")
        problem = lines.take_problem()
        if problem:
            yield start, RowError(problem)
        elif isinstance(record, RowError):
            yield start, record
        else:
            yield start, [restore(cell) for cell in record]
        start = lines.count + 1


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[int, RawRow]]:
    records = _csv_records(stream)
    first = next(records, None)
    if first is None:
        return
    header = first[1]
    if isinstance(header, RowError):
        yield 1, header
        return
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        yield 1, RowError(f"unknown column(s): {', '.join(unknown)}")
        return
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        yield 1, RowError(f"repeated column(s): {', '.join(repeated)}")
        return
    for number, record in records:
        if isinstance(record, RowError):
            yield number, record
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield number, RowError(f"expected {len(header)} cells, found {len(record)}")
            continue
        yield number, _csv_row(header, record)


def _csv_row(header: list[str], record: list[str]) -> RawRow:
    row: dict[str, Any] = {k: v for k, v in zip(header, record, strict=True) if v}
    if "sources" in row:
        try:
            row["sources"] = json.loads(row["sources"])
        except json.JSONDecodeError as exc:
            return RowError(f"sources: not a JSON list ({exc.msg})")
        except RecursionError:
            return RowError("sources: not read: JSON nested too deeply")
    return row
