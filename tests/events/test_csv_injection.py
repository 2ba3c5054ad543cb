"""Every CSV the tracker writes is safe to open in a spreadsheet, and the
importer takes the guard off again (docs/data-format.md, "Spreadsheet-safe
cells")."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from events.api.exports import _batched, _events
from events.api.renderers import csv_lines
from events.api.representation import CSV_COLUMNS, Links, csv_row, event_dict
from events.choices import Status
from events.csv_cells import neutralise, restore
from events.models import Event
from events.selectors.api import event_list
from events.selectors.csv_copy import events_csv_copy
from tests.events.release_support import built
from tests.events.test_export import empty_the_record
from tests.factories import AuthorityFactory, EventFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

PUBLISHED_AT = dt.datetime(2018, 8, 22, 9, tzinfo=dt.UTC)
HYPERLINK = '=HYPERLINK("http://x","y")'
# (value as stored, cell as written) for each risky kind of value.
CELLS = [
    (HYPERLINK, "'" + HYPERLINK),
    ("+1", "'+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2", "'-2"),
    ("\tTabbed", "'\tTabbed"),
    ("\rCarriage", "'\rCarriage"),
    ("'=genuine", "''=genuine"),
    ("''@twice", "'''@twice"),
    ("'quoted", "'quoted"),
    ("plain = text", "plain = text"),
    ("", ""),
]


@pytest.mark.parametrize(("value", "cell"), CELLS)
def test_neutralise_writes_the_risky_cell_with_a_quote(value, cell):
    assert neutralise(value) == cell


@pytest.mark.parametrize(("value", "cell"), CELLS)
def test_restore_gives_back_the_value(value, cell):
    assert restore(cell) == value


def risky_record() -> tuple[Event, Event]:
    """Two published events whose texts a spreadsheet would run."""
    formula = EventFactory(
        target=HYPERLINK,
        summary="+1",
        notice_text="@SUM(A1)",
        authority=AuthorityFactory(name="-Minus authority", country="CN"),
        status=Status.PUBLISHED,
        published_at=PUBLISHED_AT,
    )
    SourceFactory(event=formula, title="-2")
    genuine = EventFactory(
        target="'=genuine",
        summary="\rCarriage return first",
        notice_text="\tTab first",
        status=Status.PUBLISHED,
        published_at=PUBLISHED_AT,
    )
    SourceFactory(event=genuine)
    return formula, genuine


EXPECTED = {
    "'" + HYPERLINK: ("'+1", "'@SUM(A1)"),
    "''=genuine": ("'\rCarriage return first", "'\tTab first"),
}


def written(rows: list[dict]) -> dict[str, tuple[str, str]]:
    return {r["target"]: (r["summary"], r["notice_text"]) for r in rows}


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_api_csv_export_neutralises_risky_cells(client):
    risky_record()
    response = client.get("/api/v1/events/?format=csv")
    rows = read_csv(b"".join(response.streaming_content))
    assert written(rows) == EXPECTED
    formula = next(r for r in rows if r["target"].startswith("'="))
    assert formula["authority_name"] == "'-Minus authority"


def test_api_csv_of_one_event_neutralises_risky_cells(client):
    formula, _ = risky_record()
    response = client.get(f"/api/v1/events/{formula.public_id}/?format=csv")
    assert read_csv(response.content)[0]["target"] == "'" + HYPERLINK


def test_copy_export_writes_the_same_bytes_as_python():
    """Both paths of the API export neutralise alike (COPY on PostgreSQL)."""
    risky_record()
    links = Links.for_request(RequestFactory().get("/"))
    queryset = Event.objects.published()
    rows = event_list(queryset, ordering="-date")
    python = b"".join(
        _batched(csv_lines(csv_row(event_dict(e, links)) for e in _events(rows)))
    )
    header = "".join(csv_lines([CSV_COLUMNS])).encode()
    assert written(read_csv(header + python)) == EXPECTED
    if connection.vendor == "postgresql":
        copied = b"".join(
            events_csv_copy(
                queryset.order_by("-date", "-id"),
                api_prefix=links.api_prefix,
                web_prefix=links.web_prefix,
                web_suffix=links.web_suffix,
            )
        )
        assert copied == python


def test_release_csv_file_neutralises_risky_cells(editor, releases_root):
    risky_record()
    release = built(editor)
    data = (releases_root / release.file_name("csv")).read_bytes()
    assert written(read_csv(data)) == EXPECTED


def export_csv(path: Path) -> bytes:
    call_command("export_events", str(path), stderr=io.StringIO())
    return path.read_bytes()


def import_csv(path: Path, editor) -> None:
    call_command(
        "import_events",
        str(path),
        "--no-progress",
        "--user",
        editor.username,
        stdout=io.StringIO(),
    )


def test_export_events_csv_neutralises_risky_cells(tmp_path):
    risky_record()
    assert written(read_csv(export_csv(tmp_path / "events.csv"))) == EXPECTED


def test_import_of_the_exported_csv_gives_back_the_exact_values(tmp_path, editor):
    risky_record()
    path = tmp_path / "events.csv"
    export_csv(path)
    empty_the_record()
    import_csv(path, editor)
    event = Event.objects.get(target=HYPERLINK)
    assert (event.summary, event.notice_text, event.authority.name) == (
        "+1",
        "@SUM(A1)",
        "-Minus authority",
    )
    assert event.sources.get().title == "-2"
    genuine = Event.objects.get(target="'=genuine")
    assert (genuine.summary, genuine.notice_text) == (
        "\rCarriage return first",
        "\tTab first",
    )


def test_csv_export_import_export_is_byte_identical(tmp_path, editor):
    risky_record()
    first = export_csv(tmp_path / "first.csv")
    empty_the_record()
    import_csv(tmp_path / "first.csv", editor)
    assert export_csv(tmp_path / "second.csv") == first
