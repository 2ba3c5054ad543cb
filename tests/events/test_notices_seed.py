"""Seeding the notice registry from the repository's platform notices and the
real OONI / Citizen Lab fingerprint lists of the shared corpus."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from events.choices import NoticeKind, NoticeMatch
from events.models import Event, Notice, NoticeVariant, Platform
from events.services.demo import demo_load
from events.services.notice_seed import (
    FINGERPRINT_FILES,
    SEED_FILE,
    SeedError,
    notices_seed,
)
from events.services.notices import events_match_notices
from tests.events.ingest.corpus import DATASETS
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def corpus_counts() -> dict[str, int]:
    """Entries of the two lists: kept, false positives, regular expressions."""
    counts = {"kept": 0, "fp": 0, "regexp": 0}
    for name in FINGERPRINT_FILES:
        for entry in json.loads((DATASETS / name).read_text(encoding="utf-8")):
            if entry["scope"] == "fp":
                counts["fp"] += 1
            elif entry["pattern_type"] == "regexp":
                counts["regexp"] += 1
            else:
                counts["kept"] += 1
    return counts


def seed_command(*options: str) -> str:
    out = io.StringIO()
    call_command("seed_notices", *options, stdout=out)
    return out.getvalue()


def test_the_platform_notices_are_seeded_with_their_variants():
    report = notices_seed()
    items = json.loads(SEED_FILE.read_text(encoding="utf-8"))["notices"]
    assert report.created == len(items) and not report.skipped
    wechat = Notice.objects.get(origin="seed:wechat-account-blocked")
    assert wechat.platform.slug == "wechat"
    assert wechat.kind == NoticeKind.PLATFORM
    assert wechat.canonical_text.startswith("The platform may have violated")
    assert {v.language for v in wechat.variants.all()} == {"zh"}
    assert "reviewed per users complaints the account" in wechat.fingerprint


def test_seeding_twice_changes_nothing():
    notices_seed(fingerprints_dir=DATASETS)
    counts = (Notice.objects.count(), NoticeVariant.objects.count())
    history = (Notice.history.count(), NoticeVariant.history.count())
    report = notices_seed(fingerprints_dir=DATASETS)
    assert (report.created, report.updated, report.variants_created) == (0, 0, 0)
    assert report.unchanged == counts[0]
    assert (Notice.objects.count(), NoticeVariant.objects.count()) == counts
    assert (Notice.history.count(), NoticeVariant.history.count()) == history


def test_the_corpus_fingerprint_lists_are_seeded():
    report = notices_seed(fingerprints_dir=DATASETS)
    counts = corpus_counts()
    seeded = Notice.objects.filter(origin__startswith="ooni:")
    assert seeded.count() == counts["kept"]
    assert any(str(counts["fp"]) in reason for reason in report.skipped)
    assert any(str(counts["regexp"]) in reason for reason in report.skipped)
    saudi = Notice.objects.get(origin="ooni:cl.nat_sa")
    assert (saudi.kind, saudi.location, saudi.pattern_type) == (
        NoticeKind.BLOCKPAGE,
        "body",
        "contains",
    )
    assert saudi.countries == ["SA"] and saudi.platform is None
    assert saudi.canonical_text == saudi.pattern
    assert Notice.objects.get(origin="ooni:ooni.ae_0").kind == NoticeKind.HEADER
    assert Notice.objects.get(origin="ooni:ooni.ae_0").countries == ["AE", "SA"]
    assert Notice.objects.get(origin="ooni:ooni.cn_0").kind == NoticeKind.DNS
    assert not Notice.objects.filter(origin="ooni:cp.fp_x_busy").exists()


def test_a_changed_list_entry_updates_its_notice(tmp_path):
    for name in FINGERPRINT_FILES:
        (tmp_path / name).write_bytes((DATASETS / name).read_bytes())
    notices_seed(fingerprints_dir=tmp_path)
    path = tmp_path / FINGERPRINT_FILES[1]
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries[0]["expected_countries"] = "BY,RU"
    path.write_text(json.dumps(entries), encoding="utf-8")
    report = notices_seed(fingerprints_dir=tmp_path)
    assert (report.created, report.updated) == (0, 1)
    notice = Notice.objects.get(origin=f"ooni:{entries[0]['name']}")
    assert notice.countries == ["BY", "RU"]


def test_a_notice_of_an_unknown_platform_is_skipped_and_reported():
    Platform.objects.filter(slug="baidu").delete()
    report = notices_seed()
    assert not Notice.objects.filter(origin="seed:baidu-search-results-withheld")
    assert report.skipped == [
        "seed:baidu-search-results-withheld: no platform has the slug 'baidu'"
    ]


def test_a_missing_list_is_an_error_before_anything_is_written(tmp_path):
    with pytest.raises(SeedError, match="no such file"):
        notices_seed(fingerprints_dir=tmp_path)
    assert not Notice.objects.exists()
    with pytest.raises(CommandError, match="no such file"):
        seed_command("--fingerprints-dir", str(tmp_path))


def test_the_command_seeds_then_matches_existing_events(okex_notice):
    wechat = Platform.objects.get(slug="wechat")
    event = EventFactory(platform=wechat, notice_text=okex_notice)
    output = seed_command("--fingerprints-dir", str(DATASETS))
    assert "Notices:" in output and "1 changed their notice" in output
    event.refresh_from_db()
    assert event.notice.origin == "seed:wechat-account-blocked"
    assert event.notice_match == NoticeMatch.AUTO
    again = seed_command("--fingerprints-dir", str(DATASETS))
    assert " 0 created, 0 updated" in again and "0 changed" in again


def test_the_command_may_leave_events_alone(okex_notice):
    wechat = Platform.objects.get(slug="wechat")
    event = EventFactory(platform=wechat, notice_text=okex_notice)
    seed_command("--no-rematch")
    event.refresh_from_db()
    assert event.notice is None


def test_the_demo_ends_with_a_seeded_registry_and_matched_events():
    result = demo_load()
    assert result.notices.created == Notice.objects.count()
    assert Notice.objects.filter(origin__startswith="ooni:").exists()
    okex = Event.objects.get(target__icontains="OKEx")
    assert okex.notice.origin == "seed:wechat-account-blocked"
    assert demo_load().notices.created == 0


@pytest.mark.parametrize(
    ("platform", "text", "origin"),
    [
        (
            "x",
            "@ActualidadRT's account has been withheld in Belgium, Austria, Spain, "
            "France, Germany, Italy in response to a legal demand. Learn more.",
            "seed:x-account-withheld",
        ),
        (
            "x",
            "This Tweet from @someone has been withheld in India in response to a "
            "legal demand.",
            "seed:x-tweet-withheld",
        ),
        (
            "telegram",
            "This channel can’t be displayed because it violated local laws.",
            "seed:telegram-local-laws",
        ),
        (
            "youtube",
            "Video unavailable. This video is not available on this country domain "
            "due to a legal complaint from the government.",
            "seed:youtube-government-complaint",
        ),
        (
            "baidu",
            "根据相关法律法规和政策,部分搜索结果未予显示",
            "seed:baidu-search-results-withheld",
        ),
        ("wechat", "此帐号已被屏蔽，内容无法查看", "seed:wechat-account-blocked"),
        ("wechat", "此内容因违规无法查看", "seed:wechat-content-violation"),
    ],
)
def test_real_notices_match_the_seeded_registry(platform, text, origin):
    notices_seed(fingerprints_dir=DATASETS)
    event = EventFactory(platform=Platform.objects.get(slug=platform), notice_text=text)
    events_match_notices(event_ids=[event.pk])
    event.refresh_from_db()
    assert event.notice is not None and event.notice.origin == origin


def test_a_national_blockpage_from_the_lists_matches_its_text():
    notices_seed(fingerprints_dir=DATASETS)
    saudi = Notice.objects.get(origin="ooni:cl.nat_sa")
    event = EventFactory(
        platform=Platform.objects.get(slug="wikipedia"),
        country="SA",
        notice_text=f"Sorry, the requested page is unavailable. {saudi.pattern}.",
    )
    events_match_notices(event_ids=[event.pk])
    event.refresh_from_db()
    assert event.notice == saudi and event.notice_match_score == 100.0
