"""Helpers shared by the import tests."""

import io
import json
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.interchange_files import read_rows
from events.models import Authority, Event, Platform, Source, StatusChange
from events.services import events_import
from tracker.corpus import corpus_dir

SEED_ARTICLE = corpus_dir() / "seed-article.txt"
CCN = "https://www.ccn.com/chinese-government-blocks-cryptocurrency-exchanges"


def row(target: str = "OKEx", *, without: tuple[str, ...] = (), **values) -> dict:
    """An interchange row about `target`; `values` replace or add keys."""
    base = {
        "platform": "WeChat",
        "target": target,
        "target_type": "account",
        "country": "CN",
        "action": "blocked",
        "date": "2018-08",
        "sources": [{"url": f"{CCN}?about={quote(target)}"}],
    }
    base.update(values)
    return {key: value for key, value in base.items() if key not in without}


def jsonl(*lines: dict | str) -> str:
    """JSON Lines text; a str line is written as it is (for broken lines)."""
    return "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )


def importer():
    """A superuser, who may import rows of any status (published ones need
    the publish permission)."""
    user, _ = get_user_model().objects.get_or_create(
        username="importer", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def import_text(text: str | bytes, fmt: str = "jsonl", **options):
    """Import `text` (bytes as they are, text as UTF-8), by default as
    `importer()`; pass user=None or another user to import as them."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    options.setdefault("user", importer())
    return events_import(rows=read_rows(io.BytesIO(data), fmt), **options)


def run_import(path: Path, *options: str) -> tuple[int, str]:
    """Run the import command; returns its exit code and standard output."""
    out = io.StringIO()
    try:
        call_command("import_events", str(path), "--no-progress", *options, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def record_counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "sources": Source.objects.count(),
        "status changes": StatusChange.objects.count(),
        "platforms": Platform.objects.count(),
        "authorities": Authority.objects.count(),
        "event history": Event.history.count(),
        "source history": Source.history.count(),
    }
