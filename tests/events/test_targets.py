"""Targets: grouping keys, and assignment on every write path (the API's
services, edits, the importer, the migration's backfill)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from events.choices import Action, DatePrecision, Status, TargetType
from events.models import Event, Target
from events.models.targets import target_key
from events.selectors.targets import public_targets
from events.services import event_create, event_update
from events.services.targets import events_assign_targets
from tests.events.import_support import import_text, jsonl, row
from tests.events.target_support import make
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db
M = DatePrecision.MONTH


def key(target: str, kind: str = TargetType.ACCOUNT, url: str = "", country="CN"):
    return target_key(target_type=kind, target=target, target_url=url, country=country)


# --- Keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("OKEx", "okex "),
        ("OKEx official  account", "«okex official\taccount»."),
        ("ＯＫＥｘ", "OKEx"),  # full-width forms (NFKC)
        ("STRASSE", "straße"),  # case folding, not lowering
        ("@navalny", "Navalny"),
        ('"@Navalny"', "navalny"),
    ],
)
def test_account_names_that_differ_only_in_form_share_a_key(one, other):
    assert key(one) == key(other)


def test_punctuation_inside_a_name_is_kept():
    assert key("C.C.P. Watch!") == "c.c.p. watch"
    assert key("!!!") == "!!!"  # nothing but punctuation: the name as given


def test_a_hashtag_keeps_its_mark_and_a_handle_elsewhere_keeps_its_at():
    assert key("#Protest", TargetType.KEYWORD) == "#protest"
    assert key("@channel", TargetType.CHANNEL) == "@channel"


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("Wikipedia", "https://www.wikipedia.org/"),
        ("wikipedia.org", ""),
        ("WWW.Wikipedia.ORG.", ""),
        ("https://wikipedia.org:443/wiki/Main_Page", ""),
        ("Wikipedia", "http://wikipedia.org"),
    ],
)
def test_websites_key_on_their_host(target, url):
    assert key(target, TargetType.WEBSITE, url) == "wikipedia.org"


def test_website_keys_keep_subdomains_and_decode_punycode():
    assert key("en.wikipedia.org", TargetType.WEBSITE) == "en.wikipedia.org"
    assert key("xn--d1abbgf6aiiy.xn--p1ai", TargetType.WEBSITE) == "президент.рф"
    assert key("Президент.РФ", TargetType.WEBSITE) == "президент.рф"


def test_a_website_named_without_a_host_keys_on_its_name():
    assert key("My Blog", TargetType.WEBSITE) == "my blog"


def test_whole_platform_targets_key_on_the_country():
    iran = key("Telegram", TargetType.WHOLE_PLATFORM, country="IR")
    assert iran == key("Telegram messenger", TargetType.WHOLE_PLATFORM, country="IR")
    assert iran != key("Telegram", TargetType.WHOLE_PLATFORM, country="RU")


# --- Assignment --------------------------------------------------------------


def test_events_with_the_same_key_share_a_target():
    first = make(target="OKEx")
    second = make(target="«okex»", platform=first.platform)
    other_platform = make(target="OKEx")

    assert first.target_ref_id == second.target_ref_id
    assert other_platform.target_ref_id != first.target_ref_id
    target = first.target_ref
    assert (target.name, target.key, target.platform) == (
        "OKEx",
        "okex",
        first.platform,
    )


def test_a_whole_platform_target_is_named_after_platform_and_country():
    event = make(
        platform=PlatformFactory(name="Telegram", slug="telegram"),
        target="Telegram messenger (all of it)",
        target_type=TargetType.WHOLE_PLATFORM,
        country="IR",
    )
    assert event.target_ref.name == "Telegram in Iran"
    assert event.target_ref.key == "country:ir"


def test_a_website_target_is_named_after_its_host_and_has_no_url_of_its_own():
    # Named from the key, so that a draft's wording never names a public
    # target; its public URL is its latest published event's.
    event = make(
        target="Some secret wording",
        target_type=TargetType.WEBSITE,
        target_url="https://www.wikipedia.org/secret-path",
        status=Status.DRAFT,
    )
    assert (event.target_ref.name, event.target_ref.url) == ("wikipedia.org", "")


def test_a_batch_is_assigned_in_a_few_queries(django_assert_max_num_queries):
    platform = PlatformFactory()
    events = [
        # As written by a path that bypasses the hook: no target yet.
        EventFactory(platform=platform, target=f"Account {n % 40}", target_ref=None)
        for n in range(300)
    ]
    # read, find targets, create missing, re-read, one update
    with django_assert_max_num_queries(5):
        moved = events_assign_targets(event_ids=[e.pk for e in events])
    assert moved == 300
    assert Target.objects.filter(platform=platform).count() == 40
    # Again: nothing to do, and no write.
    with django_assert_max_num_queries(2):
        assert events_assign_targets(event_ids=[e.pk for e in events]) == 0


def test_creating_through_the_api_service_assigns_the_target(curator):
    platform = PlatformFactory()
    data = {
        "platform": platform,
        "target": "Huobi",
        "target_type": TargetType.ACCOUNT,
        "country": "CN",
        "action": Action.BLOCKED,
        "date": dt.date(2018, 8, 1),
        "date_precision": M,
    }
    event = event_create(user=curator, data=data)
    event.refresh_from_db()
    assert event.target_ref.key == "huobi"


def test_editing_the_target_text_moves_the_event_and_leaves_the_old_target(curator):
    event = EventFactory(target="Huobi", status=Status.DRAFT)
    event_update(event=event, user=curator, data={"target": "Huobi"})
    event.refresh_from_db()
    old = event.target_ref

    event_update(event=event, user=curator, data={"target": "OKEx"})

    event.refresh_from_db()
    assert event.target_ref.key == "okex"
    assert Target.objects.filter(pk=old.pk).exists()  # orphaned, kept
    assert old not in public_targets()


def test_import_assigns_targets(curator):
    text = jsonl(row("OKEx"), row("okex ", date="2018-09"), row("Huobi"))
    report = import_text(text, user=curator)

    assert report.created == 3
    events = Event.objects.order_by("id")
    assert events.filter(target_ref__isnull=True).count() == 0
    okex, okex_again, huobi = events
    assert okex.target_ref_id == okex_again.target_ref_id != huobi.target_ref_id


def test_the_migration_backfills_events_in_batches(monkeypatch):
    migration = importlib.import_module("events.migrations.0011_targets")
    monkeypatch.setattr(migration, "BACKFILL_BATCH", 3)
    platform = PlatformFactory()
    events = [
        EventFactory(platform=platform, target=f"T{n % 4}", target_ref=None)
        for n in range(10)
    ]

    migration.backfill_targets(apps, None)

    linked = Event.objects.filter(pk__in=[e.pk for e in events])
    assert not linked.filter(target_ref__isnull=True).exists()
    assert linked.values("target_ref").distinct().count() == 4
