"""CSV cells a spreadsheet will not run (CSV formula injection).

A spreadsheet opening a CSV file treats a cell starting with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula, so a notice or a target could
run one on a reader's machine. Every CSV the tracker writes passes its cells
through `neutralise`, which puts a single quote before such a cell (OWASP's
advice); the importer's `restore` takes exactly one off again, so export →
import → export gives the same bytes. So that a value which really starts
with quotes and then one of those characters survives that round trip, such a
value gets one more quote too: `'=1` is written `''=1`. The rule is in
docs/data-format.md; the PostgreSQL COPY export writes it in SQL
(events.selectors.csv_copy.SpreadsheetSafe), and tests compare the two.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise

TRIGGERS = "=+-@\t\r"
# The first characters worth a closer look: a trigger, or a quote.
_FIRST = frozenset(TRIGGERS + "'")
# Quotes (none or more) then a trigger: the cells `neutralise` changes.
_RISKY = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """`cell` with a quote in front if it is risky (see the module)."""
    if cell[:1] in _FIRST and _RISKY.match(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The value `neutralise` was given for `cell`; any other cell as it is."""
    if cell[:1] == "'" and _RISKY.match(cell, 1):
        return cell[1:]
    return cell


def safe_cell(cell: Any) -> Any:
    """A cell for csv.writer: text neutralised, other values (numbers, None)
    as they are; a lazy translation is text."""
    if isinstance(cell, str):
        return neutralise(cell)
    if isinstance(cell, Promise):
        return neutralise(str(cell))
    return cell
