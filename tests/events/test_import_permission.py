"""Only a user with the publish permission may import published rows; every
event an import creates, or whose status it changes, has a StatusChange by
the importing user."""

import pytest

from events.choices import Status
from events.models import Event, StatusChange
from events.services.imports import NEEDS_PUBLISHER
from tests.events.import_support import import_text, jsonl, row, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

PUBLISHED = {"status": "published"}


def mixed_rows() -> str:
    return jsonl(row("OKEx"), row("Huobi", **PUBLISHED), row("Binance", **PUBLISHED))


def test_published_rows_without_a_user_are_refused_with_their_lines():
    report = import_text(mixed_rows(), user=None)
    assert report.errors == [(2, NEEDS_PUBLISHER), (3, NEEDS_PUBLISHER)]


def test_rows_that_are_not_published_are_kept_without_a_user():
    import_text(mixed_rows(), user=None)
    assert list(Event.objects.values_list("target", "status")) == [
        ("OKEx", Status.DRAFT)
    ]


def test_curator_may_not_import_published_rows(curator):
    report = import_text(mixed_rows(), user=curator)
    assert (report.created, report.failed) == (1, 2)


def test_an_inactive_editor_imports_nothing(editor):
    editor.is_active = False
    editor.save()
    assert import_text(mixed_rows(), user=editor).failed == 3


def test_editor_imports_published_rows(editor):
    import_text(mixed_rows(), user=editor)
    assert Event.objects.filter(status=Status.PUBLISHED).count() == 2


def test_strict_import_without_a_user_imports_nothing_if_a_row_is_published():
    report = import_text(mixed_rows(), user=None, strict=True)
    assert (report.rolled_back, Event.objects.count()) == (True, 0)


def test_command_without_user_refuses_published_rows(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text(mixed_rows(), encoding="utf-8")
    assert run_import(path) == (1, "created 1, updated 0, unchanged 0, failed 2\n")
    assert capsys.readouterr().err.splitlines() == [
        "line 2: importing a published event needs a user with the publish "
        "permission; pass --user EDITOR",
        "line 3: importing a published event needs a user with the publish "
        "permission; pass --user EDITOR",
    ]


def test_command_with_an_editor_imports_published_rows(tmp_path, editor):
    path = tmp_path / "events.jsonl"
    path.write_text(mixed_rows(), encoding="utf-8")
    assert run_import(path, "--user", "editor")[0] == 0
    assert Event.objects.filter(status=Status.PUBLISHED).count() == 2


def test_created_events_record_their_status_by_the_importing_user(tmp_path, editor):
    path = tmp_path / "okex.jsonl"
    path.write_text(mixed_rows(), encoding="utf-8")
    run_import(path, "--user", "editor")
    assert sorted(
        StatusChange.objects.values_list(
            "event__target", "from_status", "to_status", "user__username", "note"
        )
    ) == [
        ("Binance", "", Status.PUBLISHED, "editor", "import: okex.jsonl"),
        ("Huobi", "", Status.PUBLISHED, "editor", "import: okex.jsonl"),
        ("OKEx", "", Status.DRAFT, "editor", "import: okex.jsonl"),
    ]


def test_status_changed_by_a_reimport_is_recorded_with_its_user(curator, editor):
    import_text(jsonl(row("OKEx")), user=curator)
    import_text(jsonl(row("OKEx", **PUBLISHED)), user=editor)
    assert list(
        StatusChange.objects.order_by("id").values_list(
            "from_status", "to_status", "user__username", "note"
        )
    ) == [
        ("", Status.DRAFT, "curator", "import"),
        (Status.DRAFT, Status.PUBLISHED, "editor", "import"),
    ]


def test_reimport_that_changes_nothing_records_no_status_change(editor):
    import_text(jsonl(row("OKEx", **PUBLISHED)), user=editor)
    import_text(jsonl(row("OKEx", **PUBLISHED)), user=editor)
    assert StatusChange.objects.count() == 1
