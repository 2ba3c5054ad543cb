"""The demo record loaded by `make run`: real, documented events and two accounts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from events.interchange_files import read_rows
from events.models import Authority, Platform
from events.services.imports import ImportReport, events_import
from events.services.notice_curation import notices_rematch
from events.services.notice_seed import SeedReport, notices_seed
from tracker.corpus import corpus_dir

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
# The OONI / Citizen Lab fingerprint lists, when the shared corpus sits beside
# the clone (as in development and CI); the registry is seeded without them else.
CORPUS_DATASETS = corpus_dir() / "datasets"
DEMO_ACCOUNTS = {
    # username: (password, group); for local demos only, refused in production.
    "curator": ("curator-demo-password", "Curators"),
    "editor": ("editor-demo-password", "Editors"),
}


@dataclass
class DemoResult:
    report: ImportReport
    accounts: dict[str, str]
    notices: SeedReport


def _upsert_keeping_aliases(
    model: type[Platform] | type[Authority], item: dict
) -> None:
    """Create the row, or add the demo's aliases to the seeded ones."""
    row, created = model.objects.get_or_create(slug=item["slug"], defaults=item)
    if created:
        return
    merged = list(dict.fromkeys([*row.aliases, *item.get("aliases", [])]))
    if merged != row.aliases:
        row.aliases = merged
        row.save(update_fields=["aliases"])


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the demo gazetteer, events and accounts; running it again changes
    nothing that is already there."""
    gazetteer = json.loads((DEMO_DIR / "gazetteer.json").read_text(encoding="utf-8"))
    for model, items in (
        (Platform, gazetteer["platforms"]),
        (Authority, gazetteer["authorities"]),
    ):
        for item in items:
            _upsert_keeping_aliases(model, item)
    fingerprints = CORPUS_DATASETS if CORPUS_DATASETS.is_dir() else None
    notices = notices_seed(fingerprints_dir=fingerprints)
    accounts = {}
    for username, (password, group) in DEMO_ACCOUNTS.items():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        accounts[username] = password
    # The demo events are published: the demo editor imports them.
    editor = get_user_model().objects.get(username="editor")
    with open(DEMO_DIR / "events.jsonl", "rb") as binary:
        report = events_import(
            rows=read_rows(binary, "jsonl"), user=editor, note="demo data"
        )
    # Events imported before the registry had their notices are matched now.
    notices_rematch()
    return DemoResult(report=report, accounts=accounts, notices=notices)
